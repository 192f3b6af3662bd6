"""Fitted model weights: a data file written by `bench/fit.py` and read by the engine, never numbers in code."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

BUNDLED = Path(__file__).resolve().parent / "data" / "weights.json"
# Fitted without and with the sentence-embedding features, each twice: for a corpus whose editors list questions it
# doesn't cover ("lexical_edited", "uncovered": fitted on the bundled corpus as it is) and for one without ("lexical",
# "semantic": fitted on it without the editors' questions, as a clinic's corpus without an overlay reads).
KINDS = ("lexical", "lexical_edited", "semantic", "uncovered")


class WeightsError(ValueError):
    """A weights file that cannot be used; the message is one line."""


@dataclass(frozen=True)
class Logistic:
    """One logistic regression: a weight per named feature and an intercept."""

    features: tuple[str, ...]
    coefficients: NDArray[np.float64]
    intercept: float

    def decision(self, rows: NDArray[np.float64]) -> NDArray[np.float64]:
        """The decision value of each row (columns in `features` order)."""
        return np.asarray(rows @ self.coefficients + self.intercept, dtype=np.float64)

    def to_json(self) -> dict[str, Any]:
        """The file's form: rounded, so that a re-fit on the same data writes the same bytes."""
        weights = {name: round(float(w), 4) for name, w in zip(self.features, self.coefficients, strict=True)}
        return {"weights": weights, "intercept": round(self.intercept, 4)}

    @classmethod
    def from_json(cls, data: Any, features: Sequence[str], where: str) -> Logistic:
        """Read one model, checking it has a number for every feature the code computes."""
        if not isinstance(data, Mapping) or not isinstance(data.get("weights"), Mapping):
            raise WeightsError(f"{where}: expected an object with weights and intercept")
        weights, intercept = data["weights"], data.get("intercept")
        if set(weights) != set(features) or not isinstance(intercept, int | float):
            raise WeightsError(f"{where}: its features are not the ones this faqbot computes; run bench/fit.py")
        return cls(tuple(features), np.array([float(weights[name]) for name in features]), float(intercept))


@dataclass(frozen=True)
class FittedWeights:
    """Ranking and answer/decline models, each fitted without and with the semantic features."""

    ranking: Mapping[str, Logistic]
    answering: Mapping[str, Logistic]
    fitted_on: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The whole file."""
        return {
            "fitted_on": list(self.fitted_on),
            "ranking": {kind: model.to_json() for kind, model in self.ranking.items()},
            "answering": {kind: model.to_json() for kind, model in self.answering.items()},
        }


def load_weights(
    ranking_features: Mapping[str, Sequence[str]],
    answering_features: Mapping[str, Sequence[str]],
    path: Path = BUNDLED,
) -> FittedWeights:
    """Read the weights file for the features the code computes (raises WeightsError with a one-line reason)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise WeightsError(f"cannot read the weights file {path}: {error}") from None
    if not isinstance(data, Mapping):
        raise WeightsError(f"{path}: expected a JSON object")
    ranking = {
        kind: Logistic.from_json(data.get("ranking", {}).get(kind), ranking_features[kind], f"{path} ranking.{kind}")
        for kind in KINDS
    }
    answering = {
        kind: Logistic.from_json(
            data.get("answering", {}).get(kind), answering_features[kind], f"{path} answering.{kind}"
        )
        for kind in KINDS
    }
    return FittedWeights(ranking, answering, tuple(str(f) for f in data.get("fitted_on", [])))


def save_weights(weights: FittedWeights, path: Path = BUNDLED) -> None:
    """Write the weights file (stable key order, one trailing newline)."""
    path.write_text(json.dumps(weights.to_json(), indent=2) + "\n", encoding="utf-8")
