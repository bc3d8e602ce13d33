"""The stored lists through the API: lists and their versions, the diff between two versions,
one entity with every name and its history, the entities of a version, and ingesting a new
version (admin only; the same pipeline as `uflpa lists update`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import Response

from uflpa.model import UFLPA_LIST
from uflpa.service import ops
from uflpa.service.accounts import Principal
from uflpa.service.api.matching import json_response
from uflpa.service.api.models import Day
from uflpa.service.auth import Admin, Viewer, state_of
from uflpa.service.uploads import upload_name

router = APIRouter(prefix="/v1", tags=["lists"])


@router.get("/lists", summary="Stored lists, each with the version screening uses")
def lists(request: Request, _: Any = Viewer) -> Response:
    return json_response({"lists": ops.stored_lists(state_of(request).config.settings)})


@router.get("/lists/{name}/versions", summary="A list's stored versions, oldest first")
def versions(request: Request, name: str, _: Any = Viewer) -> Response:
    settings = state_of(request).config.settings
    return json_response({"list": name, "versions": ops.list_versions(settings, name)})


@router.get(
    "/lists/{name}/diff",
    summary="What changed between two versions (default: the latest and the one before)",
)
def diff(
    request: Request,
    name: str,
    from_: Annotated[str | None, Query(alias="from", max_length=100)] = None,
    to: Annotated[str | None, Query(max_length=100)] = None,
    _: Any = Viewer,
) -> Response:
    settings = state_of(request).config.settings
    return json_response(ops.diff_versions(settings, name, from_, to))


@router.get("/lists/{name}/entities", summary="The entities of the version in use, searchable")
def entities(
    request: Request,
    name: str,
    q: Annotated[str, Query(max_length=200)] = "",
    as_of: Day | None = None,
    _: Any = Viewer,
) -> Response:
    settings = state_of(request).config.settings
    return json_response(ops.search_entities(settings, q, list_name=name, day=as_of))


@router.post(
    "/lists/{name}/versions",
    status_code=201,
    summary="Ingest a new version of a list from an uploaded file (admin)",
    description="The DHS page (HTML), a Federal Register notice (XML/HTML), an OpenSanctions "
    "FollowTheMoney export (JSON lines) or the Consolidated Screening List (CSV/JSON). "
    "Entities keep their ids; the answer says what changed and whether screening now uses it.",
)
async def ingest(
    request: Request,
    name: str,
    file: Annotated[UploadFile, File()],
    source: Annotated[str | None, Form(max_length=40)] = None,
    principal: Principal = Admin,
) -> Response:
    data = await file.read()
    state = state_of(request)
    filename = upload_name(file, "upload")
    done = ops.ingest_list(
        state.config.settings,
        name,
        data,
        filename,
        source,
        engine=state.engine,
        actor=principal.name,
    )
    return json_response(done, 201 if done["created"] else 200)


@router.get("/entities/{entity_id}", summary="One listed entity: names, listings, history")
def entity(
    request: Request,
    entity_id: str,
    list_name: Annotated[str, Query(alias="list", max_length=100)] = UFLPA_LIST,
    _: Any = Viewer,
) -> Response:
    settings = state_of(request).config.settings
    return json_response(ops.entity_detail(settings, entity_id, list_name=list_name))
