"""Where the rows of a run go: JSON lines, CSV, Parquet, the HTML report, or a list in memory.

Every sink takes the typed rows a run yields (`uflpa.screening.rows`) in input order and writes
them as the documented JSON line (`to_dict`) or the one-line form tables and CSV show (`flat`).
A sink that writes a file writes it beside its final name and moves it there when the run
finishes, so that a run that fails part-way leaves no half-written file behind it.
"""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TextIO

from uflpa.bulk.kinds import Kind
from uflpa.errors import InputError, UsageError
from uflpa.reports.html import render_report
from uflpa.reports.summary import Summary
from uflpa.reports.tabular import cell, dumps
from uflpa.screening.rows import (
    ERROR,
    PARTY_COLUMNS,
    SHIPMENT_CSV_COLUMNS,
    RowError,
    ScreenedRow,
    flat_row,
)

#: Flagged rows the HTML report shows in full; beyond it, it says how many more there are.
REPORT_ROWS = 2000
#: Rows a Parquet file is written in at a time (a row group).
PARQUET_BATCH = 16_384
#: What `--output` writes, by the file's suffix.
OUTPUT_SUFFIXES = (".jsonl", ".csv", ".parquet")


@dataclass(frozen=True, slots=True)
class RunInfo:
    """What a sink may need to know about the run before its first row."""

    kind: Kind
    rule_titles: dict[str, str] = field(default_factory=dict)


class Sink(Protocol):
    def start(self, run: RunInfo) -> None: ...

    def write(self, result: ScreenedRow) -> None: ...

    def finish(self, summary: Summary) -> None: ...

    def abort(self) -> None: ...


def csv_columns(kind: Kind) -> tuple[str, ...]:
    """The columns of a CSV of screened rows of `kind`."""
    return SHIPMENT_CSV_COLUMNS if kind is Kind.shipment else PARTY_COLUMNS


class JsonlSink:
    """One JSON object per row, as the output format documents it."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def start(self, run: RunInfo) -> None:
        pass

    def write(self, result: ScreenedRow) -> None:
        self._stream.write(dumps(result.to_dict()) + "\n")

    def finish(self, summary: Summary) -> None:
        self._stream.flush()

    def abort(self) -> None:
        pass


class CsvSink:
    """One line per row, reasons and parties joined (`flat`), with a header."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._writer: Any = None
        self._columns: tuple[str, ...] = ()

    def start(self, run: RunInfo) -> None:
        self._columns = csv_columns(run.kind)
        self._writer = csv.writer(self._stream, lineterminator="\n")
        self._writer.writerow(self._columns)

    def write(self, result: ScreenedRow) -> None:
        flat = flat_row(result)
        self._writer.writerow([cell(flat.get(c)) for c in self._columns])

    def finish(self, summary: Summary) -> None:
        self._stream.flush()

    def abort(self) -> None:
        pass


class CollectSink:
    """Keeps every row, for outputs that need them all before they can print (a table)."""

    def __init__(self) -> None:
        self.rows: list[ScreenedRow] = []
        self.kind = Kind.party

    def start(self, run: RunInfo) -> None:
        self.kind = run.kind

    def write(self, result: ScreenedRow) -> None:
        self.rows.append(result)

    def finish(self, summary: Summary) -> None:
        pass

    def abort(self) -> None:
        pass


class _FileSink:
    """A sink writing `path` through a temporary file beside it, moved into place at the end."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._tmp: Path | None = None

    def _tmp_path(self) -> Path:
        try:
            handle, name = tempfile.mkstemp(
                prefix=f".{self.path.name}.", suffix=".part", dir=self.path.parent
            )
        except OSError as exc:
            raise InputError(
                f"cannot write here: {exc.strerror or exc}", file=str(self.path)
            ) from None
        os.close(handle)
        self._tmp = Path(name)
        return self._tmp

    def _open_text(self) -> TextIO:
        return self._tmp_path().open("w", encoding="utf-8", newline="")

    def _commit(self) -> None:
        if self._tmp is not None:
            try:
                os.replace(self._tmp, self.path)
            except OSError as exc:
                raise InputError(
                    f"cannot write the output: {exc.strerror or exc}", file=str(self.path)
                ) from None
            self._tmp = None

    def abort(self) -> None:
        if self._tmp is not None:
            self._tmp.unlink(missing_ok=True)
            self._tmp = None


class FileSink(_FileSink):
    """JSON lines or CSV written to a file (by its suffix)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._handle: TextIO | None = None
        self._inner: JsonlSink | CsvSink | None = None

    def start(self, run: RunInfo) -> None:
        stream = self._handle = self._open_text()
        self._inner = CsvSink(stream) if self.path.suffix.lower() == ".csv" else JsonlSink(stream)
        self._inner.start(run)

    def write(self, result: ScreenedRow) -> None:
        assert self._inner is not None
        self._inner.write(result)

    def finish(self, summary: Summary) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        self._commit()

    def abort(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        super().abort()


class ParquetSink(_FileSink):
    """A Parquet file: the one-line columns of the row's kind (text, with `row` an integer and a
    party file's `score` a number) plus `record`, the whole JSON line, so that nothing the JSON
    lines hold is lost to the flattening."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._columns: tuple[str, ...] = ()
        self._batch: list[dict[str, Any]] = []
        self._writer: Any = None
        self._schema: Any = None

    def start(self, run: RunInfo) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self._columns = csv_columns(run.kind)
        fields = [
            pa.field(c, pa.int64() if c == "row" else pa.float64() if c == "score" else pa.string())
            for c in self._columns
        ]
        self._schema = pa.schema([*fields, pa.field("record", pa.string())])
        self._writer = pq.ParquetWriter(str(self._tmp_path()), self._schema)

    def write(self, result: ScreenedRow) -> None:
        flat = flat_row(result)
        row = {c: _typed(c, flat.get(c)) for c in self._columns}
        row["record"] = dumps(result.to_dict())
        self._batch.append(row)
        if len(self._batch) >= PARQUET_BATCH:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._batch:
            self._writer.write_table(pa.Table.from_pylist(self._batch, schema=self._schema))
            self._batch = []

    def finish(self, summary: Summary) -> None:
        self._flush()
        self._writer.close()
        self._commit()

    def abort(self) -> None:
        if self._writer is not None:
            with contextlib.suppress(Exception):  # the partial file is thrown away anyway
                self._writer.close()
        super().abort()


def _typed(column: str, value: Any) -> Any:
    if value is None:
        return None
    if column in ("row", "score"):
        return value
    return cell(value)


class ReportSink(_FileSink):
    """The HTML report of the flagged rows (hits first) and of the rows not screened."""

    def __init__(self, path: Path, limit: int = REPORT_ROWS) -> None:
        super().__init__(path)
        if path.suffix.lower() not in (".html", ".htm"):
            raise UsageError(f"--report {path}: the report is HTML; name it *.html")
        self._limit = limit
        self._titles: dict[str, str] = {}
        self.flagged: list[ScreenedRow] = []
        self.errors: list[RowError] = []
        self.omitted = 0

    def start(self, run: RunInfo) -> None:
        self._titles = dict(run.rule_titles)

    def write(self, result: ScreenedRow) -> None:
        if isinstance(result, RowError):
            self.errors.append(result)
        elif result.verdict in ("hit", "review"):
            if len(self.flagged) < self._limit:
                self.flagged.append(result)
            else:
                self.omitted += 1

    def finish(self, summary: Summary) -> None:
        html = render_report(
            self.flagged, self.errors, summary, titles=self._titles, omitted=self.omitted
        )
        try:
            with self._open_text() as out:
                out.write(html)
        except OSError as exc:
            self.abort()
            raise InputError(
                f"cannot write the report: {exc.strerror or exc}", file=str(self.path)
            ) from None
        self._commit()


def output_sink(path: Path) -> Sink:
    """The file sink for `--output PATH`, by its suffix."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return ParquetSink(path)
    if suffix in (".jsonl", ".csv"):
        return FileSink(path)
    raise UsageError(
        f"--output {path}: write to a file ending in {', '.join(OUTPUT_SUFFIXES)} "
        "(the report is --report FILE.html)"
    )


__all__ = [
    "ERROR",
    "OUTPUT_SUFFIXES",
    "CollectSink",
    "CsvSink",
    "FileSink",
    "JsonlSink",
    "ParquetSink",
    "ReportSink",
    "RunInfo",
    "Sink",
    "csv_columns",
    "output_sink",
]
