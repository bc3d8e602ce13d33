"""What a running service is configured with: built once from the environment (or from the
`uflpa serve` options, which set the environment so that every uvicorn worker reads the same)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from uflpa.errors import UsageError
from uflpa.records import database_url
from uflpa.settings import Settings

#: Bodies larger than this are refused with 413 before they are read (uploads included).
DEFAULT_MAX_UPLOAD_MB = 200
#: Rows a screening job may hold; a larger file is refused with 413 saying so.
DEFAULT_MAX_ROWS = 2_000_000
#: Parties in one `POST /v1/match/batch`.
DEFAULT_MAX_BATCH = 1000
#: Hosts on which the service may run without login (one user on this machine).
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    """Where the service keeps its state and the limits it holds every request to."""

    settings: Settings
    database_url: str
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB * 1024 * 1024
    max_rows: int = DEFAULT_MAX_ROWS
    max_batch: int = DEFAULT_MAX_BATCH
    #: Local single-user mode: no login, only ever on a loopback address (checked at start).
    no_login: bool = False
    #: Workers of the local engine for each screening job (None: every core).
    job_workers: int | None = None
    #: Minutes between two monitor runs in the background (0: none; see `uflpa monitor run`).
    monitor_every_minutes: int = 0
    #: The list update each background monitor run ingests first (None: the stored latest).
    monitor_from: str | None = None

    @property
    def jobs_dir(self) -> Path:
        return self.settings.home / "jobs"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> ServiceConfig:
        env = dict(os.environ if environ is None else environ)
        settings = Settings.from_env(env)
        return cls(
            settings=settings,
            database_url=database_url(settings),
            max_upload_bytes=_int(env, "UFLPA_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB) * 1024 * 1024,
            max_rows=_int(env, "UFLPA_MAX_ROWS", DEFAULT_MAX_ROWS),
            max_batch=_int(env, "UFLPA_MAX_BATCH", DEFAULT_MAX_BATCH),
            no_login=env.get("UFLPA_NO_LOGIN", "") == "1",
            job_workers=_int(env, "UFLPA_JOB_WORKERS", 0) or None,
            monitor_every_minutes=_int(env, "UFLPA_MONITOR_EVERY", 0),
            monitor_from=env.get("UFLPA_MONITOR_FROM") or None,
        )


def _int(env: dict[str, str], name: str, default: int) -> int:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"{name}: not a whole number: {text!r}") from None
    if value < 0:
        raise UsageError(f"{name}: must not be negative: {value}")
    return value
