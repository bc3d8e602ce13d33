"""Physical lines grouped into records and split into fields: the CSV grammar, made robust.

Why not the `csv` module: an unterminated quote makes it swallow every following line into one
field without a word. Here a quoted field may continue over at most `MAX_RECORD_LINES` lines; if
it does not close there, or closing it leaves the record with the wrong number of fields, the
line that opened it is reported and the lines after it are read again as records of their own.

Quoting follows RFC 4180 ("" is a quote inside a quoted field) with two lenient readings that
keep what the writer meant: a quote inside a quoted field that is not followed by the delimiter
is kept as a character when a real closing quote follows on the line (``"Acme "Best" Ltd",CN``),
and a field that only *starts* with a quote is kept as written when nothing on the line could
close it (``"Best" Trading Co,CN``).

Blank lines, and lines whose cells are all empty (``,,,`` left by Excel), are not records: they
carry no data. Row numbers still count them, as an editor does.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator, Sequence

from uflpa.io.records import clean_cell
from uflpa.io.sources import RawRow
from uflpa.io.text_lines import Line

QUOTE = '"'
#: A quoted field may span this many lines (addresses, notes) before it is judged broken.
MAX_RECORD_LINES = 200
MAX_RECORD_CHARS = 256 * 1024
#: Lines read ahead for quoted fields that then proved broken (and were read again). Past this,
#: a file is full of stray quotes and looking ahead from each would make reading quadratic, so
#: a quote must close on its own line.
WASTE_LIMIT = 100_000


def parse_records(
    lines: Iterator[Line], delimiter: str | None, header: Sequence[str] | None
) -> Iterator[RawRow]:
    """Group physical lines into records and split them into fields.

    `header` is the header's fields (None while reading the header itself): a record must have
    as many fields, except that trailing fields under blank headers may be left out and extra
    trailing fields may be empty. A record with the wrong field count, broken quoting or
    undecodable bytes comes back with `problem` set; blank records are skipped.
    """
    width = _Width.of(header)
    pending: deque[Line] = deque()
    wasted = 0

    def pull() -> Line | None:
        return pending.popleft() if pending else next(lines, None)

    while (line := pull()) is not None:
        if line.overflow:
            yield _overflowed(line, delimiter)
            continue
        text = line.text
        if delimiter is None:
            if clean_cell(text) or line.error:
                yield _check(line.number, [_unquote(text)], text, line, None, line.error)
            continue
        if QUOTE not in text:
            fields = text.split(delimiter)
            if line.error is None and is_blank(fields):
                continue
            if line.error is None and width is not None and len(fields) == width.expected:
                yield RawRow(line.number, fields, text, None, None, line.end, line.number)
            else:
                yield _check(line.number, fields, text, line, width, line.error)
            continue
        scanner = _Scanner(delimiter)
        scanner.feed(text)
        if not scanner.open:
            if is_blank(scanner.fields) and not line.error:
                continue
            yield _check(line.number, scanner.fields, text, line, width, line.error)
            continue
        consumed = [line]
        size = len(text)
        lookahead = MAX_RECORD_LINES if wasted < WASTE_LIMIT else 1
        while scanner.open and len(consumed) < lookahead and size < MAX_RECORD_CHARS:
            nxt = pull()
            if nxt is None:
                break
            consumed.append(nxt)
            size += len(nxt.text)
            scanner.feed(nxt.text)
        last = consumed[-1]
        misfit = width is not None and not width.fits(scanner.fields)
        swallowed = (
            not scanner.open
            and not misfit
            and width is not None
            and _swallowed_rows(consumed, delimiter, width)
        )
        if scanner.open or swallowed or (misfit and _stray_quote(consumed[1:], delimiter, width)):
            # Broken quoting: report the opening line, then read the lines after it afresh.
            pending.extendleft(reversed(consumed[1:]))
            wasted += len(consumed) - 1
            yield RawRow(
                row=line.number,
                cells=[],
                raw=text,
                problem=_quote_problem(scanner, consumed, width, lookahead, swallowed=swallowed),
                column=scanner.opened_field,
                end=line.end,
                last=line.number,
            )
            continue
        raw = "\n".join(x.text for x in consumed)
        error = next((x.error for x in consumed if x.error), None)
        if is_blank(scanner.fields) and not error:
            continue
        record = _check(line.number, scanner.fields, raw, last, width, error)
        if record.problem and not error:
            record.problem += f" (the record spans lines {line.number}-{last.number})"
        yield record


def _overflowed(line: Line, delimiter: str | None) -> RawRow:
    """A line too long to read (`Line.overflow`): reported at the value its kept start ends in."""
    column = 0
    if delimiter is not None:
        scanner = _Scanner(delimiter)
        scanner.feed(line.text)
        column = (scanner.opened_field or 0) if scanner.open else len(scanner.fields) - 1
    return RawRow(
        row=line.number,
        cells=[],
        raw=line.text,
        problem=line.error,
        column=column,
        end=line.end,
        last=line.number,
    )


def _stray_quote(rest: list[Line], delimiter: str, width: _Width | None) -> bool:
    """Whether the lines a quoted field spanned are whole records on their own.

    A record that closes its quote on a later line but has the wrong field count is either one
    multi-line record with a field too many or too few (its continuation lines are fragments,
    such as the second line of an address) or a stray opening quote that glued whole rows
    together (each continuation line is a complete row). Only the second is split up again.
    """
    if width is None:
        return False
    for line in rest:
        scanner = _Scanner(delimiter)
        scanner.feed(line.text)
        if not is_blank(scanner.fields) and (scanner.open or not width.fits(scanner.fields)):
            return False
    return True


def _swallowed_rows(consumed: list[Line], delimiter: str, width: _Width) -> bool:
    """Whether a quoted value that spans lines and leaves a record of the right width is really
    a stray quote that a later row closed, swallowing whole rows.

    The value would have to hold rows of the file: the opening line, its quote read as a plain
    character, has the header's field count, and so does each line after it read on its own
    (closed, not blank, a first cell). One such line may be a coincidence (an address with
    commas in it), so it counts only when its first cell has the shape of the opening line's (an
    id: ``P-001`` and ``P-002``); two or more are taken as rows.
    """
    first, rest = consumed[0], consumed[1:]
    opening = _Scanner(delimiter)
    opening.feed(first.text)
    before = opening.fields[: opening.opened_field or 0]
    inside = "".join(opening.buf)
    if not width.fits([*before, *inside.split(delimiter)]):
        return False
    head = before[0] if before else inside.split(delimiter)[0]
    firsts = []
    for line in rest:
        scanner = _Scanner(delimiter)
        scanner.feed(line.text)
        fields = scanner.fields
        if scanner.open or not width.fits(fields) or not fields or not clean_cell(fields[0]):
            return False
        firsts.append(clean_cell(fields[0]))
    if len(rest) >= 2:
        return True
    shape = _id_shape(clean_cell(head))
    return shape is not None and all(_id_shape(cell) == shape for cell in firsts)


_DIGITS = re.compile(r"[0-9]+")
_LETTERS = re.compile(r"[A-Za-z]+")


def _id_shape(cell: str) -> str | None:
    """``P-001`` -> ``A-9``: the shape of an id-like cell (digits, no spaces), else None."""
    if not cell or len(cell) > 40 or not any(ch.isdigit() for ch in cell):
        return None
    if any(ch.isspace() for ch in cell):
        return None
    return _LETTERS.sub("A", _DIGITS.sub("9", cell))


class _Scanner:
    """Splits one record into fields, fed one physical line at a time.

    `open` is True while a quoted field continues past the end of the fed line.
    """

    __slots__ = ("buf", "delimiter", "fields", "open", "opened_field")

    def __init__(self, delimiter: str) -> None:
        self.delimiter = delimiter
        self.fields: list[str] = []
        self.buf: list[str] = []
        self.open = False
        self.opened_field: int | None = None

    def feed(self, text: str) -> None:
        n = len(text)
        if self.open:
            self.buf.append("\n")
            i = self._quoted(text, 0, -1)
            if i < 0 or i > n:
                return
        else:
            i = 0
        d = self.delimiter
        fields = self.fields
        while True:
            if i < n and text[i] == QUOTE:
                self.open = True
                self.opened_field = len(fields)
                i = self._quoted(text, i + 1, i)
                if i < 0 or i > n:
                    return
                continue
            j = text.find(d, i)
            if j < 0:
                fields.append(text[i:])
                return
            fields.append(text[i:j])
            i = j + 1

    def _quoted(self, text: str, i: int, start: int) -> int:
        """Read a quoted field from `i`; `start` is its opening quote on this line (or -1).

        Returns -1 while the field stays open at the end of the line, len(text) + 1 when the
        record ends with it, else the index where the next field starts.
        """
        n = len(text)
        d = self.delimiter
        buf = self.buf
        while True:
            j = text.find(QUOTE, i)
            if j < 0:
                buf.append(text[i:])
                return -1
            buf.append(text[i:j])
            k = j + 1
            if k < n and text[k] == QUOTE:
                buf.append(QUOTE)
                i = k + 1
                continue
            m = k
            while m < n and text[m] == " " and d != " ":
                m += 1
            if m == n or text[m] == d:
                self._close("".join(buf))
                return n + 1 if m == n else m + 1
            if start < 0 or _closes_later(text, k, d):
                buf.append(QUOTE)  # a stray quote inside the value
                i = k
                continue
            # Only the start of the field was a quote: keep the field as written.
            e = text.find(d, k)
            self._close(text[start:] if e < 0 else text[start:e])
            return n + 1 if e < 0 else e + 1

    def _close(self, value: str) -> None:
        self.fields.append(value)
        self.buf.clear()
        self.open = False


def _closes_later(text: str, i: int, delimiter: str) -> bool:
    """True when a quote at or after `i` is followed by the delimiter or the end of the line."""
    n = len(text)
    p = text.find(QUOTE, i)
    while p >= 0:
        q = p + 1
        if q < n and text[q] == QUOTE:
            p = text.find(QUOTE, q + 1)
            continue
        while q < n and text[q] == " ":
            q += 1
        if q == n or text[q] == delimiter:
            return True
        p = text.find(QUOTE, p + 1)
    return False


def _unquote(text: str) -> str:
    stripped = text.strip()
    if len(stripped) >= 2 and stripped[0] == QUOTE and stripped[-1] == QUOTE:
        return stripped[1:-1].replace('""', QUOTE)
    return text


def is_blank(fields: list[str]) -> bool:
    """A record with no value in any cell is not a data row (it still counts in row numbers)."""
    for field in fields:  # noqa: SIM110 - a plain loop is faster, and this runs for every row
        if field and clean_cell(field):
            return False
    return True


class _Width:
    """How many fields a data record may have, given the header."""

    __slots__ = ("expected", "minimum")

    def __init__(self, expected: int, minimum: int) -> None:
        self.expected = expected
        self.minimum = minimum

    @classmethod
    def of(cls, header: Sequence[str] | None) -> _Width | None:
        if header is None:
            return None
        named = [i for i, h in enumerate(header) if clean_cell(h)]
        return cls(len(header), named[-1] + 1 if named else len(header))

    def fits(self, fields: list[str]) -> bool:
        n = len(fields)
        if n == self.expected:
            return True
        # Fields under trailing blank headers may be missing; extra trailing fields that are
        # empty are trailing delimiters, not misplaced data.
        return n >= self.minimum and (n < self.expected or is_blank(fields[self.expected :]))

    def describe(self) -> str:
        if self.minimum < self.expected:
            return f"{self.minimum} to {self.expected}"
        return str(self.expected)


def _check(
    row: int, fields: list[str], raw: str, last: Line, width: _Width | None, error: str | None
) -> RawRow:
    record = RawRow(row=row, cells=fields, raw=raw, end=last.end, last=last.number)
    if error:
        record.problem = error
        record.column = next((i for i, f in enumerate(fields) if "\ufffd" in f), None)
        if record.column is None:  # text in another encoding: the first cell that holds some
            record.column = next((i for i, f in enumerate(fields) if not f.isascii()), None)
    elif width is not None and not width.fits(fields):
        got = len(fields)
        hint = ""
        if got > width.expected:
            hint = "; a value probably contains an unquoted delimiter"
        record.problem = f"expected {width.describe()} fields, got {got}{hint}"
    elif width is not None and len(fields) > width.expected:
        del fields[width.expected :]
    return record


def _quote_problem(
    scanner: _Scanner,
    consumed: list[Line],
    width: _Width | None,
    lookahead: int,
    *,
    swallowed: bool = False,
) -> str:
    field = (scanner.opened_field or 0) + 1
    if scanner.open and lookahead == 1:
        what = (
            f"a quote opened in field {field} is not closed on this line (after so many broken "
            "quotes, values spanning lines are no longer followed in this file)"
        )
    elif scanner.open:
        if (
            len(consumed) >= MAX_RECORD_LINES
            or sum(len(x.text) for x in consumed) >= MAX_RECORD_CHARS
        ):
            where = f"within {len(consumed)} lines"
        else:
            where = "before the end of the file"
        what = f"a quote opened in field {field} is never closed {where}"
    elif swallowed:
        what = (
            f"a quote opened in field {field} closes only on line {consumed[-1].number}, and the "
            f"{len(consumed) - 1} line(s) up to there each look like a whole row "
            f"({width.describe() if width else '?'} fields), not like parts of one value"
        )
    else:
        what = (
            f"a quote opened in field {field} closes only on line {consumed[-1].number}, "
            f"which leaves {len(scanner.fields)} fields instead of "
            f"{width.describe() if width else '?'}"
        )
    if width is None:  # the header: nothing after it can be trusted
        return f"broken quoting: {what}"
    return (
        f"broken quoting: {what}; this line is skipped and the lines after it are read on their own"
    )


def field_count(line: str, delimiter: str) -> int:
    """Fields on one line on its own (a quote left open counts as one more field)."""
    if QUOTE not in line:
        return line.count(delimiter) + 1
    scanner = _Scanner(delimiter)
    scanner.feed(line)
    return len(scanner.fields) + (1 if scanner.open else 0)
