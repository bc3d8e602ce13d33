"""How long a value read from a user's file may be, and what is said of one that is longer.

A name, an address or any other cell longer than the bound (`uflpa.settings.MAX_FIELD_CHARS`,
or UFLPA_MAX_FIELD_CHARS) is not screened: its row is reported as too long, naming the file,
row, column and length, so that a damaged or hostile file costs neither a silent `clear` nor
unbounded time and memory. A text line is also bounded in bytes (`line_bytes`), so that a
100 MB cell is skipped as it is read, never held whole.
"""

from __future__ import annotations

from uflpa.errors import UsageError
from uflpa.settings import MAX_FIELD_ENV, max_field_chars

#: A line of a text file may hold at least this many bytes, whatever the bound.
MIN_LINE_BYTES = 1024 * 1024
#: Bytes a character may take in the file (UTF-8: up to 4), and a quoted value doubled quotes.
_BYTES_PER_CHAR = 8


def field_bound(given: int | None = None) -> int:
    """The bound on a value's length in characters: `given`, else the environment's, else the
    default. A bound that is not a positive whole number is a usage error."""
    if given is not None:
        if given < 1:
            raise UsageError(f"the bound on a value's length must be positive, not {given}")
        return given
    try:
        return max_field_chars()
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def line_bytes(bound: int, columns: int) -> int:
    """Longest line of a text file with `columns` columns whose values all keep the bound: a
    longer line has a value too long, and is skipped as it is read."""
    return max(MIN_LINE_BYTES, _BYTES_PER_CHAR * bound * max(columns, 1))


def too_long(length: int, bound: int) -> str:
    """The reason given for a value of `length` characters."""
    return (
        f"value too long: {length:,} characters, more than the {bound:,} a value may have "
        f"({MAX_FIELD_ENV}); the row is not screened"
    )


def line_too_long(length: int, limit: int, bound: int) -> str:
    """The reason given for a text line of `length` bytes, skipped unread past `limit` bytes."""
    return (
        f"value too long: the row is {length:,} bytes, more than the {limit:,} a row of this "
        f"file may have with values of at most {bound:,} characters ({MAX_FIELD_ENV}); the "
        "value starting in this column was not read, and the row is not screened"
    )
