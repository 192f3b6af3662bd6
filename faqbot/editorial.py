"""Rules that recognise magazine leftovers in a section's sentences: transitions, missing media, attributed speech."""

from __future__ import annotations

import re

# "Let's delve deeper into some of those differences.": a signpost to the next part of an article, no content.
_TRANSITION = re.compile(
    r"^(?:now,?\s+)?(?:let['\u2019]s|let us)\s+(?:delve|dive|take a (?:closer |quick )?look|look|explore|dig|unpack"
    r"|break (?:it|this|that|them) down|turn|get into|find out)\b",
    re.I,
)
# "The association has an infographic to help you ...": the infographic, video or image was not scraped with the text.
_MEDIA_NOUN = r"(?:infographic|video|slideshow|podcast|diagram|illustration|image|photo|picture|chart)s?"
_MEDIA = re.compile(
    rf"\b(?:has|have|see|watch|view|check out|click|download|shown in|below|above|this|our)\b[^.!?]{{0,40}}"
    rf"\b{_MEDIA_NOUN}\b|\b{_MEDIA_NOUN}\s+(?:below|above)\b",
    re.I,
)
_SPEECH = (
    r"(?:says|said|adds|added|explains|explained|notes|noted|clarifies|clarified|continues|continued|stresses"
    r"|stressed|points out|pointed out|recommends|advises|shares|suggests|emphasi[sz]es|cautions|warns)"
)
_NAME = r"(?:(?:Dr|Prof|Mr|Mrs|Ms)\.\s+)?[A-Z][\w\u2019'-]+(?:\s+[A-Z][\w\u2019'-]+){0,2}"
# "..., Dr. Kimberly says." / "..., he adds." / "..., says Dr. Kimberly": speech attributed to a person.
_ATTRIBUTION = re.compile(rf"(?:\b(?:he|she|they)\b|{_NAME})\s+{_SPEECH}\b|\b{_SPEECH}\s+(?:Dr|Prof)\.\s+[A-Z]")
_TITLED = re.compile(rf"\b(?:Dr|Prof)\.\s+[A-Z][\w\u2019'-]+\s+{_SPEECH}\b")
# "Clinical rehabilitation manager Adam Kimberly, PT, DPT, OCS, explains ...": an expert introduced by credentials.
_CREDENTIALS = re.compile(rf"(?:,\s*[A-Z]{{2,6}})+,\s+{_SPEECH}\b")
_QUOTE = re.compile('[\u201c\u201d"]')


def is_transition(sentence: str) -> bool:
    """A signpost sentence ("Let's delve deeper into ...") that says nothing by itself."""
    return bool(_TRANSITION.match(sentence.strip()))


def mentions_missing_media(sentence: str) -> bool:
    """A sentence pointing at an infographic, video or image the text does not contain."""
    return bool(_MEDIA.search(sentence))


def is_dropped(sentence: str) -> bool:
    """True for an editorial leftover that carries no information: dropped from what is shown."""
    return is_transition(sentence) or mentions_missing_media(sentence)


def is_attributed(sentence: str) -> bool:
    """Speech attributed to a person ("Dr. Kimberly says", "he adds") or an expert's introduction: true to the
    document, but out of place in a short answer."""
    if _TITLED.search(sentence) or _CREDENTIALS.search(sentence):
        return True
    return bool(_QUOTE.search(sentence) and _ATTRIBUTION.search(sentence))
