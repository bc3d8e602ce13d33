"""Matching one party or many, comparing two names, locating an address, classifying an HTS
code: the API of `uflpa match`, `compare`, `locate` and `hts`."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from uflpa.errors import UflpaError
from uflpa.service import ops
from uflpa.service.api.models import BatchQuery, CompareQuery, Day, PartyQuery
from uflpa.service.auth import Viewer, state_of

router = APIRouter(prefix="/v1", tags=["matching"])

_EXAMPLE_MATCH = {
    "query": {"name": "Xinjiang Zhongtai Chemical", "country": None},
    "verdict": "hit",
    "candidates": [
        {
            "entity_id": "UFLPA-020",
            "entity_name": "Xinjiang Zhongtai Chemical Co. Ltd.",
            "matched_name": "Xinjiang Zhongtai Chemical Co. Ltd.",
            "name_form": "primary",
            "score": 1.0,
            "verdict": "hit",
            "list_version": "us-dhs-uflpa@8d5c5cf6a292",
            "explanation": ["hit at score 1.00: the query matches the primary name …"],
        }
    ],
}


def json_response(data: Any, status: int = 200) -> Response:
    """JSON without FastAPI's per-value encoder (verdicts are plain data already)."""
    body = json.dumps(data, ensure_ascii=False, default=str, separators=(",", ":"))
    return Response(body, status_code=status, media_type="application/json")


# One party is matched on the event loop (`async def`): it takes under a millisecond (tens at
# worst, for a 2,000-character name), less than handing it to the thread pool and back costs,
# and the thread pool made the loop and the matching threads fight for the GIL (p99 latency).
# A batch, which may hold a thousand parties, stays in the thread pool.


def _match(request: Request, q: PartyQuery) -> dict[str, Any]:
    return ops.match_party(
        state_of(request).config.settings,
        q.name,
        country=q.country,
        address=q.address,
        identifiers=tuple(q.identifiers),
        as_of=q.as_of,
        top=q.top,
        lists=q.lists,
        list_versions=tuple(q.list_versions),
    )


@router.get(
    "/match",
    summary="Match one party name against the list, with the evidence",
    responses={200: {"content": {"application/json": {"example": _EXAMPLE_MATCH}}}},
)
async def match_get(
    request: Request,
    name: Annotated[str, Query(min_length=1, max_length=ops.MAX_FIELD, examples=["Hoshine"])],
    country: Annotated[str | None, Query(max_length=ops.MAX_FIELD)] = None,
    address: Annotated[str | None, Query(max_length=ops.MAX_FIELD)] = None,
    identifier: Annotated[list[str] | None, Query(max_length=20)] = None,
    as_of: Day | None = None,
    top: Annotated[int, Query(ge=1, le=50)] = 5,
    lists: Annotated[str | None, Query(max_length=ops.MAX_FIELD)] = None,
    list_version: Annotated[list[str] | None, Query(max_length=10)] = None,
    _: Any = Viewer,
) -> Response:
    query = PartyQuery(
        name=name,
        country=country,
        address=address,
        identifiers=identifier or [],
        as_of=as_of,
        top=top,
        lists=lists,
        list_versions=list_version or [],
    )
    return json_response(_match(request, query))


@router.post("/match", summary="Match one party with its address, country and identifiers")
async def match_post(request: Request, body: PartyQuery, _: Any = Viewer) -> Response:
    return json_response(_match(request, body))


@router.post(
    "/match/batch",
    summary="Match many parties in one request, each with its own options",
    description="At most UFLPA_MAX_BATCH parties (default 1000); a party that cannot be matched "
    "gets an `error` in its place and the others are still answered.",
)
def match_batch(request: Request, body: BatchQuery, _: Any = Viewer) -> Response:
    limit = state_of(request).config.max_batch
    if len(body.parties) > limit:
        return json_response(
            {
                "error": {
                    "status": 413,
                    "type": "too_large",
                    "message": f"{len(body.parties):,} parties in one batch; at most {limit:,} "
                    "(UFLPA_MAX_BATCH)",
                }
            },
            413,
        )
    answers = []
    for i, party in enumerate(body.parties):
        try:
            answers.append({"index": i, "ref": party.ref, **_match(request, party)})
        except UflpaError as exc:
            answers.append({"index": i, "ref": party.ref, "error": str(exc)})
    return json_response({"results": answers})


@router.post("/compare", summary="Are two names the same organisation?")
def compare(request: Request, body: CompareQuery, _: Any = Viewer) -> Response:
    return json_response(
        ops.compare_names(
            state_of(request).config.settings, body.name1, body.name2, use_list=body.use_list
        )
    )


@router.get("/locate", summary="Does an address point to Xinjiang? Places and signals found")
def locate(
    address: Annotated[
        str, Query(min_length=1, max_length=ops.MAX_FIELD, examples=["Shihezi, Xinjiang"])
    ],
    country: Annotated[str | None, Query(max_length=ops.MAX_FIELD)] = None,
    _: Any = Viewer,
) -> Response:
    return json_response(ops.locate_address(address, country))


@router.get("/hts/{code}", summary="The high-priority sectors an HTS code falls in")
def hts(code: str, _: Any = Viewer) -> Response:
    return json_response(ops.hts_code(code))
