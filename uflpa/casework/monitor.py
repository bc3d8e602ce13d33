"""Monitoring: a list update reaching every watched party it can affect, and only those.

`run_monitor` (from cron, a systemd timer, or `uflpa serve --monitor-every`) optionally ingests a
list update, then brings every watched party up to the latest list version, rules version and
algorithm. A party whose checks were made against an older list version is screened again when
the change can reach it:

- an entity it was matched with, or shown as its closest miss, was removed or changed;
- an added or changed entity comes near its name (the party is matched against those entities
  alone and any score within `NEAR` of the review threshold counts);
- a listing or removal of an entity takes effect between the day it was last checked and today.

Parties checked with another rules version or algorithm are all screened again. The others keep
their verdict and are marked checked against the new version (carried). Every verdict that
changed raises an alert with the diff entry that caused it. `tests/casework` and
`benchmarks/monitor.py` check that the alerts equal those of a full re-screen.

A run is recorded `running` first, in a transaction of its own, and completed in one
transaction with all its screenings, alerts and audit entries: a run killed half-way leaves
nothing half-applied, and the next run (finding the parties still on the old version) does the
work again, marking the dead run `abandoned`.
"""

from __future__ import annotations

import fcntl
import json
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, bindparam, insert, select, text, update

from uflpa.casework import audit
from uflpa.casework.actors import ANALYST, Actor
from uflpa.casework.ingests import record_ingest
from uflpa.casework.recording import Previous, Rescreen, finish_run, record
from uflpa.casework.screening import PartyData, screen
from uflpa.catalog import ListSelection, ListsInUse, open_lists, screener_for
from uflpa.errors import ConflictError, NotFoundError
from uflpa.lists.history import EntityChange, diff
from uflpa.match import Matcher
from uflpa.model import ListVersion
from uflpa.records.engine import is_sqlite, writing
from uflpa.records.tables import parties, party_versions, runs, screenings
from uflpa.settings import Settings
from uflpa.store import ListStore

#: How far below the review threshold a changed entity may score against a party and still have
#: the party screened again in full (the full list can read a name differently from the changed
#: entities alone; the margin keeps those parties in).
NEAR = 0.15
_PG_LOCK_KEY = 0x75F17C


@dataclass(slots=True)
class MonitorResult:
    """What a monitor run did."""

    run_id: int
    list_version: str
    previous_versions: list[str] = field(default_factory=list)
    ingested: dict[str, Any] | None = None
    parties: int = 0
    rescreened: int = 0
    carried: int = 0
    unchanged: int = 0
    changed_entities: int = 0
    alerts: list[int] = field(default_factory=list)
    abandoned_runs: list[int] = field(default_factory=list)
    seconds: float = 0.0
    reasons: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "list_version": self.list_version,
            "previous_versions": self.previous_versions,
            "ingested": self.ingested,
            "parties": self.parties,
            "rescreened": self.rescreened,
            "carried": self.carried,
            "unchanged": self.unchanged,
            "changed_entities": self.changed_entities,
            "alerts": len(self.alerts),
            "alert_ids": self.alerts,
            "abandoned_runs": self.abandoned_runs,
            "seconds": round(self.seconds, 3),
            "why_rescreened": self.reasons,
        }


@dataclass(slots=True)
class _Watched:
    party_id: int
    version_id: int
    data: PartyData
    previous: Previous | None
    candidates: tuple[str, ...]
    checked: tuple[str, str, str, str]  # list version, rules, algorithm, day


def run_monitor(
    engine: Engine,
    actor: Actor,
    *,
    settings: Settings | None = None,
    source_ref: str | None = None,
    source: str | None = None,
    full: bool = False,
    as_of: date | None = None,
    timeout: float = 30.0,
    on_started: Callable[[int], None] | None = None,
) -> MonitorResult:
    """Ingest `source_ref` (when given), then re-screen the watched parties the change can
    affect and raise alerts for every verdict that changed."""
    actor.require(ANALYST, "a monitor run")
    settings = settings or Settings.from_env()
    started = time.perf_counter()
    day = as_of or date.today()
    with _monitor_lock(engine, settings):
        ingested = None
        if source_ref:
            ingested = _ingest(engine, actor, source_ref, source, settings, timeout)
        abandoned = _abandon_dead_runs(engine, actor)
        run_id = _start_run(engine, actor, source_ref or "store")
        if on_started:
            on_started(run_id)
        lists = open_lists(ListSelection(), settings)
        screener = screener_for(lists)
        current = lists.versions[0]
        versions = screener.versions
        target = (versions.list_version, versions.rules_version, versions.algorithm)
        watched = _watched(engine)
        result = MonitorResult(
            run_id=run_id,
            list_version=versions.list_version,
            ingested=ingested,
            parties=len(watched),
            abandoned_runs=abandoned,
        )
        groups: dict[tuple[str, str, str, str], list[_Watched]] = {}
        for w in watched:
            groups.setdefault(w.checked, []).append(w)
        todo: list[tuple[_Watched, str, dict[str, Any] | None]] = []  # party, why, change
        carried: list[int] = []
        changes: dict[str, dict[str, Any]] = {}
        for (version, rules, algorithm, checked_on), members in groups.items():
            if (version, rules, algorithm) == target and checked_on == day.isoformat() and not full:
                result.unchanged += len(members)
                continue
            if full or (rules, algorithm) != target[1:] or not version:
                why = "full re-screen asked for" if full else _why_all(rules, algorithm, target)
                todo.extend((w, why, None) for w in members)
                continue
            old = _old_version(settings, version, current)
            if old is None:
                why = f"the list version it was checked against ({version}) is not stored here"
                todo.extend((w, why, None) for w in members)
                continue
            since = date.fromisoformat(checked_on) if checked_on else None
            changed = changed_entities(old, current, since, day)
            changes.update(changed)
            near = _near(current, changed, members, day) if changed else set()
            for w in members:
                hit = next((c for c in w.candidates if c in changed), None)
                if hit is not None:
                    todo.append((w, "a candidate's entry changed", changed[hit]))
                elif w.party_id in near:
                    todo.append((w, "a changed entity comes near its name", None))
                else:
                    carried.append(w.party_id)
            if version != versions.list_version:
                result.previous_versions.append(version)
        result.changed_entities = len(changes)
        for _, why, _ in todo:
            result.reasons[why] = result.reasons.get(why, 0) + 1
        entities = {e.id: e for v in lists.versions for e in v.entities}
        items = []
        for w, why, change in todo:
            screened = screen(screener, w.data, day)
            # What changed for this party: the entry of the entity it was flagged on before (a
            # removal), of the one it is flagged on now (an addition), and of the candidate that
            # had it screened again, each once, in that order.
            entries: list[dict[str, Any]] = []
            before = w.previous.entity_id if w.previous else None
            for eid in (before, screened.entity_id, change.get("id") if change else None):
                entry = changes.get(eid or "")
                if entry is not None and entry not in entries:
                    entries.append(entry)
            if change and change not in entries:
                entries.append(change)
            items.append(
                Rescreen(
                    party_id=w.party_id,
                    party_version_id=w.version_id,
                    party=w.data,
                    screened=screened,
                    previous=w.previous,
                    cause=_cause(entries, why, w.checked[0], versions.list_version),
                    change=entries[0] if entries else None,
                )
            )
        checked = {**versions.to_dict(), "as_of": day.isoformat()}
        now = datetime.now(UTC)
        read = {w.party_id: w.version_id for w in watched}
        with writing(engine) as conn:
            # A party imported again (or removed) since it was read was screened by that import:
            # this run's screening of the old data must not replace it, nor alert twice.
            moved = _moved_since(conn, read)
            if moved:
                items = [it for it in items if it.party_id not in moved]
                carried = [pid for pid in carried if pid not in moved]
                result.reasons["changed by an import during the run; left to it"] = len(moved)
            result.alerts = record(conn, run_id, items, entities=entities, now=now, checked=checked)
            for i in range(0, len(carried), 900):
                conn.execute(
                    update(parties)
                    .where(parties.c.id.in_(carried[i : i + 900]))
                    .values(
                        checked_version=versions.list_version,
                        checked_rules=versions.rules_version,
                        checked_algorithm=versions.algorithm,
                        checked_on=day.isoformat(),
                    )
                )
            result.rescreened = len(items)
            result.carried = len(carried)
            result.seconds = time.perf_counter() - started
            detail = {k: v for k, v in result.to_dict().items() if k != "alert_ids"}
            finish_run(
                conn,
                run_id=run_id,
                actor=actor.name,
                items=items,
                versions=versions,
                day=day,
                detail=detail,
                action=("monitor run", f"run {run_id}"),
                checked=checked,
                previous_list_version=",".join(result.previous_versions) or None,
                finished_at=now,
            )
    return result


def _moved_since(conn: Any, read: Mapping[int, int]) -> set[int]:
    """The parties whose data version is no longer the one read (or that were removed)."""
    now = {
        r.id: r.version_id
        for r in conn.execute(
            select(parties.c.id, parties.c.version_id).where(parties.c.removed_at.is_(None))
        )
    }
    return {pid for pid, version in read.items() if now.get(pid) != version}


def changed_entities(
    old: ListVersion | None, new: ListVersion, since: date | None, today: date
) -> dict[str, dict[str, Any]]:
    """Entity id -> the diff entry, for every entity added, removed or changed from `old` to
    `new`, and every entity whose listing or removal takes effect after `since` up to `today`."""
    out: dict[str, dict[str, Any]] = {}
    if old is not None:
        for change in diff(old, new).changes():
            out.setdefault(change.entity_id, _entry(change, new))
        old_by = {e.id: e for e in old.entities}
        for e in new.entities:
            before = old_by.get(e.id)
            if before is not None and e.id not in out and before.to_dict() != e.to_dict():
                out[e.id] = {"change": "changed", "id": e.id, "name": e.name}
    for e in new.entities:
        for lst in e.listings:
            for day, what in ((lst.effective_date, "listing"), (lst.removal_date, "removal")):
                if day and (since is None or since < day) and day <= today and e.id not in out:
                    out[e.id] = {
                        "change": f"{what} took effect",
                        "id": e.id,
                        "name": e.name,
                        "date": day.isoformat(),
                        "section": lst.section,
                    }
    return out


def describe(entry: Mapping[str, Any] | None) -> str:
    """A diff entry in words."""
    if not entry:
        return ""
    name = f"{entry.get('id')} {entry.get('name')!r}"
    kind = entry.get("change")
    if kind == "added":
        listed = entry.get("listings") or []
        when = ", ".join(
            f"section {x.get('section')} from {x.get('effective_date') or 'an unknown date'}"
            for x in listed
        )
        return f"{name} was added to the list" + (f" ({when})" if when else "")
    if kind == "removed":
        return f"{name} was removed from the list"
    if kind == "renamed":
        return f"{name} was renamed from {entry.get('old_name')!r}"
    if kind == "aliases":
        added = [*entry.get("aliases_added", []), *entry.get("former_names_added", [])]
        removed = [*entry.get("aliases_removed", []), *entry.get("former_names_removed", [])]
        parts = []
        if added:
            parts.append("names added: " + ", ".join(map(repr, added)))
        if removed:
            parts.append("names removed: " + ", ".join(map(repr, removed)))
        return f"{name}: other names changed" + (f" ({'; '.join(parts)})" if parts else "")
    if kind == "sections":
        return f"{name}: its listing changed"
    if kind in ("listing took effect", "removal took effect"):
        return f"{name}: {kind} on {entry.get('date')} (section {entry.get('section')})"
    return f"{name}: its entry changed"


def _cause(entries: list[dict[str, Any]], why: str, old: str, new: str) -> str:
    told = "; ".join(t for t in (describe(e) for e in entries) if t)
    if told:
        return f"list update {old or 'none'} -> {new}: {told}"
    if why.startswith(("rules", "algorithm", "full")):
        return why
    return f"screened again after the list update {old} -> {new} ({why})"


def _entry(change: EntityChange, new: ListVersion) -> dict[str, Any]:
    out = change.to_dict()
    if change.kind == "added":
        entity = new.entity(change.entity_id)
        if entity is not None:
            out["listings"] = [
                {
                    "section": lst.section,
                    "effective_date": lst.effective_date.isoformat()
                    if lst.effective_date
                    else None,
                }
                for lst in entity.listings
            ]
    return out


def _near(
    current: ListVersion, changed: Mapping[str, Any], members: list[_Watched], day: date
) -> set[int]:
    """Parties that an added or changed entity, matched alone, comes near."""
    kept = tuple(e for e in current.entities if e.id in changed)
    if not kept:
        return set()
    matcher = Matcher([replace(current, entities=kept)])
    floor = matcher.algorithm.review - NEAR
    near = set()
    for w in members:
        d = w.data
        found = matcher.match(
            d.name,
            d.country or None,
            d.address or None,
            [d.identifier] if d.identifier else None,
            as_of=None,
            top_k=1,
        )
        if found and found[0].score >= floor:
            near.add(w.party_id)
    return near


def _why_all(rules: str, algorithm: str, target: tuple[str, str, str]) -> str:
    if not rules:
        return "never screened"
    if rules != target[1]:
        return f"rules version changed from {rules} to {target[1]}"
    return f"algorithm changed from {algorithm} to {target[2]}"


def _old_version(settings: Settings, label: str, current: ListVersion) -> ListVersion | None:
    if label == current.label:
        return current
    version_id = label.split("[", 1)[0].split("+", 1)[0]
    with ListStore(settings.db_path, read_only=True) as store:
        try:
            return store.load(version_id)
        except NotFoundError:  # a version not stored here: every party is screened again
            return None


def _watched(engine: Engine) -> list[_Watched]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                parties.c.id,
                parties.c.version_id,
                parties.c.key,
                parties.c.screening_id,
                parties.c.checked_version,
                parties.c.checked_rules,
                parties.c.checked_algorithm,
                parties.c.checked_on,
                party_versions.c.data,
                screenings.c.verdict,
                screenings.c.entity_id,
                screenings.c.entity_name,
                screenings.c.candidates,
            )
            .select_from(
                parties.join(party_versions, party_versions.c.id == parties.c.version_id).outerjoin(
                    screenings, screenings.c.id == parties.c.screening_id
                )
            )
            .where(parties.c.removed_at.is_(None))
            .order_by(parties.c.id)
        )
        out = []
        for r in rows:
            previous = (
                Previous(r.screening_id, r.verdict, r.entity_id, r.entity_name)
                if r.screening_id
                else None
            )
            out.append(
                _Watched(
                    party_id=r.id,
                    version_id=r.version_id,
                    data=PartyData.from_json(r.data),
                    previous=previous,
                    candidates=tuple(json.loads(r.candidates)) if r.candidates else (),
                    checked=(
                        r.checked_version or "",
                        r.checked_rules or "",
                        r.checked_algorithm or "",
                        r.checked_on or "",
                    ),
                )
            )
        return out


def _ingest(
    engine: Engine,
    actor: Actor,
    source_ref: str,
    source: str | None,
    settings: Settings,
    timeout: float,
) -> dict[str, Any]:
    from uflpa.catalog.update import update_list

    update = update_list(source_ref, source=source, timeout=timeout, settings=settings)
    return record_ingest(engine, actor.name, update)


def _start_run(engine: Engine, actor: Actor, source: str) -> int:
    with writing(engine) as conn:
        return int(
            conn.execute(
                insert(runs)
                .values(
                    kind="monitor",
                    state="running",
                    started_at=datetime.now(UTC),
                    actor=actor.name,
                    source=source,
                    detail="{}",
                )
                .returning(runs.c.id)
            ).scalar_one()
        )


def _abandon_dead_runs(engine: Engine, actor: Actor) -> list[int]:
    """Monitor runs still `running` while we hold the monitor lock died half-way."""
    with writing(engine) as conn:
        dead = [
            r.id
            for r in conn.execute(
                select(runs.c.id).where(runs.c.kind == "monitor", runs.c.state == "running")
            )
        ]
        if dead:
            conn.execute(
                update(runs)
                .where(runs.c.id == bindparam("rid"))
                .values(state="abandoned", finished_at=datetime.now(UTC)),
                [{"rid": d} for d in dead],
            )
            audit.append(
                conn,
                actor.name,
                "monitor run abandoned",
                ", ".join(f"run {d}" for d in dead),
                {"runs": dead, "why": "the process ended before the run was recorded; redone"},
            )
    return dead


@contextmanager
def _monitor_lock(engine: Engine, settings: Settings) -> Iterator[None]:
    """One monitor run at a time per store of record."""
    if is_sqlite(engine):
        path = Path(str(engine.url.database) + ".monitor-lock")
        with path.open("a") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise ConflictError(
                    "another monitor run is in progress on this store of record; try again "
                    "when it has finished"
                ) from None
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
        return
    with engine.connect() as conn:
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": _PG_LOCK_KEY}).scalar()
        conn.commit()
        if not got:
            raise ConflictError(
                "another monitor run is in progress on this database; try again when it has "
                "finished"
            )
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK_KEY})
            conn.commit()


def full_rescreen(
    engine: Engine, lists: ListsInUse, day: date
) -> dict[str, tuple[str, str | None]]:
    """Every watched party screened afresh against `lists` (nothing stored): key -> (verdict,
    entity). What a monitor run's targeted re-screen must agree with (tests, benchmark)."""
    screener = screener_for(lists)
    out = {}
    for w in _watched(engine):
        s = screen(screener, w.data, day)
        out[f"{w.party_id}"] = (s.verdict, s.entity_id)
    return out
