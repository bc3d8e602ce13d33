"""Screening a file: read → screen → summarise → write, the one run loop under every surface.

`screen_file` opens the user's file (everything that can fail for the whole file fails here,
before any list is loaded), builds the screener, screens each row, counts it in the summary and
hands it to every sink, in input order and in constant memory. Every input row yields exactly
one row: a verdict, or a `RowError` saying which row and cell could not be screened and why, so
that screened rows plus reported rows equal the input rows. Problems with single rows are also
told to `events` as they happen (the CLI prints them; a service logs them).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

from uflpa.bulk.encode import encode
from uflpa.bulk.kinds import Kind, detect_kind
from uflpa.bulk.sinks import RunInfo, Sink, needs_of
from uflpa.errors import InputError
from uflpa.io import Record, RowIssue, Table, open_table
from uflpa.io.aliases import PARTY_FILE, SHIPMENT_FILE
from uflpa.io.hints import ALL, Hints
from uflpa.model import ROLES
from uflpa.reports.summary import Summary
from uflpa.screening import (
    PartyRow,
    RowError,
    ScreenedRow,
    Screener,
    UnscreenableRow,
    shipment_from_values,
)


@dataclass(frozen=True, slots=True)
class ScreenRequest:
    """What to screen: a file, its kind (detected from the headers when None), header mapping
    (`--column`), a forced encoding, and a date that overrides the rows' import dates. `source`
    and `note` say how the summary names the file (the bundled example: its package path);
    `name`, how messages and rows name it when `path` is a copy (of stdin, of a pipe)."""

    path: Path
    kind: Kind | None = None
    columns: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    as_of: date | None = None
    source: str | None = None
    note: str = ""
    name: str | None = None
    #: The fixes messages may name (`uflpa.io.hints`): `evidence build` has no --column.
    hints: Hints = ALL


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row that was not screened, or a cell of a screened row that could not be read."""

    file: str
    row: int
    column: str | None
    reason: str
    screened: bool

    def __str__(self) -> str:
        where = f"{self.file}: row {self.row}" + (
            f", column {self.column!r}" if self.column else ""
        )
        return f"{where}: {self.reason}" + (" (row screened)" if self.screened else "")


class RunEvents(Protocol):
    """What a surface hears while a run goes on."""

    def started(self, table: Table) -> None: ...

    def stage(self, name: str, total: int | None) -> None:
        """A stage of the run begins (`ROWS_STAGE` is the one a run starts in); `advanced`
        counts its units from now on, out of `total` when the engine knows it."""

    def advanced(self, rows: int) -> None: ...

    def problem(self, problem: RowProblem) -> None: ...


#: The stage every run starts in and ends with; other stages come before it.
ROWS_STAGE = "screening rows"


class SilentEvents:
    """Events nobody hears: a run without a surface, or a row screened again."""

    def started(self, table: Table) -> None:
        pass

    def stage(self, name: str, total: int | None) -> None:
        pass

    def advanced(self, rows: int) -> None:
        pass

    def problem(self, problem: RowProblem) -> None:
        pass


class KeptProblems(SilentEvents):
    """The events of a worker (a process, a Spark task): its problems kept, in order, for the
    process that writes the rows to tell."""

    def __init__(self) -> None:
        self.problems: list[RowProblem] = []

    def problem(self, problem: RowProblem) -> None:
        self.problems.append(problem)


@dataclass(slots=True)
class ScreenRun:
    """A finished run: the kind of file, the summary, and what was detected about the file."""

    kind: Kind
    summary: Summary
    table: Table


#: Rows written to the sinks at a time (each batch is encoded once for every sink).
BATCH_ROWS = 1000

#: Allocations between two collections of the youngest generation while rows are screened
#: (Python's default is 700), and how often the older generations follow.
BULK_GC_THRESHOLD = (50_000, 20, 10)


@contextmanager
def bulk_gc() -> Iterator[None]:
    """Collect garbage less often while a file is screened.

    Each row allocates thousands of short-lived objects and almost no cycles, while the run's
    caches grow, so with the default thresholds the collector runs a thousand times and its full
    collections walk every cached result for nothing (about a second on 20,000 rows). Cycles are
    still collected, only later; the thresholds are restored afterwards.
    """
    before = gc.get_threshold()
    gc.set_threshold(*BULK_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def open_input(request: ScreenRequest) -> tuple[Kind, Table]:
    """The file opened as its kind: every problem of the whole file is raised here."""
    kind = request.kind or detect_kind(
        request.path, request.columns, request.encoding, request.name
    )
    columns = SHIPMENT_FILE if kind is Kind.shipment else PARTY_FILE
    table = open_table(
        request.path,
        required=list(columns.required),
        optional=list(columns.optional),
        aliases=columns.aliases,
        exclusive=columns.exclusive,
        column_map=request.columns,
        encoding=request.encoding,
        name=request.name,
        hints=request.hints,
    )
    if kind is Kind.shipment:
        party_columns = [c for r in ROLES for c in (r, f"{r}_address") if c in table.columns]
        if not party_columns:
            fix = (
                "with --column manufacturer=HEADER"
                if request.hints.column
                else request.hints.map_column("manufacturer")
            )
            raise InputError(
                "a shipment file needs a manufacturer, seller, exporter or supplier column; "
                f"headers found: {', '.join(repr(h) for h in table.headers[:20])}; map one {fix}",
                file=table.path,
            )
    return kind, table


def screen_file(
    request: ScreenRequest,
    screener: Callable[[], Screener],
    sinks: Sequence[Sink],
    events: RunEvents | None = None,
) -> ScreenRun:
    """Screen every row of `request.path` with the screener `screener()` builds (called once the
    file is open, so that a file that cannot be read costs no list loading) into `sinks`."""
    events = events or SilentEvents()
    kind, table = open_input(request)
    started = time.perf_counter()
    built = screener()
    summary = new_summary(request, table, kind, built)
    summary.setup_seconds = time.perf_counter() - started
    run = run_info(kind, built)
    rows = rows_of(kind)
    formats = needs_of(sinks)
    loop_started = time.perf_counter()
    try:
        for sink in sinks:
            sink.start(run)
        events.started(table)
        batch: list[ScreenedRow] = []

        def flush() -> None:
            encoded = encode(batch, kind, formats)
            for sink in sinks:
                sink.write(encoded, batch)
            events.advanced(len(batch))
            batch.clear()

        with bulk_gc():
            for result in rows(table, table.path, built, request.as_of, events):
                summary.add(result)
                batch.append(result)
                if len(batch) >= BATCH_ROWS:
                    flush()
            flush()
        summary.seconds = time.perf_counter() - loop_started
        for sink in sinks:
            sink.finish(summary)
    except BaseException:
        for sink in sinks:
            sink.abort()
        raise
    return ScreenRun(kind=kind, summary=summary, table=table)


def new_summary(request: ScreenRequest, table: Table, kind: Kind, screener: Screener) -> Summary:
    """The summary a run of `request` starts with: the file, what was detected, the versions
    and the caveats of the lists."""
    return Summary(
        source=request.source or str(table.path),
        detail=", ".join(
            x
            for x in (
                request.note,
                table.format,
                "shipment file" if kind is Kind.shipment else "",
            )
            if x
        ),
        encoding=table.source.decision,
        versions=screener.versions.to_dict(),
        caveats=[c for c in (v.caveat for v in screener.list_versions) if c],
        unused_columns=list(table.unused_columns),
    )


def run_info(kind: Kind, screener: Screener) -> RunInfo:
    return RunInfo(kind=kind, rule_titles={r.id: r.title for r in screener.ruleset.rules})


Entries = Iterable[Record | RowIssue]
RowScreener = Callable[[Entries, str, Screener, date | None, RunEvents], Iterator[ScreenedRow]]


def rows_of(kind: Kind) -> RowScreener:
    """How the rows of a file of `kind` are screened, one entry of the reader at a time."""
    return _shipment_rows if kind is Kind.shipment else _party_rows


def _shipment_rows(
    entries: Entries, path: str, screener: Screener, as_of: date | None, events: RunEvents
) -> Iterator[ScreenedRow]:
    for entry in entries:
        if not isinstance(entry, Record):
            yield _unreadable(entry, events, party_file=False)
            continue
        item = shipment_from_values(entry.values, entry.row)
        if isinstance(item, UnscreenableRow):
            events.problem(RowProblem(path, item.row, None, item.reason, False))
            yield RowError(
                row=item.row,
                file=path,
                reason=item.reason,
                id=entry.values.get("id") or None,
            )
            continue
        result = screener.screen_shipment(item, as_of=as_of)
        for issue in result.issues:
            events.problem(RowProblem(path, item.row, issue.column, issue.reason, True))
        yield result


def _unreadable(issue: RowIssue, events: RunEvents, *, party_file: bool) -> RowError:
    """A row the reader could not use, told to `events` and written as an error row."""
    events.problem(RowProblem(issue.file, issue.row, issue.column, issue.reason, False))
    return RowError(
        row=issue.row,
        file=issue.file,
        reason=issue.reason,
        column=issue.column,
        id=issue.id,
        party_file=party_file,
    )


def _party_rows(
    entries: Entries, path: str, screener: Screener, as_of: date | None, events: RunEvents
) -> Iterator[ScreenedRow]:
    for entry in entries:
        if not isinstance(entry, Record):
            yield _unreadable(entry, events, party_file=True)
            continue
        values = entry.values
        identifier = values.get("identifier")
        verdict = screener.screen_party(
            values.get("name", ""),
            country=values.get("country") or None,
            address=values.get("address") or None,
            identifiers=[identifier] if identifier else [],
            as_of=as_of,
        )
        yield PartyRow.of(entry.row, values, verdict)


def estimate_rows(path: Path) -> int | None:
    """Data rows in a plain text file (newlines minus the header), None for other formats: for a
    progress bar, never for counting."""
    if path.suffix.lower() not in (".csv", ".tsv", ".txt"):
        return None
    count = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            count += chunk.count(b"\n")
    return max(count - 1, 1)
