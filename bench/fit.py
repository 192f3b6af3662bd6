"""Fit the ranking and answer-or-decline weights, faqbot/data/weights.json, from labelled conversations.

Usage: .venv/bin/python bench/fit.py [--check] [--no-cv] [FILE ...]   (default: the fitting files below)

Both models are logistic regressions over the very rows the engine computes (`Engine.observe`, `faqbot.reading`),
each fitted twice: over the lexical features alone and with the sentence-embedding features. Prints 5-fold
cross-validated figures (folds over conversations), then writes the file; with --check it only says whether the
file matches a re-fit. A conversation's earlier turns are answered with the weights in use, so a fit can change what
it was fitted on: the script re-reads and re-fits until a re-fit gives the weights back, or until two weight sets
swap under a re-fit (one follow-up's earlier turn answered one way under one, the other way under the other), when
it keeps the one whose file text sorts first, whatever it started from; --check accepts only what this would keep.
It starts from zero weights when the file lacks a kind or feature, and writes nothing (exit 1) if nothing settles.
The engine itself never reads a case file.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, KFold

from faqbot import answerability, reading
from faqbot.corpus import OVERLAY_FILE, read_overlay
from faqbot.dialogue import ConversationState
from faqbot.engine import Engine
from faqbot.evaluate import Case, parse_cases
from faqbot.knowledge import KnowledgeBase, load_knowledge_base
from faqbot.ranking import FEATURES_BY_KIND
from faqbot.text import char_form
from faqbot.weights import BUNDLED, KINDS, FittedWeights, Logistic, WeightsError, load_weights, save_weights

FIT_FILES = (
    "eval/dev.jsonl",
    "eval/check.jsonl",
    "eval/holdout.jsonl",
    "eval/real.jsonl",
    "eval/real3.jsonl",
    "eval/real5.jsonl",
)
THRESHOLD = 0.55
ANSWERING_FOLDS = 5
OVERLAY_FOLDS = 5
# Rounds of two re-fits each before giving up on weights that a re-fit gives back.
SETTLE_ROUNDS = 4


@dataclass(frozen=True)
class Example:
    """One labelled question as the engine observes it."""

    observations: dict[str, reading.Observation]
    answers: np.ndarray  # per pair: is it one of the expected sections?
    in_scope: bool


def observe(engine: Engine, case: Case) -> Example | None:
    """A case whose last turn is a question to look up (not an emergency, small talk or 'tell me more'), as the
    engine observes it."""
    state = None
    for turn in case.turns[:-1]:
        state = engine.respond(turn, state).state
    current = ConversationState.from_any(state, engine.topics)
    question = engine.question_for(case.turns[-1], current)
    if question is None or (case.expect[0].startswith("@") and case.expect[0] != "@none"):
        return None
    lexical, semantic = engine.observe(question, current, engine.index.verbatim(question.words), semantic="always")
    observations = {"lexical": lexical, **({semantic.kind: semantic} if semantic is not None else {})}
    if engine.lists_not_covered:
        observations["lexical_edited"] = replace(lexical, edited=True)
    answers = np.array([p.heading in case.expect for p in engine.kb.pairs])
    return Example(observations, answers, case.in_scope)


def collect(engine: Engine, cases: list[Case], editors: set[str] | None = None) -> list[Example]:
    """Every case with a question to look up. A case whose question is one of the overlay's `editors` questions
    (character forms; e.g. a real question imported by bench/import_real.py), and every case from the same site as
    one, is read by an engine whose overlay lacks the questions of its site, as a new question would be: an engine
    that finds the question, or its page-mate, among its own alternates is surer than it will be."""
    imported = {i for i, case in enumerate(cases) if char_form(case.turns[-1]) in (editors or set())}
    hosts = {host for i in imported if (host := _host(cases[i]))}
    involved = [i for i, case in enumerate(cases) if i in imported or _host(case) in hosts]
    engines = dict.fromkeys(range(len(cases)), engine)
    for fold in site_folds([cases[i] for i in involved]):
        held_out = [involved[i] for i in fold]
        kb = without_questions(engine.kb, {char_form(cases[i].turns[-1]) for i in held_out})
        engines.update(dict.fromkeys(held_out, Engine(kb, engine.settings, weights=engine.weights)))
    examples = [observe(engines[i], case) for i, case in enumerate(cases)]
    return [example for example in examples if example is not None]


def site_folds(cases: list[Case]) -> list[list[int]]:
    """Up to OVERLAY_FOLDS folds of positions in `cases`, each site's questions in one fold: one clinic's page words
    its questions alike, and a question whose page-mate stays in the overlay is found too easily."""
    sites = [_host(case) or char_form(case.turns[-1]) for case in cases]
    if len(set(sites)) < 2:
        return [list(range(len(cases)))] if cases else []
    splitter = GroupKFold(min(OVERLAY_FOLDS, len(set(sites))))
    return [list(held_out) for _, held_out in splitter.split(cases, groups=sites)]


def _host(case: Case) -> str:
    """The site a real question was found on ("" when the case file doesn't say)."""
    return urlsplit(case.source).netloc


def editors_questions(folder: Path) -> set[str]:
    """The character forms of the overlay's alternates and not-covered questions."""
    overlay = read_overlay(folder / OVERLAY_FILE)
    return {char_form(q) for q in (*overlay.not_covered, *(q for qs in overlay.alternates.values() for q in qs))}


def without_questions(kb: KnowledgeBase, forms: set[str]) -> KnowledgeBase:
    """The knowledge base without the alternates and not-covered questions whose character form is in `forms`."""
    pairs = tuple(
        replace(pair, alternates=tuple(a for a in pair.alternates if char_form(a) not in forms)) for pair in kb.pairs
    )
    return replace(kb, pairs=pairs, not_covered=tuple(q for q in kb.not_covered if char_form(q) not in forms))


def without_editors_questions(kb: KnowledgeBase, folder: Path) -> KnowledgeBase:
    """The knowledge base as a clinic's corpus without an overlay reads: no editors' alternates or not-covered
    questions (the alternates generated from headings stay)."""
    return without_questions(kb, editors_questions(folder))


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
    """Both models of every kind on every case of the files: "uncovered" and "lexical_edited" as `engine` reads them
    (the corpus with its overlay), "lexical" and "semantic" as `plain` does (without the editors' questions)."""
    cases = [case for path in paths for case in parse_cases(Path(path).read_text(encoding="utf-8").splitlines())]
    full, bare = collect(engine, cases, editors_questions(Path("corpus"))), collect(plain, cases)
    if "uncovered" not in full[0].observations:
        raise SystemExit("fit: the corpus overlay lists no not_covered questions, so that model cannot be fitted")
    examples = {"lexical": bare, "lexical_edited": full, "semantic": bare, "uncovered": full}
    # Each kind's answer rows are computed with the evidence (the pairs' words) of the engine that read its examples.
    engines = {"lexical": plain, "lexical_edited": engine, "semantic": plain, "uncovered": engine}
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


def refit(engine: Engine, plain: Engine, paths: list[str], weights: FittedWeights, cv: bool) -> FittedWeights:
    """A fit of the cases as both engines read them with `weights` (the earlier turns of a conversation are answered
    with them, so what the last turn is read with depends on them)."""
    engine.weights = plain.weights = weights
    return fit(engine, plain, paths, cv)


def settle(engine: Engine, plain: Engine, paths: list[str]) -> FittedWeights | None:
    """Weights that a re-fit gives back, from those the engine holds: a fixed point, or of a pair that a re-fit swaps
    (an earlier turn answered one way under one, the other way under the other) the one `_first` picks, whatever the
    start. None if neither shows up within SETTLE_ROUNDS."""
    current = engine.weights
    for _ in range(SETTLE_ROUNDS):
        once = refit(engine, plain, paths, current, cv=False)
        if _close(current.to_json(), once.to_json()):
            return current
        twice = refit(engine, plain, paths, once, cv=False)
        if _close(current.to_json(), twice.to_json()):
            print("fit: a re-fit swaps two sets of weights; keeping the first in file order", file=sys.stderr)
            return min(current, once, key=_first)
        current = twice
    return None


def _first(weights: FittedWeights) -> str:
    """The order that picks one of a swapping pair: their files' text."""
    return json.dumps(weights.to_json(), sort_keys=True)


def settled(engine: Engine, plain: Engine, paths: list[str], saved: FittedWeights, cv: bool) -> bool:
    """Whether `saved` is what `settle` keeps: a re-fit gives it back, or it is the one picked of a swapping pair."""
    once = refit(engine, plain, paths, saved, cv)
    if _close(saved.to_json(), once.to_json()):
        return True
    twice = refit(engine, plain, paths, once, cv=False)
    return _close(saved.to_json(), twice.to_json()) and _first(saved) <= _first(once)


def _starting_weights() -> FittedWeights:
    """The weights file, or, when it lacks a kind or a feature the code now computes, all-zero weights to settle from
    (a fit from zeros reads the cases with every section tied, and the settling rounds take it from there)."""
    try:
        return load_weights(FEATURES_BY_KIND, answerability.FEATURES_BY_KIND)
    except WeightsError as error:
        print(f"fit: starting from zero weights ({error})", file=sys.stderr)
        zero = {kind: Logistic(tuple(f), np.zeros(len(f)), 0.0) for kind, f in FEATURES_BY_KIND.items()}
        answer = {k: Logistic(tuple(f), np.zeros(len(f)), 0.0) for k, f in answerability.FEATURES_BY_KIND.items()}
        return FittedWeights(zero, answer)


def main(arguments: list[str]) -> int:
    check, cv = "--check" in arguments, "--no-cv" not in arguments
    paths = [a for a in arguments if not a.startswith("--")] or list(FIT_FILES)
    engine = Engine(load_knowledge_base(Path("corpus")), weights=_starting_weights())
    if engine.semantic is None:
        print("fit: the semantic layer is not available, so its weights cannot be fitted", file=sys.stderr)
        return 1
    plain = Engine(without_editors_questions(engine.kb, Path("corpus")), engine.settings, weights=engine.weights)
    if check:
        same = settled(engine, plain, paths, load_weights(FEATURES_BY_KIND, answerability.FEATURES_BY_KIND), cv)
        print("weights file matches a re-fit" if same else "weights file differs from a re-fit: run bench/fit.py")
        return 0 if same else 1
    weights = settle(engine, plain, paths)
    if weights is None:
        print(f"fit: the weights did not settle in {SETTLE_ROUNDS} rounds; nothing written", file=sys.stderr)
        return 1
    if cv:
        refit(engine, plain, paths, weights, cv)
    save_weights(weights)
    print(f"wrote {BUNDLED}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
