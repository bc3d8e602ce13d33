"""The lists a verdict is made against: chosen from the store, built into screeners, updated.

Every surface (the CLI today; a service, bulk engines and monitors later) gets its list here and
nowhere else: `open_lists` resolves `--lists` and `--list-version` against the store (seeded with
the bundled snapshot on first use), `screener_for` builds (once per process and version) the
matchers and the Screener over them, and `update_list` fetches, parses, reconciles and stores a
new version, which the next screening then uses (`uflpa.catalog.update`, imported on its own: it
is the only part that reaches the network code).
"""

from uflpa.catalog.screeners import matchers_for, screener_for
from uflpa.catalog.selection import LIST_ALIASES, ListSelection, ListSpec, parse_lists
from uflpa.catalog.stored import ListsInUse, open_lists

__all__ = [
    "LIST_ALIASES",
    "ListSelection",
    "ListSpec",
    "ListsInUse",
    "matchers_for",
    "open_lists",
    "parse_lists",
    "screener_for",
]
