"""Latin words as analysis reads them: tokens, numbers, pinyin syllables, and repaired slips.

A Latin name is read word by word into *units*: English words, numbers and pinyin syllables (the
units the phrase tables are keyed by). On the way, what trade data does to words is undone where it
can be checked against the reviewed tables: shipping abbreviations expanded, OCR look-alikes
(`1td`, `rnetals`), doubled letters (`Aksuu`), misspelt vocabulary words (`technnology`) and a
misspelt place heading the name (`Xinjian`). Trade names are never corrected: nothing can check
them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import OSA

from uflpa.names.chinese import segment_pinyin, syllable_inventory
from uflpa.names.slips import CONFUSABLE, NEIGHBOUR_KEYS, DeletionIndex
from uflpa.names.vocabulary import Lexicon
from uflpa.text.normalize import strip_accents

_NON_LATIN = re.compile(r"[\u0250-\U0010ffff]")
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|&")


def latin_units(text: str, lex: Lexicon) -> list[tuple[str, str]]:
    """Latin text as units: ('word', w) for English words, numbers and non-pinyin words,
    ('syl', s) for pinyin syllables ('syl+' for one that continues the previous one's word).
    English vocabulary wins over pinyin ('mining' is a word, not mi+ning)."""
    return list(_latin_units(text, lex))


@lru_cache(maxsize=100_000)
def _latin_units(text: str, lex: Lexicon) -> tuple[tuple[str, str], ...]:
    """Cached: the same segments (', Ltd.', ', Xinjiang') end many names of a file."""
    units: list[tuple[str, str]] = []
    tokens = latin_tokens(text)
    if tokens:
        tokens = (_head_place_typo(tokens[0], lex), *tokens[1:])
    english_words = sum(1 for t in tokens if t in lex.english_vocab or not segment_pinyin(t))
    english_context = english_words * 2 > len(tokens)
    for raw in tokens:
        units.extend(_word_units(raw, english_context, lex))
    return tuple(units)


@lru_cache(maxsize=200_000)
def _word_units(raw: str, english_context: bool, lex: Lexicon) -> tuple[tuple[str, str], ...]:
    """The units of one token (cached: the same words recur across a list)."""
    units: list[tuple[str, str]] = []
    expanded = lex.abbreviations.get(raw, raw) if lex.abbreviations else raw
    for word in expanded.split():
        word = _ocr_repaired(word, lex)
        if word in lex.english_vocab or word.isdigit() or word == "&":
            # A vocabulary word that is also one syllable ('fu', 'hua') joins a pinyin run.
            units.append((word, "syl" if word in syllable_inventory() else "word"))
            continue
        syllables = segment_pinyin(word) if word.replace("'", "").isalpha() else None
        if syllables and english_context and len(word) >= 7 and len(syllables) >= 3:
            # In an English name a long word that only splits into three or more syllables
            # may be a misspelt vocabulary word ('xineiang' is xi+nei+ang): prefer the
            # vocabulary word. Two-syllable words are real trade names too often
            # ('yinfeng' is not a misspelt 'minfeng', nor 'yuanan' of 'yunnan').
            corrected = correct_word(word, lex)
            if corrected != word:
                units.append((corrected, "syl" if corrected in syllable_inventory() else "word"))
                continue
        undoubled = _undoubled(word, lex) if english_context or not syllables else None
        if undoubled:
            # 'LINNEN' splits as lin + nen, but among English words it is linen with a doubled
            # letter: pinyin has no doubled letters inside a syllable, so the slip is read away
            # when it leaves a word of the tables ('Aksuu', 'Wooll', 'CCo').
            units.append((undoubled, "syl" if undoubled in syllable_inventory() else "word"))
            continue
        if syllables:
            # 'syl+' marks a syllable that continues the same word ('fu' of Shengfu).
            units.extend((syl, "syl" if k == 0 else "syl+") for k, syl in enumerate(syllables))
            continue
        units.append((correct_word(word, lex), "word"))
    return tuple(units)


def _undoubled(word: str, lex: Lexicon) -> str | None:
    """The business or place word `word` is with one letter of a doubled pair dropped."""
    for i in range(1, len(word)):
        if word[i] == word[i - 1]:
            shorter = word[:i] + word[i + 1 :]
            if shorter in lex.business_vocab or shorter in lex.place_vocab:
                return shorter
    return None


_DIGITS_AS_L = str.maketrans("105", "los")
_DIGITS_AS_I = str.maketrans("105", "ios")


@lru_cache(maxsize=100_000)
def _ocr_repaired(word: str, lex: Lexicon) -> str:
    """A vocabulary word that OCR or a typist garbled with a look-alike: a digit for a letter
    ('1td', 'Appare1', 'C0tton') or 'rn' for 'm' ('rnetals'). Anything that is not then a word
    of the tables stays as it was: a trade name cannot be checked."""
    if word in lex.english_vocab or word.isdigit() or not word.isalnum():
        return word
    if not word.isalpha() and any(c.isalpha() for c in word):
        for table in (_DIGITS_AS_L, _DIGITS_AS_I):
            fixed = word.translate(table)
            if fixed in lex.english_vocab:
                return fixed
    if "rn" in word:
        fixed = word.replace("rn", "m")
        if fixed in lex.english_vocab:
            return fixed
    if 2 <= len(word) <= 3 and word.isalpha() and segment_pinyin(word) is None:
        # 'snd', 'adn', 'nd', 'teh': a slipped 'and' or 'the' is noise, not a trade word.
        for small in ("and", "the"):
            if OSA.distance(word, small) <= 1:
                return small
    return word


@lru_cache(maxsize=100_000)
def _head_place_typo(word: str, lex: Lexicon) -> str:
    """The first word of a name, read as the Xinjiang place or province it misspells by a
    dropped, extra or swapped letter ('Xinjian', 'Xijiang', 'Injiang', 'Xinjinag'): a Chinese
    firm's name starts with its place. A changed letter is not corrected here: 'Yuanan' is a trade
    name, not Yunnan, and 'Jingye' is not Jinghe."""
    if len(word) < 5 or not word.isalpha() or word in lex.english_vocab:
        return word
    syllables = segment_pinyin(word)
    if syllables is not None and len(syllables) < 2:
        return word  # one syllable ('chang' of Chang Zhou) is a word, not a slip of Chiang
    pinyin = syllables is not None
    near = sorted(_head_places(lex).near(word), key=lambda tk: (tk[0] != "xinjiang", tk[0]))
    for target, kind in near:
        # A pinyin word one slip from a county or city is as often a trade name (Taicheng is
        # not Tacheng); from a province or Xinjiang itself, a slip (Xinjian).
        if kind != "change" and (not pinyin or target in lex.province_vocab):
            return target
    return word


@lru_cache(maxsize=2)
def _head_places(lex: Lexicon) -> DeletionIndex:
    return DeletionIndex(lex.head_place_vocab)


_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_TENS = {
    w: 10 * i
    for i, w in enumerate(
        ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    )
    if i >= 2
}
_TENS["fourty"] = 40  # a common misspelling in sanctions data
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
# Roman numerals II-XX as series numbers ('Fund VIII', 'Solutions II'); 'xi' is also a pinyin
# syllable (西, 喜) and is never read as eleven.
_ROMAN = {
    r: i
    for i, r in enumerate(
        [
            "_",
            "_",
            "ii",
            "iii",
            "iv",
            "_",
            "vi",
            "vii",
            "viii",
            "ix",
            "_",
            "_",
            "xii",
            "xiii",
            "xiv",
            "xv",
            "xvi",
            "xvii",
            "xviii",
            "xix",
            "xx",
        ]
    )
    if r != "_"
}


@lru_cache(maxsize=100_000)
def latin_tokens(text: str) -> tuple[str, ...]:
    """Words of a Latin (or transliterated) string, with initials joined ('A.B.C.' → 'abc'),
    number words and ordinals as digits ('Forty-Four', '1st' → '44', '1') and Roman series
    numbers as digits ('VIII' → '8')."""
    if not text.isascii() and any(c.isalpha() for c in _NON_LATIN.findall(text)):
        from rigour.text import ascii_text

        text = ascii_text(text).lower()  # Cyrillic, Greek, Arabic … to Latin
    words = [w[:-2] if w.endswith("'s") else w for w in _TOKEN.findall(strip_accents(text))]
    out: list[str] = []
    initials: list[str] = []
    for word in words:
        if len(word) == 1 and word.isalpha():
            initials.append(word)
            continue
        if initials:
            out.append("".join(initials))
            initials = []
        out.append(word)
    if initials:
        out.append("".join(initials))
    return tuple(_numbers(out))


_ORDINAL_SUFFIX = re.compile(r"(\d+)(?:st|nd|rd|th)")


def _numbers(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        m = _ORDINAL_SUFFIX.fullmatch(word)
        if m:
            word = m.group(1)
        elif word in _ORDINALS:
            word = str(_ORDINALS[word])
        elif word in _NUMBER_WORDS:
            word = str(_NUMBER_WORDS[word])
        elif word in _TENS:
            word = str(_TENS[word])
        elif word in _ROMAN:
            word = str(_ROMAN[word])
        if out and word.isdigit() and len(word) == 1 and out[-1].isdigit():
            prev = out[-1]
            if len(prev) == 2 and prev.endswith("0"):
                out[-1] = str(int(prev) + int(word))  # forty four → 44
                continue
            if len(prev) == 2 and not prev.endswith("0"):
                pass
        out.append(word)
    return out


def correct_word(word: str, lex: Lexicon) -> str:
    """A misspelt vocabulary word ('technnology', 'xineiang', 'logitsics') read as the word it
    misspells: one edit (a transposition counts as one) for words of 6+ letters, two for 9+.
    A word of 4 or 5 letters only gets back a dropped letter, and only of an industry,
    organisation or legal-form word ('grup' → group): at that length a changed letter is more
    often another word than a typo (band, bank), an extra one a plural ('corps' is not corp),
    and place names are too many ('benn' is not Benin). The exceptions: a dropped first letter
    ('rade'), an OCR slip (m/n, u/v, l/i), a neighbouring-key slip in a 5-letter word (o/p …;
    at 4 letters 'hold' is not gold) or two swapped letters in a business or place word ('Yamqi'
    is Yanqi, 'Grpup' group, 'Hiar' hair). Trade names are never corrected: only words of the
    reviewed tables are targets."""
    if len(word) < 4 or not word.isalpha():
        return word
    if len(word) >= 6:
        return _nearest_vocab(word, lex)
    return _with_dropped_letter(word, lex) or _slipped(word, lex) or word


def _with_dropped_letter(word: str, lex: Lexicon) -> str | None:
    """The business word `word` is with one letter dropped, the first one too ('rade')."""
    return next((t for t, kind in _business_words(lex).near(word) if kind == "drop"), None)


@lru_cache(maxsize=2)
def _business_words(lex: Lexicon) -> DeletionIndex:
    return DeletionIndex(w for w in lex.business_vocab if len(w) >= 4 and w.isalpha())


def _slipped(word: str, lex: Lexicon) -> str | None:
    """The business or place word `word` is with one OCR slip, neighbouring-key slip or swap of
    neighbouring letters ('Yamqi' is Yanqi, 'Grpup' group, 'Hiar' hair), where any other
    one-letter change is as likely another word."""
    for target, kind in _short_targets(lex).near(word):
        if kind == "swap":
            return target
        if kind == "change":
            pair = next((a, b) for a, b in zip(word, target, strict=True) if a != b)
            if pair in CONFUSABLE or (len(word) >= 5 and pair in NEIGHBOUR_KEYS):
                return target
    return None


@lru_cache(maxsize=2)
def _short_targets(lex: Lexicon) -> DeletionIndex:
    words = lex.business_vocab | lex.place_vocab
    return DeletionIndex(w for w in words if 4 <= len(w) <= 5 and w.isalpha())


@lru_cache(maxsize=100_000)
def _nearest_vocab_cached(word: str, vocab: tuple[str, ...]) -> str:
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    limit = 2 if len(word) >= 9 else 1
    hit = process.extractOne(word, vocab, scorer=OSA.distance, score_cutoff=limit)
    return str(hit[0]) if hit else word


def _nearest_vocab(word: str, lex: Lexicon) -> str:
    return _nearest_vocab_cached(word, _vocab_tuple(lex))


@lru_cache(maxsize=1)
def _vocab_tuple(lex: Lexicon) -> tuple[str, ...]:
    return tuple(sorted(w for w in lex.english_vocab if len(w) >= 4 and w.isalpha()))
