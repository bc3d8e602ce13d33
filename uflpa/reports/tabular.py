"""Values as the cells of a table or CSV, and records as JSON lines: one rendering for the file
sinks of a run and for every command's output, so that a CSV written by `uflpa screen --output`
and one printed by `--format csv` are the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any


def cell(value: Any) -> str:
    """A value as one table or CSV cell: lists joined with ' | ', objects as JSON, yes/no."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " | ".join(cell(v) for v in value)
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


def csv_lines(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[str], *, raw: bool = False
) -> str:
    """CSV text of `rows` (picked and ordered by `columns`), without the header; a cell a
    spreadsheet would run as a formula is made safe (`spreadsheet_safe`) unless `raw`."""
    lines = []
    for row in rows:
        cells = [cell(row.get(c)) for c in columns]
        lines.append(cells if raw else [spreadsheet_safe(c) for c in cells])
    return csv_text(lines)


def csv_text(rows: Iterable[Sequence[str]]) -> str:
    """CSV lines ending in '\n'. A cell holding a lone carriage return is quoted too (Python's
    writer quotes only the characters of its line terminator, and a CR left bare splits the row
    for Excel and for Python's own reader)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    crlf = csv.writer(buf, lineterminator="\r\n")  # quotes a cell with '\r'
    for row in rows:
        if any("\r" in c for c in row):
            crlf.writerow(row)
            buf.seek(buf.tell() - 2)
            buf.truncate()
            buf.write("\n")
        else:
            writer.writerow(row)
    return buf.getvalue()


def csv_header(columns: Sequence[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(list(columns))
    return buf.getvalue()


#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection"): these first
#: characters, also after leading spaces.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """`text` as a CSV cell a spreadsheet shows and never runs: a cell that would start a formula
    gets a leading apostrophe (the form OWASP recommends), so `=HYPERLINK(…)` is read as text."""
    if text.lstrip(" ").startswith(_FORMULA_START):
        return "'" + text
    return text
