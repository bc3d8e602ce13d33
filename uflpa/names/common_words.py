"""Whether a word is an everyday English word.

A trade name is evidence because it is rare: two firms called Hoshine are likely one group, two
firms whose names share Union, Apex or Sunshine are likely strangers. The list's own trade names
are mostly pinyin or coined words (Hoshine, Ninestar), which no English word list holds; the
English words some of them use (Union Biotech, Apex Microelectronics, Sunshine) are everyday
words that unrelated firms abroad use too. `data/names/common_english.txt` holds wordfreq's
everyday English words (scripts/make_common_english.py writes it from the pinned wordfreq): the
file loads in milliseconds, where importing wordfreq costs a screening run about 0.17 s.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def common_english() -> frozenset[str]:
    """The everyday English words (folded, three letters or more)."""
    path = resources.files("uflpa.data").joinpath("names").joinpath("common_english.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def is_common_english(word: str) -> bool:
    """`word` (folded) is an everyday English word: sharing it says little about two firms."""
    return word in common_english()
