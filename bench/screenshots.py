"""Regenerate the widget screenshots in docs/ (phone and desktop, light and dark) from the recorded reply payloads.

    .venv/bin/python bench/screenshots.py

Drives Debian's Chromium through Playwright on the demo page, with /api answered from tests/web/payloads (the same
stand-in the browser tests use), so the pictures show every field of the reply contract and never change by chance.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "web"))

from playwright.sync_api import sync_playwright  # noqa: E402
from widget_harness import ORIGIN, RecordedClinic, demo_page  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
DOCS = ROOT / "docs"
# The phone shows a short answer with its list; the desktop the reply to "talk to a person", with its contact card.
QUESTIONS = {
    "phone": ("Can I talk to a person?", "How does acupuncture work?"),
    "desktop": ("How does acupuncture work?", "Can I talk to a person?"),
}
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
# The desktop shot keeps the panel's side of the page: the rest is the demo page's text.
DESKTOP_CLIP = {"x": 840, "y": 0, "width": 440, "height": 800}


def _ask(page: Any, text: str) -> None:
    replies = page.locator(".msg.bot")
    before = replies.count()
    page.get_by_label("Your question").fill(text)
    page.keyboard.press("Enter")
    replies.nth(before).wait_for()


def shoot(browser: Any, size: str, scheme: str) -> Path:
    """One screenshot: the demo page with the widget open after a short conversation."""
    context = browser.new_context(viewport=SIZES[size], color_scheme=scheme, device_scale_factor=1)
    try:
        RecordedClinic(demo_page()).install(context)
        page = context.new_page()
        page.goto(ORIGIN + "/")
        page.get_by_role("button", name="Ask a question").click()
        for question in QUESTIONS[size]:
            _ask(page, question)
        page.reload()  # what a patient sees on the next page: the latest answer in view
        page.locator(".msg.bot").last.wait_for()
        page.mouse.move(0, 0)
        path = DOCS / f"widget-{size}-{scheme}.png"
        clip = DESKTOP_CLIP if size == "desktop" else None
        page.screenshot(path=str(path), clip=clip, animations="disabled", caret="hide")
        return path
    finally:
        context.close()


def main() -> None:
    """Write docs/widget-{phone,desktop}-{light,dark}.png and print their sizes."""
    DOCS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        try:
            for size in SIZES:
                for scheme in ("light", "dark"):
                    path = shoot(browser, size, scheme)
                    print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB")
        finally:
            browser.close()


if __name__ == "__main__":
    main()
