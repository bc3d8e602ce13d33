"""Settings built once from the environment (UFLPA_* variables) and passed down explicitly."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def _default_home() -> Path:
    # Per-user data directory, XDG style; UFLPA_HOME overrides it (tests use a temp dir).
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "uflpa"


@dataclass(frozen=True, slots=True)
class Settings:
    """Where uflpa keeps its state. Nothing here is read from module globals after start-up."""

    home: Path
    #: The store of record (accounts, casework): UFLPA_DATABASE_URL, or None for the embedded
    #: SQLite file under `home` (`uflpa.records.database_url`).
    database_url: str | None = None

    @property
    def db_path(self) -> Path:
        return self.home / "uflpa.duckdb"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        home = env.get("UFLPA_HOME")
        return cls(
            home=Path(home).expanduser() if home else _default_home(),
            database_url=env.get("UFLPA_DATABASE_URL") or None,
        )
