"""A real uflpa service for the tests: `python -m uflpa serve` on a free port of 127.0.0.1, in a
UFLPA_HOME of its own, with an admin, an analyst and a viewer account and an API key for each
role, created through the CLI as an operator would. Tests talk to it over real HTTP (httpx) or a
real browser (Playwright driving Debian's chromium)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

PASSWORD = "correct horse battery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Service:
    """A running `uflpa serve`: its address, its home and the keys of each role."""

    url: str
    home: Path
    process: subprocess.Popen[bytes]
    log: Path
    keys: dict[str, str] = field(default_factory=dict)

    def client(self, role: str | None = "viewer", **kwargs: object) -> httpx.Client:
        headers = {"X-API-Key": self.keys[role]} if role else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60, **kwargs)  # type: ignore[arg-type]

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def uflpa(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "UFLPA_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "uflpa", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )


def start_service(
    home: Path, *args: str, env: dict[str, str] | None = None, port: int | None = None
) -> Service:
    """Start `uflpa serve` and wait until /readyz answers."""
    port = port or free_port()
    log = home / f"serve-{port}.log"
    handle = log.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "uflpa", "serve", "--host", "127.0.0.1", "--port", str(port), *args],
        stdout=handle,
        stderr=subprocess.STDOUT,
        env={**os.environ, "UFLPA_HOME": str(home), **(env or {})},
    )
    handle.close()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uflpa serve exited: {log.read_text(errors='replace')}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return Service(url=url, home=home, process=process, log=log)
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"uflpa serve did not become ready: {log.read_text(errors='replace')}")


def wait_done(client: httpx.Client, job_id: str, timeout: float = 120) -> dict[str, object]:
    """A screening job's state once it is done or failed (polled through the API)."""
    deadline = time.monotonic() + timeout
    job: dict[str, object] = {}
    while time.monotonic() < deadline:
        job = client.get(f"/v1/screenings/{job_id}").json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish: {job}")


def stop_service(service: Service) -> None:
    service.process.terminate()
    try:
        service.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        service.process.kill()
        service.process.wait()


@pytest.fixture(scope="session")
def service_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("service-home")
    for role in ("admin", "analyst", "viewer"):
        uflpa(home, "users", "add", role, "--role", role, "--password-stdin", stdin=PASSWORD)
    return home


@pytest.fixture(scope="session")
def service(service_home: Path) -> Iterator[Service]:
    """The service with login required (the way a team runs it), two workers."""
    keys = {
        role: uflpa(
            service_home, "keys", "create", "--role", role, "--label", f"tests {role}"
        ).stdout.strip()
        for role in ("admin", "analyst", "viewer")
    }
    running = start_service(service_home, "--workers", "2", "--job-workers", "1")
    running.keys = keys
    yield running
    stop_service(running)


@pytest.fixture(scope="session")
def local_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The local single-user mode (no login), as the README starts it."""
    running = start_service(tmp_path_factory.mktemp("local-home"), "--no-login")
    yield running
    stop_service(running)
