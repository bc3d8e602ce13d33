"""Alembic's environment for the store of record: always run from `uflpa.records.engine.migrate`,
which hands over the connection (and holds the migration lock)."""

from __future__ import annotations

from alembic import context

from uflpa.records.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite alters tables by copying them: batch mode lets later migrations change columns.
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
