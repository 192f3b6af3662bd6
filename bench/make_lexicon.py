"""Write faqbot/data/english-words.tsv.gz: everyday English words with their Zipf frequency, from wordfreq.

Usage: pip install 'wordfreq>=3.1' && .venv/bin/python bench/make_lexicon.py
The engine reads the file, not wordfreq (which takes seconds and tens of MB to load). Word list data from wordfreq
by Robyn Speer, CC-BY-SA 4.0 (https://github.com/rspeer/wordfreq); the generated file carries the same licence.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from wordfreq import iter_wordlist, zipf_frequency

TARGET = Path(__file__).resolve().parent.parent / "faqbot" / "data" / "english-words.tsv.gz"
MIN_ZIPF = 2.0  # about once in 100 million words: below that, mostly names, typos and fragments


def main() -> None:
    rows = []
    for word in iter_wordlist("en", "large"):
        frequency = zipf_frequency(word, "en")
        if frequency < MIN_ZIPF:
            break
        if re.fullmatch(r"[a-z]+", word):
            rows.append(f"{word}\t{frequency:.2f}\n")
    with gzip.open(TARGET, "wt", encoding="utf-8", compresslevel=9) as handle:
        handle.write("".join(rows))
    print(f"{len(rows)} words -> {TARGET}")


if __name__ == "__main__":
    main()
