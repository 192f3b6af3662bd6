"""The red flags: symptoms that need emergency services, not an FAQ, each with why it is urgent.

Patterns run over folded, texting-normalised text (see `faqbot.safety`): lower case, straight apostrophes, "cant"
already read as "can't", and misspellings of the words used here already corrected.
"""

from __future__ import annotations

from dataclasses import dataclass

_BREATH = (
    r"(breathe|breath|breathing|catch (my|his|her|their|a) breath|get (any |enough |a )?(proper |full |deep |decent |"
    r"real |big )?(air|breath))\b"
)
_SOMEONE = r"(my|his|her|their|the|your|a)"
_HE_SHE = r"(he|she|they|he's|she's|they're|it's|i'm|i)"
_DRUG = (
    r"(pills|tablets|capsules|caps|meds|medications?|medicines?|painkillers|paracetamol|acetaminophen|tylenol|"
    r"ibuprofen|aspirin|co-?codamol|codeine|tramadol|oxy\w*|morphine|fentanyl|sleeping pills|antidepressants|"
    r"benzos|diazepam|valium|xanax|insulin|gummies|vitamins|iron tablets)"
)
_ALCOHOL = r"(alcohol|vodka|wine|beers?|whiskey|whisky|booze|drinks|drinking|gin|rum|tequila|cider)"
# Words of despair or intent: a place or a stock of pills is a plan only beside one of these.
_DESPAIR = (
    r"(depress\w*|suicid\w*|jump\w*|goodbye|end (it|things|everything|my life)|(want|wanna|going) to die|"
    r"kill (myself|me)|can't go on|no point|nothing left|give up|hopeless\w*|tonight's the night|i'm done|"
    r"take them all|all at once|in one go|for good)"
)
# Someone at a place people jump from ("I'm on the bridge"): read with `_DESPAIR`, here or in the earlier turn.
DANGER_PLACE = r"\b(i'm|i am|he's|she's|they're|standing)\s+(right\s+)?on\s+(the|a)\s+(bridge|ledge)\b(?!\s+club)"
# Signs of too much of an opioid or sedative, said of someone now ("his pupils are tiny"), beside a sign that the
# person is affected: the pupils alone are eye drops as often as an overdose.
_DROWSY = (
    r"(drowsy|sleepy|won't wake|wont wake|can't wake|cant wake|hard to wake|unresponsive|nodding off|passed out|"
    r"out of it)"
)

# Everyday words the patterns use around a red flag's own words ("threw up" after a knock to the head, "every hour"
# for a pad): never what a slip is corrected to ("throt" is "throat", not "throw"; "fevet" is "fever", not "feet").
CONTEXT_WORDS = frozenset(
    {
        "accident",
        "although",
        "both",
        "bump",
        "broke",
        "broken",
        "came",
        "clear",
        "coke",
        "crash",
        "drugs",
        "falling",
        "feet",
        "hands",
        "happened",
        "heat",
        "heating",
        "hits",
        "hitting",
        "hour",
        "hourly",
        "injured",
        "injuries",
        "injury",
        "knee",
        "knock",
        "knocked",
        "landed",
        "molly",
        "neck",
        "questions",
        "remember",
        "same",
        "sanitary",
        "sick",
        "though",
        "threw",
        "throw",
        "thrown",
        "within",
        "wound",
    }
)
# A period's pad or tampon, not a heat pad or a towel brought along.
_PAD = r"((?<!heat )(?<!heating )(?<!ice )(?<!gel )(?<!hot )(?<!cold )(?<!knee )pads?|tampons?|sanitary towels?)"
# A knock to the head and a sign of harm inside the skull after it (NICE's head-injury signs).
_KNOCKED = r"(hit|hits|hitting|banged|bumped|knocked|smacked|smashed|whacked|cracked|injured|hurt)"
_HEAD_SIGN = (
    r"(confused|confusion|vomit\w*|throw\w* up|threw up|been sick|being sick|drowsy|sleepy|won't wake|can't wake|"
    r"hard to wake|unconscious|out of it|knocked out|passed out|blacked out|out cold|seizure|"
    r"(?<!light )fitting(?! (me|you|him|her|us|them) in)|same questions?|doesn't know where|does not know where|"
    r"slurr\w*|clear fluid|bleeding from (his|her|my|their) (ear|nose)|worst headache|not making sense|"
    r"can't remember (what happened|the fall|anything|hitting|how))"
)
# Up to a hundred characters of the same sentence, not across a "but": "bumped my head, but it's fine, can you fit
# me in?" tells no sign.
_SAME_TELLING = r"(?:(?!\b(?:but|though|although)\b)[^.?!]){0,100}"


@dataclass(frozen=True)
class RedFlag:
    """One kind of emergency: its name, why it is urgent, and the wordings that raise it."""

    name: str
    reason: str
    patterns: tuple[str, ...]
    # Words that put a message on this red flag's subject without describing an emergency ("is asthma a problem?"):
    # such a message is answered as usual, with a line on what to do if it is happening now. Also the words a
    # misspelling is corrected to.
    topic: str = ""
    # Still an emergency after the event ("took 30 pills this morning"), unless long ago or checked since.
    lasting: bool = False
    # Its harm goes on while the person feels well (paracetamol hurts the liver for days before any sign; a swallowed
    # battery burns quietly): "I feel fine now" does not clear it, only a check by someone who knows.
    unfelt: bool = False
    # A reading of "happening now" the learned urgency model may not overrule: said calmly, beside an everyday
    # question ("took 20 paracetamol, can I still come later?", "I don't want to be alive, can it help?"), these are
    # still emergencies, and missing one costs most.
    undoubted: bool = False


RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag(
        "collapsed lung",
        "a needle near the chest wall can puncture a lung; sudden chest pain or breathlessness after needling can be a "
        "collapsed lung (pneumothorax)",
        (
            r"\bpneumothora\w*",
            r"\bcollapsed lung\b",
            r"\blung (has |is |was )?(collapsed|collapsing|punctured)\b",
            r"\bpunctured (a |my |his |her )?lung\b",
        ),
        topic=r"\b(lungs?|pneumothorax|pneumothoraces)\b",
        lasting=True,
    ),
    RedFlag(
        "chest pain",
        "chest pain can be a heart attack, or after needling near the chest, a collapsed lung",
        (
            r"\bchests?\b[^.?!]{0,40}\b(pain|pains|hurt|hurts|hurting|ache|aches|aching|tight|tightness|pressure|"
            r"heavy|heaviness|crushing|squeez\w*|discomfort|burning|stabbing|caving in|crushed)",
            r"\b(pain|pains|pressure|tightness|ache|crushing|heaviness)\b[^.?!]{0,40}\bchests?\b",
            # Pain on breathing in: after needling near the chest, the sign of a collapsed lung.
            r"(?<!is it )(?<!does it )(?<!will it )(?<!would it )(?<!could it )(?<!can it )(?<!should it )"
            r"\b(hurts|painful|pain|sharp|stabbing)\s+(to|when\s+(i|you|he|she|they))\s+(breathe|take a breath)\b",
            r"\bangina\s+(attack|episode)\b",
            r"\b(gtn|nitro\w*|angina)\s+(spray|tablets?|pills?)?\b[^.?!]{0,20}\b(isn't|not|didn't|doesn't)\s+"
            r"(working|helping|work|help)",
            r"\bheart attack\b",
            rf"\b(clutch|grabb|grip|hold)\w*\s+(at\s+)?{_SOMEONE}\s+chest\b",
            r"\bchest\b[^.?!]{0,40}\b(sweat\w*|clammy)\b",
            r"\b(pain|stab\w*|sharp)\b[^.?!]{0,30}\b(when|every time|each time|as)\s+(i|he|she|they)\s+breathe",
            r"\bbreath\w*\b[^.?!]{0,40}\b(stab\w*|sharp pain|hurts|painful|catch\w* with)",
        ),
        topic=(
            r"\b(bypass|stent|cardiologist|chest|heart|hearts|cardiac|angina|attacks?|arrhythmias?|tachycardia|"
            r"palpitations|afib|pacemakers?|defibrillators?)\b"
        ),
    ),
    RedFlag(
        "trouble breathing",
        "not getting enough air is life-threatening within minutes",
        (
            rf"\b(can't|cannot|can not|couldn't|unable to|not able to|hard to|struggling to|struggle to|barely)\s+"
            rf"{_BREATH}",
            r"\b(trouble|difficulty|difficult|problems?|hard time|struggling|struggle)\s+(with\s+)?"
            r"(breathing|to breathe|getting air)",
            r"\bshort(ness)?\s+of\s+breath\b",
            r"\b(not|stopped|isn't|wasn't|aren't|no longer)\s+breathing\b",
            r"\bgasping\b",
            r"\bchoking\b(?!\s+on\s+(all\s+)?(these|those|this|the|my)\s+(forms?|paperwork|admin|emails?|bills?|work))",
            r"\bbreathing\s+(really\s+|very\s+|so\s+|super\s+|too\s+|extremely\s+)?(fast|quick\w*|hard|heavy|heavily|"
            r"noisy|noisily|shallow)\b",
            r"\b(fast|rapid|shallow|laboured|labored|noisy)\s+breathing\b",
            # Someone else's breathing described as it is now ("his breathing is really slow"): an opioid overdose or
            # a failing patient; "my breathing was slow and deep" in a session and "breathe slowly" are not this.
            r"\b(his|her|their|\w+'s|\w+s)\s+(breathing|breaths)\s+(is|are|seems?|looks?)\s+(really\s+|very\s+|so\s+|"
            r"super\s+|too\s+|extremely\s+|weirdly\s+)?(slow|shallow)\b",
            r"\bgrunting\b",
            r"\bcan't\s+(fill|expand|get air into)\s+(my|his|her|their)\s+lungs\b",
            r"\bbreathless\w*",
            r"\basthma attack\b",
            r"\bwheez\w*",
            r"\binhaler\b[^.?!]{0,25}\b(not|isn't|doesn't|didn't|won't)\s+(working|helping|work|help)",
            r"\b(puffed|winded|out of breath)\b",
            r"\b(can|could)\s+barely\s+(talk|speak)\b",
            r"\b(lips|face|skin|fingers|fingertips|fingernails|nails)\b[^.?!]{0,20}\b(turning |gone |going )?"
            r"(blu\w*|grey|gray)\b",
        ),
        topic=(
            r"\b(choked|breathe|breath|breathing|breathless|breathlessness|asthma|asthmatic|wheezing|"
            r"wheezy|inhaler|copd|"
            r"choking|suffocating)\b"
        ),
    ),
    RedFlag(
        "suicidal thoughts",
        "thoughts of ending your life need help from a person now",
        (
            r"\bsuicid",
            # "kill me" is a plea; "...is killing me" and "it kills me" are how patients describe pain or annoyance.
            r"\bkill(s|ing|ed)?\s+myself\b",
            r"(?<!will )(?<!'ll )(?<!gonna )(?<!going to )(?<!would )\bkill\s+me\b",
            r"\b(finish|end|ending|take|taking)\s+(my|his|her|their)\s+(own\s+)?life\b",
            r"\b(end|ending|finish)\s+(it|things|everything)\s+(all\s+)?(tonight|today|now|this evening|soon)\b",
            r"\bdecided to end\b",
            r"\bmade my peace\b",
            r"\bstanding on\s+(the|a)\s+(bridge|ledge|roof|edge)\b",
            rf"{DANGER_PLACE}[\s\S]{{0,200}}\b{_DESPAIR}\b",
            rf"\b{_DESPAIR}\b[\s\S]{{0,200}}{DANGER_PLACE}",
            # Stockpiling one's pills beside words of intent is a plan under way, whether or not it is named.
            rf"\b((saving|saved)\s+up|stockpil\w*|hoard\w*|stashing|stashed)\s+(my|his|her|their)\s+(\w+\s+)?"
            rf"(pills|tablets|meds|medications?|painkillers|sleeping pills|insulin|paracetamol|antidepressants)\b"
            rf"[\s\S]{{0,120}}\b({_DESPAIR}|for weeks|for months|enough)\b",
            r"\b(has|have|got|bought|found)\s+(a|the)\s+(rope|noose)\b",
            r"\btake\s+them\s+all\b",
            r"\bsuicidal ideation\b",
            r"\bkill\s+(himself|herself|themselves|themself)\b",
            r"\b(wants?|wanted|wanting|going|planning|plans?|gonna|about)\s+to\s+(die|end\s+(it|(my|his|her|their)\s+"
            r"(own\s+)?life)|kill\s+(myself|himself|herself|themselves))",
            r"\bend(ing)?\s+(his|her|their)\s+(own\s+)?life\b",
            r"\bbetter off without me\b",
            r"\b(jump|jumping)\s+(off|from|in front of)\b",
            r"\b(noose|hang (myself|himself|herself))\b",
            r"\b(the|a)\s+rope\b[^.?!]{0,40}\b(garage|do it|tonight|now)\b",
            r"\b(been|started|is|keeps?)\s+cutting\b|\bcutting\s+(herself|himself|themselves)\b",
            r"\bhurt(ing)?\s+(himself|herself|themselves)\b",
            r"\bwish\s+(i|that i)\s+(was|were)\s+dead\b",
            r"\bend(ing)?\s+(my life|it all|my own life)\b",
            r"\b(want|wanna|going|wish)\s+(to\s+)?die\b",
            r"\bself[- ]?harm(?!\w*\s+(scars?|history))",
            r"\b(hurt|hurting|cut|cutting)\s+myself\b",
            r"\bno reason to live\b",
            r"\btake my (own )?life\b",
            r"\bbetter off dead\b",
            r"\b(don't|do not)\s+want\s+to\s+(be alive|live|exist|wake up|be here any ?more|go on)\b",
            r"\b(no|don't see (the|any)|what's the)\s+point\s+(in|of)\s+(living|life|going on|"
            r"being alive|being here)\b",
            r"\b(can't|cannot)\s+go\s+on\b",
            # Saying goodbye in deed: the warning signs a person gives instead of the word.
            r"\b(won't|will not)\s+be\s+(around|here)\s+(much longer|for long|any ?more)\b",
            # A farewell with a decision taken ("I won't be around next week. I've made up my mind"), not a
            # rescheduling ("I won't be around next week, can I move my appointment?").
            r"\b(won't|will not)\s+be\s+(around|here)\b[^?]{0,40}\b(made up my mind(?!\s+(to|about|on|that))|"
            r"said my goodbyes|goodbye)",
            r"\b(think\w*|thought|thoughts)\s+(about|of)\s+(jumping(?=\s*($|[.?!,]|off|from|in front))|ending it|"
            r"killing (myself|himself|herself)|suicide|taking my (own )?life)",
            r"\btired of (life|living|being alive)\b(?!\s+with)",
            r"\b(decide|decided|ready)\s+to\s+(finish|end)\s+(everything|it all)\b",
            r"\b(goodbye|suicide|farewell|last)\s+(letters?|notes?)\b",
            # Pets or belongings given away beside letters or goodbyes: a plan told by its preparations.
            r"\b(given|gave|giving)\s+(away\s+)?(my|all my)\s+(dog|dogs|cat|cats|pets?|things|stuff|belongings|"
            r"possessions)\b[\s\S]{0,120}\b((written|wrote|left|writing)\s+(the|my|goodbye)\s+(letters?|notes?)|"
            r"said\s+(my\s+)?goodbyes?)\b",
            r"\b(written|wrote|writing)\s+(the|my)\s+(letters?|notes?)\b[\s\S]{0,120}\b(given|gave|giving)\s+(away\s+)?"
            r"(my|all my)\s+(dog|dogs|cat|cats|pets?|things|stuff|belongings|possessions)\b",
        ),
        topic=(
            r"\b(murder\w*|depress\w*|low mood|suicide|suicidal|kill|killing|killed|self-harm|harm|harming|"
            r"dying|die|died|death|dead|own life|end the suffering|give up (my|on) life|"
            r"dark thoughts)\b"
        ),
        undoubted=True,
    ),
    RedFlag(
        "overdose or poisoning",
        "an overdose or a poison can harm before symptoms show; poison services and emergency care act fastest",
        (
            r"\boverdos",
            # "od'd", "od'ed", "oded"; "odd" only as "odd on" a drug ("odd on pills"), not the adjective ("the odd
            # bruise", "looks odd on my skin"); a capital "ODd" is read before folding (`faqbot.flagspelling`).
            r"\bod(?:'d|'?ed)\b",
            rf"\bodd on\s+(\w+\s+){{0,2}}({_DRUG}|heroin|coke|cocaine|ket|ketamine|fent\w*|drugs|mdma|ecstasy|molly)\b",
            r"\bpoison(ed|ing)\b(?!\s+(control|centre|center|helpline|line|information))",
            r"\b(drank|drunk|swallowed|ate|eaten|taken|took)\s+(some\s+)?poison\b",
            rf"\b{_DRUG}\b[^.?!]{{0,25}}\b(and\s+)?(ate|swallowed|eaten|chewed)\s+(some|one|a few|them|"
            rf"it|loads|lots)\b",
            rf"\b(took|taken|take|had)\b[^.?!]{{0,30}}\b{_DRUG}\b[^.?!]{{0,20}}\b(twice|three times|"
            rf"double|by mistake)\b",
            r"\bdoubled?\s+(up\s+)?(on\s+)?(my|his|her|their)\s+(dose|meds|medication|tablets|pills)\b",
            # Amounts no prescription gives: "too many pills", "a whole bottle of paracetamol".
            rf"\btoo many\s+(\w+\s+){{0,3}}{_DRUG}\b",
            rf"\b(took|taken|swallowed|had|ate|taking)\s+(like\s+|about\s+|around\s+|over\s+|maybe\s+|at least\s+)?"
            rf"\d{{2,}}\s+(of\s+)?((my|his|her|their|the)\s+)?(\w+\s+)?{_DRUG}",
            r"\b(whole|full|entire|half a)\s+(bottle|pack|packet|box|strip|tub|blister)\s+of\b",
            r"\b(took|taken|take|swallowed|ate)\s+(a\s+)?(handful|fistful|load|bunch)\s+of\b",
            r"\b(drank|drunk|drink|swallowed|swallow|ate|eat|eaten|ingested|licked|chewed|had)\b[^.?!]{0,30}\b(bleach|"
            r"detergent|cleaner|cleaning|chemicals?|antifreeze|weed ?killer|pesticide|batter(y|ies)|"
            r"(laundry|dishwasher|"
            r"washing[- ]up|cleaning|toilet) (pods?|capsules?|tablets?|liquid|powder|fluid|cleaner|rinse aid|"
            r"detergent)|"
            r"paint thinner|turpentine|white spirit|nail polish remover|"
            r"lamp oil|(someone else's|her|his|my mum's|my dad's|grandma's|nan's) (pills|tablets|meds))\b",
            r"\bswallowed\b[^.?!]{0,30}\b(pills|tablets|capsules|bottle|medicine|meds)\b",
            # The substance first: "bit open a dishwasher pod and swallowed some".
            r"\b(bleach|detergent|antifreeze|weed ?killer|pesticide|batter(y|ies)|(laundry|dishwasher|washing[- ]up|"
            r"toilet) (pods?|capsules?|tablets?|liquid))\b[^.?!]{0,30}\b(swallowed|drank|ate|chewed|swallow)\b",
            r"\bmix\w*\b[^.?!]{0,20}\b(bleach|ammonia)\b[^.?!]{0,20}\b(bleach|ammonia|vinegar|acid|cleaner)\b",
            r"\b(inhaled|breathed in|breathing in)\b[^.?!]{0,20}\b(fumes|gas|chemicals?|bleach|ammonia|chlorine)\b",
            r"\bpinpoint pupils\b",
            rf"\bpupils\b[^.?!]{{0,20}}\b(tiny|pinpoint|pin-?points?|pinpricks?|(really|very|super)\s+small|"
            rf"like dots)\b"
            rf"[\s\S]{{0,120}}\b({_DROWSY}|breathing|breaths|took|taken|extra|pills|meds|opioids?|heroin|"
            rf"overdos\w*)\b",
            rf"\b(took|taken|swallowed|had)\b[^.?!]{{0,30}}\b{_DRUG}\b[^.?!]{{0,40}}\b(with|and|on top of|after|then)\b"
            rf"[^.?!]{{0,25}}\b{_ALCOHOL}\b",
            rf"\b{_ALCOHOL}\b[^.?!]{{0,40}}\b(with|and|on top of|then)\b[^.?!]{{0,25}}\b(took|taken|swallowed)\b"
            rf"[^.?!]{{0,30}}\b{_DRUG}\b",
        ),
        topic=(
            r"\b(dose|doses|doubled|addiction|withdrawal|overdose|overdosed|poison|poisoned|poisoning|"
            r"toxic|pills|pill|tablets|tablet|alcohol|drink|"
            r"drinking|drunk|chemicals|chemical|swallowed|swallows|swallow|opioids?|opiates?)\b|"
            rf"\b{_ALCOHOL}\b"
        ),
        lasting=True,
        unfelt=True,
        undoubted=True,
    ),
    RedFlag(
        "heavy bleeding",
        "bleeding that will not stop can lose a dangerous amount of blood quickly",
        (
            r"\b(heavy|heavily|severe|severely|lots of|a lot of|uncontroll\w*|profuse\w*|gushing|pouring|massive|"
            r"spurting)\b[^.?!]{0,30}\bbl(ee|oo)d",
            r"\bbleed\w*[^.?!]{0,30}\b(won't|will not|doesn't|does not|can't|cannot|isn't|not)\s+(stop|stopping|slow|"
            r"controlled|stopped|slowing)",
            r"\b(bleed\w*|nose ?bleed)\b[^.?!]{0,20}\bfor\s+(over\s+|more than\s+|about\s+|nearly\s+)?(\d{2,}|an|one|"
            r"two|three|twenty|thirty|forty|several)\s+(minutes|mins|hours?|hrs?)\b",
            r"\b(pouring|gushing|spurting|streaming|keeps? coming)\b[^.?!]{0,40}\b(won't|will not|doesn't|can't)"
            r"\s+stop",
            r"\b(won't|will not|doesn't|does not)\s+stop\s+(even\s+)?(with|despite)\s+(pressure|pressing)\b",
            r"\b(full of|covered in|soaked (in|with)|running with) blood\b",
            r"\bbleeding\s+(really\s+|very\s+|so\s+)?(heavily|badly|a lot|everywhere|profusely)\b",
            r"\bstill\s+(be\s+)?bleeding\b",
            r"\b(pumping|spurting|gushing|pouring|streaming)\s+(out|blood)\b",
            r"\b(press\w*|pinch\w*)\b[^.?!]{0,25}\b(isn't|not|doesn't|won't|didn't)\s+(stop|stopping|working|helping|"
            r"help)",
            r"\b(won't|will not|doesn't|does not|can't|cannot)\s+stop\s+(the\s+)?bleed",
            r"\bsoak\w*\s+(through|(\w+\s+){0,2}(towels?|pads?|bandages?|dressings?|tissues?|red))\b",
            # A pad or more filled within the hour (two hours when soaked through): bleeding that needs care now.
            rf"\b{_PAD}\b[^.?!]{{0,20}}\b((every|each|an|per|within|in)\s+(half\s+an?\s+hour|half\s+hour|hour|"
            r"\d+\s*min\w*|(1|one)\s*(hour|hr)s?)|hourly)\b",
            rf"\b(soak\w*|fill\w*|through)\b[^.?!]{{0,25}}\b{_PAD}\b[^.?!]{{0,20}}\b(every|each|in|within)\s+(2|two)\s*"
            r"(hours?|hrs?)\b",
            r"\b(coughing|vomiting|throwing) (up )?blood\b",
            r"\bblood\b[^.?!]{0,20}\b(everywhere|gushing|pouring|spurting|pumping|running down|dripping down|"
            r"still (coming|flowing|running|dripping|pouring))\b",
        ),
        topic=(
            r"\b(bleed|bleeds|bleeding|bled|blood|bleeder|haemophilia|hemophilia|warfarin|thinners|"
            r"anticoagulants?|nosebleed|heavy periods?|bruise|bruised|bruises|bruising|clopidogrel|apixaban|"
            r"rivaroxaban|heparin|xarelto|eliquis|plavix|antiplatelets?|"
            # A miscarriage under way is bleeding that needs care now.
            r"miscarriages?|miscarry|miscarrying|miscarried)\b"
        ),
    ),
    RedFlag(
        "fainting or unresponsive",
        "someone who has collapsed or does not respond may not be breathing or may have a serious cause",
        (
            r"\b(fainted|fainting|faintness|feel(ing|s)? faint|(going|gonna|about) to faint)\b",
            r"\bpass(ed|ing|es)?\s+out\b",
            r"\bblack(ed|ing)?\s+out\b",
            r"\bunconscious\b",
            r"\bunresponsive\b",
            r"\bcollapsed\b(?!\s+lung)",
            r"\blost consciousness\b",
            r"\b(won't|can't|cannot|not|isn't|hasn't|haven't|doesn't|didn't|still not)\s+(seem to\s+|properly\s+|get\s+"
            r"(him|her|them)\s+to\s+)?(wake|waking|"
            r"woken|woke|come round|coming round|come to|coming to)\b(?!\s+up\s+(in|early|on|before|at|for))",
            # Not a person responding to treatment ("my pain isn't responding to acupuncture").
            r"\b(not|isn't|wasn't|stopped|won't)\s+(responding|responsive|reacting)\b(?!\s+to\s+(treatment|acupuncture|"
            r"needling|therapy|the treatment|medication|meds|it))",
            rf"\b{_HE_SHE}\s+(went|gone|is|was)\s+(floppy|limp)\b",
            r"\b(not|won't|will not|doesn't|does not|isn't|can't|cannot)\s+(really\s+)?(answer|"
            r"answering)\s+(me|us|her|him)\b",
            r"\bnot\s+(really\s+)?(responding|reacting)\b(?!\s+to\s+(treatment|acupuncture|needling|"
            r"therapy|medication|it))",
            r"\b(will not|won't)\s+respond\b",
            r"\b(went|gone)\s+down\b[^.?!]{0,40}\b(waiting|floor|room|clinic|not)\b",
            r"\bfound\b[^.?!]{0,30}\bon\s+(the|her|his|their)\s+floor\b",
            r"\b(fell|fall|fallen|collapsed)\s+(down|over)\b[^.?!]{0,40}\b(can't|cannot|won't|"
            r"not)\s+(get up|stand|move|"
            r"respond|answer|wake)",
            r"\bloss of consciousness\b",
            r"\b(hard|difficult|can't|cannot|unable)\s+to\s+(rouse|arouse)\b",
            r"\b(still|completely|totally)\s+out of it\b",
            r"\b(extreme|severe|terrible)\s+dizz\w*\b[^.?!]{0,40}\b(cold sweat|clammy|grey|gray|pale)\b",
        ),
        topic=(
            r"\b(vasovagal|faint|fainted|fainting|fainter|faints|woozy|dizzy|dizziness|lightheaded|"
            r"light-headed|unconscious|"
            r"collapse|collapsed|collapses|collapsing|pass out|passed out|needle shock|hypo|hypos|hypoglyc\w*)\b"
        ),
    ),
    RedFlag(
        "stroke signs",
        "sudden loss of balance, vision, speech or strength on one side can be a stroke, where every minute counts "
        "(BE-FAST)",
        (
            r"\b(having|had|has|is having|might be having|think .{0,12} having)\s+a\s+stroke\b",
            r"\b(has|have|having|showing|shows|got)\s+(all\s+)?(the\s+)?(stroke (symptoms|signs)|"
            r"signs? of (a )?stroke)\b",
            r"\bthunderclap\b",
            r"\b(talking|speaking)\s+(gibberish|nonsense)\b|\bnot making (any )?sense\b",
            r"\b(face|mouth|smile|eye|eyelid|lip)\b[^.?!]{0,20}\b(droop\w*|lopsided|crooked|sagging|saggy|uneven|"
            r"slipped|fallen)",
            r"\b(droop\w*|lopsided|crooked|sagging)\b[^.?!]{0,20}\b(face|mouth|side|smile)\b",
            r"\bslurr\w*\b",
            r"\b(numb|numbness|weak|weakness|paraly\w*|tingl\w*|dead)\b[^.?!]{0,20}\bone side\b",
            # Face and arm on the same side together (BE-FAST's F and A), not named as one side.
            r"\b(numb|numbness|weak|weakness)\b[^.?!]{0,20}\b(left|right)\s+(face|cheek)\b[^.?!]{0,25}\b(left|right)\s+"
            r"(arm|hand)\b",
            r"\b(face|arm|leg|mouth|hand)\b[^.?!]{0,25}\b(on|down)\s+one\s+side\b",
            r"\bsudden\w*\b[^.?!]{0,30}\b(weakness|numbness|confus\w*|worst headache|can't (speak|talk|see|walk)|"
            r"dizz\w*|balance|unsteady|vision|sight|blind|see|double|speak|speech|talk|words|walk)",
            r"\b(dizz\w*|balance|unsteady|vision|sight|speech|words|walk\w*)\b[^.?!]{0,30}\bsudden\w*",
            r"\bworst headache\b",
            r"\bdouble vision\b",
            r"\bseeing double\b",
            r"\b(lost|losing|loss of|lose)\s+(the\s+)?(vision|sight|balance)\b",
            r"\bcan't\s+see\s+(out of|properly|anything|from)\b",
            r"\bcan't (lift|move|feel|raise) (my|his|her|their|one) (arm|leg|face|hand)\b",
            r"\b(arm|leg|hand)\b[^.?!]{0,20}\b(gone|went|is|feels)\s+(dead|limp|numb|weak)\b",
            r"\b(words|speech|talking)\b[^.?!]{0,25}\b(jumbled|garbled|wrong|nonsense|muddled|strange|weird)\b",
            r"\bcan't\s+(get|find)\s+(my|his|her|the)\s+words\b",
            r"\b(can't|cannot|unable to)\s+walk\s+straight\b|\bunsafe\s+(walking|to walk)\b",
            # Jumping eyes with vertigo or unsteadiness (nystagmus): a stroke in the back of the brain.
            r"\b(vertigo|dizz\w*|light ?headed|unsteady)\b[^.?!]{0,40}\beyes?\b[^.?!]{0,20}\b(jumpy|jumping|flicking|"
            r"trying to cross)\b",
            r"\beyes?\b[^.?!]{0,20}\b(jumpy|jumping|flicking|trying to cross)\b[^.?!]{0,40}\b(vertigo|dizz\w*|"
            r"light ?headed|unsteady|unsafe walking)\b",
            r"\b(doesn't|does not|didn't|don't)\s+(know|recogni[sz]e)\s+(where|who)\s+(he|she|they|i)\s+(is|are|am)\b",
        ),
        topic=(
            r"\b(face (dropped|drooped)|hemiparesis|stroke|strokes|tia|mini-stroke|be-fast|spasticity|"
            r"paraly[sz]ed?|paralysis|slurred|drooping|"
            r"numb|numbness|tingly|tingling|vision|aura)\b"
        ),
    ),
    RedFlag(
        "severe allergic reaction",
        "swelling of the throat or tongue can close the airway (anaphylaxis)",
        (
            r"\banaphyla",
            r"\ballergic reaction\b",
            r"\bthroat\b[^.?!]{0,20}\b(swell\w*|swollen|clos\w*|tight\w*)",
            r"\b(tongue|lips?|face|eyes)\b[^.?!]{0,15}\b(swell\w*|swollen|puff\w*|huge|ballooning|big|enlarged)\b",
            r"\b(can't|cannot|can not|unable to|not able to)\s+swallow\s+(my\s+|his\s+|her\s+)?(own\s+)?"
            r"(saliva|spit)\b",
            r"\b(mouth|throat|voice)\b[^.?!]{0,20}\b(tight|closing|hoarse|"
            r"strange)\b[^.?!]{0,40}\b(swell\w*|puff\w*|ate|eaten|"
            r"allerg\w*|sting|stung)\b",
            r"\bswollen (throat|tongue|lips?)\b",
            r"\b(used|using|use|give|gave|giving|need|needs|needed|grab|get|jab)\s+((his|her|my|their|"
            r"the|an)\s+)?epi[- ]?pen",
            r"\bepi[- ]?pen\b[^.?!]{0,20}\b(isn't|not|didn't|doesn't)\s+(working|helping|work)",
            r"\bhives\b[^.?!]{0,40}\b(breath\w*|throat|swell\w*|spreading|all over)\b",
        ),
        topic=(
            r"\b(sensitivity|allergic|allergy|allergies|anaphylaxis|anaphylactic|epipen|epi-pen|hives|swelling|swollen|"
            r"reaction)\b"
        ),
    ),
    RedFlag(
        "seizure",
        "a seizure, or not waking properly after one, needs emergency care",
        (
            r"\bseiz(ure|ures|ing)\b",
            r"\bconvuls\w*",
            # "Fit" for a seizure: having one, or someone fitting (not "a good fit", "fit and healthy").
            r"\b(having|had|has|have|into|another|epileptic)\s+(a\s+)?fits?\b",
            r"\b(is|he's|she's|they're|started|starts|keeps?)\s+fitting\b",
            r"\bshaking\s+(all over|uncontrollabl\w*|violently)\b",
            r"\buncontrollabl\w*\s+shaking\b",
            r"\b(can't|cannot|won't|doesn't|does not)\s+stop\s+(shaking|jerking|convulsing|twitching)\b",
            r"\bjerking\s+(all over|uncontrollabl\w*|violently)\b",
            r"\bjerking\b[^.?!]{0,25}\b(arms|legs|limbs|body|fitting)\b",
            r"\bfoaming at the mouth\b",
            r"\beyes\s+(rolled|rolling|go|going|went|gone)\s+(back|up)\b",
            r"\bshaking\s+(all|her|his|their|the)\s+(whole\s+)?(body|over)\b",
            r"\b(went|gone|going)\s+(all\s+)?(stiff|rigid)\b[^.?!]{0,30}\b(jerk\w*|shak\w*|twitch\w*)",
        ),
        topic=r"\b((trigger|cause|causes|have|having|had|has)\s+(a\s+)?fits?|seizure|seizures|epilepsy|epileptic|convulsion|convulsions|fits)\b",
    ),
    RedFlag(
        "serious infection",
        "fever with spreading redness or swelling where a needle went in can be a spreading infection (sepsis); a rash "
        "that does not fade when a glass is pressed on it can be meningitis or sepsis",
        (
            r"\bseps(is|tic)\b",
            r"\b(fever|temperature|temp|chills|shivering|feverish)\b[^.?!]{0,80}\b(red\w*|swollen|swelling|pus|hot|"
            r"streaks?|spreading|infected)\b",
            r"\b(red\w*|swollen|swelling|pus|hot|streaks?|spreading|infected)\b[^.?!]{0,80}\b(fever|temperature|temp|"
            r"chills|shivering|feverish)\b",
            r"\b(red\w*|swelling|red patch)\b[^.?!]{0,20}\b(got|getting|grown|growing|gotten)\s+bigger\b",
            r"\bred (streaks?|lines?)\b",
            r"\bcellulitis\b[^.?!]{0,40}\b(spreading|fever|febrile|rigors|confused)",
            r"\b(redness|swelling)\b[^.?!]{0,20}\bspreading\b",
            # A rash that does not blanch (the glass test): meningitis or sepsis.
            r"\b(rash|spots|blotches|marks)\b[^.?!]{0,50}\b(doesn't|don't|won't|didn't|does not|do not|not)\s+"
            r"(fade|blanch|go away|disappear)\w*\b[^.?!]{0,40}\b(glass|press\w*|tumbler)\b",
            r"\bnon-?blanching\b",
        ),
        topic=r"\b(infection|infections|infected|sepsis|septic|pus|fever|abscess|cellulitis)\b",
        lasting=True,
    ),
    RedFlag(
        "head or spine injury",
        "after a knock to the head, confusion, vomiting, drowsiness or a fit can mean bleeding inside the skull; "
        "after a fall or a blow, legs or arms that can't move or feel can mean an injured spine",
        (
            rf"\b{_KNOCKED}\s+({_SOMEONE}\s+)?(back of {_SOMEONE}\s+)?head\b{_SAME_TELLING}\b{_HEAD_SIGN}",
            rf"\b(head (injury|knock|bump|wound)|concuss\w*)\b{_SAME_TELLING}\b{_HEAD_SIGN}",
            r"\b(fell|fall|fallen|falling|crash\w*|accident|dived|landed|thrown|tackled|came off)\b[^.?!]{0,80}"
            r"\b(can't|cannot|unable to|couldn't)\s+(move|feel)\s+(his|her|my|their|both)\s+"
            r"(legs|arms|feet|hands|neck)\b(?!\s+properly)",
            r"\b(broke|broken|fractured)\s+(his|her|my|their)\s+(neck|skull|spine)\b",
        ),
        topic=rf"\b(concussion|concussions|concussed|head injury|head injuries|skull|spinal injury|spinal cord|"
        rf"{_KNOCKED}\s+{_SOMEONE}\s+head)\b",
        lasting=True,
    ),
    RedFlag(
        "emergency",
        "you said this is an emergency",
        (
            r"\b(call(ed|ing)?|need|get|phone|ring)\s+(an\s+)?(ambulance|911|999|112|000)\b",
            r"\bmedical emergency\b",
            r"\bthis is an emergency\b",
            r"\b(i'm|i am|he's|she's)\s+dying\b(?!\s+(to|for|of (laughter|boredom|embarrassment)))",
        ),
        topic=r"\b(emergency|emergencies|ambulance|ambulances|911|999|112|000|a&e)\b",
    ),
)
