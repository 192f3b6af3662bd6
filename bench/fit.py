"""Fit the ranking and answer-or-decline weights, faqbot/data/weights.json, from labelled conversations.

Usage: .venv/bin/python bench/fit.py [--check] [--no-cv] [FILE ...]   (default: the fitting files below)

Both models are logistic regressions over the very rows the engine computes (`Engine.observe`, `faqbot.reading`),
each fitted twice: over the lexical features alone and with the sentence-embedding features. Prints 5-fold
cross-validated figures (folds over conversations), then writes the file; with --check it only says whether the
file matches a re-fit. The engine itself never reads a case file.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from faqbot import answerability, reading
from faqbot.corpus import OVERLAY_FILE, read_overlay
from faqbot.dialogue import ConversationState
from faqbot.engine import Engine
from faqbot.evaluate import Case, parse_cases
from faqbot.knowledge import KnowledgeBase
from faqbot.ranking import FEATURES_BY_KIND
from faqbot.weights import BUNDLED, KINDS, FittedWeights, Logistic, load_weights, save_weights

FIT_FILES = ("eval/dev.jsonl", "eval/check.jsonl", "eval/holdout.jsonl", "eval/real.jsonl", "eval/real3.jsonl")
THRESHOLD = 0.55
ANSWERING_FOLDS = 5


@dataclass(frozen=True)
class Example:
    """One labelled question as the engine observes it."""

    observations: dict[str, reading.Observation]
    answers: np.ndarray  # per pair: is it one of the expected sections?
    in_scope: bool


def collect(engine: Engine, cases: list[Case]) -> list[Example]:
    """Every case whose last turn is a question to look up (not an emergency, small talk or 'tell me more')."""
    examples = []
    for case in cases:
        state = None
        for turn in case.turns[:-1]:
            state = engine.respond(turn, state).state
        current = ConversationState.from_any(state, engine.topics)
        question = engine.question_for(case.turns[-1], current)
        if question is None or (case.expect[0].startswith("@") and case.expect[0] != "@none"):
            continue
        lexical, semantic = engine.observe(question, current, engine.index.verbatim(question.words), semantic="always")
        observations = {"lexical": lexical, **({semantic.kind: semantic} if semantic is not None else {})}
        answers = np.array([p.heading in case.expect for p in engine.kb.pairs])
        examples.append(Example(observations, answers, case.in_scope))
    return examples


def without_editors_questions(kb: KnowledgeBase, folder: Path) -> KnowledgeBase:
    """The knowledge base as a clinic's corpus without an overlay reads: no editors' alternates or not-covered
    questions (the alternates generated from headings stay)."""
    added = read_overlay(folder / OVERLAY_FILE).alternates
    pairs = tuple(
        replace(pair, alternates=tuple(a for a in pair.alternates if a not in added.get(pair.id, ())))
        for pair in kb.pairs
    )
    return replace(kb, pairs=pairs, not_covered=())


def fit_ranking(examples: list[Example], kind: str) -> Logistic:
    """Pair-level logistic regression over in-scope questions."""
    rows = [e.observations[kind].rows for e in examples if e.in_scope]
    labels = [e.answers for e in examples if e.in_scope]
    model = LogisticRegression(C=1.0, max_iter=5000).fit(np.vstack(rows), np.concatenate(labels))
    return Logistic(FEATURES_BY_KIND[kind], model.coef_[0], float(model.intercept_[0]))


def answering_rows(engine: Engine, examples: list[Example], kind: str, ranking: Logistic) -> np.ndarray:
    """The answer-or-decline features of each example's best candidate under a ranking model."""
    rows = []
    for e in examples:
        candidates = reading.ranked(e.observations[kind], ranking, engine.pair_table, 3)
        rows.append(reading.answer_row(e.observations[kind], engine.evidence, candidates))
    return np.array(rows)


def out_of_fold_answering_rows(engine: Engine, examples: list[Example], kind: str) -> np.ndarray:
    """The answer-or-decline rows of each example under a ranking model fitted without it: a ranking fitted on a
    question is surer of it than of a new one, and an answering model fitted on such rows over-trusts the ranking."""
    rows = np.zeros((len(examples), len(answerability.FEATURES_BY_KIND[kind])))
    for train, held_out in KFold(ANSWERING_FOLDS, shuffle=True, random_state=1).split(examples):
        ranking = fit_ranking([examples[i] for i in train], kind)
        rows[held_out] = answering_rows(engine, [examples[i] for i in held_out], kind, ranking)
    return rows


def fit_answering(engine: Engine, examples: list[Example], kind: str) -> Logistic:
    """In scope against out of scope, classes balanced, on rows ranked out of fold."""
    rows = out_of_fold_answering_rows(engine, examples, kind)
    labels = np.array([e.in_scope for e in examples])
    model = LogisticRegression(C=1.0, max_iter=5000, class_weight="balanced").fit(rows, labels)
    return Logistic(answerability.FEATURES_BY_KIND[kind], model.coef_[0], float(model.intercept_[0]))


def cross_validate(engine: Engine, examples: list[Example], kind: str) -> str:
    """5-fold figures: ranking top-1, and in-scope right / out-of-scope declined at the default threshold."""
    top1, right, declined = [], [], []
    for train, test in KFold(5, shuffle=True, random_state=0).split(examples):
        fold = [examples[i] for i in train]
        ranking = fit_ranking(fold, kind)
        weights = FittedWeights({kind: ranking}, {kind: fit_answering(engine, fold, kind)})
        for i in test:
            e = examples[i]
            judged = reading.judge(e.observations[kind], engine.pair_table, engine.evidence, weights, THRESHOLD, 3)
            best = judged.candidates[0]
            if e.in_scope:
                top1.append(e.answers[best.position])
                right.append(judged.accepted and e.answers[best.position])
            else:
                declined.append(not judged.accepted)
    return (
        f"{kind:8s} cross-validated ranking top-1 {np.mean(top1):.3f}  in-scope right {np.mean(right):.3f}  "
        f"out-of-scope declined {np.mean(declined):.3f}  ({len(top1)} in scope, {len(declined)} out)"
    )


def fit(engine: Engine, plain: Engine, paths: list[str], cv: bool = True) -> FittedWeights:
    """Both models of every kind on every case of the files: "uncovered" as `engine` reads them (the corpus with its
    overlay), "lexical" and "semantic" as `plain` does (without the editors' questions)."""
    cases = [case for path in paths for case in parse_cases(Path(path).read_text(encoding="utf-8").splitlines())]
    full, bare = collect(engine, cases), collect(plain, cases)
    if "uncovered" not in full[0].observations:
        raise SystemExit("fit: the corpus overlay lists no not_covered questions, so that model cannot be fitted")
    examples = {"lexical": bare, "semantic": bare, "uncovered": full}
    # Each kind's answer rows are computed with the evidence (the pairs' words) of the engine that read its examples.
    engines = {"lexical": plain, "semantic": plain, "uncovered": engine}
    for kind in KINDS if cv else ():
        print(cross_validate(engines[kind], examples[kind], kind))
    ranking = {kind: fit_ranking(examples[kind], kind) for kind in KINDS}
    answering = {kind: fit_answering(engines[kind], examples[kind], kind) for kind in KINDS}
    return FittedWeights(ranking, answering, tuple(paths))


def _close(saved: object, refit: object, tolerance: float = 2e-3) -> bool:
    """Same models, numbers equal to within what a different BLAS build or thread count can move them."""
    if isinstance(saved, dict) and isinstance(refit, dict):
        return saved.keys() == refit.keys() and all(_close(saved[k], refit[k], tolerance) for k in saved)
    if isinstance(saved, list) and isinstance(refit, list):
        return len(saved) == len(refit) and all(_close(a, b, tolerance) for a, b in zip(saved, refit, strict=True))
    if isinstance(saved, float | int) and isinstance(refit, float | int):
        return abs(saved - refit) <= tolerance
    return saved == refit


def main(arguments: list[str]) -> int:
    check, cv = "--check" in arguments, "--no-cv" not in arguments
    paths = [a for a in arguments if not a.startswith("--")] or list(FIT_FILES)
    engine = Engine.from_folder(Path("corpus"))
    if engine.semantic is None:
        print("fit: the semantic layer is not available, so its weights cannot be fitted", file=sys.stderr)
        return 1
    plain = Engine(without_editors_questions(engine.kb, Path("corpus")), engine.settings)
    weights = fit(engine, plain, paths, cv)
    if check:
        current = load_weights(FEATURES_BY_KIND, answerability.FEATURES_BY_KIND)
        same = _close(current.to_json(), weights.to_json())
        print("weights file matches a re-fit" if same else "weights file differs from a re-fit: run bench/fit.py")
        return 0 if same else 1
    save_weights(weights)
    print(f"wrote {BUNDLED}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
