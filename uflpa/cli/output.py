"""Render rows of dicts as a table, CSV, JSON or JSON lines; every command shares this."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table


class Format(str, Enum):  # noqa: UP042 - typer needs a str Enum for choices
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " | ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


# One encoder for every JSON line: `json.dumps` would build one per call. Rows are trees, never
# cyclic, so the encoder's cycle check (a dictionary of every container's id) is skipped.
_LINE_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str, check_circular=False)


def dumps(obj: Any) -> str:
    """`json.dumps(obj, ensure_ascii=False, default=str)`, the same text, faster."""
    return _LINE_ENCODER.encode(obj)


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
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(cols)
        for row in materialised:
            writer.writerow([_cell(row.get(c)) for c in cols])
        stream.write(buf.getvalue())
        return
    table = Table(title=title, show_lines=False)
    for c in cols:
        table.add_column(c, overflow="fold")
    for row in materialised:
        table.add_row(*(_cell(row.get(c)) for c in cols))
    Console(file=stream, soft_wrap=False).print(table)


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
