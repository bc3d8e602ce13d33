"""Casework through the API: watchlists (import a supplier master, its parties, one party's
history), alerts, decisions (with the two-person rule), monitor runs and the audit log.

The same functions as the CLI (`uflpa.casework`), acting as the caller: a signed-in user or an
API key, whose role decides what it may do (viewers read; analysts import, decide and approve;
admins run the monitor and export the audit log).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response, StreamingResponse
from pydantic import Field

from uflpa.casework import alerts, audit, decisions, watchlists
from uflpa.casework.actors import Actor
from uflpa.casework.monitor import run_monitor
from uflpa.casework.outbox import deliver_due
from uflpa.errors import InputError
from uflpa.records.tables import runs
from uflpa.service.accounts import Principal
from uflpa.service.api.matching import json_response
from uflpa.service.api.models import Strict
from uflpa.service.auth import Admin, Analyst, Viewer, state_of
from uflpa.service.uploads import TABLE_SUFFIXES, WATCH_UPLOAD, retold, save_upload

router = APIRouter(prefix="/v1", tags=["casework"])

#: The largest id or offset taken (the store of record's integer columns are 32-bit).
MAX_INT = 2**31 - 1
Id = Annotated[int, PathParam(ge=1, le=MAX_INT)]
Offset = Annotated[int, Query(ge=0, le=MAX_INT)]


class NdjsonResponse(StreamingResponse):
    media_type = "application/x-ndjson"


def actor_of(principal: Principal) -> Actor:
    return Actor(principal.name, principal.role)


class DecisionRequest(Strict):
    """A decision on an alert (`alert_id`), or on the current screening of a watched supplier
    (`watchlist` and `key`)."""

    outcome: Annotated[str, Field(max_length=40)] = Field(
        description="confirmed_match, false_positive, needs_information or escalated",
        examples=["false_positive"],
    )
    note: Annotated[str, Field(min_length=1, max_length=decisions.MAX_NOTE)] = Field(
        description="Why, in words: what was checked.",
        examples=["Different company: registered in Jiangsu, USCC differs from the listed one."],
    )
    alert_id: Annotated[int, Field(ge=1, le=MAX_INT)] | None = None
    watchlist: Annotated[str, Field(max_length=64)] | None = None
    key: Annotated[str, Field(max_length=watchlists.MAX_KEY)] | None = None


class NoteRequest(Strict):
    note: Annotated[str, Field(max_length=decisions.MAX_NOTE)] = ""


class MonitorRequest(Strict):
    """Optionally a list update to ingest first (an http(s) URL: never a path on the server),
    and whether to screen every watched supplier again."""

    source: Annotated[str, Field(max_length=2000, pattern=r"^https?://[^\s]+$")] | None = None
    parser: Annotated[str, Field(max_length=40)] | None = None
    full: bool = False


@router.get("/watchlists", summary="Watchlists with their suppliers by verdict and open alerts")
def list_watchlists(request: Request, _: Any = Viewer) -> Response:
    return json_response({"watchlists": watchlists.summaries(state_of(request).engine)})


@router.post(
    "/watchlists/{name}/parties",
    summary="Import a supplier master into a watchlist (analyst)",
    description="A party file (CSV/TSV/XLSX/Parquet) with a stable supplier key column (id, "
    "supplier_id, vendor_id, key…); upserts by key, keeps each supplier's history, screens what "
    "is new or changed and raises alerts. Rows that are not imported are listed with file, row, "
    "column and reason.",
)
async def import_parties(
    request: Request,
    name: str,
    file: Annotated[UploadFile, File()],
    column: Annotated[list[str] | None, Form(max_length=200)] = None,
    principal: Principal = Analyst,
) -> Response:
    watchlists.check_name(name)
    state = state_of(request)
    with tempfile.TemporaryDirectory(prefix="uflpa-watch-", dir=state.config.settings.home) as tmp:
        path, filename = await save_upload(file, "suppliers", Path(tmp), TABLE_SUFFIXES)
        from uflpa.io.columns import parse_column_options

        try:
            result = await run_in_threadpool(
                watchlists.import_file,
                state.engine,
                actor_of(principal),
                path,
                watchlist=name,
                source_name=filename,
                columns=parse_column_options(column or []),
                settings=state.config.settings,
                hints=WATCH_UPLOAD,
            )
        except InputError as exc:
            raise retold(exc, {path: filename}) from None
    if result.alerts:
        await run_in_threadpool(deliver_due, state.engine)
    return json_response(result.to_dict(), 201)


@router.get("/watchlists/{name}/parties", summary="Watched suppliers, flagged first")
def parties(
    request: Request,
    name: str,
    verdict: Annotated[str | None, Query(pattern="^(hit|review|clear)$")] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Offset = 0,
    _: Any = Viewer,
) -> Response:
    total, rows = watchlists.list_parties(
        state_of(request).engine, name, verdict=verdict, search=q, limit=limit, offset=offset
    )
    return json_response({"watchlist": name, "total": total, "offset": offset, "parties": rows})


@router.get(
    "/watchlists/{name}/parties/{key}",
    summary="One supplier: data history, screenings, alerts, decisions",
)
def party(request: Request, name: str, key: str, _: Any = Viewer) -> Response:
    return json_response(watchlists.party_record(state_of(request).engine, name, key))


@router.delete("/watchlists/{name}/parties/{key}", summary="Stop watching a supplier (analyst)")
def remove_party(request: Request, name: str, key: str, principal: Principal = Analyst) -> Response:
    n = watchlists.remove(state_of(request).engine, actor_of(principal), name, [key])
    return json_response({"removed": n})


@router.get("/alerts", summary="Alerts, newest first (default: open)")
def list_alerts(
    request: Request,
    state: Annotated[str, Query(max_length=20)] = "open",
    watchlist: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Offset = 0,
    _: Any = Viewer,
) -> Response:
    total, rows = alerts.list_alerts(
        state_of(request).engine, state=state, watchlist=watchlist, limit=limit, offset=offset
    )
    return json_response({"state": state, "total": total, "offset": offset, "alerts": rows})


@router.get("/alerts/{alert_id}", summary="One alert: party, verdicts, cause, evidence")
def get_alert(request: Request, alert_id: Id, _: Any = Viewer) -> Response:
    return json_response(alerts.alert_record(state_of(request).engine, alert_id))


@router.post(
    "/decisions", status_code=201, summary="Decide an alert or a flagged supplier (analyst)"
)
def add_decision(
    request: Request, body: DecisionRequest, principal: Principal = Analyst
) -> Response:
    state = state_of(request)
    done = decisions.decide(
        state.engine,
        actor_of(principal),
        outcome=body.outcome,
        note=body.note,
        alert_id=body.alert_id,
        watchlist=body.watchlist,
        key=body.key,
        settings=state.config.settings,
    )
    return json_response(done, 201)


@router.get("/decisions", summary="Decisions, newest first")
def list_decisions(
    request: Request,
    state: Annotated[str | None, Query(max_length=20)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Offset = 0,
    _: Any = Viewer,
) -> Response:
    rows = decisions.list_decisions(
        state_of(request).engine, state=state, limit=limit, offset=offset
    )
    return json_response({"decisions": rows})


@router.post(
    "/decisions/{decision_id}/approve",
    summary="Approve a decision under the two-person rule (a second analyst)",
)
def approve(
    request: Request, decision_id: Id, body: NoteRequest, principal: Principal = Analyst
) -> Response:
    done = decisions.approve(state_of(request).engine, actor_of(principal), decision_id, body.note)
    return json_response(done)


@router.post("/decisions/{decision_id}/reopen", summary="Reopen a decision (analyst)")
def reopen(
    request: Request, decision_id: Id, body: NoteRequest, principal: Principal = Analyst
) -> Response:
    done = decisions.reopen(state_of(request).engine, actor_of(principal), decision_id, body.note)
    return json_response(done)


@router.post(
    "/monitor/runs",
    status_code=201,
    summary="Run the monitor now (admin): ingest an update, re-screen, raise alerts",
)
def monitor(request: Request, body: MonitorRequest, principal: Principal = Admin) -> Response:
    state = state_of(request)
    result = run_monitor(
        state.engine,
        actor_of(principal),
        settings=state.config.settings,
        source_ref=body.source,
        source=body.parser,
        full=body.full,
    )
    if result.ingested and result.ingested.get("created"):
        from uflpa.service.ops import forget_lists

        forget_lists()  # this worker's next verdicts use the new version at once
    deliveries = deliver_due(state.engine)
    return json_response({**result.to_dict(), "deliveries": deliveries}, 201)


@router.get("/monitor/runs", summary="Runs over watched suppliers (imports, monitor runs)")
def monitor_runs(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    _: Any = Viewer,
) -> Response:
    from sqlalchemy import select

    with state_of(request).engine.connect() as conn:
        rows = [
            {**dict(r._mapping), "detail": json.loads(r.detail or "{}")}
            for r in conn.execute(select(runs).order_by(runs.c.id.desc()).limit(limit))
        ]
    return json_response({"runs": rows})


@router.get("/audit", summary="Audit log entries (analyst)")
def audit_entries(
    request: Request,
    action: Annotated[str | None, Query(max_length=40)] = None,
    after: Offset = 0,
    before: Annotated[int | None, Query(ge=1, le=MAX_INT)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    newest_first: bool = True,
    _: Any = Analyst,
) -> Response:
    rows = list(
        audit.entries(
            state_of(request).engine,
            action=action,
            after=after,
            before=before,
            limit=limit,
            newest_first=newest_first,
        )
    )
    return json_response({"entries": rows})


@router.get("/audit/verify", summary="Recompute the audit log's hash chain (analyst)")
def audit_verify(request: Request, _: Any = Analyst) -> Response:
    return json_response(audit.verify(state_of(request).engine).to_dict())


@router.get(
    "/audit/export",
    summary="The whole audit log as JSON lines (admin)",
    response_class=NdjsonResponse,
)
def audit_export(request: Request, _: Any = Admin) -> Response:
    engine = state_of(request).engine

    def lines() -> Iterator[bytes]:
        for entry in audit.entries(engine):
            yield (json.dumps(entry, ensure_ascii=False, default=str) + "\n").encode("utf-8")

    return NdjsonResponse(
        lines(),
        headers={"content-disposition": 'attachment; filename="uflpa-audit.jsonl"'},
    )
