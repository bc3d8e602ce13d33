"""What reading a user file yields, row by row: a good `Record` or a `RowIssue`.

Every non-blank data row of the input yields exactly one of the two, in input order, so that
``records + issues == data rows`` holds and no row disappears without a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Longest raw text kept on an issue; a swallowed multi-line record can be huge.
RAW_LIMIT = 1000

# str.strip() already removes NBSP and the ideographic space U+3000; zero-width characters and
# a stray BOM are not "whitespace" to Python but are invisible padding in ERP exports.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_EDGES = re.compile(rf"^[\s{_INVISIBLE}]+|[\s{_INVISIBLE}]+$")


@dataclass(frozen=True, slots=True)
class RowIssue:
    """A row that cannot be used, with the reason; `column` names the cell when one is at fault.

    `row` counts as a person counts lines in the file (CSV header = 1, first data row = 2; for
    XLSX the sheet row number; for Parquet the 1-based record number). `id` is the row's id
    cell when it could still be read, so that the error row in the output names the row the way
    its owner does.
    """

    file: str
    row: int
    column: str | None
    reason: str
    raw: str | None = None
    id: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
            "raw": self.raw,
        }

    def __str__(self) -> str:
        where = f"{self.file}: row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Record:
    """One good input row: canonical column name -> cleaned text ('' when empty or absent)."""

    row: int
    values: dict[str, str]


def clean_cell(text: str) -> str:
    """Strip surrounding whitespace (incl. NBSP, U+3000, zero-width) and nothing else."""
    stripped = text.strip()  # Unicode whitespace, NBSP and U+3000 included
    if stripped and (stripped[0] in _INVISIBLE or stripped[-1] in _INVISIBLE):
        return _EDGES.sub("", stripped)
    return stripped


def clip(text: str, limit: int = RAW_LIMIT) -> str:
    """`text` cut to `limit` characters with a marker saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [{len(text) - limit} more characters]"
