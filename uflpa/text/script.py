"""Which script a text is written in, with the one Han range every layer uses.

Han is the CJK Unified Ideographs, Extension A, the compatibility ideographs and Extensions B-F
of the supplementary plane (rare characters that registered names do use). The Yijing hexagram
symbols (U+4DC0-U+4DFF) sit between Extension A and the unified block but are symbols, not Han,
so the range skips them.
"""

from __future__ import annotations

import re

#: The Han range as the body of a regex character class, for patterns built on it.
HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
#: Hiragana and katakana: Japanese text, which shares Han characters with Chinese.
KANA_CHARS = "\u3040-\u30ff"

_HAN = re.compile(f"[{HAN_CHARS}]")
_KANA = re.compile(f"[{KANA_CHARS}]")
_SCRIPT_RUN = re.compile(f"[{HAN_CHARS}]+|[^{HAN_CHARS}]+")


# `str.isascii()` reads a flag CPython keeps on every string: most party names are ASCII, and
# these run several times per name.
def is_han(char: str) -> bool:
    return not char.isascii() and bool(_HAN.match(char))


def has_han(text: str) -> bool:
    return not text.isascii() and bool(_HAN.search(text))


def has_kana(text: str) -> bool:
    return not text.isascii() and bool(_KANA.search(text))


def without_han(text: str, replacement: str = " ") -> str:
    """`text` with each Han character a space (or `replacement`): its Latin words, never Han
    romanised."""
    return text if text.isascii() else _HAN.sub(replacement, text)


def han_share(text: str) -> float:
    """Share of Han characters among the letters of `text` (0 for a Latin name)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if is_han(c)) / len(letters)


def script_runs(text: str) -> list[str]:
    """`text` cut where it switches between Han and anything else ('Aksu 华孚 Co' gives 'Aksu ',
    '华孚', ' Co'): Chinese and Latin parts of one name are read by different rules."""
    return _SCRIPT_RUN.findall(text)
