"""What several commands share: reading a date option, and the lists to screen against.

Every command that makes a verdict takes its lists from the store through `uflpa.catalog`
(`--lists`, `--list-version`), and says on stderr when a version it used is incomplete.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import typer

from uflpa.errors import UsageError

if TYPE_CHECKING:
    from uflpa.catalog import ListsInUse
    from uflpa.screening import Screener

LISTS_HELP = (
    "Lists to screen against, comma-separated (default: us-dhs-uflpa, the UFLPA Entity List): "
    "a stored list (csl, opensanctions:DATASET; see `uflpa lists history`), a programme of the "
    "Consolidated Screening List (us-bis-entity-list, us-ofac-sdn, us-bis-meu, "
    "us-bis-unverified, us-bis-denied-persons, us-ofac-cmic) or NAME:SECTION (csl:EL)."
)
LIST_VERSION_HELP = (
    "A stored list version to use instead of the latest: an id or hash prefix (`uflpa lists "
    "history`), a date YYYY-MM-DD (the version that was the latest on that day) or 'bundled' "
    "(the snapshot shipped with uflpa). Repeat for several lists."
)


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


def check_lengths(command: str, values: dict[str, str | list[str] | None]) -> None:
    """A command-line value longer than a file's value may be is a one-line usage error: the
    same bound (UFLPA_MAX_FIELD_CHARS) as for a cell of a file, so that a pasted megabyte costs
    neither minutes of matching nor memory, and a file and the command line agree."""
    from uflpa.io.limits import field_bound
    from uflpa.settings import MAX_FIELD_ENV

    bound = field_bound()
    for what, given in values.items():
        for value in given if isinstance(given, list) else [given]:
            if value is not None and len(value) > bound:
                raise UsageError(
                    f"{command} {what}: {len(value):,} characters, more than the {bound:,} a "
                    f"value may have ({MAX_FIELD_ENV} sets another bound)"
                )


def lists_in_use(lists: str | None, versions: list[str]) -> ListsInUse:
    """The list versions the options name, from the store; their caveats go to stderr."""
    from uflpa.catalog import ListSelection, open_lists

    in_use = open_lists(ListSelection.of(lists, versions))
    for caveat in in_use.caveats:
        typer.echo(f"caution: {caveat}", err=True)
    return in_use


def screener_factory(
    lists: str | None, versions: list[str], *, quiet: bool = False
) -> Callable[[], Screener]:
    """A callable building the run's Screener when the run is ready for it (after its input file
    is open). `quiet` leaves the caveats to the run's own summary."""

    def build() -> Screener:
        from uflpa.catalog import ListSelection, open_lists, screener_for

        if quiet:
            return screener_for(open_lists(ListSelection.of(lists, versions)))
        return screener_for(lists_in_use(lists, versions))

    return build
