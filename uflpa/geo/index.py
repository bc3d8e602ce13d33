"""The index of every spelling address resolution looks for, built once per process.

Spellings come from the places file (names, pinyin, variants), from generated forms (a base name
with the type words of its level: "Hotan Prefecture", "Shache Xian", 昌吉州; numbered XPCC
division forms), and from the reviewed lists in `uflpa.geo.lexicon` (places elsewhere, false
friends, words naming China). Each spelling maps to the entries it may denote, with the
ambiguity that decides how much context it needs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from uflpa.geo import lexicon as lx
from uflpa.reference.places import Place, load_places
from uflpa.text.normalize import latin_key, normalise
from uflpa.text.script import has_han

_PARENS = re.compile(r"\s*[(（][^)）]*[)）]")
_HAN_SUFFIX = re.compile(
    r"^(.{2,}?)(?:(?:回族|蒙古|哈萨克|柯尔克孜|锡伯|塔吉克|维吾尔)?自治[州县区]|地区|市|县|区)$"
)
LATIN_TRAILING_TYPES = frozenset(
    {w.casefold() for words in lx.LATIN_TYPE_WORDS.values() for t in words for w in t.split()}
)
_ETHNIC = frozenset(["huizu", "menggu", "hasake", "ke'erkezi", "xibo", "tajike", "weiwu'er"])

ORDINALS = (
    ("1st", "First", "一"),
    ("2nd", "Second", "二"),
    ("3rd", "Third", "三"),
    ("4th", "Fourth", "四"),
    ("5th", "Fifth", "五"),
    ("6th", "Sixth", "六"),
    ("7th", "Seventh", "七"),
    ("8th", "Eighth", "八"),
    ("9th", "Ninth", "九"),
    ("10th", "Tenth", "十"),
    ("11th", "Eleventh", "十一"),
    ("12th", "Twelfth", "十二"),
    ("13th", "Thirteenth", "十三"),
    ("14th", "Fourteenth", "十四"),
)


@dataclass(frozen=True, slots=True)
class Entry:
    """What one spelling denotes. `kind` is 'place' (target = place code), 'elsewhere' (a place
    outside Xinjiang, target = its label), 'china' (a word naming China) or 'false_friend' (a
    look-alike that is not an address, such as a product)."""

    kind: str
    target: str
    country: str = "CN"
    ambiguity: str | None = None
    caution: str | None = None


@dataclass(frozen=True, slots=True)
class KeyLengths:
    """The lengths of the keys that share a prefix, as a set (the Latin scan tries only the
    token boundaries within `longest` and asks the set about each)."""

    longest: int
    all: frozenset[int]


@dataclass(frozen=True, slots=True)
class Index:
    latin: dict[str, tuple[Entry, ...]]
    han: dict[str, tuple[Entry, ...]]
    latin_lengths: dict[str, KeyLengths]  # first `latin_prefix` characters -> key lengths
    latin_prefix: int  # 3, or the shortest key's length if shorter
    han_lengths: dict[str, tuple[int, ...]]  # first character -> key lengths, longest first


def _strip_parens(text: str) -> str:
    return _PARENS.sub("", text).strip()


def _latin_base(spelling: str) -> str | None:
    """The spelling without trailing type words ('Hotan Prefecture' -> 'Hotan'), else None."""
    words = spelling.split()
    cut = len(words)
    while cut > 1 and (words[cut - 1].casefold() in LATIN_TRAILING_TYPES):
        cut -= 1
    while cut > 1 and words[cut - 1].casefold() in _ETHNIC:
        cut -= 1
    return " ".join(words[:cut]) if cut < len(words) else None


def _place_spellings(place: Place) -> Iterable[str]:
    """Every spelling to index for one place: the file's, plus generated type-word forms."""
    variants = [_strip_parens(v) for v in place.variants]
    yield place.name_zh
    yield place.name_pinyin
    yield from variants
    short = han_short_name(place)
    if short:  # the usual qualified short forms (昌吉州, 巴里坤县, 新疆省)
        for suffix in lx.HAN_TYPE_SUFFIXES.get(place.level, ()):
            yield short + suffix
    # Latin: every base spelling with the type words of its level. A bare pinyin base is indexed
    # only when the file lists it, because the file leaves out bare forms on purpose (Yiwu, Mori).
    types = lx.LATIN_TYPE_WORDS.get(place.level, ())
    bases = {v for v in variants if not has_han(v) and _latin_base(v) is None}
    pinyin_base = _latin_base(place.name_pinyin)
    if pinyin_base:
        bases.add(pinyin_base)
    for base in bases:
        for word in types:
            yield f"{base} {word}"
    if place.level == "xpcc_division":
        yield from _division_spellings(place)
    if place.level == "xpcc_corps":
        yield from ("生产建设兵团", "建设兵团", "Production and Construction Corps")


def han_short_name(place: Place) -> str | None:
    """The Han name without its type suffix (鄯善县 -> 鄯善, 昌吉回族自治州 -> 昌吉), if any."""
    if place.level in ("xpcc_corps", "xpcc_division", "development_zone"):
        return None
    m = _HAN_SUFFIX.match(place.name_zh)
    return m.group(1) if m else None


def _short_owners(places: list[Place]) -> list[Place]:
    """Which places a bare Han short name may denote when several share it: the least specific
    ones and their seat cities (和田 = Hotan Prefecture or Hotan City, not Hotan County)."""
    top_rank = max(p.rank for p in places)
    top = {p.code for p in places if p.rank == top_rank}
    seat_levels = ("county_level_city", "prefecture_level_city", "former_county_level_city")
    return [p for p in places if p.code in top or (p.parent_code in top and p.level in seat_levels)]


def _division_spellings(place: Place) -> Iterable[str]:
    n = int(place.code.rsplit("D", 1)[1])
    ordinal, word, han = ORDINALS[n - 1]
    for form in lx.DIVISION_FORMS_STRONG:
        yield form.format(o=ordinal, w=word, n=n)
    for form in lx.DIVISION_FORMS_HAN:
        yield form.format(n=n)
        yield form.format(n=han)


def _place_ambiguity(place: Place, spelling: str) -> tuple[str | None, str | None]:
    """(ambiguity kind, caution) of one spelling of one place."""
    if place.code in lx.DISTRICT_CODES:
        return lx.DISTRICT, lx.DISTRICT_CODES[place.code]
    if place.level == "xpcc_division":
        low = spelling.casefold()
        if not any(q in low for q in lx.XPCC_QUALIFIERS):
            return lx.MILITARY, "numbered-division wording is generic army usage"
    if has_han(spelling):
        found = lx.HAN_AMBIGUOUS.get(spelling)
    else:
        found = _latin_ambiguous().get(latin_key(spelling))
    if found:
        return found
    return None, None


@cache
def _latin_ambiguous() -> dict[str, tuple[str, str]]:
    return {latin_key(k): v for k, v in lx.LATIN_AMBIGUOUS.items()}


def _add(table: dict[str, list[Entry]], key: str, entry: Entry) -> None:
    if key and entry not in table[key]:
        table[key].append(entry)


@cache
def build_index() -> Index:
    """Index every spelling of every place, plus places elsewhere and false friends (cached)."""
    latin: dict[str, list[Entry]] = defaultdict(list)
    han: dict[str, list[Entry]] = defaultdict(list)

    def add(spelling: str, entry: Entry) -> None:
        if has_han(spelling):
            _add(han, normalise(spelling), entry)
        else:
            _add(latin, latin_key(spelling), entry)

    shorts: dict[str, list[Place]] = defaultdict(list)
    for place in load_places():
        for spelling in _place_spellings(place):
            kind, caution = _place_ambiguity(place, spelling)
            add(spelling, Entry("place", place.code, "CN", kind, caution))
        short = han_short_name(place)
        if short:
            shorts[short].append(place)
    # Bare short names come last: a spelling the file lists (伊犁 for Ili) wins over a short one.
    for short, owners in shorts.items():
        if short in han:
            continue
        for place in _short_owners(owners):
            kind, caution = _place_ambiguity(place, short)
            add(short, Entry("place", place.code, "CN", kind, caution))
    for label, country, spellings in lx.ELSEWHERE:
        for spelling in spellings:
            add(
                spelling,
                Entry("elsewhere", label, country, None, lx.ELSEWHERE_CAUTIONS.get(spelling)),
            )
    for spelling, (label, country, why) in lx.FALSE_FRIENDS.items():
        add(spelling, Entry("false_friend", label, country, None, why))
    for spelling in lx.CHINA_WORDS:
        add(spelling, Entry("china", "China", "CN"))
    # Every key is at least `prefix` long, so a key at a token starts with the text's next
    # `prefix` characters: three rule out many more tokens than two (Co, Ltd, Group...).
    prefix = min(3, min((len(k) for k in latin), default=1))
    return Index(
        latin={k: tuple(v) for k, v in latin.items()},
        han={k: tuple(v) for k, v in han.items()},
        latin_lengths={
            k: KeyLengths(v[0], frozenset(v)) for k, v in _lengths(latin, prefix).items()
        },
        latin_prefix=prefix,
        han_lengths=_lengths(han, 1),
    )


def _lengths(table: dict[str, list[Entry]], prefix: int) -> dict[str, tuple[int, ...]]:
    out: dict[str, set[int]] = defaultdict(set)
    for key in table:
        out[key[:prefix]].add(len(key))
    return {k: tuple(sorted(v, reverse=True)) for k, v in out.items()}
