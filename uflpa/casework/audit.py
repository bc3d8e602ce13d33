"""The audit trail: every screening, list ingest, decision, approval, key and user change, appended
to one log whose entries are hash-chained, so that a changed, deleted or reordered entry is found.

Each entry's hash is the SHA-256 of its canonical JSON (sequence number, time, actor, action,
subject, detail, and the hash of the entry before). An entry is appended in the same transaction
as the change it records, so that the log and the casework can never disagree; appends are
serialised (SQLite's write lock; a transaction-scoped advisory lock on PostgreSQL) so that two
writers never fork the chain. `verify` recomputes the chain from the first entry and names the
first that does not hold.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select, text

from uflpa.records.tables import audit_log

#: The `prev_hash` of the first entry.
GENESIS = "0" * 64
_PG_LOCK_KEY = 0x75F17B


def canonical(value: Any) -> str:
    """The one JSON spelling of `value` that hashes are taken over."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def sha256_text(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def entry_hash(
    seq: int, at: str, actor: str, action: str, subject: str, detail: str, prev_hash: str
) -> str:
    body = {
        "seq": seq,
        "at": at,
        "actor": actor,
        "action": action,
        "subject": subject,
        "detail": detail,
        "prev_hash": prev_hash,
    }
    return sha256_text(canonical(body))


def append(
    conn: Connection, actor: str, action: str, subject: str, detail: Mapping[str, Any]
) -> int:
    """Append one entry inside the caller's (writing) transaction; returns its sequence number."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    last = conn.execute(
        select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
    ).first()
    seq = (last.seq + 1) if last else 1
    prev = last.hash if last else GENESIS
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    body = canonical(dict(detail))
    conn.execute(
        audit_log.insert().values(
            seq=seq,
            at=at,
            actor=actor,
            action=action,
            subject=subject,
            detail=body,
            prev_hash=prev,
            hash=entry_hash(seq, at, actor, action, subject, body, prev),
        )
    )
    return seq


@dataclass(frozen=True, slots=True)
class ChainCheck:
    """What `verify` found: how many entries hold, and the first that does not (with why)."""

    entries: int
    first_bad: int | None
    problem: str
    head: str

    @property
    def ok(self) -> bool:
        return self.first_bad is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "first_bad": self.first_bad,
            "problem": self.problem,
            "head": self.head,
        }


def verify(engine: Engine) -> ChainCheck:
    """Recompute the chain in sequence order and stop at the first entry that does not hold."""
    expected_seq = 1
    prev = GENESIS
    count = 0
    with engine.connect() as conn:
        rows = conn.execute(select(audit_log).order_by(audit_log.c.seq)).yield_per(2000)
        for row in rows:
            count += 1
            if row.seq != expected_seq:
                missing = (
                    f"{expected_seq}"
                    if row.seq == expected_seq + 1
                    else (f"{expected_seq}-{row.seq - 1}")
                )
                return ChainCheck(
                    count - 1, expected_seq, f"entry {missing} is missing (deleted)", prev
                )
            if row.prev_hash != prev:
                return ChainCheck(
                    count - 1,
                    row.seq,
                    f"entry {row.seq} does not follow entry {row.seq - 1}: its link to the "
                    "entry before is wrong (an entry was removed, replaced or reordered)",
                    prev,
                )
            got = entry_hash(
                row.seq, row.at, row.actor, row.action, row.subject, row.detail, row.prev_hash
            )
            if got != row.hash:
                return ChainCheck(
                    count - 1,
                    row.seq,
                    f"entry {row.seq} ({row.action} {row.subject}) was altered: its content "
                    "does not give its hash",
                    prev,
                )
            prev = row.hash
            expected_seq += 1
    return ChainCheck(count, None, "", prev)


def entries(
    engine: Engine,
    *,
    action: str | None = None,
    subject: str | None = None,
    after: int = 0,
    before: int | None = None,
    limit: int | None = None,
    newest_first: bool = False,
) -> Iterator[dict[str, Any]]:
    """The entries as dicts (detail parsed), for listing and export; `after` and `before`
    (sequence numbers, exclusive) page through them either way."""
    query = select(audit_log).where(audit_log.c.seq > after)
    if before is not None:
        query = query.where(audit_log.c.seq < before)
    if action:
        query = query.where(audit_log.c.action == action)
    if subject:
        query = query.where(audit_log.c.subject == subject)
    order = audit_log.c.seq.desc() if newest_first else audit_log.c.seq
    query = query.order_by(order)
    if limit is not None:
        query = query.limit(limit)
    with engine.connect() as conn:
        for row in conn.execute(query):
            out = dict(row._mapping)
            out["detail"] = json.loads(out["detail"])
            yield out


def entry(engine: Engine, seq: int) -> dict[str, Any] | None:
    """Entry `seq`, or None."""
    with engine.connect() as conn:
        row = conn.execute(select(audit_log).where(audit_log.c.seq == seq)).first()
    if row is None:
        return None
    out = dict(row._mapping)
    out["detail"] = json.loads(out["detail"])
    return out


def count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(audit_log)).scalar_one())
