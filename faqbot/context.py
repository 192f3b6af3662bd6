"""Is a red-flag mention happening now? ConText-style modifiers (Harkema et al., 2009) for chat messages.

Each mention of a red flag is read in its clause: a negation before it ("I don't have chest pain"), a past event with
a time anchor ("had a stroke in 2019", "fainted last time"), a question about risk or a hypothetical ("what if I
faint?", "can dry needling puncture a lung?"), a question about treating the condition ("does acupuncture help
seizures?") or a figure of speech ("the bill nearly gave me a heart attack") make it not current. Signs that it is
happening now ("I'm having…", "right now", "still unconscious") outrank every modifier but an explicit negation, and a
mention with no modifier is current: when in doubt, the emergency reply.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

Status = Literal["current", "negated", "historical", "hypothetical", "treatment", "figurative"]

_WORDS = r"(?:\s+\S+)"
# Clauses end at sentence punctuation, commas and the conjunctions that turn to another matter ("…, but now …").
_CLAUSE_BREAK = re.compile(
    r"[.?!;:\n,()]|\b(?:but|however|although|though|whereas|except|and now|and then|then|so now)\b"
)
_SENTENCE_BREAK = re.compile(r"[.?!;\n]")

_NEGATION = re.compile(
    r"\b(?:no|not|never|nothing|without|denies|denied|free of|none|neither|nor|ruled out|no signs? of|no history of|"
    r"don't|do not|doesn't|does not|didn't|did not|haven't|have not|hasn't|has not|isn't|wasn't|aren't|weren't|"
    rf"won't|wouldn't)\b(?!\s+(?:sure|certain|know|knowing|idea|only|just|doubt|stop)\b){_WORDS}{{0,5}}\s*$"
)
# "I've never had chest pain like this": a first time, not a denial.
_NEVER_BEFORE = re.compile(r"\bnever\b(?:\s+\S+){0,5}\s*$")
_FIRST_TIME_AFTER = re.compile(r"^\W*(?:\S+\s+){0,3}?(?:like (?:this|that)|this bad|so bad)\b")
_DENIED_AFTER = re.compile(
    r"^\W*(?:is|was|are)\s+(?:something|not something|one thing)\s+(?:i've|i|he's|she's|we've)\s+never\b"
)
_FREE_OF = re.compile(r"^[- ]free\b")  # "seizure-free for 4 years"
# "Red around the needle, no fever": a sign named and denied at the end of a mention that spans several.
_ENDS_DENIED = re.compile(
    r"(?<=\s)(?:no|without)\s+(?:a\s+|high\s+)?(?:fever|temperature|chills|pus|swelling|redness)$"
)
_RESOLVED_AFTER = re.compile(
    r"^\W*(?:\S+\s+){0,12}?(?:went away|(?:has|had|is|was|have|it's|its) gone(?=\s*(?:$|[,.!?;]|now|away|again))|"
    r"has stopped|had stopped|stopped|"
    r"resolved|has passed|passed quickly|settled|eased off|cleared up|went off|was fine|were fine)\b"
)
# Before now, but not long ago: history for most red flags, not for one that lasts (an infection from last week).
_BEFORE_NOW = re.compile(
    r"\b(?:last (?:week|time|session|visit|appointment|night|weekend)|prone to|tends? to|sometimes|usually|always|"
    r"often|every time|whenever|a few nights ago)\b"
)
# A symptom someone has had for years, "as I always have": their normal, not a new event.
_HABITUAL = re.compile(
    r"\b(?:always|usually|sometimes|often|whenever|every time|chronic|for (?:some|many|several|a few|\d+) years|"
    r"for (?:months|years)|(?:once|twice|\w+ times) a (?:day|week|month|year)|some (?:evenings|days|nights|mornings)|"
    r"every (?:evening|night|morning)|more than one|multiple|several (?:times|episodes|attacks|reactions)|"
    r"when (?:i|he|she|they|you) (?:eat|eats|have|has|get|gets|drink|drinks|take|takes|touch|use)|"
    r"on and off|now and then|from time to time|on (?:the )?stairs|on exertion|"
    r"as i always|diagnosed|(?:i|he|she|they|who) (?:have|has|live with|lives with) (?:epilepsy|asthma|copd|angina))\b"
)
_HISTORY = re.compile(
    r"\b(?:last (?:year|month|summer|winter|spring|autumn|fall|christmas)|(?:\d+|a|an|one|two|three|"
    r"four|five|six|seven|eight|nine|ten|twenty|few|several|couple of|"
    r"many) (?:years?|yrs?|months?|mths?|weeks?|wks?|decades?|winters?|summers?|springs?|autumns?) (?:ago|back|"
    r"before)|in (?:19|20)\d\d|back in|history of|in (?:january|february|march|april|june|july|august|september|"
    r"october|november|december)|"
    r"used to|as a (?:kid|child|teen|teenager|baby|toddler)|when (?:i|he|she|they) (?:was|were)|previous(?:ly)?|"
    r"in my (?:teens|twenties|thirties|20s|30s|youth|childhood)|died (?:of|from|after)|passed away|"
    r"in the past|once before|a while (?:ago|back)|years? ago|survivor|history|"
    r"recovered|scars?|\d+\+? (?:years?|yrs)(?! old))\b"
)
# Recent past: a past event then is only history when told as such ("fainted yesterday, can I still come?").
_RECENT_PAST = re.compile(
    r"\b(?:yesterday|the other day|earlier|(?:\d+|a|two|three|few|couple of) (?:days?|nights?) ago|this morning|"
    r"today|this afternoon|this evening|"
    r"last night|on (?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)|after (?:my|his|her|the) (?:last|previous|first) (?:session|appointment|treatment))\b"
)
_PAST_BEFORE = re.compile(
    rf"\b(?:had|have had|has had|i've had|he's had|she's had|was|were|got|felt|went|suffered|experienced|did|took)"
    rf"{_WORDS}{{0,4}}\s*$"
)
_PAST_MENTION = re.compile(r"^(?:\w+ed|had|took|ate|drank|drunk|bled|fell|felt|went|passed out|blacked out)\b")
# "The chest pain I'd been having was reflux": a relative clause in the past after the mention.
_PAST_AFTER = re.compile(
    r"^\s*(?:that |which )?(?:i|he|she|they|we)(?:(?:'d|\s+had) been|\s+was|\s+were) (?:having|getting|feeling)\b"
)
# Someone's age, not a time: "my son 3 years he ate a battery", "my mum is 82 years".
_AGE = re.compile(
    r"\b(?:son|daughter|boy|girl|baby|child|toddler|kid|grandson|granddaughter|nephew|niece|brother|sister|mum|mom|"
    r"mother|dad|father|gran|grandma|grandmother|nan|grandad|grandpa|grandfather|husband|wife|partner)"
    r"(?:'s| is| was| aged| age)? \d+ (?:years?|yrs?|months?|mths?)\b(?! (?:ago|back|before|clean|sober|since))"
)
# "I just took…", "she's only just swallowed…": the event told as a moment ago.
_JUST = re.compile(r"\b(?:just|only just)\s+(?:\w+\s+)?$")
# "Past suicidal thoughts", "a prior overdose": the mention named as a thing of the past.
_FORMER = re.compile(r"\b(?:past|prior|former)\s+$")
# "I get winded": a word ending in -ed that says how someone is, not what happened.
_STATE_NOW = re.compile(r"\b(?:get|gets|getting|feel|feels|feeling|am|is|are|i'm|he's|she's|seems?|looks?)\s+$")
# Someone who knows has looked: a clinician, poison services, a hospital that let the person go, a treatment that
# worked. The only all-clear for harm that goes on unfelt (a paracetamol overdose, a swallowed battery).
_CLINICIAN = (
    r"(?:gp|doctor|dr|doc|cardiologist|neurologist|physician|hospital|a&e|er|nurse|consultant|specialist|paramedics?|"
    r"poison control|poisons? (?:centre|center|line)|111|nhs|pharmacist|midwife|cardiology|neurology|urgent care)"
)
# A gap that asks or doubts ("should i call the doctor or is he fine", "the doctor hasn't seen him") is no check.
_UNDOUBTED_GAP = r"(?:(?!\b(?:or|should|call|calling|need|needs|if|whether|not|isn't|wasn't|hasn't|haven't)\b)[^.?!])"
_CHECKED = re.compile(
    rf"\b{_CLINICIAN}\b{_UNDOUBTED_GAP}{{0,60}}\b(?:(?:said|says|told \w+|thinks?|confirmed)\b{_UNDOUBTED_GAP}{{0,40}}"
    r"\b(?:fine|ok|okay|nothing wrong|normal|all clear|no damage|nothing to worry|not serious|safe)|cleared|checked|"
    r"examined|all clear|nothing wrong|fine|ok|okay|normal)\b|"
    rf"\b(?:checked|cleared|seen|examined)\s+(?:over\s+|out\s+)?by\s+(?:a\s+|the\s+|my\s+|his\s+|her\s+)?{_CLINICIAN}\b|"
    r"\ball clear\b|\bstable now\b|(?<!not )(?<!n't )\bdischarged\b|\bout of hospital\b|"
    r"\b(?:antibiotics|benadryl|antihistamines?|treatment|inhaler|epi ?pen|ambulance|paramedics)\b[^.?!]{0,20}"
    r"\b(?:sorted|cleared|fixed|settled|helped)\b"
)
# The person's own word that it has passed: enough for a faint or a fit, not for an overdose.
_FELT_CLEAR = re.compile(
    r"\b(?:fine now|ok now|okay now|better now|recovered|back to normal|been (?:totally |completely |perfectly )?"
    r"(?:fine|normal)|no problems since|fine (?:ever )?since|home now|i'm home|sorted it|cleared it|"
    r"came (?:back )?(?:round|around|to)(?![^.?!]{0,40}\b(?:but|still|now|confused)))\b"
)
_ELIGIBILITY = re.compile(
    r"\b(?:can|could|should|may|will|would|is it|am i|is he|is she|are they|is there)\b[^.?!]{0,50}\b(?:have|get|do|"
    r"try|book|come|go|receive|start|continue|safe|ok|okay|suitable|allowed|recommended|risky|dangerous|a problem)\b|"
    r"\b(?:acupuncture|needling|treatment|session|appointment)\b[^.?!]{0,30}\b(?:safe|ok|okay|suitable|risky|"
    r"dangerous|a good idea|still go ahead)\b|\b(?:can|could|does|do|will|would|might)\s+(?:acupuncture|dry needling|"
    r"needling|cupping|it|this|you|treatment)\b[^.?!]{0,30}\b(?:help|treat|work|cure|improve|ease)|"
    r"\b(?:how long|should i|do i need to)\b[^.?!]{0,20}\bwait\b|\b(?:can|could|does|do|will)\s+(?:acupuncture|"
    r"needling|it|this)\b[^.?!]{0,20}\b(?:stop|prevent)\b"
)
_HYPOTHETICAL = re.compile(
    r"\b(?:if|what if|what (?:is|are|does|do)(?: a| an| the)?|in case(?: of)?|whether|unless|risks?|"
    r"chances?|dangers?|likelihood|possibility|signs? of|"
    r"symptoms? of|warning signs|how \w+ (?:is|are)|"
    r"worried about|afraid of|scared of|fear of|frightened of|concerned about|nervous about|"
    r"anxious about|worry about|worried that|what happens|what do (?:you|they|staff|we) do|(?:plan|protocol|"
    r"procedure|policy|trained|training|equipped|prepared) (?:for|if|in case)|how (?:do|would|can|will|could) "
    r"(?:i|you|we|they) (?:know|tell|spot|recogni[sz]e|handle|deal)|to spot|recogni[sz]e|look out for|"
    r"watch (?:out )?for|"
    r"identify|know the|trained to|(?:can|could|does|do|did|will|would|might|may)"
    r"\b[^.?!,]{0,40}\b(?:cause|puncture|give|trigger|lead to|result in|bring on|make|hit|pierce|damage|set off|"
    r"provoke|induce))"
    rf"{_WORDS}{{0,12}}\s*$"
)
_HYPOTHETICAL_AFTER = re.compile(
    r"^[^.?!]{0,40}\b(?:normal|usual|expected)\s*$|"
    r"^\W*(?:\S+\s+){0,4}?(?:a )?(?:risk|possible|common|rare|likely|side effects?|complications?|possibility)\b|"
    r"\bhow (?:common|likely|rare|often|dangerous)\b|\b(?:is|are) (?:that|this|it|they) (?:common|possible|likely|"
    r"a risk|rare)\b"
)
_TREATMENT = re.compile(
    r"(?:\b(?:acupuncture|needling|needles?|acupuncturist|it|treatment|therapy|sessions?|this)\b[^.?!]{0,40}\b(?:help|"
    r"helps|helped|helping|treat|treats|treated|treating|relieve|relieves|cure|cures|manage|prevent|prevents|reduce|"
    r"reduces|ease|eases|improve|work|works|stop|stops|abort)|\b(?:help|helps|good|used|effective|useful|work|works|recommended|"
    r"benefit|relief)\s+(?:with|for)|\b(?:treatment|therapy|acupuncture|needling)\s+for|\b(?:recover\w*|rehab\w*|"
    rf"after-?care)\s+(?:from|after|following))\b{_WORDS}{{0,4}}\s*$"
)
_TREATMENT_AFTER = re.compile(r"^\s*(?:recovery|rehab\w*|survivors?|patients?|sufferers?|prevention)\b")
# A search-box pairing of a red flag and a treatment, nothing else in the message ("seizures and acupuncture?",
# "acupuncture & anaphylaxis"): a subject looked up, not an event told.
_THERAPY = r"(?:acupuncture|dry needling|needling|needles?|cupping|massage|physio\w*|chiropractic|treatment|therapy)"
_PAIRED_BEFORE = re.compile(rf"^\W*{_THERAPY}\s+(?:and|&|\+|vs\.?|versus)\s+$")
# A mention is found by its stem ("suicid", "anaphyla"): the rest of its word and of its noun may follow.
_REST_OF_NAME = r"^\w*(?:\s+(?:thoughts?|ideation|attacks?|reactions?|pain|signs?|symptoms?|risks?))?"
# A condition's name, which a search pairs with a treatment; not what happens to someone ("fainted", "collapsed",
# "unconscious", "bleeding"), which such a pairing tells.
_CONDITION = re.compile(
    r"(?:seizures?|epilep\w*|fits|convulsions?|anaphyla\w*|allerg\w*|strokes?|tia|heart attacks?|cardiac arrest|"
    r"angina|chest pain|overdos\w*|suicid\w*|self-harm|pneumothora\w*|collapsed lungs?|sepsis|infections?|"
    r"asthma|(?:panic|anxiety) attacks?)\b"
)
_PAIRED_AFTER = re.compile(rf"{_REST_OF_NAME}\s+(?:and|&|\+|vs\.?|versus)\s+{_THERAPY}\W*$")
_NAME_ENDS = re.compile(rf"{_REST_OF_NAME}\W*$")
_FIGURATIVE = re.compile(
    r"\b(?:phone|laptop|computer|wifi|internet|printer|bank account|wallet)\b[^.?!]{0,25}$|"
    rf"\b(?:almost|nearly|practically|basically|about to have|gonna have|going to have|(?:gave|give|gives|giving|"
    rf"nearly gave) (?:me|him|her|us|you))\b{_WORDS}{{0,2}}\s*$"
)
_JOKING = re.compile(r"\b(?:laugh\w*|lol|haha\w*|lmao|joke|joking|kidding|jk|figuratively|metaphor\w*)\b")
# Signs that it is happening now, next to the mention or anywhere in its clause.
_NOW_BEFORE = re.compile(
    r"\b(?<!if )(?<!whether )(?:i'm|i am|he's|she's|they're|he is|she is|they are|we're|it's|"
    r"(?<!^)(?<!what )(?<!why )(?<!how )(?<!when )"
    r"(?:is|are)|keeps?|started|starting|began|begun|still|suddenly|just)((?:\s+(?:having|getting|"
    r"feeling|experiencing|showing|going|gonna|about|to|a|an|"
    r"really|very|so|bad|some|sudden|severe|real|bit|little|now|also|definitely|probably|maybe|possibly|all|of|"
    r"the|signs|totally|completely|\S+ing))*)\s*$"
)
_NOW_ANYWHERE = re.compile(
    r"\b(?:right now|just now|at the moment|currently|as we speak|as i type|happening now|"
    r"getting worse|worse and worse|(?:is|are|it's|its) now|"
    r"is this|could this be|is it a|help me|please help|ever since|now (?:i|i'm|he|he's|she|she's|"
    r"they|they're|my|his|her|it's|"
    r"its|there's|we)(?!['\w])(?!\s+(?:\w+\s+)?(?:worried|scared|nervous|anxious|concerned|wondering|thinking|curious|"
    r"afraid|paranoid))|(?:\d+|a few|few|couple of|ten|twenty|thirty|five|fifteen) (?:minutes?|mins?) ago|"
    r"(?:has|have|'ve|'s) (?:had|been)\b[^.?!]{0,40}\bfor (?:the (?:last|past) )?(?:\d+|two|three|four|five|a few|"
    r"a couple of|couple of|several) (?:days|hours|hrs)|"
    r"for (?:about |over |the last |the past |almost |nearly )?(?:\d+|a|an|few|couple of|several|"
    r"ten|twenty|thirty|fifteen|five) (?:minutes?|mins?|hours?|hrs?)|(?:bad|worse) now)\b"
)
_NOW_AFTER = re.compile(r"^\W*(?:\S+\s+){0,2}?(?:now|again|still|right now)\b")
# Something read or heard about, another's story: "I read about a woman whose lungs collapsed".
_REPORTED = re.compile(
    r"\b(?:read|heard|reading|hearing) (?:about|that|of|a|an|somewhere|people|stories|someone)\b|"
    r"\b(?:a|an|the) (?:story|article|report|case|news|post|video) (?:about|of|where|on)\b"
)
# "…, that was years ago": a time told after the event, pointing back at it.
_BACK_IN_TIME = re.compile(r"\b(?:that|this|it) was\b[^.?!]{0,20}\b(?:ago|years|in (?:19|20)\d\d)\b")
# "I said 'I'm gonna pass out'": the now of a quotation is the time it was said.
_QUOTED_PAST = re.compile(r"\b(?:said|told \w+|thought|shouted|yelled|screamed)\s*,?\s*['\"][^.?!]*$")
# "How common is a…", "how rare are…": the verb of a question about a kind of event, not of one happening.
_ASKS_HOW = re.compile(r"\bhow\s+\w+\s*$")


def classify(text: str, start: int, end: int, lasting: bool = False, unfelt: bool = False) -> Status:
    """Whether the red-flag mention at text[start:end] is happening now, and if not, why not; a `lasting` red flag
    (an overdose, a punctured lung) is still an emergency after the event unless it was long ago or cleared since,
    and one whose harm goes on `unfelt` (an overdose) is cleared only by a check, not by feeling fine."""
    text = _without_ages(text)
    clause_start, clause_end = _clause(text, start, end, _CLAUSE_BREAK)
    before, mention, after = text[clause_start:start], text[start:end], text[end:clause_end]
    sentence_start, sentence_end = _clause(text, start, end, _SENTENCE_BREAK)
    sentence = text[sentence_start:sentence_end]
    if _negated(before, mention, text[end:sentence_end], unfelt):
        return "negated"
    if _JOKING.search(sentence):
        return "figurative"
    if _happening_now(before, mention, after):
        return "current"
    if _FIGURATIVE.search(before):
        return "figurative"
    if _TREATMENT.search(before) or _TREATMENT_AFTER.search(after) or _paired(text, start, end):
        return "treatment"
    if (
        _HYPOTHETICAL.search(before)
        or _HYPOTHETICAL_AFTER.search(after)
        or _REPORTED.search(text[sentence_start:start])
    ):
        # "How bad is a seizure, he's been shaking for 5 minutes": a question asked about something going on.
        return "current" if _NOW_ANYWHERE.search(sentence) else "hypothetical"
    if _historical(text, before, mention, after, (sentence, text[sentence_start:start]), (lasting, unfelt)):
        return "historical"
    return "current"


def _paired(text: str, start: int, end: int) -> bool:
    """The whole message is a condition's name and a treatment side by side, and nothing more."""
    before, after = text[:start], text[end:]
    if not _CONDITION.match(text[start:] + " "):
        return False
    return bool(_PAIRED_BEFORE.search(before) and _NAME_ENDS.search(after)) or bool(
        not before.strip(" ,;:-") and _PAIRED_AFTER.search(after)
    )


@lru_cache(maxsize=64)
def _without_ages(text: str) -> str:
    """Ages blanked to spaces of the same length, so that positions hold: "my son 3 years" is no "3 years ago" (once
    per message, however many mentions it holds)."""
    return _AGE.sub(lambda age: " " * len(age.group(0)), text)


def _negated(before: str, mention: str, rest_of_sentence: str, unfelt: bool = False) -> bool:
    if _NEVER_BEFORE.search(before) and _FIRST_TIME_AFTER.search(rest_of_sentence):
        return False
    if _DENIED_AFTER.search(rest_of_sentence) or _FREE_OF.search(rest_of_sentence) or _ENDS_DENIED.search(mention):
        return True
    # "It settled as soon as I relaxed": a resolution may follow in the next clause of the same sentence; not for
    # harm that goes on unfelt ("ate a dishwasher tablet, the vomiting stopped").
    return bool(_NEGATION.search(before)) or (not unfelt and bool(_RESOLVED_AFTER.search(rest_of_sentence)))


def _happening_now(before: str, mention: str, after: str) -> bool:
    near = _NOW_BEFORE.search(before)
    asks_how = (
        near is not None and near.group(0).split()[0] in ("is", "are") and _ASKS_HOW.search(before[: near.start()])
    )
    if (
        near
        and not asks_how
        and not _QUOTED_PAST.search(before)
        and (near.group(1).strip() or _is_progressive(mention))
    ):
        return True
    return bool(_NOW_ANYWHERE.search(before + mention + after) or _NOW_AFTER.search(after))


def _is_progressive(mention: str) -> bool:
    first = mention.split(maxsplit=1)[0] if mention.strip() else ""
    return first.endswith("ing") or first in ("about", "going", "gonna", "unconscious", "unresponsive")


def _historical(
    text: str, before: str, mention: str, after: str, sentences: tuple[str, str], lasting_unfelt: tuple[bool, bool]
) -> bool:
    sentence, told_before = sentences
    lasting, unfelt = lasting_unfelt
    # "A history of overdoses and I just took 30 pills": what came before "just" is not this event's time.
    just = lasting and bool(_JUST.search(before))
    told_time = after if just else before + " " + after
    if _HISTORY.search(told_time) or _FORMER.search(before):
        return True
    if not lasting and (_BEFORE_NOW.search(before + " " + after) or _HABITUAL.search(sentence)):
        return True
    quiet = not _NOW_ANYWHERE.search(sentence)
    # "A few weeks ago, the night after…, I woke feeling I couldn't breathe": the time is told once per sentence.
    told_after = sentence[len(told_before) :]
    if (
        quiet
        and not lasting
        and (_HISTORY.search(told_before) or _BEFORE_NOW.search(told_before) or _BACK_IN_TIME.search(told_after))
    ):
        return True
    told_past = (_PAST_MENTION.search(mention) and not _STATE_NOW.search(before)) or _PAST_AFTER.search(after)
    past = bool(told_past or _PAST_BEFORE.search(before) or _QUOTED_PAST.search(before))
    if not past:
        return False
    cleared = bool(_CHECKED.search(text) or (not unfelt and _FELT_CLEAR.search(text)))
    if lasting:
        return bool((not just and _HISTORY.search(sentence)) or cleared)
    # A past event in the same sentence as a time anchor, or told while asking whether treatment is fine now.
    told_as_past = _HISTORY.search(sentence) or _RECENT_PAST.search(before + " " + after)
    return bool(told_as_past or cleared or _ELIGIBILITY.search(text))


def _clause(text: str, start: int, end: int, breaks: re.Pattern[str]) -> tuple[int, int]:
    """The bounds of the clause around text[start:end]: from the last break before it to the first after it."""
    clause_start = 0
    for found in breaks.finditer(text, 0, start):
        clause_start = found.end()
    following = breaks.search(text, end)
    return clause_start, following.start() if following else len(text)
