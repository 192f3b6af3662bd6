"""`faqbot report` (issue 14 item 4): the figures from a seeded store, read-only reading, escaping, the command."""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from report_seed import Row, seed, seed_demo

from adapters.cli import main
from faqbot.engine import Engine
from faqbot.insights import DAY_SECONDS, SQLiteStore
from faqbot.knowledge import KnowledgeBase
from faqbot.report import KIND_LABELS, KINDS, Report, SectionRef, build_report, engine_locator, missed_groups
from faqbot.report_data import Records, ReportError, read_records
from faqbot.report_html import render
from faqbot.review import engine_grouping

# 2027-01-15 12:00 UTC, a Friday.
NOW = datetime(2027, 1, 15, 12, tzinfo=UTC).timestamp()


@pytest.fixture
def store_path(tmp_path: Path) -> Iterator[Path]:
    """An insights file path; the store that fills it is closed before the test reads it."""
    yield tmp_path / "insights.sqlite3"


def seeded(path: Path, rows: list[Row]) -> Records:
    store = SQLiteStore(path)
    try:
        seed(store, rows, NOW)
    finally:
        store.close()
    return read_records(path)


def no_section(question: str) -> SectionRef | None:
    return None


def report_of(path: Path, rows: list[Row], kb: KnowledgeBase, days: int | None = 7) -> Report:
    return build_report(seeded(path, rows), kb, no_section, NOW, days)


def test_counts_per_day_per_channel_and_the_other_replies(store_path: Path, kb: KnowledgeBase) -> None:
    a, b = kb.pairs[1].id, kb.pairs[2].id
    rows = [
        Row(0.1, "answer", "web", a),
        Row(0.2, "answer", "web", a),
        Row(0.3, "answer", "web", b),
        Row(0.1, "fallback", "web"),
        Row(0.1, "answer", "slack", a),
        Row(0.2, "clarify", "slack"),
        Row(1.1, "emergency", "web"),
        Row(1.2, "smalltalk", "web"),
        Row(1.3, "contact", "slack"),
        Row(10, "answer", "web", b),  # before the window
    ]
    report = report_of(store_path, rows, kb)
    assert report.bucket == "day"
    assert (report.periods[0].start, report.periods[-1].start) == (date(2027, 1, 8), date(2027, 1, 15))
    assert len(report.periods) == 8  # every day of the window, the empty ones too
    assert report.periods[-1].counts == (4, 1, 1, 0)
    assert report.periods[-2].counts == (0, 0, 0, 1)
    assert report.totals == (4, 1, 1, 1)
    assert report.other == 2
    rates = {c.channel: (c.questions, c.rate) for c in report.channels}
    assert rates == {"web": (4, 0.75), "slack": (2, 0.5)}
    assert [c.channel for c in report.channels] == ["web", "slack"]


def test_a_long_window_is_counted_by_week_from_monday(store_path: Path, kb: KnowledgeBase) -> None:
    rows = [Row(days, "answer", "web", kb.pairs[0].id) for days in (0.1, 2.5, 40, 85, 120)]
    report = report_of(store_path, rows, kb, days=90)
    assert report.bucket == "week"
    assert all(p.start.weekday() == 0 for p in report.periods)
    assert sum(p.counts[0] for p in report.periods) == report.totals[0] == 4
    # Without --days the window starts at the first record.
    assert report_of(store_path, [], kb, days=None).totals[0] == 5


def test_days_are_counted_in_the_clinic_time_zone(store_path: Path, kb: KnowledgeBase) -> None:
    # 12:00 UTC minus 13 h is 23:00 the day before in UTC, still the 15th in UTC+2.
    records = seeded(store_path, [Row(13 / 24, "answer", "web", kb.pairs[0].id)])
    utc = build_report(records, kb, no_section, NOW, 3)
    plus_two = build_report(records, kb, no_section, NOW, 3, tz=timezone(timedelta(hours=2)))
    assert [p.start for p in utc.periods if p.counts[0]] == [date(2027, 1, 14)]
    assert [p.start for p in plus_two.periods if p.counts[0]] == [date(2027, 1, 15)]


def test_missed_questions_group_by_section_with_exact_duplicates_counted_together() -> None:
    price = SectionRef("doc/price", "Fees")
    places = {"how much is it": price, "how much does it cost": price}
    asked = ["How much is it?", "how much is it", "  HOW much, is it ", "How much does it cost", "do you treat dogs"]
    groups = missed_groups(asked, lambda q: places.get(q.strip().rstrip("?").lower())).groups
    assert [(g.section, g.size) for g in groups] == [(price, 4), (None, 1)]
    assert groups[0].examples == (("How much is it?", 3), ("How much does it cost", 1))
    assert missed_groups(asked, lambda q: price, limit=1).groups[0].size == 5
    assert missed_groups(["?!", "   "], no_section).groups == ()


def test_the_engine_places_a_missed_question_under_its_section_or_none(engine: Engine) -> None:
    locate = engine_locator(engine)
    pair = engine.kb.pairs[1]
    assert locate(pair.question) == SectionRef.of(pair)
    assert locate("zzzz qqqq") is None


def test_votes_per_section_with_comments_and_sections_never_asked(store_path: Path, kb: KnowledgeBase) -> None:
    a, b = kb.pairs[1].id, kb.pairs[2].id
    rows = [
        Row(0.5, "answer", "web", a, vote="up"),
        Row(0.4, "answer", "web", a, question="is it safe", vote="down", comment="older"),
        Row(0.3, "answer", "slack", a, vote="down", comment="newer"),
        Row(0.2, "answer", "web", b, vote="up"),
        Row(0.1, "answer", "web", "gone/section", vote="down"),
    ]
    report = report_of(store_path, rows, kb)
    votes = {v.section.id: (v.up, v.down, v.comments, v.known) for v in report.votes}
    assert votes == {
        a: (1, 2, ("newer", "older"), True),
        b: (1, 0, (), True),
        "gone/section": (0, 1, (), False),
    }
    assert report.votes[0].section.id == a  # the most disliked first
    assert {s.id for s in report.unasked} == {p.id for p in kb.pairs} - {a, b}
    assert report.missed_replies == 3 and report.missed_texts == 1  # the thumbs down; one kept its question


def test_missed_replies_without_kept_text_are_counted_not_grouped(store_path: Path, kb: KnowledgeBase) -> None:
    report = report_of(store_path, [Row(0.1, "fallback"), Row(0.2, "clarify"), Row(0.3, "fallback")], kb)
    assert (report.missed_replies, report.missed_texts, report.missed) == (3, 0, ())
    assert "were not kept" in render(report, datetime.fromtimestamp(NOW, UTC))


def test_the_seeded_month_adds_up(store_path: Path, engine: Engine) -> None:
    store = SQLiteStore(store_path)
    rows = seed_demo(store, engine.kb, NOW)
    store.close()
    records = read_records(store_path)
    report = build_report(records, engine.kb, engine_locator(engine), NOW, 30)
    assert len(records.outcomes) == rows
    assert sum(report.totals) + report.other == rows
    assert sum(c.questions for c in report.channels) == sum(report.totals[:3])
    assert sum(g.size for g in report.missed) <= report.missed_texts
    assert report.unasked and len(report.unasked) < report.sections


def test_reading_never_creates_or_changes_a_file(store_path: Path, kb: KnowledgeBase) -> None:
    seeded(store_path, [Row(0.1, "answer", "web", kb.pairs[0].id)])
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in store_path.parent.iterdir()}
    assert len(read_records(store_path).outcomes) == 1
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in store_path.parent.iterdir()}
    assert after == before


def test_reading_while_a_server_writes_sees_the_latest_rows(store_path: Path, kb: KnowledgeBase) -> None:
    store = SQLiteStore(store_path)
    try:
        seed(store, [Row(0.1, "answer", "web", kb.pairs[0].id)], NOW)
        assert len(read_records(store_path).outcomes) == 1
        seed(store, [Row(0.05, "fallback")], NOW)
        assert [o.kind for o in read_records(store_path, since=NOW - DAY_SECONDS).outcomes] == ["answer", "fallback"]
    finally:
        store.close()


def test_a_missing_or_foreign_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="no insights file at") as missing:
        read_records(tmp_path / "nope.sqlite3")
    assert "\n" not in str(missing.value)
    assert list(tmp_path.iterdir()) == []
    text = tmp_path / "notes.txt"
    text.write_text("not a database " * 100)
    with pytest.raises(ReportError, match="cannot read"):
        read_records(text)
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).close()
    with pytest.raises(ReportError, match="faqbot insights file"):
        read_records(other)


def test_patient_text_is_escaped_and_the_page_fetches_and_runs_nothing(store_path: Path, kb: KnowledgeBase) -> None:
    hostile = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    rows = [
        Row(0.1, "fallback", "web", question=hostile),
        Row(0.2, "answer", "<b>chan</b>", kb.pairs[0].id, question=hostile, vote="down", comment=hostile),
    ]
    page = render(report_of(store_path, rows, kb), datetime.fromtimestamp(NOW, UTC))
    assert "<script" not in page and "<img" not in page and "<b>chan" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;b&gt;chan&lt;/b&gt;" in page
    # Nothing outside the file: no links, sources or URLs besides the SVG namespace.
    assert page.count("://") == page.count('xmlns="http://www.w3.org/2000/svg"')
    assert not re.search(r"<[^>]*\s(src|href|action)=", page)
    assert "default-src 'none'" in page


def test_every_chart_is_labelled_for_assistive_technology(store_path: Path, engine: Engine) -> None:
    store = SQLiteStore(store_path)
    seed_demo(store, engine.kb, NOW)
    store.close()
    page = render(build_report(read_records(store_path), engine.kb, no_section, NOW, 30), datetime.now(UTC))
    labelled = page.count('role="img" aria-labelledby=')
    assert labelled == 2 and page.count("<desc id=") == 2
    assert page.count("<svg") == labelled + page.count('aria-hidden="true" focusable="false"')
    # The chart over time has its numbers in a table: one row per day, one column per kind of reply.
    assert all(f'<th scope="col">{KIND_LABELS[kind]}</th>' in page for kind in KINDS)
    assert page.count('<tr><th scope="row">') >= 31


def test_the_command_writes_the_report_and_says_what_it_read(
    store_path: Path, tmp_path: Path, kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    import time

    rows = [Row(0.1, "answer", "web", kb.pairs[0].id), Row(0.2, "fallback", "slack", question="parking?")]
    store = SQLiteStore(store_path)
    seed(store, rows, time.time())
    store.close()
    config = tmp_path / "faqbot.toml"
    config.write_text(f'[insights]\npath = "{store_path}"\n')
    out = tmp_path / "out" / "r.html"
    out.parent.mkdir()
    assert main(["report", "--config", str(config), "--out", str(out), "--days", "7"]) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"wrote {out}: 2 replies (1 answered, 0 clarified, 1 declined, 0 emergencies)")
    assert "parking?" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ((), "no insights file at"),
        (("--days", "0"), "--days must be from 1 to 3660"),
        (("--days", "100000"), "--days must be from 1 to 3660"),
    ],
)
def test_command_errors_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: tuple[str, ...], message: str
) -> None:
    config = tmp_path / "faqbot.toml"
    config.write_text(f'[insights]\npath = "{tmp_path / "none.sqlite3"}"\n')
    assert main(["report", "--config", str(config), "--out", str(tmp_path / "r.html"), *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "r.html").exists() and not (tmp_path / "none.sqlite3").exists()
    assert os.listdir(tmp_path) == ["faqbot.toml"]


def test_missed_questions_group_by_meaning_as_review_groups_them_under_their_most_asked_questions_section() -> None:
    visiting = SectionRef("doc/visiting", "Visiting")
    places = {"where do i park my car": visiting}
    asked = ["is there parking", "Is there parking?", "where do I park my car", "do you treat dogs"]

    def vectorise(texts: Sequence[str]) -> NDArray[np.float32]:
        return np.array([[1.0, 0.0] if "park" in t.lower() else [0.0, 1.0] for t in texts], dtype=np.float32)

    groups = missed_groups(asked, lambda q: places.get(q.lower()), similar=(vectorise, 0.9)).groups
    assert [(g.section, g.size) for g in groups] == [(None, 3), (None, 1)]
    assert groups[0].examples == (("is there parking", 2), ("where do I park my car", 1))
    places["is there parking"] = visiting
    assert missed_groups(asked, lambda q: places.get(q.lower()), similar=(vectorise, 0.9)).groups[0].section == visiting


def test_the_engines_grouping_puts_paraphrases_of_one_missed_question_together(engine: Engine) -> None:
    asked = [
        "can I pay with a credit card",
        "can I pay by card?",
        "is there parking near the clinic",
        "is there parking at the clinic?",
    ]
    groups = missed_groups(asked, engine_locator(engine), similar=engine_grouping(engine)).groups
    assert sorted(g.size for g in groups) == [2, 2]
    assert {q for q, _ in groups[0].examples} in ({*asked[:2]}, {*asked[2:]})


def test_past_the_cap_the_page_says_how_many_missed_questions_were_left_out(
    store_path: Path, kb: KnowledgeBase
) -> None:
    asked = ["is there parking", "is there parking", "where do I park my car", "do you treat dogs"]
    rows = [Row(0.1 * n, "fallback", question=q) for n, q in enumerate(asked)]

    def vectorise(texts: Sequence[str]) -> NDArray[np.float32]:
        return np.array([[1.0, 0.0] if "park" in t.lower() else [0.0, 1.0] for t in texts], dtype=np.float32)

    records = seeded(store_path, rows)
    # Only "is there parking" (asked twice) is clustered: the other parking question joins it, the dogs join nothing.
    report = build_report(records, kb, no_section, NOW, 7, similar=(vectorise, 0.9), cap=1)
    assert [(g.size, g.examples) for g in report.missed] == [
        (3, (("is there parking", 2), ("where do I park my car", 1)))
    ]
    assert (report.missed_distinct, report.missed_clustered, report.missed_left_out) == (3, 1, 1)
    page = render(report, datetime.fromtimestamp(NOW, UTC))
    assert "2 of 3 distinct questions are grouped: the 1 most asked, and 1 less asked that joined" in page
    assert "Left out: 1 less asked, close to no group or beyond the 8,000 most asked." in page
    whole = build_report(records, kb, no_section, NOW, 7, similar=(vectorise, 0.9))
    assert [g.size for g in whole.missed] == [3, 1] and whole.missed_left_out == 0
    assert "distinct questions are grouped" not in render(whole, datetime.fromtimestamp(NOW, UTC))
