"""The faqbot command end to end, through a real subprocess, including its error paths."""

from __future__ import annotations

import io
import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from adapters.repl import Style, chat
from faqbot.engine import Engine

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
        "[" * 100_000,
        json.dumps({"turns": ["does acupuncture hurt?"]}),
    ]
    result = faqbot("ask", "--jsonl", stdin="\n".join(lines) + "\n")
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 6 and result.returncode == 1
    assert out[0]["answer"]["heading"] == "How does it feel?"
    assert out[1]["error"].startswith("line 2: not JSON") and "turns" in out[2]["error"]
    assert out[3]["kind"] == "emergency"
    assert out[4]["error"] == "line 5: nested deeper than can be read" and out[5]["kind"] == "answer"
    assert "Traceback" not in result.stderr


def test_ask_jsonl_echoes_ids_and_accepts_a_byte_order_mark() -> None:
    lines = [
        json.dumps({"id": "req-1", "turns": ["does acupuncture hurt?"]}),
        json.dumps({"id": 2, "turns": []}),
        json.dumps({"turns": ["what is dry needling"]}),
        json.dumps({"id": True, "turns": ["hi"]}),
    ]
    result = faqbot("ask", "--jsonl", stdin="\ufeff" + "\n".join(lines) + "\n")
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 4 and result.returncode == 1
    assert out[0]["id"] == "req-1" and out[0]["kind"] == "answer"
    assert out[1]["id"] == 2 and out[1]["error"].startswith("line 2:")
    assert "id" not in out[2] and out[2]["kind"] == "answer"
    assert out[3]["error"] == "line 4: id must be a string or a finite number" and "id" not in out[3]


def test_ask_jsonl_reports_undecodable_lines_without_a_traceback() -> None:
    data = b'\xff{"turns": ["hi"]}\n{"id": 5, "turns": ["\\ud800 hurt"]}\n{"id": "\\udc00", "turns": ["hi"]}\n'
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}  # strict decoding, as under most UTF-8 locales
    result = subprocess.run([*COMMAND, "ask", "--jsonl"], input=data, capture_output=True, env=env, timeout=60)
    out = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert [o["line"] for o in out] == [1, 2, 3] and result.returncode == 1, result.stderr
    assert out[0]["error"] == "line 1: not UTF-8 text" and out[1]["id"] == 5
    assert b"Traceback" not in result.stderr


def test_kb_lists_pairs_and_disclaimers() -> None:
    listing = faqbot("kb")
    assert "acupuncture/does-acupuncture-hurt" in listing.stdout and "26 Q&A pairs" in listing.stdout
    data = json.loads(faqbot("kb", "--json").stdout)
    assert len(data["pairs"]) == 26 and len(data["disclaimers"]) == 6
    assert "Related Articles" in data["dropped_as_furniture"]["dry-needling-vs-acupuncture.txt"]
    editorial = data["dropped_as_editorial"]["dry-needling-vs-acupuncture.txt"]
    assert any(sentence.startswith("Let\u2019s delve deeper") for sentence in editorial)
    pair = next(p for p in data["pairs"] if p["id"] == "dry-needling-vs-acupuncture/how-does-it-feel")
    assert pair["asides"] and all(pair["blocks"][i]["type"] == "paragraph" for i in pair["asides"])
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
        (("ask", "--emergency-number", "abc", "hi"), "setting engine.emergency_number"),
        (("chat", "--emergency-number", "911; rm"), "setting engine.emergency_number"),
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


def test_chat_answers_unknown_commands_and_missing_suggestions_itself() -> None:
    result = faqbot("chat", stdin="needles\n9\n/foo bar\n/quit\n")
    assert result.returncode == 0
    assert "unknown command /foo \u2014 try /help" in result.stdout
    assert "There is no suggestion 9 \u2014 pick 1 to 2, or type a question." in result.stdout
    assert "don't cover" not in result.stdout and "don\u2019t cover" not in result.stdout


def test_chat_ctrl_c_clears_the_line_and_keeps_the_conversation(engine: Engine) -> None:
    out = io.StringIO()

    def pick_hurt() -> str:
        # Whether "does it hurt" is answered or clarified, "Does acupuncture hurt?" is offered: pick it by number.
        return re.findall(r"(\d+)\. Does acupuncture hurt\?", out.getvalue())[-1]

    inputs: list[str | BaseException | Callable[[], str]] = ["does it hurt", KeyboardInterrupt(), pick_hurt, EOFError()]
    prompts: list[str] = []

    def read(prompt: str) -> str:
        prompts.append(prompt)
        item = inputs.pop(0)
        if isinstance(item, BaseException):
            raise item
        return item if isinstance(item, str) else item()

    try:
        status = chat(engine, read, out, Style(False))
    except KeyboardInterrupt:  # escaping, it would stop the whole test run instead of failing this test
        pytest.fail("Ctrl-C at the prompt ended the chat")
    assert status == 0 and len(prompts) == 4 and "You may feel a small prick" in out.getvalue()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and select() on pipes")
def test_chat_survives_sigint_and_quits_with_status_zero() -> None:
    # A suite started in the background of a non-interactive shell ignores SIGINT, and children inherit that; the
    # terminal a person types in does not, so the chat is started as it would be there.
    interactive = [
        sys.executable,
        "-c",
        "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])",
    ]
    child = subprocess.Popen(
        [*interactive, *COMMAND, "chat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        seen = _read_until(child, b"you> ")
        time.sleep(0.2)  # let input() block on the read before the signal arrives
        child.send_signal(signal.SIGINT)
        # The next line goes in only once the interrupted prompt is back, so it cannot race the signal.
        seen += _read_until(child, b"you> \nyou> ", seen)
        stdout, stderr = child.communicate(b"/quit\n", timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, stderr
    assert b"you> \nyou> " in seen + stdout and b"Traceback" not in stderr  # a newline, then a fresh prompt


def _read_until(child: subprocess.Popen[bytes], marker: bytes, already: bytes = b"") -> bytes:
    """What the child writes until `marker` is in `already` plus it (or a minute passes)."""
    assert child.stdout is not None
    seen, deadline = b"", time.monotonic() + 60
    while marker not in already + seen and time.monotonic() < deadline:
        if select.select([child.stdout], [], [], 1)[0]:
            chunk = os.read(child.stdout.fileno(), 4096)
            if not chunk:
                break
            seen += chunk
    return seen


def test_version_is_the_installed_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib import metadata

    from adapters.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"faqbot {metadata.version('faqbot')}"
