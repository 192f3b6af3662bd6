"""Keeps what people wrote out of slack_bolt's and slack_sdk's log lines at every default level."""

from __future__ import annotations

import logging
import re

# bolt puts whole request bodies (or parts: a button's value, a dialog's fields) into some lines, always after
# one of these words or a dict/list literal: "... (signature: …, timestamp: …, body: {…})", "… request (…{'type'…".
_PAYLOAD = re.compile(r"body|payload|[{\[]|\bvalue\b|\bsubmission\b", re.IGNORECASE)
REDACTED = "[payload not logged]"


class NoPayloads(logging.Filter):
    """Cuts a record's message at the first sign of a payload, so only bolt's own words are kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        found = _PAYLOAD.search(text)
        if found is not None:
            record.msg = text[: found.start()].rstrip(" (:,") + " " + REDACTED
            record.args = ()
        return True


def bolt_base_logger(name: str = "faqbot.slack.bolt") -> logging.Logger:
    """The logger to hand bolt's App: bolt copies its filters onto every logger it makes, NoPayloads included."""
    logger = logging.getLogger(name)
    if not any(isinstance(f, NoPayloads) for f in logger.filters):
        logger.addFilter(NoPayloads())
    return logger
