"""Scale benchmark: a synthetic corpus of N Q&A pairs; build time cold and from the embedding cache, peak memory
(RSS) and reply latency (median, p99), each build in a fresh process.

Usage: .venv/bin/python bench/scale_bench.py [--pairs 10000] [--questions 200] [--lexical]
Targets (issue 11): 10,000 pairs build in < 60 s cold and < 5 s from cache, RSS < 1.5 GB, reply p99 < 30 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from faqbot.lexicon import load_lexicon

SECTIONS_PER_DOCUMENT = 50
SAFETY = "Don't use this treatment to delay seeing a healthcare provider about a health problem."


def write_corpus(folder: Path, pairs: int, seed: int = 0) -> list[str]:
    """Markdown documents of made-up sections (questions and paragraphs of real English words); returns a question
    per section, reworded, to ask."""
    chance = random.Random(seed)
    vocabulary = [w for w, z in load_lexicon().zipf.items() if 3.0 <= z <= 5.0 and w.isalpha() and len(w) > 3]
    asked = []
    for document in range((pairs + SECTIONS_PER_DOCUMENT - 1) // SECTIONS_PER_DOCUMENT):
        lines = [f"# Topic {document}", "", f"An overview of topic {document}. {SAFETY}", ""]
        for _ in range(min(SECTIONS_PER_DOCUMENT, pairs - document * SECTIONS_PER_DOCUMENT)):
            subject = " ".join(chance.sample(vocabulary, 3))
            lines += [f"## How does {subject} work?", ""]
            body = [" ".join(chance.sample(vocabulary, 12)).capitalize() + "." for _ in range(4)]
            lines += [" ".join(body), ""]
            asked.append(f"can you tell me how {subject} works")
        (folder / f"topic-{document}.md").write_text("\n".join(lines), encoding="utf-8")
    return asked


def measure(corpus: Path, cache: Path, questions: list[str], lexical: bool) -> dict[str, float]:
    """Run in a child process: build an engine, answer the questions, report times and peak RSS."""
    from faqbot.engine import Engine
    from faqbot.settings import EngineSettings

    started = time.perf_counter()
    engine = Engine.from_folder(corpus, EngineSettings(corpus=corpus, semantic=not lexical, cache_dir=cache))
    build = time.perf_counter() - started
    latencies = []
    for question in questions:
        began = time.perf_counter()
        engine.respond(question)
        latencies.append(time.perf_counter() - began)
    latencies.sort()
    return {
        "build_s": build,
        "reply_p50_ms": statistics.median(latencies) * 1000,
        "reply_p99_ms": latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] * 1000,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--lexical", action="store_true", help="without the semantic layer")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        corpus, cache, questions = args.child
        print(json.dumps(measure(Path(corpus), Path(cache), json.loads(questions), args.lexical)))
        return
    with tempfile.TemporaryDirectory() as temporary:
        corpus, cache = Path(temporary) / "corpus", Path(temporary) / "cache"
        corpus.mkdir()
        asked = write_corpus(corpus, args.pairs)
        questions = random.Random(1).sample(asked, min(args.questions, len(asked)))
        print(f"{args.pairs} pairs, {len(questions)} questions, {'lexical' if args.lexical else 'semantic'}")
        for label in ("cold (no embedding cache)", "from the embedding cache"):
            command = [sys.executable, __file__, "--child", str(corpus), str(cache), json.dumps(questions)]
            output = subprocess.run(
                [*command, *(["--lexical"] if args.lexical else [])], capture_output=True, text=True, check=True
            ).stdout
            figures = json.loads(output)
            print(
                f"{label:26s} build {figures['build_s']:6.1f} s  peak RSS {figures['rss_mb']:7.0f} MB  "
                f"reply p50 {figures['reply_p50_ms']:6.2f} ms  p99 {figures['reply_p99_ms']:6.2f} ms"
            )


if __name__ == "__main__":
    main()
