"""The local engine: a large file screened on every core of one machine, with the verdicts of the
row-by-row engine (`uflpa.bulk.screen_file`), byte for byte.

An importer's year of entries repeats the same few thousand suppliers on a million rows. So:

1. **Parties.** The file's distinct parties (name, address, country, identifier, whatever their
   role) are found in columns by pyarrow (`uflpa.bulk.columnar`; by the row reader where pyarrow
   cannot read the file), and each is matched against the lists once, the matching spread over
   the workers. The few that match something are matched again by the worker that screens
   their rows, to build the evidence; the rest are known to match nothing, which is all a
   shipment row needs to know of them.
2. **Rows.** The file is read in batches, in columns by pyarrow where `uflpa.bulk.columnar`
   proves that it reads exactly what the row reader (`uflpa.io`) reads (most large exports),
   else by the row reader itself, so that every row reads the same and every bad row is
   reported the same whatever the engine. The workers screen the batches (each holds the
   matcher once, built before the workers start and shared with them by `fork`) and write
   them out in the forms the sinks need (`uflpa.bulk.encode`); this process writes the batches
   in input order as they come back, never more than a few batches ahead, so memory stays
   bounded: the distinct parties, the workers' caches, and a few batches of rows.

A worker that dies fails the run with a clear error, and file sinks then leave nothing behind
(they write beside their final name and move the file there at the end). Rows the reader
cannot use, and every other problem, are reported as the row-by-row engine reports them.

Forking is what shares the matcher; where the platform cannot fork, or with one worker, the
batches are screened in this process, the same way.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from uflpa.bulk import columnar
from uflpa.bulk.encode import TYPED, Encoded, encode
from uflpa.bulk.kinds import Kind
from uflpa.bulk.screen_file import (
    BULK_GC_THRESHOLD,
    ROWS_STAGE,
    KeptProblems,
    RowProblem,
    RunEvents,
    ScreenRequest,
    ScreenRun,
    SilentEvents,
    bulk_gc,
    new_summary,
    open_input,
    rows_of,
    run_info,
)
from uflpa.bulk.sinks import ReportSink, Sink, needs_of
from uflpa.errors import UflpaError
from uflpa.io import Record, RowIssue, Table
from uflpa.reports.summary import Summary
from uflpa.screening import (
    Party,
    RowError,
    ScreenedRow,
    Screener,
    ShipmentRow,
    shipment_from_values,
)

#: Rows a worker screens at a time.
BATCH_ROWS = 2000
#: Batches in flight per worker: enough to keep every worker busy, few enough to bound memory.
AHEAD = 3
#: Parties a worker matches at a time in the first phase.
PARTY_CHUNK = 500


class WorkerFailed(UflpaError):
    """A worker process died (killed, out of memory): the run stops, and writes nothing."""

    exit_code = 7
    http_status = 500


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not every platform has it
        return max(1, os.cpu_count() or 1)


@dataclass(slots=True)
class _State:
    """What every worker needs, set in this process before the workers fork from it."""

    screener: Screener
    table: Table
    kind: Kind
    as_of: date | None
    formats: frozenset[str]
    flagged_rows: bool
    plan: columnar.Plan | None = None


_STATE: _State | None = None


@dataclass(slots=True)
class _Batch:
    """Rows for a worker: the row reader's entries, or a slice of the file in columns."""

    index: int
    entries: list[Record | RowIssue] | None = None
    columns: columnar.Slice | None = None


@dataclass(slots=True)
class _Done:
    """A worker's batch, written: the encoded rows, the summary's counts, the problems to tell,
    the rows not screened (as plain values) and the row numbers of the flagged rows."""

    index: int
    encoded: Encoded
    counts: dict[str, Any]
    problems: list[RowProblem] = field(default_factory=list)
    errors: list[tuple[int, str, str, str | None, str | None, bool]] = field(default_factory=list)
    flagged: list[int] = field(default_factory=list)


def screen_file_local(
    request: ScreenRequest,
    screener: Callable[[], Screener],
    sinks: Sequence[Sink],
    events: RunEvents | None = None,
    *,
    workers: int | None = None,
    batch_rows: int = BATCH_ROWS,
) -> ScreenRun:
    """Screen `request.path` with `workers` processes (default: every core) into `sinks`."""
    global _STATE
    events = events or SilentEvents()
    workers = max(1, workers or default_workers())
    kind, table = open_input(request)
    started = time.perf_counter()
    built = screener()
    summary = new_summary(request, table, kind, built)
    summary.setup_seconds = time.perf_counter() - started
    formats = needs_of(sinks) - {TYPED}
    report = next((s for s in sinks if isinstance(s, ReportSink)), None)
    _STATE = _State(built, table, kind, request.as_of, formats, report is not None)
    fork = workers > 1 and "fork" in multiprocessing.get_all_start_methods()
    try:
        phase = time.perf_counter()
        _STATE.plan = columnar.plan(table)
        reader = "pyarrow" if _STATE.plan is not None else "the row reader"
        summary.engine = f"local, {workers if fork else 1} worker(s), rows read by {reader}" + (
            "" if fork or workers == 1 else " (this platform cannot fork: one worker)"
        )
        if kind is Kind.shipment:
            events.stage("finding parties", None)
            parties, found_by = _distinct_parties(table)
            summary.engine += f", parties found by {found_by}"
            summary.phases["parties found"] = time.perf_counter() - phase
            phase = time.perf_counter()
            summary.distinct_parties = len(parties)
            events.stage("matching parties", len(parties))
            flagged = _match_parties(parties, workers if fork else 1, events)
            built.assume_clear(p for p, hit in zip(parties, flagged, strict=True) if not hit)
            summary.phases["parties matched"] = time.perf_counter() - phase
            phase = time.perf_counter()
            events.stage(ROWS_STAGE, None)
        loop_started = time.perf_counter()
        try:
            run = run_info(kind, built)
            for sink in sinks:
                sink.start(run)
            events.started(table)
            batches = _batches(_STATE, batch_rows)
            done = (
                _run_parallel(batches, workers)
                if fork
                else ((batch, _screen_batch(batch)) for batch in batches)
            )
            for batch, result in done:
                _write(result, batch, sinks, summary, events, report)
            summary.seconds = time.perf_counter() - loop_started
            summary.phases["rows screened and written"] = time.perf_counter() - phase
            for sink in sinks:
                sink.finish(summary)
        except BaseException:
            for sink in sinks:
                sink.abort()
            raise
    finally:
        _STATE = None
    return ScreenRun(kind=kind, summary=summary, table=table)


# --- phase 1: the distinct parties ---------------------------------------------------------


def _distinct_parties(table: Table) -> tuple[list[Party], str]:
    """Every distinct party of the file (role aside), and which reader found them."""
    keys = columnar.distinct_parties(table)
    found_by = "pyarrow"
    if keys is None:
        found_by = "the row reader"
        seen: dict[tuple[str, str, str, str], None] = {}
        for entry in table:
            if isinstance(entry, Record):
                row = shipment_from_values(entry.values, entry.row)
                if isinstance(row, ShipmentRow):
                    for p in row.parties:
                        seen[(p.name, p.address, p.identifier, p.country)] = None
        keys = list(seen)
    return [Party("party", n, a, i, c) for n, a, i, c in keys], found_by


def _match_parties(parties: list[Party], workers: int, events: RunEvents) -> list[bool]:
    """For each party, whether it matches something at review or above on the current list."""
    assert _STATE is not None
    # Plain tuples cross to the workers: the compiled records do not unpickle.
    keys = [(p.name, p.address, p.identifier, p.country) for p in parties]
    chunks = [keys[i : i + PARTY_CHUNK] for i in range(0, len(keys), PARTY_CHUNK)]
    out: list[bool] = []
    if workers == 1:
        for chunk in chunks:
            out.extend(_flag_chunk(chunk))
            events.advanced(len(chunk))
        return out
    with _executor(workers) as pool:
        try:
            for flags in pool.map(_flag_chunk, chunks):
                out.extend(flags)
                events.advanced(len(flags))
        except BrokenProcessPool as exc:
            raise WorkerFailed(f"a worker process died while matching parties ({exc})") from None
    return out


def _flag_chunk(keys: list[tuple[str, str, str, str]]) -> list[bool]:
    assert _STATE is not None
    return [_STATE.screener.flagged_now(Party("party", *key)) for key in keys]


# --- phase 2: the rows ----------------------------------------------------------------------


def _batches(state: _State, rows: int) -> Iterator[_Batch]:
    """The file in batches of about `rows` rows: in columns when the plan allows it, else from
    the row reader."""
    if state.plan is not None:
        for index, part in enumerate(columnar.read_slices(state.plan, rows)):
            yield _Batch(index, columns=part)
        return
    batch: list[Record | RowIssue] = []
    index = 0
    for entry in state.table:
        batch.append(entry)
        if len(batch) >= rows:
            yield _Batch(index, entries=batch)
            index += 1
            batch = []
    if batch:
        yield _Batch(index, entries=batch)


def _entries(batch: _Batch, state: _State) -> Iterator[Record | RowIssue]:
    """The reader's entries of a batch, in row order."""
    if batch.entries is not None:
        return iter(batch.entries)
    assert batch.columns is not None
    return columnar.entries(batch.columns, state.table)


def _screen_batch(batch: _Batch) -> _Done:
    """One batch screened and written (in a worker, or in this process)."""
    state = _STATE
    assert state is not None
    told = KeptProblems()
    rows = rows_of(state.kind)
    entries = _entries(batch, state)
    results = list(rows(entries, state.table.path, state.screener, state.as_of, told))
    summary = Summary()
    for result in results:
        summary.add(result)
    done = _Done(
        index=batch.index,
        encoded=encode(results, state.kind, state.formats),
        counts=summary.counts(),
        problems=told.problems,
        errors=[
            (r.row, r.file, r.reason, r.column, r.id, r.party_file)
            for r in results
            if isinstance(r, RowError)
        ],
        flagged=[r.row for r in results if r.verdict in ("hit", "review")]
        if state.flagged_rows
        else [],
    )
    return done


def _run_parallel(batches: Iterator[_Batch], workers: int) -> Iterator[tuple[_Batch, _Done]]:
    """The batches screened by `workers` processes, in input order, a few ahead at most."""
    with _executor(workers) as pool:
        # The batch stays here beside its future: only the screened result comes back.
        pending: deque[tuple[_Batch, Future[_Done]]] = deque()
        try:
            for batch in batches:
                pending.append((batch, pool.submit(_screen_batch, batch)))
                if len(pending) >= workers * AHEAD:
                    sent, future = pending.popleft()
                    yield sent, future.result()
            while pending:
                sent, future = pending.popleft()
                yield sent, future.result()
        except BrokenProcessPool as exc:
            raise WorkerFailed(f"a worker process died while screening rows ({exc})") from None
        finally:
            for _, future in pending:
                future.cancel()


def _executor(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_worker_started,
    )


def _worker_started() -> None:
    # The matcher's tables were frozen out of the collector's sight before the fork; collect
    # the short-lived objects of each batch rarely (see `bulk_gc`).
    gc.set_threshold(*BULK_GC_THRESHOLD)


def _write(
    done: _Done,
    batch: _Batch,
    sinks: Sequence[Sink],
    summary: Summary,
    events: RunEvents,
    report: ReportSink | None,
) -> None:
    """A screened batch, in input order: its problems told, its counts added, its rows written
    (and, for the report, its rows not screened and as many flagged rows as it still shows,
    screened again here, which gives the same rows)."""
    for problem in done.problems:
        events.problem(problem)
    summary.absorb(done.counts)
    typed: list[ScreenedRow] = [
        RowError(row=r, file=f, reason=reason, column=c, id=i, party_file=p)
        for r, f, reason, c, i, p in done.errors
    ]
    if report is not None and done.flagged and report.room > 0:
        typed += _rescreen(batch, set(done.flagged[: report.room]))
    for sink in sinks:
        sink.write(done.encoded, typed)
    events.advanced(done.encoded.rows)


def _rescreen(batch: _Batch, rows: set[int]) -> list[ScreenedRow]:
    """The rows numbered `rows` of `batch`, screened again in this process."""
    state = _STATE
    assert state is not None
    wanted = (e for e in _entries(batch, state) if e.row in rows)
    screen = rows_of(state.kind)
    with bulk_gc():
        return [
            r
            for r in screen(wanted, state.table.path, state.screener, state.as_of, KeptProblems())
            if r.row in rows
        ]
