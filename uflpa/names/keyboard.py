"""Which one-letter changes are typing or reading slips: neighbouring keys of a QWERTY row, and the
letters OCR confuses. Any other changed letter is more likely another word (or, in pinyin, another
character: 鑫 xin is not 敏 min) than a slip."""

from __future__ import annotations

from rapidfuzz.distance import OSA

_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
NEIGHBOUR_KEYS = frozenset(
    (row[i], row[j]) for row in _KEY_ROWS for i in range(len(row)) for j in (i - 1, i + 1)
    if 0 <= j < len(row)
)  # fmt: skip
CONFUSABLE = frozenset({("m", "n"), ("n", "m"), ("u", "v"), ("v", "u"), ("i", "l"), ("l", "i")})


def slip_alike(a: str, b: str) -> bool:
    """`a` and `b` are equal or one slip apart: a dropped, added or swapped letter, or a letter
    changed for a neighbouring key or an OCR look-alike."""
    if a == b:
        return True
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            pair = (a[diff[0]], b[diff[0]])
            return pair in NEIGHBOUR_KEYS or pair in CONFUSABLE
    return bool(OSA.distance(a, b) <= 1)
