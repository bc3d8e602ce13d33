"""Watchlists: a supplier master imported, kept by its own keys, and screened on import.

`import_file` reads a party file with a stable supplier key column (the formats `uflpa screen`
reads), upserts by key and keeps every state a party's data has had; new and changed parties are
screened against the latest list at once, and those that come out flagged (or whose verdict
changed) raise alerts. Rows that cannot be imported (no key, a key already given on an earlier
row, an unreadable row) are reported one by one with file, row and column, and counted: imported
rows plus reported rows equal the rows of the file.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, bindparam, func, insert, select, update

from uflpa.casework import audit
from uflpa.casework.actors import ANALYST, Actor
from uflpa.casework.recording import Previous, Rescreen, finish_run, record
from uflpa.casework.screening import PartyData, screen
from uflpa.catalog import ListsInUse, open_lists, screener_for
from uflpa.errors import NotFoundError, UsageError
from uflpa.io import Record, open_table
from uflpa.io.aliases import WATCH_FILE
from uflpa.io.hints import ALL, Hints
from uflpa.records import writing
from uflpa.records.tables import (
    alerts,
    decision_documents,
    decisions,
    parties,
    party_versions,
    runs,
    screenings,
    watchlists,
)
from uflpa.settings import Settings

DEFAULT_WATCHLIST = "default"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
#: Longest supplier key kept (the column's size in the store of record).
MAX_KEY = 200


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """A row of the supplier master that was not imported, and why."""

    file: str
    row: int
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}: row {self.row}" + (
            f", column {self.column!r}" if self.column else ""
        )
        return f"{where}: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "row": self.row, "column": self.column, "reason": self.reason}


@dataclass(slots=True)
class ImportResult:
    """What an import did, party by party counted."""

    watchlist: str
    run_id: int
    rows: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    restored: int = 0
    screened: int = 0
    flagged: int = 0
    alerts: list[int] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    list_version: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "watchlist": self.watchlist,
            "run_id": self.run_id,
            "rows": self.rows,
            "added": self.added,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "restored": self.restored,
            "screened": self.screened,
            "flagged": self.flagged,
            "alerts": len(self.alerts),
            "not_imported": len(self.problems),
            "problems": [p.to_dict() for p in self.problems],
            "list_version": self.list_version,
        }


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise UsageError(
            f"watchlist name {name!r}: use 1-64 letters, digits, '.', '_' or '-', starting with a "
            "letter or digit"
        )
    return name


def read_master(
    path: Path,
    *,
    source_name: str,
    columns: Mapping[str, str] | None = None,
    encoding: str | None = None,
    hints: Hints = ALL,
) -> tuple[dict[str, tuple[int, PartyData]], list[ImportProblem], int]:
    """The good rows by key (first row of each key), every problem, and the number of rows.
    Two headers that could each be the name (`name` and `supplier`) stop the import, as they
    stop `uflpa screen`: watching one and ignoring the other could leave a listed supplier
    unwatched."""
    table = open_table(
        path,
        required=list(WATCH_FILE.required),
        optional=list(WATCH_FILE.optional),
        aliases=WATCH_FILE.aliases,
        exclusive=WATCH_FILE.exclusive,
        column_map=columns or {},
        encoding=encoding,
        name=source_name,
        hints=hints,
    )
    good: dict[str, tuple[int, PartyData]] = {}
    problems: list[ImportProblem] = []
    rows = 0
    for entry in table:
        rows += 1
        if not isinstance(entry, Record):
            problems.append(ImportProblem(source_name, entry.row, entry.column, entry.reason))
            continue
        v = entry.values
        key = v.get("id", "")
        if len(key) > MAX_KEY:
            problems.append(
                ImportProblem(
                    source_name,
                    entry.row,
                    table.columns.get("id"),
                    f"supplier key of {len(key)} characters; at most {MAX_KEY}",
                )
            )
            continue
        if key in good:
            problems.append(
                ImportProblem(
                    source_name,
                    entry.row,
                    table.columns.get("id"),
                    f"supplier key {key!r} is already on row {good[key][0]}; this row was not "
                    "imported (give each supplier one row)",
                )
            )
            continue
        good[key] = (
            entry.row,
            PartyData(
                key=key,
                name=v.get("name", ""),
                country=v.get("country", ""),
                address=v.get("address", ""),
                identifier=v.get("identifier", ""),
            ),
        )
    return good, problems, rows


def import_file(
    engine: Engine,
    actor: Actor,
    path: Path,
    *,
    watchlist: str = DEFAULT_WATCHLIST,
    source_name: str | None = None,
    columns: Mapping[str, str] | None = None,
    encoding: str | None = None,
    settings: Settings | None = None,
    as_of: date | None = None,
    lists: Callable[[], ListsInUse] | None = None,
    hints: Hints = ALL,
) -> ImportResult:
    """Import the supplier master at `path` into `watchlist` and screen what is new or changed."""
    actor.require(ANALYST, "importing a watchlist")
    check_name(watchlist)
    source = source_name or str(path)
    good, problems, rows = read_master(
        path, source_name=source, columns=columns, encoding=encoding, hints=hints
    )
    file_sha = _file_sha256(path)
    day = as_of or date.today()
    in_use = (lists or (lambda: open_lists(settings=settings)))()
    screener = screener_for(in_use)
    entities = {e.id: e for v in in_use.versions for e in v.entities}
    now = datetime.now(UTC)

    with writing(engine) as conn:
        if (
            conn.execute(select(watchlists.c.name).where(watchlists.c.name == watchlist)).first()
            is None
        ):
            conn.execute(
                insert(watchlists).values(name=watchlist, created_at=now, created_by=actor.name)
            )
            audit.append(conn, actor.name, "watchlist created", f"watchlist {watchlist}", {})
        existing = {
            r.key: r
            for r in conn.execute(
                select(
                    parties.c.id,
                    parties.c.key,
                    parties.c.data_sha256,
                    parties.c.removed_at,
                    parties.c.screening_id,
                    parties.c.verdict,
                ).where(parties.c.watchlist == watchlist)
            )
        }
        previous = _previous(conn, [r.screening_id for r in existing.values() if r.screening_id])
        run_id = _start_run(conn, actor, watchlist, source, file_sha, now)
        result = ImportResult(watchlist=watchlist, run_id=run_id, rows=rows, problems=problems)
        todo: list[tuple[int, PartyData, str, Previous | None]] = []  # party id, data, cause, prev
        new: list[tuple[PartyData, str]] = []
        for key, (row, data) in good.items():
            old = existing.get(key)
            where = f"{source} row {row}"
            if old is None:
                new.append((data, f"first screening of this supplier, imported from {where}"))
                continue
            prev = previous.get(old.screening_id) if old.screening_id else None
            if old.data_sha256 == data.sha256 and old.removed_at is None:
                result.unchanged += 1
                continue
            if old.removed_at is not None:
                result.restored += 1
                cause = f"supplier added to the watchlist again, from {where}"
            else:
                result.changed += 1
                cause = f"supplier's data changed, imported from {where}: " + _changes(
                    conn, old.id, data
                )
            conn.execute(
                update(parties)
                .where(parties.c.id == old.id)
                .values(
                    name=data.name,
                    country=data.country,
                    address=data.address,
                    identifier=data.identifier,
                    data_sha256=data.sha256,
                    updated_at=now,
                    removed_at=None,
                )
            )
            todo.append((old.id, data, cause, prev))

        if new:
            ids = conn.execute(
                insert(parties).returning(parties.c.id, sort_by_parameter_order=True),
                [
                    {
                        "watchlist": watchlist,
                        "key": data.key,
                        "name": data.name,
                        "country": data.country,
                        "address": data.address,
                        "identifier": data.identifier,
                        "data_sha256": data.sha256,
                        "added_at": now,
                        "updated_at": now,
                    }
                    for data, _ in new
                ],
            ).scalars()
            todo = [(pid, d, cause, None) for pid, (d, cause) in zip(ids, new, strict=True)] + todo
            result.added = len(new)
        version_ids = _add_versions(conn, todo, source, actor, now)
        items = [
            Rescreen(
                party_id=pid,
                party_version_id=vid,
                party=data,
                screened=screen(screener, data, day),
                previous=prev,
                cause=cause,
            )
            for (pid, data, cause, prev), vid in zip(todo, version_ids, strict=True)
        ]
        checked = {**screener.versions.to_dict(), "as_of": day.isoformat()}
        result.alerts = record(conn, run_id, items, entities=entities, now=now, checked=checked)
        result.screened = len(items)
        result.flagged = sum(1 for it in items if it.screened.flagged)
        result.list_version = screener.versions.list_version
        detail = {
            "run_id": run_id,
            "kind": "import",
            "watchlist": watchlist,
            "file": source,
            "file_sha256": file_sha,
            **{k: v for k, v in result.to_dict().items() if k not in ("problems", "watchlist")},
            # Every row not imported, as data (up to 10,000; the count is exact).
            "problems": [p.to_dict() for p in problems[:10_000]],
        }
        finish_run(
            conn,
            run_id=run_id,
            actor=actor.name,
            items=items,
            versions=screener.versions,
            day=day,
            detail=detail,
            action=("watch import", f"watchlist {watchlist}"),
            checked=checked,
            screening_extra={"file_sha256": file_sha},
        )
    return result


def remove(engine: Engine, actor: Actor, watchlist: str, keys: list[str]) -> int:
    """Stop watching these parties (their history stays); returns how many were removed."""
    actor.require(ANALYST, "removing parties from a watchlist")
    now = datetime.now(UTC)
    with writing(engine) as conn:
        found = {
            r.key: r.id
            for r in conn.execute(
                select(parties.c.key, parties.c.id).where(
                    parties.c.watchlist == watchlist,
                    parties.c.key.in_(keys),
                    parties.c.removed_at.is_(None),
                )
            )
        }
        missing = [k for k in keys if k not in found]
        if missing:
            raise NotFoundError(
                f"watchlist {watchlist}: no watched supplier with key "
                + ", ".join(repr(k) for k in missing[:10])
            )
        conn.execute(update(parties).where(parties.c.id.in_(found.values())).values(removed_at=now))
        audit.append(
            conn, actor.name, "watch remove", f"watchlist {watchlist}", {"keys": sorted(found)}
        )
    return len(found)


def summaries(engine: Engine) -> list[dict[str, Any]]:
    """Every watchlist with its party counts by verdict and its open alerts."""
    with engine.connect() as conn:
        names = [
            dict(r._mapping) for r in conn.execute(select(watchlists).order_by(watchlists.c.name))
        ]
        counts = conn.execute(
            select(parties.c.watchlist, parties.c.verdict, func.count())
            .where(parties.c.removed_at.is_(None))
            .group_by(parties.c.watchlist, parties.c.verdict)
        ).all()
        open_alerts = conn.execute(
            select(parties.c.watchlist, func.count())
            .select_from(alerts.join(parties, parties.c.id == alerts.c.party_id))
            .where(alerts.c.state.in_(("open", "in_review", "pending_approval")))
            .group_by(parties.c.watchlist)
        ).all()
    by_list: dict[str, dict[str, int]] = {}
    for wl, verdict, n in counts:
        by_list.setdefault(wl, {})[verdict or "unscreened"] = n
    alerts_by = dict((wl, n) for wl, n in open_alerts)
    return [
        {
            "watchlist": w["name"],
            "parties": sum(by_list.get(w["name"], {}).values()),
            "verdicts": by_list.get(w["name"], {}),
            "open_alerts": alerts_by.get(w["name"], 0),
            "created_at": w["created_at"],
            "created_by": w["created_by"],
        }
        for w in names
    ]


def list_parties(
    engine: Engine,
    watchlist: str,
    *,
    verdict: str | None = None,
    search: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[int, list[dict[str, Any]]]:
    """Watched parties (not removed), flagged first, then by key; and how many match."""
    query = select(
        parties.c.key,
        parties.c.name,
        parties.c.country,
        parties.c.verdict,
        parties.c.checked_version,
        parties.c.checked_on,
        parties.c.updated_at,
        screenings.c.entity_id,
        screenings.c.entity_name,
        screenings.c.score,
    ).select_from(parties.outerjoin(screenings, screenings.c.id == parties.c.screening_id))
    cond = [parties.c.watchlist == watchlist, parties.c.removed_at.is_(None)]
    if verdict:
        cond.append(parties.c.verdict == verdict)
    if search:
        # The user's text is matched as text: its % and _ are not wildcards.
        text = search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{text}%"
        cond.append(
            func.lower(parties.c.name).like(like, escape="\\")
            | func.lower(parties.c.key).like(like, escape="\\")
        )
    with engine.connect() as conn:
        if (
            conn.execute(select(watchlists.c.name).where(watchlists.c.name == watchlist)).first()
            is None
        ):
            raise NotFoundError(f"no watchlist {watchlist!r} (see: uflpa watch list)")
        total = conn.execute(select(func.count()).select_from(parties).where(*cond)).scalar_one()
        flagged_first = (parties.c.verdict == "clear") | parties.c.verdict.is_(None)
        rows = conn.execute(
            query.where(*cond).order_by(flagged_first, parties.c.key).limit(limit).offset(offset)
        )
        return int(total), [dict(r._mapping) for r in rows]


def party_record(engine: Engine, watchlist: str, key: str) -> dict[str, Any]:
    """One party with its data history, screenings, alerts and decisions (newest first)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(parties).where(parties.c.watchlist == watchlist, parties.c.key == key)
        ).first()
        if row is None:
            raise NotFoundError(f"watchlist {watchlist}: no supplier with key {key!r}")
        pid = row.id
        versions = [
            {**dict(r._mapping), "data": json.loads(r.data)}
            for r in conn.execute(
                select(party_versions)
                .where(party_versions.c.party_id == pid)
                .order_by(party_versions.c.id.desc())
            )
        ]
        screened = [
            {
                **dict(r._mapping),
                "candidates": json.loads(r.candidates),
                "result": json.loads(r.result),
            }
            for r in conn.execute(
                select(screenings)
                .where(screenings.c.party_id == pid)
                .order_by(screenings.c.id.desc())
                .limit(50)
            )
        ]
        raised = [
            {**dict(r._mapping), "change": json.loads(r.change)}
            for r in conn.execute(
                select(alerts).where(alerts.c.party_id == pid).order_by(alerts.c.id.desc())
            )
        ]
        decided = [
            dict(r._mapping)
            for r in conn.execute(
                select(decisions).where(decisions.c.party_id == pid).order_by(decisions.c.id.desc())
            )
        ]
        for d in decided:
            d["documents"] = [
                dict(x._mapping)
                for x in conn.execute(
                    select(decision_documents).where(decision_documents.c.decision_id == d["id"])
                )
            ]
    party = dict(row._mapping)
    return {
        "party": party,
        "versions": versions,
        "screenings": screened,
        "alerts": raised,
        "decisions": decided,
    }


def _previous(conn: Any, screening_ids: list[int]) -> dict[int, Previous]:
    out: dict[int, Previous] = {}
    for i in range(0, len(screening_ids), 500):
        chunk = screening_ids[i : i + 500]
        for r in conn.execute(
            select(
                screenings.c.id,
                screenings.c.verdict,
                screenings.c.entity_id,
                screenings.c.entity_name,
            ).where(screenings.c.id.in_(chunk))
        ):
            out[r.id] = Previous(r.id, r.verdict, r.entity_id, r.entity_name)
    return out


def _start_run(
    conn: Any, actor: Actor, watchlist: str, source: str, file_sha: str, now: datetime
) -> int:
    return int(
        conn.execute(
            insert(runs)
            .values(
                kind="import",
                watchlist=watchlist,
                state="running",
                started_at=now,
                actor=actor.name,
                source=source,
                input_sha256=file_sha,
                detail="{}",
            )
            .returning(runs.c.id)
        ).scalar_one()
    )


def _add_versions(
    conn: Any,
    todo: list[tuple[int, PartyData, str, Previous | None]],
    source: str,
    actor: Actor,
    now: datetime,
) -> list[int]:
    if not todo:
        return []
    ids = [
        r[0]
        for r in conn.execute(
            insert(party_versions).returning(party_versions.c.id, sort_by_parameter_order=True),
            [
                {
                    "party_id": pid,
                    "data": json.dumps(data.to_dict(), ensure_ascii=False, sort_keys=True),
                    "data_sha256": data.sha256,
                    "at": now,
                    "source": source,
                    "actor": actor.name,
                }
                for pid, data, _, _ in todo
            ],
        )
    ]
    conn.execute(
        update(parties).where(parties.c.id == bindparam("pid")).values(version_id=bindparam("vid")),
        [{"pid": pid, "vid": vid} for (pid, _, _, _), vid in zip(todo, ids, strict=True)],
    )
    return ids


def _changes(conn: Any, party_id: int, new: PartyData) -> str:
    """Which fields an import changed, in words."""
    row = conn.execute(
        select(party_versions.c.data)
        .where(party_versions.c.party_id == party_id)
        .order_by(party_versions.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return "first version on record"
    old = json.loads(row.data)
    changed = [
        f"{k} {old.get(k, '')!r} -> {v!r}" for k, v in new.to_dict().items() if old.get(k, "") != v
    ]
    return "; ".join(changed) or "no field changed"


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()
