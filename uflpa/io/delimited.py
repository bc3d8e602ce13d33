"""Delimited text files (CSV, TSV, semicolon, pipe; optionally gzipped) as a row source.

Opening one decides, from a sample, the encoding (`uflpa.io.encodings`), the line ending and the
delimiter, refuses binary content, and reads the header; `rows()` then streams the records after
the header (`uflpa.io.text_lines`, `uflpa.io.text_records`) in constant memory.
"""

from __future__ import annotations

import codecs
import gzip
import os
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from uflpa.errors import InputError
from uflpa.io.encodings import SAMPLE_SIZE, Detection, detect_encoding, explain, resolve_encoding
from uflpa.io.formats import Kind
from uflpa.io.hints import ALL, Hints
from uflpa.io.limits import line_bytes, line_too_long
from uflpa.io.records import clean_cell
from uflpa.io.sources import RawRow
from uflpa.io.text_lines import iter_lines
from uflpa.io.text_records import field_count, parse_records
from uflpa.settings import MAX_FIELD_CHARS

#: Delimiters tried when sniffing, in order of preference on a tie.
CANDIDATES = (",", "\t", ";", "|")
#: Files up to this size are examined whole for their encoding; larger ones by their first
#: `WHOLE_SAMPLE` bytes plus `_EXTRA_CHUNKS` chunks spread over the rest (constant cost).
WHOLE_SAMPLE = 1024 * 1024
_EXTRA_CHUNKS = 8
_EXTRA_SAMPLE = 32 * 1024
_NAMES = {",": "comma", "\t": "tab", ";": "semicolon", "|": "pipe"}


class DelimitedSource:
    """A delimited text file whose encoding, delimiter and header are known."""

    format: str
    sheet: str | None = None

    def __init__(
        self,
        path: Path,
        kind: Kind,
        *,
        encoding: str | None,
        file: str,
        max_field: int = MAX_FIELD_CHARS,
        hints: Hints = ALL,
    ) -> None:
        self.path = path
        self.file = file
        self.max_field = max_field
        self.gzip = kind.gzip
        self.notes: list[str] = []
        head, extra, complete = self._sample()
        if not head:
            raise InputError("the file is empty (0 bytes)", file=file)
        self.detection = (
            replace(resolve_encoding(encoding, head), hints=hints)
            if encoding
            else detect_encoding(head, extra, complete=complete, hints=hints)
        )
        self.encoding: str | None = self.detection.name
        self.decision = explain(self.detection)
        if not encoding and (self.detection.codec != "utf-8" or self.detection.doubt):
            self.notes.append(f"encoding: {self.decision}")
        codec = self.detection.codec
        self.newline = "\n".encode(codec)
        body = head[len(self.detection.bom) : SAMPLE_SIZE]
        complete = complete and len(head) <= SAMPLE_SIZE
        if self.newline not in body and "\r".encode(codec) in body:
            self.newline = "\r".encode(codec)  # classic Mac line ends (old Excel for Mac)
        text = _sample_text(body, self.detection, complete=complete)
        self.delimiter = sniff_delimiter(text, prefer_tab=kind.suffix in (".tsv", ".tab"))
        self.format = "tsv" if self.delimiter == "\t" else "csv"
        self._read_header()

    def rows(self, wanted: Sequence[int]) -> Iterator[RawRow]:
        """Data rows after the header (re-reads the file on every call)."""
        last = self.header_row
        try:
            with self._open() as stream:
                stream.seek(self.data_offset)
                lines = iter_lines(
                    stream,
                    self.detection,
                    self.newline,
                    offset=self.data_offset,
                    number=self.data_line,
                    file=self.file,
                    # A line too long for values within the bound is skipped as it is read.
                    max_bytes=line_bytes(self.max_field, len(self.raw_headers)),
                    too_long=self._too_long,
                )
                for record in parse_records(lines, self.delimiter, self.raw_headers):
                    last = record.row
                    yield record
        except (OSError, EOFError, zlib.error) as exc:
            # A truncated download or a damaged gzip member: stop, saying how far it got.
            raise InputError(
                f"the file cannot be read past row {last}: {exc}", file=self.file, row=last
            ) from None

    def _too_long(self, size: int, limit: int) -> str:
        return line_too_long(size, limit, self.max_field)

    def _open(self) -> BinaryIO:
        try:
            if self.gzip:
                return gzip.open(self.path, "rb")  # type: ignore[return-value]
            return open(self.path, "rb")
        except OSError as exc:
            raise InputError(
                f"cannot open the file: {exc.strerror or exc}", file=self.file
            ) from None

    def _sample(self) -> tuple[bytes, list[bytes], bool]:
        """The first bytes, a few later chunks cut at line ends, and whether `head` is whole.

        A file's Chinese rows may come after thousands of ASCII ones, so a large file is sampled
        over its whole length, not only at the start.
        """
        try:
            with self._open() as stream:
                head = stream.read(WHOLE_SAMPLE)
                more = stream.read(1)
                if not more:
                    return head, [], True
                cut = head.rfind(b"\n")
                complete = cut > 0
                if complete:
                    head = head[: cut + 1]
                extra = [] if self.gzip else _later_chunks(stream, os.path.getsize(self.path))
                return head, extra, complete
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(f"cannot read the file: {exc}", file=self.file) from None

    def _read_header(self) -> None:
        with self._open() as stream:
            stream.seek(len(self.detection.bom))
            lines = iter_lines(
                stream,
                self.detection,
                self.newline,
                offset=len(self.detection.bom),
                number=1,
                file=self.file,
            )
            header = next(parse_records(lines, self.delimiter, None), None)
        if header is None:
            raise InputError(
                "the file has no header row: it contains only blank lines", file=self.file
            )
        if header.problem:
            raise InputError(
                f"the header row cannot be read: {header.problem}",
                file=self.file,
                row=header.row,
            )
        # Binary files decode to something under a single-byte code page; their first "line"
        # is full of control characters, which no real header has. Data rows with a stray
        # control character are only row issues.
        if any(_is_control(ch) for ch in header.raw):
            raise InputError(
                "the header row contains control characters: this does not look like a text "
                "table (a binary file, or UTF-16 without a byte-order mark? "
                f"{self.detection.hints.name_encoding()})",
                file=self.file,
                row=header.row,
            )
        self.header_row = header.row
        self.raw_headers = header.cells
        self.headers = [clean_cell(cell) for cell in header.cells]
        self.data_offset = header.end
        self.data_line = header.last + 1
        if self.delimiter is not None and self.delimiter != ",":
            self.notes.append(f"delimiter: {_NAMES[self.delimiter]}")
        elif self.delimiter is None:
            self.notes.append("one column (no delimiter in the header): each line is one value")


def sniff_delimiter(text: str, *, prefer_tab: bool = False) -> str | None:
    """Pick the delimiter from the sampled text: present in the header, steady in the rows.

    None means the header has no candidate delimiter: a one-column file, each line one value
    (company names with commas in them stay whole).
    """
    lines = [line for line in text.split("\n") if line.strip()][:50]
    if not lines:
        return "\t" if prefer_tab else ","
    header, rows = lines[0], lines[1:]
    order = ("\t", *(c for c in CANDIDATES if c != "\t")) if prefer_tab else CANDIDATES
    best: tuple[float, int, int] | None = None
    choice: str | None = None
    for rank, delimiter in enumerate(order):
        width = field_count(header, delimiter)
        if width < 2:
            continue
        steady = (
            sum(1 for row in rows if field_count(row, delimiter) == width) / len(rows)
            if rows
            else 1.0
        )
        score = (steady, width, -rank)
        if prefer_tab and delimiter == "\t":
            score = (2.0, width, 0)  # the extension says tabs, and the header has them
        if best is None or score > best:
            best, choice = score, delimiter
    return choice


def _sample_text(body: bytes, detection: Detection, *, complete: bool) -> str:
    decoder = codecs.getincrementaldecoder(detection.codec)(errors="replace")
    text: str = decoder.decode(body, final=complete)
    if not complete and "\n" in text:
        text = text[: text.rindex("\n") + 1]  # drop the line the sample cut through
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_control(ch: str) -> bool:
    o = ord(ch)
    return (o < 32 and ch not in "\t\n") or 0x7F <= o <= 0x9F


def _later_chunks(stream: BinaryIO, size: int) -> list[bytes]:
    """Whole lines from the middle and the end of a large file, for encoding detection."""
    chunks = []
    starts = [size * k // (_EXTRA_CHUNKS + 1) for k in range(1, _EXTRA_CHUNKS + 1)]
    for at in [*starts, max(size - _EXTRA_SAMPLE, 0)]:
        stream.seek(at)
        data = stream.read(_EXTRA_SAMPLE)
        first, last = data.find(b"\n"), data.rfind(b"\n")
        if 0 <= first < last:
            chunks.append(data[first + 1 : last + 1])
    return chunks
