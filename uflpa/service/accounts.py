"""Accounts, API keys and web sessions, with their roles.

Passwords are kept as scrypt hashes (salted); API keys and session tokens are random 256-bit
secrets kept as SHA-256 hashes (a secret that long needs no slow hash), so that a copy of the
database gives no one a way in. A key is shown once, when it is created.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, insert, select, update

from uflpa.casework import audit
from uflpa.errors import NotFoundError, UsageError
from uflpa.records import writing
from uflpa.records.tables import api_keys, users, web_sessions

VIEWER, ANALYST, ADMIN = "viewer", "analyst", "admin"
#: Roles in order of what they may do; each may do what those before it may.
ROLES = (VIEWER, ANALYST, ADMIN)
KEY_PREFIX = "uflpa_"
SESSION_HOURS = 12
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


@dataclass(frozen=True, slots=True)
class Principal:
    """Who makes a request: a user (by password or session), an API key, or the local user."""

    name: str
    role: str
    via: str  # "session", "key" or "local"
    csrf: str = ""

    def may(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UsageError(f"--role: {role!r} is not a role; roles: {', '.join(ROLES)}")
    return role


def _now() -> datetime:
    return datetime.now(UTC)


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    got = hashlib.scrypt(
        password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p)
    )
    return hmac.compare_digest(got.hex(), digest)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def add_user(engine: Engine, name: str, password: str, role: str, *, by: str = "cli") -> None:
    """Create an account (or say that the name is taken); recorded in the audit log as done
    `by` someone."""
    if not _NAME.match(name):
        raise UsageError(
            f"user name {name!r}: use 1-64 letters, digits, '.', '_', '@' or '-', "
            "starting with a letter or digit"
        )
    if len(password) < 10:
        raise UsageError("password: use at least 10 characters")
    check_role(role)
    with writing(engine) as conn:
        if conn.execute(select(users.c.name).where(users.c.name == name)).first():
            raise UsageError(f"user {name!r} exists already")
        conn.execute(
            insert(users).values(
                name=name, password_hash=hash_password(password), role=role, created_at=_now()
            )
        )
        audit.append(conn, by, "user added", f"user {name}", {"role": role})


def list_users(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(users.c.name, users.c.role, users.c.created_at, users.c.disabled_at).order_by(
                users.c.name
            )
        )
        return [dict(r._mapping) for r in rows]


def authenticate_user(engine: Engine, name: str, password: str) -> Principal | None:
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.name == name)).first()
    if row is None or row.disabled_at is not None:
        # Same work whether or not the user exists, so that timing does not tell.
        verify_password(password, hash_password("not a password"))
        return None
    if not verify_password(password, row.password_hash):
        return None
    return Principal(name=row.name, role=row.role, via="session")


def create_key(
    engine: Engine, role: str, label: str, owner: str | None = None, *, by: str = "cli"
) -> str:
    """A new API key with `role`; the secret is returned once and only its hash is kept (the
    audit log records the key's id, role and label, never the secret)."""
    check_role(role)
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    with writing(engine) as conn:
        conn.execute(
            insert(api_keys).values(
                key_id=key_id,
                secret_sha256=_sha256(secret),
                role=role,
                label=label[:200],
                owner=owner,
                created_at=_now(),
            )
        )
        audit.append(
            conn,
            by,
            "key created",
            f"key {key_id}",
            {"role": role, "label": label[:200], "owner": owner},
        )
    return f"{KEY_PREFIX}{key_id}_{secret}"


def list_keys(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                api_keys.c.key_id,
                api_keys.c.role,
                api_keys.c.label,
                api_keys.c.owner,
                api_keys.c.created_at,
                api_keys.c.revoked_at,
            ).order_by(api_keys.c.created_at)
        )
        return [dict(r._mapping) for r in rows]


def revoke_key(engine: Engine, key_id: str, *, by: str = "cli") -> None:
    key_id = key_id.removeprefix(KEY_PREFIX).split("_", 1)[0]
    with writing(engine) as conn:
        done = conn.execute(
            update(api_keys)
            .where(api_keys.c.key_id == key_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=_now())
        )
        if done.rowcount == 0:
            raise NotFoundError(f"no active API key {key_id!r} (see: uflpa keys list)")
        audit.append(conn, by, "key revoked", f"key {key_id}", {})


def authenticate_key(engine: Engine, key: str) -> Principal | None:
    if not key.startswith(KEY_PREFIX) or key.count("_") < 2:
        return None
    key_id, secret = key.removeprefix(KEY_PREFIX).split("_", 1)
    with engine.connect() as conn:
        row = conn.execute(select(api_keys).where(api_keys.c.key_id == key_id)).first()
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(row.secret_sha256, _sha256(secret)):
        return None
    return Principal(name=f"key:{key_id}", role=row.role, via="key")


def open_session(engine: Engine, user: Principal) -> str:
    """A new web session for `user`: the cookie's token (only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    now = _now()
    with writing(engine) as conn:
        conn.execute(delete(web_sessions).where(web_sessions.c.expires_at < now))
        conn.execute(
            insert(web_sessions).values(
                token_sha256=_sha256(token),
                user_name=user.name,
                csrf=secrets.token_urlsafe(24),
                created_at=now,
                expires_at=now + timedelta(hours=SESSION_HOURS),
            )
        )
    return token


def session_user(engine: Engine, token: str) -> Principal | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(web_sessions, users.c.role, users.c.disabled_at)
            .join(users, users.c.name == web_sessions.c.user_name)
            .where(web_sessions.c.token_sha256 == _sha256(token))
        ).first()
    if row is None or row.disabled_at is not None:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
    if expires < _now():
        return None
    return Principal(name=row.user_name, role=row.role, via="session", csrf=row.csrf)


def close_session(engine: Engine, token: str) -> None:
    with writing(engine) as conn:
        conn.execute(delete(web_sessions).where(web_sessions.c.token_sha256 == _sha256(token)))
