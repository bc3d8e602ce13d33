"""The process that screens one job (`python -m uflpa.service.runner JOB_DIR`).

It runs the same engine as `uflpa screen` (the local engine: every core unless the service says
otherwise) into a Parquet file and the HTML report, and keeps `state.json` up to date: the stage,
rows done out of the estimate, the counts so far, then the summary or the error. It never lets a
traceback be the only account of a failure: an unexpected error is written as the job's error
(its type and message) and logged in `runner.log` beside it.
"""

from __future__ import annotations

import logging
import os
import sys
import time
import traceback
from datetime import date
from pathlib import Path
from typing import Any

from uflpa.bulk.kinds import Kind
from uflpa.bulk.screen_file import ROWS_STAGE, RowProblem, ScreenRequest, estimate_rows
from uflpa.errors import UflpaError
from uflpa.io import Table
from uflpa.service.jobs import (
    DONE,
    FAILED,
    REPORT,
    RESULTS,
    RUNNING,
    now_text,
    read_json,
    write_json,
)

#: Seconds between two writes of the progress.
PROGRESS_EVERY = 0.25
#: Row problems kept in the state (all of them are rows of the results).
PROBLEMS_KEPT = 200

log = logging.getLogger("uflpa.service.runner")


class JobEvents:
    """Progress written to `state.json`, at most every PROGRESS_EVERY seconds."""

    def __init__(self, folder: Path, state: dict[str, Any], total: int | None) -> None:
        self._folder = folder
        self._state = state
        self._last = 0.0
        state.update(stage=ROWS_STAGE, done=0, total=total, problems=[], problem_count=0)
        self._estimate = total

    def _write(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last >= PROGRESS_EVERY:
            self._last = now
            self._state["updated_at"] = now_text()
            write_json(self._folder / "state.json", self._state)

    def started(self, table: Table) -> None:
        self._write(force=True)

    def stage(self, name: str, total: int | None) -> None:
        if total is None and name == ROWS_STAGE:
            total = self._estimate
        self._state.update(stage=name, done=0, total=total)
        self._write(force=True)

    def advanced(self, rows: int) -> None:
        self._state["done"] += rows
        self._write()

    def problem(self, problem: RowProblem) -> None:
        self._state["problem_count"] += 1
        if len(self._state["problems"]) < PROBLEMS_KEPT:
            self._state["problems"].append(
                {
                    "file": self._state.get("filename"),
                    "row": problem.row,
                    "column": problem.column,
                    "reason": problem.reason,
                    "screened": problem.screened,
                }
            )
        self._write()


def run(folder: Path) -> int:
    """Screen the job in `folder`; 0 when it is done, 1 when it failed (said in its state)."""
    from uflpa.bulk.local import screen_file_local
    from uflpa.bulk.sinks import ParquetSink, ReportSink, Sink
    from uflpa.catalog import ListSelection, open_lists, screener_for

    meta = read_json(folder / "meta.json")
    opts = meta["options"]
    state: dict[str, Any] = {
        "state": RUNNING,
        "pid": os.getpid(),
        "started_at": now_text(),
        "filename": meta["filename"],
    }
    # Read from inside the upload's folder, so that row problems name the file as the user did.
    folder = folder.resolve()
    upload = folder / meta["input"]
    os.chdir(upload.parent)
    path = Path(upload.name)
    events = JobEvents(folder, state, estimate_rows(path))
    events._write(force=True)
    try:
        request = ScreenRequest(
            path=path,
            kind=Kind(opts["kind"]) if opts.get("kind") else None,
            columns=dict(opts.get("columns") or {}),
            encoding=opts.get("encoding"),
            as_of=date.fromisoformat(opts["as_of"]) if opts.get("as_of") else None,
            source=meta["filename"],
        )

        def build() -> Any:
            selection = ListSelection.of(opts.get("lists"), list(opts.get("list_versions") or []))
            return screener_for(open_lists(selection))

        sinks: list[Sink] = [ParquetSink(folder / RESULTS), ReportSink(folder / REPORT)]
        result = screen_file_local(request, build, sinks, events, workers=opts.get("workers"))
    except UflpaError as exc:
        state.update(state=FAILED, error=_named(str(exc), path, meta["filename"]))
    except Exception as exc:  # the job says what happened; the log keeps the traceback
        log.error("job %s failed:\n%s", folder.name, traceback.format_exc())
        state.update(state=FAILED, error=f"internal error ({type(exc).__name__}): {exc}")
    else:
        summary = result.summary
        state.update(
            state=DONE,
            kind=result.kind.value,
            summary=summary.to_dict(),
            summary_lines=summary.lines(),
            done=summary.total,
            total=summary.total,
        )
    state["finished_at"] = now_text()
    events._write(force=True)
    return 0 if state["state"] == DONE else 1


def _named(message: str, path: Path, filename: str) -> str:
    """An error about the stored upload, told with the name the user gave the file."""
    return message.replace(str(path), filename)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    if len(sys.argv) != 2:
        sys.stderr.write("usage: python -m uflpa.service.runner JOB_DIR\n")
        sys.exit(2)
    sys.exit(run(Path(sys.argv[1])))


if __name__ == "__main__":
    main()
