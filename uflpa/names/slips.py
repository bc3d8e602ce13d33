"""What a one-letter slip is, and a fast way to find a word's slips among many words.

A slip is a dropped, added or swapped letter, or a letter changed for a neighbouring key of a
QWERTY row or for one OCR confuses. Any other changed letter is more likely another word (or, in
pinyin, another character: 鑫 xin is not 敏 min) than a slip.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz.distance import OSA

_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
NEIGHBOUR_KEYS = frozenset(
    (row[i], row[j]) for row in _KEY_ROWS for i in range(len(row)) for j in (i - 1, i + 1)
    if 0 <= j < len(row)
)  # fmt: skip
_LOOK_ALIKES = (("m", "n"), ("u", "v"), ("i", "l"), ("l", "1"), ("i", "1"), ("o", "0"), ("s", "5"))
# Letters OCR and tired eyes confuse, both ways (a scanned bill of lading reads Esquel as Esque1).
CONFUSABLE = frozenset({*_LOOK_ALIKES, *((b, a) for a, b in _LOOK_ALIKES)})


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


def deletes(word: str) -> set[str]:
    """`word` with each one of its letters dropped."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def slip_kind(word: str, target: str) -> str | None:
    """'drop', 'add', 'swap' or 'change' when `word` is `target` with one such edit, else None
    ('change' is any changed letter: `slip_alike` says whether it is a slip)."""
    if len(word) == len(target) - 1:
        return "drop" if word in deletes(target) else None
    if len(word) == len(target) + 1:
        return "add" if target in deletes(word) else None
    if len(word) != len(target) or word == target:
        return None
    diff = [i for i in range(len(word)) if word[i] != target[i]]
    if len(diff) == 1:
        return "change"
    if (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and word[diff[0]] == target[diff[1]]
        and word[diff[1]] == target[diff[0]]
    ):
        return "swap"
    return None


class DeletionIndex:
    """Words keyed by themselves and their one-letter deletions: two words one edit apart share
    a key, so a word's neighbours are a few dict lookups, not a scan of every word."""

    def __init__(self, words: Iterable[str]) -> None:
        index: dict[str, set[str]] = {}
        longest = 0
        for word in words:
            longest = max(longest, len(word))
            for key in {word, *deletes(word)}:
                index.setdefault(key, set()).add(word)
        self._index = {k: tuple(sorted(v)) for k, v in index.items()}
        self._longest = longest

    def near(self, word: str) -> list[tuple[str, str]]:
        """(target, kind) for every indexed word one edit from `word`, in a stable order."""
        if len(word) > self._longest + 1:
            # No indexed word is one edit away; and a hostile 50,000-letter word would cost
            # 50,000 deletions of 50,000 letters each.
            return []
        found: dict[str, str] = {}
        for key in sorted({word, *deletes(word)}):
            for target in self._index.get(key, ()):
                kind = slip_kind(word, target)
                if kind is not None:
                    found.setdefault(target, kind)
        return sorted(found.items())
