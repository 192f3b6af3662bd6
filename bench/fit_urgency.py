"""Fit the learned "emergency happening now" model, faqbot/data/urgency.json.gz, from the development safety files.

Usage: .venv/bin/python bench/fit_urgency.py [--check] [FILE ...]   (default: the fitting files below)

Each file is held out in turn and the model fitted on the others; the thresholds the engine acts on are then
chosen over those held-out scores: the emergency reply when the model alone gives more than `alone`, or when a
red-flag rule reads a mention as happening now and the model gives at least `confirm` (or the message is shorter
than `min_words`, or the flag is one the model may not overrule). Within the false-alarm limits,
the thresholds with the most emergencies caught minus false alarms, counted in messages, win (a tie goes to more
caught). The model is then fitted on every file and written.
With --check it only says whether the file matches a re-fit. Blind files are never read here.
"""

from __future__ import annotations

import itertools
import math
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

from faqbot.evaluate import parse_cases
from faqbot.safety import RedFlagReader, current_tails, told_now
from faqbot.text import clean_input
from faqbot.urgency import BUNDLED, Thresholds, UrgencyModel, grams, load_model, save_model, weighted

# Messages about red flags, half of them emergencies, and everyday questions, so the model learns both what an
# emergency sounds like and that "hi" or "and afterwards?" is none.
SAFETY_FILES = ("eval/safety.jsonl", "eval/safety2.jsonl", "eval/safety3.jsonl", "eval/safety5.jsonl")
EVERYDAY_FILES = ("eval/dev.jsonl", "eval/check.jsonl", "eval/holdout.jsonl", "eval/real.jsonl")
FIT_FILES = SAFETY_FILES + EVERYDAY_FILES
STRENGTH = 4.0  # the inverse regularisation C, as the leave-one-file-out trial (bench/triage_trial.py) used
MIN_FILES = 2  # an n-gram seen in fewer messages is too rare to weigh
MAX_FALSE_ALARMS = 0.03  # among messages that mention red flags
MAX_EVERYDAY_FALSE_ALARMS = 0.005  # among everyday questions
ALONE = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
CONFIRM = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5)
MIN_WORDS = (0, 4, 6, 8)


@dataclass(frozen=True)
class Labelled:
    """One file's messages as the engine reads them, whether each is an emergency, and the rules' reading."""

    normal: list[str]
    clauses: list[tuple[str, ...]]  # each message from each clause a rule read as happening now
    emergency: NDArray[np.bool_]
    rules: NDArray[np.bool_]
    undoubted: NDArray[np.bool_]  # the rules read a flag the model may not overrule (or the reading is never weighed)
    everyday: bool  # a file of everyday questions, not of red-flag messages


def load(path: str) -> Labelled:
    """A case file's last turns, normalised as the red-flag reader normalises them, and the rules' own reading."""
    reader = RedFlagReader()  # the rules without any model, so the fit never leans on an earlier fit
    cases = parse_cases(Path(path).read_text(encoding="utf-8").splitlines())
    normal, clauses, emergency, rules, undoubted = [], [], [], [], []
    for case in cases:
        text = clean_input(case.turns[-1], 100_000)
        earlier = case.turns[-2] if len(case.turns) > 1 else None
        triage = reader.read(text, earlier)
        # "It's happening now" after a red-flag question is read from the earlier turn and never weighed.
        ongoing = triage.current and not reader.read(text).current
        normal.append(reader.normalise(text))
        clauses.append(current_tails(normal[-1], reader.read(text)))
        emergency.append(case.expect == ("@emergency",))
        rules.append(triage.current)
        current = [reader.flags[m.flag] for m in triage.mentions if m.status == "current" and m.flag in reader.flags]
        undoubted.append(ongoing or any(flag.undoubted for flag in current) or told_now(normal[-1], triage))
    everyday = path not in SAFETY_FILES
    return Labelled(normal, clauses, np.array(emergency), np.array(rules), np.array(undoubted), everyday)


def fit(normal: Sequence[str], emergency: NDArray[np.bool_], names: Sequence[str] = ()) -> UrgencyModel:
    """A model fitted on normalised messages (thresholds left at 0.5 / 0: the caller chooses them)."""
    counted = [grams(text) for text in normal]
    frequency: Counter[str] = Counter(gram for counts in counted for gram in counts)
    total = len(counted)
    idf = {g: math.log((1 + total) / (1 + n)) + 1 for g, n in sorted(frequency.items()) if n >= MIN_FILES}
    columns = {gram: column for column, gram in enumerate(idf)}
    rows, cols, values = [], [], []
    for row, counts in enumerate(counted):
        for gram, value in weighted(counts, idf).items():
            rows.append(row)
            cols.append(columns[gram])
            values.append(value)
    matrix = csr_matrix((values, (rows, cols)), shape=(total, len(columns)))
    model = LogisticRegression(C=STRENGTH, max_iter=5000, class_weight="balanced").fit(matrix, emergency)
    weights = dict(zip(idf, (float(w) for w in model.coef_[0]), strict=True))
    return UrgencyModel(idf, weights, float(model.intercept_[0]), Thresholds(), tuple(names))


Scores = tuple[NDArray[np.float64], NDArray[np.float64]]  # each message's probability, and its clauses' support


def decide(scores: Scores, labelled: Labelled, thresholds: Thresholds) -> NDArray[np.bool_]:
    """The emergency reply for each message, as the engine decides it."""
    rows = zip(*scores, labelled.rules, labelled.undoubted, labelled.normal, strict=True)
    verdicts = [
        thresholds.now(float(p), float(support), bool(now), bool(undoubted), len(text.split()))
        for p, support, now, undoubted, text in rows
    ]
    return np.array(verdicts, dtype=bool)


def held_out(data: dict[str, Labelled]) -> dict[str, Scores]:
    """Each file's probabilities (and clause support, as `RedFlagReader` weighs it) from a model fitted on the
    other files."""
    scores = {}
    for path, labelled in data.items():
        rest = [other for name, other in data.items() if name != path]
        model = fit([t for other in rest for t in other.normal], np.concatenate([other.emergency for other in rest]))
        whole = [model.probability(text) for text in labelled.normal]
        support = [max([p, *map(model.probability, c)]) for p, c in zip(whole, labelled.clauses, strict=True)]
        scores[path] = (np.array(whole), np.array(support))
    return scores


def rates(decided: NDArray[np.bool_], emergency: NDArray[np.bool_]) -> tuple[float, float]:
    """Share of emergencies caught and share of the others given the emergency reply."""
    caught = float(decided[emergency].mean()) if emergency.any() else 1.0
    false_alarms = float(decided[~emergency].mean()) if (~emergency).any() else 0.0
    return caught, false_alarms


def pooled(
    data: dict[str, Labelled], scores: dict[str, Scores], thresholds: Thresholds, everyday: bool
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """The decisions and labels of every message of the red-flag files (or of the everyday files)."""
    group = {path: labelled for path, labelled in data.items() if labelled.everyday == everyday}
    decided = {path: decide(scores[path], labelled, thresholds) for path, labelled in group.items()}
    return _grouped(group, decided, everyday)


def _grouped(
    data: dict[str, Labelled], decided: dict[str, NDArray[np.bool_]], everyday: bool
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """The decisions and labels of the red-flag files (or of the everyday files), end to end."""
    chosen = [path for path, labelled in data.items() if labelled.everyday == everyday]
    return np.concatenate([decided[path] for path in chosen]), np.concatenate([data[path].emergency for path in chosen])


def choose(data: dict[str, Labelled], scores: dict[str, Scores]) -> Thresholds:
    """The thresholds that do best on held-out scores within the false-alarm limits, printing each option."""
    rules_only = {path: (np.zeros(len(d.normal)), np.where(d.rules, 1.0, 0.0)) for path, d in data.items()}
    caught, false_alarms = rates(*pooled(data, rules_only, Thresholds(0.5, 1.0), everyday=False))
    print(f"rules alone: caught {caught:.3f}, false alarms {false_alarms:.3f} (red-flag files)")
    best: tuple[tuple[int, int, int], Thresholds] | None = None
    for alone, confirm, min_words in itertools.product(ALONE, CONFIRM, MIN_WORDS):
        thresholds = Thresholds(alone, confirm, min_words)
        # Each file decided once; the pooled figures, the per-file ones and the counts all read these.
        decided = {path: decide(scores[path], labelled, thresholds) for path, labelled in data.items()}
        groups = {everyday: _grouped(data, decided, everyday) for everyday in (False, True)}
        caught, false_alarms = rates(*groups[False])
        everyday_caught, everyday_alarms = rates(*groups[True])
        per_file = " ".join("{:.2f}/{:.2f}".format(*rates(decided[p], d.emergency)) for p, d in data.items())
        print(
            f"{thresholds}: red-flag files {caught:.3f} / {false_alarms:.3f}, "
            f"everyday {everyday_caught:.3f} / {everyday_alarms:.3f}   ({per_file})"
        )
        # Counted in messages, so that one emergency more caught for one false alarm more is a tie, not a win by the
        # files' sizes; a tie goes to more emergencies caught (missing one costs most), then to the longer messages
        # whose rule reading the model may not doubt.
        right = sum(int(verdicts[emergency].sum()) for verdicts, emergency in groups.values())
        wrong = sum(int(verdicts[~emergency].sum()) for verdicts, emergency in groups.values())
        key = (right - wrong, right, min_words)
        within = false_alarms <= MAX_FALSE_ALARMS and everyday_alarms <= MAX_EVERYDAY_FALSE_ALARMS
        if within and (best is None or key > best[0]):
            best = (key, thresholds)
    if best is None:
        raise SystemExit("no thresholds keep false alarms within the limits")
    return best[1]


def main(arguments: Sequence[str]) -> int:
    """Fit, choose thresholds, and write (or with --check, compare with) the model file."""
    check = "--check" in arguments
    files = [a for a in arguments if a != "--check"] or list(FIT_FILES)
    data = {path: load(path) for path in files}
    thresholds = choose(data, held_out(data))
    normal = [text for labelled in data.values() for text in labelled.normal]
    emergency = np.concatenate([labelled.emergency for labelled in data.values()])
    model = fit(normal, emergency, files)
    model = UrgencyModel(model.idf, model.weights, model.intercept, thresholds, model.fitted_on)
    print(f"chosen: {thresholds}; {len(model.idf)} n-grams")
    if check:
        same = load_model().to_json() == model.to_json()
        differs = f"{BUNDLED} differs from a re-fit: run bench/fit_urgency.py"
        print("the model file matches a re-fit" if same else differs)
        return 0 if same else 1
    save_model(model)
    print(f"wrote {BUNDLED}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
