"""Reading alerts: the inbox (by state, newest first) and one alert with everything an analyst
needs to decide it: the party, the verdict before and now with the screening's evidence, the
cause (the list change), its deliveries and the decision that answered it."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import ColumnElement, Engine, func, select

from uflpa.casework.outbox import delivery_records
from uflpa.casework.recording import ALERT_STATES, IN_REVIEW, OPEN, PENDING_APPROVAL
from uflpa.errors import NotFoundError, UsageError
from uflpa.records.tables import (
    alerts,
    decision_documents,
    decisions,
    parties,
    party_versions,
    screenings,
)

#: The states an analyst still has to act on.
WAITING = (OPEN, IN_REVIEW, PENDING_APPROVAL)


def list_alerts(
    engine: Engine,
    *,
    state: str = OPEN,
    watchlist: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> tuple[int, list[dict[str, Any]]]:
    """Alerts in `state` ('waiting' for those still to be acted on, 'all' for every one)."""
    cond: list[ColumnElement[bool]] = []
    if state == "waiting":
        cond.append(alerts.c.state.in_(WAITING))
    elif state != "all":
        if state not in ALERT_STATES:
            raise UsageError(
                f"alert state {state!r}: one of {', '.join(ALERT_STATES)}, waiting or all"
            )
        cond.append(alerts.c.state == state)
    if watchlist:
        cond.append(parties.c.watchlist == watchlist)
    joined = alerts.join(parties, parties.c.id == alerts.c.party_id)
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(joined).where(*cond)).scalar_one()
        rows = conn.execute(
            select(
                alerts.c.id,
                alerts.c.created_at,
                alerts.c.state,
                parties.c.watchlist,
                parties.c.key,
                parties.c.name,
                alerts.c.previous_verdict,
                alerts.c.verdict,
                alerts.c.entity_id,
                alerts.c.entity_name,
                alerts.c.cause,
                alerts.c.decision_id,
                alerts.c.list_version,
            )
            .select_from(joined)
            .where(*cond)
            .order_by(alerts.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return int(total), [dict(r._mapping) for r in rows]


def alert_record(engine: Engine, alert_id: int) -> dict[str, Any]:
    with engine.connect() as conn:
        row = conn.execute(
            select(
                alerts,
                parties.c.watchlist,
                parties.c.key,
                parties.c.name,
                parties.c.country,
                parties.c.address,
                parties.c.data_sha256,
            )
            .select_from(alerts.join(parties, parties.c.id == alerts.c.party_id))
            .where(alerts.c.id == alert_id)
        ).first()
        if row is None:
            raise NotFoundError(f"no alert {alert_id} (see: uflpa alerts)")
        screening = conn.execute(
            select(screenings).where(screenings.c.id == row.screening_id)
        ).one()
        decision = (
            conn.execute(select(decisions).where(decisions.c.id == row.decision_id)).first()
            if row.decision_id
            else None
        )
        screened_data = conn.execute(
            select(party_versions.c.data).where(party_versions.c.id == screening.party_version_id)
        ).scalar_one()
        documents = (
            [
                dict(x._mapping)
                for x in conn.execute(
                    select(decision_documents).where(
                        decision_documents.c.decision_id == row.decision_id
                    )
                )
            ]
            if row.decision_id
            else []
        )
    out = dict(row._mapping)
    out["change"] = json.loads(out["change"]) if out["change"] else None
    out["screening"] = {
        **dict(screening._mapping),
        "candidates": json.loads(screening.candidates),
        "result": json.loads(screening.result),
    }
    # The supplier's data as it was screened for this alert (the party fields above are its data
    # now; they differ when it was imported again since).
    out["screened_party"] = json.loads(screened_data)
    out["decision"] = (
        {**dict(decision._mapping), "documents": documents} if decision is not None else None
    )
    out["deliveries"] = delivery_records(engine, alert_id)
    return out
