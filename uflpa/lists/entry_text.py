"""Reading one entry of the DHS page or of a Federal Register appendix into names.

DHS writes each entry as prose, not as fields, for example::

    Hoshine Silicon Industry (Shanshan) Co., Ltd (including one alias: Hesheng Silicon Industry
    (Shanshan) Co.) and subsidiaries

so the listed name, its aliases, its former names and the subsidiaries note all have to be cut out
of one string, and parentheses may belong to the name itself ("(Shanshan)", "(Group)"). Both the
DHS page parser and the Federal Register parser use this module, so the two read entries the same
way. Everything here is pure: no I/O and no knowledge of where the text came from.

Decisions, each of which a test pins down:

* A parenthetical is an alias clause only when it opens with an alias phrase ("including one
  alias:", "and two aliases:", "also known as", "formerly known as", "a.k.a.", "f.k.a.",
  "doing business as"). Any other parenthetical is part of the name and stays in it.
* A parenthetical that is an acronym of the words before it, as in "No. 4 Vocation Skills
  Education Training Center (VSETC)", stays in the name (that is how DHS lists it) and the acronym
  is *also* returned as an alias, because suppliers are often written under the acronym alone.
* Lists inside a clause are split on semicolons ("A; B; and C"). Commas never split, since they
  occur inside names ("Co., Ltd."). When the clause states a count ("two aliases") and the
  semicolons give fewer names, the last name is split on " and " until the count is reached.
* A trailing "and subsidiaries", "and its subsidiaries", ", and Subsidiaries", "and its
  subordinate and affiliated entities", "and its subsidiary X" or "and its eight Zhuhai-based
  subsidiaries, which include A; B; ..." sets `subsidiaries` and keeps the clause as a note; named
  subsidiaries are returned in `subsidiary_names`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from uflpa.lists.base import provisional_id
from uflpa.model import UFLPA_LIST, ListedEntity, Listing, normalize_section

__all__ = [
    "CITATION_RE",
    "EntryTextError",
    "ParsedEntry",
    "SectionEntry",
    "clean_text",
    "find_section",
    "merge_entries",
    "parse_entry",
    "parse_list_date",
]

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_COUNT = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})"

# An alias clause opens with one of these phrases (case-insensitive).
_INTRO = re.compile(
    r"(?P<counted>(?:and|including|with)\s+(?:(?P<count>" + _COUNT + r")\s+)?(?:other\s+)?"
    r"(?:alias(?:es)?|other\s+names?)\b\s*:?)"
    r"|(?P<former>(?:formerly|previously)\s+known\s+as\b\s*:?|f\.\s?k\.\s?a\.?\s*:?|f/k/a\b\s*:?)"
    r"|(?P<also>also\s+known\s+as\b\s*:?|a\.\s?k\.\s?a\.?\s*:?|a/k/a\b\s*:?"
    r"|doing\s+business\s+as\b\s*:?|d/b/a\b\s*:?)",
    re.IGNORECASE,
)
# What may stand before a second alias phrase in one parenthetical ("A; and formerly known as B").
_CLAUSE_JOIN = re.compile(r"(?:[;,]\s*(?:and\s+)?|\s+and\s+)$", re.IGNORECASE)

_CLAUSE_TAIL = re.compile(r"(?:[;,]\s*(?:and)?|\s+and)?\s*$", re.IGNORECASE)

_SUBSIDIARIES = re.compile(
    r"(?P<clause>,?\s*\band\s+(?:its\s+)?(?:(?P<count>" + _COUNT + r")\s+)?"
    r"(?:[\w.'’-]+-based\s+)?"
    r"(?P<kind>subsidiaries|subsidiary|subordinate\s+and\s+affiliated\s+entities)\b)"
    r"(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_AND = re.compile(r",?\s*\band\s+", re.IGNORECASE)
_WHICH_INCLUDE = re.compile(r"^\s*,?\s*(?:which|that)\s+(?:include|includes|are)\s*:?\s*", re.I)

_FOOTNOTE_TAIL = re.compile(r"(?:\s*(?:\[\d{1,3}\]|[*†‡§]+|[¹²³⁴⁵⁶⁷⁸⁹⁰]+))+$")
_SPACE = re.compile(r"\s+")
# Abbreviations whose final period belongs to the name ("Co., Ltd.").
_ABBREVIATIONS = frozenset(
    {
        "co", "ltd", "inc", "corp", "bhd", "pte", "pvt", "jsc", "ojsc", "pjsc", "cjsc", "llc",
        "plc", "gmbh", "ag", "nv", "bv", "sa", "no", "st", "jr", "sr", "bros", "assn", "intl",
        "mfg", "dept", "univ", "est", "ent", "grp", "hldgs", "mfrs", "cie", "spa", "srl",
    }
)  # fmt: skip
_STOPWORDS = frozenset({"and", "of", "the", "for", "&", "de", "in"})

# Section citations of the Act: 2(d)(2)(B)(i), (ii), (iv), (v). "(iii)" is a list of goods.
CITATION_RE = re.compile(
    r"2\s*\(\s*d\s*\)\s*\(\s*2\s*\)\s*\(\s*B\s*\)\s*\(\s*(?P<clause>iv|v|ii|i)\s*\)", re.IGNORECASE
)

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_DATE_WORDS = re.compile(
    r"(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
)
_DATE_DMY_WORDS = re.compile(r"(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3,9})\.?,?\s+(?P<year>\d{4})")
_DATE_US = re.compile(r"(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4}|\d{2})")
_DATE_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})")


class EntryTextError(ValueError):
    """The entry text yields no name (empty, or nothing but an alias clause)."""


@dataclass(frozen=True, slots=True)
class ParsedEntry:
    """One entry cut into its parts. `name` is the listed name as DHS wrote it."""

    name: str
    aliases: tuple[str, ...] = ()
    former_names: tuple[str, ...] = ()
    subsidiaries: bool = False
    subsidiaries_note: str | None = None
    subsidiary_names: tuple[str, ...] = ()


def clean_text(text: str) -> str:
    """Undo HTML entities and odd spaces (NBSP, zero-width, line breaks) and collapse whitespace."""
    t = html.unescape(text)
    t = t.replace("\u200b", "").replace("\ufeff", "").replace("\u00ad", "")
    return _SPACE.sub(" ", t).strip()  # \s covers NBSP, narrow NBSP and ideographic space


def parse_entry(text: str) -> ParsedEntry:
    """Cut one DHS / FR entry into name, aliases, former names and its subsidiaries note."""
    t = _strip_footnotes(clean_text(text))
    t = re.sub(r"\)\s*\.$", ")", t.rstrip(" ;,"))  # "(also known as X)." ends a sentence
    aliases: list[str] = []
    former: list[str] = []

    # 1. Alias parentheticals are cut out wherever they stand.
    kept: list[str] = []
    pos = 0
    for start, end in _top_level_groups(t):
        inner = t[start + 1 : end - 1] if t[end - 1 : end] == ")" else t[start + 1 : end]
        parsed = _alias_clauses(inner)
        if parsed is None:
            continue
        kept.append(t[pos:start])
        pos = end
        aliases.extend(parsed[0])
        former.extend(parsed[1])
    kept.append(t[pos:])
    rest = _SPACE.sub(" ", " ".join(s.strip() for s in kept if s.strip()))

    # 2. The subsidiaries clause, found outside any remaining parenthetical.
    subsidiaries = False
    note: str | None = None
    named: list[str] = []
    clause = _subsidiaries_clause(rest)
    if clause is not None:
        start, note, named = clause
        subsidiaries = True
        rest = rest[:start]

    name = _tidy(rest)
    if not name:
        raise EntryTextError(f"no name in entry text {text!r}")
    acronym = _trailing_acronym(name)
    if acronym:
        aliases.insert(0, acronym)
    return ParsedEntry(
        name=name,
        aliases=_unique(aliases, exclude=name),
        former_names=_unique(former, exclude=name),
        subsidiaries=subsidiaries,
        subsidiaries_note=note,
        subsidiary_names=_unique(named, exclude=name),
    )


def find_section(text: str) -> str | None:
    """The canonical citation of the last section named in `text`, e.g. '2(d)(2)(B)(v)'."""
    found = None
    for m in CITATION_RE.finditer(text):
        found = m
    return normalize_section(f"({found.group('clause').lower()})") if found else None


def parse_list_date(text: str) -> date | None:
    """A date as the lists write it: 'June 21, 2022', 'Jun. 21, 2022', '6/21/2022', '2022-06-21'.

    Returns None when `text` holds no date (or an impossible one, such as 'June 31, 2022'); callers
    decide whether that is an error.
    """
    t = clean_text(text).strip(" .;,*")
    if not t:
        return None
    for pattern in (_DATE_ISO, _DATE_WORDS, _DATE_DMY_WORDS, _DATE_US):
        m = pattern.fullmatch(t)
        if m is None:
            continue
        try:
            month_raw = m.group("month")
            month = int(month_raw) if month_raw.isdigit() else _MONTHS.get(month_raw.lower(), 0)
            year = int(m.group("year"))
            if year < 100:
                year += 2000
            return date(year, month, int(m.group("day")))
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(t).date()
    except ValueError:
        return None


# --------------------------------------------------------------------------- helpers


def _strip_footnotes(t: str) -> str:
    return _FOOTNOTE_TAIL.sub("", t).strip()


def _top_level_groups(t: str) -> list[tuple[int, int]]:
    """(start, end) of every outermost parenthetical; an unclosed one runs to the end."""
    groups: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for i, ch in enumerate(t):
        if ch == "(":
            if depth == 0:
                start = i
            depth += 1
        elif ch == ")" and depth > 0:
            depth -= 1
            if depth == 0:
                groups.append((start, i + 1))
    if depth > 0:
        groups.append((start, len(t)))
    return groups


def _alias_clauses(inner: str) -> tuple[list[str], list[str]] | None:
    """Aliases and former names in one parenthetical, or None when it is part of the name."""
    s = inner.strip()
    first = _INTRO.match(s)
    if first is None:
        return None
    # Every alias phrase that starts a clause: at the start or after "; ", "; and ", " and ".
    intros = [first]
    for m in _INTRO.finditer(s, first.end()):
        if _CLAUSE_JOIN.search(s[: m.start()]):
            intros.append(m)
    aliases: list[str] = []
    former: list[str] = []
    for i, m in enumerate(intros):
        end = intros[i + 1].start() if i + 1 < len(intros) else len(s)
        body = s[m.end() : end]
        body = _CLAUSE_TAIL.sub("", body)
        count_raw = m.group("count")
        count = None
        if count_raw:
            count = int(count_raw) if count_raw.isdigit() else _NUMBER_WORDS[count_raw.lower()]
        names = _split_names(body, count)
        (former if m.group("former") else aliases).extend(names)
    return aliases, former


def _split_names(body: str, count: int | None) -> list[str]:
    items = [re.sub(r"^and\s+", "", p.strip(), flags=re.I) for p in body.split(";")]
    items = [p for p in items if p]
    if count is not None and 0 < len(items) < count:
        # "A and B" for two names: split from the right, since names contain "and" more often
        # at their start ("Cotton and Linen Co.") than an alias list ends with one.
        head, last = items[:-1], items[-1]
        pieces = re.sub(r",\s+and\s+", " and ", last).rsplit(" and ", count - len(items))
        if len(head) + len(pieces) == count:
            items = head + pieces
    return [n for n in (_tidy(i) for i in items) if n]


def _subsidiaries_clause(t: str) -> tuple[int, str, list[str]] | None:
    depth_zero = _depth_zero_mask(t)
    for candidate in _AND.finditer(t):
        start = candidate.start()
        if start == 0 or not depth_zero[start]:
            continue
        m = _SUBSIDIARIES.match(t, start)
        if m is None:
            continue
        kind = m.group("kind").lower()
        rest = m.group("rest")
        note_text = _tidy(t[m.start("clause") :].lstrip(" ,"))
        if kind == "subsidiary":
            names = _split_names(rest, 1) if rest.strip() else []
            if not names:
                continue
            return start, note_text, names
        if not rest.strip(" .;,"):
            return start, note_text, []
        include = _WHICH_INCLUDE.match(rest)
        if include:
            count_raw = m.group("count")
            count = None
            if count_raw:
                count = int(count_raw) if count_raw.isdigit() else _NUMBER_WORDS[count_raw.lower()]
            return start, note_text, _split_names(rest[include.end() :], count)
    return None


def _depth_zero_mask(t: str) -> list[bool]:
    mask: list[bool] = []
    depth = 0
    for ch in t:
        if ch == "(":
            mask.append(depth == 0)
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
            mask.append(depth == 0)
        else:
            mask.append(depth == 0)
    return mask


def _tidy(s: str) -> str:
    """Collapse spaces, drop stray punctuation and a sentence-final period that is not 'Ltd.'."""
    s = _strip_footnotes(_SPACE.sub(" ", s).strip())
    s = re.sub(r"\s+([,;:.)])", r"\1", s)
    s = re.sub(r"\(\s+", "(", s)
    s = s.strip(" ,;:")
    s = re.sub(r"\.{2,}$", ".", s)
    s = re.sub(r"\)\.$", ")", s)
    if s.endswith(".") and not _keeps_final_period(s):
        s = s[:-1].rstrip(" ,;:")
    return s


def _keeps_final_period(s: str) -> bool:
    last = s[:-1].rsplit(" ", 1)[-1]
    return len(last) <= 1 or "." in last or last.lower().strip(",") in _ABBREVIATIONS


def _trailing_acronym(name: str) -> str | None:
    """'VSETC' for '... Vocation Skills Education Training Center (VSETC)', else None."""
    m = re.search(r"\(([A-Z][A-Z&]{1,11})\)$", name)
    if m is None:
        return None
    letters = m.group(1).replace("&", "")
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", name[: m.start()])]
    initials = "".join(w[0].upper() for w in words if w.lower() not in _STOPWORDS)
    return m.group(1) if initials.endswith(letters) else None


def _unique(names: list[str], *, exclude: str) -> tuple[str, ...]:
    """Drop repeats that differ only in case or spacing. Spellings that differ in punctuation
    ("Yuan’an" / "Yuanan") are distinct aliases as far as the list is concerned."""
    seen = {_fold(exclude)}
    out: list[str] = []
    for n in names:
        key = _fold(n)
        if key and key not in seen:
            seen.add(key)
            out.append(n)
    return tuple(out)


def _fold(s: str) -> str:
    return " ".join(s.casefold().split())


# --------------------------------------------------------------------------- entries to entities


@dataclass(frozen=True, slots=True)
class SectionEntry:
    """One entry as read from one section table (DHS) or appendix sub-list (FR)."""

    parsed: ParsedEntry
    listing: Listing


def merge_entries(
    entries: Sequence[SectionEntry], *, list_name: str = UFLPA_LIST, prefix: str = "UFLPA"
) -> tuple[ListedEntity, ...]:
    """One `ListedEntity` per folded name, with one `Listing` per section it appears in.

    DHS repeats an entity in each section table that lists it, sometimes with the aliases in one
    table only (Hetian Haolin), so aliases and former names are the union over its entries.
    Subsidiaries named inside an entry become entities of their own with `parent` set, listed in
    the same section from the same date, as OpenSanctions also models them.
    """
    order: list[str] = []
    acc: dict[str, _Acc] = {}

    def add(
        name: str,
        aliases: tuple[str, ...],
        former: tuple[str, ...],
        listing: Listing,
        *,
        subsidiaries: bool = False,
        note: str | None = None,
        parent: str | None = None,
    ) -> None:
        eid = provisional_id(prefix, name)
        if eid not in acc:
            order.append(eid)
            acc[eid] = _Acc(name=name)
        a = acc[eid]
        a.names.extend(aliases)
        a.former.extend(former)
        a.subsidiaries = a.subsidiaries or subsidiaries
        a.note = a.note or note
        a.parent = a.parent or parent
        if listing not in a.listings:
            a.listings.append(listing)

    for entry in entries:
        p = entry.parsed
        add(
            p.name,
            p.aliases,
            p.former_names,
            entry.listing,
            subsidiaries=p.subsidiaries,
            note=p.subsidiaries_note,
        )
        for child in p.subsidiary_names:
            add(child, (), (), entry.listing, parent=p.name)

    out: list[ListedEntity] = []
    for eid in order:
        a = acc[eid]
        aliases = _unique(a.names, exclude=a.name)
        former = tuple(f for f in _unique(a.former, exclude=a.name) if f not in aliases)
        out.append(
            ListedEntity(
                id=eid,
                name=a.name,
                list_name=list_name,
                aliases=aliases,
                former_names=former,
                subsidiaries=a.subsidiaries,
                subsidiaries_note=a.note,
                parent=a.parent,
                listings=tuple(a.listings),
            )
        )
    return tuple(out)


@dataclass(slots=True)
class _Acc:
    name: str
    names: list[str] = field(default_factory=list)
    former: list[str] = field(default_factory=list)
    listings: list[Listing] = field(default_factory=list)
    subsidiaries: bool = False
    note: str | None = None
    parent: str | None = None
