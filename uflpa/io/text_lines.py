"""A text file as physical lines, each decoded on its own.

Decoding line by line is what lets one bad byte cost one row (reported with its byte offset)
instead of the whole file, and keeps memory constant however large the file is. Splitting on the
encoded newline is safe for every supported encoding: in UTF-8, GB18030, Big5 and the single-byte
code pages the newline byte never occurs inside a multi-byte character, and for UTF-16/32 a match
counts only on a code-unit boundary.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
from typing import BinaryIO

from uflpa.errors import InputError
from uflpa.io.encodings import Detection, foreign_problem, foreign_text

#: A "line" longer than this means the file is not one record per line at all.
MAX_LINE_BYTES = 32 * 1024 * 1024
_CHUNK = 1024 * 1024


class Line:
    """One physical line: 1-based `number`, byte `offset` of its start and `end` after it."""

    __slots__ = ("end", "error", "number", "offset", "overflow", "text")

    def __init__(
        self,
        number: int,
        offset: int,
        end: int,
        text: str,
        error: str | None,
        overflow: bool = False,
    ) -> None:
        self.number = number
        self.offset = offset
        self.end = end
        self.text = text
        self.error = error
        #: The line was longer than the reader's bound: `text` is only its start, and `error`
        #: says so (`uflpa.io.limits`).
        self.overflow = overflow


def iter_lines(
    stream: BinaryIO,
    detection: Detection,
    newline: bytes,
    *,
    offset: int,
    number: int,
    file: str,
    max_bytes: int = MAX_LINE_BYTES,
    too_long: Callable[[int, int], str] | None = None,
) -> Iterator[Line]:
    """Physical lines decoded one by one; a line that does not decode carries an `error`.

    A line longer than `max_bytes` raises `InputError`, or, given `too_long` (the reason for a
    line of so many bytes, skipped past so many), is skipped as it is read and comes back as one
    `overflow` line holding only its start: memory stays bounded whatever the line's length.
    """
    step = len(newline)
    cr = "\r".encode(detection.codec)
    leftover = b""
    skipped: bytes | None = None  # the start of a line being skipped
    skipped_size = 0
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        if skipped is not None and too_long is not None:
            idx = _newline_in(chunk, newline, skipped_size)
            if idx < 0:
                skipped_size += len(chunk)
                continue
            skipped_size += idx
            end = offset + skipped_size + step
            yield _overflow(
                skipped, skipped_size, max_bytes, too_long, detection, number, offset, end
            )
            offset, number = end, number + 1
            skipped = None
            chunk = chunk[idx + step :]
        buf = leftover + chunk if leftover else chunk
        if step == 1:
            parts = buf.split(newline)
            leftover = parts.pop()
            for raw in parts:
                end = offset + len(raw) + 1
                for line in _lines(raw, detection, cr, number, offset, end):
                    yield line
                    number += 1
                offset = end
        else:
            pos = 0
            search = 0
            while (idx := buf.find(newline, search)) >= 0:
                if (idx - pos) % step:
                    search = idx + 1  # a match across two code units is not a line end
                    continue
                end = offset + (idx - pos) + step
                for line in _lines(buf[pos:idx], detection, cr, number, offset, end):
                    yield line
                    number += 1
                offset = end
                pos = search = idx + step
            leftover = buf[pos:]
        if len(leftover) > max_bytes:
            if too_long is not None:
                skipped, skipped_size, leftover = leftover[:max_bytes], len(leftover), b""
                continue
            raise InputError(
                f"line {number} is longer than {max_bytes // (1024 * 1024)} MB: "
                "this does not look like a table with one record per line",
                file=file,
                row=number,
            )
    if skipped is not None and too_long is not None:
        end = offset + skipped_size
        yield _overflow(skipped, skipped_size, max_bytes, too_long, detection, number, offset, end)
        return
    if leftover:
        yield from _lines(leftover, detection, cr, number, offset, offset + len(leftover))


def _newline_in(chunk: bytes, newline: bytes, before: int) -> int:
    """Where the first line end in `chunk` is, `before` bytes after the line's start; -1 if none.
    (For UTF-16/32 a match counts only on a code-unit boundary of the line.)"""
    step = len(newline)
    search = 0
    while (idx := chunk.find(newline, search)) >= 0:
        if (before + idx) % step == 0:
            return idx
        search = idx + 1
    return -1


def _overflow(
    start: bytes,
    size: int,
    limit: int,
    too_long: Callable[[int, int], str],
    detection: Detection,
    number: int,
    offset: int,
    end: int,
) -> Line:
    """A line skipped past `limit` bytes: its start (for the column at fault) and the reason."""
    decoder = codecs.getincrementaldecoder(detection.codec)(errors="replace")
    text: str = decoder.decode(start, final=False)
    return Line(number, offset, end, text, too_long(size, limit), overflow=True)


def _lines(
    raw: bytes, detection: Detection, cr: bytes, number: int, offset: int, end: int
) -> list[Line]:
    """The line(s) between two newlines: a lone CR inside also ends a line.

    A CR that is not part of CRLF ends a line for Excel, editors and people (old Mac files, a
    line break typed into a cell); read as part of a row, it would merge two rows into one. A
    value in quotes that holds a lone CR is joined again by the record parser (as a line break).
    """
    step = len(cr)
    first = raw.find(cr)
    if first < 0 or first == len(raw) - step:  # no CR, or only the CR of a CRLF
        return [_line(raw, detection, number, offset, end)]
    body = raw[:-step] if raw.endswith(cr) else raw
    out: list[Line] = []
    pos = search = 0
    while (idx := body.find(cr, search)) >= 0:
        if idx % step:
            search = idx + 1  # a match across two code units (UTF-16/32) is not a CR
            continue
        out.append(_line(body[pos:idx], detection, number, offset + pos, offset + idx + step))
        number += 1
        pos = search = idx + step
    out.append(_line(raw[pos:], detection, number, offset + pos, end))
    return out


def _line(raw: bytes, detection: Detection, number: int, offset: int, end: int) -> Line:
    error = None
    label = detection.name
    try:
        text = raw.decode(detection.codec)
    except UnicodeDecodeError as exc:
        text = raw.decode(detection.codec, errors="replace")
        bad = raw[exc.start : min(exc.end, exc.start + 8)].hex(" ")
        error = (
            f"cannot decode bytes 0x{bad} at byte offset {offset + exc.start} as {label} "
            f"(the file is read as {label}; if that is wrong, {detection.hints.name_encoding()})"
        )
    else:
        if detection.check_lines and not raw.isascii():
            kind = foreign_text(raw, detection)
            if kind is not None:
                error = foreign_problem(raw, detection, kind, offset)
    if text.endswith("\r"):
        text = text[:-1]
    return Line(number, offset, end, text, error)
