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

Two business words side by side vouch for each other: a short word or a pinyin-looking one is not
read alone (at four letters 'hold' is not gold; 'Lunen' is pinyin), but beside another business
word it is read when the two form a pair of words that a listed name has side by side ('Haur
Sccessories' is Hair Accessories, 'Irob and Stewl' Iron and Steel, 'Nining Induatry' Mining
Industry), by one slip each: a neighbouring key, a look-alike, a dropped, doubled or swapped
letter. Only where exactly one such pair fits, and never towards a trade name: the pairs are of
business words only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

from uflpa.names.chinese import segment_pinyin
from uflpa.names.slips import DeletionIndex, slip_alike
from uflpa.names.tokens import latin_tokens
from uflpa.names.vocabulary import COUNTRY_WORDS, STOPWORDS, Lexicon
from uflpa.text.normalize import normalize_text
from uflpa.text.script import without_han

MIN_LENGTH = 4
# Where in a name a word stands, for reading a changed letter towards a place.
FIRST = "first"  # the name's first word
AFTER_XINJIANG = "after Xinjiang"  # the word after a leading Xinjiang: its prefecture or county


class SlipReader:
    """The list's place and business words, indexed by their one-letter deletions."""

    def __init__(self, names: Iterable[str], lex: Lexicon) -> None:
        self._lex = lex
        words: set[str] = set()
        spelled: set[str] = set()  # every word of the list's names: none of them is a slip
        pairs: set[tuple[str, str]] = set()  # business words side by side in a listed name
        for name in names:
            latin = without_han(normalize_text(name))  # Han names have no Latin words to slip
            if not latin.strip():
                continue
            tokens = [t for t in latin_tokens(latin) if t not in STOPWORDS]
            pairs.update(
                (a, b)
                for a, b in pairwise(tokens)
                if a in lex.business_vocab and b in lex.business_vocab
            )
            for token in tokens:
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
        self._pairs = frozenset(pairs)
        self._pair_words = DeletionIndex({w for p in pairs for w in p if len(w) >= 4})
        # A name's first word may be its country too (China Cotton Group: 'Chuna' is China).
        self._places = frozenset(lex.place_vocab) | (COUNTRY_WORDS & self.words)
        self._xinjiang_places = frozenset(
            w for w in lex.place_vocab if (p := lex.latin.get((w,))) is not None and p.xinjiang
        )
        self._options: dict[str, frozenset[str]] = {}
        self._cache: dict[tuple[str, str | None], str | None] = {}

    def target(self, token: str, head: str | None = None) -> str | None:
        """The list word `token` is a slip of, or None; `head`: FIRST for the name's first word,
        AFTER_XINJIANG for the word after a leading Xinjiang (read only towards its places)."""
        key = (token, head)
        if key in self._cache:
            return self._cache[key]
        found = self._target(token, head)
        if len(self._cache) < 200_000:
            self._cache[key] = found
        return found

    def _target(self, token: str, head: str | None) -> str | None:
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
        towards = self._head_places(head) if token not in self._spelled else frozenset()
        found: set[str] = set()
        head_places: set[str] = set()  # read only when no other reading exists ('Heian': Hetian)
        for word, kind in self._index.near(token):
            if kind == "change" and len(token) < 5:
                continue
            if kind == "change" and pinyin:
                # Only a neighbouring key or a look-alike: Guanglong is not Guangdong slipped.
                if word in towards and token not in lex.place_vocab and slip_alike(token, word):
                    head_places.add(word)
                continue
            if len(token) < MIN_LENGTH and kind != "drop":  # 'Gol', 'Fod': a lost letter
                continue
            found.add(word)
        found = found or head_places
        return found.pop() if len(found) == 1 else None

    def _head_places(self, head: str | None) -> frozenset[str]:
        """The place words a changed letter may be read towards at `head`."""
        if head == FIRST:
            return self._places
        if head == AFTER_XINJIANG:
            return self._xinjiang_places
        return frozenset()

    def read(self, name: str) -> tuple[str, dict[str, str]]:
        """`name` with its slipped words replaced, and what was read as what."""
        read: dict[str, str] = {}
        latin = without_han(normalize_text(name))  # Han is never romanised into a slip
        out = name
        # The last word may be cut at a field limit ('… AGRICULTURAL INTER'): a prefix, not a slip.
        # A name with a bracketed place ('Baiding Machinery (Shanghai)') is headed by its trade
        # name, not by a place.
        placed = "(" in latin
        tokens = latin_tokens(latin)
        head: str | None = None if placed else FIRST
        for token in tokens[:-1]:
            target = self.target(token, head=head)
            if target is not None:
                read[token] = target
            # After Xinjiang a name may go on with its prefecture or county, a place in Xinjiang
            # ('Xinjiang Hanahe Ashele' is Xinjiang Habahe slipped); where other provinces' places
            # lie is not known here, so after them the next word is read as any other.
            head = AFTER_XINJIANG if head and (target or token) == "xinjiang" else None
        if len(tokens) >= 2 and self._pairs:
            read.update(self._paired(tokens, read))
        if not read:
            return out, read
        # One pass over the words (a pattern per slipped word cost a regular-expression compile
        # each): a word of the name that folds to a slipped token is written as its reading.
        found: set[str] = set()

        def swap(m: re.Match[str]) -> str:
            word = m.group()
            target = read.get(word.casefold())
            if target is None:
                return word
            found.add(word.casefold())
            return target

        out = _LETTERS.sub(swap, out)
        return out, {k: v for k, v in read.items() if k in found}

    def _paired(self, tokens: tuple[str, ...], read: dict[str, str]) -> dict[str, str]:
        """Slipped words read through the business word beside them: both words, as read,
        must be a pair of a listed name, and only one pair may fit."""
        words = [read.get(t, t) for t in tokens if t not in STOPWORDS]
        business = self._lex.business_vocab
        if all(w in business or w in self._spelled for w in words):
            return {}  # the common case: nothing slipped that a pair could read
        options = [self._pair_options(w) for w in words]
        found: dict[str, str] = {}
        for i in range(len(words) - 1):
            left, right = options[i], options[i + 1]
            if not left or not right or (left == {words[i]} and right == {words[i + 1]}):
                continue  # no reading, or nothing slipped
            fits = [(a, b) for a in sorted(left) for b in sorted(right) if (a, b) in self._pairs]
            if len(fits) != 1:
                continue
            for word, target in zip((words[i], words[i + 1]), fits[0], strict=True):
                if word != target and found.get(word, target) == target:
                    found[word] = target
        return found

    def _pair_options(self, word: str) -> frozenset[str]:
        """`word` itself when it is a business word of the list's pairs, else the words of
        those pairs it is one slip from (three letters: only a lost letter, 'Woo', 'Foo')."""
        found = self._options.get(word)
        if found is None:
            found = frozenset(self._find_pair_options(word))
            if len(self._options) < 200_000:
                self._options[word] = found
        return found

    def _find_pair_options(self, word: str) -> set[str]:
        lex = self._lex
        if word in lex.business_vocab or not word.isalpha() or len(word) < MIN_LENGTH - 1:
            return {word} if word in lex.business_vocab else set()
        if word in self._spelled or word in lex.english_vocab or word in lex.place_vocab:
            return set()  # a word of its own: a listed trade name, a place, an English word
        out: set[str] = set()
        for target, kind in self._pair_words.near(word):
            if kind == "change" and not slip_alike(word, target):
                continue
            if len(word) < MIN_LENGTH and kind != "drop":
                continue
            out.add(target)
        return out


_LETTERS = re.compile(r"[^\W\d_]+")
