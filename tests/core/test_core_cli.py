"""The faqbot command end to end, through a real subprocess, including its error paths."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("faqbot")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "adapters.cli"]


def faqbot(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COMMAND, *args], input=stdin, capture_output=True, text=True, timeout=60, check=False)


def test_ask_prints_the_answer_with_source_and_disclaimer() -> None:
    result = faqbot("ask", "does acupuncture hurt?")
    assert result.returncode == 0, result.stderr
    assert "You may feel a small prick" in result.stdout and "Source: Acupuncture" in result.stdout
    assert "Please note:" in result.stdout


def test_ask_json_turns_are_one_conversation() -> None:
    result = faqbot("ask", "--json", "what is dry needling?", "does it hurt?")
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(replies) == 2 and replies[1]["answer"]["heading"] == "How does it feel?"
    assert replies[1]["state"]["topic"] == "dry needling"


def test_ask_jsonl_answers_each_line_and_reports_bad_lines() -> None:
    lines = [
        json.dumps({"turns": ["what is dry needling", "does it hurt"]}),
        "{not json",
        json.dumps({"x": 1}),
        json.dumps({"turns": ["I can't breathe"]}),
    ]
    result = faqbot("ask", "--jsonl", stdin="\n".join(lines) + "\n")
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 4 and result.returncode == 1
    assert out[0]["answer"]["heading"] == "How does it feel?"
    assert out[1]["error"].startswith("line 2: not JSON") and "turns" in out[2]["error"]
    assert out[3]["kind"] == "emergency"
    assert "Traceback" not in result.stderr


def test_kb_lists_pairs_and_disclaimers() -> None:
    listing = faqbot("kb")
    assert "acupuncture/does-acupuncture-hurt" in listing.stdout and "26 Q&A pairs" in listing.stdout
    data = json.loads(faqbot("kb", "--json").stdout)
    assert len(data["pairs"]) == 26 and len(data["disclaimers"]) == 6
    assert "Related Articles" in data["dropped_as_furniture"]["dry-needling-vs-acupuncture.txt"]
    assert "[keep-taking-medication]" in faqbot("kb", "--disclaimers").stdout


def test_eval_prints_figures_for_engine_and_baselines(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        "\n".join(
            json.dumps(c)
            for c in [
                {"turns": ["does acupuncture hurt"], "expect": ["Does acupuncture hurt?"], "cat": "paraphrase"},
                {"turns": ["what's the weather"], "expect": ["@none"], "cat": "oos"},
                {"turns": ["I can't breathe"], "expect": ["@emergency"], "cat": "emergency"},
            ]
        )
        + "\n"
    )
    result = faqbot("eval", str(cases))
    assert result.returncode == 0, result.stderr
    for figure in ("in-scope top-1", "out-of-scope declined", "emergencies caught", "latency p99", "tf-idf", "bm25"):
        assert figure in result.stdout
    assert "100.0% (1)" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ask", "--corpus", "/nonexistent/corpus", "hi"), "corpus folder not found"),
        (("ask",), "nothing to ask"),
        (("ask", "   "), "nothing to ask"),
        (("ask", "--jsonl"), "no input"),
        (("eval", "/nonexistent/cases.jsonl"), "cannot read"),
        (("ask", "--config", "/nonexistent/faqbot.toml", "hi"), "cannot read settings file"),
    ],
)
def test_errors_are_one_line_and_non_zero(args: tuple[str, ...], message: str) -> None:
    result = faqbot(*args)
    assert result.returncode != 0
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_bad_eval_file_names_the_line(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"turns": ["hi"], "expect": ["@smalltalk"]}\n{oops\n')
    result = faqbot("eval", str(cases))
    assert result.returncode == 2 and "line 2" in result.stderr


def test_chat_repl_answers_and_quits() -> None:
    result = faqbot("chat", stdin="does acupuncture hurt?\n/help\n/reset\n1\n/quit\n")
    assert result.returncode == 0
    assert "You may feel a small prick" in result.stdout and "/reset" in result.stdout
    assert "\033[" not in result.stdout  # no colour codes when the output is not a terminal
