"""Fuzzing the file readers: whatever bytes a user's file holds, `open_table` and iterating the
table raise nothing but `InputError`, and no row is lost.

Bounded (a few hundred examples each, no deadline) so that it runs in CI on every push; the
start of the fuzzing pass of issue 19. What the properties hold:

* any bytes under any name: only `InputError`, and row numbers that rise and stay within the
  file's lines;
* text without quotes, in a mix of encodings, bad bytes and line endings (LF, CRLF, a lone CR):
  exactly one record or issue per line that holds anything, at that line's number, as a person
  counts lines (a lone CR ends a line);
* CSV text with quotes anywhere: only `InputError`, rising row numbers within the lines, and
  every line that holds no quote and stands outside the quoted values gets its own item.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uflpa.errors import InputError
from uflpa.io import Record, RowIssue, open_table

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HEADER = b"name,country\n"
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")


def _read(path: Path) -> list[Record | RowIssue] | None:
    """The items of the table, or None when the file is refused (with an InputError)."""
    try:
        return list(open_table(path, required=["name"], optional=["country"]))
    except InputError:
        return None


def _physical_lines(data: bytes) -> list[bytes]:
    return _LINE_BREAK.split(data)


def _rows_rise_within(items: list[Record | RowIssue], data: bytes) -> None:
    rows = [item.row for item in items]
    assert rows == sorted(set(rows)), rows
    most = data.count(b"\n") + data.count(b"\r") + 1
    assert all(2 <= row <= most for row in rows), (rows, most)


@FUZZ
@given(
    body=st.binary(max_size=600),
    with_header=st.booleans(),
    suffix=st.sampled_from([".csv", ".tsv", ".txt", ".xlsx", ".parquet", ".xls", ".json"]),
)
def test_any_bytes_raise_only_input_error(
    tmp_path: Path, body: bytes, with_header: bool, suffix: str
) -> None:
    data = (HEADER if with_header else b"") + body
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    items = _read(path)
    if items is not None:
        _rows_rise_within(items, data)


@FUZZ
@given(body=st.binary(max_size=600))
def test_any_gzipped_bytes_raise_only_input_error(tmp_path: Path, body: bytes) -> None:
    path = tmp_path / "fuzz.csv.gz"
    path.write_bytes(gzip.compress(HEADER + body))
    items = _read(path)
    if items is not None:
        _rows_rise_within(items, HEADER + body)


# Pieces of quote-free lines: ASCII, delimiters, Chinese in UTF-8 and GBK, bytes that are not
# UTF-8, Western letters in UTF-8 and cp1252, and every line ending.
PIECES = [
    b"a", b"Z", b"7", b" ", b",", b";", b"\t",
    "新疆".encode(), "棉业".encode(), "新疆".encode("gbk"), b"\xff", b"\xe9", "é".encode(),
    b"\n", b"\r\n", b"\r",
]  # fmt: skip
_BLANK = b" ,\t"


@FUZZ
@given(pieces=st.lists(st.sampled_from(PIECES), max_size=80))
def test_quote_free_text_loses_no_row(tmp_path: Path, pieces: list[bytes]) -> None:
    data = HEADER + b"".join(pieces)
    path = tmp_path / "lines.csv"
    path.write_bytes(data)
    items = list(open_table(path, required=["name"], optional=["country"]))
    lines = _physical_lines(data)
    holding = [n for n, line in enumerate(lines, start=1) if n > 1 and line.strip(_BLANK)]
    assert [item.row for item in items] == holding, (data, items)


TEXT = st.text(
    st.sampled_from(["a", "7", " ", ",", '"', "\n", "\r", "新", "疆", "-", "P"]), max_size=120
)


@FUZZ
@given(
    text=TEXT,
    encoding=st.sampled_from(["utf-8", "gb18030", "utf-16"]),
)
def test_quoted_text_keeps_rows_in_order_and_raises_only_input_error(
    tmp_path: Path, text: str, encoding: str
) -> None:
    data = ("name,country\n" + text).encode(encoding)
    path = tmp_path / "quoted.csv"
    path.write_bytes(data)
    items = _read(path)
    assert items is not None  # the header is fine: nothing stops the whole file
    _rows_rise_within(items, ("name,country\n" + text).encode())
    # A line without quotes that comes before the first quote of the body is a row of its own.
    lines = _physical_lines(("name,country\n" + text).encode())
    rows = {item.row for item in items}
    for number, line in enumerate(lines, start=1):
        if b'"' in line:
            break
        if number > 1 and line.strip(_BLANK):
            assert number in rows, (number, text, items)
