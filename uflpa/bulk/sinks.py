"""Where the rows of a run go: JSON lines, CSV, Parquet, a DuckDB table, an XLSX workbook, the
HTML report, or a list in memory.

Every sink takes the rows of a run in input order, a batch at a time, already written in the
forms it said it needs (`needs`: JSON lines, CSV, an Arrow table; see `uflpa.bulk.encode`), and
the typed rows when it needs those (the report, a table printed at the end). A sink that writes a
file writes it beside its final name and moves it there when the run finishes, so that a run
that fails part-way leaves no half-written file behind it. A write that fails (a closed pipe, a
full disk, a terminal that cannot show a name) is an `OutputError` naming where the rows went.

CSV and XLSX are read by spreadsheets, which run a cell starting with `=`, `+`, `-` or `@` as a
formula: the CSV cells that would are written with a leading apostrophe
(`uflpa.reports.tabular.spreadsheet_safe`) unless `raw`, and the XLSX cells are all text cells,
which a spreadsheet shows and never runs.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TextIO

from uflpa.bulk.encode import (
    ARROW,
    CSV,
    JSONL,
    RAW_CSV,
    TYPED,
    Encoded,
    arrow_schema,
    columns_of,
    csv_header,
)
from uflpa.bulk.kinds import Kind
from uflpa.errors import InputError, UsageError, output_error
from uflpa.reports.html import render_report
from uflpa.reports.summary import Summary
from uflpa.reports.tabular import cell
from uflpa.screening.rows import ERROR, RowError, ScreenedRow

#: Flagged rows the HTML report shows in full; beyond it, it says how many more there are.
REPORT_ROWS = 2000
#: What `--output` writes, by the file's suffix.
OUTPUT_SUFFIXES = (".jsonl", ".csv", ".parquet", ".duckdb", ".xlsx")
#: The table `--output FILE.duckdb` writes.
DUCKDB_TABLE = "screening_results"


@dataclass(frozen=True, slots=True)
class RunInfo:
    """What a sink may need to know about the run before its first row."""

    kind: Kind
    rule_titles: dict[str, str] = field(default_factory=dict)


class Sink(Protocol):
    #: The forms of a batch this sink writes (`uflpa.bulk.encode`: JSONL, CSV, ARROW, TYPED).
    needs: frozenset[str]

    def start(self, run: RunInfo) -> None: ...

    def write(self, batch: Encoded, results: Sequence[ScreenedRow]) -> None: ...

    def finish(self, summary: Summary) -> None: ...

    def abort(self) -> None: ...


def needs_of(sinks: Sequence[Sink]) -> frozenset[str]:
    """Every form some sink of a run needs."""
    return frozenset().union(*(s.needs for s in sinks))


@contextlib.contextmanager
def writing(target: str) -> Iterator[None]:
    """A failed write to `target` ('stdout', a file) as an `OutputError`, never a traceback."""
    try:
        yield
    except (OSError, UnicodeEncodeError) as exc:
        raise output_error(exc, target) from None


class JsonlSink:
    """One JSON object per row, as the output format documents it."""

    needs = frozenset({JSONL})

    def __init__(self, stream: TextIO, target: str = "stdout") -> None:
        self._stream = stream
        self._target = target

    def start(self, run: RunInfo) -> None:
        pass

    def write(self, batch: Encoded, results: Sequence[ScreenedRow]) -> None:
        if batch.jsonl:
            with writing(self._target):
                self._stream.write(batch.jsonl)

    def finish(self, summary: Summary) -> None:
        with writing(self._target):
            self._stream.flush()

    def abort(self) -> None:
        pass


class CsvSink:
    """One line per row, reasons and parties joined (`flat`), with a header; formula-like cells
    made safe for a spreadsheet unless `raw`."""

    def __init__(self, stream: TextIO, target: str = "stdout", *, raw: bool = False) -> None:
        self._stream = stream
        self._target = target
        self._raw = raw
        self.needs = frozenset({RAW_CSV if raw else CSV})

    def start(self, run: RunInfo) -> None:
        with writing(self._target):
            self._stream.write(csv_header(run.kind))

    def write(self, batch: Encoded, results: Sequence[ScreenedRow]) -> None:
        text = batch.raw_csv if self._raw else batch.csv
        if text:
            with writing(self._target):
                self._stream.write(text)

    def finish(self, summary: Summary) -> None:
        with writing(self._target):
            self._stream.flush()

    def abort(self) -> None:
        pass


class CollectSink:
    """Keeps every row, for outputs that need them all before they can print (a table)."""

    needs = frozenset({TYPED})

    def __init__(self) -> None:
        self.rows: list[ScreenedRow] = []
        self.kind = Kind.party

    def start(self, run: RunInfo) -> None:
        self.kind = run.kind

    def write(self, batch: Encoded, results: Sequence[ScreenedRow]) -> None:
        self.rows.extend(results)

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

    def _writing(self) -> contextlib.AbstractContextManager[None]:
        return writing(str(self.path))

    def abort(self) -> None:
        if self._tmp is not None:
            self._tmp.unlink(missing_ok=True)
            self._tmp = None


class FileSink(_FileSink):
    """JSON lines or CSV written to a file (by its suffix); CSV cells safe for a spreadsheet
    unless `raw_csv`."""

    def __init__(self, path: Path, *, raw_csv: bool = False) -> None:
        super().__init__(path)
        self._handle: TextIO | None = None
        self._inner: JsonlSink | CsvSink | None = None
        self._csv = path.suffix.lower() == ".csv"
        self._raw = raw_csv
        self.needs = frozenset({(RAW_CSV if raw_csv else CSV) if self._csv else JSONL})

    def start(self, run: RunInfo) -> None:
        stream = self._handle = self._open_text()
        target = str(self.path)
        self._inner = (
            CsvSink(stream, target, raw=self._raw) if self._csv else JsonlSink(stream, target)
        )
        self._inner.start(run)

    def write(self, batch: Encoded, results: Sequence[ScreenedRow]) -> None:
        assert self._inner is not None
        self._inner.write(batch, results)

    def finish(self, summary: Summary) -> None:
        if self._handle is not None:
            with self._writing():
                self._handle.close()  # the last buffered rows are written here
            self._handle = None
        self._commit()

    def abort(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        super().abort()


class ParquetSink(_FileSink):
    """A Parquet file: the one-line columns of the row's kind plus `record`, the whole JSON line
    (`uflpa.bulk.encode.arrow_schema`); a row group per batch."""

    needs = frozenset({ARROW})

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._writer: Any = None

    def start(self, run: RunInfo) -> None:
        import pyarrow.parquet as pq

        with self._writing():
            self._writer = pq.ParquetWriter(str(self._tmp_path()), arrow_schema(run.kind))

    def write(self, batch: Encoded, results: Sequence[ScreenedRow]) -> None:
        if batch.table is not None and batch.table.num_rows:
            with self._writing():
                self._writer.write_table(batch.table)

    def finish(self, summary: Summary) -> None:
        with self._writing():
            self._writer.close()
        self._commit()

    def abort(self) -> None:
        if self._writer is not None:
            with contextlib.suppress(Exception):  # the partial file is thrown away anyway
                self._writer.close()
        super().abort()


class DuckDBSink(_FileSink):
    """A DuckDB database holding one table, `screening_results` (the Parquet columns), so that
    an analyst can query the results with SQL: `duckdb results.duckdb` then
    `SELECT verdict, count(*) FROM screening_results GROUP BY ALL`."""

    needs = frozenset({ARROW})

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._con: Any = None

    def start(self, run: RunInfo) -> None:
        import duckdb

        tmp = self._tmp_path()
        tmp.unlink()  # DuckDB creates the file itself
        self._con = duckdb.connect(str(tmp))
        types = {"row": "BIGINT", "score": "DOUBLE"}
        columns = ", ".join(
            f'"{f.name}" {types.get(f.name, "VARCHAR")}' for f in arrow_schema(run.kind)
        )
        self._con.execute(f"CREATE TABLE {DUCKDB_TABLE} ({columns})")

    def write(self, batch: Encoded, results: Sequence[ScreenedRow]) -> None:
        if batch.table is not None and batch.table.num_rows:
            with self._duckdb_writing():
                self._con.register("batch_rows", batch.table)
                self._con.execute(f"INSERT INTO {DUCKDB_TABLE} SELECT * FROM batch_rows")
                self._con.unregister("batch_rows")

    def finish(self, summary: Summary) -> None:
        with self._duckdb_writing():
            self._con.close()
        self._con = None
        self._commit()

    @contextlib.contextmanager
    def _duckdb_writing(self) -> Iterator[None]:
        import duckdb

        try:
            yield
        except duckdb.Error as exc:  # a full disk, a file that cannot grow
            raise output_error(OSError(str(exc).splitlines()[0]), str(self.path)) from None

    def abort(self) -> None:
        if self._con is not None:
            with contextlib.suppress(Exception):
                self._con.close()
            self._con = None
        if self._tmp is not None:
            Path(f"{self._tmp}.wal").unlink(missing_ok=True)  # DuckDB's log beside the file
        super().abort()


class XlsxSink(_FileSink):
    """An XLSX workbook for a spreadsheet: a header row and the one-line columns of the CSV
    output, every cell a text cell (a name starting with `=` is shown, never run), written in
    openpyxl's write-only mode so that memory stays bounded."""

    needs = frozenset({ARROW})
    #: Rows a sheet holds (Excel's limit), header included.
    MAX_ROWS = 1_048_576
    #: Characters a cell holds (Excel's limit).
    MAX_CELL = 32_767

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._book: Any = None
        self._sheet: Any = None
        self._columns: tuple[str, ...] = ()
        self._rows = 0

    def start(self, run: RunInfo) -> None:
        from openpyxl import Workbook

        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet("screening results")
        self._columns = columns_of(run.kind)
        self._append(list(self._columns))

    def _append(self, values: list[str]) -> None:
        from openpyxl.cell import WriteOnlyCell

        if self._rows >= self.MAX_ROWS:
            raise UsageError(
                f"--output {self.path}: an XLSX sheet holds at most {self.MAX_ROWS:,} rows; "
                "write the results to a .csv, .parquet or .duckdb file instead"
            )
        cells = []
        for value in values:
            written = WriteOnlyCell(self._sheet, value=xlsx_text(value, self.MAX_CELL))
            written.data_type = "s"  # text, even when it starts with '=' or reads as a number
            cells.append(written)
        with self._xlsx_writing():
            self._sheet.append(cells)  # streamed to a temporary file of openpyxl's
        self._rows += 1

    @contextlib.contextmanager
    def _xlsx_writing(self) -> Iterator[None]:
        try:
            yield
        except (OSError, UnicodeEncodeError) as exc:
            raise output_error(exc, str(self.path)) from None
        except Exception as exc:
            if type(exc).__name__ != "SerialisationError":  # lxml's, for a failed write
                raise
            raise output_error(OSError(str(exc)), str(self.path)) from None

    def write(self, batch: Encoded, results: Sequence[ScreenedRow]) -> None:
        if batch.table is None or not batch.table.num_rows:
            return
        values = [batch.table.column(c).to_pylist() for c in self._columns]
        for row in zip(*values, strict=True):
            self._append([cell(v) for v in row])

    def finish(self, summary: Summary) -> None:
        with self._xlsx_writing():
            self._book.save(self._tmp_path())
        self._book = None
        self._commit()

    def abort(self) -> None:
        writer = getattr(self._sheet, "_writer", None)
        if writer is not None:
            with contextlib.suppress(Exception):  # the sheet's stream, closed quietly now
                writer.xf.close()
        self._book = self._sheet = None
        super().abort()


#: Characters a worksheet cannot hold (XML 1.0 forbids them); shown as U+FFFD.
_NOT_IN_XLSX = {c: "\ufffd" for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]}


def xlsx_text(text: str, limit: int = XlsxSink.MAX_CELL) -> str:
    """`text` as an XLSX cell holds it: control characters a worksheet cannot hold shown as
    U+FFFD, and a text longer than a cell holds cut with a marker saying so (never silently)."""
    text = text.translate(_NOT_IN_XLSX)
    if len(text) <= limit:
        return text
    keep = limit - 40  # room for the marker
    return f"{text[:keep]}… [{len(text) - keep} more characters]"


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

    needs = frozenset({TYPED})

    def start(self, run: RunInfo) -> None:
        self._titles = dict(run.rule_titles)

    def write(self, batch: Encoded, results: Sequence[ScreenedRow]) -> None:
        """`results` holds the batch's rows not screened and its flagged rows (all of them, or
        as many as the report still shows); `batch.flagged` counts the flagged rows."""
        taken = 0
        for result in results:
            if isinstance(result, RowError):
                self.errors.append(result)
            elif result.verdict in ("hit", "review") and len(self.flagged) < self._limit:
                self.flagged.append(result)
                taken += 1
        self.omitted += batch.flagged - taken

    @property
    def room(self) -> int:
        """How many more flagged rows the report shows in full."""
        return self._limit - len(self.flagged)

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


def output_sink(path: Path, *, raw_csv: bool = False) -> Sink:
    """The file sink for `--output PATH`, by its suffix; `raw_csv` writes CSV cells as they are
    (for pipelines), formula-like ones included."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return ParquetSink(path)
    if suffix == ".duckdb":
        return DuckDBSink(path)
    if suffix == ".xlsx":
        return XlsxSink(path)
    if suffix in (".jsonl", ".csv"):
        return FileSink(path, raw_csv=raw_csv)
    raise UsageError(
        f"--output {path}: write to a file ending in {', '.join(OUTPUT_SUFFIXES)} "
        "(the report is --report FILE.html)"
    )


__all__ = [
    "ERROR",
    "OUTPUT_SUFFIXES",
    "CollectSink",
    "CsvSink",
    "DuckDBSink",
    "FileSink",
    "JsonlSink",
    "ParquetSink",
    "ReportSink",
    "RunInfo",
    "Sink",
    "XlsxSink",
    "needs_of",
    "output_sink",
    "writing",
    "xlsx_text",
]
