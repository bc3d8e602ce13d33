"""Analysts' decisions on alerts and flagged screenings, with the two-person rule.

A decision is about one party and one entity (or, for a flag that rests on a place in Xinjiang
rather than a listed entity, the party alone). It keeps the party's data hash and the entity's
entry fingerprint of that moment: while both stay the same, a final decision (`confirmed match`,
`false positive`) answers the same alert on later screenings, which is then recorded as
suppressed; once either changes, or a reviewer reopens the decision, alerts reach the inbox
again. `needs more information` and `escalated` record progress and leave the alert with the
team. A decision is refused when the party's data or its screening changed since the alert it
answers: an analyst must not decide on what they have not seen.

With the two-person rule on (`uflpa decisions rule two-person on`), a `false positive` on a hit
waits for a second analyst's approval before it counts.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from uflpa.casework import audit
from uflpa.casework.actors import ADMIN, ANALYST, Actor
from uflpa.casework.recording import DECIDED, IN_REVIEW, OPEN, PENDING_APPROVAL
from uflpa.casework.screening import listing_sha256
from uflpa.errors import ConflictError, NotFoundError, UsageError
from uflpa.model import HIT
from uflpa.records import writing
from uflpa.records.tables import (
    alerts,
    decision_documents,
    decisions,
    parties,
    party_versions,
    policies,
    screenings,
)
from uflpa.settings import Settings

CONFIRMED, FALSE_POSITIVE, NEEDS_INFORMATION, ESCALATED = (
    "confirmed_match",
    "false_positive",
    "needs_information",
    "escalated",
)
OUTCOMES = (CONFIRMED, FALSE_POSITIVE, NEEDS_INFORMATION, ESCALATED)
OUTCOME_WORDS = {
    CONFIRMED: "confirmed match",
    FALSE_POSITIVE: "false positive",
    NEEDS_INFORMATION: "needs more information",
    ESCALATED: "escalated",
}
TWO_PERSON = "two_person_false_positive"
MAX_NOTE = 10_000
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024


def outcome_of(text: str) -> str:
    """'false positive', 'false-positive' or 'false_positive' -> 'false_positive'."""
    key = re.sub(r"[\s-]+", "_", text.strip().lower())
    key = {"confirmed": CONFIRMED, "needs_more_information": NEEDS_INFORMATION}.get(key, key)
    if key not in OUTCOMES:
        raise UsageError(
            f"outcome {text!r}: one of {', '.join(repr(w) for w in OUTCOME_WORDS.values())}"
        )
    return key


def two_person_rule(engine: Engine) -> bool:
    with engine.connect() as conn:
        row = conn.execute(select(policies.c.value).where(policies.c.name == TWO_PERSON)).first()
    return bool(row and row.value == "on")


def set_two_person_rule(engine: Engine, actor: Actor, on: bool) -> None:
    actor.require(ADMIN, "changing the two-person rule")
    now = datetime.now(UTC)
    value = "on" if on else "off"
    with writing(engine) as conn:
        done = conn.execute(
            update(policies)
            .where(policies.c.name == TWO_PERSON)
            .values(value=value, set_by=actor.name, set_at=now)
        )
        if done.rowcount == 0:
            conn.execute(
                insert(policies).values(name=TWO_PERSON, value=value, set_by=actor.name, set_at=now)
            )
        audit.append(conn, actor.name, "policy", TWO_PERSON, {"value": value})


def decide(
    engine: Engine,
    actor: Actor,
    *,
    outcome: str,
    note: str,
    alert_id: int | None = None,
    watchlist: str | None = None,
    key: str | None = None,
    documents: Sequence[tuple[str, Path]] = (),
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Record a decision on alert `alert_id`, or on the current screening of party `key` of
    `watchlist`. `documents` are (name, path) pairs, stored by content hash."""
    actor.require(ANALYST, "a decision")
    outcome = outcome_of(outcome)
    note = note.strip()
    if not note:
        raise UsageError("a decision needs a note saying why")
    if len(note) > MAX_NOTE:
        raise UsageError(f"the note has {len(note)} characters; at most {MAX_NOTE}")
    settings = settings or Settings.from_env()
    stored = [_store_document(settings, name, path) for name, path in documents]
    now = datetime.now(UTC)
    two_person = two_person_rule(engine)
    with writing(engine) as conn:
        party, screening, alert = _target(conn, alert_id, watchlist, key)
        if alert is not None and alert.state in (DECIDED, PENDING_APPROVAL):
            raise ConflictError(
                f"alert {alert.id} is {alert.state.replace('_', ' ')} by decision "
                f"{alert.decision_id}; reopen that decision first to decide it again"
            )
        entity_id = (alert.entity_id if alert is not None else screening.entity_id) or ""
        entity = _entity(screening, entity_id, settings)
        pending = two_person and outcome == FALSE_POSITIVE and screening.verdict == HIT
        state = "pending_approval" if pending else "active"
        # A standing decision on the same party and entity gives way to this one.
        conn.execute(
            update(decisions)
            .where(
                decisions.c.party_id == party.id,
                decisions.c.entity_id == entity_id,
                decisions.c.state.in_(("active", "pending_approval")),
            )
            .values(state="superseded")
        )
        decision_id = conn.execute(
            insert(decisions)
            .values(
                party_id=party.id,
                entity_id=entity_id,
                alert_id=alert.id if alert is not None else None,
                screening_id=screening.id,
                verdict=screening.verdict,
                outcome=outcome,
                note=note,
                decided_by=actor.name,
                decided_at=now,
                party_sha256=party.data_sha256,
                listing_sha256=listing_sha256(entity),
                state=state,
                needs_approval=pending,
            )
            .returning(decisions.c.id)
        ).scalar_one()
        for sha, name, size in stored:
            conn.execute(
                insert(decision_documents).values(
                    decision_id=decision_id, sha256=sha, name=name, size=size
                )
            )
        alert_state = _alert_state(outcome, pending)
        target_alerts = [alert.id] if alert is not None else []
        # Every open alert on the same party and entity is answered by the decision.
        target_alerts += [
            r.id
            for r in conn.execute(
                select(alerts.c.id).where(
                    alerts.c.party_id == party.id,
                    alerts.c.entity_id == (entity_id or None),
                    alerts.c.state.in_((OPEN, IN_REVIEW, PENDING_APPROVAL)),
                )
            )
            if alert is None or r.id != alert.id
        ]
        if target_alerts:
            conn.execute(
                update(alerts)
                .where(alerts.c.id.in_(target_alerts))
                .values(state=alert_state, decision_id=decision_id)
            )
        detail = {
            "decision_id": decision_id,
            "watchlist": party.watchlist,
            "key": party.key,
            "entity_id": entity_id,
            "outcome": outcome,
            "note": note,
            "alerts": target_alerts,
            "screening_id": screening.id,
            "verdict": screening.verdict,
            "list_version": screening.list_version,
            "party_sha256": party.data_sha256,
            "needs_approval": pending,
            "documents": [{"sha256": s, "name": n, "size": z} for s, n, z in stored],
        }
        audit.append(conn, actor.name, "decision", f"party {party.watchlist}/{party.key}", detail)
    return {"id": decision_id, "state": state, **detail}


def approve(engine: Engine, actor: Actor, decision_id: int, note: str = "") -> dict[str, Any]:
    """A second analyst approves a decision waiting under the two-person rule."""
    actor.require(ANALYST, "approving a decision")
    now = datetime.now(UTC)
    with writing(engine) as conn:
        row = _decision(conn, decision_id)
        if row.state != "pending_approval":
            raise ConflictError(f"decision {decision_id} is {row.state}, not waiting for approval")
        if row.decided_by == actor.name:
            raise ConflictError(
                f"decision {decision_id} was made by {actor.name}; a second person must approve it"
            )
        party = conn.execute(select(parties).where(parties.c.id == row.party_id)).one()
        if party.data_sha256 != row.party_sha256:
            raise ConflictError(
                f"supplier {party.key} changed since decision {decision_id}; decide again"
            )
        conn.execute(
            update(decisions)
            .where(decisions.c.id == decision_id)
            .values(state="active", approved_by=actor.name, approved_at=now)
        )
        conn.execute(
            update(alerts)
            .where(alerts.c.decision_id == decision_id, alerts.c.state == PENDING_APPROVAL)
            .values(state=DECIDED)
        )
        detail = {"decision_id": decision_id, "decided_by": row.decided_by, "note": note.strip()}
        audit.append(conn, actor.name, "approval", f"decision {decision_id}", detail)
    return {"id": decision_id, "state": "active", "approved_by": actor.name}


def reopen(engine: Engine, actor: Actor, decision_id: int, note: str) -> dict[str, Any]:
    """A reviewer reopens a decision: it no longer answers alerts, and its alerts are open."""
    actor.require(ANALYST, "reopening a decision")
    if not note.strip():
        raise UsageError("say in a note why the decision is reopened")
    now = datetime.now(UTC)
    with writing(engine) as conn:
        row = _decision(conn, decision_id)
        if row.state not in ("active", "pending_approval"):
            raise ConflictError(
                f"decision {decision_id} is {row.state}; only a standing one reopens"
            )
        conn.execute(
            update(decisions)
            .where(decisions.c.id == decision_id)
            .values(state="reopened", reopened_by=actor.name, reopened_at=now, reopen_note=note)
        )
        conn.execute(
            update(alerts)
            .where(alerts.c.decision_id == decision_id)
            .values(state=OPEN, decision_id=None)
        )
        audit.append(
            conn,
            actor.name,
            "reopen",
            f"decision {decision_id}",
            {"decision_id": decision_id, "note": note},
        )
    return {"id": decision_id, "state": "reopened"}


def list_decisions(
    engine: Engine, *, state: str | None = None, limit: int = 100, offset: int = 0
) -> list[dict[str, Any]]:
    query = (
        select(decisions, parties.c.watchlist, parties.c.key, parties.c.name.label("party_name"))
        .select_from(decisions.join(parties, parties.c.id == decisions.c.party_id))
        .order_by(decisions.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    if state:
        query = query.where(decisions.c.state == state)
    with engine.connect() as conn:
        out = [dict(r._mapping) for r in conn.execute(query)]
        for d in out:
            d["documents"] = [
                dict(x._mapping)
                for x in conn.execute(
                    select(decision_documents).where(decision_documents.c.decision_id == d["id"])
                )
            ]
    return out


def document_path(settings: Settings, sha256: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise NotFoundError("no such document")
    path = settings.home / "documents" / sha256[:2] / sha256
    if not path.is_file():
        raise NotFoundError(f"document {sha256[:12]} is not stored here")
    return path


def _alert_state(outcome: str, pending: bool) -> str:
    if pending:
        return PENDING_APPROVAL
    return DECIDED if outcome in (CONFIRMED, FALSE_POSITIVE) else IN_REVIEW


def _target(
    conn: Connection, alert_id: int | None, watchlist: str | None, key: str | None
) -> tuple[Any, Any, Any]:
    alert = None
    if alert_id is not None:
        alert = conn.execute(select(alerts).where(alerts.c.id == alert_id)).first()
        if alert is None:
            raise NotFoundError(f"no alert {alert_id} (see: uflpa alerts)")
        party = conn.execute(select(parties).where(parties.c.id == alert.party_id)).one()
        screening_id = alert.screening_id
    else:
        if not watchlist or not key:
            raise UsageError(
                "name the alert decided, or the watchlist and key of the supplier decided"
            )
        found = conn.execute(
            select(parties).where(parties.c.watchlist == watchlist, parties.c.key == key)
        ).first()
        if found is None:
            raise NotFoundError(f"watchlist {watchlist}: no supplier with key {key!r}")
        party = found
        if party.screening_id is None:
            raise ConflictError(f"supplier {key} has not been screened yet")
        screening_id = party.screening_id
    if party.removed_at is not None:
        raise ConflictError(
            f"supplier {party.key} is no longer watched (removed {party.removed_at})"
        )
    screening = conn.execute(select(screenings).where(screenings.c.id == screening_id)).one()
    seen = conn.execute(
        select(party_versions.c.data_sha256).where(
            party_versions.c.id == screening.party_version_id
        )
    ).scalar_one()
    if seen != party.data_sha256:
        raise ConflictError(
            f"supplier {party.key} changed since alert {alert_id} was raised (its data was "
            f"imported again on {party.updated_at:%Y-%m-%d %H:%M}); look at its newest screening "
            "and decide on that"
        )
    if alert is not None and party.screening_id != screening.id:
        now = conn.execute(select(screenings).where(screenings.c.id == party.screening_id)).one()
        if (now.verdict, now.entity_id) != (screening.verdict, screening.entity_id):
            raise ConflictError(
                f"supplier {party.key} was screened again since alert {alert_id} and is now "
                f"{now.verdict}"
                + (f" on {now.entity_id}" if now.entity_id else "")
                + "; decide on its newest alert"
            )
    return party, screening, alert


def _entity(screening: Any, entity_id: str, settings: Settings) -> Any:
    """The entity's entry in the list version the screening used (for its fingerprint)."""
    if not entity_id:
        return None
    from uflpa.store import ListStore

    version_id = screening.list_version.split("[", 1)[0].split("+", 1)[0]
    with ListStore(settings.db_path, read_only=True) as store:
        try:
            version = store.load(version_id)
        except NotFoundError:
            return None
    return version.entity(entity_id)


def _decision(conn: Connection, decision_id: int) -> Any:
    row = conn.execute(select(decisions).where(decisions.c.id == decision_id)).first()
    if row is None:
        raise NotFoundError(f"no decision {decision_id} (see: uflpa decisions list)")
    return row


def _store_document(settings: Settings, name: str, path: Path) -> tuple[str, str, int]:
    """Copy a document under UFLPA_HOME/documents by its SHA-256; (hash, safe name, size)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UsageError(f"document {name}: cannot read it ({exc.strerror or exc})") from None
    if size > MAX_DOCUMENT_BYTES:
        raise UsageError(f"document {name}: {size} bytes; at most {MAX_DOCUMENT_BYTES}")
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    sha = h.hexdigest()
    target = settings.home / "documents" / sha[:2] / sha
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".part")
        shutil.copyfile(path, tmp)
        tmp.replace(target)
    return sha, safe_name(name), size


def safe_name(name: str) -> str:
    """A document's name as shown: no directories, no control characters, at most 200."""
    base = re.split(r"[\\/]", name)[-1]
    base = "".join(c for c in base if c.isprintable()).strip() or "document"
    return base[:200]
