"""How long `faqbot review` takes over a few hundred recorded missed questions, and the rest of the editor's loop.

The questions are the single-turn, non-emergency questions of the non-blind eval files (dev, check, holdout, real),
recorded as declined replies in a fresh insights file, each asked once or, every third one, twice. Times: reading
them back, embedding, grouping, the likeliest sections, one accept (overlay edit) and the reload that uses it.

With --scale, instead: the time and peak memory of grouping 5,000 and 30,000 distinct synthetic questions (vectors
shaped like the encoder's, asked as often as a long tail is) with the clustering cap, and the full clustering it
replaces where that fits in memory.

    .venv/bin/python bench/review_time.py [--questions 300]
    .venv/bin/python bench/review_time.py --scale [5000,30000]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from faqbot.engine import Engine  # noqa: E402
from faqbot.evaluate import parse_cases  # noqa: E402
from faqbot.grouping import CLUSTER_CAP, SEMANTIC_THRESHOLD, cluster, group_rows, semantic_vectoriser  # noqa: E402
from faqbot.insights import Outcome, SQLiteStore  # noqa: E402
from faqbot.review import accept, missed_questions, review_list, section_guesses, with_sections  # noqa: E402
from faqbot.review_marks import ReviewMarks  # noqa: E402
from faqbot.settings import EngineSettings  # noqa: E402

FILES = ("dev", "check", "holdout", "real")
NOW = time.time()
T = TypeVar("T")
# Full clustering is measured up to this many rows: its square matrices at 5,000 already take ~0.6 GB.
FULL_UP_TO = 5_000


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


def synthetic(count: int, seed: int = 0) -> tuple[np.ndarray, list[int]]:
    """Unit vectors in the encoder's 384 dimensions: two thirds paraphrases of one of count/20 needs (cosine ~0.75 to
    each other, as the encoder's paraphrases are), a third one-offs; times asked from a long tail, most asked first."""
    rng = np.random.default_rng(seed)
    needs = rng.standard_normal((max(count // 20, 1), 384))
    needs /= np.linalg.norm(needs, axis=1, keepdims=True)
    rows = rng.standard_normal((count, 384)) / np.sqrt(384) * 0.58
    paraphrases = rng.random(count) < 2 / 3
    rows[paraphrases] += needs[rng.integers(0, len(needs), int(paraphrases.sum()))]
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    asked = sorted((int(n) for n in np.minimum(rng.zipf(2.0, count), 200)), reverse=True)
    return rows.astype(np.float32), asked


def measured(work: Callable[[], T]) -> tuple[T, float, int]:
    """What `work()` returns, its seconds (untraced) and its peak of Python and NumPy memory (traced, a second run)."""
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        work()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, seconds, peak


def scale(sizes: list[int]) -> None:
    """Print the time and peak memory of grouping each number of synthetic distinct questions."""
    print(f"grouping synthetic questions at cosine {SEMANTIC_THRESHOLD} (cap {CLUSTER_CAP:,} most asked clustered)")
    for count in sizes:
        vectors, asked = synthetic(count)
        grouping, seconds, peak = measured(partial(group_rows, vectors, SEMANTIC_THRESHOLD, asked))
        print(
            f"  {count:>6,} distinct, capped: {seconds:6.2f} s, peak {peak / 2**20:7.1f} MiB; "
            f"{len(grouping.groups):,} groups, {count - len(grouping.left_out):,} grouped, "
            f"{len(grouping.left_out):,} left out"
        )
        if count <= FULL_UP_TO:
            _, seconds, peak = measured(partial(cluster, vectors, SEMANTIC_THRESHOLD, asked))
            print(f"  {count:>6,} distinct, full:   {seconds:6.2f} s, peak {peak / 2**20:7.1f} MiB")
        else:
            square = count * count * 8 / 2**30
            print(f"  {count:>6,} distinct, full:   not run (each {count:,}\u00b2 float64 matrix is {square:.1f} GiB)")
    # ru_maxrss is in KiB on Linux: the process's peak, with Python, NumPy, SciPy and the vectors themselves.
    print(f"process peak resident memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10:.0f} MiB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument(
        "--scale", nargs="?", const="5000,30000", metavar="SIZES", help="time grouping this many synthetic questions"
    )
    args = parser.parse_args()
    if args.scale:
        scale([int(size) for size in args.scale.split(",")])
        return 0
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
