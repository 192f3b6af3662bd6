"""`faqbot report`: read the insights file (never changing it) and write the editor's report as one HTML file."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from faqbot.engine import Engine
from faqbot.insights import DAY_SECONDS
from faqbot.report import build_report, engine_locator
from faqbot.report_data import ReportError, read_records
from faqbot.report_html import render
from faqbot.review import engine_grouping

from .errors import UsageError
from .settings import Settings

DEFAULT_DAYS = 30
# Ten years: at most ~520 weekly bars (and far from the dates datetime cannot hold).
MAX_DAYS = 3660


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The report's own flags."""
    parser.add_argument("--out", type=Path, default=Path("report.html"), help="HTML file to write (report.html)")
    parser.add_argument(
        "--days", type=int, default=DEFAULT_DAYS, help=f"how many days back to report on (default {DEFAULT_DAYS})"
    )


def run(args: argparse.Namespace, settings: Settings, out: TextIO | None = None) -> int:
    """Write the report on the last --days days to --out and say where it went."""
    out = out or sys.stdout
    if not 1 <= args.days <= MAX_DAYS:
        raise UsageError(f"--days must be from 1 to {MAX_DAYS}, not {args.days}")
    now = time.time()
    try:
        records = read_records(settings.insights.path, since=now - args.days * DAY_SECONDS)
    except ReportError as error:
        raise UsageError(str(error)) from None
    # Missed questions are grouped as `faqbot review` groups them (by the sentence encoder when it is on), and each
    # group is placed under a section by the lexical ranking.
    engine = Engine.from_settings(settings.engine)
    local = datetime.now().astimezone()
    report = build_report(
        records, engine.kb, engine_locator(engine), now, args.days, local.tzinfo or UTC, engine_grouping(engine)
    )
    try:
        args.out.write_text(render(report, local), encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {args.out}: {error.strerror or error}") from None
    answered, clarified, declined, emergency = report.totals
    print(
        f"wrote {args.out}: {len(records.outcomes):,} replies ({answered:,} answered, {clarified:,} clarified, "
        f"{declined:,} declined, {emergency:,} emergencies) and {len(records.feedback):,} votes "
        f"over the last {args.days} days",
        file=out,
    )
    return 0
