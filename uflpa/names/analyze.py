"""Break a company name into the parts that identify it.

A Chinese company name is place + trade name + industry + legal form, in any script:
阿克苏华孚色纺有限公司, "Akesu Huafu Sefang Youxian Gongsi" and
"Aksu Huafu Color Spinning Co., Ltd."
are one name. `analyze` maps all three to the same parts: places and industries become concept
keys, legal forms and organisation words are set aside, and what is left is the trade name, as
joined pinyin syllables or English words. Bills of lading append addresses and countries; those are
cut off and kept apart so they can inform, not distort, the comparison.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rapidfuzz.distance import OSA
from rigour.names import extract_org_types

from uflpa.names.chinese import han_syllables, segment_pinyin, syllable_inventory
from uflpa.names.lexicon import PLACE_SUFFIX_WORDS, STOPWORDS, Lexicon, Phrase, lexicon
from uflpa.names.slips import CONFUSABLE, NEIGHBOUR_KEYS, DeletionIndex
from uflpa.text.han import to_simplified
from uflpa.text.normalize import normalize_text, strip_accents
from uflpa.text.script import has_han, is_han, script_runs, without_han


@dataclass(frozen=True, slots=True)
class NameAnalysis:
    """The parts of one name. Tuples keep input order; all strings are folded."""

    original: str
    name: str  # the name part, normalised (address and country cut off)
    address: str  # text cut off as an address ('' when none)
    script: str  # 'han', 'latin' or 'mixed'
    han_core: str  # Han characters without legal form, organisation words or brackets
    trade: tuple[str, ...]  # distinctive tokens: joined pinyin runs and other words
    places: tuple[str, ...]  # place keys ('p:akesu'), in order
    xinjiang_places: tuple[str, ...]
    industries: tuple[str, ...]  # industry concepts ('silicon', 'industry')
    orgs: tuple[str, ...]  # organisation words ('group', 'holdings')
    legal: tuple[str, ...]  # legal form types ('ltd', 'jsc', 'corp')
    country: bool  # a country word (China, PRC, 中国) was present
    acronym: str  # initials of a Latin name of three or more words ('xpcc')
    initials: tuple[str, ...] = ()  # initials of pinyin trade runs (绿叶硕子岛 → 'lyszd')
    core_key: str = ""  # places (as pinyin keys) and trade name joined: 天津坤宇 → 'tianjinkunyu'
    # Places named in the address part, or in an address given beside the name: a place stated
    # after the name ('Esquel Textile Co., Ltd., Changji') is the firm's place too.
    address_places: tuple[str, ...] = ()
    address_xinjiang: tuple[str, ...] = ()

    # Derived once, because scoring compares them for every candidate.
    trade_key: str = field(init=False)  # trade tokens joined
    compact: str = field(init=False)  # the name part, letters and digits only
    trade_set: frozenset[str] = field(init=False)
    place_set: frozenset[str] = field(init=False)
    industry_set: frozenset[str] = field(init=False)
    org_set: frozenset[str] = field(init=False)
    numbers: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "trade_key", "".join(self.trade))
        # '&' is 'and' ('Import & Export'), so a name cut after it still starts the listed one.
        put(self, "compact", _NOT_ALNUM.sub("", self.name.replace("&", "and")))
        put(self, "trade_set", frozenset(self.trade))
        put(self, "place_set", frozenset(self.places))
        put(self, "industry_set", frozenset(self.industries))
        put(self, "org_set", frozenset(self.orgs))
        put(self, "numbers", frozenset(t for t in self.trade if t.isdigit()))


_ADDRESS_MARKER = re.compile(r"\b(?:add|addr|address|adr)\s*[:：.]|地址\s*[:：]?")
_LEGAL_TAIL = re.compile(
    r"\b(?:co\.?\s*,?\s*ltd\.?|company\s+limited|co\.?\s*,?\s*limited|limited|ltd\.?|"
    r"corporation|corp\.?|inc\.?|llc|co\.)(?=[\s,.;:)]|$)"
    # Chinese forms end a name with no space before what follows (有限公司上海市浦东新区…).
    r"|有限责任公司|有限公司"
)
_ADDRESS_WORDS = frozenset(
    [
        "road",
        "rd",
        "street",
        "st",
        "avenue",
        "ave",
        "lu",
        "jie",
        "dadao",
        "lane",
        "no",
        "building",
        "bldg",
        "floor",
        "room",
        "zone",
        "park",
        "district",
        "county",
        "city",
        "province",
        "town",
        "village",
        "xian",
        "shi",
        "qu",
        "sheng",
        "diqu",
        "zhen",
        "xiang",
        "cun",
        "zip",
        "postal",
        "code",
        "industrial",
        "development",
        "economic",
        "technological",
        "high",
        "tech",
        "high-tech",
        "area",
    ]
)
# After a legal form, a room, a number or a building starts an address whatever follows it
# ('Co., Ltd., Room 1201, Pudong New Area, Shanghai').
_ADDRESS_START = re.compile(
    r"(?:room|rm|no|unit|flat|floor|fl|building|bldg|block|add|addr|address)\b|\d"
)
_AREA_BEFORE_COMMA = re.compile(
    r"(?<=\s)[a-z][a-z'-]*\s+(?:district|county|new area|new district|city|prefecture)\s*,"
)
_HAN_ADDRESS = re.compile(r"[省市区县路号镇乡村街道]|自治区|开发区|园区")
_NON_LATIN = re.compile(r"[\u0250-\U0010ffff]")
_NOT_ALNUM = re.compile(r"[\W_]+")
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|&")


def latin_units(text: str, lex: Lexicon | None = None) -> list[tuple[str, str]]:
    """Latin text as units: ('word', w) for English words, numbers and non-pinyin words,
    ('syl', s) for pinyin syllables ('syl+' for one that continues the previous one's word).
    English vocabulary wins over pinyin ('mining' is a word, not mi+ning)."""
    return list(_latin_units(text, lex or lexicon()))


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
_LETTER = re.compile(r"[a-z]")
_LETTERS = re.compile(r"[a-z]+")
_TWO_LETTERS = re.compile(r"[a-z]{2}")
_HAN_COMPANY = re.compile(r"公司|集团")


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


def split_address(text: str) -> tuple[str, str]:
    """Cut an address off a party name: after 'ADD:', after the legal form when a place or
    address words follow, at a switch to a Chinese address, and trailing comma-separated
    place segments ('…, Hefei Shi, Anhui Sheng')."""
    m = _ADDRESS_MARKER.search(text)
    if m and m.start() > 0:
        return text[: m.start()].strip(" ,;"), text[m.end() :].strip()
    # Latin name followed by a Chinese address (or the reverse).
    if has_han(text) and _TWO_LETTERS.search(text):
        first_han = next(i for i, c in enumerate(text) if is_han(c))
        head, tail = text[:first_han].strip(), text[first_han:].strip()
        if len(_LETTER.findall(head)) >= 4 and _HAN_ADDRESS.search(tail):
            return head, tail
    for m in reversed(list(_LEGAL_TAIL.finditer(text))):
        rest = text[m.end() :].strip(" ,.;")
        if rest and (_ADDRESS_START.match(rest) or _looks_like_address(rest, after_legal=True)):
            return text[: m.end()].strip(" ,;"), rest
    start = _han_address_start(text)
    if start:
        return text[:start].strip(" ,;"), text[start:].strip()
    parts = text.split(",")
    cut = len(parts)
    while cut > 1 and _looks_like_address(parts[cut - 1]):
        cut -= 1
    # A later segment that starts with a room, a number or a building starts the address, and
    # what follows it belongs to it ('Esquel Group, Room 1201, Pudong New Area, Shanghai').
    cut = next((i for i in range(1, cut) if _ADDRESS_START.match(parts[i].strip())), cut)
    # A district, county or new area and a comma, with an address after the comma, before that
    # cut: a shipper block with no legal form before it ('Esquel Group BINHAI NEW AREA, TIANJIN').
    m = _AREA_BEFORE_COMMA.search(text)
    if m and 0 < m.start() < len(",".join(parts[:cut])) and _looks_like_address(text[m.end() :]):
        return text[: m.start()].strip(" ,;"), text[m.start() :].strip(" ,;")
    if cut < len(parts):
        return ",".join(parts[:cut]).strip(" ,;"), ",".join(parts[cut:]).strip(" ,;")
    return text, ""


_STREET_NUMBER = re.compile(
    r"(?:\bno\.?\s*\d+|\b\d+[a-z]?)\b.*\b(?:road|rd|street|st|avenue|ave|lu|jie|dadao|highway)\b"
    r"|\b(?:road|rd|street|avenue|ave|lu|jie|dadao|highway)\b\W*(?:no\.?\s*)?\d+\b"
)


_HAN_STREET = re.compile(r"[路街道号弄巷]")


def _han_address_start(text: str) -> int:
    """Where a Chinese address starts right after a Chinese name with no legal form and no space
    (昌吉溢达上海市浦东新区张江路88号): a known place with its 省, 市, 区 or 县, two characters or
    more into the text, followed by a street or a number. 0 when there is none: a place inside a
    name (宝钢集团新疆八一钢铁) has no street after it."""
    if not has_han(text) or not _HAN_STREET.search(text):
        return 0
    lex = lexicon()
    for i in range(2, len(text) - 3):
        if not is_han(text[i]):
            continue
        for size in range(min(lex.max_han, len(text) - i - 1), 1, -1):
            phrase = lex.han.get(text[i : i + size])
            if phrase is None or phrase.category != "place":
                continue
            after = text[i + size :]
            typed = text[i + size - 1] in "省市区县" or after[:1] in ("省", "市", "区", "县")
            if typed and _HAN_STREET.search(after):
                return i
            break
    return 0


@lru_cache(maxsize=50_000)
def _looks_like_address(segment: str, after_legal: bool = False) -> bool:
    """`after_legal`: the segment follows the legal form, where a place with one address word
    is enough ('…Co., Ltd., Binhai New Area, Tianjin'; a branch, 'Shanghai Branch', has none)."""
    seg = segment.strip()
    if not seg:
        return False
    if has_han(seg):
        return bool(_HAN_ADDRESS.search(seg)) and not _HAN_COMPANY.search(seg)
    if _STREET_NUMBER.search(seg):
        # 'No. 8 Industrial Park Road': a numbered street is an address even when an industry
        # word names it.
        return True
    lex = lexicon()
    units = latin_units(seg, lex)
    if not units:
        return False
    found = _match_latin(units, lex)
    phrases, rest = found.phrases, found.trade
    kinds = {p.category for p in phrases}
    leftover = [u for u in rest if u not in STOPWORDS]
    address_hits = [u for u in leftover if u in _ADDRESS_WORDS or u.isdigit()]
    if kinds & {"industry", "legal", "org"} and "place" not in kinds:
        return False
    if not leftover:
        return bool(kinds & {"place", "country"})
    if after_legal and kinds & {"place", "country"} and address_hits:
        return True
    return (
        bool(kinds & {"place", "country"} or address_hits)
        and len(address_hits) >= len(leftover) - 1
    )


def _match_latin(units: list[tuple[str, str]], lex: Lexicon) -> _Parts:
    """Backward maximum matching of phrases over units (Chinese names put the industry word
    last, so matching from the end splits 'huafushishang' as huafu + shishang, not hua +
    fushi + shang). Returns phrases and the rest as trade tokens, pinyin runs joined."""
    texts = [u for u, _ in units]
    kinds = [k for _, k in units]
    head, head_size = _head_place_latin(texts, kinds, lex)
    pieces: list[Phrase | str] = []  # built backwards
    trade_seen = False
    j = len(texts)
    while j > head_size:
        hit, size = _longest_ending_at(texts, j, lex.latin, min(lex.max_latin, j - head_size))
        consumed = size
        if (
            hit is None
            and texts[j - 1] in PLACE_SUFFIX_WORDS
            and j > head_size + 1
            and not _in_pinyin_run(kinds, j - 1)
        ):
            place, psize = _longest_ending_at(
                texts, j - 1, lex.latin, min(lex.max_latin, j - 1 - head_size)
            )
            if place is not None and place.category == "place":
                hit, consumed = place, psize + 1
            elif texts[j - 1] in ADMIN_TYPE_WORDS:
                hit, consumed = _unknown_place(texts, kinds, j - 1, head_size)
        if (
            hit is not None
            and hit.category == "industry"
            and trade_seen
            and all(k.startswith("syl") for k in kinds[j - consumed : j])
        ):
            # Pinyin industry words end a Chinese name; one *before* the trade name is more
            # likely part of it (lv ye in lvyeshuozidao is 绿叶, not 铝业).
            hit = None
        if hit is not None:
            pieces.append(hit)
            j -= consumed
            if hit.category == "place":
                trade_seen = False  # a place starts a name: see _match_han
            continue
        if kinds[j - 1].startswith("syl"):
            trade_seen = True
            pieces.append("\x00" + texts[j - 1])
        else:
            pieces.append(texts[j - 1])
        j -= 1
    if head is not None:
        pieces.append(head)
    pieces.reverse()
    return _collect(pieces)


# English words of an administrative type: what stands before one is a place, known or not.
ADMIN_TYPE_WORDS = frozenset(["county", "city", "district", "prefecture"])


def _unknown_place(
    texts: list[str], kinds: list[str], end: int, start: int
) -> tuple[Phrase | None, int]:
    """A pinyin word of two syllables or more before 'County', 'City' …, which the tables do not
    know ('Linxi County', 临西县): a place all the same, not a trade name. Returns the place and
    the units it takes with its type word."""
    k = end - 1
    while k > start and kinds[k] == "syl+":
        k -= 1
    if k < start or kinds[k] != "syl" or end - k < 2:
        return None, 0
    return Phrase("place", ("p:" + "".join(texts[k:end]),)), end - k + 1


def _in_pinyin_run(kinds: list[str], i: int) -> bool:
    """The syllable at `i` runs on into the next one: 'sheng' in Xinjiang Shengfu is part of the
    trade name, not the province suffix 省."""
    return i + 1 < len(kinds) and kinds[i + 1] == "syl+"


def _head_place_latin(
    texts: list[str], kinds: list[str], lex: Lexicon
) -> tuple[Phrase | None, int]:
    """The place a name starts with, read forwards, longest first, with a following 'City' or
    'Xian'. A Chinese name starts with its place of registration; read backwards, the end of the
    place and the start of the trade name can make another place ('Hu Bei Jing Tian' is Hubei
    Jingtian, not Beijing; 'A Wa Ti Hua Fu' is Awati Huafu, not Dihua)."""
    for size in range(min(lex.max_latin, len(texts)), 0, -1):
        phrase = lex.latin.get(tuple(texts[:size]))
        if phrase is not None:
            if phrase.category != "place":
                return None, 0
            if (
                size < len(texts)
                and texts[size] in PLACE_SUFFIX_WORDS
                and not _in_pinyin_run(kinds, size)
            ):
                size += 1
            return phrase, size
    # A pinyin word the tables do not know, then a separate 'Xian' or 'Shi' (县, 市): the name
    # starts with a county or city ('Linxi Xian Fangpei', not Linxi and the city of Xi'an).
    m = 1
    while m < len(texts) and kinds[m] == "syl+":
        m += 1
    if (
        m < len(texts) - 1
        and texts[m] in ("xian", "shi")
        and kinds[m] == "syl"
        and not _in_pinyin_run(kinds, m)
    ):
        return _unknown_place(texts, kinds, m, 0)
    return None, 0


def _longest_ending_at(
    texts: list[str], end: int, table: dict[tuple[str, ...], Phrase], max_size: int
) -> tuple[Phrase | None, int]:
    for size in range(min(max_size, end), 0, -1):
        phrase = table.get(tuple(texts[end - size : end]))
        if phrase is not None:
            return phrase, size
    return None, 0


@dataclass(slots=True)
class _Parts:
    """What phrase matching found in one script run, in input order."""

    phrases: list[Phrase]
    trade: list[str]
    initials: list[str]
    core: list[str]  # place names (as pinyin keys) and trade tokens, in order


def _collect(pieces: list[Phrase | str]) -> _Parts:
    """Split matched pieces into phrases and trade tokens; consecutive syllables (marked with a
    leading NUL) join into one token, so 'Hua Fu', 'Huafu' and 华孚 all give 'huafu'. Also
    returns the initials of each run of two or more syllables (绿叶硕子岛 → 'lyszd'), since
    Chinese firms often take them as their English name."""
    parts = _Parts([], [], [], [])
    run: list[str] = []

    def close() -> None:
        if run:
            token = "".join(run)
            parts.trade.append(token)
            parts.core.append(token)
            if len(run) >= 2:
                parts.initials.append("".join(syllable[0] for syllable in run))
            run.clear()

    for piece in pieces:
        if isinstance(piece, str) and piece.startswith("\x00"):
            run.append(piece[1:])
            continue
        close()
        if isinstance(piece, str):
            parts.trade.append(piece)
            parts.core.append(piece)
        else:
            parts.phrases.append(piece)
            if piece.category == "place":
                parts.core.append(piece.concepts[0].split(":", 1)[1])
    close()
    return parts


def _match_han(text: str, lex: Lexicon) -> tuple[_Parts, str]:
    """Backward maximum matching over Han characters; returns phrases, trade runs (joined
    pinyin) and the Han core (the text without legal forms and organisation words)."""
    pieces: list[Phrase | str] = []
    core: list[str] = []
    trade_seen = industry_seen = False
    head, head_size = _head_place_han(text, lex)
    j = len(text)
    while j > head_size:
        hit: Phrase | None = None
        size = 0
        for size in range(min(lex.max_han, j - head_size), 0, -1):
            hit = lex.han.get(text[j - size : j])
            if hit is not None:
                break
        if hit is not None and hit.category == "industry":
            # Industry words end a Chinese name: one before the trade name, or a single
            # character before another industry word (红棉物流: 红棉 is the trade name), is
            # more likely part of the trade name.
            if trade_seen or (size == 1 and industry_seen):
                hit = None
            else:
                industry_seen = True
        if hit is not None:
            pieces.append(hit)
            if hit.category not in ("legal", "org"):
                core.append(text[j - size : j])
            j -= size
            if hit.category == "place":
                # A place starts a name, so what precedes it is another name's end: 西部黄金 +
                # 克拉玛依 + 哈图 + 金矿 is a group (Western Gold) before a mine's own name.
                trade_seen = False
            continue
        pieces.append(text[j - 1])
        core.append(text[j - 1])
        trade_seen = True
        j -= 1
    if head is not None:
        pieces.append(head)
        core.append(text[:head_size])
    pieces.reverse()
    core.reverse()
    # Runs of unmatched characters become pinyin syllables, joined into tokens by _collect.
    merged: list[Phrase | str] = []
    run: list[str] = []
    for piece in [*pieces, None]:
        if isinstance(piece, str):
            run.append(piece)
            continue
        if run:
            merged.extend("\x00" + syllable for syllable in han_syllables("".join(run)))
            run = []
        if piece is not None:
            merged.append(piece)
    return _collect(merged), "".join(core)


def _head_place_han(text: str, lex: Lexicon) -> tuple[Phrase | None, int]:
    """The place a Chinese name starts with (two characters or more, longest first): read
    backwards, 湖北京天 would give 北京 and leave 湖 and 天 as a trade name."""
    for size in range(min(lex.max_han, len(text)), 1, -1):
        phrase = lex.han.get(text[:size])
        if phrase is not None:
            return (phrase, size) if phrase.category == "place" else (None, 0)
    if len(text) > 3 and text[2] in "县市" and text[:3] not in lex.han:
        # Two characters and 县 or 市 head the name: a county or city the tables do not know
        # (临西县, as 'Linxi County' is read in Latin), not a trade name.
        return Phrase("place", ("p:" + "".join(han_syllables(text[:2])),)), 3
    return None, 0


def _own_acronym(trade: list[str], words: list[str]) -> str:
    """A trade token that is the initials of a run of the name's other words, or ''."""
    for token in trade:
        if not (3 <= len(token) <= 8 and token.isalpha()):
            continue
        initials = "".join(w[0] for w in words if w != token and w[0].isalpha())
        if token in initials:
            return token
    return ""


def _strip_legal_forms(text: str) -> tuple[list[str], str]:
    """Legal forms found by rigour's database, removed from `text`. A form that is itself
    pinyin ('zao' is Russian ZAO to rigour, 'se' a Societas Europaea) is left alone when the
    name around it is pinyin, since there it is a syllable ('zhi zao' = 制造, 'you se' = 有色)."""
    if not without_han(_NOT_ALNUM.sub("", text), "").strip("0123456789"):
        return [], text  # only Han (legal forms are matched with the Han phrases) or digits
    types: list[str] = []
    out = text
    for form, kind in extract_org_types(text, generic=True):
        folded = form.casefold()
        if folded.isalpha() and segment_pinyin(folded) and _pinyin_context(text, folded):
            continue
        types.append(kind)
        out = re.sub(rf"(?<!\w){re.escape(folded)}(?!\w)", " ", out, count=1)
    return types, out


# The start of 有限公司, 有限责任公司 or 股份有限公司 at the end of a name: the rest was cut
# off by a field limit (新疆大全新能源股份有, 昌吉溢达纺织有限).
_CUT_HAN_LEGAL = re.compile(r"(?:股份有(?:限公?)?|有限(?:责(?:任公?)?|公)?|有|股)$")


def _cut_han_legal(text: str, lex: Lexicon) -> str:
    """`text` without a Chinese legal form cut short at its end. One character (有, 股) is taken
    for a cut form only after a word that ends a name (an industry, organisation or legal word)
    or a closing bracket (合盛硅业(鄯善)有), since a trade name can end in it."""
    body = text.rstrip(" ,.;")
    m = _CUT_HAN_LEGAL.search(body)
    if m is None:
        return text
    before = body[: m.start()].rstrip()
    if not before or not has_han(before):
        return text
    if len(m.group()) == 1 and not (before[-1] in ")]" or _ends_with_business_word(before, lex)):
        return text
    return before


def _ends_with_business_word(text: str, lex: Lexicon) -> bool:
    for size in range(min(lex.max_han, len(text)), 0, -1):
        phrase = lex.han.get(text[-size:])
        if phrase is not None and phrase.category in ("industry", "org", "legal"):
            return True
    return False


def _pinyin_context(text: str, form: str) -> bool:
    words = _LETTERS.findall(text)
    others = [w for w in words if w != form]
    return bool(others) and sum(1 for w in others if segment_pinyin(w)) * 2 > len(others)


@lru_cache(maxsize=50_000)
def places_in(address: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The place keys an address names, and those of them in Xinjiang, in order ('No. 8 Jiefang
    Road, Changji, Xinjiang' → p:changji, p:xinjiang). Only places: an address has no trade name."""
    if not address:
        return (), ()
    lex = lexicon()
    runs = script_runs(to_simplified(normalize_text(address)))
    return _place_keys([p for run in runs for p in _run_parts(run, lex)[0].phrases])


def _run_parts(run: str, lex: Lexicon) -> tuple[_Parts, str | None]:
    """The phrases and trade tokens of one script run, and its Han core (None for Latin)."""
    if is_han(run[0]):
        return _match_han(run, lex)
    return _match_latin(latin_units(run, lex), lex), None


def _place_keys(phrases: list[Phrase]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Place keys in order, and those of them in Xinjiang."""
    places = [p for p in phrases if p.category == "place"]
    return (
        tuple(dict.fromkeys(c for p in places for c in p.concepts)),
        tuple(dict.fromkeys(c for p in places if p.xinjiang for c in p.concepts)),
    )


def with_address(query: NameAnalysis, address: str | None) -> NameAnalysis:
    """`query` with the places of an address given beside it (a party file's address column),
    when its own name carried no address that named one."""
    if not address or query.address_places:
        return query
    places, xinjiang = places_in(address)
    if not places:
        return query
    return replace(query, address_places=places, address_xinjiang=xinjiang)


@lru_cache(maxsize=200_000)
def analyze(name: str) -> NameAnalysis:
    """Analyse one name (cached: list names are analysed once, repeated queries are free)."""
    lex = lexicon()
    normalized = to_simplified(normalize_text(name))
    name_part, address = split_address(normalized)
    address_places, address_xinjiang = places_in(address)
    legal_types, stripped = _strip_legal_forms(name_part)
    if has_han(stripped):
        stripped = _cut_han_legal(stripped, lex)
    phrases: list[Phrase] = []
    trade: list[str] = []
    initials: list[str] = []
    core_tokens: list[str] = []
    han_core: list[str] = []
    # Split into Han and non-Han runs; brackets and punctuation are separators only.
    for run in script_runs(stripped):
        parts, core = _run_parts(run, lex)
        if core is not None:
            han_core.append(core)
        phrases.extend(parts.phrases)
        trade.extend(parts.trade)
        initials.extend(parts.initials)
        core_tokens.extend(parts.core)
    trade = [t for t in trade if t not in STOPWORDS]
    places, xinjiang = _place_keys(phrases)
    industries = tuple(c for p in phrases if p.category == "industry" for c in p.concepts)
    orgs = tuple(c for p in phrases if p.category == "org" for c in p.concepts)
    legal = tuple(
        dict.fromkeys(
            [*legal_types, *(c for p in phrases if p.category == "legal" for c in p.concepts)]
        )
    )
    has_latin = bool(_LETTER.search(name_part))
    script = "mixed" if han_core and has_latin else ("han" if han_core else "latin")
    latin_part = without_han(stripped)
    words = [w for w in latin_tokens(latin_part) if w not in STOPWORDS] if has_latin else []
    own = _own_acronym(trade, words)
    if own:
        # "… Training Center (VSETC)": the bracketed initials are the name again, not a trade
        # word that a query without them lacks.
        trade = [t for t in trade if t != own]
        core_tokens = [t for t in core_tokens if t != own]
        acronym = own
    else:
        acronym = "".join(w[0] for w in words if w[0].isalpha()) if len(words) >= 3 else ""
    return NameAnalysis(
        original=name,
        name=name_part,
        address=address,
        script=script,
        han_core="".join(han_core),
        trade=tuple(trade),
        places=places,
        xinjiang_places=xinjiang,
        industries=industries,
        orgs=orgs,
        legal=legal,
        country=any(p.category == "country" for p in phrases),
        acronym=acronym,
        initials=tuple(i for i in initials if len(i) >= 3),
        core_key="".join(t for t in core_tokens if t not in STOPWORDS),
        address_places=address_places,
        address_xinjiang=address_xinjiang,
    )
