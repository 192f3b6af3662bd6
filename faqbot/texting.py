"""How people text the words the red-flag patterns are written with: the tables `faqbot.safety` reads them by."""

from __future__ import annotations

import re

# How texting writes the function words the red-flag patterns are written with.
TEXTING = {
    "cant": "can't",
    "cnt": "can't",
    "cannt": "can't",
    "dont": "don't",
    "doesnt": "doesn't",
    "didnt": "didn't",
    "wont": "won't",
    "isnt": "isn't",
    "wasnt": "wasn't",
    "arent": "aren't",
    "havent": "haven't",
    "hasnt": "hasn't",
    "couldnt": "couldn't",
    "wouldnt": "wouldn't",
    "im": "i'm",
    "ive": "i've",
    "hes": "he's",
    "shes": "she's",
    "theyre": "they're",
    "whats": "what's",
    "u": "you",
    "ur": "your",
    "r": "are",
    "pls": "please",
    "plz": "please",
    "bc": "because",
    "cuz": "because",
    "rn": "right now",
    "kms": "kill myself",
    # Clinical shorthand, as staff write it.
    "cp": "chest pain",
    "sob": "short of breath",
    "ptx": "pneumothorax",
    "mi": "heart attack",
    "cva": "stroke",
    "si": "suicidal ideation",
    "od": "overdose",
    "hx": "history of",
    "loc": "loss of consciousness",
    "febrile": "fever",
    "rigors": "chills",
    "diaphoretic": "sweating",
}
# "c/o" is staff's "complaining of"; a decimal point ("39.5") is not the end of a sentence.
SHORTHAND = ((re.compile(r"\bc/o\b"), "complaining of"), (re.compile(r"(\d)\.(\d)"), r"\1 point \2"))
