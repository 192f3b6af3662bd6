"""Engine benchmark: corpus -> index time, reply latency (median, p99) and memory, with baselines in-process.

Usage: .venv/bin/python bench/engine_bench.py [--rounds N] [--cases eval/dev.jsonl]
Targets: with the semantic layer median reply < 5 ms, p99 < 20 ms; lexical only median < 1 ms (issue 11); red-flag
triage adds < 0.3 ms median (issue 10); corpus -> index < 1 s.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from faqbot.baselines import bm25_baseline, tfidf_baseline
from faqbot.engine import Engine
from faqbot.evaluate import parse_cases, percentile
from faqbot.knowledge import load_knowledge_base
from faqbot.lexicon import load_lexicon
from faqbot.safety import default_reader
from faqbot.settings import EngineSettings

ROOT = Path(__file__).resolve().parent.parent


def timed(call: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock seconds of each call."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="passes over the questions")
    parser.add_argument("--cases", type=Path, default=ROOT / "eval" / "dev.jsonl")
    args = parser.parse_args()
    corpus = ROOT / "corpus"
    with args.cases.open(encoding="utf-8") as handle:
        questions = [turn for case in parse_cases(handle) for turn in case.turns]

    def fresh_lexicon() -> None:
        load_lexicon.cache_clear()
        load_lexicon()

    lexicon_load = timed(fresh_lexicon, 5)
    gc.collect()
    load_lexicon.cache_clear()
    tracemalloc.start()
    load_lexicon()
    _, lexicon_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    Engine.from_folder(corpus)  # warm imports and caches so the build figure measures the build
    build = timed(lambda: Engine.from_folder(corpus), 10)
    extract = timed(lambda: load_knowledge_base(corpus), 10)
    gc.collect()
    tracemalloc.start()
    engine = Engine.from_folder(corpus)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    lexical = Engine(engine.kb, EngineSettings(semantic=False))
    reader = default_reader()
    systems: dict[str, Callable[[str], object]] = {
        "faqbot respond": lambda q: engine.respond(q, None),
        "lexical respond": lambda q: lexical.respond(q, None),
        "red-flag triage": reader.read,
        "tf-idf baseline": tfidf_baseline(engine.kb.pairs),
    }
    bm25 = bm25_baseline(engine.kb.pairs)
    if bm25 is not None:
        systems["bm25 baseline"] = bm25
    latencies: dict[str, list[float]] = {name: [] for name in systems}
    for _ in range(args.rounds):
        if engine.semantic is not None:
            # Every round embeds its questions afresh: a repeated question would only measure the query cache.
            engine.semantic.encoder.query.cache_clear()
        for question in questions:
            for name, system in systems.items():
                started = time.perf_counter()
                system(question)
                latencies[name].append(time.perf_counter() - started)

    print(f"questions: {len(questions)} x {args.rounds} rounds (eval turns, each system interleaved)")
    print(
        f"corpus -> index (Engine.from_folder): median {statistics.median(build) * 1000:.1f} ms, "
        f"max {max(build) * 1000:.1f} ms; of which extraction {statistics.median(extract) * 1000:.1f} ms"
    )
    print(
        f"English word list (loaded once per process): median {statistics.median(lexicon_load) * 1000:.1f} ms, "
        f"{lexicon_peak / 1e6:.1f} MB traced"
    )
    print(
        f"engine build peak traced memory: {peak / 1e6:.1f} MB; process max RSS "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    base = statistics.median(latencies["tf-idf baseline"])
    print(f"{'system':<18}{'median ms':>10}{'p99 ms':>10}{'max ms':>10}{'x tf-idf':>10}")
    for name, values in latencies.items():
        median = statistics.median(values)
        print(
            f"{name:<18}{median * 1000:>10.3f}{percentile(values, 0.99) * 1000:>10.3f}"
            f"{max(values) * 1000:>10.3f}{median / base:>10.2f}"
        )


if __name__ == "__main__":
    main()
