"""The Jinja2 environment of the web pages and the one function that renders a page.

Autoescaping is on for every template whatever its name (not only `*.html`), because every page
shows text someone else wrote: party names from uploaded files, list entries from an ingested
list, a search box's query. The only markup a template may print raw is the SVG the server draws
itself (`ops.growth_svg`, the trace graph), which escapes its own labels.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from uflpa import __version__
from uflpa.service.accounts import ANALYST, Principal
from uflpa.service.auth import CSRF_FIELD, state_of

#: The package folder of the web interface: its templates and static files ship in the wheel
#: with the Python modules (hatch includes every file under the `uflpa` package).
HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

#: Verdicts the pages colour; anything else is shown as plain text.
VERDICT_CLASSES = frozenset({"hit", "review", "clear", "error"})


def query_string(params: Mapping[str, Any], **changes: Any) -> str:
    """`?a=1&b=2` from the page's current parameters with `changes` applied; empty values are
    dropped, so that a link never carries `verdict=` with nothing after it."""
    merged = {**params, **changes}
    kept = {k: str(v) for k, v in merged.items() if v is not None and v != ""}
    return "?" + urlencode(kept) if kept else "?"


def pretty_json(value: Any) -> str:
    """A record as indented JSON text (escaped by the template like any other text)."""
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def verdict_class(verdict: Any) -> str:
    """The CSS class of a verdict badge (a fixed set: never text from a file)."""
    text = str(verdict or "")
    return text if text in VERDICT_CLASSES else "other"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pretty_json"] = pretty_json
    env.filters["verdict_class"] = verdict_class
    env.globals["query_string"] = query_string
    env.globals["version"] = __version__
    env.globals["CSRF_FIELD"] = CSRF_FIELD
    return env


ENV = _environment()


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
    principal: Principal | None = None,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """A page: `template` rendered with what every page needs (who is signed in, their CSRF
    token, the local-mode banner, the section of the nav bar) and `context`."""
    if principal is None:
        principal = getattr(request.state, "principal", None)
    try:
        local = state_of(request).config.no_login
    except AttributeError:  # an error page of an app without the uflpa state
        local = False
    base: dict[str, Any] = {
        "request": request,
        "principal": principal,
        "csrf": principal.csrf if principal is not None else "",
        "may_screen": principal is not None and principal.may(ANALYST),
        "local_mode": local,
        "path": request.url.path,
    }
    html = ENV.get_template(template).render({**base, **(context or {})})
    response = HTMLResponse(html, status_code=status, headers=dict(headers or {}))
    # Pages hold names from screened files: no shared cache may keep them.
    response.headers.setdefault("cache-control", "no-store")
    return response
