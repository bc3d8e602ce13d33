"""Settings built once from the environment (UFLPA_* variables) and passed down explicitly."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

#: Longest value, in characters, that uflpa reads from a cell of a user's file (every column it
#: reads: names, addresses, identifiers, dates, codes) and that the service accepts in a
#: request. No company name or address comes near it; a longer value is a damaged or hostile
#: file, and screening it would cost time and memory for nothing. `MAX_FIELD_ENV` overrides it.
MAX_FIELD_CHARS = 2000
MAX_FIELD_ENV = "UFLPA_MAX_FIELD_CHARS"


def max_field_chars(environ: Mapping[str, str] | None = None) -> int:
    """The bound on a value's length: UFLPA_MAX_FIELD_CHARS when set, else `MAX_FIELD_CHARS`.

    Raises ValueError (with the message to show) when the variable is not a positive whole
    number: a bound that silently fell back to a default would hide the user's setting.
    """
    env = os.environ if environ is None else environ
    text = env.get(MAX_FIELD_ENV, "").strip()
    if not text:
        return MAX_FIELD_CHARS
    if not text.isdigit() or int(text) < 1:
        raise ValueError(
            f"{MAX_FIELD_ENV}={text!r}: expected a positive whole number of characters "
            f"(the default is {MAX_FIELD_CHARS:,})"
        )
    return int(text)


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
