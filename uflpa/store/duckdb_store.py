"""The embedded store of list versions: one DuckDB file under UFLPA_HOME.

Every ingested list version is kept whole (its entities as JSON, plus id and name columns for SQL),
so that any past screening can be re-run against the exact list it cited, and `lists diff` can
compare any two versions. Ingest is idempotent: the same list content is stored once.

The store is the source of every list a verdict uses. It is seeded with the bundled snapshot on
first use, and a newer bundled snapshot (after an upgrade) is stored as a version of its own. The
*latest* version of a list is the last one ingested, except that a bundled snapshot never
outranks a version ingested before it from a published source dated on or after the snapshot's
own date: an upgrade must not replace the list a user fetched from DHS with an older
reconstruction.

Several processes may use the store at once (a screening, a service, a scheduled update): readers
open it read-only and share it, a writer holds it for the moment of an ingest, and whoever finds
it locked waits (up to `lock_timeout` seconds) before saying so.
"""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from uflpa.errors import NotFoundError, StoreError, UsageError
from uflpa.lists.bundled import (
    BUNDLED_SOURCE,
    bundled_coverage,
    bundled_identity,
    load_bundled,
)
from uflpa.model import UFLPA_LIST, ListedEntity, ListVersion
from uflpa.settings import Settings

SCHEMA_VERSION = "1"
DEFAULT_LIST = UFLPA_LIST
#: Seconds to wait for another process's ingest to finish before reporting the store locked.
LOCK_TIMEOUT = 10.0
_DATE_REF = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_DDL = (
    """CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS list_versions (
        seq INTEGER NOT NULL,
        version_id VARCHAR PRIMARY KEY,
        list_name VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        origin VARCHAR NOT NULL,
        retrieved_at VARCHAR NOT NULL,
        published DATE,
        content_hash VARCHAR NOT NULL,
        coverage JSON,
        entity_count INTEGER NOT NULL,
        ingested_at VARCHAR NOT NULL,
        UNIQUE (list_name, content_hash)
    )""",
    """CREATE TABLE IF NOT EXISTS list_entities (
        version_id VARCHAR NOT NULL,
        entity_id VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        entity JSON NOT NULL,
        PRIMARY KEY (version_id, entity_id)
    )""",
)
_VERSION_COLUMNS = (
    "seq, version_id, list_name, source, origin, retrieved_at, published, content_hash, "
    "coverage, entity_count, ingested_at"
)


class ListStore:
    """List versions in a DuckDB file. Use as a context manager, or call `close()`.

    On first use the bundled snapshot is ingested, so the store always holds at least one version
    of the UFLPA Entity List.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        seed_bundled: bool = True,
        read_only: bool = False,
        lock_timeout: float = LOCK_TIMEOUT,
    ) -> None:
        self.path = path or Settings.from_env().db_path
        self.read_only = read_only
        self._lock_timeout = lock_timeout
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create {self.path.parent}: {exc.strerror or exc}") from exc
        # A reader that finds no store, or a store without this release's bundled snapshot,
        # writes once (create, seed) and then reads like any other reader.
        if read_only and self.path.exists() and self._open_to_read(seed_bundled):
            return
        self._open(read_only=False, seed_bundled=seed_bundled)
        if read_only:
            self._con.close()
            self._open(read_only=True, seed_bundled=False)

    def _open(self, *, read_only: bool, seed_bundled: bool) -> None:
        self.read_only = read_only
        self._con = _connect(self.path, read_only=read_only, timeout=self._lock_timeout)
        try:
            self._migrate(read_only=read_only)
            if seed_bundled:
                self.seed()
        except duckdb.Error as exc:
            self._con.close()
            raise StoreError(f"{self.path}: unusable database ({_first_line(exc)})") from exc

    def _open_to_read(self, seed_bundled: bool) -> bool:
        """Open read-only; False (and closed) when the store must be written first: it has no
        tables yet, or lacks this release's bundled snapshot."""
        self.read_only = True
        self._con = _connect(self.path, read_only=True, timeout=self._lock_timeout)
        try:
            self._migrate(read_only=True)
            if not seed_bundled:
                return True
            row = self._con.execute(
                "SELECT count(*) FROM list_versions WHERE list_name = ? AND content_hash = ?",
                list(bundled_identity()),
            ).fetchone()
            if row and row[0]:
                return True
        except (StoreError, duckdb.Error):
            pass  # no tables yet, or another schema: the writer's migrate says which
        self._con.close()
        return False

    def seed(self) -> bool:
        """Store the bundled snapshot when this release's copy is not stored yet; True if it was."""
        return self.ingest(load_bundled())[1]

    # --- lifecycle ------------------------------------------------------------------------------

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> ListStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _migrate(self, *, read_only: bool = False) -> None:
        if not read_only:
            for ddl in _DDL:
                self._con.execute(ddl)
        row = self._con.execute("SELECT value FROM store_meta WHERE key = 'schema'").fetchone()
        if row is None and not read_only:
            self._con.execute("INSERT INTO store_meta VALUES ('schema', ?)", [SCHEMA_VERSION])
        elif row is None or row[0] != SCHEMA_VERSION:
            found = "no schema" if row is None else f"store schema {row[0]}"
            raise StoreError(
                f"{self.path}: {found}, not the supported {SCHEMA_VERSION}; "
                "move the file away to start a new store"
            )

    # --- writing --------------------------------------------------------------------------------

    def ingest(self, version: ListVersion) -> tuple[str, bool]:
        """Store `version`; returns (version_id, created). Same list and content: nothing written.

        All rows go in one transaction, so a failure leaves no half-stored version.
        """
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only; cannot store {version.version_id}")
        existing = self._con.execute(
            "SELECT version_id FROM list_versions WHERE list_name = ? AND content_hash = ?",
            [version.list_name, version.content_hash],
        ).fetchone()
        if existing is not None:
            return str(existing[0]), False
        # One JSON array parameter, unnested by DuckDB: row-by-row parameters cost ~2 ms a row.
        blob = json.dumps([e.to_dict() for e in version.entities], ensure_ascii=False)
        con = self._con
        try:
            con.begin()
            seq_row = con.execute("SELECT coalesce(max(seq), 0) + 1 FROM list_versions").fetchone()
            seq = int(seq_row[0]) if seq_row else 1
            con.execute(
                f"INSERT INTO list_versions ({_VERSION_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    seq,
                    version.version_id,
                    version.list_name,
                    version.source,
                    version.origin,
                    version.retrieved_at.isoformat(),
                    version.published,
                    version.content_hash,
                    _coverage_json(version),
                    len(version.entities),
                    datetime.now(UTC).isoformat(timespec="seconds"),
                ],
            )
            con.execute(
                "INSERT INTO list_entities "
                "SELECT ?, e ->> '$.id', e ->> '$.name', e "
                "FROM (SELECT unnest(CAST(? AS JSON[])) AS e)",
                [version.version_id, blob],
            )
            con.commit()
        except duckdb.Error as exc:
            con.rollback()
            raise StoreError(f"{self.path}: could not store {version.version_id}: {exc}") from exc
        return version.version_id, True

    # --- reading --------------------------------------------------------------------------------

    def versions(self, list_name: str | None = None) -> list[dict[str, Any]]:
        """Stored versions, oldest first, as plain records (no entities)."""
        sql = f"SELECT {_VERSION_COLUMNS} FROM list_versions"
        params: list[Any] = []
        if list_name:
            sql += " WHERE list_name = ?"
            params.append(list_name)
        rows = self._con.execute(sql + " ORDER BY seq", params).fetchall()
        return [_version_record(r) for r in rows]

    def lists(self) -> list[str]:
        """The names of the lists the store holds, in the order they were first stored."""
        return list(dict.fromkeys(r["list_name"] for r in self.versions()))

    def latest(self, list_name: str = DEFAULT_LIST) -> ListVersion | None:
        """The version of `list_name` that screening uses by default (see the module's note)."""
        recs = _ranked(self.versions(list_name))
        return self._load(recs[-1]) if recs else None

    def latest_record(self, list_name: str = DEFAULT_LIST) -> dict[str, Any] | None:
        recs = _ranked(self.versions(list_name))
        return recs[-1] if recs else None

    def all_versions(self, list_name: str) -> list[ListVersion]:
        """Every stored version of `list_name`, newest first (reconcile looks through them)."""
        return [self._load(r) for r in reversed(self.versions(list_name))]

    def previous(self, version: ListVersion | str) -> ListVersion | None:
        """The version of the same list ingested just before `version` (None for the first)."""
        version_id = version if isinstance(version, str) else version.version_id
        recs = self.versions()
        current = next((r for r in recs if r["version_id"] == version_id), None)
        if current is None:
            raise NotFoundError(f"no stored list version {version_id!r}")
        earlier = [
            r for r in recs if r["list_name"] == current["list_name"] and r["seq"] < current["seq"]
        ]
        return self._load(earlier[-1]) if earlier else None

    def get(self, ref: str, *, list_name: str = DEFAULT_LIST) -> ListVersion:
        """The version `ref` names (see `find`), with its entities."""
        return self._load(self.find(ref, list_name=list_name))

    def find(self, ref: str, *, list_name: str = DEFAULT_LIST) -> dict[str, Any]:
        """The stored record `ref` names, without loading its entities: a version id, a unique
        hash prefix (4+ hex digits, optionally after 'list@'), 'latest' (of `list_name`), a date
        YYYY-MM-DD (the version of `list_name` that was the latest on that day: of those
        published, or with no stated date retrieved, on or before it) or 'bundled' (the snapshot
        shipped with this release of uflpa)."""
        ref = ref.strip()
        if _DATE_REF.match(ref):
            try:
                day = date.fromisoformat(ref)
            except ValueError:
                raise UsageError(f"--list-version: not a valid date {ref!r}") from None
            ranked = _ranked([r for r in self.versions(list_name) if _dated(r) <= day])
            if not ranked:
                raise NotFoundError(
                    f"no stored version of {list_name!r} was published on or before "
                    f"{day.isoformat()}; see: uflpa lists history"
                )
            return ranked[-1]
        if ref == "latest":
            latest = self.latest_record(list_name)
            if latest is None:
                raise NotFoundError(f"no stored version of {list_name!r}; run: uflpa lists update")
            return latest
        recs = self.versions()
        if ref == "bundled":
            name, digest = bundled_identity()
            found = [r for r in recs if r["list_name"] == name and r["content_hash"] == digest]
            if not found and not self.read_only:
                self.seed()
                return self.find(ref, list_name=list_name)
            if not found:
                raise NotFoundError("the bundled snapshot is not stored; open the store to write")
            return found[0]
        exact = [r for r in recs if r["version_id"] == ref]
        if exact:
            return exact[0]
        name, _, prefix = ref.rpartition("@")
        if not re.fullmatch(r"[0-9a-fA-F]{4,64}", prefix):
            raise UsageError(
                f"not a list version: {ref!r} (use a version id, a hash prefix of 4+ hex digits, "
                "a date YYYY-MM-DD, 'latest' or 'bundled'; see: uflpa lists history)"
            )
        found = [
            r
            for r in recs
            if r["content_hash"].startswith(prefix.lower()) and (not name or r["list_name"] == name)
        ]
        if not found:
            raise NotFoundError(f"no stored list version matches {ref!r}; see: uflpa lists history")
        if len(found) > 1:
            ids = ", ".join(r["version_id"] for r in found)
            raise UsageError(f"{ref!r} matches several list versions ({ids}); give more digits")
        return found[0]

    def load(self, version_id: str) -> ListVersion:
        """One stored version by its id, with its entities."""
        return self._load(self.record(version_id))

    def record(self, version_id: str) -> dict[str, Any]:
        """The stored record (provenance, coverage, counts) of one version."""
        for rec in self.versions():
            if rec["version_id"] == version_id:
                return rec
        raise NotFoundError(f"no stored list version {version_id!r}")

    def _load(self, rec: dict[str, Any]) -> ListVersion:
        rows = self._con.execute(
            "SELECT entity FROM list_entities WHERE version_id = ? ORDER BY entity_id",
            [rec["version_id"]],
        ).fetchall()
        try:
            entities = tuple(ListedEntity.from_dict(json.loads(r[0])) for r in rows)
        except (KeyError, TypeError, ValueError) as exc:
            raise StoreError(f"{self.path}: entity data of {rec['version_id']} is corrupt") from exc
        coverage = rec["coverage"]
        return ListVersion(
            list_name=rec["list_name"],
            source=rec["source"],
            origin=rec["origin"],
            retrieved_at=datetime.fromisoformat(rec["retrieved_at"]),
            entities=entities,
            published=rec["published"],
            coverage=coverage.get("summary") if isinstance(coverage, dict) else None,
            # Keep the hash recorded at ingest: a later model change must not re-label history.
            content_hash=rec["content_hash"],
        )


def _connect(path: Path, *, read_only: bool, timeout: float) -> duckdb.DuckDBPyConnection:
    """A connection, waiting while another process holds the file's lock (an ingest takes a
    moment; a screening holds it only while it reads its list)."""
    deadline = time.monotonic() + timeout
    pause = 0.02
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            text = str(exc)
            if "lock" not in text.lower():
                raise StoreError(f"{path}: cannot open the database ({_first_line(exc)})") from exc
            if time.monotonic() >= deadline:
                raise StoreError(
                    f"{path} is locked by another process (another uflpa command?); "
                    f"waited {timeout:g} s; retry when it has finished"
                ) from exc
            time.sleep(pause)
            pause = min(pause * 2, 0.5)
        except duckdb.Error as exc:
            raise StoreError(
                f"{path} is not a usable uflpa database ({_first_line(exc)}); "
                "move it away to start a new store"
            ) from exc


def _dated(rec: dict[str, Any]) -> date:
    """The day a stored version speaks for: its publication date, else the day it was fetched."""
    published = rec["published"]
    if isinstance(published, date):
        return published
    return datetime.fromisoformat(rec["retrieved_at"]).date()


def _ranked(recs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`recs` (one list, in ingest order) without the bundled snapshots that must not become the
    latest: those ingested after a version from a published source dated on or after them."""
    out: list[dict[str, Any]] = []
    newest_published: date | None = None
    for rec in recs:
        bundled = rec["source"] == BUNDLED_SOURCE
        if bundled and newest_published is not None and newest_published >= _dated(rec):
            continue
        out.append(rec)
        if not bundled and rec["published"] is not None:
            day = _dated(rec)
            newest_published = day if newest_published is None else max(newest_published, day)
    return out


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _coverage_json(version: ListVersion) -> str | None:
    if version.source == BUNDLED_SOURCE and version.content_hash == load_bundled().content_hash:
        return json.dumps(bundled_coverage(), ensure_ascii=False)
    if version.coverage:
        return json.dumps({"summary": version.coverage}, ensure_ascii=False)
    return None


def _version_record(row: tuple[Any, ...]) -> dict[str, Any]:
    names = [c.strip() for c in _VERSION_COLUMNS.split(",")]
    rec = dict(zip(names, row, strict=True))
    rec["coverage"] = json.loads(rec["coverage"]) if rec["coverage"] else None
    published = rec["published"]
    rec["published"] = published if isinstance(published, date) or published is None else None
    return rec
