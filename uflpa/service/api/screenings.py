"""Screening files through the API: upload → a job id; its state and progress; its results
(paged JSON, JSON lines, CSV or Parquet, filtered by verdict) and its HTML report."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response, StreamingResponse
from starlette.background import BackgroundTask

from uflpa.errors import InputError, NotFoundError, UsageError
from uflpa.service import results
from uflpa.service.accounts import Principal
from uflpa.service.api.matching import json_response
from uflpa.service.api.models import Day
from uflpa.service.auth import Analyst, Viewer, state_of
from uflpa.service.jobs import DONE, REPORT, JobOptions, Jobs
from uflpa.service.uploads import retold, upload_name

router = APIRouter(prefix="/v1/screenings", tags=["screenings"])

FORMATS = {
    "json": "application/json",
    "jsonl": "application/x-ndjson",
    "csv": "text/csv",
    "parquet": "application/vnd.apache.parquet",
}


def jobs_of(request: Request) -> Jobs:
    jobs: Jobs = request.app.state.jobs
    return jobs


def parse_columns(options: list[str]) -> dict[str, str]:
    from uflpa.io.columns import parse_column_options

    return parse_column_options(options)


async def submit_upload(
    request: Request,
    principal: Principal,
    upload: UploadFile,
    options: JobOptions,
) -> dict[str, Any]:
    """Store the upload in a new job folder and start it; the checks that concern the whole file
    (format, size, rows) are made before the job starts."""
    state = state_of(request)
    jobs = jobs_of(request)
    filename = upload_name(upload, "upload")
    job_id, folder = jobs.new_folder()
    try:
        target = jobs.input_path(folder, filename)
        digest = hashlib.sha256()
        size = 0
        with target.open("wb") as out:
            while chunk := await upload.read(1 << 20):
                size += len(chunk)
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise UsageError(f"file {filename!r} is empty")
        await run_in_threadpool(_check_readable, target, filename, options)
        rows = _rows(target)
        if rows is not None and rows > state.config.max_rows:
            raise _TooManyRows(
                f"file {filename!r} holds about {rows:,} rows; this service screens at most "
                f"{state.config.max_rows:,} per file (UFLPA_MAX_ROWS); use `uflpa screen` for "
                "larger files"
            )
        return jobs.submit(
            job_id,
            folder,
            owner=principal.name,
            filename=filename,
            input_path=target,
            size=size,
            sha256=digest.hexdigest(),
            options=options,
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _check_readable(path: Path, filename: str, options: JobOptions) -> None:
    """Open the file as the job will (encoding, format, headers, kind), so that a file that
    cannot be screened at all is a 4xx now, naming the file as the user did, not a failed job."""
    from uflpa.bulk.kinds import Kind
    from uflpa.bulk.screen_file import ScreenRequest, open_input

    request = ScreenRequest(
        path=path,
        kind=Kind(options.kind) if options.kind else None,
        columns=dict(options.columns or {}),
        encoding=options.encoding,
    )
    try:
        open_input(request)
    except InputError as exc:
        told = retold(exc, {path: filename})
        raise type(told)(
            _as_form_fields(told.reason), file=told.file, row=told.row, column=told.column
        ) from None


#: The CLI's options as the upload's form fields, for errors told to an API or page user.
_FORM_FIELDS = (
    ("--kind party|shipment", "the form field kind=party|shipment"),
    ("--kind", "the form field kind"),
    ("--column manufacturer=HEADER", "a form field column=manufacturer=HEADER"),
    ("--column", "a form field column=NAME=HEADER"),
    ("--encoding", "the form field encoding"),
)


def _as_form_fields(message: str) -> str:
    for option, field in _FORM_FIELDS:
        message = message.replace(option, field)
    return message


class _TooManyRows(UsageError):
    http_status = 413


def _rows(path: Path) -> int | None:
    """Rows of the upload where they can be counted without reading it (text and Parquet)."""
    from uflpa.bulk.screen_file import estimate_rows

    if path.suffix == ".parquet":
        try:
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(path).metadata.num_rows)
        except Exception:  # an unreadable file is the runner's to report, row and all
            return None
    return estimate_rows(path)


@router.post(
    "",
    status_code=202,
    summary="Upload a shipment or party file to screen; returns the job",
    description="Any format and encoding `uflpa screen` reads (CSV, TSV, XLSX, Parquet; UTF-8, "
    "GBK/GB18030). The job runs in the background: poll `GET /v1/screenings/{id}`.",
)
async def create(
    request: Request,
    file: Annotated[UploadFile, File(description="The file to screen.")],
    kind: Annotated[str | None, Form(pattern="^(party|shipment)$")] = None,
    column: Annotated[list[str] | None, Form(description="NAME=HEADER, as --column")] = None,
    encoding: Annotated[str | None, Form(max_length=40)] = None,
    as_of: Annotated[Day | None, Form()] = None,
    lists: Annotated[str | None, Form(max_length=2000)] = None,
    list_version: Annotated[list[str] | None, Form()] = None,
    principal: Principal = Analyst,
) -> Response:
    options = JobOptions(
        kind=kind,
        columns=parse_columns(column or []),
        encoding=encoding or None,
        as_of=as_of.isoformat() if as_of else None,
        lists=lists or None,
        list_versions=tuple(list_version or ()),
    )
    job = await submit_upload(request, principal, file, options)
    response = json_response(job, 202)
    response.headers["location"] = f"/v1/screenings/{job['id']}"
    return response


@router.get("", summary="Screening jobs, newest first")
def list_jobs(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    _: Any = Viewer,
) -> Response:
    out = []
    for job in jobs_of(request).all():
        out.append({k: v for k, v in job.items() if k not in ("problems", "summary_lines")})
        if len(out) >= limit:
            break
    return json_response({"jobs": out})


@router.get("/{job_id}", summary="A job's state, progress and counts")
def status(request: Request, job_id: str, _: Any = Viewer) -> Response:
    return json_response(jobs_of(request).status(job_id))


def _done_folder(request: Request, job_id: str) -> Path:
    jobs = jobs_of(request)
    job = jobs.status(job_id)
    if job["state"] != DONE:
        detail = f": {job['error']}" if job.get("error") else ""
        raise _NotReady(f"screening job {job_id} is {job['state']}{detail}")
    return jobs.folder(job_id)


class _NotReady(UsageError):
    http_status = 409


@router.get(
    "/{job_id}/results",
    summary="A finished job's rows: paged JSON, or the whole set as JSON lines, CSV or Parquet",
    description="The format is `?format=` or the Accept header (application/json, "
    "application/x-ndjson, text/csv, application/vnd.apache.parquet). `verdict=hit,review` "
    "filters; `sort` is row, score or verdict (prefix - for descending). JSON is paged with "
    "`offset` and `limit`; the other formats hold every row that passes the filter. CSV cells "
    "that a spreadsheet would run as a formula start with an apostrophe unless `raw_csv=true`.",
)
def results_route(
    request: Request,
    job_id: str,
    format: Annotated[str | None, Query(pattern="^(json|jsonl|csv|parquet)$")] = None,
    verdict: Annotated[str | None, Query(max_length=100)] = None,
    sort: Annotated[str, Query(max_length=20)] = "row",
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=results.PAGE_MAX)] = 100,
    raw_csv: bool = False,
    _: Any = Viewer,
) -> Response:
    _done_folder(request, job_id)
    path = jobs_of(request).results(job_id)
    verdicts = results.parse_verdicts(verdict)
    fmt = format or _from_accept(request.headers.get("accept", ""))
    if fmt == "json":
        return json_response(
            {
                "job": job_id,
                **results.page(path, verdicts=verdicts, sort=sort, offset=offset, limit=limit),
            }
        )
    name = f"uflpa-screening-{job_id}"
    if fmt == "jsonl":
        return StreamingResponse(
            results.jsonl_lines(path, verdicts=verdicts, sort=sort),
            media_type=FORMATS["jsonl"],
            headers={"content-disposition": f'attachment; filename="{name}.jsonl"'},
        )
    if fmt == "csv":
        return StreamingResponse(
            results.csv_lines(path, verdicts=verdicts, sort=sort, raw=raw_csv),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{name}.csv"'},
        )
    out = results.parquet_file(path, verdicts=verdicts, sort=sort)
    return FileResponse(
        out,
        media_type=FORMATS["parquet"],
        filename=f"{name}.parquet",
        background=BackgroundTask(shutil.rmtree, out.parent, True),
    )


def _from_accept(accept: str) -> str:
    for fmt, media in FORMATS.items():
        if media in accept:
            return fmt
    return "json"


@router.get("/{job_id}/report", summary="A finished job's HTML report of the flagged rows")
def report(request: Request, job_id: str, _: Any = Viewer) -> Response:
    folder = _done_folder(request, job_id)
    path = folder / REPORT
    if not path.is_file():
        raise NotFoundError(f"screening job {job_id} has no report")
    return FileResponse(path, media_type="text/html; charset=utf-8")
