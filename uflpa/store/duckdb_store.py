"""The embedded store of list versions: one DuckDB file under UFLPA_HOME.

Every ingested list version is kept whole (its entities as JSON, plus id and name columns for SQL),
so that any past screening can be re-run against the exact list it cited, and `lists diff` can
compare any two versions. Ingest is idempotent: the same list content is stored once.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from uflpa.errors import NotFoundError, StoreError, UsageError
from uflpa.lists.bundled import BUNDLED_SOURCE, bundled_coverage, load_bundled
from uflpa.model import ListedEntity, ListVersion
from uflpa.settings import Settings

SCHEMA_VERSION = "1"
DEFAULT_LIST = "us-dhs-uflpa"

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

    def __init__(self, path: Path | None = None, *, seed_bundled: bool = True) -> None:
        self.path = path or Settings.from_env().db_path
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create {self.path.parent}: {exc.strerror or exc}") from exc
        self._con = _connect(self.path)
        try:
            self._migrate()
            if seed_bundled and not self.versions(DEFAULT_LIST):
                self.ingest(load_bundled())
        except duckdb.Error as exc:
            self._con.close()
            raise StoreError(f"{self.path}: unusable database ({_first_line(exc)})") from exc

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

    def _migrate(self) -> None:
        for ddl in _DDL:
            self._con.execute(ddl)
        row = self._con.execute("SELECT value FROM store_meta WHERE key = 'schema'").fetchone()
        if row is None:
            self._con.execute("INSERT INTO store_meta VALUES ('schema', ?)", [SCHEMA_VERSION])
        elif row[0] != SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store schema {row[0]} is not the supported {SCHEMA_VERSION}; "
                "move the file away to start a new store"
            )

    # --- writing --------------------------------------------------------------------------------

    def ingest(self, version: ListVersion) -> tuple[str, bool]:
        """Store `version`; returns (version_id, created). Same list and content: nothing written.

        All rows go in one transaction, so a failure leaves no half-stored version.
        """
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

    def latest(self, list_name: str = DEFAULT_LIST) -> ListVersion | None:
        recs = self.versions(list_name)
        return self._load(recs[-1]) if recs else None

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
        """Resolve `ref`: a version id, a unique hash prefix (4+ hex digits, optionally after
        'list@'), 'latest' (of `list_name`) or 'bundled' (the snapshot shipped with uflpa)."""
        ref = ref.strip()
        if ref == "latest":
            latest = self.latest(list_name)
            if latest is None:
                raise NotFoundError(f"no stored version of {list_name!r}; run: uflpa lists update")
            return latest
        if ref == "bundled":
            bundled = load_bundled()
            self.ingest(bundled)
            return bundled
        recs = self.versions()
        exact = [r for r in recs if r["version_id"] == ref]
        if exact:
            return self._load(exact[0])
        name, _, prefix = ref.rpartition("@")
        if not re.fullmatch(r"[0-9a-fA-F]{4,64}", prefix):
            raise UsageError(
                f"not a list version: {ref!r} (use a version id, a hash prefix of 4+ hex digits, "
                "'latest' or 'bundled'; see: uflpa lists history)"
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
        return self._load(found[0])

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


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path))
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" in text.lower():
            raise StoreError(
                f"{path} is locked by another process (another uflpa command?); "
                "retry when it has finished"
            ) from exc
        raise StoreError(f"{path}: cannot open the database ({_first_line(exc)})") from exc
    except duckdb.Error as exc:
        raise StoreError(
            f"{path} is not a usable uflpa database ({_first_line(exc)}); "
            "move it away to start a new store"
        ) from exc


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
