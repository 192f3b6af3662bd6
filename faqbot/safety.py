"""Emergency red flags, checked before any retrieval: symptoms that need emergency services, not an FAQ."""

from __future__ import annotations

import re

from faqbot.text import fold

_BREATH_VERB = r"(breathe|breath|breathing|catch (my|his|her|their|a) breath|get (any )?air)"
_RED_FLAGS: dict[str, tuple[str, ...]] = {
    "chest pain": (
        r"\bchest\b[^.?!]{0,25}\b(pain|pains|hurt|hurts|hurting|ache|aches|aching|tight|tightness|pressure|"
        r"heavy|heaviness|crushing|squeez\w*|discomfort)",
        r"\b(pain|pains|pressure|tightness|ache)\s+(in|on)\s+(my|the|his|her|their)\s+chest\b",
        r"\bheart attack\b",
        r"\b(clutch|grabb|grip|hold)\w*\s+(at\s+)?(my|his|her|their|the)\s+chest\b",
        r"\bchest\b[^.?!]{0,40}\b(sweat\w*|clammy)\b",
    ),
    "trouble breathing": (
        rf"\b(can'?t|cannot|can not|couldn'?t|unable to|hard to|struggling to|struggle to|barely)\s+{_BREATH_VERB}",
        r"\b(trouble|difficulty|difficult|problems?|hard time|struggling|struggle)\s+(with\s+)?(breathing|to breathe)",
        r"\bshort(ness)?\s+of\s+breath\b",
        r"\b(not|stopped|isn'?t|wasn'?t)\s+breathing\b",
        r"\bgasping\b",
        r"\bchoking\b",
        r"\bcollapsed lung\b",
        r"\blung (collapsed|punctured)\b",
        r"\bpunctured (a |my )?lung\b",
        r"\bbreathless\b",
    ),
    "suicidal thoughts": (
        r"\bsuicid",
        # "kill me" is a plea; "...is killing me" and "it kills me" are how patients describe pain or annoyance.
        r"\bkill(s|ing|ed)?\s+myself\b",
        r"\bkill\s+me\b",
        r"\bwish\s+(i|that i)\s+(was|were)\s+dead\b",
        r"\bend(ing)?\s+(my life|it all|my own life)\b",
        r"\b(want|wanna|going|wish)\s+(to\s+)?die\b",
        r"\bself[- ]?harm",
        r"\b(hurt|hurting|cut|cutting)\s+myself\b",
        r"\bno reason to live\b",
        r"\btake my (own )?life\b",
        r"\bbetter off dead\b",
        r"\b(don'?t|do not|dont)\s+want\s+to\s+(be alive|live|exist|wake up|be here any ?more|go on)\b",
        r"\b(no|don'?t see (the|any)|dont see (the|any)|what'?s the|whats the)\s+point\s+(in|of)\s+"
        r"(living|life|going on|being alive|being here)\b",
        r"\bcan'?t\s+go\s+on\s+(any ?more|like this)\b",
    ),
    "overdose or poisoning": (
        r"\boverdos",
        r"\bswallowed\b[^.?!]{0,30}\b(pills|tablets|capsules|bottle|poison|bleach)\b",
        r"\bpoison(ed|ing)\b",
        # Amounts no prescription gives: "too many pills", "a whole bottle of paracetamol".
        r"\btoo many\s+(\w+\s+){0,2}(pills|tablets|capsules|meds|medications?|medicines?|painkillers)\b",
        r"\b(whole|full|entire)\s+(bottle|pack|packet|box|strip|tub)\s+of\b",
        r"\b(took|taken|take|swallowed|ate)\s+(a\s+)?(handful|fistful)\s+of\b",
    ),
    "heavy bleeding": (
        r"\b(heavy|heavily|severe|severely|lots of|a lot of|uncontroll\w*|profuse\w*|gushing|pouring|massive)\b"
        r"[^.?!]{0,30}\bbl(ee|oo)d",
        r"\bbleed\w*[^.?!]{0,30}\b(won'?t|wont|will not|doesn'?t|does not|can'?t|cannot|isn'?t|not)\s+"
        r"(stop|stopping|slow)",
        r"\bbleeding\s+(heavily|badly|a lot|everywhere|profusely)\b",
        r"\b(won'?t|wont|will not|doesn'?t|does not|can'?t|cannot)\s+stop\s+(the\s+)?bleed",
        r"\bsoak\w*\s+through\b",
        r"\b(coughing|vomiting|throwing) (up )?blood\b",
    ),
    "fainting": (
        r"\b(fainted|fainting|faintness|feel(ing|s)? faint|(going|gonna|about) to faint)\b",
        r"\bpass(ed|ing|es)?\s+out\b",
        r"\bblack(ed|ing)?\s+out\b",
        r"\bunconscious\b",
        r"\bunresponsive\b",
        r"\bcollapsed\b",
        r"\blost consciousness\b",
        r"\b(won'?t|can'?t) wake (up|him|her)\b",
    ),
    "stroke signs": (
        r"\b(having|had|has|having had|is having|might be having|think .{0,12} having)\s+a\s+stroke\b",
        r"\bstroke (symptoms|signs)\b",
        r"\bsigns? of (a )?stroke\b",
        r"\b(face|mouth|smile)\b[^.?!]{0,20}\bdroop",
        r"\bdroop\w*\b[^.?!]{0,20}\b(face|mouth|side)\b",
        r"\bslurr\w*\b",
        r"\b(numb|numbness|weak|weakness|paraly\w*)\b[^.?!]{0,20}\bone side\b",
        r"\b(face|arm|leg|mouth)\b[^.?!]{0,25}\b(on|down)\s+one\s+side\b",
        r"\bsudden\w*\b[^.?!]{0,20}\b(weakness|numbness|confusion|worst headache|can'?t (speak|talk|see))",
        r"\bworst headache\b",
        r"\bcan'?t (lift|move|feel) (my|his|her|one) (arm|leg|face)\b",
    ),
    "severe allergic reaction": (
        r"\banaphyla",
        r"\ballergic reaction\b",
        r"\bthroat\b[^.?!]{0,20}\b(swell\w*|swollen|clos\w*|tight\w*)",
        r"\b(tongue|lips?|face)\b[^.?!]{0,15}\b(swell\w*|swollen)\b",
        r"\bswollen (throat|tongue|lips?)\b",
        r"\bepi-?pen\b",
    ),
    "seizure": (
        r"\bseiz(ure|ures|ing)\b",
        r"\bconvuls\w*",
        # "Fit" for a seizure: having one, or someone fitting (not "a good fit", "fit and healthy").
        r"\b(having|had|has|have|into|another|epileptic)\s+(a\s+)?fits?\b",
        r"\b(is|he'?s|she'?s|they'?re|started|starts|keeps?)\s+fitting\b",
        r"\bshaking\s+(all over|uncontrollabl\w*|violently)\b",
        r"\buncontrollabl\w*\s+shaking\b",
        r"\b(can'?t|cannot|won'?t|wont|doesn'?t|does not)\s+stop\s+(shaking|jerking|convulsing)\b",
        r"\bjerking\s+(all over|uncontrollabl\w*|violently)\b",
    ),
    "emergency": (
        r"\b(call(ed|ing)?|need|get)\s+(an\s+)?(ambulance|911|999|112)\b",
        r"\bmedical emergency\b",
        r"\bthis is an emergency\b",
        r"\b(i'?m|i am|he'?s|she'?s)\s+dying\b(?!\s+to\b)",
    ),
}
# One alternation per flag: a single regex search per flag costs a quarter of one search per pattern.
_COMPILED = {flag: re.compile("|".join(f"(?:{p})" for p in patterns)) for flag, patterns in _RED_FLAGS.items()}


def red_flags(text: str) -> tuple[str, ...]:
    """The emergency red flags a message raises, most specific first; empty when none."""
    folded = " ".join(fold(text).split())
    return tuple(flag for flag, pattern in _COMPILED.items() if pattern.search(folded))


def emergency_message(flags: tuple[str, ...], number: str) -> str:
    """The urgent instruction: call the emergency number now; nothing else medical."""
    what = flags[0] if flags and flags[0] != "emergency" else "a medical emergency"
    return (
        f"\u26a0\ufe0f What you describe ({what}) can be a medical emergency. Call {number} "
        f"(or your local emergency number) now, or have someone take you to the nearest emergency department. "
        f"Do not wait for an answer here: this assistant only gives general information from the clinic's "
        f"documents and cannot help in an emergency."
    )
