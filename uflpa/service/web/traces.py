"""Tracing a supply chain from the browser: a bundled example (cotton apparel, solar modules)
or uploaded node and edge tables (or one FollowTheMoney export), traced by `ops` as
`POST /v1/traces/upload` does, shown as the graph with its exposure paths and a table of nodes.
"""

from __future__ import annotations

import tempfile
from contextlib import ExitStack
from datetime import date
from importlib.resources import as_file, files
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from uflpa.errors import InputError, UflpaError, UsageError
from uflpa.service import ops
from uflpa.service.accounts import Principal
from uflpa.service.auth import CSRF_FIELD, check_csrf, state_of
from uflpa.service.uploads import FTM_SUFFIXES, TABLE_SUFFIXES, save_upload
from uflpa.service.web.display import trace_rows
from uflpa.service.web.signin import PageUser
from uflpa.service.web.templating import render

router = APIRouter(include_in_schema=False)

#: The bundled example chains (uflpa/data/examples/chains/<name>/{nodes,edges}.csv).
EXAMPLES = {
    "cotton": "Cotton apparel: a Xinjiang ginner four tiers above a US importer",
    "solar": "Solar modules: polysilicon from listed firms, and an owner of one",
}
MAX_PATHS = 3


def _form_page(
    request: Request,
    principal: Principal,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "trace.html",
        {
            "examples": EXAMPLES,
            "form": form or {"example": "cotton", "as_of": ""},
            "errors": errors or {},
            "node_accept": ",".join(TABLE_SUFFIXES + FTM_SUFFIXES),
            "edge_accept": ",".join(TABLE_SUFFIXES),
        },
        status=status,
        principal=principal,
    )


@router.get("/trace")
def trace_form(request: Request, principal: PageUser) -> Response:
    """Choose an example chain or upload one."""
    return _form_page(request, principal)


def _example_dir(name: str) -> Any:
    return files("uflpa.data").joinpath("examples", "chains", name)


async def _saved(upload: UploadFile, role: str, folder: Path, allowed: tuple[str, ...]) -> Path:
    try:
        path, _ = await save_upload(upload, role, folder, allowed)
    except UsageError as exc:
        raise _FieldError(role, str(exc)) from None
    return path


class _FieldError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@router.post("/trace")
async def trace_submit(
    request: Request,
    principal: PageUser,
    example: Annotated[str, Form(max_length=20)] = "",
    nodes: Annotated[UploadFile | None, File()] = None,
    edges: Annotated[UploadFile | None, File()] = None,
    as_of: Annotated[str, Form(max_length=40)] = "",
    token: Annotated[str | None, Form(alias=CSRF_FIELD, max_length=200)] = None,
) -> Response:
    """Trace the chosen example or the uploaded files; the graph and the node table, or the
    form again with the message beside the field it is about."""
    check_csrf(request, principal, token)
    form = {"example": example, "as_of": as_of}
    day = None
    if as_of.strip():
        try:
            day = date.fromisoformat(as_of.strip())
        except ValueError:
            return _form_page(
                request,
                principal,
                form=form,
                errors={"as_of": f"as of: {as_of[:40]!r} is not a date; use YYYY-MM-DD"},
                status=400,
            )
    uploaded = nodes is not None and bool(nodes.filename)
    if example and example not in EXAMPLES:
        return _form_page(
            request,
            principal,
            form=form,
            errors={"example": "choose one of the examples"},
            status=400,
        )
    if not example and not uploaded:
        return _form_page(
            request,
            principal,
            form=form,
            errors={"nodes": "choose an example, or upload a nodes file (or an FtM export)"},
            status=400,
        )
    settings = state_of(request).config.settings
    with ExitStack() as stack:
        try:
            if example:
                folder = stack.enter_context(as_file(_example_dir(example)))
                node_path, edge_path = folder / "nodes.csv", folder / "edges.csv"
                names = {node_path: f"{example}/nodes.csv", edge_path: f"{example}/edges.csv"}
                source = f"the {example} example"
            else:
                assert nodes is not None
                folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="uflpa-")))
                node_path = await _saved(nodes, "nodes", folder, TABLE_SUFFIXES + FTM_SUFFIXES)
                edge_path = None
                names = {node_path: nodes.filename or "nodes"}
                if edges is not None and edges.filename:
                    edge_path = await _saved(edges, "edges", folder, TABLE_SUFFIXES)
                    names[edge_path] = edges.filename
                source = ", ".join(names.values())
            data = await run_in_threadpool(
                ops.trace_files_named,
                settings,
                node_path,
                edge_path,
                names=names,
                as_of=day,
                max_paths=MAX_PATHS,
            )
        except _FieldError as exc:
            return _form_page(
                request, principal, form=form, errors={exc.field: str(exc)}, status=400
            )
        except UflpaError as exc:
            field = "nodes"
            if isinstance(exc, InputError) and edges is not None and exc.file == edges.filename:
                field = "edges"
            return _form_page(
                request, principal, form=form, errors={field: str(exc)}, status=exc.http_status
            )
    return render(
        request,
        "trace_result.html",
        {"data": data, "rows": trace_rows(data["nodes"]), "source": source},
        principal=principal,
    )
