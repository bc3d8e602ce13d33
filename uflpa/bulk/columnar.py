"""The distinct parties of a large delimited file, read in columns by pyarrow.

The local engine matches each distinct party once before it screens the rows (`uflpa.bulk.local`).
Finding them row by row would cost as much as reading the file for the rows; pyarrow's CSV reader
finds them ten times faster. Its reading of odd quoting may differ from the row reader's
(`uflpa.io`), which stays the one that reads the rows: a party read differently here is only a
party not matched ahead, which the row's worker then matches itself, so the verdicts never
depend on this reader. Lines of the wrong width are skipped; a file pyarrow cannot read at all
(another encoding, gzip) gives None, and the engine then finds the parties with the row reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from uflpa.io import Table
from uflpa.io.delimited import DelimitedSource
from uflpa.io.records import clean_cell
from uflpa.model import ROLES

#: pyarrow's block size: the rows held at once are about this many bytes.
BLOCK = 16 * 1024 * 1024
PartyKey = tuple[str, str, str, str]  # name, address, identifier, country


def distinct_parties(table: Table) -> list[PartyKey] | None:
    """Every distinct party of a shipment file (role aside), as a shipment row reads it: its
    cells cleaned by the reader and stripped; None when pyarrow cannot read the file."""
    source = table.source
    if not isinstance(source, DelimitedSource) or source.gzip or source.newline != b"\n":
        return None
    if source.detection.codec != "utf-8" or source.delimiter is None:
        return None
    import pyarrow as pa
    import pyarrow.csv as pacsv

    positions = table.positions
    roles = [
        [positions.get(f"{role}{suffix}") for suffix in ("", "_address", "_id", "_country")]
        for role in ROLES
        if role in positions or f"{role}_address" in positions
    ]
    wanted = sorted({at for columns in roles for at in columns if at is not None})
    names = [f"c{i}" for i in range(len(source.raw_headers))]
    raw: dict[PartyKey, None] = {}
    with open(source.path, "rb") as stream:
        stream.seek(source.data_offset)
        try:
            reader = pacsv.open_csv(
                _Window(stream),
                read_options=pacsv.ReadOptions(
                    column_names=names, use_threads=False, block_size=BLOCK
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=source.delimiter,
                    newlines_in_values=True,
                    invalid_row_handler=lambda row: "skip",
                ),
                convert_options=pacsv.ConvertOptions(
                    include_columns=[names[i] for i in wanted],
                    column_types={names[i]: pa.string() for i in wanted},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
            for batch in reader:
                _add_distinct(raw, batch, roles, names)
        except (pa.ArrowInvalid, UnicodeDecodeError, OSError):
            return None
    seen: dict[PartyKey, None] = {}
    for name, address, identifier, country in raw:
        key = (_clean(name), _clean(address), _clean(identifier), _clean(country))
        if key[0] or key[1]:  # a row's party has a name or an address
            seen[key] = None
    return list(seen)


def _add_distinct(
    raw: dict[PartyKey, None], batch: Any, roles: list[list[int | None]], names: list[str]
) -> None:
    """The distinct (name, address, identifier, country) cells of each role of `batch`."""
    import pyarrow as pa

    empty = pa.array([""] * batch.num_rows, pa.string())
    by_name: Mapping[str, Any] = {n: batch.column(n) for n in batch.schema.names}
    for columns in roles:
        part = pa.table(
            {
                f"k{i}": by_name[names[at]] if at is not None else empty
                for i, at in enumerate(columns)
            }
        )
        distinct = part.group_by([f"k{i}" for i in range(4)]).aggregate([])
        keys = zip(*(distinct.column(f"k{i}").to_pylist() for i in range(4)), strict=True)
        raw.update(dict.fromkeys(keys))


def _clean(cell: str) -> str:
    """A cell as a shipment row reads it: cleaned by the reader, stripped by the row."""
    return clean_cell(cell).strip()


class _Window:
    """A binary stream from its current position, for pyarrow (which wants a file object)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.closed = False

    def read(self, size: int = -1) -> bytes:
        data: bytes = self._stream.read(size)
        return data

    def close(self) -> None:
        self.closed = True
