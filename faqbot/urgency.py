"""A learned reading of "is this an emergency happening now?": a logistic regression over a message's n-grams.

The red-flag rules (`faqbot.safety`) know what each red flag is and how it is mentioned; this model knows how people
word emergencies the rules were never written for. One feature function, `grams`, serves both the fit script
(`bench/fit_urgency.py`) and the engine; the fitted weights are the data file `faqbot/data/urgency.json.gz`.
"""

from __future__ import annotations

import gzip
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

BUNDLED = Path(__file__).resolve().parent / "data" / "urgency.json.gz"
CHAR_SIZES = range(2, 6)
BLOCKS = ("c", "w")  # character n-grams within words, word 1-2-grams: each block is scaled to unit length
_TOKEN = re.compile(r"\b\w\w+\b")


class UrgencyError(ValueError):
    """An urgency model file that cannot be used; the message is one line."""


def word_pieces(word: str) -> list[str]:
    """The "c:" character 2-5-grams of one space-padded word."""
    padded = f" {word} "
    return ["c:" + padded[i : i + size] for size in CHAR_SIZES for i in range(len(padded) - size + 1)]


def word_grams(normal: str) -> list[str]:
    """The "w:" words and word pairs of a normalised message."""
    words = _TOKEN.findall(normal)
    return ["w:" + word for word in words] + [f"w:{first} {second}" for first, second in itertools.pairwise(words)]


def grams(normal: str) -> Counter[str]:
    """The n-gram counts of a normalised message: the pieces of each word and the words and word pairs."""
    counts = Counter(word_grams(normal))
    for word in normal.split():
        counts.update(word_pieces(word))
    return counts


def weighted(counts: Mapping[str, int], idf: Mapping[str, float]) -> dict[str, float]:
    """Sublinear TF-IDF of the known n-grams, each block scaled to unit length (unknown n-grams are dropped)."""
    raw = {gram: (1.0 + math.log(count)) * idf[gram] for gram, count in counts.items() if gram in idf}
    norms = dict.fromkeys(BLOCKS, 0.0)
    for gram, value in raw.items():
        norms[gram[0]] += value * value
    return {gram: value / math.sqrt(norms[gram[0]]) for gram, value in raw.items()}


@dataclass(frozen=True)
class Thresholds:
    """When the model's probability, with the red-flag rules' reading, makes the emergency reply."""

    alone: float = 0.5  # above this the model's word alone makes the emergency reply
    confirm: float = 0.0  # a rule's "happening now" stands when the model gives its clause at least this...
    min_words: int = 0  # ...or when the message is shorter than this: too little context to doubt the rule

    def now(self, urgency: float, support: float, rules_now: bool, undoubted: bool, words: int) -> bool:
        """The verdict: an emergency happening now. `urgency`: the whole message's probability; `support`: the
        highest of it and those of the clauses a rule read as happening now, so that an emergency at the end of a
        long message is judged on its own words; `undoubted`: a rule read a flag the model may not overrule."""
        if urgency > self.alone:
            return True
        return rules_now and (undoubted or words < self.min_words or support >= self.confirm)


@dataclass(frozen=True)
class UrgencyModel:
    """The fitted model: each n-gram's IDF and weight, the intercept, and the probabilities the engine acts on."""

    idf: Mapping[str, float]
    weights: Mapping[str, float]
    intercept: float
    thresholds: Thresholds = Thresholds()
    fitted_on: tuple[str, ...] = ()
    _table: Mapping[str, tuple[float, float]] = field(init=False, repr=False, compare=False)
    _known_pieces: Callable[[str], tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Scoring runs on every message: each word's known pieces are found once, and an n-gram's IDF and weight
        # are one look-up. The result equals `weighted` over `grams`, with the unknown n-grams dropped first.
        table = {gram: (idf, self.weights.get(gram, 0.0)) for gram, idf in self.idf.items()}
        object.__setattr__(self, "_table", table)
        known = lru_cache(maxsize=65_536)(lambda word: tuple(g for g in word_pieces(word) if g in table))
        object.__setattr__(self, "_known_pieces", known)

    def probability(self, normal: str) -> float:
        """P(emergency happening now) for a normalised message (the logistic of `weighted(grams(normal))`)."""
        pieces: Counter[str] = Counter()
        for word in normal.split():
            pieces.update(self._known_pieces(word))
        whole = Counter(gram for gram in word_grams(normal) if gram in self._table)
        score = self.intercept + self._block_score(pieces) + self._block_score(whole)
        # Clamped so that exp never overflows on a message of one repeated word.
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, score))))

    def _block_score(self, counts: Counter[str]) -> float:
        """One block's share of the score: its sublinear TF-IDF vector, scaled to unit length, dotted with the
        weights."""
        dot = norm = 0.0
        table, log = self._table, math.log
        for gram, count in counts.items():
            value, weight = table[gram]
            if count > 1:  # most n-grams occur once: spare the logarithm
                value *= 1.0 + log(count)
            dot += value * weight
            norm += value * value
        return dot / math.sqrt(norm) if norm else 0.0

    def to_json(self) -> dict[str, Any]:
        """The file's form, rounded so that a re-fit on the same data writes the same bytes."""
        return {
            "fitted_on": list(self.fitted_on),
            "alone": self.thresholds.alone,
            "confirm": self.thresholds.confirm,
            "min_words": self.thresholds.min_words,
            "intercept": round(self.intercept, 4),
            "grams": {g: [round(self.idf[g], 4), round(self.weights.get(g, 0.0), 4)] for g in sorted(self.idf)},
        }

    @classmethod
    def from_json(cls, data: Any, where: str) -> UrgencyModel:
        """Read a model from the file's form (raises UrgencyError with a one-line reason)."""
        try:
            table = data["grams"]
            return cls(
                idf={gram: float(pair[0]) for gram, pair in table.items()},
                weights={gram: float(pair[1]) for gram, pair in table.items() if pair[1]},
                intercept=float(data["intercept"]),
                thresholds=Thresholds(float(data["alone"]), float(data["confirm"]), int(data["min_words"])),
                fitted_on=tuple(str(name) for name in data.get("fitted_on", ())),
            )
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            raise UrgencyError(f"{where}: not an urgency model; run bench/fit_urgency.py") from None


def save_model(model: UrgencyModel, path: Path = BUNDLED) -> None:
    """Write the model file (gzip without a timestamp, so the same model writes the same bytes)."""
    text = json.dumps(model.to_json(), sort_keys=True, separators=(",", ":"))
    path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


def load_model(path: Path = BUNDLED) -> UrgencyModel:
    """Read the model file (raises UrgencyError with a one-line reason)."""
    try:
        data = json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, ValueError, EOFError) as error:
        raise UrgencyError(f"cannot read the urgency model {path}: {error}") from None
    return UrgencyModel.from_json(data, str(path))
