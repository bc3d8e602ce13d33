"""The web interface of `uflpa serve`: pages rendered on the server over the same operations as
the /v1 API (`uflpa.service.ops`), for people who screen without writing a client.

`mount(app)` adds the pages, the static files and the login redirect to an app built by
`uflpa.service.app.create_app`; `error_page` is how that app answers a browser when a page fails
(the API keeps its JSON errors). This module holds the search and list pages; screening jobs,
tracing and signing in have modules of their own beside it.
"""

from __future__ import annotations

import html
import logging
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from uflpa.errors import UflpaError
from uflpa.model import CLEAR, UFLPA_LIST
from uflpa.service import ops
from uflpa.service.auth import identify, state_of
from uflpa.service.web import casework, reference, screenings, signin, traces
from uflpa.service.web.display import change_details, source_parts
from uflpa.service.web.signin import LoginRequired, PageUser, login_redirect
from uflpa.service.web.templating import STATIC, render

log = logging.getLogger("uflpa.service.web")

router = APIRouter(include_in_schema=False)

#: Queries the empty search page offers as examples: one per script the matcher reads.
EXAMPLES = ("Hoshine Silicon Industry", "合盛硅业", "Xinjiang Zhongtai Chemical", "Zhongtai Huaxue")
#: Fields of the search form, in the order an error message may name them.
SEARCH_FIELDS = ("name", "country", "address")
#: Longest text a search field takes (as the API).
MAX_FIELD = ops.MAX_FIELD


def mount(app: FastAPI) -> None:
    """Add the web interface to `app`: its pages, /static, and the redirect of a browser that
    is not signed in to the login form."""
    app.include_router(signin.router)
    app.include_router(router)
    app.include_router(screenings.router)
    app.include_router(traces.router)
    app.include_router(reference.router)
    app.include_router(casework.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(LoginRequired, login_redirect)


def error_page(request: Request, status: int, message: str) -> Response:
    """A failed page as a page: the status, what went wrong, a way home. It must not fail
    itself, so a template error falls back to a bare page (both escape the message)."""
    principal = getattr(request.state, "principal", None)
    if principal is None and status != 401:
        # A page that failed before asking who is there (an unknown path) still shows the
        # user's nav bar; credentials that are not valid simply leave it out.
        try:
            principal = identify(request)
        except Exception:
            principal = None
    try:
        return render(
            request,
            "error.html",
            {"status": status, "message": message},
            status=status,
            principal=principal,
        )
    except Exception:  # the error page of an error page: log it, answer plainly
        log.exception("the error page failed for %s", request.url.path)
        body = (
            f"<!doctype html><title>{status}</title><h1>{status}</h1>"
            f"<p>{html.escape(message)}</p><p><a href='/'>uflpa home</a></p>"
        )
        return HTMLResponse(body, status_code=status)


def _field_of(message: str) -> str:
    """Which search field an error message is about (ops names it first: 'name: empty')."""
    head = message.split(":", 1)[0].strip()
    return head if head in SEARCH_FIELDS else "name"


@router.get("/")
def search(
    request: Request,
    principal: PageUser,
    name: Annotated[str, Query(max_length=MAX_FIELD)] = "",
    country: Annotated[str, Query(max_length=MAX_FIELD)] = "",
    address: Annotated[str, Query(max_length=MAX_FIELD)] = "",
) -> Response:
    """Search one party (any script) with its country and address: the candidates, each with
    its verdict, score, the name form it matched and the evidence in sentences."""
    settings = state_of(request).config.settings
    form = {"name": name, "country": country, "address": address}
    context: dict[str, Any] = {
        "form": form,
        "examples": EXAMPLES,
        "result": None,
        "flagged": [],
        "below": [],
        "errors": {},
    }
    status = 200
    if name.strip():
        try:
            result = ops.match_party(
                settings, name, country=country or None, address=address or None
            )
        except UflpaError as exc:
            context["errors"] = {_field_of(str(exc)): str(exc)}
            status = exc.http_status
        else:
            context["result"] = result
            context["flagged"] = [c for c in result["candidates"] if c["verdict"] != CLEAR]
            context["below"] = [c for c in result["candidates"] if c["verdict"] == CLEAR]
    elif name or country or address:
        context["errors"] = {"name": "name: give a party name in any script"}
        status = 400
    return render(request, "search.html", context, status=status, principal=principal)


@router.get("/lists")
def entities(
    request: Request,
    principal: PageUser,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """The entities of the list version in use, filtered by a word of any of their names."""
    data = ops.search_entities(state_of(request).config.settings, q)
    return render(request, "lists.html", {"data": data, "q": q}, principal=principal)


@router.get("/entities/{entity_id}")
def entity(request: Request, entity_id: str, principal: PageUser) -> Response:
    """One entity: every name we know in every script, its listings and its history."""
    data = ops.entity_detail(state_of(request).config.settings, entity_id)
    sources = [source_parts(n.get("source")) for n in data["chinese_names"]]
    return render(
        request,
        "entity.html",
        {"e": data, "sources": sources},
        principal=principal,
    )


def _list_choice(settings: Any, list_name: str) -> tuple[list[dict[str, Any]], str]:
    stored = ops.stored_lists(settings)
    names = [s["list"] for s in stored]
    if list_name not in names and names:
        list_name = UFLPA_LIST if UFLPA_LIST in names else names[0]
    return stored, list_name


@router.get("/lists/versions")
def versions(
    request: Request,
    principal: PageUser,
    list_name: Annotated[str, Query(alias="list", max_length=100)] = UFLPA_LIST,
) -> Response:
    """The stored versions of a list, the chart of its growth, and a form to compare two."""
    settings = state_of(request).config.settings
    stored, list_name = _list_choice(settings, list_name)
    rows = ops.list_versions(settings, list_name)
    chart, chart_note = None, None
    try:
        chart = ops.growth_svg(settings, list_name)
    except UflpaError as exc:
        chart_note = str(exc)
    return render(
        request,
        "versions.html",
        {
            "stored": stored,
            "list_name": list_name,
            "versions": rows,
            "chart_svg": chart,
            "chart_note": chart_note,
            "chosen": {"from": "", "to": ""},
            "error": None,
        },
        principal=principal,
    )


@router.get("/lists/diff")
def diff(
    request: Request,
    principal: PageUser,
    list_name: Annotated[str, Query(alias="list", max_length=100)] = UFLPA_LIST,
    from_: Annotated[str, Query(alias="from", max_length=100)] = "",
    to: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    """What changed between two stored versions (the latest and the one before it when none
    is chosen): the counts and every change."""
    settings = state_of(request).config.settings
    stored, list_name = _list_choice(settings, list_name)
    rows = ops.list_versions(settings, list_name)
    context: dict[str, Any] = {
        "stored": stored,
        "list_name": list_name,
        "versions": rows,
        "chosen": {"from": from_, "to": to},
        "diff": None,
        "error": None,
        "details": [],
    }
    status = 200
    try:
        data = ops.diff_versions(settings, list_name, from_ or None, to or None)
    except UflpaError as exc:
        context["error"] = str(exc)
        status = exc.http_status
    else:
        context["diff"] = data
        context["details"] = [change_details(c) for c in data["changes"]]
    return render(request, "diff.html", context, status=status, principal=principal)
