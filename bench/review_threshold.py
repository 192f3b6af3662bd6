"""How `faqbot review`'s grouping thresholds were chosen: pairwise precision and recall of the groups made from eval
questions whose section is known (single-turn cases expecting exactly one section), semantic and lexical.

Two questions put in one group are a true pair when they expect the same section. The threshold kept is the one with
the best F0.5 on the tuning files (precision weighted twice recall): an accepted group's questions all become
alternates of one section, so a wrong member costs more than a group split in two.

    .venv/bin/python bench/review_threshold.py [--tune eval/dev.jsonl eval/check.jsonl] [--test eval/holdout.jsonl]
"""

from __future__ import annotations

import argparse
import sys
from itertools import combinations
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from faqbot.evaluate import parse_cases  # noqa: E402
from faqbot.grouping import Vectors, cluster, lexical_vectors, semantic_vectoriser  # noqa: E402
from faqbot.semantic import Encoder  # noqa: E402


def labelled(files: list[Path]) -> tuple[list[str], list[str]]:
    """The single-turn questions expecting exactly one section, and that section."""
    texts: list[str] = []
    labels: list[str] = []
    for file in files:
        for case in parse_cases(file.read_text(encoding="utf-8").splitlines()):
            expect = [e for e in case.expect if not e.startswith("@")]
            if len(case.turns) == 1 and len(expect) == 1 and len(case.expect) == 1:
                texts.append(case.turns[0])
                labels.append(expect[0])
    return texts, labels


def pairwise(groups: list[list[int]], labels: list[str]) -> tuple[float, float, int]:
    """Precision and recall of same-group pairs against same-label pairs, and the number of groups."""
    together = {(a, b) for group in groups for a, b in combinations(sorted(group), 2)}
    same = {(a, b) for a, b in combinations(range(len(labels)), 2) if labels[a] == labels[b]}
    hits = len(together & same)
    return hits / max(len(together), 1), hits / max(len(same), 1), len(groups)


def f_half(precision: float, recall: float) -> float:
    """F0.5: precision counts twice as much as recall."""
    return 1.25 * precision * recall / (0.25 * precision + recall) if precision + recall else 0.0


def sweep(name: str, vectors: Vectors, labels: list[str], thresholds: list[float]) -> list[tuple[float, float]]:
    rows = []
    for threshold in thresholds:
        precision, recall, count = pairwise(cluster(vectors, threshold), labels)
        rows.append((threshold, f_half(precision, recall)))
        print(
            f"  {name:8} {threshold:.2f}  precision {precision:.3f}  recall {recall:.3f}  "
            f"F0.5 {f_half(precision, recall):.3f}  groups {count}"
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tune", nargs="+", type=Path, default=[ROOT / "eval/dev.jsonl", ROOT / "eval/check.jsonl"])
    parser.add_argument("--test", nargs="+", type=Path, default=[ROOT / "eval/holdout.jsonl"])
    args = parser.parse_args()
    encoder = Encoder()
    for kind, thresholds in (("semantic", np.arange(0.3, 0.86, 0.05)), ("lexical", np.arange(0.1, 0.66, 0.05))):
        chosen = None
        for role, files in (("tune", args.tune), ("test", args.test)):
            texts, labels = labelled(files)
            vectors = semantic_vectoriser(encoder)(texts) if kind == "semantic" else lexical_vectors(texts)
            print(f"{kind}, {role}: {len(texts)} questions, {len(set(labels))} sections")
            grid = [round(float(t), 2) for t in thresholds] if chosen is None else [chosen]
            rows = sweep(kind, vectors, labels, grid)
            if chosen is None:
                chosen = max(rows, key=lambda row: row[1])[0]
                print(f"  chosen {kind} threshold: {chosen:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
