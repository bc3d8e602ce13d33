"""Read a query's slipped place and business words as the list's own words.

Name analysis corrects typos only towards its reviewed tables and only where that is safe for any
text. Against one list more is safe: a query word that is in no vocabulary and one slip from a
place or business word that the list's names use ('Sihezi' for Shihezi, 'Tetile' for textile,
'Rianjin' for Tianjin) is read as that word before analysis, so that a typo in a place or an
industry word does not break the name's structure (the word would otherwise become part of the
trade name and miss). Trade names are never targets: a one-letter difference there is either a
typo or another firm, and trade-name similarity already weighs it. A pinyin word (a possible trade
name) is only read as a dropped, added or swapped letter, never a changed one (Huafa is not Huafu),
except at the head of the name, towards a place, by a neighbouring key or a look-alike letter: a
Chinese firm's name begins with its place of registration, and there 'Rianjin', 'Hunei' and
'Xinjuang' are Tianjin, Hubei and Xinjiang slipped (Guanglong, a trade name heading 'Guanglong
Agricultural (Kashgar)', is not Guangdong). A word with two possible readings is left alone; a
three-letter word only gets back a lost letter ('Gol', 'Fod'). The evidence shows what was read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from uflpa.names.chinese import segment_pinyin
from uflpa.names.slips import DeletionIndex, slip_alike
from uflpa.names.tokens import latin_tokens
from uflpa.names.vocabulary import COUNTRY_WORDS, Lexicon
from uflpa.text.normalize import normalize_text
from uflpa.text.script import without_han

MIN_LENGTH = 4


class SlipReader:
    """The list's place and business words, indexed by their one-letter deletions."""

    def __init__(self, names: Iterable[str], lex: Lexicon) -> None:
        self._lex = lex
        words: set[str] = set()
        spelled: set[str] = set()  # every word of the list's names: none of them is a slip
        for name in names:
            latin = without_han(normalize_text(name))  # Han names have no Latin words to slip
            if not latin.strip():
                continue
            for token in latin_tokens(latin):
                spelled.add(token)
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
        self._spelled = frozenset(spelled)
        self._index = DeletionIndex(words)
        self._cache: dict[tuple[str, bool], str | None] = {}

    def target(self, token: str, head: bool = False) -> str | None:
        """The list word `token` is a slip of, or None; `head`: the name's first word."""
        key = (token, head)
        if key in self._cache:
            return self._cache[key]
        found = self._target(token, head)
        if len(self._cache) < 200_000:
            self._cache[key] = found
        return found

    def _target(self, token: str, head: bool) -> str | None:
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
        # At the head, a changed letter may be read towards a place, unless the word is a name's
        # own (Linxi is not Lanxi slipped) or a known place.
        head = head and token not in self._spelled and token not in lex.place_vocab
        found: set[str] = set()
        head_places: set[str] = set()  # read only when no other reading exists ('Heian': Hetian)
        for word, kind in self._index.near(token):
            if kind == "change" and len(token) < 5:
                continue
            if kind == "change" and pinyin:
                # Only a neighbouring key or a look-alike: Guanglong is not Guangdong slipped.
                if head and word in lex.place_vocab and slip_alike(token, word):
                    head_places.add(word)
                continue
            if len(token) < MIN_LENGTH and kind != "drop":  # 'Gol', 'Fod': a lost letter
                continue
            found.add(word)
        found = found or head_places
        return found.pop() if len(found) == 1 else None

    def read(self, name: str) -> tuple[str, dict[str, str]]:
        """`name` with its slipped words replaced, and what was read as what."""
        read: dict[str, str] = {}
        latin = without_han(normalize_text(name))  # Han is never romanised into a slip
        out = name
        # The last word may be cut at a field limit ('… AGRICULTURAL INTER'): a prefix, not a slip.
        # A name with a bracketed place ('Baiding Machinery (Shanghai)') is headed by its trade
        # name, not by a place.
        placed = "(" in latin
        for n, token in enumerate(latin_tokens(latin)[:-1]):
            target = self.target(token, head=n == 0 and not placed)
            if target is None:
                continue
            pattern = rf"(?<![^\W\d_]){re.escape(token)}(?![^\W\d_])"
            replaced = re.sub(pattern, target, out, flags=re.IGNORECASE)
            if replaced != out:
                out = replaced
                read[token] = target
        return out, read
