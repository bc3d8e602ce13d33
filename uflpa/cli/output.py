"""Render rows of dicts as a table, CSV, JSON or JSON lines; every command shares this.

CSV cells a spreadsheet would run as a formula are written with a leading apostrophe unless the
command's `--raw-csv` asks for them as they are; a table shows control and escape characters as
U+FFFD; a write that fails (a closed pipe, a full disk, a terminal that cannot show a name) is an
`OutputError`, one line, never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from enum import Enum
from typing import Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from uflpa.errors import output_error
from uflpa.reports.tabular import cell, csv_header, csv_lines, dumps

__all__ = [
    "RAW_CSV_HELP",
    "Format",
    "RawCsvOption",
    "dumps",
    "emit",
    "emit_object",
    "say",
    "terminal_safe",
    "writing",
]

RAW_CSV_HELP = (
    "With --format csv: write every cell as it is, also one a spreadsheet would run as a "
    "formula (=, +, -, @ first); for pipelines, not for spreadsheets."
)

#: The command's --raw-csv, for every `emit` of its run.
_RAW_CSV: ContextVar[bool] = ContextVar("uflpa_raw_csv", default=False)


def _remember_raw_csv(value: bool) -> bool:
    _RAW_CSV.set(bool(value))
    return value


#: `--raw-csv` of a command that writes CSV: its `emit` calls then write cells as they are.
RawCsvOption = Annotated[
    bool, typer.Option("--raw-csv", help=RAW_CSV_HELP, callback=_remember_raw_csv)
]


class Format(str, Enum):  # noqa: UP042 - typer needs a str Enum for choices
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


def emit(
    rows: Iterable[dict[str, Any]],
    fmt: Format,
    *,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    out: TextIO | None = None,
    raw: bool = False,
) -> None:
    """Write `rows`; `columns` picks and orders the table/CSV columns (JSON keeps every key);
    `raw` writes CSV cells as they are (`--raw-csv`)."""
    stream = out or sys.stdout
    _emit(rows, fmt, columns=columns, title=title, stream=stream, raw=raw or _RAW_CSV.get())


@contextmanager
def writing(target: str = "stdout") -> Iterator[None]:
    """A failed write to `target` as an `OutputError`, never a traceback."""
    try:
        yield
    except (OSError, UnicodeEncodeError) as exc:
        raise output_error(exc, target) from None


def _target(stream: TextIO) -> str:
    return "stderr" if stream is sys.stderr else "stdout" if stream is sys.stdout else "the output"


def say(text: str, *, err: bool = False) -> None:
    """One line of text for a person (a message, a summary line) with control and escape
    characters from user data shown as U+FFFD."""
    with writing("stderr" if err else "stdout"):
        typer.echo(terminal_safe(text), err=err)


def _emit(
    rows: Iterable[dict[str, Any]],
    fmt: Format,
    *,
    columns: Sequence[str] | None,
    title: str | None,
    stream: TextIO,
    raw: bool,
) -> None:
    target = _target(stream)
    if fmt is Format.jsonl:
        for row in rows:
            line = dumps(row) + "\n"
            with writing(target):
                stream.write(line)
        return
    materialised = list(rows)
    if fmt is Format.json:
        text = json.dumps(materialised, ensure_ascii=False, indent=2, default=str) + "\n"
        with writing(target):
            stream.write(text)
        return
    cols = list(columns) if columns else list(dict.fromkeys(k for r in materialised for k in r))
    if fmt is Format.csv:
        text = csv_header(cols) + csv_lines(materialised, cols, raw=raw)
        with writing(target):
            stream.write(text)
        return
    table = Table(title=Text(terminal_safe(title)) if title else None, show_lines=False)
    for c in cols:
        table.add_column(Text(terminal_safe(c)), overflow="fold")
    for row in materialised:
        # As plain text: a name from a user's file is never read as markup ("[red]") and never
        # reaches the terminal with an escape sequence in it.
        table.add_row(*(Text(terminal_safe(cell(row.get(c)))) for c in cols))
    with writing(target):
        Console(file=stream, soft_wrap=False).print(table)


#: Control characters (C0, DEL, C1) and the invisible bidirectional overrides that can make a
#: name read differently from what it is; newlines and tabs are kept.
_UNSAFE = {
    c: "\ufffd"
    for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0),
              *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
}  # fmt: skip


def terminal_safe(text: str) -> str:
    """`text` with control and escape characters shown as U+FFFD."""
    return text.translate(_UNSAFE)


def emit_object(
    obj: dict[str, Any], fmt: Format, *, out: TextIO | None = None, raw: bool = False
) -> None:
    """Write one object: JSON for json/jsonl, a key/value table otherwise."""
    stream = out or sys.stdout
    if fmt in (Format.json, Format.jsonl):
        indent = 2 if fmt is Format.json else None
        with writing(_target(stream)):
            stream.write(json.dumps(obj, ensure_ascii=False, indent=indent, default=str) + "\n")
        return
    emit(
        [{"field": k, "value": v} for k, v in obj.items()],
        fmt,
        columns=["field", "value"],
        out=stream,
        raw=raw,
    )
