"""Parquet files read batch by batch with pyarrow, only the columns that are used.

Parquet has no header line, so rows are numbered from 1 for the first record. Values are typed;
they are turned into the text uflpa screens the same way as Excel cells (integral floats without
".0", dates as ISO dates), so that a name or an ID reads the same whatever the format.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from uflpa.errors import InputError
from uflpa.io.records import clean_cell
from uflpa.io.sources import RawRow

_BATCH = 8192


class ParquetSource:
    """A Parquet file; its column names are the header."""

    format = "parquet"
    encoding: str | None = None
    #: How the text was decoded, in words (binary formats: nothing to say).
    decision: str = ""
    delimiter: str | None = None
    sheet: str | None = None
    header_row = 0

    def __init__(self, path: Path, *, file: str) -> None:
        self.path = path
        self.file = file
        self.notes: list[str] = []
        parquet = self._open()
        self.headers = [clean_cell(str(name)) for name in parquet.schema_arrow.names]
        self._names = list(parquet.schema_arrow.names)

    def rows(self, wanted: Sequence[int]) -> Iterator[RawRow]:
        parquet = self._open()
        columns = sorted(set(wanted)) or list(range(len(self.headers)))
        width = len(self.headers)
        number = 0
        try:
            batches = parquet.iter_batches(
                batch_size=_BATCH, columns=[self._names[i] for i in columns]
            )
            for batch in batches:
                values = [batch.column(k).to_pylist() for k in range(len(columns))]
                for j in range(batch.num_rows):
                    number += 1
                    cells = [""] * width
                    problem = None
                    column = None
                    for k, index in enumerate(columns):
                        text, error = value_text(values[k][j])
                        cells[index] = text
                        if error and problem is None:
                            problem, column = error, index
                    if problem is None and not any(clean_cell(cells[i]) for i in columns):
                        continue
                    raw = "\t".join(cells[i] for i in columns)
                    yield RawRow(row=number, cells=cells, raw=raw, problem=problem, column=column)
        except Exception as exc:  # pyarrow raises several types for damaged files
            raise InputError(
                f"cannot read the Parquet file after record {number}: {exc}", file=self.file
            ) from None

    def _open(self) -> Any:
        import pyarrow.parquet as pq

        try:
            return pq.ParquetFile(self.path)
        except Exception as exc:
            raise InputError(f"cannot read the Parquet file: {exc}", file=self.file) from None


def value_text(value: Any) -> tuple[str, str | None]:
    """The value as text, and a problem when it cannot be text (bytes that are not UTF-8)."""
    if value is None:
        return "", None
    if isinstance(value, str):
        return value, None
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8"), None
        except UnicodeDecodeError as exc:
            return value.decode("utf-8", errors="replace"), (
                f"binary value is not UTF-8 text (byte {exc.start} of the value)"
            )
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), None
    if isinstance(value, int):
        return str(value), None
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return "", None
        return (str(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)), None
    if isinstance(value, Decimal):
        return format(value.normalize() if value == value.to_integral() else value, "f"), None
    if isinstance(value, datetime):
        return (value.date().isoformat() if value.time() == time(0) else value.isoformat()), None
    if isinstance(value, date | time):
        return value.isoformat(), None
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str), None
    return str(value), None
