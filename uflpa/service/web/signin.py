"""Signing in and out of the web pages, and the guard every page stands behind.

The login form has no session to carry a CSRF token yet, so it carries a signed one instead: a
random nonce, the time, and an HMAC of both under the service's secret (the same file for every
worker), with the nonce also set in a short-lived cookie. A post is accepted only when its token
is signed by us, is less than `LOGIN_TOKEN_SECONDS` old, and names the nonce in the cookie; a
page of another site can neither read the cookie nor forge the signature, so it cannot sign a
victim in under the attacker's account (login CSRF). The browser's `Origin`, when sent, must be
this service too.

A page asks for `page_user`: the principal of the request (session, API key or the local
single-user mode), or a redirect to `/login?next=…` for a browser that is not signed in. `next`
is only ever followed when it is a path of this site (one leading '/', no scheme, no host).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from uflpa.service.accounts import (
    SESSION_HOURS,
    Principal,
    authenticate_user,
    close_session,
    open_session,
)
from uflpa.service.auth import (
    CSRF_FIELD,
    SESSION_COOKIE,
    AuthError,
    check_csrf,
    identify,
    same_origin,
    state_of,
)
from uflpa.service.web.templating import render

#: The cookie holding the login form's nonce (scoped to /login, gone when the browser closes).
LOGIN_COOKIE = "uflpa_login"
#: How long a login form may stay open before it must be reloaded.
LOGIN_TOKEN_SECONDS = 2 * 3600
#: Longest user name and password the form passes on (longer is simply wrong).
MAX_CREDENTIAL = 256

router = APIRouter(include_in_schema=False)


class LoginRequired(Exception):
    """A page was asked for by a browser that is not signed in: send it to the login form."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


def safe_next(target: str | None) -> str:
    """`target` when it is a path on this site, else '/': never `//host`, `/\\host`, a scheme
    or a control character, all of which a browser would follow to another site."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return "/"
    return target


def login_redirect(request: Request, exc: Exception) -> Response:
    """The exception handler of `LoginRequired`: 303 to the login form, coming back after."""
    assert isinstance(exc, LoginRequired)
    target = safe_next(exc.target)
    location = "/login" if target == "/" else f"/login?next={quote(target, safe='')}"
    return RedirectResponse(location, status_code=303)


def page_user(request: Request) -> Principal:
    """The principal a page is shown to; not signed in is a redirect to the login form (an API
    key or a session that is not valid is refused by `identify` as it is on /v1)."""
    principal = identify(request)
    if principal is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target if request.method == "GET" else request.url.path)
    return principal


#: The dependency of every page: at least the viewer role (every role has it).
PageUser = Annotated[Principal, Depends(page_user)]


def require_role(principal: Principal, role: str) -> None:
    """Refuse (403) a principal without `role`, saying which role it takes."""
    if not principal.may(role):
        raise AuthError(403, f"this needs the {role} role; {principal.name} is {principal.role}")


def _sign(secret: bytes, nonce: str, issued: int) -> str:
    message = f"login|{nonce}|{issued}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def login_token(request: Request) -> tuple[str, str]:
    """A new login form token and the nonce its cookie holds."""
    nonce = secrets.token_urlsafe(18)
    issued = int(time.time())
    signature = _sign(state_of(request).local_secret, nonce, issued)
    return f"{nonce}.{issued}.{signature}", nonce


def login_token_ok(request: Request, token: str | None) -> bool:
    """Whether a posted login token is ours, fresh, and matches the browser's cookie."""
    if not token or token.count(".") != 2:
        return False
    nonce, issued_text, signature = token.split(".")
    if not issued_text.isdigit():
        return False
    issued = int(issued_text)
    expected = _sign(state_of(request).local_secret, nonce, issued)
    if not hmac.compare_digest(signature, expected):
        return False
    if not 0 <= time.time() - issued <= LOGIN_TOKEN_SECONDS:
        return False
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    return hmac.compare_digest(cookie, nonce)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _login_page(
    request: Request, target: str, *, error: str | None = None, user: str = "", status: int = 200
) -> Response:
    token, nonce = login_token(request)
    response = render(
        request,
        "login.html",
        {"login_token": token, "next": target, "error": error, "user": user},
        status=status,
    )
    response.set_cookie(
        LOGIN_COOKIE,
        nonce,
        max_age=LOGIN_TOKEN_SECONDS,
        path="/login",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    return response


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    """The sign-in form (in the local single-user mode there is nothing to sign in to)."""
    target = safe_next(next)
    if state_of(request).config.no_login:
        return RedirectResponse(target, status_code=303)
    principal = identify(request)
    if principal is not None:
        return RedirectResponse(target, status_code=303)
    return _login_page(request, target)


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=MAX_CREDENTIAL)] = "",
    password: Annotated[str, Form(max_length=MAX_CREDENTIAL)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
    token: Annotated[str | None, Form(alias=CSRF_FIELD, max_length=200)] = None,
) -> Response:
    """Check the form's token and the password; open a session and go where the user was
    going. A wrong password says so without telling which of the two was wrong."""
    target = safe_next(next)
    state = state_of(request)
    if state.config.no_login:
        return RedirectResponse(target, status_code=303)
    same_origin(request)
    if not login_token_ok(request, token):
        raise AuthError(
            403, "the sign-in form is out of date or was not sent by this site; reload it"
        )
    if not username or not password:
        return _login_page(
            request, target, error="give your user name and password", user=username, status=400
        )
    principal = authenticate_user(state.engine, username, password)
    if principal is None:
        return _login_page(
            request,
            target,
            error="the user name or the password is wrong",
            user=username,
            status=401,
        )
    session = open_session(state.engine, principal)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        session,
        max_age=SESSION_HOURS * 3600,
        path="/",
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(
    request: Request,
    principal: PageUser,
    token: Annotated[str | None, Form(alias=CSRF_FIELD, max_length=200)] = None,
) -> Response:
    """End the session (a form post with the session's token, so that no other site can sign
    a user out)."""
    check_csrf(request, principal, token)
    if principal.via != "session":
        return RedirectResponse("/", status_code=303)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        close_session(state_of(request).engine, cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
    return response
