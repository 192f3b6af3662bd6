"""Fit the answerability weights in faqbot/answerability.py from a labelled case file (logistic regression).

Usage: .venv/bin/python bench/fit_answerability.py eval/dev.jsonl eval/check.jsonl eval/holdout.jsonl
The model learns in scope (the documents answer the question) against out of scope, classes balanced. Printed
figures count an in-scope case right only when it is answered and the ranking's best candidate is one of its
expected headings: 5-fold cross-validated in-scope top-1 and out-of-scope declined at several thresholds, then the
coefficients to copy. The engine never reads the case files.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from faqbot import answerability
from faqbot.dialogue import ConversationState, strip_pleasantries
from faqbot.engine import Engine
from faqbot.evaluate import parse_cases
from faqbot.ranking import off_topic

THRESHOLDS = (0.3, 0.4, 0.5, 0.55, 0.6, 0.7, 0.8)


def collect(engine: Engine, paths: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Feature rows, labels, in-scope flags and topic agreement for every retrieval case (emergencies and small
    talk skipped)."""
    rows, labels, in_scope, allowed = [], [], [], []
    for path in paths:
        with Path(path).open(encoding="utf-8") as handle:
            cases = [c for c in parse_cases(handle) if c.expect[0] not in ("@emergency", "@smalltalk")]
        for case in cases:
            state = None
            for turn in case.turns[:-1]:
                state = engine.respond(turn, state).state
            current = ConversationState.from_any(state, engine.topics)
            query, context, candidates = engine.candidates(strip_pleasantries(case.turns[-1]), current)
            best, second = candidates[0], candidates[1]
            rows.append(answerability.features(query, engine.evidence, best.position, best.score, second.score))
            wrong_topic = off_topic(query, context, best.pair)
            labels.append(case.in_scope and best.pair.heading in case.expect and not wrong_topic)
            allowed.append(not wrong_topic)
            in_scope.append(case.in_scope)
    return np.array(rows), np.array(labels), np.array(in_scope), np.array(allowed)


def main(paths: list[str]) -> None:
    engine = Engine.from_folder(Path("corpus"))
    x, y, in_scope, allowed = collect(engine, paths)
    print(f"cases {len(y)}  in scope {in_scope.sum()}  ranked right {y.sum()}")
    scores = np.zeros(len(y))
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(x, in_scope):
        scores[test] = _fit(x[train], in_scope[train]).predict_proba(x[test])[:, 1]
    for threshold in THRESHOLDS:
        answered = (scores >= threshold) & allowed
        print(
            f"threshold {threshold:.2f}: cross-validated in-scope top-1 {np.mean((y & answered)[in_scope]):.3f}"
            f"  out-of-scope declined {np.mean(~answered[~in_scope]):.3f}"
        )
    model = _fit(x, in_scope)
    names = answerability.FEATURES
    print("WEIGHTS = {" + ", ".join(f'"{n}": {w:.3f}' for n, w in zip(names, model.coef_[0], strict=True)) + "}")
    print(f"INTERCEPT = {model.intercept_[0]:.3f}")


def _fit(x: np.ndarray, y: np.ndarray) -> LogisticRegression:
    return LogisticRegression(C=1.0, max_iter=5000, class_weight="balanced").fit(x, y)


if __name__ == "__main__":
    main(sys.argv[1:] or ["eval/dev.jsonl", "eval/check.jsonl", "eval/holdout.jsonl"])
