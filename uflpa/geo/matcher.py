"""Find place spellings in free text: one index built once per process, one linear scan per row.

Two scripts, two scans over the same normalised text:

* Latin: each character is folded (NFKC/NFKD, case, diacritics: Ü→u, ı→i); apostrophes vanish
  (Ala'er = Alaer) and every other non-alphanumeric character ends a token. The tokens are joined
  into one compact string, and a spelling matches when it starts and ends on token boundaries, so
  "Ku'erle", "Kuerle", "Ku Er Le" and "KU-ER-LE" are the same key.
* Han: traditional characters are mapped to simplified with OpenCC t2s, and spellings match
  anywhere (Chinese has no spaces), longest first.

A scan reports every hit with the facts that later decide its weight: is it followed by a street
word ("Xinjiang Road", 乌鲁木齐中路), by another administrative type word ("Aksu District" of
Antalya, 沙湾区 of Leshan), and does it head a company name ("Xinjiang Foo Trading Co.")?
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from uflpa.geo import lexicon as lx
from uflpa.geo.places import Place, load_places

_APOSTROPHES = frozenset("'’‘ʼ`´′")
_DASHES = str.maketrans(dict.fromkeys("—–‐‑‒－﹣", "-"))
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_PARENS = re.compile(r"\s*[(（][^)）]*[)）]")
_SEGMENT_BREAKS = frozenset(",;，；|\n\r\t、")
_HAN_CLAUSE_BREAKS = frozenset(",;，；|\n\r\t、 。:：")
_HAN_STREET = re.compile(lx.HAN_STREET_PATTERN)
# A street right after a full name (石河子市北三路) is a street *in* that place, not named after it.
_HAN_TYPE_ENDINGS = ("区", "县", "市", "州", "地区", "师", "团")
_HAN_SUFFIX = re.compile(
    r"^(.{2,}?)(?:(?:回族|蒙古|哈萨克|柯尔克孜|锡伯|塔吉克|维吾尔)?自治[州县区]|地区|市|县|区)$"
)
_LATIN_TRAILING_TYPES = frozenset(
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
class Hit:
    """One spelling found in the text; `span` indexes the original string."""

    entries: tuple[Entry, ...]
    span: tuple[int, int]
    matched: str
    script: str
    street: bool = False
    other_admin: bool = False
    company: bool = False


@dataclass(frozen=True, slots=True)
class Index:
    latin: dict[str, tuple[Entry, ...]]
    han: dict[str, tuple[Entry, ...]]
    latin_lengths: dict[str, tuple[int, ...]]  # first two characters -> key lengths, longest first
    han_lengths: dict[str, tuple[int, ...]]  # first character -> key lengths, longest first


# --- normalisation -------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    """The token characters (a-z, 0-9) one input character contributes; '' ends a token."""
    if c.isascii():
        return c.lower() if c.isalnum() else ""
    decomposed = unicodedata.normalize("NFKD", c)
    out = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    out = out.replace("ı", "i")
    return "".join(ch for ch in out if ch.isascii() and ch.isalnum())


def latin_key(text: str) -> str:
    """The compact folded key of a Latin spelling: 'Ku'erle' -> 'kuerle', 'Ürümqi' -> 'urumqi'."""
    return "".join(_fold_char(c) for c in text if c not in _APOSTROPHES)


@cache
def _t2s() -> object:
    import opencc  # imported lazily: only texts with Han characters need it

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """OpenCC t2s, keeping one output character per input character (spans stay valid)."""
    converter = _t2s()
    out: str = converter.convert(text)  # type: ignore[attr-defined]
    if len(out) == len(text):
        return out
    return "".join(_simplified_char(c) for c in text)


@lru_cache(maxsize=8192)
def _simplified_char(c: str) -> str:
    out: str = _t2s().convert(c)  # type: ignore[attr-defined]
    return out if len(out) == 1 else c


def normalise(text: str) -> str:
    """Width/compatibility forms folded (NFKC, one character each), dashes unified, t2s applied.

    The result has the same length as `text`, so offsets found in it are offsets into `text`.
    """
    if text.isascii():
        return text
    chars = []
    for c in text:
        if c.isascii():
            chars.append(c)
            continue
        n = unicodedata.normalize("NFKC", c)
        chars.append(n if len(n) == 1 else c)
    out = "".join(chars).translate(_DASHES)
    return to_simplified(out) if _HAN.search(out) else out


def has_kana(text: str) -> bool:
    return bool(_KANA.search(text))


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))


# --- the index -----------------------------------------------------------------------------------


def _strip_parens(text: str) -> str:
    return _PARENS.sub("", text).strip()


def _latin_base(spelling: str) -> str | None:
    """The spelling without trailing type words ('Hotan Prefecture' -> 'Hotan'), else None."""
    words = spelling.split()
    cut = len(words)
    while cut > 1 and (words[cut - 1].casefold() in _LATIN_TRAILING_TYPES):
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
    bases = {v for v in variants if not _HAN.search(v) and _latin_base(v) is None}
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
    if _HAN.search(spelling):
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
        if _HAN.search(spelling):
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
    return Index(
        latin={k: tuple(v) for k, v in latin.items()},
        han={k: tuple(v) for k, v in han.items()},
        latin_lengths=_lengths(latin, 2),
        han_lengths=_lengths(han, 1),
    )


def _lengths(table: dict[str, list[Entry]], prefix: int) -> dict[str, tuple[int, ...]]:
    out: dict[str, set[int]] = defaultdict(set)
    for key in table:
        out[key[:prefix]].add(len(key))
    return {k: tuple(sorted(v, reverse=True)) for k, v in out.items()}


# --- scanning ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Latin:
    compact: str
    origin: tuple[int, ...]  # original offset of each compact character
    starts: tuple[int, ...]  # compact offset where each token starts
    ends: frozenset[int]


# A run of word characters other than Han and kana; apostrophes inside a run join it (Ala'er),
# except a possessive 's, which ends it (Kashgar's).
_RUN = re.compile(
    r"[^\W_\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]+"
    r"(?:['’‘ʼ`´′](?![sS]\b)[^\W_\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]+)*"
)
_ASCII_PIECE = re.compile(r"[A-Za-z]+|[0-9]+")


def _latin_stream(norm: str) -> _Latin:
    chars: list[str] = []
    origin: list[int] = []
    starts: list[int] = []
    ends: set[int] = set()
    size = 0
    for run in _RUN.finditer(norm):
        text, base = run.group(), run.start()
        if text.isascii() and text.isalnum():  # the common case: one pass of a regex
            for piece in _ASCII_PIECE.finditer(text):
                starts.append(size)
                chars.append(piece.group().lower())
                origin.extend(range(base + piece.start(), base + piece.end()))
                size += piece.end() - piece.start()
                ends.add(size)
            continue
        in_token = last_digit = False
        for i, c in enumerate(text, start=base):
            folded = _fold_char(c)
            if not folded:
                if c not in _APOSTROPHES and in_token:  # a letter that folds to nothing
                    ends.add(size)
                    in_token = False
                continue
            digit = folded[0].isdigit()
            if in_token and digit != last_digit:  # "830011Urumqi": letters and digits part
                ends.add(size)
                in_token = False
            if not in_token:
                starts.append(size)
                in_token = True
            last_digit = folded[-1].isdigit()
            chars.append(folded)
            origin.extend([i] * len(folded))
            size += len(folded)
        if in_token:
            ends.add(size)
    return _Latin("".join(chars), tuple(origin), tuple(starts), frozenset(ends))


def scan(text: str, norm: str | None = None) -> list[Hit]:
    """All hits in `text`, leftmost-longest and non-overlapping within each script."""
    norm = normalise(text) if norm is None else norm
    index = build_index()
    hits = _scan_latin(text, norm, index)
    if _HAN.search(norm):
        hits.extend(_scan_han(text, norm, index))
    hits.sort(key=lambda h: h.span)
    return _mark_companies(norm, hits)


def _scan_latin(text: str, norm: str, index: Index) -> list[Hit]:
    stream = _latin_stream(norm)
    compact, origin, ends = stream.compact, stream.origin, stream.ends
    token_no = {s: k for k, s in enumerate(stream.starts)}
    hits: list[Hit] = []
    skip_until = 0
    for start in stream.starts:
        if start < skip_until:
            continue
        for length in index.latin_lengths.get(compact[start : start + 2], ()):
            end = start + length
            if end not in ends:
                continue
            entries = index.latin.get(compact[start:end])
            if entries is None:
                continue
            span = (origin[start], origin[end - 1] + 1)
            following = _following_tokens(stream, token_no, end, norm, span[1])
            hits.append(
                Hit(
                    entries=entries,
                    span=span,
                    matched=text[span[0] : span[1]],
                    script="latin",
                    street=not _ends_with_type(compact[start:end]) and _is_street(following),
                    other_admin=bool(following) and following[0] in lx.LATIN_ADMIN_WORDS,
                )
            )
            skip_until = end
            break
    return hits


def _following_tokens(
    stream: _Latin, token_no: dict[int, int], end: int, norm: str, span_end: int
) -> list[str]:
    """Up to three tokens right after a hit, stopping at a comma-like break."""
    k = token_no.get(end)
    if k is None:
        return []
    out: list[str] = []
    prev_end = span_end
    for j in range(k, min(k + 3, len(stream.starts))):
        s = stream.starts[j]
        e = stream.starts[j + 1] if j + 1 < len(stream.starts) else len(stream.compact)
        gap = norm[prev_end : stream.origin[s]]
        if any(ch in _SEGMENT_BREAKS or ch in "()（）" for ch in gap) or _HAN.search(gap):
            break
        out.append(stream.compact[s:e])
        prev_end = stream.origin[e - 1] + 1
    return out


_LATIN_TYPE_ENDINGS = tuple(sorted(_LATIN_TRAILING_TYPES | {"division", "zone"}))


def _ends_with_type(key: str) -> bool:
    return key.endswith(_LATIN_TYPE_ENDINGS)


def _is_street(following: list[str]) -> bool:
    if not following:
        return False
    first = following[0]
    if first in lx.LATIN_STREET_WORDS:
        return True
    return (
        first in lx.LATIN_DIRECTION_WORDS
        and len(following) > 1
        and following[1] in lx.LATIN_STREET_WORDS
    )


def _scan_han(text: str, norm: str, index: Index) -> list[Hit]:
    hits: list[Hit] = []
    i = 0
    size = len(norm)
    while i < size:
        found = False
        for length in index.han_lengths.get(norm[i], ()):
            if i + length > size:
                continue
            key = norm[i : i + length]
            entries = index.han.get(key)
            if entries is None:
                continue
            rest = norm[i + length : i + length + 6]
            hits.append(
                Hit(
                    entries=entries,
                    span=(i, i + length),
                    matched=text[i : i + length],
                    script="han",
                    street=not key.endswith(_HAN_TYPE_ENDINGS) and bool(_HAN_STREET.match(rest)),
                    other_admin=(rest[:1] in lx.HAN_ADMIN_CHARS or rest.startswith("地区")),
                )
            )
            i += length
            found = True
            break
        if not found:
            i += 1
    return hits


# --- company names -------------------------------------------------------------------------------


def _mark_companies(norm: str, hits: list[Hit]) -> list[Hit]:
    """Flag hits that head a company name: a company word follows in the same segment with no
    address word in between (other place spellings in between are skipped)."""
    if not hits:
        return hits
    covered = [False] * len(norm)
    for h in hits:
        for k in range(h.span[0], h.span[1]):
            covered[k] = True
    out = []
    for h in hits:
        company = (
            _han_heads_company(norm, h.span[1], covered)
            if h.script == "han"
            else _latin_heads_company(norm, h.span[1], covered)
        )
        out.append(h if not company else _with_company(h))
    return out


def _with_company(h: Hit) -> Hit:
    return Hit(h.entries, h.span, h.matched, h.script, h.street, h.other_admin, company=True)


_LATIN_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _latin_heads_company(norm: str, start: int, covered: list[bool]) -> bool:
    end = start
    while end < len(norm) and norm[end] not in _SEGMENT_BREAKS:
        end += 1
    for m in _LATIN_WORD.finditer(norm, start, end):
        if covered[m.start()]:
            continue
        word = latin_key(m.group())
        if not word:
            continue
        if word in lx.LATIN_COMPANY_WORDS:
            return True
        if word in lx.LATIN_ADDRESS_WORDS or word.isdigit():
            return False
    return False


def _han_heads_company(norm: str, start: int, covered: list[bool]) -> bool:
    k = start
    limit = min(len(norm), start + 40)
    while k < limit:
        c = norm[k]
        if covered[k]:
            k += 1
            continue
        if c in _HAN_CLAUSE_BREAKS:
            return False
        if any(norm.startswith(w, k) for w in lx.HAN_COMPANY_WORDS):
            return True
        if c in lx.HAN_ADDRESS_CHARS or c.isdigit():
            return False
        k += 1
    return False
