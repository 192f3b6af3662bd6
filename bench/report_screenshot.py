"""Regenerate docs/report.png: the editor's report on a month of seeded traffic, as Chromium shows it.

    .venv/bin/python bench/report_screenshot.py [--html report.html]

Seeds a throwaway insights file through the InsightsStore interface (tests/report_seed.py, a fixed random seed and
a fixed "now", so the picture only changes when the report does), builds the report over the bundled corpus and
photographs the whole page with Debian's Chromium through Playwright. --html also keeps the HTML file.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402
from report_seed import seed_demo  # noqa: E402

from adapters.settings import Settings  # noqa: E402
from faqbot.engine import Engine  # noqa: E402
from faqbot.insights import SQLiteStore  # noqa: E402
from faqbot.report import build_report, engine_locator  # noqa: E402
from faqbot.report_data import read_records  # noqa: E402
from faqbot.report_html import render  # noqa: E402
from faqbot.review import engine_grouping  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
NOW = datetime(2026, 12, 5, 17, 30, tzinfo=UTC)
VIEWPORT = {"width": 1000, "height": 900}


def report_html(folder: Path) -> str:
    """The report page on a freshly seeded store in `folder`."""
    path = folder / "insights.sqlite3"
    store = SQLiteStore(path)
    engine = Engine.from_settings(Settings().engine)
    try:
        rows = seed_demo(store, engine.kb, NOW.timestamp())
    finally:
        store.close()
    records = read_records(path)
    report = build_report(
        records, engine.kb, engine_locator(engine), NOW.timestamp(), 30, similar=engine_grouping(engine)
    )
    print(f"seeded {rows} replies")
    return render(report, NOW)


def main() -> None:
    """Write docs/report.png (and the HTML with --html)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, help="also write the report page here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        page_path = Path(folder) / "report.html"
        page_path.write_text(report_html(Path(folder)), encoding="utf-8")
        if args.html:
            args.html.write_text(page_path.read_text(encoding="utf-8"), encoding="utf-8")
        out = ROOT / "docs" / "report.png"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            try:
                context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1, color_scheme="light")
                page = context.new_page()
                page.goto(page_path.as_uri())
                page.screenshot(path=str(out), full_page=True, animations="disabled")
            finally:
                browser.close()
    print(f"{out.relative_to(ROOT)}: {out.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
