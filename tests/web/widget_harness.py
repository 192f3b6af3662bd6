"""A stand-in clinic site for the widget whose API answers from recorded reply payloads (tests and screenshots).

The payloads in `payloads/` are the server's replies as it returns them, plus the contract fields added by issue 12
(`answer.blocks`, `full_blocks`, `truncated`, `source.url`, `contact`, kind `contact`), so the widget can be driven
through every kind of reply without the core that produces them.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import adapters.web
from adapters.web.app import DEMO_CSP

PAYLOADS = Path(__file__).parent / "payloads"
STATIC = Path(adapters.web.__file__).parent / "static"
ORIGIN = "http://clinic.test"
# Question (lower case) -> payload file; anything else gets the fallback that offers the clinic's contact details.
REPLIES = {
    "how does acupuncture work?": "answer_truncated_list",
    "other differences?": "answer_whole_list",
    "my chest hurts and i feel sweaty": "emergency",
    "can i talk to a person?": "contact",
}
FALLBACK = "fallback_contact"
DEMO_ATTRIBUTES = {"data-clinic-name": "Riverside Acupuncture & Physio", "data-color": "#0a5c63"}


def payload(name: str) -> dict[str, Any]:
    """One recorded reply (or the greeting) by file name, without `.json`."""
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    return data


def clinic_page(attributes: dict[str, str]) -> str:
    """A plain clinic page that embeds the widget with the given data- attributes."""
    attrs = " ".join(f'{name}="{html.escape(value)}"' for name, value in attributes.items())
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Test Clinic</title></head>'
        '<body><main><h1>Test Clinic</h1><p>Opening hours and <a href="/">a link on the page</a>.</p>'
        + "<p>More about the clinic.</p>" * 60
        + f'</main><script src="/widget.js" async {attrs}></script></body></html>'
    )


@dataclass
class RecordedClinic:
    """Routes every request to ORIGIN: the page, the real widget.js, and recorded API replies."""

    page: str
    replies: dict[str, str] = field(default_factory=lambda: dict(REPLIES))
    questions: list[str] = field(default_factory=list)
    votes: list[dict[str, Any]] = field(default_factory=list)  # the bodies POSTed to /api/feedback
    # A payload changed by a test (e.g. with the new fields removed), by name.
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)

    def install(self, context: Any) -> None:
        """Answer every request to ORIGIN in this browser context."""
        context.route(ORIGIN + "/**", self._handle)

    def reply_for(self, question: str) -> dict[str, Any]:
        """The recorded reply the stand-in API gives to a question."""
        name = self.replies.get(question.strip().lower(), FALLBACK)
        return self.overrides.get(name) or payload(name)

    def _handle(self, route: Any) -> None:
        request = route.request
        path = request.url[len(ORIGIN) :].split("?")[0]
        if path == "/":
            route.fulfill(body=self.page, content_type="text/html", headers={"content-security-policy": DEMO_CSP})
        elif path == "/widget.js" or path == "/demo.css":
            kind = "text/javascript" if path.endswith(".js") else "text/css"
            route.fulfill(body=(STATIC / path[1:]).read_text(encoding="utf-8"), content_type=kind)
        elif path == "/api/greeting":
            route.fulfill(json=payload("greeting"))
        elif path == "/api/chat":
            question = json.loads(request.post_data or "{}").get("message", "")
            self.questions.append(question)
            route.fulfill(json=self.reply_for(question))
        elif path == "/api/feedback":
            self.votes.append(json.loads(request.post_data or "{}"))
            route.fulfill(json={"recorded": True})
        else:
            route.fulfill(status=404, body="not found")


def demo_page() -> str:
    """The bundled demo page (its avatar and attributes), pointing at the stand-in widget.js."""
    return (STATIC / "index.html").read_text(encoding="utf-8").replace("{{WIDGET_SRC}}", "/widget.js")


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
RECORD_CSP = (
    "window.__csp = []; document.addEventListener('securitypolicyviolation', e => "
    "window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
)
SHADOW_FOCUS = """() => {
    const active = document.querySelector('[data-faqbot]').shadowRoot.activeElement;
    return active ? (active.id || active.className || active.tagName) : '';
}"""


class Widget:
    """One page with the widget on the stand-in clinic site, plus the recorded API behind it."""

    def __init__(self, page: Any, clinic: RecordedClinic) -> None:
        self.page = page
        self.clinic = clinic

    def open(self) -> None:
        self.page.get_by_role("button", name="Ask a question").click()
        self.page.locator(".panel").wait_for()

    def ask(self, text: str) -> Any:
        """Send a question; the locator of the bot reply to it."""
        replies = self.page.locator(".msg.bot")
        before = replies.count()
        self.page.get_by_label("Your question").fill(text)
        self.page.keyboard.press("Enter")
        replies.nth(before).wait_for()
        return replies.nth(before)

    def focus(self) -> str:
        return str(self.page.evaluate(SHADOW_FOCUS))


def open_widget_page(browser: Any, size: dict[str, int], attributes: dict[str, str], **options: Any) -> Widget:
    """A new browser context on the stand-in clinic page (close it with widget.page.context.close())."""
    context = browser.new_context(viewport=size, **options)
    context.set_default_timeout(5000)
    clinic = RecordedClinic(clinic_page({**DEMO_ATTRIBUTES, **attributes}))
    clinic.install(context)
    page = context.new_page()
    page.add_init_script(RECORD_CSP)
    page.goto(ORIGIN + "/")
    return Widget(page, clinic)


def box_inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    """Whether a bounding box lies within another (half a pixel of rounding allowed)."""
    return (
        inner["x"] >= outer["x"] - 0.5
        and inner["y"] >= outer["y"] - 0.5
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 0.5
    )


def boxes_overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    """Whether two bounding boxes share any area."""
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "number": (int, float),
    "integer": (int,),
    "boolean": (bool,),
    "null": (type(None),),
}


def _type_ok(value: Any, names: str | list[str]) -> bool:
    names = [names] if isinstance(names, str) else names
    # bool is an int in Python, but not a number in JSON Schema.
    if isinstance(value, bool):
        return "boolean" in names
    return any(isinstance(value, _TYPES[n]) for n in names)


def schema_errors(value: Any, schema: dict[str, Any], where: str = "$") -> list[str]:
    """Where a JSON value breaks the subset of JSON Schema the OpenAPI document uses; unknown keys are errors."""
    if "oneOf" in schema:
        matches = sum(not schema_errors(value, option, where) for option in schema["oneOf"])
        return [] if matches == 1 else [f"{where}: matches {matches} of oneOf"]
    if "type" in schema and not _type_ok(value, schema["type"]):
        return [f"{where}: {value!r} is not {schema['type']}"]
    if ("const" in schema and value != schema["const"]) or ("enum" in schema and value not in schema["enum"]):
        return [f"{where}: {value!r} not allowed"]
    errors: list[str] = []
    if isinstance(value, dict) and "properties" in schema:
        errors += [f"{where}: no {key}" for key in schema.get("required", []) if key not in value]
        for key, item in value.items():
            if key not in schema["properties"]:
                errors.append(f"{where}: unknown field {key}")
            else:
                errors += schema_errors(item, schema["properties"][key], f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        if len(value) < schema.get("minItems", 0):
            errors.append(f"{where}: fewer than {schema['minItems']} items")
        for i, item in enumerate(value):
            errors += schema_errors(item, schema["items"], f"{where}[{i}]")
    return errors
