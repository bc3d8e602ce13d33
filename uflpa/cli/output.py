"""Render rows of dicts as a table, CSV, JSON or JSON lines; every command shares this."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from uflpa.reports.tabular import cell, csv_header, csv_lines, dumps

__all__ = ["Format", "dumps", "emit", "emit_object", "terminal_safe"]


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
) -> None:
    """Write `rows`; `columns` picks and orders the table/CSV columns (JSON keeps every key)."""
    stream = out or sys.stdout
    if fmt is Format.jsonl:
        for row in rows:
            stream.write(dumps(row) + "\n")
        return
    materialised = list(rows)
    if fmt is Format.json:
        stream.write(json.dumps(materialised, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    cols = list(columns) if columns else list(dict.fromkeys(k for r in materialised for k in r))
    if fmt is Format.csv:
        stream.write(csv_header(cols) + csv_lines(materialised, cols))
        return
    table = Table(title=title, show_lines=False)
    for c in cols:
        table.add_column(c, overflow="fold")
    for row in materialised:
        # As plain text: a name from a user's file is never read as markup ("[red]") and never
        # reaches the terminal with an escape sequence in it.
        table.add_row(*(Text(terminal_safe(cell(row.get(c)))) for c in cols))
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


def emit_object(obj: dict[str, Any], fmt: Format, *, out: TextIO | None = None) -> None:
    """Write one object: JSON for json/jsonl, a key/value table otherwise."""
    stream = out or sys.stdout
    if fmt in (Format.json, Format.jsonl):
        indent = 2 if fmt is Format.json else None
        stream.write(json.dumps(obj, ensure_ascii=False, indent=indent, default=str) + "\n")
        return
    emit(
        [{"field": k, "value": v} for k, v in obj.items()],
        fmt,
        columns=["field", "value"],
        out=stream,
    )
