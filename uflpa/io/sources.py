"""The seam between file formats and `Table`: a source yields raw rows, the table judges them.

A source knows its format (how to split bytes into cells, where the header is, what a physical
problem looks like); `uflpa.io.tables.Table` applies what is the same for every format (column
mapping, cell cleaning, required cells, NUL bytes).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(slots=True)
class RawRow:
    """One non-blank data row as the format gave it: cells not yet cleaned.

    `problem` is set when the format already knows the row is unusable (wrong field count,
    broken quoting, undecodable bytes); `column` is then the 0-based index of the cell at fault.
    `end` is the byte offset just after the row (text formats), used to resume after a header.
    """

    row: int
    cells: list[str]
    raw: str
    problem: str | None = None
    column: int | None = None
    end: int = 0
    last: int = 0


class RowSource(Protocol):
    """A file opened far enough to know its header; `rows()` streams the data rows after it."""

    format: str
    encoding: str | None
    #: The text encoding decision and any doubt, in words ("" for binary formats).
    decision: str
    delimiter: str | None
    sheet: str | None
    header_row: int
    headers: list[str]
    notes: list[str]

    def rows(self, wanted: Sequence[int]) -> Iterator[RawRow]:
        """Data rows in file order; `wanted` are the header positions the caller reads.

        Each call reads the file again from the start of the data, so a table can be iterated
        more than once.
        """
        ...
