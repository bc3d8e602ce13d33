"""Who does a piece of casework, and whether their role allows it.

The service knows its caller (a signed-in user or an API key, `uflpa.service.accounts`). At the
command line the person at the terminal can already open the database file, so no password is
asked; but once the store of record has accounts, a CLI actor (`--user NAME`) must be one of them,
enabled and with the role the command needs, so that decisions stay attributed to a person the
team knows. Before any account exists, the CLI acts as `local:LOGIN`.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from uflpa.errors import PermissionDenied, UsageError
from uflpa.records.tables import users

VIEWER, ANALYST, ADMIN = "viewer", "analyst", "admin"
ROLES = (VIEWER, ANALYST, ADMIN)


@dataclass(frozen=True, slots=True)
class Actor:
    """A person (or key) doing casework, with the role it acts in."""

    name: str
    role: str

    def may(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)

    def require(self, role: str, doing: str) -> None:
        if not self.may(role):
            raise PermissionDenied(f"{doing} needs the {role} role; {self.name} is a {self.role}")


def cli_actor(engine: Engine, user: str | None) -> Actor:
    """The actor of a CLI command: `--user` (or UFLPA_USER), checked against the accounts."""
    name = (user or os.environ.get("UFLPA_USER") or "").strip()
    with engine.connect() as conn:
        accounts = conn.execute(select(func.count()).select_from(users)).scalar_one()
        row = conn.execute(select(users).where(users.c.name == name)).first() if name else None
    if not accounts:
        return Actor(name or f"local:{_login()}", ADMIN)
    if not name:
        raise UsageError(
            "this store of record has accounts: say who you are with --user NAME (or UFLPA_USER)"
        )
    if row is None or row.disabled_at is not None:
        raise PermissionDenied(f"--user {name}: no such enabled account (see: uflpa users list)")
    return Actor(row.name, row.role)


def actor_name(user: str | None) -> str:
    """Who acts where no role is needed (a list ingest at the command line), for the audit log."""
    return (user or os.environ.get("UFLPA_USER") or "").strip() or f"local:{_login()}"


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in a container: still attributable to this machine
        return "unknown"
