"""How long the answers shown are: words in the short answer over the answered turns of the evaluation files, and
how often the safety note shown inline is longer than the answer above it (issue 12 targets: median <= 60, 0).

Usage: .venv/bin/python bench/answer_length.py [eval/dev.jsonl eval/check.jsonl ...]
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from faqbot.engine import Engine
from faqbot.evaluate import converse, parse_cases, percentile
from faqbot.excerpt import words_in
from faqbot.models import Reply
from faqbot.settings import EngineSettings

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILES = ("eval/dev.jsonl", "eval/check.jsonl")


def report(name: str, replies: list[Reply]) -> None:
    """Print the figures for one set of replies."""
    answers = [r for r in replies if r.kind == "answer" and r.answer is not None]
    shown = [words_in(r.answer.blocks) for r in answers if r.answer]
    whole = [words_in(r.answer.full_blocks) for r in answers if r.answer]
    boxed = [len(r.disclaimers[0].split()) > n for r, n in zip(answers, shown, strict=True)]
    leads = [r for r in replies if r.kind in ("fallback", "clarify", "smalltalk")]
    boxed_leads = [len(r.disclaimers[0].split()) > len(r.lead.split()) for r in leads]
    truncated = sum(bool(r.answer and r.answer.truncated) for r in answers)
    print(
        f"{name}: {len(answers)} answered turns, words shown median {statistics.median(shown):.0f} "
        f"p90 {percentile(shown, 0.9):.0f} max {max(shown)} (whole sections median {statistics.median(whole):.0f}, "
        f"p90 {percentile(whole, 0.9):.0f}); shortened {truncated}; safety note longer than the answer: "
        f"{sum(boxed)} of {len(answers)} answers, {sum(boxed_leads)} of {len(leads)} declines/small talk"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", default=list(DEFAULT_FILES))
    args = parser.parse_args()
    engine = Engine.from_settings(EngineSettings(corpus=ROOT / "corpus"))
    everything: list[Reply] = []
    for file in args.files:
        cases = parse_cases((ROOT / file).read_text(encoding="utf-8").splitlines())
        replies = [converse(engine.respond, case.turns) for case in cases]
        report(file, replies)
        everything.extend(replies)
    if len(args.files) > 1:
        report("all", everything)


if __name__ == "__main__":
    main()
