"""Fuzzing the list parsers (issue 19): the DHS page (HTML), the Federal Register notice (text),
OpenSanctions FollowTheMoney JSON lines and the trade.gov Consolidated Screening List (CSV and
JSON), as `uflpa lists update` reads them.

Bounded for CI: a few dozen examples per property and fixture, each within a deadline, the file
well under a minute. What the properties hold, for every parser:

* any bytes, given to the named parser or to the one that recognises them: nothing but
  `SourceFormatError` (the parsers' documented error: one line naming the file and position),
  and a list that is read holds entities (never a silently empty list);
* a published file damaged at random (cut short, a slice dropped, repeated or replaced by
  random bytes): the same;
* a published file in which one entity's name is replaced by another well-formed name (Latin,
  accented and Han words, written as the format escapes them): read, with as many entities as
  before and the new name among them; valid content is never dropped without a word.
"""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uflpa.errors import SourceFormatError
from uflpa.lists.base import parse_list, source_names
from uflpa.model import ListVersion

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists"

FUZZ = settings(
    max_examples=25,
    deadline=2000,  # ms per example: a parser that goes quadratic on some input fails here
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)

#: Each fixture, its parser, an entity name in it and how the format writes a name.
CASES = {
    "dhs_uflpa_page.html": ("dhs-uflpa", "Baoding LYSZD Trade and Business Co., Ltd.", "html"),
    "dhs_uflpa_page_variant.html": (
        "dhs-uflpa",
        "Baoding LYSZD Trade and Business Co., Ltd.",
        "html",
    ),
    "federal_register_2025-00901.txt": (
        "federal-register",
        "Baoding LYSZD Trade and Business Co., Ltd.",
        "column",
    ),
    "opensanctions_us_dhs_uflpa.ftm.jsonl": (
        "opensanctions",
        "Hetian Haolin Hair Accessories Co. Ltd.",
        "json",
    ),
    "opensanctions_us_ofac_sdn.ftm.jsonl": (
        "opensanctions",
        "XINJIANG PRODUCTION AND CONSTRUCTION CORPS",
        "json",
    ),
    "csl_sample.csv": ("csl", "Changji Esquel Textile Co. Ltd.", "csv"),
    "csl_sample.json": ("csl", "Changji Esquel Textile Co. Ltd.", "json"),
}


def _parse(data: bytes, origin: str, source: str | None) -> ListVersion | None:
    """The version read, or None when the parser refused the input with its own error."""
    try:
        version = parse_list(data, origin, source=source)
    except SourceFormatError as exc:
        assert "\n" not in str(exc), str(exc)
        return None
    assert version.entities, f"{source or 'detected'}: a list read from {origin} holds nothing"
    return version


@FUZZ
@given(data=st.binary(max_size=2000), source=st.sampled_from([None, *source_names()]))
def test_any_bytes_raise_only_the_parsers_error(data: bytes, source: str | None) -> None:
    _parse(data, "fuzz", source)


def _damaged(original: bytes) -> st.SearchStrategy[bytes]:
    size = len(original)
    cut = st.integers(0, size)

    def apply(op: str, at: int, length: int, noise: bytes) -> bytes:
        end = min(size, at + length)
        if op == "cut":
            return original[:at]
        if op == "drop":
            return original[:at] + original[end:]
        if op == "repeat":
            return original[:end] + original[at:end] + original[end:]
        return original[:at] + noise + original[end:]

    return st.builds(
        apply,
        st.sampled_from(["cut", "drop", "repeat", "replace"]),
        cut,
        st.integers(1, 400),
        st.binary(min_size=1, max_size=40),
    )


@pytest.mark.parametrize("fixture", list(CASES))
def test_damaged_files_raise_only_the_parsers_error(fixture: str) -> None:
    original = (FIXTURES / fixture).read_bytes()
    source = CASES[fixture][0]

    @FUZZ
    @given(data=_damaged(original), named=st.booleans())
    def check(data: bytes, named: bool) -> None:
        _parse(data, fixture, source if named else None)

    check()


_WORD = st.one_of(
    st.from_regex(r"[A-Z][a-z]{2,9}", fullmatch=True),
    st.from_regex(r"[A-Z]{2,6}", fullmatch=True),
    st.from_regex(r"[ÀÉÖÜ][àéèöüç]{2,6}", fullmatch=True),
    st.from_regex(r"[\u4e00-\u9fa5]{2,6}", fullmatch=True),
)
_SUFFIX = st.sampled_from(["", " Co., Ltd.", " Ltd", " Trading LLC", " 有限公司", " & Sons"])
NAMES = st.builds(
    lambda words, suffix: " ".join(words) + suffix,
    st.lists(_WORD, min_size=1, max_size=4),
    _SUFFIX,
)


def _written(name: str, how: str, width: int) -> bytes:
    """`name` as the format writes a value."""
    if how == "html":
        return html.escape(name, quote=False).encode()
    if how == "json":
        return json.dumps(name, ensure_ascii=False)[1:-1].encode()
    if how == "csv":
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow([name])
        return out.getvalue().encode()
    return name.ljust(width).encode()  # a fixed-width column of the notice


def _fits(name: str, how: str, width: int) -> bool:
    # The notice's name column holds `width` characters; Han characters take two columns in
    # the printed notice, which the published text never mixes with its Latin tables.
    return how != "column" or (len(name) <= width and name.isascii())


@pytest.mark.parametrize("fixture", list(CASES))
def test_a_renamed_entity_is_read_under_its_new_name(fixture: str) -> None:
    original = (FIXTURES / fixture).read_bytes()
    source, old, how = CASES[fixture]
    before = parse_list(original, fixture, source=source)
    assert old.encode() in original

    @FUZZ
    @given(name=NAMES.filter(lambda n: _fits(n, how, len(old))))
    def check(name: str) -> None:
        data = original.replace(old.encode(), _written(name, how, len(old)))
        after = parse_list(data, fixture, source=source)
        names = {e.name for e in after.entities}
        assert len(after.entities) == len(before.entities), (name, sorted(names))
        assert name in names, (name, sorted(names))

    check()


def test_an_entity_table_nested_in_another_is_refused_with_the_parsers_error() -> None:
    """Found by the damaged-file property (a slice repeated): a section heading and the start of
    an entity table repeated inside a table made a table with no text before it, and the DHS
    parser raised KeyError."""
    original = (FIXTURES / "dhs_uflpa_page.html").read_bytes()
    at = original.index(b" with the government of Xinjiang or the Xinjiang Production and")
    end = original.index(b"Name of Entity</th", at) + len(b"Name of Entity</th")
    data = original[:end] + original[at:end] + original[end:]
    with pytest.raises(SourceFormatError, match="has no 'Section 2"):
        parse_list(data, "damaged.html", source="dhs-uflpa")
