"""Screening a file from the browser: the upload form, the list of jobs, and a job's page
(progress while it runs; then its summary, counts and results table with their evidence).

The upload goes through `submit_upload`, the same code as `POST /v1/screenings`, so a file the
API refuses is refused here with the same words, shown beside the file input.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from uflpa.errors import UflpaError
from uflpa.service import results
from uflpa.service.accounts import ANALYST, Principal
from uflpa.service.api.screenings import jobs_of, parse_columns, submit_upload
from uflpa.service.auth import CSRF_FIELD, check_csrf
from uflpa.service.jobs import DONE, FAILED, UPLOAD_SUFFIXES, JobOptions
from uflpa.service.web.display import (
    PAGE_ROWS,
    result_row,
    sort_links,
    verdict_counts,
)
from uflpa.service.web.signin import PageUser, require_role
from uflpa.service.web.templating import query_string, render

router = APIRouter(include_in_schema=False)

#: Jobs the list page shows (newest first).
JOBS_SHOWN = 100
KINDS = ("", "shipment", "party")


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
        "screen.html",
        {
            "form": form or {"kind": "", "as_of": "", "columns": "", "encoding": ""},
            "errors": errors or {},
            "accept": ",".join(UPLOAD_SUFFIXES),
            "suffixes": ", ".join(UPLOAD_SUFFIXES),
        },
        status=status,
        principal=principal,
    )


@router.get("/screen")
def screen_form(request: Request, principal: PageUser) -> Response:
    """The upload form; a viewer is told that screening files takes the analyst role."""
    return _form_page(request, principal)


@router.post("/screen")
async def screen_submit(
    request: Request,
    principal: PageUser,
    file: Annotated[UploadFile | None, File()] = None,
    kind: Annotated[str, Form(max_length=20)] = "",
    as_of: Annotated[str, Form(max_length=40)] = "",
    columns: Annotated[str, Form(max_length=4000)] = "",
    encoding: Annotated[str, Form(max_length=40)] = "",
    token: Annotated[str | None, Form(alias=CSRF_FIELD, max_length=200)] = None,
) -> Response:
    """Start a job from the uploaded file and go to its page (303); a problem with the form
    shows the form again with the message beside the field it is about."""
    require_role(principal, ANALYST)
    check_csrf(request, principal, token)
    form = {"kind": kind, "as_of": as_of, "columns": columns, "encoding": encoding}
    errors: dict[str, str] = {}
    day = None
    if kind not in KINDS:
        errors["kind"] = f"kind: {kind[:20]!r} is not a kind of file; choose shipment or party"
    if as_of.strip():
        try:
            day = date.fromisoformat(as_of.strip())
        except ValueError:
            errors["as_of"] = f"as of: {as_of[:40]!r} is not a date; use YYYY-MM-DD"
    mapping: dict[str, str] = {}
    try:
        mapping = parse_columns([line for line in columns.splitlines() if line.strip()])
    except UflpaError as exc:
        errors["columns"] = str(exc).replace("--column ", "")
    if file is None or not file.filename:
        errors["file"] = "choose a file to screen"
    if errors:
        return _form_page(request, principal, form=form, errors=errors, status=400)
    assert file is not None
    options = JobOptions(
        kind=kind or None,
        columns=mapping,
        encoding=encoding.strip() or None,
        as_of=day.isoformat() if day else None,
    )
    try:
        job = await submit_upload(request, principal, file, options)
    except UflpaError as exc:
        return _form_page(
            request, principal, form=form, errors={"file": str(exc)}, status=exc.http_status
        )
    return RedirectResponse(f"/screenings/{job['id']}", status_code=303)


@router.get("/screenings")
def screening_list(request: Request, principal: PageUser) -> Response:
    """The recent jobs, newest first, with their state, counts or error."""
    shown = list(itertools.islice(jobs_of(request).all(), JOBS_SHOWN))
    return render(request, "screenings.html", {"jobs": shown}, principal=principal)


@router.get("/screenings/{job_id}")
def screening(
    request: Request,
    job_id: str,
    principal: PageUser,
    verdict: Annotated[str, Query(max_length=20)] = "",
    sort: Annotated[str, Query(max_length=20)] = "row",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """A job: its progress while it runs (polled by screening.js, or reloaded without
    script); when done, its summary and one page of its results."""
    jobs = jobs_of(request)
    job = jobs.status(job_id)
    context: dict[str, Any] = {"job": job, "page": None}
    if job["state"] == DONE:
        kind = job.get("kind") or "shipment"
        keys = ("row", "verdict", "score") if kind == "party" else ("row", "verdict")
        if sort.lstrip("-") not in keys:
            sort = "row"
        verdicts = results.parse_verdicts(verdict)
        data = results.page(
            jobs.results(job_id),
            verdicts=verdicts,
            sort=sort,
            offset=offset,
            limit=PAGE_ROWS,
        )
        params = {"verdict": verdict, "sort": "" if sort == "row" else sort}
        downloads = {
            fmt: f"/v1/screenings/{job_id}/results"
            + query_string({"format": fmt, "verdict": verdict, "sort": params["sort"]})
            for fmt in ("csv", "jsonl", "parquet")
        }
        context.update(
            page=data,
            rows=[result_row(r, job["filename"]) for r in data["rows"]],
            counts=verdict_counts(data["counts"]),
            verdict=verdict,
            sort=sort,
            sorts=sort_links(sort, keys),
            params=params,
            first=offset + 1 if data["rows"] else 0,
            last=offset + len(data["rows"]),
            previous_offset=max(offset - PAGE_ROWS, 0) if offset > 0 else None,
            downloads=downloads,
        )
    context["finished"] = job["state"] in (DONE, FAILED)
    return render(request, "screening.html", context, principal=principal)
