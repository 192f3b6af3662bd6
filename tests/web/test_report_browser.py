"""The report page in real Chromium: it draws, runs and fetches nothing, and passes axe (issue 14 item 4)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from report_seed import Row, seed, seed_demo

from faqbot.engine import Engine
from faqbot.insights import SQLiteStore
from faqbot.report import build_report, engine_locator
from faqbot.report_data import read_records
from faqbot.report_html import render

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
HOSTILE = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory, engine: Engine) -> Path:
    """A month of seeded traffic with a hostile question among the missed ones, written as the report page."""
    folder = tmp_path_factory.mktemp("report")
    path, now = folder / "insights.sqlite3", time.time()
    store = SQLiteStore(path)
    try:
        seed_demo(store, engine.kb, now)
        seed(store, [Row(0.5, "fallback", "web", question=HOSTILE) for _ in range(30)], now)
    finally:
        store.close()
    report = build_report(read_records(path), engine.kb, engine_locator(engine), now, 30)
    page = folder / "report.html"
    page.write_text(render(report, report.end), encoding="utf-8")
    return page


def open_report(browser: Any, report_file: Path, **options: Any) -> tuple[Any, dict[str, list[str]]]:
    """The report in a new context, with every request, console error, page error and dialog recorded."""
    context = browser.new_context(**options)
    context.set_default_timeout(5000)
    seen: dict[str, list[str]] = {"requests": [], "errors": [], "dialogs": []}
    context.on("request", lambda request: seen["requests"].append(request.url))
    page = context.new_page()
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))
    page.goto(report_file.as_uri())
    page.wait_for_load_state("load")
    return page, seen


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_the_report_draws_with_no_errors_no_requests_and_no_script(
    browser: Any, report_file: Path, size: dict[str, int]
) -> None:
    page, seen = open_report(browser, report_file, viewport=size)
    try:
        charts = page.locator("svg[role=img]")
        assert charts.count() == 2
        for i in range(2):
            box = charts.nth(i).bounding_box()
            # Never shrunk below legible: on a phone the chart's own box scrolls sideways instead.
            assert box is not None and box["width"] >= min(544, size["width"] * 0.7) and box["height"] > 60
            assert charts.nth(i).locator("title").count() >= 1 and charts.nth(i).locator("desc").count() == 1
        bars = page.locator("svg[aria-labelledby^=time] rect[class^=k-]")
        assert bars.count() > 20  # a month of days, most with replies
        assert page.get_by_role("heading", level=2).all_inner_texts() == [
            "At a glance",
            "Replies per day",
            "Answer rate by channel",
            "Most missed questions",
            "Helpful / not helpful per section",
            "Sections nobody asked about",
        ]
        # The hostile question is shown as text, and none of it ran.
        assert page.get_by_text(HOSTILE).count() == 1
        assert page.evaluate("window.__xss") is None
        assert page.locator("script, img, iframe, object, link").count() == 0
        # Nothing wider than the screen: the page reads on a phone without sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert seen == {"requests": [report_file.as_uri()], "errors": [], "dialogs": []}
    finally:
        page.context.close()


def test_the_numbers_behind_the_chart_open_and_print_keeps_the_charts(browser: Any, report_file: Path) -> None:
    page, seen = open_report(browser, report_file, viewport=SIZES["desktop"])
    try:
        table = page.locator("details table")
        assert not table.is_visible()
        page.get_by_text("The numbers by day").click()
        assert table.is_visible()
        assert table.locator("tbody tr").count() == 31
        page.emulate_media(media="print")
        assert page.locator("svg[role=img]").first.is_visible()
        assert not page.get_by_text("The numbers by day").is_visible()
        assert len(page.pdf()) > 10_000
        assert seen["errors"] == [] and seen["requests"] == [report_file.as_uri()]
    finally:
        page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_violations_in_the_report(browser: Any, report_file: Path, scheme: str) -> None:
    # axe is injected as a script, which the report's own policy forbids.
    page, _ = open_report(browser, report_file, bypass_csp=True, color_scheme=scheme)
    try:
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        violations = [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]]
        assert violations == []
    finally:
        page.context.close()
