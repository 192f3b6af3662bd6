"""Text normalisation shared by extraction, indexing and dialogue: folding, tokenising, stemming, sentences."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

# Words that scikit-learn calls stop words but that change what a patient asks ("how long" vs "how often").
_MEANINGFUL = {
    "after",
    "before",
    "during",
    "who",
    "where",
    "when",
    "why",
    "how",
    "much",
    "many",
    "few",
    "less",
    "more",
    "first",
    "long",
    "often",
    "again",
    "never",
    "always",
    "without",
    "cry",
    "fire",
    "thin",
    "thick",
    "back",
    "well",
    "full",
    "top",
    "bottom",
    "side",
    "front",
    "behind",
    "between",
    "against",
    "off",
    "stop",
}
# Chat spellings of function words, which patients type as often as the words themselves. They are stop words, but
# never what spelling correction aims at ("babt" is "baby", not "abt").
CHAT_SPELLINGS: frozenset[str] = frozenset(
    [
        "alot",
        "abt",
        "bc",
        "bcuz",
        "becuz",
        "cuz",
        "coz",
        "shud",
        "shld",
        "wud",
        "cud",
        "wher",
        "whr",
        "thru",
        "tho",
        "b4",
        "gonna",
        "wanna",
        "gotta",
        "prolly",
        "probly",
        "idk",
        "ima",
        "kinda",
        "sorta",
    ]
)
STOP_WORDS: frozenset[str] = frozenset(
    (set(ENGLISH_STOP_WORDS) - _MEANINGFUL)
    | {
        "s",
        "t",
        "don",
        "doesn",
        "isn",
        "ll",
        "ve",
        "re",
        "d",
        "m",
        "im",
        "ive",
        "id",
        "dont",
        "doesnt",
        "isnt",
        "whats",
        "wat",
        "wut",
        "hows",
        "wheres",
        "whos",
        "ok",
        "okay",
        "please",
        "pls",
        "plz",
        "just",
        "really",
        "actually",
        "u",
        "ur",
        "r",
        "ya",
        "thing",
        "things",
        "stuff",
        "kind",
        "sort",
        "lot",
        "bit",
        "exactly",
        "basically",
    }
    | CHAT_SPELLINGS
)

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2022": " ",
    }
)
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
# The split is only whitespace: a closing quote or bracket after the full stop stays with its sentence.
_SENTENCE_END = re.compile(
    r"(?:(?<=[.!?])|(?<=[.!?][\"'\u201d\u2019)])|(?<=[.!?][\"'\u201d\u2019)]{2}))\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])"
)
_STEMMER = snowballstemmer.stemmer("english")
# Irregular forms a suffix stemmer can't join to their base ("felt" is "feel", "worse" is "bad"): English's
# closed list of common ones, so a patient's past tense finds the documents' present.
_IRREGULAR = {
    form: base
    for base, forms in {
        "feel": "felt",
        "take": "took taken",
        "go": "went gone",
        "get": "got gotten",
        "give": "gave given",
        "do": "did done",
        "make": "made",
        "come": "came",
        "see": "saw seen",
        "tell": "told",
        "say": "said",
        "think": "thought",
        "know": "knew known",
        "find": "found",
        "leave": "left",
        "keep": "kept",
        "put": "put",
        "hurt": "hurt",
        "sleep": "slept",
        "bleed": "bled",
        "hold": "held",
        "stick": "stuck",
        "draw": "drew drawn",
        "break": "broke broken",
        "begin": "began begun",
        "drive": "drove driven",
        "ride": "rode ridden",
        "eat": "ate eaten",
        "drink": "drank drunk",
        "lie": "lay lain",
        "bad": "worse worst",
        "good": "better best",
        "child": "children",
        "foot": "feet",
        "tooth": "teeth",
        "woman": "women",
        "man": "men",
        "person": "people",
    }.items()
    for form in forms.split()
}


def fold(text: str) -> str:
    """Lowercase, unify quotes and dashes, drop accents and control characters."""
    text = _CONTROL.sub(" ", text.translate(_FOLD))
    if text.isascii():  # the common case, and ten times cheaper than decomposing every character
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def words(text: str) -> list[str]:
    """Folded word tokens with possessive/contraction tails removed ("acupuncture's" -> "acupuncture")."""
    return tokens(fold(text))


def tokens(folded: str) -> list[str]:
    """The word tokens of text already folded (`words` without the fold)."""
    return [token.split("'", 1)[0] for token in _TOKEN.findall(folded)]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball (Porter 2) stem of one folded word."""
    return str(_STEMMER.stemWord(_IRREGULAR.get(word, word)))


def content_words(text: str) -> list[str]:
    """Folded words without stop words."""
    return [w for w in words(text) if w not in STOP_WORDS]


def stems(text: str) -> list[str]:
    """Stems of the content words: the unit the word-level index and vocabulary checks work on."""
    return [stem(w) for w in content_words(text)]


def analyse(text: str) -> str:
    """One space-joined string of stems, the form fed to the word-level TF-IDF vectoriser."""
    return " ".join(stems(text))


def analysed_words(words_read: Iterable[str]) -> str:
    """`analyse` over words already read from a text."""
    return " ".join(stem(w) for w in words_read if w not in STOP_WORDS)


def char_form(text: str) -> str:
    """Folded text with punctuation flattened, the form fed to the character n-gram vectoriser."""
    return " ".join(words(text))


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences at terminal punctuation followed by a capital or digit."""
    parts = _SENTENCE_END.split(paragraph.strip())
    return [part.strip() for part in parts if part.strip()]


def clean_input(text: str, limit: int) -> str:
    """Make user input safe to process: no control characters, collapsed spaces, bounded length."""
    text = _CONTROL.sub(" ", text[: limit * 4])
    return re.sub(r"\s+", " ", text).strip()[:limit]
