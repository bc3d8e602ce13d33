"""`uflpa screen`: the options of a file screening and what it prints; the run is `uflpa.bulk`'s.

Every input row gives exactly one output row: a verdict (hit, review, clear) with its reasons and
versions, or `error` with the file, row and reason when it cannot be screened. The summary goes to
stderr whenever stdout carries the data (to stdout after a table), so that piping the output to a
file keeps it clean.

FILE may be `-` (stdin), a named pipe or /dev/stdin: readers need to look at a file twice
(sniffing, then reading), so such input is first copied to a temporary file, which is removed at
the end; messages and rows still name it as given.
"""

from __future__ import annotations

import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import typer

from uflpa.bulk.kinds import Kind
from uflpa.cli.output import RAW_CSV_HELP, Format, emit, say, terminal_safe, writing
from uflpa.cli.shared import LIST_VERSION_HELP, LISTS_HELP, parse_date, screener_factory
from uflpa.errors import InputError, UsageError

if TYPE_CHECKING:
    from uflpa.bulk.screen_file import RowProblem
    from uflpa.bulk.sinks import Sink
    from uflpa.io import Table

EXAMPLE = "examples/shipments.csv"
#: Files at least this large show a progress bar when stderr is a terminal.
PROGRESS_BYTES = 256 * 1024


class Engine(str, Enum):  # noqa: UP042 - typer needs a str Enum for choices
    local = "local"
    rows = "rows"
    spark = "spark"


def screen_command(
    file: Path | None = typer.Argument(
        None,
        help="Party or shipment file: CSV, TSV, XLSX or Parquet (optional with --example); "
        "- reads it from stdin.",
    ),
    example: bool = typer.Option(
        False, "--example", help="Screen the bundled example shipments file (invented data)."
    ),
    kind: Kind | None = typer.Option(
        None,
        "--kind",
        help="party (a 'name' column) or shipment (manufacturer/seller/exporter/supplier "
        "columns); detected from the headers when omitted.",
    ),
    column: list[str] = typer.Option(
        [], "--column", help="Map a column: NAME=HEADER (e.g. --column manufacturer='Mfr Name')."
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Screen against the list on this date (overrides import dates)."
    ),
    lists: str | None = typer.Option(None, "--lists", help=LISTS_HELP),
    list_version: list[str] = typer.Option([], "--list-version", help=LIST_VERSION_HELP),
    encoding: str | None = typer.Option(None, "--encoding", help="Force the file encoding."),
    fmt: Format = typer.Option(Format.jsonl, "--format", help="Output format on stdout."),
    output: Path | None = typer.Option(
        None,
        "--output",
        help="Write the rows to this file instead of stdout: FILE.jsonl, FILE.csv, "
        "FILE.xlsx (the CSV columns, every cell text) or FILE.parquet (the one-line columns "
        "plus each row's whole JSON record).",
    ),
    raw_csv: bool = typer.Option(False, "--raw-csv", help=RAW_CSV_HELP),
    report: Path | None = typer.Option(
        None, "--report", help="Also write a readable HTML report of the flagged rows here."
    ),
    engine: Engine = typer.Option(
        Engine.local,
        "--engine",
        help="local: every core of this machine, each distinct party matched once (the "
        "default); rows: one row after another in this process (the reference); spark: a "
        "Spark cluster (--master; pip install 'uflpa[spark]').",
    ),
    workers: int | None = typer.Option(
        None, "--workers", min=1, help="Worker processes of the local engine (default: cores)."
    ),
    master: str = typer.Option(
        "local[*]", "--master", help="Spark master URL for --engine spark (local[2], spark://…)."
    ),
) -> None:
    """Screen every row of a party file or a shipment file against the UFLPA Entity List.

    Shipment files: columns id, manufacturer, manufacturer_address, seller, exporter, supplier,
    country_of_origin, hts, description, import_date (also <role>_address, <role>_id,
    <role>_country and origin_evidence). Party files: id, name; optional country, address,
    identifier. The list is the latest stored version (`uflpa lists history`) unless
    --list-version names another; --lists adds other screening lists.
    """
    from uflpa.bulk.screen_file import ScreenRequest, screen_file
    from uflpa.bulk.sinks import CollectSink, CsvSink, JsonlSink, ReportSink, output_sink
    from uflpa.io.columns import parse_column_options

    day = parse_date(as_of)
    mapping = parse_column_options(column)
    sinks: list[Sink] = []
    collected: CollectSink | None = None
    if output is not None:
        sinks.append(output_sink(output, raw_csv=raw_csv))
    elif fmt is Format.jsonl:
        sinks.append(JsonlSink(sys.stdout))
    elif fmt is Format.csv:
        sinks.append(CsvSink(sys.stdout, raw=raw_csv))
    else:
        collected = CollectSink()
        sinks.append(collected)
    if report is not None:
        sinks.append(ReportSink(report))
    if collected is not None and engine is Engine.local:
        engine = Engine.rows  # a table or JSON array is printed from every row at the end
    with ExitStack() as stack:
        path = _input_path(file, example, stack)
        request = ScreenRequest(
            path=path,
            name=_name_of(file) if file is not None and path != file else None,
            kind=kind or (Kind.shipment if example else None),
            columns=mapping,
            encoding=encoding,
            as_of=day,
            source=f"uflpa/data/{EXAMPLE}" if example else None,
            note="bundled example, invented data" if example else "",
        )
        events = _Events(path, streaming=output is None and fmt is Format.jsonl)
        factory = screener_factory(lists, list_version, quiet=True)
        with events.bar():
            if engine is Engine.local:
                from uflpa.bulk.local import screen_file_local

                run = screen_file_local(request, factory, sinks, events, workers=workers)
            elif engine is Engine.spark:
                run = _spark_engine()(request, factory, sinks, events, master=master)
            else:
                run = screen_file(request, factory, sinks, events)
    summary_out: TextIO = sys.stderr
    if collected is not None:
        _print_rows(collected, fmt, raw_csv=raw_csv)
        if fmt is Format.table:
            summary_out = sys.stdout
    lines = list(run.summary.lines())
    if output is not None:
        lines.append(f"  output: {output}")
    if report is not None:
        lines.append(f"  report: {report}")
    for line in lines:
        say(line, err=summary_out is sys.stderr)


def _spark_engine() -> Any:
    """The Spark engine's entry point, or a one-line error saying what to install."""
    try:
        from uflpa.spark.engine import screen_file_spark
    except ImportError as exc:
        raise UsageError(
            f"--engine spark needs PySpark ({exc}); install it with: pip install 'uflpa[spark]'"
        ) from None
    return screen_file_spark


def _print_rows(collected: Any, fmt: Format, *, raw_csv: bool = False) -> None:
    from uflpa.bulk.encode import columns_of
    from uflpa.screening.rows import SHIPMENT_TABLE_COLUMNS, flat_row

    if fmt is Format.json:
        emit([r.to_dict() for r in collected.rows], fmt)
        return
    columns = (
        SHIPMENT_TABLE_COLUMNS if collected.kind is Kind.shipment else columns_of(collected.kind)
    )
    emit([flat_row(r) for r in collected.rows], fmt, columns=columns, raw=raw_csv)


def _input_path(file: Path | None, example: bool, stack: ExitStack) -> Path:
    if example and file is not None:
        raise UsageError("give either FILE or --example, not both")
    if example:
        ref = resources.files("uflpa.data").joinpath(EXAMPLE)
        return stack.enter_context(resources.as_file(ref))
    if file is None:
        raise UsageError("screen needs a FILE (or --example to screen the bundled example)")
    if str(file) == "-" or _is_stream(file):
        return _spooled(file, stack)
    return file


def _name_of(file: Path) -> str:
    return "stdin" if str(file) == "-" else str(file)


def _is_stream(path: Path) -> bool:
    """A pipe, a FIFO or a character device (/dev/stdin on a pipe): readable once only."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False  # missing: the reader says so
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode)


def _spooled(file: Path, stack: ExitStack) -> Path:
    """stdin (`-`) or a stream copied to a temporary file, removed when `stack` closes; the
    copy keeps the file's suffix, which picks between delimiters (.tsv)."""
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="uflpa-input-")))
    copy = folder / ("stdin" if str(file) == "-" else f"input{file.suffix}")
    try:
        if str(file) == "-":
            with copy.open("wb") as out:
                shutil.copyfileobj(sys.stdin.buffer, out, 1 << 20)
        else:
            with file.open("rb") as stream, copy.open("wb") as out:
                shutil.copyfileobj(stream, out, 1 << 20)
    except OSError as exc:
        raise InputError(
            f"cannot read the input: {exc.strerror or exc}", file=_name_of(file)
        ) from None
    return copy


class _Events:
    """Row problems on stderr as they happen, and a progress bar for large files, only on a
    terminal, and never while rows stream to the same terminal (the two would garble each
    other)."""

    def __init__(self, path: Path, *, streaming: bool) -> None:
        self._path = path
        self._streaming = streaming
        self._progress: Any = None
        self._task: Any = None

    def _say(self, text: str) -> None:
        """A line on stderr; a name or a cell from the file never brings an escape sequence."""
        if self._progress is not None:
            with writing("stderr"):
                self._progress.console.print(terminal_safe(text), markup=False, highlight=False)
        else:
            say(text, err=True)

    @contextmanager
    def bar(self) -> Iterator[None]:
        show = (
            sys.stderr.isatty()
            and not (self._streaming and sys.stdout.isatty())
            and _size(self._path) >= PROGRESS_BYTES
        )
        if not show:
            yield
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        from uflpa.bulk.screen_file import ROWS_STAGE

        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,}"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=Console(file=sys.stderr),
            transient=True,
            # Rich would otherwise capture sys.stdout and send the data rows to the terminal.
            redirect_stdout=False,
            redirect_stderr=False,
        ) as progress:
            self._progress = progress
            self._task = progress.add_task(ROWS_STAGE, total=self._rows())
            try:
                yield
            finally:
                self._progress = None

    def _rows(self) -> int | None:
        from uflpa.bulk.screen_file import estimate_rows

        return estimate_rows(self._path)

    def started(self, table: Table) -> None:
        pass

    def stage(self, name: str, total: int | None) -> None:
        from uflpa.bulk.screen_file import ROWS_STAGE

        if self._progress is None:
            return
        if total is None and name == ROWS_STAGE:
            total = self._rows()
        # A fresh task per stage, so that the time left is estimated from this stage's pace.
        self._progress.remove_task(self._task)
        self._task = self._progress.add_task(name, total=total)

    def advanced(self, rows: int) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, rows)

    def problem(self, problem: RowProblem) -> None:
        self._say(f"uflpa: {problem}")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def register(app: typer.Typer) -> None:
    """Add `uflpa screen` to the root app."""
    app.command("screen")(screen_command)


__all__ = ["register"]
