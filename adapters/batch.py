"""The non-interactive terminal commands `faqbot ask` and `faqbot eval` (`faqbot kb` is in adapters.kb)."""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import math
import sys
from pathlib import Path
from typing import Any, TextIO

from faqbot.baselines import bm25_baseline, tfidf_baseline
from faqbot.engine import Engine
from faqbot.evaluate import IN_SCOPE_CATEGORIES, CaseError, Summary, parse_cases, run_engine, run_retriever

from .errors import UsageError
from .settings import Settings


def ask(args: argparse.Namespace, settings: Settings, out: TextIO | None = None, stdin: TextIO | None = None) -> int:
    """Answer TURNs as one conversation, or each JSON line's conversation with --jsonl."""
    out = out or sys.stdout
    if args.jsonl:
        if args.turns:
            raise UsageError("give TURNs or --jsonl, not both")
        return _ask_jsonl(Engine.from_settings(settings.engine), stdin or _utf8_stdin(), out)
    turns = [turn for turn in args.turns if turn.strip()]
    if not turns:
        raise UsageError('nothing to ask: give at least one TURN, e.g. faqbot ask "does acupuncture hurt?"')
    engine = Engine.from_settings(settings.engine)
    state: dict[str, Any] | None = None
    for number, turn in enumerate(turns):
        reply = engine.respond(turn, state)
        state = reply.state
        if args.json:
            print(json.dumps(reply.to_dict(), ensure_ascii=False), file=out)
        else:
            print(("\n" if number else "") + reply.text, file=out)
    return 0


RequestId = str | int | float


class _BadLine(ValueError):
    """A --jsonl line that cannot be answered, with the request id when the line gave a usable one."""

    def __init__(self, message: str, request_id: RequestId | None = None) -> None:
        super().__init__(message)
        self.request_id = request_id


def _utf8_stdin() -> TextIO:
    """Stdin decoded as UTF-8 whatever the locale, keeping bad bytes so their line alone is reported."""
    stream = sys.stdin
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(encoding="utf-8", errors="surrogateescape")
    return stream


def _ask_jsonl(engine: Engine, stdin: TextIO, out: TextIO) -> int:
    failures = seen = 0
    for number, raw in enumerate(stdin, start=1):
        # Windows tools start UTF-8 files with a byte-order mark; it is not part of the JSON.
        line = raw.removeprefix("\ufeff") if number == 1 else raw
        if not line.strip():
            continue
        seen += 1
        try:
            turns, request_id = _parse_line(line)
        except _BadLine as error:
            failures += 1
            failure: dict[str, Any] = {"error": f"line {number}: {error}", "line": number}
            _emit(failure, error.request_id, out)
            continue
        state: dict[str, Any] | None = None
        for turn in turns:
            reply = engine.respond(turn, state)
            state = reply.state
        _emit(reply.to_dict(), request_id, out)
    if not seen:
        raise UsageError('no input: --jsonl reads lines like {"turns": ["does it hurt?"]} on stdin')
    return 1 if failures else 0


def _emit(result: dict[str, Any], request_id: RequestId | None, out: TextIO) -> None:
    """One output line, carrying the request's id first so scripts can match replies to requests."""
    tagged = result if request_id is None else {"id": request_id, **result}
    print(json.dumps(tagged, ensure_ascii=False), file=out, flush=True)


def _parse_line(line: str) -> tuple[list[str], RequestId | None]:
    if _has_surrogate(line):
        raise _BadLine("not UTF-8 text")
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise _BadLine(f"not JSON ({error.msg})") from None
    except RecursionError:
        raise _BadLine("nested deeper than can be read") from None
    if not isinstance(data, dict):
        raise _BadLine('expected {"turns": ["a question", ...]} with at least one string')
    request_id = data.get("id")
    if request_id is not None and not _usable_id(request_id):
        raise _BadLine("id must be a string or a finite number")
    turns = data.get("turns")
    if not isinstance(turns, list) or not turns or not all(isinstance(t, str) for t in turns):
        raise _BadLine('expected {"turns": ["a question", ...]} with at least one string', request_id)
    if any(_has_surrogate(turn) for turn in turns):
        raise _BadLine("a turn has a lone surrogate escape (like \\ud800), which is not text", request_id)
    return turns, request_id


def _usable_id(value: Any) -> bool:
    # Echoed back, NaN, Infinity or a lone surrogate would make an output line other tools cannot read.
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return not _has_surrogate(value)
    return isinstance(value, int) and not isinstance(value, bool)


def _has_surrogate(text: str) -> bool:
    # Undecodable input bytes arrive as surrogates (surrogateescape), and so do JSON escapes like "\\ud800".
    return any("\ud800" <= char <= "\udfff" for char in text)


def evaluate(args: argparse.Namespace, settings: Settings, out: TextIO | None = None) -> int:
    """Score the engine (and the baselines) on a case file and print the table."""
    out = out or sys.stdout
    cases = _read_cases(args.file)
    engine = Engine.from_settings(settings.engine)
    summaries = [run_engine("faqbot", engine.respond, cases)]
    if not args.no_baselines and engine.semantic is not None:
        lexical = Engine(engine.kb, dataclasses.replace(settings.engine, semantic=False))
        summaries.append(run_engine("lexical", lexical.respond, cases))
    if not args.no_baselines:
        summaries.append(run_retriever("tf-idf", tfidf_baseline(engine.kb.pairs), cases))
        bm25 = bm25_baseline(engine.kb.pairs)
        if bm25 is not None:
            summaries.append(run_retriever("bm25", bm25, cases))
    print(format_table(summaries), file=out)
    if args.failures:
        for outcome in summaries[0].outcomes:
            if not outcome.ok:
                print(
                    f"MISS [{outcome.case.cat}] {outcome.case.turns} -> {outcome.got}; "
                    f"expected {list(outcome.case.expect)}",
                    file=out,
                )
    return 0


def _read_cases(path: Path) -> list[Any]:
    try:
        with path.open(encoding="utf-8") as handle:
            return parse_cases(handle)
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text") from None
    except CaseError as error:
        raise UsageError(f"{path}: {error}") from None


def format_table(summaries: list[Summary]) -> str:
    """One row per figure, one column per system."""
    categories = sorted({o.case.cat for o in summaries[0].outcomes}, key=_category_order)
    rows: list[tuple[str, ...]] = [("figure", "n", *(s.name for s in summaries))]
    for cat in categories:
        rows.append(_rate_row(f"category {cat}", summaries, lambda o, c=cat: o.case.cat == c))
    rows.append(_rate_row("in-scope top-1", summaries, lambda o: o.case.in_scope))
    rows.append(_rate_row("out-of-scope declined", summaries, lambda o: "@none" in o.case.expect))
    rows.append(_rate_row("emergencies caught", summaries, lambda o: "@emergency" in o.case.expect))
    first = summaries[0]
    calm = [o for o in first.outcomes if "@emergency" not in o.case.expect]
    alarms = sum(o.got == "@emergency" for o in calm)
    share = f"{100 * alarms / len(calm):5.1f}% ({alarms})" if calm else "-"
    rows.append(("false alarms", str(len(calm)), share, *("-" for _ in summaries[1:])))
    if any("@caution" in o.case.expect for o in first.outcomes):
        cautioned = _rate_row("red-flag mentions cautioned", summaries[:1], lambda o: "@caution" in o.case.expect)
        rows.append((*cautioned, *("-" for _ in summaries[1:])))
    with_disclaimer = sum(o.has_disclaimer for o in first.outcomes)
    rows.append(
        ("replies with a disclaimer", str(len(first.outcomes)), f"{with_disclaimer}", *("-" for _ in summaries[1:]))
    )
    rows.append(("latency p50 (ms)", "", *(f"{s.latency_ms(0.5):.3f}" for s in summaries)))
    rows.append(("latency p99 (ms)", "", *(f"{s.latency_ms(0.99):.3f}" for s in summaries)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows)


def _rate_row(label: str, summaries: list[Summary], keep: Any) -> tuple[str, ...]:
    cells = []
    total = 0
    for summary in summaries:
        correct, total = summary.rate(keep)
        cells.append(f"{100 * correct / total:5.1f}% ({correct})" if total else "-")
    return (label, str(total), *cells)


def _category_order(cat: str) -> tuple[int, str]:
    order = [*IN_SCOPE_CATEGORIES, "oos", "trap", "emergency", "smalltalk"]
    return (order.index(cat) if cat in order else len(order), cat)
