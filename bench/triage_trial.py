"""Would a learned "emergency happening now" classifier generalise? Leave-one-file-out over the safety files.

Usage: .venv/bin/python bench/triage_trial.py [FILE ...]   (default: the development safety files)

Each file is held out in turn; a logistic regression is fitted on the others and scored on it, beside the shipped
red-flag rules. Three feature sets: character 2-5-grams plus word 1-2-grams (TF-IDF), the whole message's MiniLM
embedding, and the n-gram model's maximum over sentences. A trial only: nothing here is used by the engine.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from faqbot.evaluate import parse_cases
from faqbot.safety import default_reader
from faqbot.semantic import Encoder
from faqbot.text import fold

DEFAULT_FILES = ("eval/safety.jsonl", "eval/safety2.jsonl", "eval/safety3.jsonl")
THRESHOLDS = (0.5, 0.7, 0.8, 0.9)


def load(path: str) -> tuple[list[str], NDArray[np.int_], NDArray[np.bool_]]:
    """Last turns, labels (1: emergency) and whether the shipped rules give the emergency reply."""
    reader = default_reader()
    cases = parse_cases(Path(path).read_text(encoding="utf-8").splitlines())
    texts = [case.turns[-1] for case in cases]
    labels = np.array([int(case.expect == ("@emergency",)) for case in cases])
    rules = np.array(
        [reader.read(case.turns[-1], case.turns[-2] if len(case.turns) > 1 else None).current for case in cases]
    )
    return texts, labels, rules


def sentences(text: str) -> list[str]:
    """The message cut at sentence ends and at ", and/but/so"."""
    parts = re.split(r"(?<=[.!?])\s+|\n+|\s*,\s*(?:and|but|so)\s+", text)
    return [part for part in parts if len(part.strip()) > 3] or [text]


def ngram_model(train: Sequence[str], labels: NDArray[np.int_]) -> Callable[[Sequence[str]], NDArray[np.float64]]:
    """A fitted character+word TF-IDF logistic regression, as a function from texts to probabilities."""
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2, preprocessor=fold)
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, preprocessor=fold)
    chars.fit(train)
    words.fit(train)

    def features(texts: Sequence[str]) -> csr_matrix:
        return hstack([chars.transform(texts), words.transform(texts)]).tocsr()

    model = LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced").fit(features(train), labels)
    return lambda texts: model.predict_proba(features(texts))[:, 1]


def row(name: str, labels: NDArray[np.int_], scores: NDArray[np.float64]) -> str:
    """AUC and catch/false-alarm rates at each threshold."""
    cells = [f"{name:22s} AUC {roc_auc_score(labels, scores):.3f}"]
    for threshold in THRESHOLDS:
        fired = scores > threshold
        cells.append(f"{threshold}: {fired[labels == 1].mean():.2f}/{fired[labels == 0].mean():.2f}")
    return " | ".join(cells)


def main(files: Sequence[str]) -> None:
    """Print, per held-out file, the rules' figures and each model's (catch/false alarms at each threshold)."""
    data = {path: load(path) for path in files}
    encoder = Encoder()
    embedded = {path: encoder.encode(data[path][0]) for path in files}
    for held_out in files:
        rest = [path for path in files if path != held_out]
        train = [text for path in rest for text in data[path][0]]
        labels = np.concatenate([data[path][1] for path in rest])
        texts, truth, rules = data[held_out]
        print(f"{held_out}: rules catch {rules[truth == 1].mean():.3f}, false alarms {rules[truth == 0].mean():.3f}")
        predict = ngram_model(train, labels)
        whole = predict(texts)
        print("  " + row("n-grams", truth, whole))
        best_sentence = np.array([max(predict(sentences(t)).max(), w) for t, w in zip(texts, whole, strict=True)])
        print("  " + row("n-grams, max sentence", truth, best_sentence))
        vectors = np.vstack([embedded[path] for path in rest])
        embedding = LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced").fit(vectors, labels)
        print("  " + row("MiniLM embedding", truth, embedding.predict_proba(embedded[held_out])[:, 1]))
    started = time.perf_counter()
    for text in data[files[0]][0][:200]:
        predict([text])
    print(f"n-gram scoring through sklearn: {(time.perf_counter() - started) / 200 * 1000:.2f} ms per message")


if __name__ == "__main__":
    main(sys.argv[1:] or DEFAULT_FILES)
