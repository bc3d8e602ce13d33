"""What several commands share: reading a date option, and the bundled list's matcher."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from uflpa.errors import UsageError

if TYPE_CHECKING:
    from uflpa.match import Matcher


def parse_date(text: str | None, option: str = "--as-of") -> date | None:
    """An ISO date from the command line, or None; a bad date is a one-line usage error."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{option}: not a valid date {text!r} (expected YYYY-MM-DD)") from None


def parse_day(text: str | None, option: str = "--as-of") -> date:
    """Like `parse_date`, but today when the option is not given."""
    return parse_date(text, option) or date.today()


@lru_cache(maxsize=1)
def bundled_matcher() -> Matcher:
    """The bundled list's matcher, built once per process (the list and indexes are immutable)."""
    from uflpa.match import Matcher

    return Matcher.bundled()
