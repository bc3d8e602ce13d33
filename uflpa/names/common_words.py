"""Whether a word is common in English, from wordfreq's frequency lists.

A trade name is evidence because it is rare: two firms called Hoshine are likely one group, two
firms whose names share Union, Apex or Sunshine are likely strangers. The list's own trade names
are mostly pinyin or coined words (Hoshine, Ninestar), which wordfreq does not know; the English
words some of them use (Union Biotech, Apex Microelectronics, Sunshine) are everyday words that
unrelated firms abroad use too. wordfreq's 'small' English list is loaded once, on the first
question (about 0.1 s), and only names that need the test ask it.
"""

from __future__ import annotations

from functools import lru_cache

#: Zipf frequency (log10 of uses per billion words) from which an English word is common: 3.0 is
#: about one use in a million words (apex 3.7, synergy 3.2, camel 3.6); coined trade names and
#: most pinyin words are absent (0.0).
COMMON_ZIPF = 3.0


@lru_cache(maxsize=16_384)
def is_common_english(word: str) -> bool:
    """`word` (folded) is an everyday English word: sharing it says little about two firms."""
    if len(word) < 3 or not word.isalpha() or not word.isascii():
        return False
    from wordfreq import zipf_frequency

    return bool(zipf_frequency(word, "en", wordlist="small") >= COMMON_ZIPF)
