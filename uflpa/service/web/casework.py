"""Casework in the browser: the inbox of alerts, one alert with everything needed to decide it
(and the decision form, approval and reopening), the watchlists with their import form, a
watchlist's suppliers, one supplier's record, and the audit log with its chain check.

Every page reads `uflpa.casework` over the service's store of record; every change is a form
posted with the session's CSRF token and answered with a redirect to a page (POST, redirect,
GET), so that a reload never posts twice. What casework refuses (a party changed since its
alert, a second approval by the decider, a note left empty) is shown on the page it was asked
from, with its status, never as a traceback. The routes are in no OpenAPI description: the
JSON API for the same casework is `uflpa.service.api.casework` under /v1.

Two filters are added to the pages' Jinja environment here: `when` (a time as YYYY-MM-DD HH:MM
UTC) and `quote` (a value as one URL path segment or query value, every reserved character
encoded, so that a supplier key with '/', '?' or '#' in it still names that supplier).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy import Engine, func, select

from uflpa.casework import audit
from uflpa.casework.actors import Actor
from uflpa.casework.alerts import alert_record, list_alerts
from uflpa.casework.decisions import (
    MAX_DOCUMENT_BYTES,
    MAX_NOTE,
    OUTCOME_WORDS,
    approve,
    decide,
    document_path,
    reopen,
    safe_name,
    two_person_rule,
)
from uflpa.casework.outbox import deliver_due
from uflpa.casework.recording import ALERT_STATES, IN_REVIEW, OPEN, PENDING_APPROVAL
from uflpa.casework.watchlists import (
    DEFAULT_WATCHLIST,
    MAX_KEY,
    check_name,
    import_file,
    list_parties,
    party_record,
    summaries,
)
from uflpa.errors import InputError, NotFoundError, UflpaError, UsageError
from uflpa.model import CLEAR, HIT, REVIEW
from uflpa.records.tables import audit_log, decision_documents, party_versions, runs
from uflpa.service.accounts import ANALYST, Principal
from uflpa.service.auth import CSRF_FIELD, check_csrf, state_of
from uflpa.service.uploads import (
    TABLE_SUFFIXES,
    WATCH_UPLOAD,
    retold,
    save_upload,
    upload_name,
)
from uflpa.service.web.display import change_details, result_row
from uflpa.service.web.signin import PageUser, require_role
from uflpa.service.web.templating import ENV, render

router = APIRouter(include_in_schema=False)

#: Rows of a page of alerts, suppliers or audit entries.
PAGE_ROWS = 50
#: The inbox's state filters: (value, label), the default first.
STATE_FILTERS: tuple[tuple[str, str], ...] = (
    ("waiting", "waiting"),
    *((s, s.replace("_", " ")) for s in ALERT_STATES),
    ("all", "all"),
)
#: The verdict filters of a watchlist's page.
VERDICTS = ("", HIT, REVIEW, CLEAR)
#: Files one decision may carry.
MAX_DOCUMENTS = 20
#: Recent imports the watchlists page lists.
IMPORTS_SHOWN = 10
#: Longest one-line summary of an audit entry's detail.
DETAIL_CHARS = 160
#: The messages a redirect after a change shows (a fixed set: never text from the request).
DONE = {
    "decided": "Decision recorded.",
    "pending": "Decision recorded; it waits for a second analyst's approval (two-person rule).",
    "approved": "Decision approved: it now answers the alert.",
    "reopened": "Decision reopened: the alert is open again.",
}


def when(value: Any) -> str:
    """A time as 'YYYY-MM-DD HH:MM UTC' (a naive time from SQLite is UTC); '' for none."""
    if value is None or value == "":
        return ""
    moment: datetime | None = value if isinstance(value, datetime) else None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
    if moment is None:
        return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def path_part(value: Any) -> str:
    """`value` as one URL path segment or query value: every reserved character encoded."""
    return quote(str(value), safe="")


ENV.filters["when"] = when
ENV.filters["quote"] = path_part


def actor_of(principal: Principal) -> Actor:
    return Actor(principal.name, principal.role)


def _engine(request: Request) -> Engine:
    return state_of(request).engine


def party_url(watchlist: str, key: str) -> str:
    return f"/watchlists/{path_part(watchlist)}/parties/{path_part(key)}"


ENV.globals["party_url"] = party_url


def _pages(offset: int, shown: int, total: int) -> dict[str, Any]:
    """What a pager needs: first and last row shown, and the offsets of its two links."""
    return {
        "first": offset + 1 if shown else 0,
        "last": offset + shown,
        "total": total,
        "previous": max(offset - PAGE_ROWS, 0) if offset > 0 else None,
        "next": offset + PAGE_ROWS if offset + shown < total else None,
    }


def _documents(engine: Engine, decision_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """The documents of these decisions, by decision."""
    ids = sorted(set(decision_ids))
    out: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    if not ids:
        return out
    with engine.connect() as conn:
        rows = conn.execute(
            select(decision_documents)
            .where(decision_documents.c.decision_id.in_(ids))
            .order_by(decision_documents.c.decision_id, decision_documents.c.name)
        )
        for r in rows:
            out[r.decision_id].append(dict(r._mapping))
    return out


def _party_version(engine: Engine, version_id: int) -> dict[str, Any]:
    """A state of a party's data (the one a screening saw): its fields and their hash."""
    with engine.connect() as conn:
        row = conn.execute(
            select(party_versions.c.data, party_versions.c.data_sha256).where(
                party_versions.c.id == version_id
            )
        ).one()
    return {"data": _json(row.data), "data_sha256": row.data_sha256}


# --- the inbox ---------------------------------------------------------------------------------


@router.get("/inbox")
def inbox(
    request: Request,
    principal: PageUser,
    state: Annotated[str, Query(max_length=20)] = "waiting",
    watchlist: Annotated[str, Query(max_length=64)] = "",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """Alerts still to be acted on (or in the state chosen), newest first."""
    engine = _engine(request)
    if state not in dict(STATE_FILTERS):
        raise UsageError(f"state {state[:20]!r}: one of {', '.join(v for v, _ in STATE_FILTERS)}")
    total, rows = list_alerts(
        engine, state=state, watchlist=watchlist or None, limit=PAGE_ROWS, offset=offset
    )
    lists = summaries(engine)
    params = {"state": "" if state == "waiting" else state, "watchlist": watchlist}
    return render(
        request,
        "inbox.html",
        {
            "alerts": rows,
            "state": state,
            "states": STATE_FILTERS,
            "watchlist": watchlist,
            "watchlists": [s["watchlist"] for s in lists],
            "params": params,
            "pages": _pages(offset, len(rows), total),
        },
        principal=principal,
    )


# --- one alert, and deciding it ----------------------------------------------------------------


def _alert_page(
    request: Request,
    principal: Principal,
    alert_id: int,
    *,
    form: dict[str, str] | None = None,
    error: str | None = None,
    error_form: str = "decide",
    status: int = 200,
    done: str = "",
) -> Response:
    engine = _engine(request)
    a = alert_record(engine, alert_id)
    seen = _party_version(engine, a["screening"]["party_version_id"])
    decision = a["decision"]
    documents = _documents(engine, [decision["id"]]) if decision else {}
    analyst = principal.may(ANALYST)
    pending = decision is not None and decision["state"] == PENDING_APPROVAL
    context = {
        "a": a,
        "r": result_row(a["screening"]["result"], ""),
        "seen": seen["data"],
        "changed_since": seen["data_sha256"] != a["data_sha256"],
        "decision": decision,
        "documents": documents.get(decision["id"], []) if decision else [],
        "change": change_details(a["change"]) if isinstance(a["change"], dict) else [],
        "outcomes": list(OUTCOME_WORDS.items()),
        "outcome_words": OUTCOME_WORDS,
        "form": form or {"outcome": "", "note": ""},
        "error": error,
        "error_form": error_form,
        "done": DONE.get(done, ""),
        "two_person": two_person_rule(engine),
        "may_decide": analyst and a["state"] in (OPEN, IN_REVIEW),
        "may_approve": analyst and pending and decision["decided_by"] != principal.name,
        "own_pending": analyst and pending and decision["decided_by"] == principal.name,
        "may_reopen": analyst
        and decision is not None
        and decision["state"] in ("active", PENDING_APPROVAL),
        "max_note": MAX_NOTE,
        "max_documents": MAX_DOCUMENTS,
        "max_document_mb": MAX_DOCUMENT_BYTES // (1024 * 1024),
    }
    return render(request, "alert.html", context, status=status, principal=principal)


@router.get("/alerts/{alert_id}")
def alert(
    request: Request,
    alert_id: int,
    principal: PageUser,
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """One alert: the supplier, the verdict before and now, the entity, the cause, the
    screening's evidence, its deliveries, and the decision (or the form to make it)."""
    return _alert_page(request, principal, alert_id, done=done)


def _refused(
    request: Request,
    principal: Principal,
    alert_id: int,
    form: dict[str, str],
    which: str,
) -> Response | None:
    """The alert page saying no, when the principal may not change casework."""
    if principal.may(ANALYST):
        return None
    return _alert_page(
        request,
        principal,
        alert_id,
        form=form,
        error=f"this needs the analyst role; {principal.name} is {principal.role}",
        error_form=which,
        status=403,
    )


def _current(request: Request, alert_id: int) -> dict[str, Any]:
    return alert_record(_engine(request), alert_id)


async def _save_documents(uploads: list[UploadFile], folder: Path) -> list[tuple[str, Path]]:
    """Each uploaded document saved under a name of our own; (the name shown, its path)."""
    chosen = [u for u in uploads if u.filename]
    if len(chosen) > MAX_DOCUMENTS:
        raise UsageError(f"{len(chosen)} documents; at most {MAX_DOCUMENTS} to one decision")
    saved = []
    for i, upload in enumerate(chosen):
        name = safe_name(upload_name(upload, "document"))
        path = folder / f"document-{i}"
        size = 0
        with path.open("wb") as out:
            while chunk := await upload.read(1 << 20):
                size += len(chunk)
                if size > MAX_DOCUMENT_BYTES:
                    raise UsageError(
                        f"document {name}: larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB"
                    )
                out.write(chunk)
        if size == 0:
            raise UsageError(f"document {name} is empty")
        saved.append((name, path))
    return saved


async def _decide(
    request: Request,
    principal: Principal,
    documents: list[UploadFile] | None,
    **target: Any,
) -> dict[str, Any]:
    """`decide` on `target` (an alert, or a supplier's newest screening) with the uploaded
    documents, saved for the time of the call under UFLPA_HOME (decide keeps its own copy of
    each, by content hash). A refusal is a UflpaError whose message says so."""
    settings = state_of(request).config.settings
    folder = Path(tempfile.mkdtemp(prefix="uflpa-documents-", dir=settings.home))
    try:
        saved = await _save_documents(documents or [], folder)
        return await run_in_threadpool(
            lambda: decide(
                _engine(request),
                actor_of(principal),
                documents=saved,
                settings=settings,
                **target,
            )
        )
    except UflpaError as exc:
        if documents and any(u.filename for u in documents):
            raise type(exc)(f"{exc} (choose the documents again: they were not kept)") from None
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _done(result: dict[str, Any]) -> str:
    return "pending" if result["state"] == PENDING_APPROVAL else "decided"


@router.post("/alerts/{alert_id}/decision")
async def decide_alert(
    request: Request,
    alert_id: int,
    principal: PageUser,
    outcome: Annotated[str, Form(max_length=40)] = "",
    note: Annotated[str, Form(max_length=4 * MAX_NOTE)] = "",
    seen: Annotated[int, Form(ge=0)] = 0,
    documents: Annotated[list[UploadFile] | None, File()] = None,
    token: Annotated[str | None, Form(alias=CSRF_FIELD, max_length=200)] = None,
) -> Response:
    """Decide the alert (analyst): outcome, a note saying why, documents; then its page."""
    check_csrf(request, principal, token)
    form = {"outcome": outcome, "note": note}
    refused = await run_in_threadpool(_refused, request, principal, alert_id, form, "decide")
    if refused is not None:
        return refused
    now = await run_in_threadpool(_current, request, alert_id)
    stale = None
    if now["state"] not in (OPEN, IN_REVIEW):
        stale = (
            f"alert {alert_id} is {now['state'].replace('_', ' ')} now"
            + (f" (decision {now['decision_id']})" if now["decision_id"] else "")
            + "; read the decision below, and reopen it to decide again"
        )
    elif (now["decision_id"] or 0) != seen:
        stale = (
            f"alert {alert_id} was answered by decision {now['decision_id']} since this page was "
            "opened; read it below before deciding again"
        )
    if stale:
        return await run_in_threadpool(
            _alert_page, request, principal, alert_id, form=form, error=stale, status=409
        )
    try:
        result = await _decide(
            request, principal, documents, outcome=outcome, note=note, alert_id=alert_id
        )
    except UflpaError as exc:
        return await run_in_threadpool(
            _alert_page,
            request,
            principal,
            alert_id,
            form=form,
            error=str(exc),
            status=exc.http_status,
        )
    return RedirectResponse(f"/alerts/{alert_id}?done={_done(result)}#decision", status_code=303)


def _decision_change(
    request: Request,
    principal: Principal,
    alert_id: int,
    decision_id: int,
    note: str,
    which: str,
) -> Response:
    """Approve or reopen the decision of an alert, or the alert page saying why not."""
    form = {"outcome": "", "note": "", f"{which}_note": note}
    refused = _refused(request, principal, alert_id, form, which)
    if refused is not None:
        return refused
    engine = _engine(request)
    now = alert_record(engine, alert_id)
    try:
        if now["decision_id"] != decision_id:
            raise _Stale(
                f"decision {decision_id} no longer answers alert {alert_id}"
                + (f" (decision {now['decision_id']} does)" if now["decision_id"] else "")
                + "; read the alert again"
            )
        if which == "approve":
            approve(engine, actor_of(principal), decision_id, note)
        else:
            reopen(engine, actor_of(principal), decision_id, note)
    except (UflpaError, _Stale) as exc:
        status = exc.http_status if isinstance(exc, UflpaError) else 409
        return _alert_page(
            request, principal, alert_id, form=form, error=str(exc), error_form=which, status=status
        )
    done = "approved" if which == "approve" else "reopened"
    return RedirectResponse(f"/alerts/{alert_id}?done={done}#decision", status_code=303)


class _Stale(Exception):
    """The form was made for a state of the alert that has changed since."""


@router.post("/alerts/{alert_id}/approve")
def approve_alert(
    request: Request,
    alert_id: int,
    principal: PageUser,
    decision: Annotated[int, Form(ge=1)],
    note: Annotated[str, Form(max_length=4 * MAX_NOTE)] = "",
    token: Annotated[str | None, Form(alias=CSRF_FIELD, max_length=200)] = None,
) -> Response:
    """A second analyst approves the alert's decision waiting under the two-person rule."""
    check_csrf(request, principal, token)
    return _decision_change(request, principal, alert_id, decision, note, "approve")


@router.post("/alerts/{alert_id}/reopen")
def reopen_alert(
    request: Request,
    alert_id: int,
    principal: PageUser,
    decision: Annotated[int, Form(ge=1)],
    note: Annotated[str, Form(max_length=4 * MAX_NOTE)] = "",
    token: Annotated[str | None, Form(alias=CSRF_FIELD, max_length=200)] = None,
) -> Response:
    """Reopen the alert's decision (with a note saying why): the alert is open again."""
    check_csrf(request, principal, token)
    return _decision_change(request, principal, alert_id, decision, note, "reopen")


@router.get("/decisions/{decision_id}/documents/{sha256}")
def document(request: Request, decision_id: int, sha256: str, principal: PageUser) -> Response:
    """A document of a decision, as a download under the name it was given."""
    engine = _engine(request)
    with engine.connect() as conn:
        row = conn.execute(
            select(decision_documents).where(
                decision_documents.c.decision_id == decision_id,
                decision_documents.c.sha256 == sha256,
            )
        ).first()
    if row is None:
        raise NotFoundError(f"decision {decision_id} has no such document")
    path = document_path(state_of(request).config.settings, sha256)
    return FileResponse(
        path,
        media_type="application/octet-stream",
        headers={
            "content-disposition": f"attachment; filename*=UTF-8''{quote(row.name, safe='')}",
            "cache-control": "no-store",
        },
    )


# --- watchlists --------------------------------------------------------------------------------


def _imports(engine: Engine, watchlist: str | None = None) -> list[dict[str, Any]]:
    """The latest imports (newest first), with their counts."""
    query = select(runs).where(runs.c.kind == "import")
    if watchlist:
        query = query.where(runs.c.watchlist == watchlist)
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(runs.c.id.desc()).limit(IMPORTS_SHOWN)).all()
    return [{**dict(r._mapping), "detail": _json(r.detail)} for r in rows]


def _json(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _watchlists_page(
    request: Request,
    principal: Principal,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    engine = _engine(request)
    return render(
        request,
        "watchlists.html",
        {
            "lists": summaries(engine),
            "imports": _imports(engine),
            "form": form or {"watchlist": DEFAULT_WATCHLIST, "columns": ""},
            "errors": errors or {},
            "accept": ",".join(TABLE_SUFFIXES),
            "suffixes": ", ".join(TABLE_SUFFIXES),
        },
        status=status,
        principal=principal,
    )


@router.get("/watchlists")
def watchlists_page(request: Request, principal: PageUser) -> Response:
    """Every watchlist with its suppliers by verdict and open alerts; the import form."""
    return _watchlists_page(request, principal)


@router.post("/watchlists")
async def import_master(
    request: Request,
    principal: PageUser,
    background: BackgroundTasks,
    file: Annotated[UploadFile | None, File()] = None,
    watchlist: Annotated[str, Form(max_length=100)] = DEFAULT_WATCHLIST,
    columns: Annotated[str, Form(max_length=4000)] = "",
    token: Annotated[str | None, Form(alias=CSRF_FIELD, max_length=200)] = None,
) -> Response:
    """Import an uploaded supplier master into a watchlist (analyst) and go to the import's
    page; a problem with the form shows the form again with the message beside its field."""
    require_role(principal, ANALYST)
    check_csrf(request, principal, token)
    watchlist = watchlist.strip() or DEFAULT_WATCHLIST
    form = {"watchlist": watchlist, "columns": columns}
    errors: dict[str, str] = {}
    try:
        check_name(watchlist)
    except UsageError as exc:
        errors["watchlist"] = str(exc)
    mapping: dict[str, str] = {}
    try:
        from uflpa.io.columns import parse_column_options

        mapping = parse_column_options([line for line in columns.splitlines() if line.strip()])
    except UsageError as exc:
        errors["columns"] = str(exc).replace("--column ", "")
    if file is None or not file.filename:
        errors["file"] = "choose a supplier master to import"
    if errors:
        return await run_in_threadpool(
            _watchlists_page, request, principal, form=form, errors=errors, status=400
        )
    assert file is not None
    state = state_of(request)
    settings = state.config.settings
    with tempfile.TemporaryDirectory(prefix="uflpa-watch-", dir=settings.home) as tmp:
        try:
            path, filename = await save_upload(file, "suppliers", Path(tmp), TABLE_SUFFIXES)
            try:
                result = await run_in_threadpool(
                    lambda: import_file(
                        state.engine,
                        actor_of(principal),
                        path,
                        watchlist=watchlist,
                        source_name=filename,
                        columns=mapping,
                        settings=settings,
                        hints=WATCH_UPLOAD,
                    )
                )
            except InputError as exc:
                raise retold(exc, {path: filename}) from None
        except UflpaError as exc:
            return await run_in_threadpool(
                _watchlists_page,
                request,
                principal,
                form=form,
                errors={"file": str(exc)},
                status=exc.http_status,
            )
    if result.alerts:
        # Sent after the answer (as `uflpa watch add` sends them): a hook that is slow or down
        # must not hold the page; what fails stays pending for the next delivery.
        background.add_task(deliver_due, state.engine)
    return RedirectResponse(
        f"/watchlists/{path_part(watchlist)}/imports/{result.run_id}", status_code=303
    )


@router.get("/watchlists/{name}/imports/{run_id}")
def import_page(request: Request, name: str, run_id: int, principal: PageUser) -> Response:
    """What one import did: the counts, and each row that was not imported with why."""
    with _engine(request).connect() as conn:
        row = conn.execute(
            select(runs).where(
                runs.c.id == run_id, runs.c.kind == "import", runs.c.watchlist == name
            )
        ).first()
    if row is None:
        raise NotFoundError(f"watchlist {name}: no import {run_id}")
    detail = _json(row.detail)
    source = str(detail.get("file") or row.source or "")
    problems = [p for p in detail.get("problems") or [] if isinstance(p, dict)]
    return render(
        request,
        "import.html",
        {
            "run": dict(row._mapping),
            "d": detail,
            "watchlist": name,
            "source": source,
            "problems": problems,
            "not_imported": int(detail.get("not_imported") or 0),
        },
        principal=principal,
    )


@router.get("/watchlists/{name}")
def watchlist_page(
    request: Request,
    name: str,
    principal: PageUser,
    verdict: Annotated[str, Query(max_length=20)] = "",
    q: Annotated[str, Query(max_length=200)] = "",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """The suppliers of a watchlist, flagged first, filtered by verdict and a word."""
    if verdict not in VERDICTS:
        raise UsageError(f"verdict {verdict[:20]!r}: one of hit, review or clear")
    engine = _engine(request)
    total, rows = list_parties(
        engine,
        name,
        verdict=verdict or None,
        search=q.strip() or None,
        limit=PAGE_ROWS,
        offset=offset,
    )
    summary = next((s for s in summaries(engine) if s["watchlist"] == name), None)
    return render(
        request,
        "watchlist.html",
        {
            "name": name,
            "parties": rows,
            "summary": summary,
            "verdict": verdict,
            "verdicts": VERDICTS,
            "q": q,
            "params": {"verdict": verdict, "q": q},
            "pages": _pages(offset, len(rows), total),
            "imports": _imports(engine, name),
        },
        principal=principal,
    )


def _versions(versions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each state of a party's data (newest first) with the fields it changed."""
    out = []
    for i, v in enumerate(versions):
        older = versions[i + 1]["data"] if i + 1 < len(versions) else None
        data = v["data"]
        changed = (
            [k for k in data if older.get(k, "") != data.get(k, "")] if older is not None else []
        )
        out.append({**v, "changed": changed, "first": older is None})
    return out


def _party_page(
    request: Request,
    principal: Principal,
    name: str,
    key: str,
    *,
    form: dict[str, str] | None = None,
    error: str | None = None,
    status: int = 200,
    done: str = "",
) -> Response:
    engine = _engine(request)
    record = party_record(engine, name, key)
    p = record["party"]
    documents = _documents(engine, [d["id"] for d in record["decisions"]])
    waiting = [a for a in record["alerts"] if a["state"] in (OPEN, IN_REVIEW)]
    return render(
        request,
        "party.html",
        {
            "p": p,
            "versions": _versions(record["versions"]),
            "screenings": [{**s, "r": result_row(s["result"], "")} for s in record["screenings"]],
            "alerts": record["alerts"],
            "decisions": record["decisions"],
            "documents": documents,
            "outcome_words": OUTCOME_WORDS,
            "outcomes": list(OUTCOME_WORDS.items()),
            "form": form or {"outcome": "", "note": ""},
            "error": error,
            "done": DONE.get(done, ""),
            "waiting": waiting,
            "may_decide": principal.may(ANALYST)
            and p["removed_at"] is None
            and p["screening_id"] is not None
            and (p["verdict"] != CLEAR or bool(waiting)),
            "two_person": two_person_rule(engine),
            "max_note": MAX_NOTE,
            "max_documents": MAX_DOCUMENTS,
            "max_document_mb": MAX_DOCUMENT_BYTES // (1024 * 1024),
        },
        status=status,
        principal=principal,
    )


@router.get("/watchlists/{name}/parties/{key:path}")
def party_page(
    request: Request,
    name: str,
    key: str,
    principal: PageUser,
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """One supplier: its data now and before, its screenings, alerts and decisions, and (for an
    analyst, while it is flagged or has alerts waiting) a decision on its newest screening."""
    return _party_page(request, principal, name, key, done=done)


@router.post("/watchlists/{name}/decisions")
async def decide_party(
    request: Request,
    name: str,
    principal: PageUser,
    key: Annotated[str, Form(max_length=MAX_KEY)],
    outcome: Annotated[str, Form(max_length=40)] = "",
    note: Annotated[str, Form(max_length=4 * MAX_NOTE)] = "",
    seen: Annotated[int, Form(ge=0)] = 0,
    documents: Annotated[list[UploadFile] | None, File()] = None,
    token: Annotated[str | None, Form(alias=CSRF_FIELD, max_length=200)] = None,
) -> Response:
    """Decide on a supplier's newest screening (analyst): it answers every alert waiting on
    the same supplier and entity, as a decision on one of them would."""
    check_csrf(request, principal, token)
    form = {"outcome": outcome, "note": note}

    def again(message: str, status: int) -> Response:
        return _party_page(request, principal, name, key, form=form, error=message, status=status)

    if not principal.may(ANALYST):
        message = f"this needs the analyst role; {principal.name} is {principal.role}"
        return await run_in_threadpool(again, message, 403)
    record = await run_in_threadpool(party_record, _engine(request), name, key)
    if (record["party"]["screening_id"] or 0) != seen:
        message = (
            f"supplier {key} was screened again since this page was opened; read its newest "
            "screening below before deciding"
        )
        return await run_in_threadpool(again, message, 409)
    try:
        result = await _decide(
            request, principal, documents, outcome=outcome, note=note, watchlist=name, key=key
        )
    except UflpaError as exc:
        return await run_in_threadpool(again, str(exc), exc.http_status)
    return RedirectResponse(f"{party_url(name, key)}?done={_done(result)}#decide", status_code=303)


# --- the audit log -----------------------------------------------------------------------------


def short_detail(detail: Any) -> str:
    """An entry's detail in one line: its fields as `name: value`, cut to DETAIL_CHARS."""
    if not isinstance(detail, dict):
        text = str(detail)
    else:
        parts = []
        for k, v in detail.items():
            if v in (None, "", [], {}):
                continue
            if isinstance(v, (dict, list)):
                v = json.dumps(v, ensure_ascii=False, default=str)
            parts.append(f"{k.replace('_', ' ')}: {v}")
        text = "; ".join(parts)
    return text if len(text) <= DETAIL_CHARS else text[: DETAIL_CHARS - 1].rstrip() + "…"


@router.get("/audit")
def audit_page(
    request: Request,
    principal: PageUser,
    action: Annotated[str, Query(max_length=40)] = "",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """The audit log, newest first, with the check of its hash chain (analyst or admin)."""
    require_role(principal, ANALYST)
    engine = _engine(request)
    check = audit.verify(engine)
    cond = [audit_log.c.action == action] if action else []
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(audit_log).where(*cond)).scalar_one()
        rows = conn.execute(
            select(audit_log)
            .where(*cond)
            .order_by(audit_log.c.seq.desc())
            .limit(PAGE_ROWS)
            .offset(offset)
        ).all()
        actions = [
            r[0]
            for r in conn.execute(
                select(audit_log.c.action).distinct().order_by(audit_log.c.action)
            )
        ]
    entries = []
    for r in rows:
        detail = _json(r.detail)
        entries.append({**dict(r._mapping), "detail": detail, "short": short_detail(detail)})
    return render(
        request,
        "audit.html",
        {
            "check": check,
            "entries": entries,
            "action": action,
            "actions": actions,
            "params": {"action": action},
            "pages": _pages(offset, len(entries), int(total)),
        },
        principal=principal,
    )
