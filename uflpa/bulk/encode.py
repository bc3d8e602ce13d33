"""Screened rows written out, a batch at a time: JSON lines, CSV lines, an Arrow table.

One home for every output format of every engine. The row-by-row engine encodes its rows in
batches here; the parallel engine's workers encode theirs here and send the text (or the Arrow
table) to the process that writes the files, which then only writes. A JSON line is the row's
`to_dict`; a CSV line its `flat` form, cells as `uflpa.reports.tabular.cell` renders them, a cell
a spreadsheet would run as a formula made safe (`spreadsheet_safe`) unless the raw form
(`RAW_CSV`, `--raw-csv`) was asked for; the Arrow table holds the flat columns (text, with `row`
an integer and a party file's `score` a number) and `record`, the whole JSON line, so that
nothing the JSON lines hold is lost.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from uflpa.bulk.kinds import Kind
from uflpa.reports.tabular import cell, csv_text, dumps, spreadsheet_safe
from uflpa.screening.rows import (
    ERROR,
    PARTY_COLUMNS,
    SHIPMENT_CSV_COLUMNS,
    ScreenedRow,
    flat_row,
)

JSONL, CSV, ARROW, TYPED = "jsonl", "csv", "arrow", "typed"
#: CSV lines with every cell as it is, formula-like cells included (for pipelines, not
#: spreadsheets).
RAW_CSV = "csv-raw"
_FLAGGED = frozenset({"hit", "review"})


def columns_of(kind: Kind) -> tuple[str, ...]:
    """The one-line columns of a screened row of `kind` (CSV, Parquet, DuckDB)."""
    return SHIPMENT_CSV_COLUMNS if kind is Kind.shipment else PARTY_COLUMNS


def csv_header(kind: Kind) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(columns_of(kind))
    return buf.getvalue()


def arrow_schema(kind: Kind) -> Any:
    import pyarrow as pa

    fields = [
        pa.field(c, pa.int64() if c == "row" else pa.float64() if c == "score" else pa.string())
        for c in columns_of(kind)
    ]
    return pa.schema([*fields, pa.field("record", pa.string())])


@dataclass(slots=True)
class Encoded:
    """One batch of rows in the forms the run's sinks asked for (None: not asked for), and how
    many of its rows were flagged (hit or review) and not screened."""

    rows: int
    jsonl: str | None = None
    csv: str | None = None
    raw_csv: str | None = None
    table: Any = None  # a pyarrow.Table
    flagged: int = 0
    errors: int = 0


def encode(results: Sequence[ScreenedRow], kind: Kind, formats: frozenset[str]) -> Encoded:
    """`results` written in each of `formats` (JSONL, CSV, ARROW)."""
    out = Encoded(rows=len(results))
    out.flagged = sum(1 for r in results if r.verdict in _FLAGGED)
    out.errors = sum(1 for r in results if r.verdict == ERROR)
    lines: list[str] | None = None
    if JSONL in formats or ARROW in formats:
        lines = [dumps(r.to_dict()) for r in results]
        if JSONL in formats:
            out.jsonl = "".join(line + "\n" for line in lines)
    flats = [flat_row(r) for r in results] if formats & {CSV, RAW_CSV, ARROW} else []
    columns = columns_of(kind)
    if CSV in formats or RAW_CSV in formats:
        cells = [[cell(flat.get(c)) for c in columns] for flat in flats]
        _csv_forms(out, cells, formats)
    if ARROW in formats:
        import pyarrow as pa

        data: dict[str, list[Any]] = {c: [_typed(c, f.get(c)) for f in flats] for c in columns}
        data["record"] = lines or []
        out.table = pa.Table.from_pydict(data, schema=arrow_schema(kind))
    return out


def from_table(table: Any, kind: Kind, formats: frozenset[str]) -> Encoded:
    """Rows already encoded as an Arrow table (by `encode`, elsewhere: a Spark executor), in
    the other forms too: the JSON lines are its `record` column, the CSV lines its one-line
    columns."""
    out = Encoded(rows=table.num_rows, table=table if ARROW in formats else None)
    verdicts = table.column("verdict").to_pylist()
    out.flagged = sum(1 for v in verdicts if v in _FLAGGED)
    out.errors = sum(1 for v in verdicts if v == ERROR)
    if JSONL in formats:
        out.jsonl = "".join(line + "\n" for line in table.column("record").to_pylist())
    if CSV in formats or RAW_CSV in formats:
        values = [table.column(c).to_pylist() for c in columns_of(kind)]
        cells = [[cell(v) for v in row] for row in zip(*values, strict=True)]
        _csv_forms(out, cells, formats)
    return out


def _csv_forms(out: Encoded, cells: list[list[str]], formats: frozenset[str]) -> None:
    """The CSV lines of `cells` in the forms asked for: safe for a spreadsheet, or raw."""
    if CSV in formats:
        out.csv = _csv_text([[spreadsheet_safe(c) for c in row] for row in cells])
    if RAW_CSV in formats:
        out.raw_csv = _csv_text(cells)


def _csv_text(cells: list[list[str]]) -> str:
    return csv_text(cells)


def _typed(column: str, value: Any) -> Any:
    if value is None:
        return None
    if column in ("row", "score"):
        return value
    return cell(value)
