"""Find place spellings in free text: one index built once per process, one linear scan per row.

Two scripts, two scans over the same normalised text:

* Latin: folded characters (`uflpa.text.normalize`) form tokens; every non-alphanumeric character
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
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from uflpa.geo import lexicon as lx
from uflpa.geo.index import LATIN_TRAILING_TYPES, Entry, Index, build_index
from uflpa.text.normalize import APOSTROPHES, fold_char, latin_key, normalise
from uflpa.text.script import HAN_CHARS, KANA_CHARS, has_han

_SEGMENT_BREAKS = ",;，；|\n\r\t、"
_SEGMENT_BREAK = re.compile(f"[{_SEGMENT_BREAKS}]")
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
    """The folded tokens of a text. Token k is `compact[starts[k]:starts[k + 1]]` (the last entry
    of `starts` is `len(compact)`), written at `text[first[k]:after[k]]`. A spelling always starts
    and ends on token boundaries, so token offsets are all a hit needs: no per-character map."""

    compact: str
    starts: list[int]  # compact offset of each token, then len(compact)
    first: list[int]  # original offset of each token's first character
    after: list[int]  # original offset just past each token's last character


# A run of word characters other than Han and kana; apostrophes inside a run join it (Ala'er),
# except a possessive 's, which ends it (Kashgar's).
_RUN = re.compile(
    rf"[^\W_{KANA_CHARS}{HAN_CHARS}]+(?:['’‘ʼ`´′](?![sS]\b)[^\W_{KANA_CHARS}{HAN_CHARS}]+)*"
)
_ASCII_PIECE = re.compile(r"[A-Za-z]+|[0-9]+")


def _latin_stream(norm: str) -> _Latin:
    """The tokens of `norm`; plain ASCII (most party names) takes one regex pass."""
    if norm.isascii() and "'" not in norm and "`" not in norm:
        return _ascii_stream(norm)
    return _general_stream(norm)


def _ascii_stream(norm: str) -> _Latin:
    """`_general_stream` for ASCII text without apostrophes: there a run of letters and digits
    is a token per letter or digit stretch, and every token maps one to one onto the text."""
    pieces = list(_ASCII_PIECE.finditer(norm))
    words = [m.group() for m in pieces]
    return _Latin(
        "".join(words).lower(),
        list(accumulate(map(len, words), initial=0)),
        [m.start() for m in pieces],
        [m.end() for m in pieces],
    )


def _general_stream(norm: str) -> _Latin:
    """Tokens of any text: each character folded on its own (Ü -> u, ß -> ss), apostrophes
    inside a run dropped, and a token ended by a character that folds to nothing or where
    letters and digits meet."""
    chars: list[str] = []
    starts: list[int] = []
    first: list[int] = []
    after: list[int] = []
    size = 0
    for run in _RUN.finditer(norm):
        text, base = run.group(), run.start()
        if text.isascii() and text.isalnum():  # the common case: one pass of a regex
            for piece in _ASCII_PIECE.finditer(text):
                starts.append(size)
                first.append(base + piece.start())
                after.append(base + piece.end())
                chars.append(piece.group().lower())
                size += piece.end() - piece.start()
            continue
        in_token = last_digit = False
        for i, c in enumerate(text, start=base):
            folded = fold_char(c)
            if not folded:
                if c not in APOSTROPHES and in_token:  # a letter that folds to nothing
                    in_token = False
                continue
            digit = folded[0].isdigit()
            if in_token and digit != last_digit:  # "830011Urumqi": letters and digits part
                in_token = False
            if not in_token:
                starts.append(size)
                first.append(i)
                after.append(i + 1)
                in_token = True
            last_digit = folded[-1].isdigit()
            chars.append(folded)
            after[-1] = i + 1
            size += len(folded)
    starts.append(size)
    return _Latin("".join(chars), starts, first, after)


def scan(text: str, norm: str | None = None) -> list[Hit]:
    """All hits in `text`, leftmost-longest and non-overlapping within each script."""
    norm = normalise(text) if norm is None else norm
    index = build_index()
    hits = _scan_latin(text, norm, index)
    if has_han(norm):
        hits.extend(_scan_han(text, norm, index))
    hits.sort(key=lambda h: h.span)
    return _mark_companies(norm, hits)


def _scan_latin(text: str, norm: str, index: Index) -> list[Hit]:
    """Leftmost-longest spellings that start and end on token boundaries.

    At each token, the candidate ends are the token boundaries within the longest key that
    shares the token's first characters, tried from the farthest: the same order as trying
    every key length longest first, but only at lengths that can end on a boundary.
    """
    stream = _latin_stream(norm)
    compact, starts, first, after = stream.compact, stream.starts, stream.first, stream.after
    lengths_of, keys, prefix = index.latin_lengths, index.latin, index.latin_prefix
    tokens = len(starts) - 1
    hits: list[Hit] = []
    k = 0
    while k < tokens:
        start = starts[k]
        lengths = lengths_of.get(compact[start : start + prefix])
        if lengths is None:
            k += 1
            continue
        found = False
        for j in range(bisect_right(starts, start + lengths.longest, k + 1) - 1, k, -1):
            end = starts[j]
            if end - start not in lengths.all:
                continue
            entries = keys.get(compact[start:end])
            if entries is None:
                continue
            span = (first[k], after[j - 1])
            following = _following_tokens(stream, j, norm, span[1])
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
            found = True
            k = j
            break
        if not found:
            k += 1
    return hits


# What ends a stretch of following words: a comma-like break, a bracket or a Han character.
_GAP_BREAK = re.compile(f"[{_SEGMENT_BREAKS}()（）{HAN_CHARS}]")


def _following_tokens(stream: _Latin, k: int, norm: str, span_end: int) -> list[str]:
    """Up to three tokens from token `k` on, right after a hit, stopping at a comma-like break."""
    out: list[str] = []
    prev_end = span_end
    starts = stream.starts
    for j in range(k, min(k + 3, len(starts) - 1)):
        if _GAP_BREAK.search(norm, prev_end, stream.first[j]):
            break
        out.append(stream.compact[starts[j] : starts[j + 1]])
        prev_end = stream.after[j]
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
        a, b = h.span
        covered[a:b] = [True] * (b - a)
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
_HAN_COMPANY = re.compile("|".join(map(re.escape, lx.HAN_COMPANY_WORDS)))


def _latin_heads_company(norm: str, start: int, covered: list[bool]) -> bool:
    brk = _SEGMENT_BREAK.search(norm, start)
    end = brk.start() if brk else len(norm)
    for m in _LATIN_WORD.finditer(norm, start, end):
        if covered[m.start()]:
            continue
        raw = m.group()
        word = raw.lower() if raw.isascii() else latin_key(raw)  # ASCII word: letters, digits
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
        if _HAN_COMPANY.match(norm, k):
            return True
        if c in lx.HAN_ADDRESS_CHARS or c.isdigit():
            return False
        k += 1
    return False
