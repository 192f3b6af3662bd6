"""`faqbot serve --workers N`: uvicorn's process supervisor, with SIGHUP passed to the workers to reload."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
from typing import Any

import uvicorn
from uvicorn.supervisors import Multiprocess

log = logging.getLogger("faqbot.reload")


class ReloadingSupervisor(Multiprocess):
    """uvicorn's Multiprocess, except that SIGHUP asks each worker to reload its documents in place.

    uvicorn's own SIGHUP replaces every worker with a fresh process: each one loads the sentence encoder again
    (seconds per worker), and a corpus that no longer loads makes the new worker fail to start. Reloading in place
    keeps the encoder, answers throughout, and keeps the last good documents when the new ones are bad.
    """

    def handle_hup(self) -> None:
        log.info("received SIGHUP: asking %d workers to reload the documents", len(self.processes))
        for process in self.processes:
            # A worker that has just died is replaced anyway, and its replacement reads the current documents.
            if process.pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(process.pid, signal.SIGHUP)


def run_workers(app: str, **options: Any) -> None:
    """What uvicorn.run does for workers > 1 (an import string `app`), with the reloading supervisor."""
    config = uvicorn.Config(app, **options)
    sock = config.bind_socket()
    try:
        ReloadingSupervisor(config, sockets=[sock]).run()
    finally:
        sock.close()
