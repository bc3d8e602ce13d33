"""`uflpa screen`: a party file or a shipment file, row by row, over `uflpa.screening.Screener`.

Every input row gives exactly one output row: a verdict (hit, review, clear) with its reasons and
versions, or `error` with the file, row and reason when it cannot be screened. The summary goes to
stderr whenever stdout carries the data (to stdout after a table), so that piping the output to a
file keeps it clean.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from enum import Enum
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

import typer

from uflpa.cli.output import Format, dumps, emit
from uflpa.cli.screen_rows import (
    SHIPMENT_CSV_COLUMNS,
    SHIPMENT_TABLE_COLUMNS,
    flat_shipments,
    party_row,
)
from uflpa.cli.shared import bundled_matcher, parse_date
from uflpa.errors import InputError, UsageError
from uflpa.io.columns import header_key

PARTY_ALIASES: dict[str, list[str]] = {
    "id": ["party_id", "supplier_id", "vendor_id", "no", "编号", "序号"],
    "name": ["party_name", "party", "supplier", "supplier_name", "vendor", "vendor_name",
             "company", "company_name", "entity", "名称", "公司名称", "供应商"],
    "country": ["country_code", "nation", "国家"],
    "address": ["addr", "address1", "地址"],
    "identifier": ["uscc", "registration_number", "reg_no", "统一社会信用代码", "tax_id"],
}  # fmt: skip

EXAMPLE = "examples/shipments.csv"
#: Files at least this large show a progress bar when stderr is a terminal.
PROGRESS_BYTES = 256 * 1024
#: Flagged rows kept in memory for --report.
REPORT_ROWS = 2000


class Kind(str, Enum):  # noqa: UP042 - typer needs a str Enum for choices
    party = "party"
    shipment = "shipment"


#: Allocations between two collections of the youngest generation while rows are screened
#: (Python's default is 700), and how often the older generations follow.
BULK_GC_THRESHOLD = (50_000, 20, 10)


@lru_cache(maxsize=1)
def _screener() -> Any:
    from uflpa.screening import Screener

    # Building the list, its analyses and indexes allocates a few hundred thousand objects that
    # all live for the whole run and form no garbage cycles: collecting while they are built
    # only walks them again and again.
    enabled = gc.isenabled()
    gc.disable()
    try:
        screener = Screener(bundled_matcher())
    finally:
        # Keep the collector from walking them on every full collection while rows are screened.
        gc.freeze()
        if enabled:
            gc.enable()
    return screener


@contextmanager
def _bulk_gc() -> Iterator[None]:
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


def screen_command(
    file: Path | None = typer.Argument(
        None, help="Party or shipment file: CSV, TSV, XLSX or Parquet (optional with --example)."
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
    encoding: str | None = typer.Option(None, "--encoding", help="Force the file encoding."),
    fmt: Format = typer.Option(Format.jsonl, "--format", help="Output format."),
    report: Path | None = typer.Option(
        None, "--report", help="Also write a readable HTML report of the flagged rows here."
    ),
) -> None:
    """Screen every row of a party file or a shipment file against the UFLPA Entity List.

    Shipment files: columns id, manufacturer, manufacturer_address, seller, exporter, supplier,
    country_of_origin, hts, description, import_date (also <role>_address, <role>_id,
    <role>_country and origin_evidence). Party files: id, name; optional country, address,
    identifier.
    """
    from uflpa.io.columns import parse_column_options

    day = parse_date(as_of)
    mapping = parse_column_options(column)
    with ExitStack() as stack:
        path = _input_path(file, example, stack)
        chosen = kind or (Kind.shipment if example else detect_kind(path, mapping, encoding))
        run = _Run(path, fmt, report, day)
        if chosen is Kind.shipment:
            run.shipments(mapping, encoding)
        else:
            run.parties(mapping, encoding)


def _input_path(file: Path | None, example: bool, stack: ExitStack) -> Path:
    if example and file is not None:
        raise UsageError("give either FILE or --example, not both")
    if example:
        ref = resources.files("uflpa.data").joinpath(EXAMPLE)
        return stack.enter_context(resources.as_file(ref))
    if file is None:
        raise UsageError("screen needs a FILE (or --example to screen the bundled example)")
    return file


def detect_kind(path: Path, mapping: dict[str, str], encoding: str | None) -> Kind:
    """Shipment when the file has a manufacturer, seller, exporter or supplier column and no
    'name' column; party when it has a name column. A lone 'supplier' column (a supplier master
    list) counts as a party file unless shipment columns (hts, import date...) are present."""
    from uflpa.io import open_table
    from uflpa.screening.shipment import ROLES, SHIPMENT_ALIASES

    if "name" in mapping:
        return Kind.party
    if any(k != "id" and k in SHIPMENT_ALIASES for k in mapping):
        return Kind.shipment
    headers = open_table(path, required=[], encoding=encoding).headers
    keys = {header_key(h) for h in headers if h}

    def has(column: str, aliases: dict[str, list[str]]) -> bool:
        spellings = [column, *aliases.get(column, ())]
        return any(header_key(s) in keys for s in spellings)

    if "name" in keys:
        return Kind.party
    strong_roles = [r for r in ROLES if r != "supplier"]
    if any(has(r, SHIPMENT_ALIASES) or has(f"{r}_address", SHIPMENT_ALIASES) for r in strong_roles):
        return Kind.shipment
    goods = ("hts", "import_date", "country_of_origin", "supplier_address")
    if has("supplier", SHIPMENT_ALIASES) and any(has(c, SHIPMENT_ALIASES) for c in goods):
        return Kind.shipment
    if has("name", PARTY_ALIASES):
        return Kind.party
    raise InputError(
        "cannot tell a party file (a 'name' column) from a shipment file (manufacturer, seller, "
        "exporter or supplier columns); headers found: "
        + ", ".join(repr(h) for h in headers[:20])
        + "; say which with --kind party|shipment, or map a column with --column",
        file=str(path),
    )


class _Run:
    """One run of `uflpa screen`: output, summary, report and progress, shared by both kinds."""

    def __init__(self, path: Path, fmt: Format, report: Path | None, as_of: date | None) -> None:
        from uflpa.screening.summary import Summary

        self.path = path
        self.fmt = fmt
        self.report = report
        self.as_of = as_of
        self.summary = Summary()
        self.rows: list[dict[str, Any]] = []
        self.flagged: list[dict[str, Any]] = []
        self.errors: list[dict[str, Any]] = []
        self.omitted = 0
        self.titles: dict[str, str] = {}
        self.kind = Kind.party
        self._say: Callable[[str], None] = lambda text: typer.echo(text, err=True)
        if report is not None and report.suffix.lower() not in (".html", ".htm"):
            raise UsageError(f"--report {report}: the report is HTML; name it *.html")

    # --- the two kinds ---------------------------------------------------------------------

    def shipments(self, mapping: dict[str, str], encoding: str | None) -> None:
        from uflpa.io import Record, open_table
        from uflpa.screening.shipment import (
            ROLES,
            SHIPMENT_ALIASES,
            SHIPMENT_COLUMNS,
            UnscreenableRow,
            shipment_from_values,
        )

        table = open_table(
            self.path,
            required=[],
            optional=SHIPMENT_COLUMNS,
            aliases=SHIPMENT_ALIASES,
            column_map=mapping,
            encoding=encoding,
        )
        party_columns = [c for r in ROLES for c in (r, f"{r}_address") if c in table.columns]
        if not party_columns:
            raise InputError(
                "a shipment file needs a manufacturer, seller, exporter or supplier column; "
                f"headers found: {', '.join(repr(h) for h in table.headers[:20])}; map one with "
                "--column manufacturer=HEADER",
                file=table.path,
            )
        started = time.perf_counter()
        screener = _screener()
        self.titles = {r.id: r.title for r in screener.ruleset.rules}
        self.kind = Kind.shipment
        self._begin(table, "shipment file", started)
        with self._progress() as tick, _bulk_gc():
            for entry in table:
                if not isinstance(entry, Record):
                    self._error(entry.file, entry.row, entry.column, entry.reason, entry.raw)
                else:
                    item = shipment_from_values(entry.values, entry.row)
                    if isinstance(item, UnscreenableRow):
                        self._error(table.path, item.row, None, item.reason, None,
                                    row_id=entry.values.get("id") or None)  # fmt: skip
                    else:
                        result = screener.screen_shipment(item, as_of=self.as_of).to_dict()
                        self._emit(result)
                        for issue in result["issues"]:
                            self._warn(table.path, item.row, issue["column"], issue["reason"])
                tick()
        self._finish()

    def parties(self, mapping: dict[str, str], encoding: str | None) -> None:
        from uflpa.io import Record, open_table

        table = open_table(
            self.path,
            required=["name"],
            optional=["id", "country", "address", "identifier"],
            aliases=PARTY_ALIASES,
            column_map=mapping,
            encoding=encoding,
        )
        started = time.perf_counter()
        screener = _screener()
        self.titles = {r.id: r.title for r in screener.ruleset.rules}
        self._begin(table, "", started)
        with self._progress() as tick, _bulk_gc():
            for entry in table:
                if not isinstance(entry, Record):
                    self._error(entry.file, entry.row, entry.column, entry.reason, entry.raw,
                                party=True)  # fmt: skip
                else:
                    self._emit(party_row(screener, entry.row, entry.values, self.as_of))
                tick()
        self._finish()

    # --- shared steps ----------------------------------------------------------------------

    def _begin(self, table: Any, kind: str, started: float) -> None:
        example = _is_example(self.path)
        self.summary.source = f"uflpa/data/{EXAMPLE}" if example else str(table.path)
        what = table.encoding or table.format
        self.summary.detail = ", ".join(
            x for x in ("bundled example, invented data" if example else "", what, kind) if x
        )
        self.summary.setup_seconds = time.perf_counter() - started
        self._loop_started = time.perf_counter()

    def _emit(self, row: dict[str, Any]) -> None:
        self.summary.add(row)
        if self.fmt is Format.jsonl:
            sys.stdout.write(dumps(row) + "\n")
        else:
            self.rows.append(row)
        if self.report is not None and row.get("verdict") in ("hit", "review"):
            if len(self.flagged) < REPORT_ROWS:
                self.flagged.append(row)
            else:
                self.omitted += 1

    def _error(
        self,
        file: str,
        row: int,
        column: str | None,
        reason: str,
        raw: str | None,
        *,
        row_id: str | None = None,
        party: bool = False,
    ) -> None:
        where = f"{file}: row {row}" + (f", column {column!r}" if column else "")
        self._say(f"uflpa: {where}: {reason}")
        out: dict[str, Any] = {"id": row_id, "row": row}
        if party:
            out["name"] = None
        out.update({"verdict": "error", "error": reason, "file": file, "column": column})
        self.errors.append(out)
        self._emit(out)

    def _warn(self, file: str, row: int, column: str, reason: str) -> None:
        self._say(f"uflpa: {file}: row {row}, column {column!r}: {reason} (row screened)")

    def _finish(self) -> None:
        self.summary.seconds = time.perf_counter() - self._loop_started
        summary_out: TextIO = sys.stderr
        if self.fmt is not Format.jsonl:
            if self.kind is Kind.shipment:
                cols = SHIPMENT_TABLE_COLUMNS if self.fmt is Format.table else SHIPMENT_CSV_COLUMNS
                emit(flat_shipments(self.rows), self.fmt, columns=cols)
            else:
                cols = ["row", "id", "name", "verdict", "score", "entity_id", "matched_name"]
                emit(self.rows, self.fmt, columns=cols)
            if self.fmt is Format.table:
                summary_out = sys.stdout
        if self.report is not None:
            self._write_report()
        for line in self.summary.lines():
            summary_out.write(line + "\n")
        if self.report is not None:
            summary_out.write(f"  report: {self.report}\n")
        summary_out.flush()

    def _write_report(self) -> None:
        from uflpa.screening.report import render_report

        assert self.report is not None
        html = render_report(
            self.flagged, self.errors, self.summary, titles=self.titles, omitted=self.omitted
        )
        try:
            self.report.write_text(html, encoding="utf-8")
        except OSError as exc:
            raise InputError(
                f"cannot write the report: {exc.strerror or exc}", file=str(self.report)
            ) from None

    @contextmanager
    def _progress(self) -> Iterator[Any]:
        """A progress bar on stderr for large files, only on a terminal, and never while rows
        stream to the same terminal (the two would garble each other)."""
        show = (
            sys.stderr.isatty()
            and not (self.fmt is Format.jsonl and sys.stdout.isatty())
            and _size(self.path) >= PROGRESS_BYTES
        )
        if not show:
            yield lambda: None
            return
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        total = _line_estimate(self.path)
        with Progress(
            TextColumn("screening"),
            BarColumn(),
            TextColumn("{task.completed:,} rows"),
            TimeElapsedColumn(),
            console=Console(file=sys.stderr),
            transient=True,
            # Rich would otherwise capture sys.stdout and send the data rows to the terminal.
            redirect_stdout=False,
            redirect_stderr=False,
        ) as bar:
            task = bar.add_task("screen", total=total)
            # Row messages go above the bar instead of through it.
            self._say = lambda text: bar.console.print(text, markup=False, highlight=False)
            try:
                yield lambda: bar.advance(task)
            finally:
                self._say = lambda text: typer.echo(text, err=True)


def _is_example(path: Path) -> bool:
    return path.name == "shipments.csv" and path.parent.name == "examples"


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _line_estimate(path: Path) -> int | None:
    """Data rows in a plain text file (newlines minus the header), None for other formats."""
    if path.suffix.lower() not in (".csv", ".tsv", ".txt"):
        return None
    count = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            count += chunk.count(b"\n")
    return max(count - 1, 1)


def register(app: typer.Typer) -> None:
    """Add `uflpa screen` to the root app."""
    app.command("screen")(screen_command)


__all__ = ["PARTY_ALIASES", "detect_kind", "party_row", "register"]
