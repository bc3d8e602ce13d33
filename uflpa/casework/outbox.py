"""Hooks (webhooks and e-mail addresses alerts are sent to) and the delivery of pending alerts.

Deliveries are written with their alerts (`uflpa.casework.recording.enqueue`) and sent after the
transaction: `deliver_due` sends every delivery whose time has come, records each attempt, and
leaves a failed one `pending` with its next time (exponential back-off), so that an endpoint that
is down gets its alerts when it is back. After `MAX_ATTEMPTS` a delivery is `failed` and listed;
`uflpa alerts deliver --retry-failed` sends it again. An alert is never dropped for a delivery.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert, select, update

from uflpa.casework import audit
from uflpa.casework.actors import ADMIN, Actor
from uflpa.casework.delivery import Target, backoff, deliver
from uflpa.errors import NotFoundError
from uflpa.records import writing
from uflpa.records.tables import alerts, deliveries, hooks, parties

MAX_ATTEMPTS = 10


def add_hook(engine: Engine, actor: Actor, target: str, secret_env: str | None = None) -> int:
    """Send future alerts to `target` (an http(s) URL or an e-mail address)."""
    actor.require(ADMIN, "adding a hook")
    parsed = Target.parse(target, secret_env)
    with writing(engine) as conn:
        hook_id = conn.execute(
            insert(hooks)
            .values(
                kind=parsed.kind,
                target=parsed.address,
                secret_env=parsed.secret_env,
                created_at=datetime.now(UTC),
                created_by=actor.name,
            )
            .returning(hooks.c.id)
        ).scalar_one()
        audit.append(
            conn,
            actor.name,
            "hook added",
            f"hook {hook_id}",
            {"kind": parsed.kind, "target": parsed.label, "secret_env": parsed.secret_env},
        )
    return int(hook_id)


def remove_hook(engine: Engine, actor: Actor, hook_id: int) -> None:
    actor.require(ADMIN, "removing a hook")
    with writing(engine) as conn:
        done = conn.execute(
            update(hooks)
            .where(hooks.c.id == hook_id, hooks.c.removed_at.is_(None))
            .values(removed_at=datetime.now(UTC))
        )
        if done.rowcount == 0:
            raise NotFoundError(f"no active hook {hook_id} (see: uflpa hooks list)")
        audit.append(conn, actor.name, "hook removed", f"hook {hook_id}", {})


def list_hooks(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(select(hooks).order_by(hooks.c.id))]
    for r in rows:
        r["target"] = Target(r["kind"], r["target"], r["secret_env"]).label
    return rows


def payload(
    alert: Mapping[str, Any], party: Mapping[str, Any], link_base: str | None
) -> dict[str, Any]:
    """What a hook receives about an alert (the shape `uflpa.casework.delivery` renders)."""
    return {
        "event": "alert",
        "alert_id": alert["id"],
        "watchlist": party["watchlist"],
        "party": {"key": party["key"], "name": party["name"], "country": party["country"]},
        "previous_verdict": alert["previous_verdict"],
        "verdict": alert["verdict"],
        "entity": {"id": alert["entity_id"], "name": alert["entity_name"]}
        if alert["entity_id"]
        else None,
        "cause": alert["cause"],
        "list_version": alert["list_version"],
        "created_at": alert["created_at"].isoformat()
        if isinstance(alert["created_at"], datetime)
        else str(alert["created_at"]),
        "link": f"{link_base.rstrip('/')}/alerts/{alert['id']}" if link_base else None,
    }


def deliver_due(
    engine: Engine,
    *,
    env: Mapping[str, str] | None = None,
    retry_failed: bool = False,
    timeout: float = 10.0,
    now: datetime | None = None,
) -> dict[str, int]:
    """Send every delivery whose time has come; counts of delivered, retrying and failed."""
    env = os.environ if env is None else env
    now = now or datetime.now(UTC)
    states = ("pending", "failed") if retry_failed else ("pending",)
    link_base = env.get("UFLPA_PUBLIC_URL") or None
    with engine.connect() as conn:
        due = conn.execute(
            select(
                deliveries.c.id.label("delivery_id"),
                deliveries.c.attempts,
                deliveries.c.state.label("delivery_state"),
                deliveries.c.next_attempt_at,
                hooks.c.kind,
                hooks.c.target,
                hooks.c.secret_env,
                alerts,
                parties.c.watchlist,
                parties.c.key,
                parties.c.name,
                parties.c.country,
            )
            .select_from(
                deliveries.join(hooks, hooks.c.id == deliveries.c.hook_id)
                .join(alerts, alerts.c.id == deliveries.c.alert_id)
                .join(parties, parties.c.id == alerts.c.party_id)
            )
            .where(deliveries.c.state.in_(states), hooks.c.removed_at.is_(None))
            .order_by(deliveries.c.id)
        ).all()
    counts = {"delivered": 0, "retrying": 0, "failed": 0, "waiting": 0}
    for row in due:
        m = row._mapping
        when = m["next_attempt_at"]
        if when is not None and when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        if m["delivery_state"] == "pending" and when is not None and when > now:
            counts["waiting"] += 1
            continue
        if not _claim(engine, m["delivery_id"], m["delivery_state"], now):
            continue  # another process is sending it
        alert = {c.name: m[c.name] for c in alerts.c}
        body = payload(alert, dict(m), link_base)
        target = Target(m["kind"], m["target"], m["secret_env"])
        attempt = deliver(target, body, f"delivery-{m['delivery_id']}", env=env, timeout=timeout)
        attempts = (0 if m["delivery_state"] == "failed" else m["attempts"]) + 1
        if attempt.ok:
            values: dict[str, Any] = {
                "state": "delivered",
                "delivered_at": datetime.now(UTC),
                "last_error": "",
            }
            counts["delivered"] += 1
        elif attempts >= MAX_ATTEMPTS:
            values = {"state": "failed", "last_error": attempt.error}
            counts["failed"] += 1
        else:
            values = {
                "state": "pending",
                "next_attempt_at": datetime.now(UTC) + timedelta(seconds=backoff(attempts)),
                "last_error": attempt.error,
            }
            counts["retrying"] += 1
        with writing(engine) as conn:
            conn.execute(
                update(deliveries)
                .where(deliveries.c.id == m["delivery_id"])
                .values(attempts=attempts, last_status=attempt.status, **values)
            )
    return counts


#: How long a claimed delivery is left to its sender before another may try it.
LEASE = timedelta(minutes=5)


def _claim(engine: Engine, delivery_id: int, state: str, now: datetime) -> bool:
    """Take a delivery for this process (a service's workers and a monitor may all deliver):
    it is pushed into the future, so that no other sender picks it up meanwhile."""
    with writing(engine) as conn:
        done = conn.execute(
            update(deliveries)
            .where(
                deliveries.c.id == delivery_id,
                deliveries.c.state == state,
                (deliveries.c.next_attempt_at.is_(None)) | (deliveries.c.next_attempt_at <= now)
                if state == "pending"
                else deliveries.c.state == state,
            )
            .values(state="pending", next_attempt_at=now + LEASE)
        )
    return done.rowcount == 1


def delivery_records(engine: Engine, alert_id: int | None = None) -> list[dict[str, Any]]:
    query = (
        select(deliveries, hooks.c.kind, hooks.c.target, hooks.c.secret_env)
        .select_from(deliveries.join(hooks, hooks.c.id == deliveries.c.hook_id))
        .order_by(deliveries.c.id)
    )
    if alert_id is not None:
        query = query.where(deliveries.c.alert_id == alert_id)
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
    for r in rows:
        r["target"] = Target(r.pop("kind"), r["target"], r.pop("secret_env")).label
    return rows
