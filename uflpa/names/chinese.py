"""Chinese names read as pinyin: Han to tone-less syllables (pypinyin), and pinyin words cut into
syllables. (Traditional to simplified is text, not name analysis: `uflpa.text.han`.)

rigour deliberately does not romanise Han characters; this module is where uflpa does. Pinyin is
folded so that spaced, joined, hyphenated and toned spellings give the same syllables, and ü is
folded to u ('Lvzhou', 'Lüzhou' and 'Luzhou' all give lu zhou), since trade data writes all three.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from uflpa.text.normalize import strip_accents

_UMLAUT = re.compile(r"(?<=[ln])v")


def fold_syllable(syllable: str) -> str:
    """Tone-less, ü→u: 'lǜ', 'lü', 'lv' and 'lu' all become 'lu'."""
    s = strip_accents(syllable.replace("ü", "v")).lower()
    return _UMLAUT.sub("u", s).replace("v", "u")


@lru_cache(maxsize=1)
def syllable_inventory() -> frozenset[str]:
    """Every tone-less pinyin syllable pypinyin knows (about 400), folded as above."""
    from pypinyin.pinyin_dict import pinyin_dict

    readings = {r for value in pinyin_dict.values() for r in value.split(",")}
    out = {fold_syllable(r) for r in readings}
    # Interjection readings such as 'm', 'ng', 'hm' are not syllables of company names.
    return frozenset(s for s in out if s.isalpha() and any(v in s for v in "aeiou"))


@lru_cache(maxsize=100_000)
def han_syllables(text: str) -> tuple[str, ...]:
    """Pinyin syllables of a Han string, one per character (phrase-aware for polyphones).

    The same syllables as pypinyin's `lazy_pinyin(text, style=NORMAL, errors="ignore")`, in the
    same way: pypinyin cuts the text into its dictionary's words and reads each word alone. The
    cutting is cheap; reading a word costs about 18 µs of pypinyin's interpreted style pipeline,
    and company names reuse a few thousand words, so each word is read once and remembered.
    """
    segment, _ = _pypinyin()
    out: list[str] = []
    for word in segment(text):
        out.extend(_word_syllables(word))
    return tuple(out)


@lru_cache(maxsize=1)
def _pypinyin() -> tuple[Callable[[str], list[str]], Callable[[str], list[list[str]]]]:
    """pypinyin's word cutter and its reader of one word, as `lazy_pinyin` uses them."""
    from pypinyin import Style
    from pypinyin.converter import DefaultConverter
    from pypinyin.core import Pinyin

    converter = DefaultConverter()

    def read(word: str) -> list[list[str]]:
        readings: list[list[str]] = converter.convert(word, Style.NORMAL, False, "ignore", True)
        return readings

    return Pinyin(converter).seg, read


@lru_cache(maxsize=200_000)
def _word_syllables(word: str) -> tuple[str, ...]:
    _, read = _pypinyin()
    return tuple(fold_syllable(s) for item in read(word) for s in item if s)


@lru_cache(maxsize=200_000)
def segment_pinyin(word: str) -> tuple[str, ...] | None:
    """Split a Latin word into pinyin syllables ('huafushishang' → hua fu shi shang), or None
    when it is not pinyin. Prefers the fewest syllables, so 'xian' stays one syllable; an
    apostrophe or hyphen forces a break ('xi'an')."""
    parts = [p for p in re.split(r"['\-]", fold_syllable(word)) if p]
    if not parts:
        return None
    inventory = syllable_inventory()
    out: list[str] = []
    for part in parts:
        seg = _segment(part, inventory)
        if seg is None:
            return None
        out.extend(seg)
    return tuple(out)


#: The longest pinyin syllable ('zhuang', 'chuang', 'shuang') has six letters.
_LONGEST_SYLLABLE = 6


def _segment(word: str, inventory: frozenset[str]) -> list[str] | None:
    """The cut into the fewest syllables (the first found on a tie), or None.

    A dynamic programme over positions that keeps, per position, only the length of its best
    cut and where that cut's last syllable starts: linear memory. (Keeping each position's
    whole cut made a 50,000-letter word cost gigabytes.)
    """
    n = len(word)
    if n == 0 or not word.isalpha():
        return None
    unreached = n + 1
    count = [unreached] * (n + 1)  # syllables in the best cut of word[:j]
    start = [0] * (n + 1)  # where the last syllable of that cut starts
    count[0] = 0
    for i in range(n):
        here = count[i]
        if here == unreached:
            continue
        for j in range(min(n, i + _LONGEST_SYLLABLE), i, -1):
            if here + 1 < count[j] and word[i:j] in inventory:
                count[j] = here + 1
                start[j] = i
    if count[n] == unreached:
        return None
    out: list[str] = []
    j = n
    while j > 0:
        i = start[j]
        out.append(word[i:j])
        j = i
    out.reverse()
    return out
