"""Good rows + reported rows = input rows, for any file the generators can write.

Each generated row is written with the `csv` module (correct quoting, embedded delimiters,
quotes and newlines), or deliberately broken: a field too few or too many, a NUL byte, an empty
name. A small model says what each row must become (skipped when blank, an issue, or a record
with these exact cleaned values, at this line number); the reader must agree row for row.

One ambiguity is left out on purpose: a record that spans lines *and* has the wrong field count
can also be read as a stray quote followed by whole rows; `test_io_delimited` pins down how
each reading is handled.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uflpa.io import Record, RowIssue, open_table
from uflpa.io.records import clean_cell

HEADER = ["name", "country", "note"]
# Delimiters, quotes, newlines, tabs, Unicode spaces, zero-width space, CJK (incl. astral).
CHARACTERS = ["a", "Z", "7", " ", ",", ";", "|", '"', "\n", "\t", "\u00a0", "\u3000", "\u200b"]
ALPHABET = st.sampled_from([*CHARACTERS, "新", "疆", "𠮷"])
FIELD = st.text(ALPHABET, max_size=8)
ONE_LINE_FIELD = st.text(ALPHABET.filter(lambda ch: ch != "\n"), max_size=8)


@dataclass(frozen=True)
class Row:
    fields: list[str]
    nul: bool = False


@st.composite
def rows(draw: st.DrawFn) -> Row:
    kind = draw(st.sampled_from(["good", "good", "good", "short", "long", "nul", "no-name"]))
    if kind == "good":
        return Row([draw(FIELD) for _ in HEADER])
    if kind == "short":
        return Row([draw(ONE_LINE_FIELD) for _ in range(draw(st.integers(1, 2)))])
    if kind == "long":
        extra = draw(st.integers(1, 2))
        return Row([draw(ONE_LINE_FIELD) for _ in range(len(HEADER) + extra)])
    if kind == "nul":
        fields = [draw(FIELD) for _ in HEADER]
        at = draw(st.integers(0, len(HEADER) - 1))
        fields[at] = fields[at] + "\x00"
        return Row(fields, nul=True)
    return Row(["", draw(FIELD), draw(FIELD)])


def _expected(row: Row) -> str | dict[str, str] | None:
    """None: blank, not a row; 'issue'; or the record's values."""
    cleaned = [clean_cell(f) for f in row.fields]
    if not any(cleaned):
        return None
    n = len(row.fields)
    if n < len(HEADER) or (n > len(HEADER) and any(cleaned[len(HEADER) :])):
        return "issue"
    if row.nul or not cleaned[0]:
        return "issue"
    return dict(zip(HEADER, cleaned[: len(HEADER)], strict=True))


def _write(table: list[Row], delimiter: str) -> tuple[str, list[int]]:
    """The CSV text and the 1-based line on which each row starts."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(HEADER)
    starts = []
    for row in table:
        starts.append(out.getvalue().count("\n") + 1)
        writer.writerow(row.fields)
    return out.getvalue(), starts


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    table=st.lists(rows(), max_size=12),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]),
)
def test_records_plus_issues_equal_input_rows(
    tmp_path: Path, table: list[Row], delimiter: str, encoding: str
) -> None:
    text, starts = _write(table, delimiter)
    path = tmp_path / "generated.csv"
    path.write_bytes(text.encode(encoding))
    # Detection is tested elsewhere; GB18030 is named so that odd generated text (only spaces
    # and punctuation outside ASCII) cannot make this test about guessing.
    given_encoding = "gb18030" if encoding == "gb18030" else None
    opened = open_table(path, required=["name"], optional=HEADER[1:], encoding=given_encoding)
    assert opened.delimiter == delimiter
    items = list(opened)

    expected = [(start, _expected(row)) for start, row in zip(starts, table, strict=True)]
    expected = [(start, want) for start, want in expected if want is not None]
    assert len(items) == len(expected)
    for item, (start, want) in zip(items, expected, strict=True):
        assert item.row == start
        if want == "issue":
            assert isinstance(item, RowIssue), (item, want)
            assert item.file == str(path) and item.reason
        else:
            assert isinstance(item, Record), (item, want)
            assert item.values == want


CELL = st.one_of(
    st.none(),
    st.text(st.sampled_from(["a", "新", " ", "\u3000", ",", '"']), max_size=5),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(sheet=st.lists(st.lists(CELL, min_size=0, max_size=4), max_size=8))
def test_xlsx_records_plus_issues_equal_non_empty_rows(
    tmp_path: Path, sheet: list[list[object]]
) -> None:
    from openpyxl import Workbook

    from uflpa.io.workbook import cell_text

    path = tmp_path / "generated.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["name", "country", "note", "other"])
    for row in sheet:
        ws.append(row if row else [None])
    wb.save(path)
    items = list(open_table(path, required=["name"], optional=["country", "note"]))

    class Value:
        def __init__(self, value: object) -> None:
            self.value = value
            self.number_format = "General"

    expected = []
    for number, row in enumerate(sheet, start=2):
        texts = [clean_cell(cell_text(Value(v))) for v in row]
        if any(texts):
            expected.append((number, bool(texts and texts[0])))
    assert [(item.row, isinstance(item, Record)) for item in items] == expected
