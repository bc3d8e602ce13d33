"""`uflpa screen FILE --engine spark`: a file screened by the Spark job, written by uflpa's sinks.

uflpa's own reader reads the file on the driver (so that every row reads the same and every bad
row is reported the same as with the other engines) into a Parquet file of canonical columns;
the job (`uflpa.spark.job`) screens it on the cluster and writes its verdicts, in row order, as
Parquet parts; the driver then streams those parts, with the rows the reader could not use, to
the run's sinks, and re-screens the few flagged rows the HTML report shows in full.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from uflpa.bulk.encode import ARROW, TYPED, Encoded, encode, from_table
from uflpa.bulk.kinds import Kind
from uflpa.bulk.screen_file import (
    RowProblem,
    RunEvents,
    ScreenRequest,
    ScreenRun,
    SilentEvents,
    new_summary,
    open_input,
    rows_of,
    run_info,
)
from uflpa.bulk.sinks import ReportSink, Sink, needs_of
from uflpa.io import Record, RowIssue
from uflpa.io.aliases import PARTY_FILE, SHIPMENT_FILE
from uflpa.screening import RowError, ScreenedRow, Screener
from uflpa.spark.job import COUNTS, PROBLEMS, ROW, screened

#: Rows written to the job's input file at a time.
INPUT_BATCH = 50_000


def screen_file_spark(
    request: ScreenRequest,
    screener: Callable[[], Screener],
    sinks: Sequence[Sink],
    events: RunEvents | None = None,
    *,
    master: str = "local[*]",
) -> ScreenRun:
    """Screen `request.path` with Spark (`master`: local[N], spark://…, yarn) into `sinks`."""
    events = events or SilentEvents()
    kind, table = open_input(request)
    started = time.perf_counter()
    built = screener()
    summary = new_summary(request, table, kind, built)
    summary.setup_seconds = time.perf_counter() - started
    summary.engine = f"spark, master {master}"
    formats = needs_of(sinks) - {TYPED}
    report = next((s for s in sinks if isinstance(s, ReportSink)), None)
    spec = SHIPMENT_FILE if kind is Kind.shipment else PARTY_FILE
    with tempfile.TemporaryDirectory(prefix="uflpa-spark-") as tmp:
        phase = time.perf_counter()
        source = Path(tmp) / "rows.parquet"
        events.stage("reading rows", None)
        errors, read = _write_input(table, spec.names, source, events)
        summary.phases["rows read"] = time.perf_counter() - phase
        phase = time.perf_counter()
        events.stage("screening with Spark", None)
        spark = session(master)
        # Contiguous splits of the input, a few per core: rows stay in file order within each.
        parts = 2 * spark.sparkContext.defaultParallelism
        split = max(1 << 20, source.stat().st_size // parts)
        spark.conf.set("spark.sql.files.maxPartitionBytes", str(split))
        df = spark.read.parquet(str(source))
        result = screened(
            df,
            versions=built.list_versions,
            rules=built.ruleset.name,
            kind=kind,
            as_of=request.as_of,
            source=table.path,
        )
        out = Path(tmp) / "verdicts"
        # Sorted within each partition only: a global orderBy samples its input first, which
        # ran the screening twice. The parts are put in order here (`_in_order`).
        result.sortWithinPartitions(ROW).write.parquet(str(out))
        summary.phases["rows screened by Spark"] = time.perf_counter() - phase
        phase = time.perf_counter()
        loop_started = time.perf_counter()
        try:
            run = run_info(kind, built)
            for sink in sinks:
                sink.start(run)
            events.started(table)
            events.stage("writing rows", read + len(errors))
            for part in _merged(out, errors, kind, formats | {ARROW}):
                for problem in part.problems:
                    events.problem(problem)
                for counts in part.counts:
                    summary.absorb(counts)
                summary.errors += len(part.unread)  # the job never saw these rows
                typed = list(part.unread)
                if report is not None and report.room > 0 and part.encoded.flagged:
                    typed += _rescreen(source, part.encoded, report.room, built, kind, request)
                for sink in sinks:
                    sink.write(part.encoded, typed)
                events.advanced(part.encoded.rows)
            summary.seconds = time.perf_counter() - loop_started
            summary.phases["rows written"] = time.perf_counter() - phase
            for sink in sinks:
                sink.finish(summary)
        except BaseException:
            for sink in sinks:
                sink.abort()
            raise
    return ScreenRun(kind=kind, summary=summary, table=table)


def session(master: str) -> Any:
    """A Spark session on `master`, its Python workers on this interpreter when local."""
    from pyspark.sql import SparkSession

    if master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master(master)
        .appName("uflpa")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")  # uflpa's own progress goes to stderr
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "2000")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _write_input(
    table: Any, columns: Sequence[str], path: Path, events: RunEvents
) -> tuple[list[RowError], int]:
    """The rows uflpa's reader reads, as a Parquet file (row number and canonical columns), and
    how many; the rows it cannot use are told and kept, to be written in their place."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([pa.field(ROW, pa.int64()), *(pa.field(c, pa.string()) for c in columns)])
    errors: list[RowError] = []
    batch: list[Record] = []
    read = 0
    with pq.ParquetWriter(str(path), schema) as writer:

        def flush() -> None:
            nonlocal read
            data: dict[str, list[Any]] = {ROW: [r.row for r in batch]}
            for c in columns:
                data[c] = [r.values.get(c, "") for r in batch]
            writer.write_table(pa.Table.from_pydict(data, schema=schema))
            read += len(batch)
            events.advanced(len(batch))
            batch.clear()

        for entry in table:
            if isinstance(entry, RowIssue):
                events.problem(RowProblem(entry.file, entry.row, entry.column, entry.reason, False))
                errors.append(
                    RowError(
                        row=entry.row,
                        file=entry.file,
                        reason=entry.reason,
                        column=entry.column,
                        id=entry.id,
                        party_file=columns == PARTY_FILE.names,
                    )
                )
                continue
            batch.append(entry)
            if len(batch) >= INPUT_BATCH:
                flush()
        flush()
    return errors, read


@dataclass(slots=True)
class _Part:
    """A stretch of the output in row order: its rows encoded, the rows of it the reader could
    not use (typed), the problems the job met, and the summary counts of the job's batches."""

    encoded: Encoded
    unread: list[ScreenedRow]
    problems: list[RowProblem]
    counts: list[dict[str, Any]]


def _merged(
    out: Path, errors: list[RowError], kind: Kind, formats: frozenset[str]
) -> Iterator[_Part]:
    """The job's verdicts in row order, with the reader's errors in their place."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pending = list(errors)
    for part in _in_order(out):
        for batch in pq.ParquetFile(part).iter_batches(batch_size=20_000):
            if not batch.num_rows:
                continue
            table = pa.Table.from_batches([batch])
            problems = [
                RowProblem(*p)
                for text in table.column(PROBLEMS).to_pylist()
                if text
                for p in json.loads(text)
            ]
            counts = [json.loads(t) for t in table.column(COUNTS).to_pylist() if t]
            body = table.drop_columns([COUNTS, PROBLEMS])
            rows = body.column(ROW).to_pylist()
            start = 0
            # The reader's errors go between the job's rows, by row number.
            while pending and pending[0].row < rows[-1]:
                cut = next(i for i in range(start, len(rows)) if rows[i] > pending[0].row)
                if cut > start:
                    piece = body.slice(start, cut - start)
                    yield _Part(from_table(piece, kind, formats), [], problems, counts)
                    problems, counts = [], []
                before = [e for e in pending if e.row < rows[cut]]
                pending = pending[len(before) :]
                yield _Part(encode(before, kind, formats), list(before), [], [])
                start = cut
            rest = body.slice(start)
            yield _Part(from_table(rest, kind, formats), [], problems, counts)
    if pending:
        yield _Part(encode(pending, kind, formats), list(pending), [], [])


def _in_order(out: Path) -> list[Path]:
    """The job's part files, each sorted by row, in an order that makes the rows ascend: by their
    first row when their ranges do not overlap (the splits of the input are contiguous), else
    one file sorted by DuckDB, out of core."""
    import pyarrow.parquet as pq

    ranges: list[tuple[int, int, Path]] = []
    for part in out.glob("part-*.parquet"):
        rows = pq.read_table(part, columns=[ROW]).column(ROW)
        if len(rows):
            ranges.append((rows[0].as_py(), rows[-1].as_py(), part))
    ranges.sort()
    if all(a[1] < b[0] for a, b in pairwise(ranges)):
        return [part for _, _, part in ranges]
    import duckdb

    merged = out.with_name(out.name + "-sorted.parquet")
    with duckdb.connect() as con:
        parts = con.read_parquet([str(p) for _, _, p in ranges])
        parts.order(ROW).write_parquet(str(merged))
    return [merged]


def _rescreen(
    source: Path,
    encoded: Encoded,
    room: int,
    screener: Screener,
    kind: Kind,
    request: ScreenRequest,
) -> list[ScreenedRow]:
    """The flagged rows of a batch (as many as the report still shows), screened again here from
    the job's input, which gives the same rows."""
    import pyarrow.parquet as pq

    assert encoded.table is not None
    verdicts = encoded.table.column("verdict").to_pylist()
    numbers = [
        n
        for n, v in zip(encoded.table.column(ROW).to_pylist(), verdicts, strict=True)
        if v in ("hit", "review")
    ][:room]
    if not numbers:
        return []
    rows = pq.read_table(str(source), filters=[(ROW, "in", numbers)])
    data = rows.to_pydict()
    entries = [
        Record(row=int(data[ROW][i]), values={c: data[c][i] for c in data if c != ROW})
        for i in range(rows.num_rows)
    ]
    entries.sort(key=lambda r: r.row)
    path = str(request.path)
    return list(rows_of(kind)(entries, path, screener, request.as_of, SilentEvents()))


__all__ = ["screen_file_spark", "session"]
