"""The store of record: accounts and casework in one relational database, through SQLAlchemy 2
with Alembic migrations; an embedded SQLite file under UFLPA_HOME by default, PostgreSQL
(UFLPA_DATABASE_URL=postgresql://…) for a team. List versions stay in the DuckDB list store
(`uflpa.store`)."""

from uflpa.records.engine import database_url, engine_for, is_sqlite, writing
from uflpa.records.tables import metadata

__all__ = ["database_url", "engine_for", "is_sqlite", "metadata", "writing"]
