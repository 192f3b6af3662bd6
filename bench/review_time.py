"""How long `faqbot review` takes over a few hundred recorded missed questions, and the rest of the editor's loop.

The questions are the single-turn, non-emergency questions of the non-blind eval files (dev, check, holdout, real),
recorded as declined replies in a fresh insights file, each asked once or, every third one, twice. Times: reading
them back, embedding, grouping, the likeliest sections, one accept (overlay edit) and the reload that uses it.

    .venv/bin/python bench/review_time.py [--questions 300]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from faqbot.engine import Engine  # noqa: E402
from faqbot.evaluate import parse_cases  # noqa: E402
from faqbot.grouping import SEMANTIC_THRESHOLD, cluster, semantic_vectoriser  # noqa: E402
from faqbot.insights import Outcome, SQLiteStore  # noqa: E402
from faqbot.review import accept, missed_questions, review_list, section_guesses, with_sections  # noqa: E402
from faqbot.review_marks import ReviewMarks  # noqa: E402
from faqbot.settings import EngineSettings  # noqa: E402

FILES = ("dev", "check", "holdout", "real")
NOW = time.time()


def questions(limit: int) -> list[str]:
    """Distinct single-turn questions that are not emergencies or cautions."""
    found: dict[str, None] = {}
    for name in FILES:
        lines = (ROOT / "eval" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        for case in parse_cases(lines):
            if len(case.turns) == 1 and not {"@emergency", "@caution"} & set(case.expect):
                found.setdefault(case.turns[0], None)
    return list(found)[:limit]


def timed(label: str, work: object, engine: Engine) -> float:
    """Print and return the seconds `work()` takes, the encoder's cache of questions emptied first."""
    if engine.semantic is not None:
        engine.semantic.encoder.query.cache_clear()
    started = time.perf_counter()
    work()  # type: ignore[operator]
    seconds = time.perf_counter() - started
    print(f"  {label:52} {seconds:7.2f} s")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=300)
    args = parser.parse_args()
    asked = questions(args.questions)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        corpus = work / "corpus"
        shutil.copytree(ROOT / "corpus", corpus)
        settings = EngineSettings(corpus=corpus, cache_dir=work / "cache")
        started = time.perf_counter()
        engine = Engine.from_settings(settings)
        print(f"engine built in {time.perf_counter() - started:.2f} s (no cache)")
        store = SQLiteStore(work / "insights.sqlite3")
        for number, text in enumerate(asked):
            for _ in range(2 if number % 3 == 0 else 1):
                store.add_outcome(Outcome(NOW - number, "web", "fallback", None, None, text))
        marks = ReviewMarks(store.path)
        missed = missed_questions(store, NOW - 30 * 86_400)
        print(f"{len(missed)} distinct missed questions, {sum(m.count for m in missed)} recorded")
        assert engine.semantic is not None
        vectorise = semantic_vectoriser(engine.semantic.encoder)
        vectors = vectorise([m.text for m in missed])
        timed("read back from SQLite", lambda: missed_questions(store, NOW - 30 * 86_400), engine)
        timed("embed (all-MiniLM-L6-v2 int8)", lambda: vectorise([m.text for m in missed]), engine)
        groups = cluster(vectors, SEMANTIC_THRESHOLD)
        timed("group (average linkage)", lambda: cluster(vectors, SEMANTIC_THRESHOLD), engine)
        timed(
            "likeliest sections, every group",
            lambda: [section_guesses(engine, [missed[r] for r in g]) for g in groups],
            engine,
        )
        listing = review_list(engine, store, marks, NOW, 30)
        timed(
            "until the first group shows (`faqbot review`)",
            lambda: with_sections(engine, review_list(engine, store, marks, NOW, 30, sections=False).groups[0]),
            engine,
        )
        total = timed(
            "every group with its sections (`faqbot review --json`)",
            lambda: review_list(engine, store, marks, NOW, 30),
            engine,
        )
        sizes = sorted((g.size for g in listing.groups), reverse=True)
        print(f"  {len(listing.groups)} groups; largest {sizes[:5]}; {sum(s == 1 for s in sizes)} of one question")
        group = listing.groups[0]
        timed(
            "accept the largest group (overlay edit)",
            lambda: accept(engine, group, group.sections[0].id, corpus / "overlay.toml", marks, NOW),
            engine,
        )
        timed("rebuild the engine from the edited corpus", lambda: Engine.from_settings(settings), engine)
        print(f"review --json over {len(missed)} questions: {total:.2f} s")
        marks.close()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
