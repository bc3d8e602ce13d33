"""Large delimited files read in columns by pyarrow, about ten times faster than row by row.

Two uses, with two standards of proof:

* **The distinct parties** (`distinct_parties`), which the local engine matches ahead of the rows
  (`uflpa.bulk.local`). pyarrow's reading of odd quoting may differ from the row reader's
  (`uflpa.io`); a party read differently here is only a party not matched ahead, which the row's
  worker then matches itself, so the verdicts never depend on this reader.
* **The rows themselves** (`plan`, `read_slices`), only where pyarrow reads exactly what the row
  reader reads. A scan of the bytes (`numpy`, whole lines at a time) must find UTF-8 without NUL
  bytes, lines ending in LF or CRLF (no lone CR, no empty line), and quotes only around whole
  fields: on every line they alternate, an opening quote at a field's start, a closing quote at
  its end, so that no value runs over two lines and none holds an escaped or stray quote. Then
  every line is one record, which both readers split alike; a line of the wrong width is handed
  to the row reader's own parser, which reports it (or reads it) as it always does. Anything
  else, and the row reader reads the file. `tests/bulk/test_bulk_columnar.py` holds the two
  readers to the same records on generated files.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from uflpa.io import Record, RowIssue, Table
from uflpa.io.delimited import DelimitedSource
from uflpa.io.limits import line_bytes
from uflpa.io.records import clean_cell
from uflpa.io.sources import RawRow
from uflpa.io.text_lines import Line
from uflpa.io.text_records import is_blank, parse_records
from uflpa.model import ROLES

#: pyarrow's block size: the rows held at once are about this many bytes.
BLOCK = 16 * 1024 * 1024
PartyKey = tuple[str, str, str, str]  # name, address, identifier, country


def distinct_parties(table: Table) -> list[PartyKey] | None:
    """Every distinct party of a shipment file (role aside), as a shipment row reads it: its
    cells cleaned by the reader and stripped; None when pyarrow cannot read the file."""
    source = table.source
    if not isinstance(source, DelimitedSource) or source.gzip or source.newline != b"\n":
        return None
    if source.detection.codec != "utf-8" or source.delimiter is None:
        return None
    import pyarrow as pa
    import pyarrow.csv as pacsv

    positions = table.positions
    roles = [
        [positions.get(f"{role}{suffix}") for suffix in ("", "_address", "_id", "_country")]
        for role in ROLES
        if role in positions or f"{role}_address" in positions
    ]
    wanted = sorted({at for columns in roles for at in columns if at is not None})
    names = [f"c{i}" for i in range(len(source.raw_headers))]
    raw: dict[PartyKey, None] = {}
    with open(source.path, "rb") as stream:
        stream.seek(source.data_offset)
        try:
            reader = pacsv.open_csv(
                _Window(stream),
                read_options=pacsv.ReadOptions(
                    column_names=names, use_threads=False, block_size=BLOCK
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=source.delimiter,
                    newlines_in_values=True,
                    invalid_row_handler=lambda row: "skip",
                ),
                convert_options=pacsv.ConvertOptions(
                    include_columns=[names[i] for i in wanted],
                    column_types={names[i]: pa.string() for i in wanted},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
            for batch in reader:
                _add_distinct(raw, batch, roles, names)
        except (pa.ArrowInvalid, UnicodeDecodeError, OSError):
            return None
    seen: dict[PartyKey, None] = {}
    for name, address, identifier, country in raw:
        key = (_clean(name), _clean(address), _clean(identifier), _clean(country))
        if key[0] or key[1]:  # a row's party has a name or an address
            seen[key] = None
    return list(seen)


def _add_distinct(
    raw: dict[PartyKey, None], batch: Any, roles: list[list[int | None]], names: list[str]
) -> None:
    """The distinct (name, address, identifier, country) cells of each role of `batch`."""
    import pyarrow as pa

    empty = pa.array([""] * batch.num_rows, pa.string())
    by_name: Mapping[str, Any] = {n: batch.column(n) for n in batch.schema.names}
    for columns in roles:
        part = pa.table(
            {
                f"k{i}": by_name[names[at]] if at is not None else empty
                for i, at in enumerate(columns)
            }
        )
        distinct = part.group_by([f"k{i}" for i in range(4)]).aggregate([])
        keys = zip(*(distinct.column(f"k{i}").to_pylist() for i in range(4)), strict=True)
        raw.update(dict.fromkeys(keys))


@dataclass(frozen=True, slots=True)
class Plan:
    """How to read a file's rows in columns: where its data starts, its first data row's
    number, its delimiter and width, and how many lines of data it has."""

    path: str
    offset: int
    first_row: int
    delimiter: str
    width: int
    lines: int


def plan(table: Table) -> Plan | None:
    """A plan for reading `table`'s rows in columns, or None when only the row reader reads
    them right (see the module's note)."""
    source = table.source
    if not isinstance(source, DelimitedSource) or source.gzip or source.newline != b"\n":
        return None
    delimiter = source.delimiter
    if source.detection.codec != "utf-8" or delimiter is None:
        return None
    code = delimiter.encode("utf-8")
    if len(code) != 1 or code in (b'"', b"\r", b"\n"):
        return None
    # A line too long for the row reader (a value over the bound) is the row reader's to report.
    limit = min(line_bytes(source.max_field, len(source.raw_headers)), BLOCK // 2)
    lines = _scan(str(source.path), source.data_offset, code[0], limit)
    if lines is None:
        return None
    return Plan(
        path=str(source.path),
        offset=source.data_offset,
        first_row=source.data_line,
        delimiter=delimiter,
        width=len(source.raw_headers),
        lines=lines,
    )


def _scan(path: str, offset: int, delimiter: int, limit: int) -> int | None:
    """The number of data lines, or None when the bytes hold anything pyarrow could read
    differently from the row reader, or a line longer than `limit` bytes. Whole lines at a
    time: what follows a chunk's last newline waits for the next chunk, so no check straddles
    two chunks."""
    lines = 0
    carry = b""
    with open(path, "rb") as stream:
        stream.seek(offset)
        while chunk := stream.read(BLOCK):
            data = carry + chunk
            cut = data.rfind(b"\n") + 1
            block, carry = data[:cut], data[cut:]
            if len(carry) > limit or (block and not _plain(block, delimiter, limit)):
                return None
            lines += block.count(b"\n")
    if carry:
        if not _plain(carry + b"\n", delimiter, limit):
            return None
        lines += 1
    return lines


def _plain(block: bytes, delimiter: int, limit: int) -> bool:
    """Whole lines (`block` ends with LF), none longer than `limit` bytes, that pyarrow splits
    into the row reader's fields."""
    import numpy as np

    if len(block) > limit:
        ends = np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == 10)
        if ends[0] + 1 > limit or (len(ends) > 1 and int(np.diff(ends).max()) > limit):
            return False

    if b"\x00" in block or block.count(b"\r") != block.count(b"\r\n"):
        return False
    try:
        block.decode("utf-8")  # the row reader reports a line it cannot decode; pyarrow stops
    except UnicodeDecodeError:
        return False
    if block.startswith((b"\n", b"\r\n")) or b"\n\n" in block or b"\n\r\n" in block:
        return False  # an empty line: the row reader counts it, pyarrow would not
    if b'"' not in block:
        return True
    a = np.frombuffer(block, dtype=np.uint8)
    quotes = np.flatnonzero(a == 34)
    newlines = np.flatnonzero(a == 10)
    # Quotes before each line's end: even everywhere means no line leaves a quote open.
    if np.any(np.searchsorted(quotes, newlines) % 2):
        return False
    before = np.where(quotes > 0, a[quotes - 1], 10)
    after = a[quotes + 1]  # the block ends with LF, so a quote is never its last byte
    opening = (before == delimiter) | (before == 10)
    closing = (after == delimiter) | (after == 10) | (after == 13)
    # With even counts per line, the quotes alternate within each line: open, close, ...
    return bool(np.all(opening[0::2]) and np.all(closing[1::2]))


@dataclass(frozen=True, slots=True)
class Slice:
    """Consecutive data lines: `arrow` holds the records pyarrow read (every column as text),
    numbered by `numbers`; `bad` the lines it could not read as a record of the header's width
    (number, text), which the row reader's own parser then reads (`uflpa.io.text_records`)."""

    numbers: list[int]
    arrow: Any
    bad: list[tuple[int, str]]


def read_slices(plan: Plan, rows: int) -> Iterator[Slice]:
    """The data lines in slices of about `rows` records, in order."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(plan.width)]
    bad: list[tuple[int, str]] = []
    line = 0  # data lines handed out so far

    def invalid(row: Any) -> str:
        # Called while pyarrow parses a block, before that block's batch is handed out.
        bad.append((int(row.number), str(row.text).rstrip("\r")))
        return "skip"

    with open(plan.path, "rb") as stream:
        stream.seek(plan.offset)
        reader = pacsv.open_csv(
            _Window(stream),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=False, block_size=BLOCK),
            parse_options=pacsv.ParseOptions(
                delimiter=plan.delimiter,
                newlines_in_values=False,
                ignore_empty_lines=False,
                invalid_row_handler=invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        for batch in reader:
            for start in range(0, batch.num_rows, rows):
                # A copy of the slice alone: a slice pickles with its whole block (16 MB) when
                # it is sent to a worker.
                part = pa.concat_batches([batch.slice(start, rows)])
                numbers: list[int] = []
                skipped: list[tuple[int, str]] = []
                while len(numbers) < part.num_rows:
                    line += 1
                    if bad and bad[0][0] == line:
                        skipped.append(bad.pop(0))
                    else:
                        numbers.append(line)
                yield Slice([plan.first_row + n - 1 for n in numbers], part, _rows(plan, skipped))
        if bad:
            yield Slice([], None, _rows(plan, bad))


def entries(part: Slice, table: Table) -> Iterator[Record | RowIssue]:
    """A slice's rows as the row reader yields them, in row order: records and row issues,
    blank rows left out, the lines pyarrow did not take as records read by the row reader's
    own parser."""
    rows: Iterator[tuple[int, list[str]]] = iter(())
    if part.arrow is not None:
        columns = [c.to_pylist() for c in part.arrow.columns]
        rows = zip(part.numbers, map(list, zip(*columns, strict=True)), strict=True)
    bad = iter(part.bad)
    pending = next(bad, None)
    for number, fields in rows:
        while pending is not None and pending[0] < number:
            yield from _parsed_line(pending, table)
            pending = next(bad, None)
        if not is_blank(fields):
            yield table.judge(RawRow(number, fields, ""))
    while pending is not None:
        yield from _parsed_line(pending, table)
        pending = next(bad, None)


def _parsed_line(line: tuple[int, str], table: Table) -> Iterator[Record | RowIssue]:
    """A line pyarrow did not take as a record, read as the row reader reads it."""
    source = table.source
    assert isinstance(source, DelimitedSource)
    number, text = line
    lines = iter([Line(number, 0, 0, text, None)])
    for raw in parse_records(lines, source.delimiter, source.raw_headers):
        yield table.judge(raw)


def _rows(plan: Plan, lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Data line numbers as the file's row numbers."""
    return [(plan.first_row + n - 1, text) for n, text in lines]


def _clean(cell: str) -> str:
    """A cell as a shipment row reads it: cleaned by the reader, stripped by the row."""
    return clean_cell(cell).strip()


class _Window:
    """A binary stream from its current position, for pyarrow (which wants a file object)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.closed = False

    def read(self, size: int = -1) -> bytes:
        data: bytes = self._stream.read(size)
        return data

    def close(self) -> None:
        self.closed = True
