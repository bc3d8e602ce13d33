"""Who is asking, and may they: API keys (`X-API-Key` or `Authorization: Bearer`), web sessions
(a cookie, with a CSRF token on every form), or the local single-user mode.

Unsafe methods sent by a browser (a session cookie or the local mode) must come from this
service's own pages: a request whose `Origin` names another site is refused, and a form must
carry the session's CSRF token. A request with an API key carries no ambient authority and
needs neither.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import Depends, Request
from sqlalchemy import Engine

from uflpa.service.accounts import (
    ADMIN,
    ANALYST,
    VIEWER,
    Principal,
    authenticate_key,
    session_user,
)
from uflpa.service.config import ServiceConfig

SESSION_COOKIE = "uflpa_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
#: Seconds an API key's check is reused in a process (a revoked key stops within this time).
KEY_CACHE_SECONDS = 5.0
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class AuthError(Exception):
    """401 (who are you?) or 403 (you may not)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(slots=True)
class AppState:
    """What every request of one app shares."""

    config: ServiceConfig
    engine: Engine
    local_secret: bytes
    key_cache: dict[str, tuple[float, Principal | None]]
    lock: threading.Lock


def local_secret(home: Path) -> bytes:
    """A secret kept in UFLPA_HOME (mode 600), the same for every worker of the service: the
    local mode's CSRF tokens are made from it."""
    path = home / "service.secret"
    home.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        tmp = path.with_name(f".service.secret.{secrets.token_hex(4)}")
        tmp.write_bytes(secrets.token_bytes(32))
        tmp.chmod(0o600)
        try:
            os.link(tmp, path)  # the first worker to get here wins; the others read its secret
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_bytes()


def state_of(request: Request) -> AppState:
    state: AppState = request.app.state.uflpa
    return state


def _key_of(request: Request) -> str | None:
    key = request.headers.get("x-api-key")
    if key:
        return key.strip()
    auth = request.headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def _by_key(state: AppState, key: str) -> Principal | None:
    now = time.monotonic()
    digest = hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()
    with state.lock:
        hit = state.key_cache.get(digest)
    if hit is not None and now - hit[0] < KEY_CACHE_SECONDS:
        return hit[1]
    found = authenticate_key(state.engine, key)
    with state.lock:
        if len(state.key_cache) > 1024:
            state.key_cache.clear()
        state.key_cache[digest] = (now, found)
    return found


def identify(request: Request) -> Principal | None:
    """The principal of a request, or None when it carries no credentials at all; a key or a
    session that is not valid is an AuthError (never silently anonymous)."""
    cached: Principal | None = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    state = state_of(request)
    key = _key_of(request)
    principal: Principal | None = None
    if key is not None:
        principal = _by_key(state, key)
        if principal is None:
            raise AuthError(401, "the API key is not valid (unknown, revoked or mistyped)")
    elif state.config.no_login:
        principal = Principal(name="local", role=ADMIN, via="local", csrf=local_csrf(state))
    else:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            principal = session_user(state.engine, token)
    if principal is not None and principal.via != "key" and request.method in UNSAFE:
        same_origin(request)
    request.state.principal = principal
    return principal


def local_csrf(state: AppState) -> str:
    return hmac.new(state.local_secret, b"local-csrf", hashlib.sha256).hexdigest()[:32]


def same_origin(request: Request) -> None:
    origin = request.headers.get("origin")
    if not origin:
        return  # not sent by a browser
    host = request.headers.get("host", "")
    if origin == "null" or urlsplit(origin).netloc != host:
        raise AuthError(403, f"a request from another site ({origin[:100]}) is refused")


def check_csrf(request: Request, principal: Principal, token: str | None) -> None:
    """A form posted with a session (or in the local mode) must carry the session's token."""
    if principal.via == "key":
        return
    given = token or request.headers.get(CSRF_HEADER) or ""
    if not principal.csrf or not hmac.compare_digest(given, principal.csrf):
        raise AuthError(403, "the form's security token is missing or out of date; reload the page")


def require(role: str) -> Callable[[Request], Principal]:
    """A dependency: the request's principal, who must hold at least `role`."""

    def dependency(request: Request) -> Principal:
        principal = identify(request)
        if principal is None:
            raise AuthError(401, "sign in, or send an API key (X-API-Key or Authorization: Bearer)")
        if not principal.may(role):
            raise AuthError(
                403, f"this needs the {role} role; {principal.name} is {principal.role}"
            )
        return principal

    return dependency


Viewer = Depends(require(VIEWER))
Analyst = Depends(require(ANALYST))
Admin = Depends(require(ADMIN))
