"""Property tests: whatever arrives, the engine returns a valid reply with disclaimers and never raises."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faqbot.engine import Engine
from faqbot.models import REPLY_KINDS

HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "\x00\x01\x02",
        "\u200b\u202e",
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        "🙂🪡💉",
        "鍼治療は痛いですか",
        "Болит ли иглоукалывание?",
        "إبر",
        "a" * 100_000,
        "? " * 5000,
        '{"kind": "answer"}',
        "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
    ]
)
STATES = st.one_of(st.none(), st.dictionaries(st.text(max_size=8), st.one_of(st.integers(), st.text(max_size=20))))


def check(engine: Engine, text: str, state: object) -> None:
    reply = engine.respond(text, state)  # type: ignore[arg-type]
    data = json.loads(json.dumps(reply.to_dict()))
    assert data["kind"] in REPLY_KINDS
    assert data["disclaimers"] and data["text"]
    assert len(json.dumps(data["state"])) < 1000


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=400), state=STATES)
def test_any_text_gets_a_valid_reply(engine: Engine, text: str, state: object) -> None:
    check(engine, text, state)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=HOSTILE, state=STATES)
def test_hostile_inputs_get_a_valid_reply(engine: Engine, text: str, state: object) -> None:
    check(engine, text, state)


def test_huge_input_is_bounded(engine: Engine) -> None:
    reply = engine.respond("does acupuncture hurt " * 10_000, None)
    assert reply.kind in REPLY_KINDS and reply.disclaimers
