"""The semantic layer: a pinned local model, embeddings cached on disk, fitted weights that match their data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from adapters.settings import settings_from_mapping
from faqbot.cache import ArrayCache
from faqbot.engine import Engine, shared_encoder
from faqbot.knowledge import KnowledgeBase
from faqbot.semantic import Encoder, SemanticIndex, SemanticUnavailable, default_model_path
from faqbot.settings import EngineSettings
from faqbot.weights import WeightsError, load_weights

ROOT = Path(__file__).resolve().parents[2]


def test_the_encoder_puts_paraphrases_closer_than_other_questions() -> None:
    encoder = shared_encoder()
    drowsy, sleepy, insurance = encoder.encode(
        ["Will acupuncture make me drowsy?", "Will I feel sleepy after acupuncture?", "Does my insurance pay for it?"]
    )
    assert float(drowsy @ sleepy) > float(drowsy @ insurance) + 0.2
    assert np.allclose(np.linalg.norm(encoder.encode(["x", "a longer question about needles"]), axis=1), 1.0)


def test_a_model_file_that_is_not_the_pinned_one_is_refused_in_one_line(tmp_path: Path) -> None:
    tampered = tmp_path / "model.onnx"
    tampered.write_bytes(default_model_path().read_bytes()[:-1] + b"\0")
    with pytest.raises(SemanticUnavailable, match=r"^\S+ does not match the pinned SHA-256") as error:
        Encoder(tampered)
    assert "\n" not in str(error.value)


def test_knowledge_base_embeddings_are_cached_on_disk(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    encoder = shared_encoder()
    first = SemanticIndex(kb.pairs, encoder, ArrayCache(tmp_path))
    assert len(list(tmp_path.glob("embeddings-*.npz"))) == 1

    def no_encoding(texts: list[str]) -> None:
        raise AssertionError("re-embedded although the cache was there")

    monkeypatch.setattr(encoder, "encode", no_encoding)
    second = SemanticIndex(kb.pairs, encoder, ArrayCache(tmp_path))
    assert np.array_equal(first.vectors, second.vectors)


def test_an_unreadable_cache_file_is_recomputed(kb: KnowledgeBase, tmp_path: Path) -> None:
    SemanticIndex(kb.pairs, shared_encoder(), ArrayCache(tmp_path))
    [cached] = tmp_path.glob("embeddings-*.npz")
    cached.write_bytes(b"not numpy")
    again = SemanticIndex(kb.pairs, shared_encoder(), ArrayCache(tmp_path))
    assert again.vectors.shape[1] == 384 and np.load(cached)["vectors"].shape == again.vectors.shape


def test_semantic_false_runs_the_lexical_engine_alone(kb: KnowledgeBase) -> None:
    settings = settings_from_mapping({"engine": {"semantic": False}}).engine
    engine = Engine(kb, settings)
    assert engine.semantic is None
    assert engine.respond("does acupuncture hurt?").answer is not None


@pytest.mark.parametrize(
    ("question", "heading"),
    [
        (
            "How are tiny needles supposed to stop pain? what's actually going on in the body",
            "How does acupuncture work?",
        ),
        ("When did dry needling first appear?", "Origins of the practices"),
    ],
)
def test_paraphrases_without_the_sections_words_are_answered_with_the_semantic_layer(
    engine: Engine, kb: KnowledgeBase, question: str, heading: str
) -> None:
    lexical = Engine(kb, EngineSettings(semantic=False))
    assert lexical.respond(question).kind == "fallback"
    reply = engine.respond(question)
    assert reply.answer is not None and reply.answer.heading == heading


def test_a_weights_file_missing_a_feature_is_refused_in_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "weights.json"
    broken.write_text('{"ranking": {"lexical": {"weights": {"question": 1}, "intercept": 0}}}')
    with pytest.raises(WeightsError, match="its features are not the ones this faqbot computes"):
        load_weights({"lexical": ("question", "body"), "semantic": ()}, {"lexical": (), "semantic": ()}, broken)


def test_the_weights_file_matches_a_refit_on_its_case_files() -> None:
    result = subprocess.run(
        [sys.executable, "bench/fit.py", "--check", "--no-cv"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "weights file matches a re-fit" in result.stdout
