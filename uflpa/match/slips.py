"""Read a query's slipped place and business words as the list's own words.

Name analysis corrects typos only towards its reviewed tables and only where that is safe for any
text. Against one list more is safe: a query word that is in no vocabulary and one slip from a
place or business word that the list's names use ('Sihezi' for Shihezi, 'Tetile' for textile,
'Rianjin' for Tianjin) is read as that word before analysis, so that a typo in a place or an
industry word does not break the name's structure (the word would otherwise become part of the
trade name and miss). Trade names are never targets: a one-letter difference there is either a
typo or another firm, and trade-name similarity already weighs it. A pinyin word (a possible trade
name) is only read as a dropped, added or swapped letter, never a changed one (Huafa is not Huafu),
and a word with two possible readings is left alone; a three-letter word only gets back a lost
letter ('Gol', 'Fod'). The evidence shows what was read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from uflpa.names.analyze import latin_tokens
from uflpa.names.chinese import segment_pinyin
from uflpa.names.lexicon import COUNTRY_WORDS, Lexicon
from uflpa.names.slips import DeletionIndex
from uflpa.names.text import normalize_text, without_han

MIN_LENGTH = 4


class SlipReader:
    """The list's place and business words, indexed by their one-letter deletions."""

    def __init__(self, names: Iterable[str], lex: Lexicon) -> None:
        self._lex = lex
        words: set[str] = set()
        for name in names:
            latin = without_han(normalize_text(name))  # Han names have no Latin words to slip
            if not latin.strip():
                continue
            for token in latin_tokens(latin):
                if (
                    len(token) >= MIN_LENGTH
                    and token.isalpha()
                    and (
                        token in lex.place_vocab
                        or token in lex.business_vocab
                        or token in COUNTRY_WORDS
                    )
                ):
                    words.add(token)
        self.words = frozenset(words)
        self._index = DeletionIndex(words)
        self._cache: dict[str, str | None] = {}

    def target(self, token: str) -> str | None:
        """The list word `token` is a slip of, or None."""
        if token in self._cache:
            return self._cache[token]
        found = self._target(token)
        if len(self._cache) < 200_000:
            self._cache[token] = found
        return found

    def _target(self, token: str) -> str | None:
        lex = self._lex
        if (
            len(token) < MIN_LENGTH - 1
            or not token.isalpha()
            or token in self.words
            or token in lex.english_vocab
            or token in lex.abbreviations
        ):
            return None
        syllables = segment_pinyin(token)
        pinyin = syllables is not None
        if syllables is not None and (len(token) < MIN_LENGTH or len(syllables) < 2):
            return None  # one pinyin syllable ('zhong') is a word of its own, not a slip
        found: set[str] = set()
        for word, kind in self._index.near(token):
            if kind == "change" and (pinyin or len(token) < 5):
                continue
            if len(token) < MIN_LENGTH and kind != "drop":  # 'Gol', 'Fod': a lost letter
                continue
            found.add(word)
        return found.pop() if len(found) == 1 else None

    def read(self, name: str) -> tuple[str, dict[str, str]]:
        """`name` with its slipped words replaced, and what was read as what."""
        read: dict[str, str] = {}
        latin = without_han(normalize_text(name))  # Han is never romanised into a slip
        out = name
        # The last word may be cut at a field limit ('… AGRICULTURAL INTER'): a prefix, not a slip.
        for token in latin_tokens(latin)[:-1]:
            target = self.target(token)
            if target is None:
                continue
            pattern = rf"(?<![^\W\d_]){re.escape(token)}(?![^\W\d_])"
            replaced = re.sub(pattern, target, out, flags=re.IGNORECASE)
            if replaced != out:
                out = replaced
                read[token] = target
        return out, read
