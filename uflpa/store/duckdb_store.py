"""The embedded store of list versions: one DuckDB file under UFLPA_HOME.

Every ingested list version is kept whole (its entities as JSON, plus id and name columns for SQL),
so that any past screening can be re-run against the exact list it cited, and `lists diff` can
compare any two versions. Ingest is idempotent: the same list content is stored once.

The store is the source of every list a verdict uses. It is seeded with the bundled snapshot on
first use, and a newer bundled snapshot (after an upgrade) is stored as a version of its own. The
*latest* version of a list is the last one ingested, except that a bundled snapshot never
outranks a version ingested before it from a published source dated on or after the snapshot's
own date: an upgrade must not replace the list a user fetched from DHS with an older
reconstruction. A list update that fetches content already stored (DHS took back a change) makes
that version the latest again, and every fetch keeps the date its source states (the DHS page's
"Last Updated"), in `list_fetches`: a version's `last_updated` is the latest of them.

Several processes may use the store at once (a screening, a service, a scheduled update): readers
open it read-only and share it, a writer holds it for the moment of an ingest, and whoever finds
it locked waits (up to `lock_timeout` seconds) before saying which process holds it. A store that
is read-only on disk (its file or folder) can still be read; a command that must write it says
that it cannot.
"""

from __future__ import annotations

import itertools
import json
import os
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
    # Every later fetch of content already stored: the date its source stated then, and its
    # place (seq, shared with list_versions) in the order that decides the latest version.
    """CREATE TABLE IF NOT EXISTS list_fetches (
        seq INTEGER NOT NULL,
        version_id VARCHAR NOT NULL,
        list_name VARCHAR NOT NULL,
        stated DATE,
        origin VARCHAR NOT NULL,
        retrieved_at VARCHAR NOT NULL,
        fetched_at VARCHAR NOT NULL
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
        self._fetches = True
        #: Set when a reader had to read a store it could not bring up to date (read-only on
        #: disk): what it lacks, in words.
        self.note: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create {self.path.parent}: {exc.strerror or exc}") from exc
        # A reader that finds no store, or a store without this release's bundled snapshot,
        # writes once (create, seed) and then reads like any other reader.
        if read_only and self.path.exists() and self._open_to_read(seed_bundled):
            return
        try:
            self._open(read_only=False, seed_bundled=seed_bundled)
        except CannotWrite:
            if not (read_only and self.path.exists()):
                raise
            # Read-only on disk: a reader reads what the store holds, as it is.
            self._open(read_only=True, seed_bundled=False)
            if seed_bundled and not self._holds_bundled():
                self.note = (
                    f"the list store {self.path} is read-only on disk and was read as it is, "
                    "without this release's bundled snapshot"
                )
            return
        if read_only:
            self._con.close()
            self._open(read_only=True, seed_bundled=False)

    def _open(self, *, read_only: bool, seed_bundled: bool) -> None:
        self.read_only = read_only
        self._con = _connect(self.path, read_only=read_only, timeout=self._lock_timeout)
        try:
            self._migrate(read_only=read_only)
            self._fetches = self._has_table("list_fetches")
            if seed_bundled:
                self.seed()
        except duckdb.Error as exc:
            self._con.close()
            if _is_write_denied(exc):
                raise CannotWrite(_cannot_write(self.path, exc)) from exc
            raise StoreError(f"{self.path}: unusable database ({_first_line(exc)})") from exc
        except StoreError:
            self._con.close()
            raise

    def _open_to_read(self, seed_bundled: bool) -> bool:
        """Open read-only; False (and closed) when the store must be written first: it has no
        tables yet, or lacks this release's bundled snapshot."""
        self.read_only = True
        self._con = _connect(self.path, read_only=True, timeout=self._lock_timeout)
        try:
            self._migrate(read_only=True)
            # A store made by an earlier release lacks list_fetches: a writer adds it.
            self._fetches = self._has_table("list_fetches")
            if self._fetches and (not seed_bundled or self._holds_bundled()):
                return True
        except (StoreError, duckdb.Error):
            pass  # no tables yet, or another schema: the writer's migrate says which
        self._con.close()
        return False

    def _has_table(self, name: str) -> bool:
        row = self._con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
        ).fetchone()
        return bool(row and row[0])

    def _holds_bundled(self) -> bool:
        row = self._con.execute(
            "SELECT count(*) FROM list_versions WHERE list_name = ? AND content_hash = ?",
            list(bundled_identity()),
        ).fetchone()
        return bool(row and row[0])

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

    def ingest(self, version: ListVersion, *, fetched: bool = False) -> tuple[str, bool]:
        """Store `version`; returns (version_id, created). Same list and content: nothing written,
        unless `fetched` (a list update, not the bundled seed): then the stored version becomes
        the latest again if it was not, and the date its source states now is kept.

        All rows go in one transaction, so a failure leaves no half-stored version.
        """
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only; cannot store {version.version_id}")
        existing = self._con.execute(
            "SELECT version_id FROM list_versions WHERE list_name = ? AND content_hash = ?",
            [version.list_name, version.content_hash],
        ).fetchone()
        if existing is not None:
            if fetched:
                self._fetched_again(str(existing[0]), version)
            return str(existing[0]), False
        # One JSON array parameter, unnested by DuckDB: row-by-row parameters cost ~2 ms a row.
        blob = json.dumps([e.to_dict() for e in version.entities], ensure_ascii=False)
        con = self._con
        try:
            con.begin()
            seq = self._next_seq()
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
            if _is_write_denied(exc):
                raise CannotWrite(_cannot_write(self.path, exc)) from exc
            raise StoreError(f"{self.path}: could not store {version.version_id}: {exc}") from exc
        return version.version_id, True

    def _next_seq(self) -> int:
        row = self._con.execute(
            "SELECT greatest((SELECT coalesce(max(seq), 0) FROM list_versions), "
            "(SELECT coalesce(max(seq), 0) FROM list_fetches)) + 1"
        ).fetchone()
        return int(row[0]) if row else 1

    def _fetched_again(self, version_id: str, version: ListVersion) -> None:
        """Record a fetch of content stored as `version_id`: it becomes the latest version of its
        list (if it was not), and keeps the date the source states now."""
        rec = self.record(version_id)
        latest = self.latest_record(version.list_name)
        stated = version.published
        if (
            latest is not None
            and latest["version_id"] == version_id
            and (stated is None or (rec["last_updated"] and stated <= rec["last_updated"]))
        ):
            return  # already the latest, and no later date to keep
        con = self._con
        try:
            con.begin()
            con.execute(
                "INSERT INTO list_fetches VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    self._next_seq(),
                    version_id,
                    version.list_name,
                    stated,
                    version.origin,
                    version.retrieved_at.isoformat(),
                    datetime.now(UTC).isoformat(timespec="seconds"),
                ],
            )
            con.commit()
        except duckdb.Error as exc:
            con.rollback()
            if _is_write_denied(exc):
                raise CannotWrite(_cannot_write(self.path, exc)) from exc
            raise StoreError(
                f"{self.path}: could not record a fetch of {version_id}: {exc}"
            ) from exc

    # --- reading --------------------------------------------------------------------------------

    def versions(self, list_name: str | None = None) -> list[dict[str, Any]]:
        """Stored versions, oldest first (in ingest order), as plain records (no entities); `rank`
        orders them for `latest` (a version fetched again moves up), `last_updated` is the latest
        date their sources stated."""
        if self._fetches:
            sql = (
                f"SELECT {_VERSION_COLUMNS}, f.rank, f.stated FROM list_versions LEFT JOIN "
                "(SELECT version_id, max(seq) AS rank, max(stated) AS stated FROM list_fetches "
                "GROUP BY version_id) AS f USING (version_id)"
            )
        else:  # a store of an earlier release, read where it cannot be written
            sql = f"SELECT {_VERSION_COLUMNS}, NULL, NULL FROM list_versions"
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
            if _is_write_denied(exc) and not read_only:
                raise CannotWrite(_cannot_write(path, exc)) from exc
            if "lock" not in text.lower():
                raise StoreError(f"{path}: cannot open the database ({_first_line(exc)})") from exc
            if time.monotonic() >= deadline:
                raise StoreError(_locked(path, text, read_only=read_only, waited=timeout)) from exc
            time.sleep(pause)
            pause = min(pause * 2, 0.5)
        except duckdb.Error as exc:
            raise StoreError(
                f"{path} is not a usable uflpa database ({_first_line(exc)}); "
                "move it away to start a new store"
            ) from exc


class CannotWrite(StoreError):
    """The store must be written (created, brought up to date, an ingest) and its file or folder
    is read-only for this user; a reader then reads it as it is."""


_WRITE_DENIED = ("permission denied", "read-only file system")
_HOLDER = re.compile(r"held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")


def _is_write_denied(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(words in text for words in _WRITE_DENIED)


def _cannot_write(path: Path, exc: BaseException) -> str:
    why = (
        "the file system is read-only"
        if "read-only file system" in str(exc).lower()
        else "permission denied: the file or its folder is read-only for this user"
    )
    return (
        f"cannot write the list store {path} ({why}); commands that only read it still work; "
        "run this as a user who may write it, or set UFLPA_HOME to a folder of your own"
    )


def _locked(path: Path, text: str, *, read_only: bool, waited: float) -> str:
    """Who holds the lock, in words: DuckDB names the program and its PID."""
    m = _HOLDER.search(text)
    if m is None:
        holder = "another process"
    else:
        pid = int(m.group("pid"))
        command = _command_line(pid)
        kind = "another uflpa process" if command and _is_uflpa(command) else "another process"
        # One line: a command line may hold newlines (python -c CODE) or control characters.
        words = " ".join(command).split() if command else [m.group("program")]
        shown = "".join(c if c.isprintable() else "?" for c in " ".join(words))
        shown = shown if len(shown) <= 80 else shown[:79] + "…"
        holder = f"{kind} (PID {pid}: {shown})"
    # Readers share the store: a reader is kept out by a writer only.
    doing = "being written by" if read_only else "in use by"
    return (
        f"the list store {path} is locked: it is {doing} {holder}; waited {waited:g} s; "
        "try again when it has finished"
    )


def _command_line(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [a.decode("utf-8", "replace") for a in raw.split(b"\0") if a]


def _is_uflpa(argv: list[str]) -> bool:
    """The `uflpa` command, `python -m uflpa ...`, or Python code that imports uflpa."""
    if any(os.path.basename(a) == "uflpa" for a in argv[:2]):
        return True
    for flag, arg in itertools.pairwise(argv):
        if flag == "-m" and arg.split(".")[0] == "uflpa":
            return True
        if flag == "-c" and re.search(r"\b(?:from|import)\s+uflpa\b", arg):
            return True
    return False


def _dated(rec: dict[str, Any]) -> date:
    """The day a stored version speaks for: its publication date, else the day it was fetched."""
    published = rec["published"]
    if isinstance(published, date):
        return published
    return datetime.fromisoformat(rec["retrieved_at"]).date()


def _ranked(recs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`recs` (one list) in the order that makes the latest (ingest order, a version fetched
    again moved to the time of that fetch), without the bundled snapshots that must not become
    the latest: those ingested after a version from a published source dated on or after them."""
    out: list[dict[str, Any]] = []
    newest_published: date | None = None
    for rec in sorted(recs, key=lambda r: int(r["rank"])):
        bundled = rec["source"] == BUNDLED_SOURCE
        if bundled and newest_published is not None and newest_published >= _dated(rec):
            continue
        out.append(rec)
        day = rec["last_updated"]
        if not bundled and day is not None:
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
    *columns, rank, stated = row
    rec = dict(zip(names, columns, strict=True))
    rec["coverage"] = json.loads(rec["coverage"]) if rec["coverage"] else None
    published = rec["published"]
    rec["published"] = published if isinstance(published, date) or published is None else None
    rec["rank"] = max(int(rec["seq"]), int(rank or 0))
    dates = [d for d in (rec["published"], stated) if isinstance(d, date)]
    rec["last_updated"] = max(dates) if dates else None
    return rec
