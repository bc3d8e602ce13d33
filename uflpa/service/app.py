"""The FastAPI application: routers, the error table, limits, access logs and start-up.

`create_app(config)` builds one app; `app_from_env()` is what each uvicorn worker calls (the
`uflpa serve` options reach the workers as UFLPA_* variables).
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from uflpa import __version__
from uflpa.errors import InputError, UflpaError
from uflpa.records import engine_for
from uflpa.service.auth import AppState, AuthError, local_secret
from uflpa.service.config import ServiceConfig
from uflpa.service.jobs import Jobs

access_log = logging.getLogger("uflpa.access")
log = logging.getLogger("uflpa.service")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Security headers on every response: no framing, no sniffing, no script from elsewhere.
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'self'"
    ),
}


#: The errors every /v1 operation may answer with (documented in the OpenAPI description).
ERROR_STATUSES = {
    400: "The request cannot be done as asked (a bad option, an empty file)",
    401: "No credentials, or an API key or session that is not valid",
    403: "The credentials' role may not do this, or the request came from another site",
    404: "No such job, list, version or entity",
    413: "The body, the batch or the file is larger than the service accepts",
    422: "The request is invalid (a parameter or field of the wrong type, out of range, "
    "unknown), or the file cannot be read; `details` says where",
}
JOB_STATUSES = {409: "The job is not done (queued, running or failed): no results yet"}


def error_body(status: int, kind: str, message: str, **extra: Any) -> dict[str, Any]:
    """The one shape of every error the service returns."""
    error: dict[str, Any] = {"status": status, "type": kind, "message": message}
    error.update({k: v for k, v in extra.items() if v is not None})
    return {"error": error}


def _error_kind(exc: UflpaError) -> str:
    name = type(exc).__name__.removesuffix("Error")
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_") + "_error"


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/v1") and "text/html" in request.headers.get(
        "accept", ""
    )


def _too_large(limit: int) -> str:
    return (
        f"the request body is larger than this service accepts ({limit / 1024 / 1024:g} MB; "
        "UFLPA_MAX_UPLOAD_MB sets it)"
    )


class _TooLarge(StarletteHTTPException):
    """A body that grew past the limit while it was read (sent chunked, without a length).
    An HTTPException, because FastAPI's body parser passes those on and turns any other error
    into "400 There was an error parsing the body"; the 413 handler answers it."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _too_large(limit))


class BodyLimit:
    """Refuse a body larger than the limit with 413, before it is read (Content-Length) or as
    soon as it grows past it (a chunked body)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        html = not str(scope.get("path", "")).startswith("/v1") and b"text/html" in headers.get(
            b"accept", b""
        )
        if length is not None and length.isdigit() and int(length) > self.limit:
            await self._refuse(send, html)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge(self.limit)
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracking)
        except _TooLarge:
            if not started:
                await self._refuse(send, html)

    async def _refuse(self, send: Send, html: bool) -> None:
        """413, as JSON for the API and as a page for a browser's form."""
        message = _too_large(self.limit)
        if html:
            body = (
                "<!doctype html><html lang=en><meta charset=utf-8><title>413 · uflpa</title>"
                f"<h1>413: file too large</h1><p>{message}.</p><p><a href='/screen'>Back to "
                "the upload form</a></p></html>"
            ).encode()
            media = b"text/html; charset=utf-8"
        else:
            body = json.dumps(error_body(413, "too_large", message)).encode()
            media = b"application/json"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", media),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def create_app(config: ServiceConfig | None = None) -> FastAPI:
    config = config or ServiceConfig.from_env()
    jobs = Jobs(config.jobs_dir, workers=config.job_workers)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        failed = jobs.recover()
        if failed:
            log.warning("%d screening job(s) were interrupted and are marked failed", failed)
        from uflpa.service.background import Background

        background = Background(config, app.state.uflpa.engine)
        background.start()
        try:
            yield
        finally:
            background.stop()

    app = FastAPI(
        title="uflpa",
        version=__version__,
        summary="Screen supply chains for forced-labour risk under the UFLPA.",
        description=(
            "Match parties against the UFLPA Entity List (English, pinyin, Chinese), locate "
            "addresses in Xinjiang, map HTS codes to high-priority sectors, screen shipment and "
            "party files, trace supply chains, and read the stored list versions. Every verdict "
            "carries its evidence and the list, rules and algorithm versions it was made with. "
            "Authenticate with an API key (`X-API-Key: uflpa_…`, created with `uflpa keys "
            "create`); roles: viewer (reads and matches), analyst (screens files), admin "
            "(ingests list versions)."
        ),
        lifespan=lifespan,
        # Swagger UI loads its script from a CDN; /docs is a page of our own (web/reference.py).
        docs_url=None,
        redoc_url=None,
        openapi_url="/v1/openapi.json",
    )
    app.state.uflpa = AppState(
        config=config,
        engine=engine_for(config.database_url),
        local_secret=local_secret(config.settings.home),
        key_cache={},
        lock=threading.Lock(),
    )
    app.state.jobs = jobs
    _errors(app)
    # Inside the access log (added after it, so outer): the access log runs the app in a task
    # group of its own, which would wrap the 413 raised while a chunked body is read in an
    # ExceptionGroup, and FastAPI's body parser would answer "400 There was an error parsing
    # the body" instead; inside it, the 413 reaches its handler, and the access log says 413.
    app.add_middleware(BodyLimit, limit=config.max_upload_bytes)
    _access_log(app)

    from uflpa.service.api import casework, health, lists, matching, screenings, traces
    from uflpa.service.api.models import ErrorBody

    app.include_router(health.router)
    for module in (matching, screenings, traces, lists, casework):
        # The error statuses with the body they really have (FastAPI would document its own
        # 422 shape, `{"detail": [...]}`, which this service never sends).
        statuses = ERROR_STATUSES | (JOB_STATUSES if module is screenings else {})
        app.include_router(
            module.router,
            responses={
                status: {"model": ErrorBody, "description": text}
                for status, text in statuses.items()
            },
        )
    from uflpa.service.web import pages

    pages.mount(app)
    return app


def app_from_env() -> FastAPI:
    """The app of one uvicorn worker (`uvicorn --factory uflpa.service.app:app_from_env`)."""
    return create_app(ServiceConfig.from_env())


def _errors(app: FastAPI) -> None:
    async def uflpa_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, UflpaError)
        extra: dict[str, Any] = {}
        if isinstance(exc, InputError):
            extra = {"file": exc.file, "row": exc.row, "column": exc.column}
        return _respond(
            request,
            exc.http_status,
            error_body(exc.http_status, _error_kind(exc), str(exc), **extra),
        )

    async def auth_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, AuthError)
        kind = "unauthorized" if exc.status == 401 else "forbidden"
        response = _respond(request, exc.status, error_body(exc.status, kind, str(exc)))
        if exc.status == 401 and request.url.path.startswith("/v1"):
            response.headers["www-authenticate"] = 'Bearer realm="uflpa"'
        return response

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        details = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()))
            details.append({"where": where, "problem": str(err.get("msg", ""))})
        message = "; ".join(f"{d['where']}: {d['problem']}" for d in details) or "invalid request"
        return _respond(request, 422, error_body(422, "invalid_request", message, details=details))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        kind = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(
            exc.status_code, "http_error"
        )
        response = _respond(
            request, exc.status_code, error_body(exc.status_code, kind, str(exc.detail))
        )
        if exc.status_code == 413:
            response.headers["connection"] = "close"  # the rest of the body is not read
        return response

    async def internal_error(request: Request, exc: Exception) -> Response:
        incident = secrets.token_hex(6)
        log.exception("internal error %s on %s %s", incident, request.method, request.url.path)
        return _respond(
            request,
            500,
            error_body(
                500,
                "internal_error",
                f"the service failed on this request (incident {incident}); nothing was changed "
                "by it; the service's log has the details",
            ),
        )

    app.add_exception_handler(UflpaError, uflpa_error)
    app.add_exception_handler(AuthError, auth_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, internal_error)


def _respond(request: Request, status: int, body: dict[str, Any]) -> Response:
    if _wants_html(request):
        from uflpa.service.web.pages import error_page

        return error_page(request, status, body["error"]["message"])
    return JSONResponse(body, status_code=status)


def _access_log(app: FastAPI) -> None:
    @app.middleware("http")
    async def log_request(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        request_id = request.headers.get("x-request-id", "")[:64] or secrets.token_hex(8)
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
        finally:
            principal = getattr(request.state, "principal", None)
            access_log.info(
                json.dumps(
                    {
                        "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()),
                        "request_id": request_id,
                        "method": request.method,
                        "path": request.url.path,
                        "status": status,
                        "ms": round((time.perf_counter() - started) * 1000, 2),
                        "client": request.client.host if request.client else None,
                        "user": principal.name if principal else None,
                    }
                )
            )
        response.headers["x-request-id"] = request_id
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
