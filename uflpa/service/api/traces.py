"""Tracing a supply chain through the API: nodes and edges (JSON, or the CSV/XLSX tables `uflpa
trace` reads, or a FollowTheMoney export) → each node's traced verdict with its exposure paths,
and the graph as SVG."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from uflpa.service import ops
from uflpa.service.api.matching import json_response
from uflpa.service.api.models import Day, TraceQuery
from uflpa.service.auth import Viewer, state_of
from uflpa.service.uploads import FTM_SUFFIXES, TABLE_SUFFIXES, save_upload

router = APIRouter(prefix="/v1/traces", tags=["tracing"])


@router.post(
    "",
    summary="Trace a supply graph sent as JSON (nodes + edges, or FtM entities in `ftm`)",
    description="Each node is screened like a party; a node is hit when a supply path active "
    "on the day reaches a hit node, or a listing 'and subsidiaries' covers it through `owns` "
    "edges (trace rules uflpa-trace-v1). `svg` holds the graph with exposure paths "
    "highlighted.",
)
def trace_json(request: Request, body: TraceQuery, _: Any = Viewer) -> Response:
    data = ops.trace_records(
        state_of(request).config.settings,
        [n.model_dump() for n in body.nodes],
        [e.model_dump(mode="json") for e in body.edges],
        body.ftm,
        as_of=body.as_of,
        max_paths=body.max_paths,
        lists=body.lists,
        svg=body.svg,
    )
    return json_response(data)


@router.post("/upload", summary="Trace a supply graph uploaded as files (as `uflpa trace`)")
async def trace_upload(
    request: Request,
    nodes: Annotated[UploadFile, File(description="nodes table, or one FtM JSON file")],
    edges: Annotated[UploadFile | None, File(description="edges table")] = None,
    as_of: Annotated[Day | None, Form()] = None,
    max_paths: Annotated[int, Form(ge=1, le=50)] = 3,
    _: Any = Viewer,
) -> Response:
    with tempfile.TemporaryDirectory(prefix="uflpa-trace-") as tmp:
        folder = Path(tmp)
        names: dict[Path, str] = {}
        paths: list[Path | None] = []
        for role, upload in (("nodes", nodes), ("edges", edges)):
            if upload is None:
                paths.append(None)
                continue
            allowed = TABLE_SUFFIXES + (FTM_SUFFIXES if role == "nodes" else ())
            path, names[path] = await save_upload(upload, role, folder, allowed)
            paths.append(path)
        node_path, edge_path = paths
        assert node_path is not None
        data = ops.trace_files_named(
            state_of(request).config.settings,
            node_path,
            edge_path,
            names=names,
            as_of=as_of,
            max_paths=max_paths,
        )
    return json_response(data)
