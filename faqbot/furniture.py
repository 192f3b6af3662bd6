"""Rules that recognise web-page furniture in scraped documents (ads, captions, link lists, banners, stamps)."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_WORDY_DATE = rf"(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}"
_NUMERIC_DATE = r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}"
_ANY_DATE = rf"(?:{_WORDY_DATE}|{_NUMERIC_DATE})"

_AD_NOTICE = re.compile(r"\badverti[sz]", re.I)
_AD_CONTEXT = re.compile(r"\b(endorse|sponsor|support(s)? our mission|policy)\b", re.I)
_EDITORIAL = re.compile(r"\beditorial (process|policy|guidelines)\b", re.I)
_PHONE_BANNER = re.compile(r"^[A-Za-z &]{0,30}[:\s]*\+?\(?\d{3}\)?[\s.\-]\d{3}[\s.\-]\d{4}$")
_DATELINE = re.compile(rf"^(?P<date>{_ANY_DATE})\s*(/|\||-)\s*[\w &',]+$", re.I)
_REVIEW_STAMP = re.compile(rf"^(last\s+)?(medically\s+)?reviewed(\s+on)?:?\s*(?P<date>{_ANY_DATE})\.?$", re.I)
_REVIEW_HEADING = re.compile(r"^(medically reviewed|reviewed by|fact[- ]checked)$", re.I)
_BYLINE = re.compile(r"^(by|written by|author|reviewed by)\s*:?\s+[A-Z][\w.\-]+(\s+[A-Z][\w.\-]+)*(,.*)?$")
_LINK_LIST_HEADING = re.compile(
    r"^(related (articles|stories|content|topics|posts|reading)|trending( topics| now)?|popular( articles| now)?"
    r"|you (may|might) also like|more (from|on|about) .{1,40}|recommended( for you| reading)?|read next)$",
    re.I,
)
_BULLET = re.compile(r"^\s*(?:[\u2022\u25cf\u25aa\u2023\-*+\u2013]|\d{1,2}[.)])\s+")
_TERMINAL = re.compile(r"[.!?:;…][\"'\u201d\u2019)]*$")


def is_bullet_line(line: str) -> bool:
    """A list item line: a bullet character or a short number in front of the text."""
    return bool(_BULLET.match(line))


def bullet_text(line: str) -> str:
    """The item's text without its bullet marker."""
    return _BULLET.sub("", line, count=1).strip()


def ends_like_sentence(line: str) -> bool:
    """True when the line ends with sentence punctuation (so it is body text, not a heading or caption)."""
    return bool(_TERMINAL.search(line.strip()))


def is_ad_notice(text: str) -> bool:
    """An advertising notice ("Advertising on our site helps support our mission ... Policy")."""
    return bool(_AD_NOTICE.search(text) and _AD_CONTEXT.search(text))


def is_link_list_heading(line: str) -> bool:
    """A heading that starts a list of other articles ("Related Articles", "Trending Topics")."""
    return bool(_LINK_LIST_HEADING.match(line.strip()))


def is_review_heading(line: str) -> bool:
    """A heading of the review stamp ("Medically Reviewed")."""
    return bool(_REVIEW_HEADING.match(line.strip()))


def is_furniture_line(line: str) -> bool:
    """A one-line block that is never content: editorial links, phone banners, bylines."""
    stripped = line.strip()
    return bool(
        (_EDITORIAL.search(stripped) and len(stripped.split()) <= 12)
        or _PHONE_BANNER.match(stripped)
        or (_BYLINE.match(stripped) and len(stripped.split()) <= 12)
    )


def parse_date(text: str) -> str | None:
    """An ISO date from "05/16/2023", "February 13, 2024" or "2024-02-13"; None when it is not a date."""
    text = text.strip().rstrip(".")
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if iso:
        return _iso(int(iso[1]), int(iso[2]), int(iso[3]))
    us = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if us:
        return _iso(int(us[3]), int(us[1]), int(us[2]))
    wordy = re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", text)
    if wordy:
        month = _month_number(wordy[1])
        return _iso(int(wordy[3]), month, int(wordy[2])) if month else None
    return None


def dateline_date(line: str) -> str | None:
    """The publication date of a "February 13, 2024/Chronic Pain" dateline, else None."""
    match = _DATELINE.match(line.strip())
    return parse_date(match["date"]) if match else None


def review_stamp_date(line: str) -> str | None:
    """The date of a "Last reviewed on 05/16/2023." stamp, else None."""
    match = _REVIEW_STAMP.match(line.strip())
    return parse_date(match["date"]) if match else None


def _month_number(name: str) -> int | None:
    lowered = name.lower()[:3]
    names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    return names.index(lowered) + 1 if lowered in names else None


def _iso(year: int, month: int | None, day: int) -> str | None:
    try:
        return date(year, month or 0, day).isoformat()
    except ValueError:
        return None
