"""A list ingest, recorded in the audit log by whichever surface made it (`uflpa lists update`,
the service's upload route, a monitor run): the list update pipeline itself (`uflpa.catalog.
update`) sits below casework and records nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from uflpa.casework import audit
from uflpa.catalog.update import ListUpdate
from uflpa.records import writing


def ingest_detail(update: ListUpdate) -> dict[str, Any]:
    """What the audit log keeps of a list update."""
    return {
        "list": update.version.list_name,
        "version": update.version.version_id,
        "origin": update.origin,
        "created": update.created,
        "entities": len(update.version.entities),
        "previous": update.previous.version_id if update.previous else None,
        "changes": update.changes.counts() if update.changes else None,
        "in_use": update.in_use,
        "in_use_id": update.in_use_id,
    }


def record_ingest(engine: Engine, actor: str, update: ListUpdate) -> dict[str, Any]:
    detail = ingest_detail(update)
    with writing(engine) as conn:
        audit.append(conn, actor, "list ingest", update.version.version_id, detail)
    return detail
