"""The build cache: a restart reads the fitted index from disk instead of refitting, and a bad file costs only time."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import numpy as np
import pytest

from faqbot import index
from faqbot.cache import KEEP_PER_KIND, ArrayCache, pack_strings, unpack_strings
from faqbot.index import RetrievalIndex
from faqbot.knowledge import KnowledgeBase

QUESTIONS = ("does acupuncture hurt", "how many sessions will i need", "what is dry needling", "kids")


def _scores(built: RetrievalIndex) -> list[np.ndarray]:
    return [array for question in QUESTIONS for array in dataclasses.astuple(built.score(question))]


def test_a_restart_reads_the_fitted_index_instead_of_refitting(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = RetrievalIndex(kb.pairs, cache=ArrayCache(tmp_path))
    assert len(list(tmp_path.glob("index-*.npz"))) == 1

    def no_fitting(rows: object) -> None:
        raise AssertionError("refitted although the cache was there")

    monkeypatch.setattr(index._Fitted, "fit", no_fitting)
    second = RetrievalIndex(kb.pairs, cache=ArrayCache(tmp_path))
    for before, after in zip(_scores(first), _scores(second), strict=True):
        assert np.array_equal(before, after)


def test_an_edited_corpus_is_fitted_afresh(kb: KnowledgeBase, tmp_path: Path) -> None:
    RetrievalIndex(kb.pairs, cache=ArrayCache(tmp_path))
    edited = (dataclasses.replace(kb.pairs[0], body=kb.pairs[0].body + " Bring a towel."), *kb.pairs[1:])
    RetrievalIndex(edited, cache=ArrayCache(tmp_path))
    assert len(list(tmp_path.glob("index-*.npz"))) == 2


@pytest.mark.parametrize("damage", [b"not numpy", b"PK\x03\x04 truncated zip"])
def test_an_unreadable_index_file_is_refitted(kb: KnowledgeBase, tmp_path: Path, damage: bytes) -> None:
    expected = _scores(RetrievalIndex(kb.pairs))
    RetrievalIndex(kb.pairs, cache=ArrayCache(tmp_path))
    [saved] = tmp_path.glob("index-*.npz")
    saved.write_bytes(damage)
    again = RetrievalIndex(kb.pairs, cache=ArrayCache(tmp_path))
    assert all(np.array_equal(a, b) for a, b in zip(expected, _scores(again), strict=True))


def test_an_index_file_with_the_wrong_arrays_is_refitted(kb: KnowledgeBase, tmp_path: Path) -> None:
    expected = _scores(RetrievalIndex(kb.pairs))
    RetrievalIndex(kb.pairs, cache=ArrayCache(tmp_path))
    [saved] = tmp_path.glob("index-*.npz")
    with np.load(saved) as arrays:
        tampered = {name: arrays[name] for name in arrays.files}
    tampered["bodies.rows"] = tampered["bodies.rows"] + 10_000  # rows that don't exist
    np.savez(saved, **tampered)
    again = RetrievalIndex(kb.pairs, cache=ArrayCache(tmp_path))
    assert all(np.array_equal(a, b) for a, b in zip(expected, _scores(again), strict=True))


def test_a_read_only_cache_folder_only_costs_time(kb: KnowledgeBase, tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    built = RetrievalIndex(kb.pairs, cache=ArrayCache(blocked / "cache"))
    assert built.score("does it hurt").question.max() > 0


def test_old_files_of_a_kind_are_pruned(tmp_path: Path) -> None:
    cache = ArrayCache(tmp_path)
    for number in range(KEEP_PER_KIND + 3):
        cache.save("index", f"key{number}", {"a": np.arange(3)})
        os.utime(tmp_path / f"index-key{number}.npz", (number, number))
    cache.save("embeddings", "other", {"a": np.arange(3)})
    kept = sorted(p.name for p in tmp_path.glob("index-*.npz"))
    assert len(kept) == KEEP_PER_KIND and "index-key0.npz" not in kept
    assert (tmp_path / "embeddings-other.npz").exists()


@pytest.mark.parametrize("texts", [[], [""], ["", ""], ["a b", "", "ç", "x"]])
def test_packed_strings_round_trip(texts: list[str]) -> None:
    assert unpack_strings(pack_strings(texts), len(texts)) == texts


def test_packed_strings_refuse_newlines_and_wrong_counts() -> None:
    with pytest.raises(ValueError):
        pack_strings(["a\nb"])
    with pytest.raises(ValueError):
        unpack_strings(pack_strings(["a", "b"]), 3)
