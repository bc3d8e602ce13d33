"""A list update: fetch a published list, parse it, keep its ids stable, store it, and say what
changed and whether screening now uses it.

The one pipeline behind `uflpa lists update` (and, later, a service route and a scheduled
monitor): nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass

from uflpa.lists.base import parse_list
from uflpa.lists.fetch import fetch
from uflpa.lists.history import ListDiff, diff
from uflpa.lists.reconcile import reconcile
from uflpa.model import ListVersion
from uflpa.settings import Settings
from uflpa.store import ListStore


@dataclass(frozen=True, slots=True)
class ListUpdate:
    """What an update did. `previous` is the version screening used before (None for a list's
    first version); `changes` is None when nothing new was stored. `in_use` is False when the new
    version is stored but screening keeps another (a bundled snapshot never outranks an official
    list published after it; see `uflpa.store`): `in_use_id` then names the one it keeps."""

    version: ListVersion
    origin: str
    created: bool
    previous: ListVersion | None
    changes: ListDiff | None
    in_use: bool
    in_use_id: str


def update_list(
    source_ref: str,
    *,
    source: str | None = None,
    timeout: float = 30.0,
    settings: Settings | None = None,
) -> ListUpdate:
    """Fetch `source_ref` (a URL or a file), parse it with `source` (or the parser that knows its
    format), give its entities the ids they had before, and store it."""
    settings = settings or Settings.from_env()
    data, origin = fetch(source_ref, timeout=timeout)
    parsed = parse_list(data, origin, source=source)
    with ListStore(settings.db_path) as store:
        # Ids come from the latest version first, then from older ones (newest first).
        known = store.all_versions(parsed.list_name)
        previous = store.latest(parsed.list_name)
        version = reconcile(parsed, known)
        version_id, created = store.ingest(version)
        latest = store.latest_record(parsed.list_name)
    in_use_id = latest["version_id"] if latest else version_id
    changes = diff(previous, version) if created and previous is not None else None
    return ListUpdate(
        version=version,
        origin=origin,
        created=created,
        previous=previous,
        changes=changes,
        in_use=in_use_id == version_id,
        in_use_id=in_use_id,
    )
