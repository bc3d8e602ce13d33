"""Where list versions are kept: an embedded DuckDB file (see `ListStore`)."""

from uflpa.store.duckdb_store import DEFAULT_LIST, ListStore

__all__ = ["DEFAULT_LIST", "ListStore"]
