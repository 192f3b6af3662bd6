"""The editor's loop end to end (issue 14's target): patients ask X and are declined, `faqbot review` accepts the
group, and after a reload the engine answers X with that section. Then the command's other ways in and its errors."""

from __future__ import annotations

import io
import json
import shutil
import time
from functools import partial
from pathlib import Path

import pytest

from adapters.cli import main
from adapters.reloading import EngineHolder
from adapters.settings import Settings, load_settings
from faqbot.corpus import read_overlay
from faqbot.insights import Insights
from faqbot.review import review_list

BUNDLED = Path(__file__).resolve().parents[2] / "corpus"
RISKS = "acupuncture/what-are-the-risks-or-complications-of-acupuncture"
# Questions the bundled documents answer (the risks section names punctured organs) that the engine declines.
ASKED = [
    "can an acupuncture needle go into a lung",
    "can an acupuncture needle go into a lung",
    "can the needle reach my lung",
    "is it true needles can hit your lung",
]
OTHER = ["is there parking at the clinic", "is there a car park at the clinic"]


@pytest.fixture
def config(tmp_path: Path, private_cache: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(BUNDLED, corpus)
    path = tmp_path / "faqbot.toml"
    path.write_text(
        f'[engine]\ncorpus = "{corpus}"\ncache_dir = "{private_cache}"\n'
        f'[insights]\npath = "{tmp_path / "insights.sqlite3"}"\nkeep_questions = true\n',
        encoding="utf-8",
    )
    return path


def ask_and_record(settings: Settings, holder: EngineHolder, questions: list[str]) -> list[str]:
    insights = Insights.from_settings(settings.insights)
    kinds: list[str] = []
    for question in questions:
        reply = holder.engine.respond(question)
        assert insights.outcome(reply, "web", question)
        kinds.append(reply.kind)
    insights.close()
    return kinds


def review(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str, keys: str = ""
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(keys))
    status = main(["review", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_declined_questions_are_answered_after_review_and_a_reload(
    config: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_settings(config)
    holder = EngineHolder.from_settings(settings.engine)
    assert set(ask_and_record(settings, holder, ASKED + OTHER)) == {"fallback"}
    started = time.monotonic()
    # The editor presses "a" on the first group: the engine's likeliest section is the one marked *.
    status, out, err = review(capsys, monkeypatch, "--config", str(config), keys="a\n")
    assert status == 0, err
    assert "asked 4 times" in out and " *1) What are the risks or complications of acupuncture?" in out
    assert f"added 3 alternate questions to 'What are the risks or complications of acupuncture?' ({RISKS})" in out
    assert holder.reload()
    elapsed = time.monotonic() - started
    for question in ASKED:
        reply = holder.engine.respond(question)
        assert reply.kind == "answer" and reply.answer is not None and reply.answer.id == RISKS, question
    assert holder.engine.respond(OTHER[0]).kind == "fallback"
    assert elapsed < 120, f"review and reload took {elapsed:.0f} s"
    # The accepted group does not come back; the one skipped (by quitting) does.
    status, out, _ = review(capsys, monkeypatch, "--config", str(config), "--json")
    groups = json.loads(out)["groups"]
    assert status == 0 and [g["size"] for g in groups] == [2] and set(groups[0]["examples"]) == set(OTHER)


def test_json_accept_and_not_covered_from_the_command_line(
    config: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_settings(config)
    ask_and_record(settings, EngineHolder.from_settings(settings.engine), ASKED + OTHER)
    _, out, _ = review(capsys, monkeypatch, "--config", str(config), "--json")
    listing = json.loads(out)
    assert listing["method"] == "semantic" and listing["questions"] == 6
    lung, parking = listing["groups"]
    assert lung["sections"][0]["id"] == RISKS and lung["questions"][0] == {"text": ASKED[0], "count": 2}
    section = "acupuncture/what-happens-during-an-acupuncture-treatment"
    chosen = ["--accept", lung["id"], "--section", section]
    status, out, err = review(capsys, monkeypatch, "--config", str(config), *chosen)
    assert status == 0 and f"({section})" in out, err
    assert "can the needle reach my lung" in (Path(settings.engine.corpus) / "overlay.toml").read_text()
    status, out, _ = review(capsys, monkeypatch, "--config", str(config), "--not-covered", parking["id"])
    assert status == 0 and "not covered" in out
    written = read_overlay(Path(settings.engine.corpus) / "overlay.toml").not_covered
    assert set(parking["examples"]) <= set(written)
    _, out, _ = review(capsys, monkeypatch, "--config", str(config), "--json")
    assert json.loads(out)["groups"] == [] and json.loads(out)["hidden_not_covered"] == 1


def test_the_keyboard_chooses_another_section_skips_and_quits(
    config: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_settings(config)
    ask_and_record(settings, EngineHolder.from_settings(settings.engine), ASKED + OTHER)
    status, out, _ = review(capsys, monkeypatch, "--config", str(config), keys="x\n9\n2\ns\nq\n")
    assert status == 0
    assert "[a] accept for the section marked *" in out  # "x" and "9" are answered with the keys
    assert " *2) " in out and "0 groups accepted, 0 groups not covered, 1 group skipped" in out
    assert "faqbot review" not in (Path(settings.engine.corpus) / "overlay.toml").read_text()


def test_past_the_cap_the_json_and_the_summary_say_how_many_questions_were_left_out(
    config: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_settings(config)
    ask_and_record(settings, EngineHolder.from_settings(settings.engine), [*ASKED, *OTHER, OTHER[1]])
    # The two questions asked twice are clustered. Of the three asked once, "can the needle reach my lung" and the
    # other parking question join their groups; "is it true needles can hit your lung" (0.67 from the lung question
    # asked twice) joins none.
    monkeypatch.setattr("adapters.review.review_list", partial(review_list, cap=2))
    _, out, _ = review(capsys, monkeypatch, "--config", str(config), "--json")
    listing = json.loads(out)
    assert (listing["distinct_questions"], listing["grouped_questions"], listing["left_out_questions"]) == (5, 4, 1)
    assert sorted(sorted(q["text"] for q in g["questions"]) for g in listing["groups"]) == [
        sorted(ASKED[1:3]),
        sorted(OTHER),
    ]
    status, out, _ = review(capsys, monkeypatch, "--config", str(config), keys="q\n")
    assert status == 0
    assert "4 of 5 distinct questions are grouped: the 2 most asked, and 2 less asked that joined one" in out
    assert "left out: 1 less asked, close to no group or beyond the 8,000 most asked." in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--accept", "nope"], "no group 'nope' to review now"),
        (["--section", "x"], "--section goes with --accept GROUP"),
    ],
)
def test_bad_options_are_one_line_errors(
    config: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    settings = load_settings(config)
    ask_and_record(settings, EngineHolder.from_settings(settings.engine), OTHER)
    status, out, err = review(capsys, monkeypatch, "--config", str(config), *args)
    assert status == 2 and out == "" and err.count("\n") == 1 and message in err


def test_nothing_recorded_yet_is_one_line(
    config: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    status, out, err = review(capsys, monkeypatch, "--config", str(config))
    assert status == 2 and out == "" and err.count("\n") == 1 and "no insights file at" in err


def test_an_insights_file_that_is_not_sqlite_is_one_line(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "insights.sqlite3").write_bytes(b"not a database, just some bytes " * 200)
    status, out, err = review(capsys, monkeypatch, "--config", str(config), "--json")
    assert status == 2 and out == "" and err.count("\n") == 1 and "cannot read the insights file" in err


def test_without_kept_questions_the_review_says_how_to_keep_them(
    config: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config.write_text(config.read_text().replace("keep_questions = true", "keep_questions = false"))
    settings = load_settings(config)
    ask_and_record(settings, EngineHolder.from_settings(settings.engine), OTHER)
    status, out, _ = review(capsys, monkeypatch, "--config", str(config))
    assert status == 0 and out.startswith("0 groups of missed questions") and "keep_questions = true" in out
