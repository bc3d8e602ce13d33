"""A list update: fetch a published list, parse it, keep its ids stable, check it, store it, and
say what changed and whether screening now uses it.

The one pipeline behind `uflpa lists update`, the service's upload route and the monitor: nothing
here prints. Before a version becomes the latest it is checked against the version in use: a
source that would remove more than `max_removed_share` of its entities (a page DHS restructured
so that only one table is read, a truncated download) or that is dated before it (a stale mirror,
an old copy) is refused with `RefusedUpdate` and nothing is stored, unless `force`. Content
already stored becomes the latest again (DHS took a change back).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from uflpa.errors import RefusedUpdate, UsageError
from uflpa.lists.base import parse_list
from uflpa.lists.fetch import fetch
from uflpa.lists.history import ListDiff, diff
from uflpa.lists.reconcile import reconcile
from uflpa.model import ListVersion
from uflpa.settings import Settings
from uflpa.store import ListStore

#: The share of the entities in use a new version may remove before it is refused (10 %).
MAX_REMOVED_SHARE = 0.10


@dataclass(frozen=True, slots=True)
class ListUpdate:
    """What an update did. `previous` is the version screening used before (None for a list's
    first version); `changes` is None when the version in use did not change. `restored` is True
    when the source held the content of an older stored version, which is the latest again.
    `in_use` is False when the new version is stored but screening keeps another (a bundled
    snapshot never outranks an official list published after it; see `uflpa.store`):
    `in_use_id` then names the one it keeps. `previous_date` is the latest date the sources of
    `previous` stated (the DHS page's "Last Updated" over every fetch)."""

    version: ListVersion
    origin: str
    created: bool
    previous: ListVersion | None
    changes: ListDiff | None
    in_use: bool
    in_use_id: str
    restored: bool = False
    previous_date: date | None = None


def update_list(
    source_ref: str,
    *,
    source: str | None = None,
    timeout: float = 30.0,
    settings: Settings | None = None,
    force: bool = False,
    max_removed_share: float = MAX_REMOVED_SHARE,
) -> ListUpdate:
    """Fetch `source_ref` (a URL or a file), parse it with `source` (or the parser that knows its
    format), give its entities the ids they had before, check it against the version in use
    (see the module's note; `force` skips the check), and store it."""
    if not 0.0 <= max_removed_share <= 1.0 or math.isnan(max_removed_share):
        raise UsageError(
            "--max-removed-share must be a share from 0 to 1 (0.1 is 10 %), "
            f"not {max_removed_share}"
        )
    settings = settings or Settings.from_env()
    data, origin = fetch(source_ref, timeout=timeout)
    parsed = parse_list(data, origin, source=source)
    with ListStore(settings.db_path) as store:
        # Ids come from the latest version first, then from older ones (newest first).
        known = store.all_versions(parsed.list_name)
        in_use = store.latest_record(parsed.list_name)
        previous = store.load(in_use["version_id"]) if in_use else None
        version = reconcile(parsed, known)
        changed = previous is not None and version.content_hash != previous.content_hash
        if changed and previous is not None and in_use is not None and not force:
            check_update(previous, in_use["last_updated"], version, max_removed_share)
        version_id, created = store.ingest(version, fetched=True)
        latest = store.latest_record(parsed.list_name)
    in_use_id = latest["version_id"] if latest else version_id
    restored = (
        not created
        and previous is not None
        and previous.version_id != version_id
        and in_use_id == version_id
    )
    changes = diff(previous, version) if (created or restored) and previous is not None else None
    return ListUpdate(
        version=version,
        origin=origin,
        created=created,
        previous=previous,
        changes=changes,
        in_use=in_use_id == version_id,
        in_use_id=in_use_id,
        restored=restored,
        previous_date=in_use["last_updated"] if in_use else None,
    )


def check_update(
    current: ListVersion, current_date: date | None, new: ListVersion, max_removed_share: float
) -> None:
    """Raise `RefusedUpdate` when `new` must not replace `current` (dated `current_date`, the
    latest date its sources stated) without being forced: it removes more than
    `max_removed_share` of `current`'s entities, or it is dated before `current_date`."""
    reasons: list[str] = []
    kept = {e.id for e in new.entities}
    removed = [e for e in current.entities if e.id not in kept]
    total = len(current.entities)
    if total and len(removed) > max_removed_share * total:
        shown = "; ".join(e.name for e in removed[:3])
        more = f"; and {len(removed) - 3} more" if len(removed) > 3 else ""
        reasons.append(
            f"it would remove {len(removed)} of the {total} entities of {current.version_id} "
            f"({len(removed) / total:.0%}, more than the {max_removed_share:.0%} allowed: "
            f"{shown}{more})"
        )
    if new.published and current_date and new.published < current_date:
        reasons.append(
            f"its source is dated {new.published.isoformat()}, before {current_date.isoformat()}, "
            f"the date of {current.version_id}"
        )
    if reasons:
        raise RefusedUpdate(
            f"list update refused, nothing stored: {' and '.join(reasons)}; "
            f"screening keeps {current.version_id}"
        )
