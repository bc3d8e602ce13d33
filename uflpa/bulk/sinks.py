"""Where the rows of a run go: JSON lines, CSV, Parquet, a DuckDB table, the HTML report, or a
list in memory.

Every sink takes the rows of a run in input order, a batch at a time, already written in the
forms it said it needs (`needs`: JSON lines, CSV, an Arrow table; see `uflpa.bulk.encode`), and
the typed rows when it needs those (the report, a table printed at the end). A sink that writes a
file writes it beside its final name and moves it there when the run finishes, so that a run
that fails part-way leaves no half-written file behind it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TextIO

from uflpa.bulk.encode import ARROW, CSV, JSONL, TYPED, Encoded, arrow_schema, csv_header
from uflpa.bulk.kinds import Kind
from uflpa.errors import InputError, UsageError
from uflpa.reports.html import render_report
from uflpa.reports.summary import Summary
from uflpa.screening.rows import ERROR, RowError, ScreenedRow

#: Flagged rows the HTML report shows in full; beyond it, it says how many more there are.
REPORT_ROWS = 2000
#: What `--output` writes, by the file's suffix.
OUTPUT_SUFFIXES = (".jsonl", ".csv", ".parquet", ".duckdb")
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


class JsonlSink:
    """One JSON object per row, as the output format documents it."""

    needs = frozenset({JSONL})

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def start(self, run: RunInfo) -> None:
        pass

    def write(self, batch: Encoded, results: Sequence[ScreenedRow]) -> None:
        if batch.jsonl:
            self._stream.write(batch.jsonl)

    def finish(self, summary: Summary) -> None:
        self._stream.flush()

    def abort(self) -> None:
        pass


class CsvSink:
    """One line per row, reasons and parties joined (`flat`), with a header."""

    needs = frozenset({CSV})

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def start(self, run: RunInfo) -> None:
        self._stream.write(csv_header(run.kind))

    def write(self, batch: Encoded, results: Sequence[ScreenedRow]) -> None:
        if batch.csv:
            self._stream.write(batch.csv)

    def finish(self, summary: Summary) -> None:
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
        self.needs = frozenset({CSV if path.suffix.lower() == ".csv" else JSONL})

    def start(self, run: RunInfo) -> None:
        stream = self._handle = self._open_text()
        self._inner = CsvSink(stream) if CSV in self.needs else JsonlSink(stream)
        self._inner.start(run)

    def write(self, batch: Encoded, results: Sequence[ScreenedRow]) -> None:
        assert self._inner is not None
        self._inner.write(batch, results)

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
    """A Parquet file: the one-line columns of the row's kind plus `record`, the whole JSON line
    (`uflpa.bulk.encode.arrow_schema`); a row group per batch."""

    needs = frozenset({ARROW})

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._writer: Any = None

    def start(self, run: RunInfo) -> None:
        import pyarrow.parquet as pq

        self._writer = pq.ParquetWriter(str(self._tmp_path()), arrow_schema(run.kind))

    def write(self, batch: Encoded, results: Sequence[ScreenedRow]) -> None:
        if batch.table is not None and batch.table.num_rows:
            self._writer.write_table(batch.table)

    def finish(self, summary: Summary) -> None:
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
            self._con.register("batch_rows", batch.table)
            self._con.execute(f"INSERT INTO {DUCKDB_TABLE} SELECT * FROM batch_rows")
            self._con.unregister("batch_rows")

    def finish(self, summary: Summary) -> None:
        self._con.close()
        self._con = None
        self._commit()

    def abort(self) -> None:
        if self._con is not None:
            with contextlib.suppress(Exception):
                self._con.close()
            self._con = None
        super().abort()


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


def output_sink(path: Path) -> Sink:
    """The file sink for `--output PATH`, by its suffix."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return ParquetSink(path)
    if suffix == ".duckdb":
        return DuckDBSink(path)
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
    "DuckDBSink",
    "FileSink",
    "JsonlSink",
    "ParquetSink",
    "ReportSink",
    "RunInfo",
    "Sink",
    "needs_of",
    "output_sink",
]
