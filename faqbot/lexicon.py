"""Everyday English word frequencies: which unfamiliar words are real words (not typos) and how specific they are."""

from __future__ import annotations

import gzip
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

BUNDLED = Path(__file__).resolve().parent / "data" / "english-words.tsv.gz"
# Zipf 3 is about once per million words: at or above it a word is an ordinary word, so a patient typed it on purpose.
COMMON_ZIPF = 3.0


@dataclass(frozen=True)
class Lexicon:
    """Zipf frequency (log10 per billion words) of English words; 0 for words it does not list."""

    zipf: Mapping[str, float]

    def frequency(self, word: str) -> float:
        """The word's Zipf frequency, 0.0 when unlisted (typos, names, very rare words)."""
        return self.zipf.get(word, 0.0)

    def is_common_word(self, word: str) -> bool:
        """True for an ordinary English word, which spelling correction must leave alone."""
        return self.zipf.get(word, 0.0) >= COMMON_ZIPF


@lru_cache(maxsize=4)
def load_lexicon(path: Path = BUNDLED) -> Lexicon:
    """Read a word<TAB>zipf file (gzip); cached, read-only, because every engine built in a process shares it."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        pairs = (line.rstrip("\n").split("\t", 1) for line in handle)
        return Lexicon(MappingProxyType({word: float(value) for word, value in pairs}))
