"""The store of record's engine: an embedded SQLite file under UFLPA_HOME by default, PostgreSQL
when UFLPA_DATABASE_URL names one, brought to the newest schema by Alembic on first use.

Several processes use it at once (the CLI, uvicorn workers, a scheduled monitor): SQLite runs in
WAL mode with a busy timeout, and a write transaction (`writing`) starts with `BEGIN IMMEDIATE`,
so that two writers queue at the start instead of one failing half-way with "database is locked"
(a deferred transaction that has read cannot wait for the write lock); a migration runs under a lock
(a file lock beside the SQLite file, an advisory lock on PostgreSQL), so that two processes
starting together do not both create the tables.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from uflpa.errors import StoreError
from uflpa.settings import Settings

_ENGINES: dict[str, Engine] = {}
_LOCK = threading.Lock()
_MIGRATIONS = Path(__file__).parent / "migrations"
#: The first revision, which an older release created without Alembic (`create_all`).
_BASELINE = "0001"
#: Any number, the same in every process: the PostgreSQL advisory lock a migration holds.
_PG_LOCK_KEY = 0x75F17A
#: The advisory lock every writing transaction holds on PostgreSQL.
_PG_WRITER_KEY = 0x75F17D


def database_url(settings: Settings | None = None) -> str:
    """UFLPA_DATABASE_URL, or the embedded file `records.sqlite` under UFLPA_HOME.

    The first release of the service kept its accounts in `service.sqlite` there: while no
    `records.sqlite` exists, that file is the store of record (migrated on first use), so an
    upgrade keeps every account and key."""
    settings = settings or Settings.from_env()
    if settings.database_url:
        return settings.database_url
    path = settings.home / "records.sqlite"
    legacy = settings.home / "service.sqlite"
    if not path.exists() and legacy.exists():
        path = legacy
    return f"sqlite:///{path}"


def engine_for(url: str | None = None) -> Engine:
    """One engine per database URL and process, migrated to the newest schema on first use."""
    url = url or database_url()
    with _LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            engine = _create(url)
            try:
                migrate(engine)
            except SQLAlchemyError as exc:
                engine.dispose()
                raise StoreError(f"store of record {_safe(url)}: {_first_line(exc)}") from None
            _ENGINES[url] = engine
        return engine


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A transaction that writes: committed at the end, rolled back on error. Writers queue, one
    at a time, on both databases: SQLite holds its write lock from the first statement (`BEGIN
    IMMEDIATE`), PostgreSQL a transaction-scoped advisory lock, so that what a writer reads
    before it writes (the parties an import upserts) cannot change under it."""
    with engine.execution_options(sqlite_begin="IMMEDIATE").begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_WRITER_KEY})
        yield conn


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine) -> None:
    """Bring the database to the newest revision (nothing to do when it is there already)."""
    head = head_revision()
    if current_revision(engine) == head:
        return
    if is_sqlite(engine):
        lock_path = Path(str(engine.url.database) + ".migrate-lock")
        with lock_path.open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                with engine.connect() as conn:
                    _upgrade(conn)
                    conn.commit()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
    else:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_LOCK_KEY})
            try:
                _upgrade(conn)
                conn.commit()
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK_KEY})
                conn.commit()


def _upgrade(conn: Connection) -> None:
    config = _config()
    config.attributes["connection"] = conn
    tables = set(inspect(conn).get_table_names())
    if "alembic_version" not in tables and "users" in tables:
        # Made by a release before migrations: it holds the first revision's tables.
        command.stamp(config, _BASELINE)
    command.upgrade(config, "head")


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def _create(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        # The driver's own transaction handling off: `_begin` starts every transaction, a
        # writer's (`writing`) with BEGIN IMMEDIATE.
        engine = create_engine(url, connect_args={"timeout": 30, "isolation_level": None})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin)
        return engine
    if url.startswith(("postgresql://", "postgres://")):
        # psycopg 3 (the `postgres` extra), not SQLAlchemy's default psycopg2.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    try:
        return create_engine(url, pool_pre_ping=True)
    except ImportError:
        raise StoreError(
            f"UFLPA_DATABASE_URL: {_safe(url)} needs a driver: pip install 'uflpa[postgres]'"
        ) from None
    except Exception as exc:  # a malformed URL
        raise StoreError(f"UFLPA_DATABASE_URL: cannot use {_safe(url)}: {exc}") from None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {'IMMEDIATE' if mode == 'IMMEDIATE' else 'DEFERRED'}")


def _safe(url: str) -> str:
    """The URL without a password."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}:***@{host}"
    return url


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
