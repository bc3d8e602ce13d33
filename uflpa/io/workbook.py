"""Excel workbooks (.xlsx) read row by row with openpyxl's read-only mode.

Excel stores what it displays, not what was typed: an 18-digit Unified Social Credit Code or a
customs code typed without a leading apostrophe becomes a float, a date becomes a serial number.
Cells are turned back into the text a person sees where that is recoverable: integral numbers
without ".0" (and with the leading zeros a ``000000`` number format shows), dates as ISO
dates. Digits Excel already rounded away (beyond 15 significant digits) cannot come back.

Rows are sheet rows, so row numbers match what Excel shows. Rows whose cells are all empty are
not rows of data and are skipped, like blank lines in a CSV file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from uflpa.errors import InputError
from uflpa.io.records import clean_cell
from uflpa.io.sources import RawRow

_ZERO_PAD = re.compile(r"^0+$")


class WorkbookSource:
    """One worksheet of an .xlsx file, its header the first row with any value."""

    format = "xlsx"
    encoding: str | None = None
    #: How the text was decoded, in words (binary formats: nothing to say).
    decision: str = ""
    delimiter: str | None = None

    def __init__(self, path: Path, *, sheet: str | None, file: str) -> None:
        self.path = path
        self.file = file
        self.notes: list[str] = []
        self._titles: list[str] = []
        self.sheet: str | None = None
        workbook = self._load()
        try:
            self.sheet = self._choose(workbook, sheet).title
            header = next(self._scan(workbook), None)
        finally:
            workbook.close()
        if header is None:
            raise InputError(f"sheet {self.sheet!r} is empty", file=file)
        self.header_row = header.row
        self.headers = [clean_cell(cell) for cell in header.cells]
        if sheet is None and len(self._titles) > 1:
            self.notes.append(
                f"read the first sheet {self.sheet!r} of {len(self._titles)}; "
                "choose another with --sheet"
            )

    def rows(self, wanted: Sequence[int]) -> Iterator[RawRow]:
        workbook = self._load()
        try:
            rows = self._scan(workbook)
            next(rows, None)  # the header
            yield from rows
        finally:
            workbook.close()

    def _load(self) -> Any:
        from openpyxl import load_workbook

        try:
            # data_only: the value Excel last computed, not the formula text.
            return load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for damaged files
            raise InputError(f"cannot read the workbook: {_why(exc)}", file=self.file) from None

    def _choose(self, workbook: Any, sheet: str | None) -> Any:
        sheets = list(workbook.worksheets)
        self._titles = [ws.title for ws in sheets]
        if not sheets:
            raise InputError("the workbook has no worksheets", file=self.file)
        if sheet is None:
            return sheets[0]
        for ws in sheets:
            if ws.title == sheet or ws.title.strip().casefold() == sheet.strip().casefold():
                return ws
        if sheet.isdigit() and 1 <= int(sheet) <= len(sheets):
            return sheets[int(sheet) - 1]
        raise InputError(
            f"no sheet {sheet!r}; the workbook has: {', '.join(map(repr, self._titles))}",
            file=self.file,
        )

    def _scan(self, workbook: Any) -> Iterator[RawRow]:
        ws = workbook[self.sheet]
        # Exporters often write a wrong used range ("A1:A1"); read to the real end instead.
        ws.reset_dimensions()
        try:
            for number, cells in enumerate(ws.iter_rows(min_row=1), start=1):
                texts = [cell_text(cell) for cell in cells]
                if not any(clean_cell(t) for t in texts):
                    continue
                yield RawRow(row=number, cells=texts, raw="\t".join(texts))
        except InputError:
            raise
        except Exception as exc:
            raise InputError(f"cannot read the workbook: {_why(exc)}", file=self.file) from None


def cell_text(cell: Any) -> str:
    """The text a person sees in the cell, as far as it can be recovered from the value."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return _pad(str(value), cell)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if value.is_integer() and abs(value) < 1e21:
            return _pad(str(int(value)), cell)
        return repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _pad(digits: str, cell: Any) -> str:
    """Leading zeros that a ``000000`` number format displays (postcodes, codes)."""
    fmt = getattr(cell, "number_format", "General") or "General"
    if _ZERO_PAD.match(fmt) and not digits.startswith("-"):
        return digits.zfill(len(fmt))
    return digits


def _why(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
