"""Insights (issue 14 item 2): the store contract, the recording policy, expiry, settings and the scrubber."""

from __future__ import annotations

import dataclasses
import multiprocessing
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.settings import settings_from_mapping
from faqbot.insights import DAY_SECONDS, Feedback, Insights, InsightsStore, Outcome, SQLiteStore
from faqbot.models import Answer, Reply
from faqbot.scrub import scrub
from faqbot.settings import InsightsSettings, SettingsError

NOW = 1_800_000_000.0


@pytest.fixture(params=["sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[InsightsStore]:
    """Every InsightsStore implementation (a server database would be added here)."""
    kept = SQLiteStore(tmp_path / "insights.sqlite3")
    yield kept
    kept.close()


def reply(kind: str = "answer", answer_id: str | None = "a1", confidence: float = 0.81234) -> Reply:
    answer = None
    if answer_id is not None:
        answer = Answer(answer_id, "Q?", "H", "body", "T", "f.md", None, confidence)
    return Reply(kind, "the reply text", ("note",), {}, answer=answer)  # type: ignore[arg-type]


def insights(store: InsightsStore, keep: bool = False, clock: list[float] | None = None) -> Insights:
    times = clock if clock is not None else [NOW]
    return Insights(store, InsightsSettings(keep_questions=keep), clock=lambda: times[0])


def test_the_store_keeps_rows_in_order_and_expires_only_text(store: InsightsStore) -> None:
    store.add_outcome(Outcome(NOW - 10, "web", "fallback", None, None, "old question"))
    store.add_outcome(Outcome(NOW, "slack", "answer", "a1", 0.9))
    store.add_feedback(Feedback(NOW - 10, "web", "a1", "down", comment="c", question="q"))
    store.add_feedback(Feedback(NOW, "web", "a1", "up", confidence=0.9))
    assert [o.channel for o in store.outcomes()] == ["web", "slack"]
    assert store.expire(NOW - 5) == 2
    assert store.expire(NOW - 5) == 0
    assert store.outcomes()[0] == Outcome(NOW - 10, "web", "fallback", None, None, None)
    assert store.feedback() == [
        Feedback(NOW - 10, "web", "a1", "down"),
        Feedback(NOW, "web", "a1", "up", confidence=0.9),
    ]


def test_a_comment_is_added_once_to_a_thumbs_down_only(store: InsightsStore) -> None:
    down = store.add_feedback(Feedback(NOW, "slack", "a1", "down"))
    up = store.add_feedback(Feedback(NOW, "slack", "a1", "up"))
    assert down != up
    assert not store.add_comment(up, "x")
    assert store.add_comment(down, "first")
    assert not store.add_comment(down, "second")
    assert not store.add_comment(999, "none")
    assert [f.comment for f in store.feedback()] == ["first", None]


def test_comments_through_insights_are_one_scrubbed_line(store: InsightsStore) -> None:
    kept = insights(store)
    vote = kept.vote("slack", "a1", "down")
    assert vote is not None
    assert not kept.comment(vote, "   ")
    assert kept.comment(vote, "call\n07700 900123  " + "x" * 300)
    comment = store.feedback()[0].comment
    assert comment is not None and comment.startswith("call [number] x") and "\n" not in comment


def test_a_lone_surrogate_from_a_json_client_is_stored_not_lost(store: InsightsStore) -> None:
    kept = insights(store, keep=True)
    assert kept.vote("web", "a1", "down", comment="bad \ud83d", question="why \ud800?") is not None
    assert kept.outcome(reply("fallback", None), "web", "\ud800 asdfgh")
    assert store.feedback()[0].comment == "bad ?" and store.feedback()[0].question == "why ??"
    assert store.outcomes()[0].question == "? asdfgh"


def test_the_store_refuses_a_vote_that_is_neither_up_nor_down(store: InsightsStore) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.add_feedback(Feedback(NOW, "web", "a1", "sideways"))  # type: ignore[arg-type]


def test_sqlite_is_in_wal_mode_and_threads_lose_nothing(tmp_path: Path) -> None:
    kept = SQLiteStore(tmp_path / "x.sqlite3")
    try:

        def write() -> None:
            for _ in range(100):
                kept.add_outcome(Outcome(NOW, "web", "answer", "a1", 0.5))

        threads = [threading.Thread(target=write) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(kept.outcomes()) == 800
    finally:
        kept.close()
    with sqlite3.connect(tmp_path / "x.sqlite3") as check:
        assert check.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    check.close()


def _write_many(path: str) -> None:
    kept = SQLiteStore(Path(path))
    for _ in range(200):
        kept.add_feedback(Feedback(NOW, "web", "a1", "up"))
    kept.close()


def test_sqlite_is_safe_with_several_processes(tmp_path: Path) -> None:
    path = str(tmp_path / "p.sqlite3")
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_write_many, args=(path,)) for _ in range(3)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
        process.close()
    kept = SQLiteStore(Path(path))
    assert len(kept.feedback()) == 600
    kept.close()


def test_no_question_text_unless_the_clinic_keeps_them(store: InsightsStore) -> None:
    off = insights(store)
    assert off.outcome(reply("fallback", None), "web", "my name is Jo Bloggs, do you do cupping?")
    assert off.vote("web", "a1", "down", question="is it safe", comment="")
    assert [o.question for o in store.outcomes()] == [None]
    assert store.feedback()[0].question is None
    assert store.outcomes()[0] == Outcome(NOW, "web", "fallback", None, None)


def test_kept_questions_are_scrubbed_and_only_for_declines_clarifications_and_thumbs_down(
    store: InsightsStore,
) -> None:
    on = insights(store, keep=True)
    on.outcome(reply("fallback", None), "web", "my name is Jo Bloggs, do you do cupping? call 07700 900123")
    on.outcome(reply("clarify", None), "slack", "needles")
    on.outcome(reply("answer"), "web", "how does acupuncture work?")
    on.outcome(reply("emergency", None), "web", "crushing chest pain")
    on.vote("web", "a1", "down", confidence=0.7, comment="prices, mail jo@example.com", question="cost on 3 May?")
    on.vote("web", "a1", "up", question="kept only on a thumbs down")
    assert [o.question for o in store.outcomes()] == [
        "my name is [name], do you do cupping? call [number]",
        "needles",
        None,
        None,
    ]
    assert store.outcomes()[2].answer_id == "a1" and store.outcomes()[2].confidence == 0.8123
    down, up = store.feedback()
    assert (down.comment, down.question, down.confidence) == ("prices, mail [email]", "cost on [date]?", 0.7)
    assert up.question is None


def test_text_is_deleted_after_retention_days_at_start_and_on_write(store: InsightsStore) -> None:
    clock = [NOW]
    first = insights(store, keep=True, clock=clock)
    first.outcome(reply("fallback", None), "web", "an old question")
    clock[0] = NOW + 31 * DAY_SECONDS
    insights(store, keep=True, clock=clock)  # a start expires
    assert store.outcomes()[0].question is None
    first.outcome(reply("fallback", None), "web", "a newer question")
    clock[0] = NOW + 62 * DAY_SECONDS
    first.outcome(reply("fallback", None), "web", "the newest")  # a write an hour or more after the last expiry
    assert [o.question for o in store.outcomes()] == [None, None, "the newest"]


class BrokenStore(SQLiteStore):
    def add_outcome(self, outcome: Outcome) -> None:
        raise sqlite3.OperationalError("database is locked")


def test_a_store_error_is_logged_by_class_and_never_raised(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    broken = BrokenStore(tmp_path / "b.sqlite3")
    try:
        assert not insights(broken, keep=True).outcome(reply("fallback", None), "web", "a secret question")
    finally:
        broken.close()
    assert "OperationalError" in caplog.text and "secret" not in caplog.text


def test_settings_read_the_insights_table_and_refuse_bad_values() -> None:
    settings = settings_from_mapping({"insights": {"path": "/tmp/i.db", "keep_questions": True, "retention_days": 7}})
    assert settings.insights == InsightsSettings(Path("/tmp/i.db"), True, 7)
    assert dataclasses.replace(settings.insights, retention_days=30) == InsightsSettings(Path("/tmp/i.db"), True)
    for bad in ({"retention_days": 0}, {"keep_questions": "yes"}, {"path": ""}, {"kept": True}):
        with pytest.raises(SettingsError) as error:
            settings_from_mapping({"insights": bad})
        assert "\n" not in str(error.value) and "insights" in str(error.value)


def test_an_unusable_file_is_a_one_line_settings_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    for path in (tmp_path / "file" / "insights.sqlite3", tmp_path / "file"):
        with pytest.raises(SettingsError) as error:
            Insights.from_settings(InsightsSettings(path))
        assert "\n" not in str(error.value) and "[insights] path" in str(error.value)


def test_the_default_file_is_in_the_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert InsightsSettings().path == tmp_path / "faqbot" / "insights.sqlite3"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my name is jo smith and I have back pain", "my name is [name] and I have back pain"),
        ("Hi, I'm Sarah Jones, is acupuncture safe?", "Hi, I'm [name], is acupuncture safe?"),
        ("I\u2019m Sam", "I\u2019m [name]"),
        ("I'm pregnant, can I have acupuncture?", "I'm pregnant, can I have acupuncture?"),
        ("I am worried about needles", "I am worried about needles"),
        ("call me on 07700 900123 or +44 (0)20 7946 0000", "call me on [number] or [number]"),
        ("email jo.smith+x@example.co.uk", "email [email]"),
        ("born 12/03/1985, seen on 3rd of March 2024 and June 5", "born [date], seen on [date] and [date]"),
        ("born in 1985", "born in [date]"),
        ("my NHS number is 943 476 5919", "my NHS number is [number]"),
        ("Dr Patel said 6 sessions", "Dr [name] said 6 sessions"),
        ("I live at LS1 1AA", "I live at [postcode]"),
        ("see https://clinic.example/x?id=42", "see [link]"),
        ("<@U12345> asked", "[user] asked"),
        ("is it OK at 30 weeks? 2 or 3 times a week?", "is it OK at 30 weeks? 2 or 3 times a week?"),
        ("this is painful", "this is painful"),
    ],
)
def test_the_scrubber_removes_what_identifies_people_and_keeps_the_question(text: str, expected: str) -> None:
    assert scrub(text) == expected
