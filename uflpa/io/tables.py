"""Open a user's party list or shipment file as a stream of `Record`s and `RowIssue`s.

`open_table` does everything that can fail for the whole file up front (missing or empty file,
unknown format, undecodable header, missing required column) and raises `InputError` naming the
file, so that nothing is screened from a file that cannot be read. Iterating the returned `Table`
then yields, in input order and in constant memory, exactly one item per non-blank data row: a
`Record` when the row is usable, a `RowIssue` saying which row and cell is wrong otherwise.
Hence ``records + issues == data rows``. Blank rows (no value in any cell) are not data: they
yield nothing, but row numbers still count them so that they match the file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from uflpa.errors import InputError
from uflpa.io.columns import map_columns
from uflpa.io.delimited import DelimitedSource
from uflpa.io.formats import sniff_kind
from uflpa.io.hints import ALL, Hints
from uflpa.io.limits import field_bound, too_long
from uflpa.io.parquet import ParquetSource
from uflpa.io.records import Record, RowIssue, clean_cell, clip
from uflpa.io.sources import RawRow, RowSource
from uflpa.io.workbook import WorkbookSource
from uflpa.settings import MAX_FIELD_CHARS


class Table:
    """An opened user file: what was detected, which header feeds which column, and its rows.

    `format` is 'csv', 'tsv', 'xlsx' or 'parquet'; `encoding` the detected or given text
    encoding (None for binary formats); `columns` maps each canonical column found to the header
    it was read from; `notes` are remarks worth showing the user (detected encoding, delimiter,
    ignored duplicate headers). Iterating reads the file again each time.
    """

    def __init__(
        self,
        source: RowSource,
        *,
        path: str,
        columns: dict[str, str],
        positions: dict[str, int],
        required: Sequence[str],
        wanted: Sequence[str],
        notes: Sequence[str],
        max_field: int = MAX_FIELD_CHARS,
        unused: Sequence[str] = (),
    ) -> None:
        self._source = source
        #: The longest value read, in characters (`uflpa.io.limits`).
        self.max_field = max_field
        self._positions = positions
        self._required = [c for c in required if c in positions]
        # (canonical name, position in the row or -1 when the file lacks the column)
        self._slots = [(name, positions.get(name, -1)) for name in wanted]
        self.path = path
        self.format = source.format
        self.encoding = source.encoding
        self.delimiter = source.delimiter
        self.sheet = source.sheet
        self.header_row = source.header_row
        self.headers = tuple(source.headers)
        self.columns = columns
        self.notes = tuple(notes)
        #: The file's columns nothing reads ('column N (no header)' for a blank header).
        self.unused_columns = tuple(unused)

    def __iter__(self) -> Iterator[Record | RowIssue]:
        """One `Record` or one `RowIssue` per non-blank data row, in file order.

        Blank rows (no value in any cell: empty lines, ``,,,`` lines, empty sheet rows) are not
        data and yield nothing; row numbers still count them. If the file turns out damaged
        part-way (a truncated download), `InputError` is raised naming the last row read; the
        items already yielded stand.
        """
        wanted = sorted(set(self._positions.values()))
        for raw in self._source.rows(wanted):
            yield self.judge(raw)

    def __repr__(self) -> str:
        return f"Table({self.path!r}, format={self.format!r}, encoding={self.encoding!r})"

    @property
    def source(self) -> RowSource:
        """The format's reader (a columnar reader reads some files faster: `uflpa.bulk`)."""
        return self._source

    @property
    def positions(self) -> dict[str, int]:
        """Canonical column -> its 0-based position among the headers."""
        return dict(self._positions)

    def judge(self, raw: RawRow) -> Record | RowIssue:
        """One raw row as a `Record` (cells mapped and cleaned) or a `RowIssue`: the same for
        every reader of the file."""
        if raw.problem is not None:
            return self._issue(raw, raw.column, raw.problem)
        cells = raw.cells
        if "\x00" in raw.raw:
            index = next((i for i, cell in enumerate(cells) if "\x00" in cell), None)
            return self._issue(
                raw, index, "contains a NUL byte (\\x00): the row is probably corrupted"
            )
        width = len(cells)
        bound = self.max_field
        for _, at in self._slots:
            if 0 <= at < width and len(cells[at]) > bound and len(clean_cell(cells[at])) > bound:
                return self._issue(raw, at, too_long(len(clean_cell(cells[at])), bound))
        values = {
            name: clean_cell(cells[at]) if 0 <= at < width else "" for name, at in self._slots
        }
        for name in self._required:
            if not values[name]:
                break
        else:
            return Record(row=raw.row, values=values)
        empty = [name for name in self._required if not values[name]]
        if empty:
            listed = ", ".join(repr(self.columns[name]) for name in empty)
            what = "required value is" if len(empty) == 1 else "required values are"
            return self._issue(raw, self._positions[empty[0]], f"{what} empty ({listed})")
        return Record(row=raw.row, values=values)

    def _issue(self, raw: RawRow, index: int | None, reason: str) -> RowIssue:
        column = None
        if index is not None and 0 <= index < len(self.headers):
            column = self.headers[index] or f"column {index + 1}"
        return RowIssue(
            file=self.path,
            row=raw.row,
            column=column,
            reason=reason,
            raw=clip(raw.raw),
            id=self._id_of(raw, index),
        )

    def _id_of(self, raw: RawRow, fault: int | None) -> str | None:
        """The row's id cell, when it can be trusted: not the cell at fault, and, in a row the
        format could not split (a stray delimiter or quote shifts the cells after it), only
        when the id is the first cell."""
        at = self._positions.get("id")
        if at is None or at >= len(raw.cells) or at == fault:
            return None
        if raw.problem is not None and at != 0:
            return None
        return clean_cell(raw.cells[at]) or None


def open_table(
    path: str | Path,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    aliases: Mapping[str, Sequence[str]] | None = None,
    column_map: Mapping[str, str] | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    name: str | None = None,
    max_field: int | None = None,
    exclusive: Sequence[str] = (),
    hints: Hints = ALL,
) -> Table:
    """Open `path` (CSV/TSV/TXT, optionally gzipped, XLSX or Parquet) for the given columns.

    `aliases` gives accepted header spellings per canonical column (compared without case,
    spaces, underscores or hyphens); `column_map` is the user's explicit canonical -> header
    mapping (``--column name="Supplier Name"``) and wins over aliases. `encoding` overrides
    detection for text files; `sheet` picks a worksheet by name or 1-based number; `name` is how
    messages and rows name the file when it is not its path (stdin spooled to a temporary file).

    `max_field` bounds the length of every value read, in characters (default: UFLPA_MAX_FIELD_CHARS
    or `uflpa.settings.MAX_FIELD_CHARS`); a row with a longer value is a `RowIssue`.

    `exclusive` names the party columns (`FileColumns.exclusive`) for which a second header that
    could be the same column is a `UsageError` rather than a silent choice.

    `hints` says which fixes the caller offers (`--column`, `--encoding`), so that messages
    never name an option the command reading the file lacks (`uflpa.io.hints`).

    Raises `InputError` for any problem that stops the whole file; a header-only file is not an
    error and yields no rows.
    """
    bound = field_bound(max_field)
    file = name or str(path)
    p = Path(path)
    head = _head(p, file)
    kind = sniff_kind(p, head)
    source: RowSource
    if kind.format == "xlsx":
        source = WorkbookSource(p, sheet=sheet, file=file)
    elif kind.format == "parquet":
        source = ParquetSource(p, file=file)
    else:
        source = DelimitedSource(
            p, kind, encoding=encoding, file=file, max_field=bound, hints=hints
        )
    mapping = map_columns(
        source.headers,
        file=file,
        required=required,
        optional=optional,
        aliases=aliases,
        column_map=column_map,
        exclusive=exclusive,
        hints=hints,
    )
    return Table(
        source,
        path=file,
        columns=mapping.columns,
        positions=mapping.positions,
        required=required,
        wanted=list(dict.fromkeys([*required, *optional])),
        notes=[*source.notes, *mapping.notes],
        max_field=bound,
        unused=mapping.unused,
    )


def _head(path: Path, file: str) -> bytes:
    try:
        with path.open("rb") as stream:
            head = stream.read(4096)
    except FileNotFoundError:
        raise InputError("no such file", file=file) from None
    except IsADirectoryError:
        raise InputError("this is a directory, not a file", file=file) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", file=file) from None
    if not head:
        raise InputError("the file is empty (0 bytes)", file=file)
    return head
