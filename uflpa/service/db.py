"""The service's own records (accounts, API keys, web sessions) through SQLAlchemy: an embedded
SQLite file under UFLPA_HOME by default, PostgreSQL when UFLPA_DATABASE_URL names one.

The list versions stay in the DuckDB store (`uflpa.store`); screening jobs are folders under
UFLPA_HOME/jobs (`uflpa.service.jobs`). SQLite runs in WAL mode with a busy timeout, so that the
CLI (`uflpa users add`) and several uvicorn workers can write at the same time.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    MetaData,
    String,
    Table,
    create_engine,
    event,
)
from sqlalchemy.exc import OperationalError, ProgrammingError

from uflpa.errors import StoreError

metadata = MetaData()

users = Table(
    "users",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("password_hash", String(256), nullable=False),
    Column("role", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("disabled_at", DateTime(timezone=True), nullable=True),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("key_id", String(32), primary_key=True),
    Column("secret_sha256", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("label", String(200), nullable=False),
    Column("owner", String(64), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_sha256", String(64), primary_key=True),
    Column("user_name", String(64), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

_ENGINES: dict[str, Engine] = {}
_LOCK = threading.Lock()


def engine_for(url: str) -> Engine:
    """One engine per database URL and process, its tables created on first use."""
    with _LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            engine = _create(url)
            _ENGINES[url] = engine
        return engine


def _create(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        from pathlib import Path

        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        if url.startswith(("postgresql://", "postgres://")):
            # psycopg 3 (the `postgres` extra), not SQLAlchemy's default psycopg2.
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        try:
            engine = create_engine(url, pool_pre_ping=True)
        except ImportError:
            raise StoreError(
                f"UFLPA_DATABASE_URL: {_safe(url)} needs a driver: pip install 'uflpa[postgres]'"
            ) from None
        except Exception as exc:  # a malformed URL
            raise StoreError(f"UFLPA_DATABASE_URL: cannot use {_safe(url)}: {exc}") from None
    for attempt in range(3):
        try:
            metadata.create_all(engine, checkfirst=True)
            break
        except (OperationalError, ProgrammingError) as exc:
            # Two workers starting together may both create a table; the second finds it made.
            if "already exists" in str(exc) and attempt < 2:
                continue
            raise StoreError(f"service database {_safe(url)}: {_first_line(exc)}") from None
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _safe(url: str) -> str:
    """The URL without a password."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}:***@{host}"
    return url


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
