"""Screening jobs: an uploaded file screened in a process of its own, its state on disk.

A job is a folder under UFLPA_HOME/jobs/<id>: `meta.json` (who, what file, which options),
`input<suffix>` (the upload, under a name of our own: the user's file name is never a path),
`state.json` (queued, running, done or failed; stage, rows done, counts, the summary or the
error), and when done `results.parquet` and `report.html`. Every file
is written beside its final name and moved there, so a reader never sees half of one.

The runner (`python -m uflpa.service.runner DIR`) is a process of its own session: a job that is
running when the service stops goes on and finishes; a job whose process is gone without saying
so (killed, machine restarted) is marked failed with that reason the next time anyone looks.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from uflpa.errors import NotFoundError, UsageError
from uflpa.service.uploads import TABLE_SUFFIXES

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
#: What a screening job reads: the tables `uflpa screen` reads.
UPLOAD_SUFFIXES = TABLE_SUFFIXES
#: A finished job's rows: the Parquet of `uflpa screen --output x.parquet` (one-line columns and
#: each row's JSON record), queried with DuckDB. A DuckDB table was 11 times the size (300 MB for
#: 100,000 rows: its JSON column is stored uncompressed).
RESULTS = "results.parquet"
REPORT = "report.html"
_ID_CHARS = set("0123456789abcdef")


def now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write `data` beside `path` and move it there (readers never see half a file)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, path)


def read_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@dataclass(frozen=True, slots=True)
class JobOptions:
    """The options of `uflpa screen` a job may set."""

    kind: str | None = None
    columns: dict[str, str] | None = None
    encoding: str | None = None
    as_of: str | None = None
    lists: str | None = None
    list_versions: tuple[str, ...] = ()


class Jobs:
    """The jobs under one folder."""

    def __init__(self, root: Path, *, workers: int | None = None) -> None:
        self.root = root
        self.workers = workers
        root.mkdir(parents=True, exist_ok=True)

    def folder(self, job_id: str) -> Path:
        if len(job_id) != 16 or not set(job_id) <= _ID_CHARS:
            raise NotFoundError(f"no screening job {job_id[:40]!r}")
        path = self.root / job_id
        if not (path / "meta.json").is_file():
            raise NotFoundError(f"no screening job {job_id!r}")
        return path

    def results(self, job_id: str) -> Path:
        """A finished job's results file; a job whose file is gone (removed from the disk, or
        kept by an older release in another form) is NotFoundError saying so."""
        path = self.folder(job_id) / RESULTS
        if not path.is_file():
            raise NotFoundError(
                f"the results of screening job {job_id} are no longer on this server; upload "
                "the file again"
            )
        return path

    def new_folder(self) -> tuple[str, Path]:
        job_id = secrets.token_hex(8)
        path = self.root / job_id
        path.mkdir()
        return job_id, path

    def input_path(self, folder: Path, filename: str) -> Path:
        """Where an upload is kept: `in/<the user's file name, made safe>` in the job's folder.

        The name is the user's, so that rows that cannot be screened name the file as the user
        knows it (the runner reads it from inside `in/`); it is cut to its last part and its
        characters other than letters, digits, '.', '-', '_' and spaces are replaced, so it is
        never a path of the user's choosing."""
        suffix = Path(filename).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise UsageError(
                f"file {filename!r}: the service screens {', '.join(UPLOAD_SUFFIXES)} files"
            )
        stem = re.sub(r"[^\w.\- ]", "_", Path(filename).stem).strip(" .")[:120] or "upload"
        inbox = folder / "in"
        inbox.mkdir(exist_ok=True)
        return inbox / f"{stem}{suffix}"

    def submit(
        self,
        job_id: str,
        folder: Path,
        *,
        owner: str,
        filename: str,
        input_path: Path,
        size: int,
        sha256: str,
        options: JobOptions,
    ) -> dict[str, Any]:
        """Record the job and start its runner."""
        meta = {
            "id": job_id,
            "owner": owner,
            "filename": filename,
            "input": input_path.relative_to(folder).as_posix(),
            "bytes": size,
            "sha256": sha256,
            "created_at": now_text(),
            "options": {
                "kind": options.kind,
                "columns": options.columns or {},
                "encoding": options.encoding,
                "as_of": options.as_of,
                "lists": options.lists,
                "list_versions": list(options.list_versions),
                "workers": self.workers,
            },
        }
        write_json(folder / "meta.json", meta)
        write_json(folder / "state.json", {"state": QUEUED, "updated_at": now_text()})
        self._start(folder)
        return self.status(job_id)

    def _start(self, folder: Path) -> None:
        log = (folder / "runner.log").open("ab")
        proc = subprocess.Popen(
            [sys.executable, "-m", "uflpa.service.runner", str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            # Its own session: a restart of the service does not take the job with it.
            start_new_session=True,
            close_fds=True,
        )
        log.close()
        # Reap the runner when it ends, so that it leaves no zombie behind in this process.
        threading.Thread(target=proc.wait, daemon=True).start()

    def status(self, job_id: str) -> dict[str, Any]:
        folder = self.folder(job_id)
        meta = read_json(folder / "meta.json")
        state = self._checked_state(folder)
        return {
            "id": job_id,
            "filename": meta["filename"],
            "owner": meta["owner"],
            "bytes": meta["bytes"],
            "sha256": meta["sha256"],
            "created_at": meta["created_at"],
            "options": meta["options"],
            **{k: v for k, v in state.items() if k != "pid"},
        }

    def _checked_state(self, folder: Path) -> dict[str, Any]:
        """The job's state; a job whose runner is gone without a word is marked failed."""
        state = read_json(folder / "state.json")
        if state.get("state") in (QUEUED, RUNNING) and not _alive(state.get("pid"), folder):
            # Read again: the runner may have finished between the two reads.
            state = read_json(folder / "state.json")
            if state.get("state") in (QUEUED, RUNNING) and not _alive(state.get("pid"), folder):
                state = {
                    **state,
                    "state": FAILED,
                    "error": "the job's process stopped before it finished (the service or the "
                    "machine was restarted, or the process was killed); nothing of it was kept: "
                    "upload the file again",
                    "finished_at": now_text(),
                }
                for leftover in folder.glob(".*.tmp*"):
                    leftover.unlink(missing_ok=True)
                write_json(folder / "state.json", state)
        return state

    def all(self) -> Iterator[dict[str, Any]]:
        """Every job, newest first."""
        found = []
        for folder in self.root.iterdir():
            if (folder / "meta.json").is_file() and (folder / "state.json").is_file():
                found.append((folder.stat().st_mtime, folder.name))
        for _, job_id in sorted(found, reverse=True):
            with contextlib.suppress(NotFoundError, OSError, ValueError):
                yield self.status(job_id)

    def recover(self) -> int:
        """Mark failed every job whose runner is gone (at start-up); how many were."""
        failed = 0
        for folder in self.root.iterdir():
            if (folder / "state.json").is_file():
                with contextlib.suppress(OSError, ValueError):
                    before = read_json(folder / "state.json").get("state")
                    after = self._checked_state(folder).get("state")
                    failed += before != after
        return failed


def _alive(pid: Any, folder: Path) -> bool:
    """Whether `pid` is this job's runner (not another process that took the number)."""
    if not isinstance(pid, int):
        # Queued and not yet started: the runner writes its pid first thing.
        state_age = datetime.now(UTC).timestamp() - (folder / "state.json").stat().st_mtime
        return state_age < 60
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return True
    return b"uflpa.service.runner" in cmdline and str(folder).encode() in cmdline
