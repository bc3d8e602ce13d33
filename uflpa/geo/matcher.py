"""Find place spellings in free text: one index built once per process, one linear scan per row.

Two scripts, two scans over the same normalised text:

* Latin: folded characters (`uflpa.geo.text`) form tokens; every non-alphanumeric character
  other than an apostrophe ends one. The tokens are joined into one compact string, and a
  spelling matches when it starts and ends on token boundaries, so "Ku'erle", "Kuerle",
  "Ku Er Le" and "KU-ER-LE" are the same key.
* Han: simplified text (OpenCC t2s); spellings match anywhere (Chinese has no spaces), longest
  first.

A scan reports every hit with the facts that later decide its weight: is it followed by a street
word ("Xinjiang Road", 乌鲁木齐中路), by another administrative type word ("Aksu District" of
Antalya, 沙湾区 of Leshan), and does it head a company name ("Xinjiang Foo Trading Co.")?
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from uflpa.geo import lexicon as lx
from uflpa.geo.index import LATIN_TRAILING_TYPES, Entry, Index, build_index
from uflpa.geo.text import APOSTROPHES, HAN, fold_char, latin_key, normalise

_SEGMENT_BREAKS = frozenset(",;，；|\n\r\t、")
_HAN_CLAUSE_BREAKS = frozenset(",;，；|\n\r\t、 。:：")
_HAN_STREET = re.compile(lx.HAN_STREET_PATTERN)
# A street right after a full name (石河子市北三路) is a street *in* that place, not named after it.
_HAN_TYPE_ENDINGS = ("区", "县", "市", "州", "地区", "师", "团")


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
            folded = fold_char(c)
            if not folded:
                if c not in APOSTROPHES and in_token:  # a letter that folds to nothing
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
    if HAN.search(norm):
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
        if any(ch in _SEGMENT_BREAKS or ch in "()（）" for ch in gap) or HAN.search(gap):
            break
        out.append(stream.compact[s:e])
        prev_end = stream.origin[e - 1] + 1
    return out


_LATIN_TYPE_ENDINGS = tuple(sorted(LATIN_TRAILING_TYPES | {"division", "zone"}))


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
