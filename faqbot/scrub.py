"""Removing what identifies people from a question before it is kept: a small, documented set of patterns.

Why no library: Presidio needs spaCy and a language model downloaded apart from the package registry, and
scrubadub's name detection needs corpora fetched at run time (its last release is from 2023); both are large for
what a clinic FAQ keeps. The patterns below err on the side of removing too much: a kept question only has to show
what was asked, never who asked it.
"""

from __future__ import annotations

import re

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
# Order matters: addresses and dates go before the digit runs they contain.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>"), "[user]"),  # a Slack mention
    (re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), "[email]"),
    (re.compile(r"\bhttps?://\S+|\bwww\.\S+", re.I), "[link]"),
    (re.compile(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b"), "[date]"),
    (re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{2,4}})?\b", re.I), "[date]"),
    (re.compile(rf"\b{_MONTH}\s+{_DAY}(?:,?\s+\d{{2,4}})?\b", re.I), "[date]"),
    (re.compile(r"\b(?:19|20)\d{2}\b"), "[date]"),  # a year alone may be a birth year
    # A UK postcode (the clinics served so far are in the UK), e.g. "LS1 1AA".
    (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I), "[postcode]"),
    # Phone numbers, patient and card numbers: five digits or more, however grouped.
    (re.compile(r"\+?\(?\d(?:[\s().-]{0,2}\d){4,}"), "[number]"),
)
_TITLED = re.compile(r"\b(?P<intro>(?i:dr|mr|mrs|ms|miss|prof)\.?\s+)(?P<name>[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?)")
# After these, the next words are a name whatever their case ("my name is jo smith").
_NAMED = re.compile(r"\b(?P<intro>(?:my\s+name\s+is|my\s+name['’]s|name['’]s|call\s+me|i\s+go\s+by)\s+)", re.I)
# After these, only capitalised words are taken as a name: "I'm Sam" but not "I'm pregnant".
_SELF = re.compile(r"\b(?P<intro>(?i:i['’]m|i\s+am|im|this\s+is)\s+)(?=[A-Z])")
_WORD = re.compile(r"[^\W\d_][\w'-]*")
# Words that end a name written in lower case: "my name is jo and I have..." keeps "and I have...".
_NOT_NAME = frozenset(
    re.split(
        r"\s+",
        "and but or so i im i'm i’m my me with from who here again also please to of in at for is am was have had "
        "the a an this that just not on by back if when",
    )
)
_MAX_NAME_WORDS = 3


def scrub(text: str) -> str:
    """`text` with emails, links, phone and other long numbers, dates, postcodes and names replaced by tags."""
    for pattern, tag in _PATTERNS:
        text = pattern.sub(tag, text)
    text = _TITLED.sub(lambda m: m.group("intro") + "[name]", text)
    text = _replace_names(text, _NAMED, capitalised=False)
    return _replace_names(text, _SELF, capitalised=True)


def _replace_names(text: str, intro: re.Pattern[str], *, capitalised: bool) -> str:
    """Replace the name words after each introducer with one "[name]"."""
    out: list[str] = []
    done = 0
    for match in intro.finditer(text):
        if match.start() < done:
            continue
        end = _name_end(text, match.end(), capitalised)
        if end > match.end():
            out.append(text[done : match.end()] + "[name]")
            done = end
    return "".join(out) + text[done:]


def _name_end(text: str, start: int, capitalised: bool) -> int:
    """Where the name that starts at `start` ends (`start` itself when there is none)."""
    end = position = start
    for _ in range(_MAX_NAME_WORDS):
        word = _WORD.match(text, position)
        if word is None or word.group().lower() in _NOT_NAME or (capitalised and not word.group()[0].isupper()):
            break
        end = word.end()
        gap = re.match(r"[ \t]+", text[end:])
        position = end + (gap.end() if gap else 0)
        if not gap:
            break
    return end
