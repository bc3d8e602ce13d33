"""Recording screenings of watched parties, and the alerts they raise, in one transaction.

Both an import (`uflpa watch add`) and a monitor run end here: the screenings are stored, each
party points at its newest screening, and every verdict that changed raises an alert, with the
cause the caller found (the diff entry of the list update, a change of the party's data, a new
rules version). An alert that an analyst's standing decision already answers (same party, same
entity, the party's data and the entity's entry unchanged since) is recorded as `suppressed`,
never dropped, and is not sent. Open alerts get one delivery per active hook (the outbox), sent
after the transaction commits.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, insert, select, update

from uflpa.casework import audit
from uflpa.casework.screening import (
    PartyData,
    Screened,
    input_sha256,
    listing_sha256,
    output_sha256,
    screened_row,
)
from uflpa.model import CLEAR, ListedEntity
from uflpa.records.tables import alerts, decisions, deliveries, hooks, parties, runs, screenings
from uflpa.screening.verdict import Versions

OPEN, SUPPRESSED, DECIDED, PENDING_APPROVAL, IN_REVIEW = (
    "open",
    "suppressed",
    "decided",
    "pending_approval",
    "in_review",
)
ALERT_STATES = (OPEN, IN_REVIEW, PENDING_APPROVAL, DECIDED, SUPPRESSED)
#: Outcomes that answer an alert for good (until the party or the entity's entry changes).
FINAL_OUTCOMES = ("confirmed_match", "false_positive")


@dataclass(frozen=True, slots=True)
class Previous:
    """A party's screening before this run."""

    screening_id: int
    verdict: str
    entity_id: str | None
    entity_name: str | None


@dataclass(slots=True)
class Rescreen:
    """One party screened in this run, with what it had before and why it was screened."""

    party_id: int
    party_version_id: int
    party: PartyData
    screened: Screened
    previous: Previous | None
    cause: str
    change: dict[str, Any] | None = None
    alert_id: int | None = field(default=None)


def needs_alert(previous: Previous | None, now: Screened) -> bool:
    """A verdict that changed (or a first screening that is not clear) needs an analyst; so does
    a flag that now rests on another entity."""
    if previous is None:
        return now.verdict != CLEAR
    if previous.verdict != now.verdict:
        return True
    return now.verdict != CLEAR and (now.entity_id or "") != (previous.entity_id or "")


def alert_entity(previous: Previous | None, now: Screened) -> tuple[str | None, str | None]:
    """The entity an alert is about: the one now flagged, or the one that was flagged before a
    party came out clear."""
    if now.verdict != CLEAR:
        return now.entity_id, now.entity_name
    if previous is not None:
        return previous.entity_id, previous.entity_name
    return None, None


def record(
    conn: Connection,
    run_id: int,
    items: Sequence[Rescreen],
    *,
    entities: Mapping[str, ListedEntity],
    now: datetime,
    checked: Mapping[str, str],
) -> list[int]:
    """Store the screenings of `items`, move each party to its new screening (and to the list,
    rules and algorithm versions in `checked`), and raise the alerts; returns the ids of the open
    alerts (to be delivered)."""
    if not items:
        return []
    rows = [
        screened_row(
            it.screened,
            run_id=run_id,
            party_id=it.party_id,
            party_version_id=it.party_version_id,
            at=now,
        )
        for it in items
    ]
    ids = [
        r[0]
        for r in conn.execute(
            insert(screenings).returning(screenings.c.id, sort_by_parameter_order=True), rows
        )
    ]
    conn.execute(
        update(parties)
        .where(parties.c.id == bindparam("pid"))
        .values(
            screening_id=bindparam("sid"),
            verdict=bindparam("v"),
            checked_version=checked["list_version"],
            checked_rules=checked["rules_version"],
            checked_algorithm=checked["algorithm"],
            checked_on=checked["as_of"],
        ),
        [
            {"pid": it.party_id, "sid": sid, "v": it.screened.verdict}
            for it, sid in zip(items, ids, strict=True)
        ],
    )
    alerting = [
        (it, sid)
        for it, sid in zip(items, ids, strict=True)
        if needs_alert(it.previous, it.screened)
    ]
    if not alerting:
        return []
    standing = _standing_decisions(conn, [it.party_id for it, _ in alerting])
    alert_rows = []
    for it, sid in alerting:
        entity_id, entity_name = alert_entity(it.previous, it.screened)
        decision = standing.get((it.party_id, entity_id or ""))
        suppressed_by = None
        if (
            decision is not None
            and decision["party_sha256"] == it.party.sha256
            and decision["listing_sha256"] == listing_sha256(entities.get(entity_id or ""))
        ):
            suppressed_by = decision["id"]
        alert_rows.append(
            {
                "run_id": run_id,
                "party_id": it.party_id,
                "screening_id": sid,
                "previous_screening_id": it.previous.screening_id if it.previous else None,
                "previous_verdict": it.previous.verdict if it.previous else None,
                "verdict": it.screened.verdict,
                "entity_id": entity_id,
                "entity_name": entity_name,
                "cause": it.cause
                + (
                    f"; suppressed: decision {suppressed_by} already answers it"
                    if suppressed_by
                    else ""
                ),
                "change": json.dumps(it.change, ensure_ascii=False, sort_keys=True),
                "list_version": it.screened.list_version,
                "state": SUPPRESSED if suppressed_by else OPEN,
                "decision_id": suppressed_by,
                "created_at": now,
            }
        )
    alert_ids = [
        r[0]
        for r in conn.execute(
            insert(alerts).returning(alerts.c.id, sort_by_parameter_order=True), alert_rows
        )
    ]
    for (it, _), aid in zip(alerting, alert_ids, strict=True):
        it.alert_id = aid
    open_ids = [aid for aid, row in zip(alert_ids, alert_rows, strict=True) if row["state"] == OPEN]
    enqueue(conn, open_ids, now)
    return open_ids


def enqueue(conn: Connection, alert_ids: Sequence[int], now: datetime) -> None:
    """One pending delivery per alert and active hook (the outbox)."""
    active = [r.id for r in conn.execute(select(hooks.c.id).where(hooks.c.removed_at.is_(None)))]
    if not active or not alert_ids:
        return
    conn.execute(
        insert(deliveries),
        [
            {
                "alert_id": aid,
                "hook_id": hid,
                "state": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "last_error": "",
                "created_at": now,
            }
            for aid in alert_ids
            for hid in active
        ],
    )


def _standing_decisions(
    conn: Connection, party_ids: Sequence[int]
) -> dict[tuple[int, str], dict[str, Any]]:
    """The active final decision per (party, entity) for these parties."""
    out: dict[tuple[int, str], dict[str, Any]] = {}
    for chunk in _chunks(sorted(set(party_ids)), 500):
        rows = conn.execute(
            select(decisions)
            .where(
                and_(
                    decisions.c.party_id.in_(chunk),
                    decisions.c.state == "active",
                    decisions.c.outcome.in_(FINAL_OUTCOMES),
                )
            )
            .order_by(decisions.c.id)
        )
        for row in rows:
            out[(row.party_id, row.entity_id)] = dict(row._mapping)
    return out


def _chunks(items: Sequence[int], size: int) -> list[Sequence[int]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def finish_run(
    conn: Connection,
    *,
    run_id: int,
    actor: str,
    items: Sequence[Rescreen],
    versions: Versions,
    day: date,
    detail: Mapping[str, Any],
    action: tuple[str, str],
    checked: Mapping[str, Any],
    previous_list_version: str | None = None,
    screening_extra: Mapping[str, Any] | None = None,
    finished_at: datetime | None = None,
) -> None:
    """Close a run that screened `items` (an import or a monitor run): the run row with the hashes
    of what went in and came out and the versions, the caller's own audit entry (`action`: what
    and on what) and, when anything was screened, the "screening" entry a replay checks."""
    in_sha = input_sha256(it.party for it in items)
    out_sha = output_sha256(it.screened for it in items)
    conn.execute(
        update(runs)
        .where(runs.c.id == run_id)
        .values(
            state="done",
            finished_at=finished_at or datetime.now(UTC),
            input_sha256=in_sha,
            output_sha256=out_sha,
            list_version=versions.list_version,
            previous_list_version=previous_list_version,
            rules_version=versions.rules_version,
            algorithm=versions.algorithm,
            as_of=day.isoformat(),
            detail=json.dumps(detail, ensure_ascii=False, default=str),
        )
    )
    audit.append(conn, actor, action[0], action[1], dict(detail))
    if items:
        audit.append(
            conn,
            actor,
            "screening",
            f"run {run_id}",
            {
                "run_id": run_id,
                "parties": len(items),
                **checked,
                "input_sha256": in_sha,
                "output_sha256": out_sha,
                **(screening_extra or {}),
            },
        )
