"""The REST service under load: `GET /v1/match` from many keep-alive connections, and a shipment
file screened through the API against `uflpa screen`, beside baselines measured in the same run.

    .venv/bin/python -m benchmarks.api_load [--requests 20000] [--max-seconds 120]
        [--concurrency 16] [--warmup 500] [--workers 2] [--client raw|httpx]
        [--cli-calls 20] [--inprocess-calls 5000] [--upload-rows 100000] [--upload-runs 2]
        [--seed 0] [--quick] [--json OUT]

1. The names: a seeded mix drawn from the bundled data, so that hits, reviews and clears all
   occur: the listed entities' primary names, aliases and former names
   (`uflpa/data/uflpa_entity_list.csv`), their Chinese names (`uflpa_names_zh.csv`), the same
   names cut at 35 characters in capitals (bill-of-lading style), cut to their first two words
   (a trade name alone: reviews), with a one-letter typo, in lower case, or romanised (pypinyin
   of the Chinese names), the party names of the example shipments
   (`uflpa/data/examples/shipments.csv`: manufacturer, seller, exporter, supplier) and invented
   Chinese company names (`benchmarks.synthetic_names`). The same sequence drives every way of
   matching below.
2. Baselines, before the service starts: the in-process operation (`uflpa.service.ops
   .match_party`, the function the endpoint calls, one thread) over the first
   `--inprocess-calls` names of the sequence, and the CLI (`uflpa match NAME --format json`, a
   whole process per call, wall time) over `--cli-calls` names. Both after one warm-up call.
3. The load: `uflpa serve --workers 2 --no-login --port <free>` on 127.0.0.1 in a new
   UFLPA_HOME (the console script at its default log level, one access-log line a request, as
   a user runs it), ready when /readyz answers 200. The client is this process: asyncio with
   `--concurrency` HTTP/1.1 keep-alive connections, raw streams by default (`--client httpx`
   uses httpx.AsyncClient instead: about 3 ms of client CPU a request against 0.16 ms, too much
   to load a service it shares two cores with; nor does it stagger its connections),
   `--warmup` requests not counted, then `--requests` requests or `--max-seconds`, whichever
   ends first. The raw client opens its connections one at a time, 20 ms apart, as clients
   arrive: uvicorn's workers share one listening socket and asyncio accepts every pending
   connection at once, so connections opened in one burst all land on the worker that wakes
   first, and stay there (keep-alive); the CPU table shows how the load was shared. Per
   request: the latency from the write of the request to the last byte of the body. An error
   is a non-200 status or a transport error. The client shares the machine with the service,
   so its own CPU time is measured (process time) and reported, as is the CPU time of each
   service process (from /proc) during the measured phase.
4. The upload (`--upload-rows N`, 0 skips it): an N-row shipment file from
   `benchmarks.bulk_data.write_shipments`, screened by `uflpa screen FILE --output OUT.jsonl`
   (a whole process, wall time), then uploaded with `POST /v1/screenings` (multipart, field
   `file`) and `GET /v1/screenings/{id}` polled every 0.1 s until the job is done: the time from
   the start of the upload to the first poll that sees `done`. `--upload-runs` (default 2)
   pairs, CLI then API, alternating; the best of each is compared, so that a burst of other
   work on a shared machine weighs less; every run's time is shown. The counts of hit, review,
   clear and rows not screened must be the same both ways.
5. Targets: at least 300 requests/s, p99 at most 100 ms, no error over 20,000 requests; the
   upload at most 1.5 times the CLI.

Exit code 0 whatever the figures (a benchmark, not a test); 2 when the service does not start.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import json
import math
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

if __package__ in (None, ""):  # run as a file: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bulk_data import describe, write_shipments
from benchmarks.common import console, machine_header, machine_info, print_table, uflpa_command

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA = REPO_ROOT / "uflpa" / "data"
LIST_CSV = DATA / "uflpa_entity_list.csv"
NAMES_ZH_CSV = DATA / "uflpa_names_zh.csv"
SHIPMENTS_CSV = DATA / "examples" / "shipments.csv"
PARTY_COLUMNS = ("manufacturer", "seller", "exporter", "supplier")

TARGET_RPS = 300.0
TARGET_P99_MS = 100.0
TARGET_REQUESTS = 20_000
TARGET_UPLOAD_RATIO = 1.5
BL_WIDTH = 35
POLL_SECONDS = 0.1
REQUEST_TIMEOUT = 30.0
#: Seconds between two connections opened by the client before the warm-up.
CONNECT_GAP = 0.02
CLK_TCK = os.sysconf("SC_CLK_TCK")

#: Share of each kind of name in the sequence (they need not add up to 1).
MIX = {
    "listed": 0.18,
    "chinese": 0.10,
    "truncated": 0.06,
    "short": 0.05,
    "typo": 0.08,
    "lower": 0.05,
    "pinyin": 0.06,
    "shipment_party": 0.15,
    "invented": 0.30,
}
QUICK = {
    "requests": 500,
    "warmup": 100,
    "upload_rows": 2000,
    "upload_runs": 1,
    "cli_calls": 3,
    "inprocess_calls": 300,
    "max_seconds": 60.0,
}
DEFAULTS = {
    "requests": 20_000,
    "warmup": 500,
    "upload_rows": 100_000,
    "upload_runs": 2,
    "cli_calls": 20,
    "inprocess_calls": 5000,
    "max_seconds": 120.0,
}


# --------------------------------------------------------------------------- the names


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(" | ") if part.strip()]


def _typo(name: str, rng: random.Random) -> str:
    """One slipped key: a letter dropped, doubled or two letters swapped (never in the first)."""
    if len(name) < 5:
        return name + name[-1]
    i = rng.randrange(1, len(name) - 2)
    kind = rng.randrange(3)
    if kind == 0:
        return name[:i] + name[i + 1 :]
    if kind == 1:
        return name[:i] + name[i] + name[i:]
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def _short(name: str) -> str:
    """The first two words: a trade name without place, industry or legal form (a review)."""
    return " ".join(name.replace(",", " ").split()[:2])


def _bill_of_lading(name: str) -> str:
    """Punctuation dropped, capitals, cut at 35 characters, as a bill of lading writes it."""
    plain = re.sub(r"[.,()（）]", " ", name)
    return re.sub(r"\s+", " ", plain).strip().upper()[:BL_WIDTH].strip()


def name_pools(seed: int) -> dict[str, list[str]]:
    """The distinct names of each kind (see MIX), from the bundled data."""
    from pypinyin import lazy_pinyin

    from benchmarks.synthetic_names import CompanyNames

    rng = random.Random(seed)
    listed: list[str] = []
    with LIST_CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            listed += [row["name"].strip(), *_split(row["aliases"]), *_split(row["former_names"])]
    listed = list(dict.fromkeys(n for n in listed if n))
    chinese: list[str] = []
    with NAMES_ZH_CSV.open(encoding="utf-8", newline="") as fh:
        chinese = list(dict.fromkeys(r["name_zh"].strip() for r in csv.DictReader(fh)))
    chinese = [n for n in chinese if n]
    parties: list[str] = []
    with SHIPMENTS_CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            parties += [row.get(c, "").strip() for c in PARTY_COLUMNS]
    parties = list(dict.fromkeys(n for n in parties if n))
    long_names = [n for n in listed if len(n) > BL_WIDTH]
    invented = CompanyNames(seed + 1)
    return {
        "listed": listed,
        "chinese": chinese,
        "truncated": list(dict.fromkeys(_bill_of_lading(n) for n in long_names)),
        "short": list(dict.fromkeys(_short(n) for n in listed if len(n.split()) > 3)),
        "typo": list(dict.fromkeys(_typo(n, rng) for n in listed)),
        "lower": [n.lower() for n in listed],
        "pinyin": list(dict.fromkeys(" ".join(lazy_pinyin(n)).title() for n in chinese)),
        "shipment_party": parties,
        "invented": [invented.name(i) for i in range(2000)],
    }


def name_sequence(pools: dict[str, list[str]], n: int, seed: int) -> list[tuple[str, str]]:
    """`n` (kind, name) draws: a kind by MIX, then a name of that kind, uniformly."""
    rng = random.Random(seed)
    kinds = [k for k in MIX if pools.get(k)]
    weights = [MIX[k] for k in kinds]
    return [(kind, rng.choice(pools[kind])) for kind in rng.choices(kinds, weights, k=n)]


def match_path(name: str) -> str:
    return "/v1/match?name=" + quote(name, safe="")


# --------------------------------------------------------------------------- HTTP clients


@dataclass
class Phase:
    """What one run of requests gave."""

    requests: int = 0
    seconds: float = 0.0
    client_cpu: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    verdicts: Counter[str] = field(default_factory=Counter)
    by_kind: dict[str, Counter[str]] = field(default_factory=dict)
    body_bytes: int = 0

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def record(self, kind: str, status: int, body: bytes, latency: float) -> None:
        self.requests += 1
        self.body_bytes += len(body)
        self.latencies.append(latency)
        if status != 200:
            self.errors[f"HTTP {status}"] += 1
            return
        verdict = verdict_of(body)
        self.verdicts[verdict] += 1
        self.by_kind.setdefault(kind, Counter())[verdict] += 1

    def failed(self, reason: str, latency: float) -> None:
        self.requests += 1
        self.latencies.append(latency)
        self.errors[reason] += 1


_VERDICT = b'"verdict":"'


def verdict_of(body: bytes) -> str:
    """The answer's own verdict: the first `"verdict":"` of the body (the query comes before
    it, and a quote inside a JSON string is escaped, so no name can fake it)."""
    at = body.find(_VERDICT)
    if at < 0:
        return "?"
    start = at + len(_VERDICT)
    return body[start : body.find(b'"', start)].decode("ascii", "replace")


class RawConnection:
    """One HTTP/1.1 keep-alive connection over asyncio streams: GET, read the status line, the
    headers and a Content-Length (or chunked) body. Reconnects after the server closes."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.prefix = b"GET "
        self.suffix = (
            f" HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: application/json\r\n\r\n".encode()
        )

    async def connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def get(self, path: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            await self.connect()
        reader, writer = self.reader, self.writer
        assert reader is not None and writer is not None
        writer.write(self.prefix + path + self.suffix)
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length = -1
        chunked = close = False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                close = b"close" in value.lower()
        if chunked:
            body = await self._chunked(reader)
        elif length >= 0:
            body = await reader.readexactly(length)
        else:
            body = await reader.read()
            close = True
        if close:
            self.close()
        return status, body

    @staticmethod
    async def _chunked(reader: asyncio.StreamReader) -> bytes:
        parts: list[bytes] = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await reader.readexactly(size))
            await reader.readexactly(2)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _run_raw(
    host: str,
    port: int,
    connections: list[RawConnection],
    work: Sequence[tuple[str, bytes]],
    deadline: float,
) -> Phase:
    phase = Phase()
    position = 0

    async def worker(conn: RawConnection) -> None:
        nonlocal position
        perf = time.perf_counter
        while position < len(work) and perf() < deadline:
            kind, path = work[position]
            position += 1
            start = perf()
            try:
                async with asyncio.timeout(REQUEST_TIMEOUT):
                    status, body = await conn.get(path)
            except (OSError, EOFError, ValueError, IndexError, TimeoutError) as exc:
                conn.close()
                phase.failed(type(exc).__name__, perf() - start)
                continue
            phase.record(kind, status, body, perf() - start)

    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(worker(c) for c in connections))
    phase.seconds = time.perf_counter() - wall
    phase.client_cpu = time.process_time() - cpu
    return phase


async def _run_httpx(
    client: Any, concurrency: int, work: Sequence[tuple[str, str]], deadline: float
) -> Phase:
    import httpx

    phase = Phase()
    position = 0

    async def worker() -> None:
        nonlocal position
        perf = time.perf_counter
        while position < len(work) and perf() < deadline:
            kind, path = work[position]
            position += 1
            start = perf()
            try:
                response = await client.get(path)
            except httpx.HTTPError as exc:
                phase.failed(type(exc).__name__, perf() - start)
                continue
            phase.record(kind, response.status_code, response.content, perf() - start)

    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    phase.seconds = time.perf_counter() - wall
    phase.client_cpu = time.process_time() - cpu
    return phase


async def run_load(
    url: str,
    client_kind: str,
    concurrency: int,
    warmup: Sequence[tuple[str, str]],
    measured: Sequence[tuple[str, str]],
    max_seconds: float,
    server_pid: int,
) -> tuple[Phase, Phase, dict[int, tuple[str, float]]]:
    """The warm-up, then the measured phase over the same connections; with the CPU seconds
    each server process spent during the measured phase."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    if client_kind == "raw":
        conns = [RawConnection(host, int(port)) for _ in range(concurrency)]
        raw_warm = [(k, match_path(n).encode()) for k, n in warmup]
        raw_work = [(k, match_path(n).encode()) for k, n in measured]
        try:
            for conn in conns:  # one at a time, as clients arrive (see connect_staggered)
                await conn.connect()
                await asyncio.sleep(CONNECT_GAP)
            warm = await _run_raw(host, int(port), conns, raw_warm, time.perf_counter() + 600)
            before = server_cpu(server_pid)
            load = await _run_raw(
                host, int(port), conns, raw_work, time.perf_counter() + max_seconds
            )
            after = server_cpu(server_pid)
        finally:
            for c in conns:
                c.close()
    else:
        import httpx

        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        async with httpx.AsyncClient(
            base_url=url, limits=limits, timeout=REQUEST_TIMEOUT
        ) as client:
            httpx_warm = [(k, match_path(n)) for k, n in warmup]
            httpx_work = [(k, match_path(n)) for k, n in measured]
            warm = await _run_httpx(client, concurrency, httpx_warm, time.perf_counter() + 600)
            before = server_cpu(server_pid)
            load = await _run_httpx(
                client, concurrency, httpx_work, time.perf_counter() + max_seconds
            )
            after = server_cpu(server_pid)
    spent = {
        pid: (what, seconds - before.get(pid, ("", 0.0))[1])
        for pid, (what, seconds) in after.items()
    }
    return warm, load, spent


# --------------------------------------------------------------------------- processes


def server_cpu(root: int) -> dict[int, tuple[str, float]]:
    """CPU seconds (user + system) of `root` and each of its descendants, from /proc, with a
    short name of each (`serve` for the supervisor, `worker` for a uvicorn worker)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2 :].split()
        parents[int(entry)] = int(fields[1])
        times[int(entry)] = (int(fields[11]) + int(fields[12])) / CLK_TCK
    out: dict[int, tuple[str, float]] = {}
    stack = [root]
    while stack:
        pid = stack.pop()
        if pid not in times:
            continue
        what = "serve" if pid == root else _role(pid)
        out[pid] = (what, times[pid])
        stack.extend(child for child, parent in parents.items() if parent == pid)
    return out


def _role(pid: int) -> str:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        return "?"
    if b"multiprocessing.resource_tracker" in cmdline:
        return "resource tracker"
    if b"uflpa.service.runner" in cmdline:
        return "job runner"
    if b"multiprocessing" in cmdline or b"spawn_main" in cmdline:
        return "worker"
    return cmdline.decode(errors="replace")[:40]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    start_seconds: float


def start_server(cmd: list[str], home: Path, workers: int, log: Path) -> Server:
    import httpx

    port = free_port()
    argv = [*cmd, "serve", "--workers", str(workers), "--no-login", "--port", str(port)]
    argv += ["--host", "127.0.0.1"]  # the default log level: one access-log line a request
    started = time.perf_counter()
    with log.open("wb") as handle:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            env={**os.environ, "UFLPA_HOME": str(home)},
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uflpa serve exited with {process.returncode}: {_tail(log)}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return Server(url, process, log, time.perf_counter() - started)
        time.sleep(0.1)
    stop_server(process)
    raise RuntimeError(f"uflpa serve did not become ready in 120 s: {_tail(log)}")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _tail(path: Path, n: int = 2000) -> str:
    return path.read_text(encoding="utf-8", errors="replace")[-n:] if path.exists() else ""


# --------------------------------------------------------------------------- baselines


def in_process(names: Sequence[str], home: Path) -> dict[str, Any]:
    """`ops.match_party` per call (the function behind the endpoint), one thread, with the
    answer serialised as the endpoint does; after a warm-up call that loads the matcher."""
    from uflpa.service import ops
    from uflpa.service.api.matching import json_response
    from uflpa.settings import Settings

    settings = Settings(home=home)
    started = time.perf_counter()
    ops.match_party(settings, "warm-up")
    load_seconds = time.perf_counter() - started
    perf = time.perf_counter
    match_total = total = 0.0
    for name in names:
        start = perf()
        answer = ops.match_party(settings, name)
        matched = perf()
        json_response(answer)
        match_total += matched - start
        total += perf() - start
    return {
        "calls": len(names),
        "load_seconds": load_seconds,
        "match_ms": match_total / len(names) * 1000,
        "mean_ms": total / len(names) * 1000,
    }


def cli_calls(cmd: list[str], names: Sequence[str], home: Path) -> dict[str, Any]:
    """`uflpa match NAME --format json` as a whole process per call: mean wall time."""
    env = {**os.environ, "UFLPA_HOME": str(home)}
    subprocess.run([*cmd, "match", "warm-up", "--format", "json"], env=env, capture_output=True)
    walls, failures = [], 0
    for name in names:
        start = time.perf_counter()
        proc = subprocess.run(
            [*cmd, "match", name, "--format", "json"], env=env, capture_output=True
        )
        walls.append(time.perf_counter() - start)
        failures += proc.returncode not in (0, 1)  # exit 1 would be a verdict, not a failure
    return {
        "calls": len(names),
        "mean_ms": sum(walls) / len(walls) * 1000,
        "min_ms": min(walls) * 1000,
        "max_ms": max(walls) * 1000,
        "failures": failures,
    }


# --------------------------------------------------------------------------- upload


def cli_screen(cmd: list[str], path: Path, home: Path, out: Path) -> dict[str, Any]:
    env = {**os.environ, "UFLPA_HOME": str(home)}
    start = time.perf_counter()
    proc = subprocess.run(
        [*cmd, "screen", str(path), "--output", str(out)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seconds = time.perf_counter() - start
    said = [line for line in proc.stderr.splitlines() if line.startswith("uflpa: screened")]
    lines = 0
    if out.exists():
        with out.open("rb") as fh:
            lines = sum(1 for _ in fh)
    return {
        "seconds": seconds,
        "exit_code": proc.returncode,
        "summary": said[-1] if said else proc.stderr.strip()[-300:],
        "output_lines": lines,
    }


def api_screen(url: str, path: Path, timeout: float) -> dict[str, Any]:
    """Upload `path`, poll the job until it is done or failed."""
    import httpx

    with httpx.Client(base_url=url, timeout=600) as client:
        start = time.perf_counter()
        with path.open("rb") as fh:
            response = client.post("/v1/screenings", files={"file": (path.name, fh, "text/csv")})
        uploaded = time.perf_counter() - start
        if response.status_code != 202:
            return {
                "seconds": None,
                "upload_seconds": uploaded,
                "error": f"HTTP {response.status_code}: {response.text[:300]}",
            }
        job_id = response.json()["id"]
        polls = 0
        running_at = None
        job: dict[str, Any] = {}
        while time.perf_counter() - start < timeout:
            job = client.get(f"/v1/screenings/{job_id}").json()
            polls += 1
            if job.get("state") == "running" and running_at is None:
                running_at = time.perf_counter() - start
            if job.get("state") in ("done", "failed"):
                break
            time.sleep(POLL_SECONDS)
        seconds = time.perf_counter() - start
    summary = job.get("summary") or {}
    return {
        "job": job_id,
        "state": job.get("state"),
        "error": job.get("error"),
        "seconds": seconds if job.get("state") == "done" else None,
        "upload_seconds": uploaded,
        "first_seen_running": running_at,
        "polls": polls,
        "rows": summary.get("rows"),
        "verdicts": summary.get("verdicts"),
        "not_screened": summary.get("not_screened"),
        "summary": (job.get("summary_lines") or [""])[0],
    }


# --------------------------------------------------------------------------- figures


def percentile(ordered: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of sorted values."""
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), math.ceil(q * len(ordered) / 100)))
    return ordered[rank - 1]


def load_figures(phase: Phase) -> dict[str, Any]:
    ordered = sorted(phase.latencies)
    return {
        "requests": phase.requests,
        "seconds": phase.seconds,
        "rps": phase.requests / phase.seconds if phase.seconds else 0.0,
        "p50_ms": percentile(ordered, 50) * 1000,
        "p95_ms": percentile(ordered, 95) * 1000,
        "p99_ms": percentile(ordered, 99) * 1000,
        "max_ms": (ordered[-1] if ordered else float("nan")) * 1000,
        "mean_ms": sum(ordered) / len(ordered) * 1000 if ordered else float("nan"),
        "errors": phase.error_count,
        "error_kinds": dict(phase.errors),
        "verdicts": dict(phase.verdicts),
        "verdicts_by_kind": {k: dict(v) for k, v in sorted(phase.by_kind.items())},
        "client_cpu_seconds": phase.client_cpu,
        "client_cpu_us_per_request": phase.client_cpu / phase.requests * 1e6
        if phase.requests
        else None,
        "mean_body_bytes": phase.body_bytes / phase.requests if phase.requests else 0,
    }


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def _x(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}x"


def _yes(ok: bool | None) -> str:
    return "—" if ok is None else ("yes" if ok else "NO")


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="uflpa serve under load, beside the CLI")
    parser.add_argument("--requests", type=int, help="measured requests (default 20000)")
    parser.add_argument("--max-seconds", type=float, help="bound of the measured phase (120)")
    parser.add_argument("--concurrency", type=int, default=16, help="keep-alive connections")
    parser.add_argument("--warmup", type=int, help="requests before measuring (500)")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers of the service")
    parser.add_argument("--client", choices=("raw", "httpx"), default="raw")
    parser.add_argument("--cli-calls", type=int, help="`uflpa match` processes timed (20)")
    parser.add_argument("--inprocess-calls", type=int, help="ops.match_party calls timed (5000)")
    parser.add_argument("--upload-rows", type=int, help="rows of the screened file; 0 skips it")
    parser.add_argument("--upload-runs", type=int, help="CLI and API runs, alternating (2)")
    parser.add_argument("--upload-timeout", type=float, default=1800.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: " + json.dumps(QUICK).replace("_", "-")
    )
    parser.add_argument("--json", type=Path, metavar="OUT")
    args = parser.parse_args(argv)
    for key, value in (QUICK if args.quick else DEFAULTS).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if min(args.requests, args.concurrency, args.cli_calls, args.upload_runs) < 1:
        parser.error("--requests, --concurrency, --cli-calls and --upload-runs must be >= 1")
    if args.warmup < 0 or args.upload_rows < 0:
        parser.error("--warmup and --upload-rows must be >= 0")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    print(machine_header("uflpa benchmark: the REST service under load (uflpa serve)"))
    print(f"# load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    cmd = uflpa_command() or [sys.executable, "-m", "uflpa"]
    build = subprocess.run([*cmd, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"# uflpa: {cmd[0]} ({build})")

    pools = name_pools(args.seed)
    sequence = name_sequence(pools, args.warmup + args.requests, args.seed)
    warmup, measured = sequence[: args.warmup], sequence[args.warmup :]
    sizes = ", ".join(f"{k} {len(v):,}" for k, v in pools.items())
    print(f"# names: distinct by kind: {sizes}")
    drawn = Counter(kind for kind, _ in measured)
    print(
        f"# sequence: {len(warmup):,} warm-up + {len(measured):,} measured draws, "
        f"{len({n for _, n in measured}):,} distinct names; measured by kind: "
        + ", ".join(f"{k} {drawn[k]:,}" for k in MIX)
    )
    sys.stdout.flush()
    shown_args = {**vars(args), "json": str(args.json) if args.json else None}
    figures: dict[str, Any] = {"machine": machine_info(), "build": build, "args": shown_args}
    out = console()

    with tempfile.TemporaryDirectory(prefix="uflpa-api-load-") as tmp:
        work = Path(tmp)
        baseline_home, service_home = work / "baseline-home", work / "service-home"
        # Baselines first, on a store of their own, while nothing else runs.
        inproc_names = [n for _, n in measured[: args.inprocess_calls]]
        inproc = in_process(inproc_names, baseline_home)
        print(
            f"# in-process: ops.match_party over the first {inproc['calls']:,} measured names, "
            f"{inproc['mean_ms']:.3f} ms per call ({inproc['match_ms']:.3f} ms matching, the "
            f"rest JSON); store opened and matcher built in {inproc['load_seconds']:.2f} s"
        )
        step = max(1, len(measured) // args.cli_calls)
        cli_names = [n for _, n in measured[::step][: args.cli_calls]]
        cli = cli_calls(cmd, cli_names, baseline_home)
        print(
            f"# CLI: `uflpa match NAME --format json` x {cli['calls']}: mean "
            f"{cli['mean_ms']:.0f} ms (min {cli['min_ms']:.0f}, max {cli['max_ms']:.0f}); "
            f"failed calls {cli['failures']}"
        )
        sys.stdout.flush()
        figures["in_process"], figures["cli"] = inproc, cli

        try:
            server = start_server(cmd, service_home, args.workers, work / "serve.log")
        except RuntimeError as exc:
            print(f"# ERROR: {exc}")
            return 2
        try:
            print(
                f"# service: {server.url}, {args.workers} workers, --no-login; ready in "
                f"{server.start_seconds:.1f} s; client: {args.client}, "
                f"{args.concurrency} keep-alive connections, this process (one thread)"
            )
            sys.stdout.flush()
            warm, load, spent = asyncio.run(
                run_load(
                    server.url,
                    args.client,
                    args.concurrency,
                    warmup,
                    measured,
                    args.max_seconds,
                    server.process.pid,
                )
            )
            if warm.error_count:
                print(f"# NOTE: warm-up errors: {dict(warm.errors)}")
            figures["load"] = load_figures(load)
            figures["server_cpu"] = [
                {"pid": pid, "process": what, "cpu_seconds": seconds}
                for pid, (what, seconds) in sorted(spent.items())
            ]
            figures["server_cpu_ms_per_request"] = (
                sum(seconds for _, seconds in spent.values()) / load.requests * 1000
                if load.requests
                else 0.0
            )
            upload: dict[str, Any] = {}
            if args.upload_rows > 0:
                upload = run_upload(args, cmd, server.url, baseline_home, work)
            figures["upload"] = upload
        finally:
            stop_server(server.process)
        log_tail = [
            line
            for line in _tail(server.log, 20000).splitlines()
            if "Traceback" in line or "ERROR" in line
        ]
        figures["server_log_errors"] = log_tail[:20]

    print(f"# load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    report(figures, args, out)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"# figures written to {args.json}")
    return 0


def run_upload(
    args: argparse.Namespace, cmd: list[str], url: str, cli_home: Path, work: Path
) -> dict[str, Any]:
    path = work / f"shipments-{args.upload_rows}.csv"
    counts = write_shipments(path, args.upload_rows, max(100, args.upload_rows // 20), args.seed)
    print(f"# upload file: {path.name}")
    for line in describe(counts):
        print(f"#   {line}")
    sys.stdout.flush()
    cli_runs, api_runs = [], []
    for n in range(1, args.upload_runs + 1):
        out = work / "cli-out.jsonl"
        out.unlink(missing_ok=True)
        cli = cli_screen(cmd, path, cli_home, out)
        cli_runs.append(cli)
        print(
            f"# CLI screen, run {n}: {cli['seconds']:.2f} s, exit {cli['exit_code']}, "
            f"{cli['output_lines']:,} lines; said: {cli['summary']}"
        )
        sys.stdout.flush()
        api = api_screen(url, path, args.upload_timeout)
        api_runs.append(api)
        print(
            f"# API screen, run {n}: job {api.get('job')} {api.get('state')} after "
            f"{_ms(api['seconds'])} s (the upload answered in {api['upload_seconds']:.2f} s); "
            f"said: {api.get('summary') or api.get('error')}"
        )
        sys.stdout.flush()
    cli = min(cli_runs, key=lambda r: r["seconds"] if r["exit_code"] == 0 else float("inf"))
    api = min(api_runs, key=lambda r: r["seconds"] or float("inf"))
    ratio = api["seconds"] / cli["seconds"] if api.get("seconds") and cli["seconds"] else None
    same = _summary_cells(cli["summary"]) == _api_cells(api)
    print(f"# the CLI and the job give the same counts: {'yes' if same else 'NO'}")
    return {
        "rows": args.upload_rows,
        "bytes": counts["bytes"],
        "expected_error_rows": counts["expected_error_rows"],
        "cli": cli,
        "api": api,
        "cli_runs": cli_runs,
        "api_runs": api_runs,
        "same_counts": same,
        "ratio": ratio,
    }


def _api_cells(api: dict[str, Any]) -> tuple[str, str, str, str]:
    verdicts = api.get("verdicts") or {}
    a, b, c = (f"{verdicts.get(v, 0):,}" for v in ("hit", "review", "clear"))
    return a, b, c, f"{api.get('not_screened') or 0:,}"


def report(figures: dict[str, Any], args: argparse.Namespace, out: Any) -> None:
    load, inproc, cli = figures["load"], figures["in_process"], figures["cli"]
    print_table(
        f"GET /v1/match under load ({args.concurrency} keep-alive connections, "
        f"{args.workers} workers, client {args.client})",
        (
            "requests",
            "seconds",
            "req/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms",
            "errors",
            "client CPU s",
            "client µs/req",
            "body bytes",
        ),
        [
            (
                f"{load['requests']:,}",
                f"{load['seconds']:.2f}",
                f"{load['rps']:,.1f}",
                _ms(load["p50_ms"]),
                _ms(load["p95_ms"]),
                _ms(load["p99_ms"]),
                _ms(load["max_ms"]),
                f"{load['errors']:,}",
                f"{load['client_cpu_seconds']:.2f}",
                _ms(load["client_cpu_us_per_request"]),
                f"{load['mean_body_bytes']:,.0f}",
            )
        ],
        out,
    )
    if load["error_kinds"]:
        print(f"# errors by kind: {load['error_kinds']}")
    print(f"# errors: {load['errors']} of {load['requests']} requests")
    cpu_rows = []
    total_cpu = 0.0
    for row in figures["server_cpu"]:
        total_cpu += row["cpu_seconds"]
        cpu_rows.append(
            (
                str(row["pid"]),
                row["process"],
                f"{row['cpu_seconds']:.2f}",
                f"{row['cpu_seconds'] / load['seconds'] * 100:.0f} %" if load["seconds"] else "—",
            )
        )
    per_request = total_cpu / load["requests"] * 1000 if load["requests"] else None
    cpu_rows.append(("all", "", f"{total_cpu:.2f}", f"{_ms(per_request)} ms per request"))
    print_table(
        "CPU of the service during the measured phase",
        ("pid", "process", "CPU s", "share of the phase"),
        cpu_rows,
        out,
    )
    verdict_rows = [
        (kind, *(f"{counts.get(v, 0):,}" for v in ("hit", "review", "clear")))
        for kind, counts in load["verdicts_by_kind"].items()
    ]
    verdict_rows.append(
        ("all", *(f"{load['verdicts'].get(v, 0):,}" for v in ("hit", "review", "clear")))
    )
    print_table(
        "Verdicts of the measured requests, by kind of name",
        ("kind", "hit", "review", "clear"),
        verdict_rows,
        out,
    )
    server_ms = figures["server_cpu_ms_per_request"]
    print_table(
        "Per call: the API beside its baselines, on the same names",
        ("way", "calls", "ms per call", "calls/s", "API req/s ÷ calls/s", "CPU ms per call"),
        [
            (
                f"API: GET /v1/match, {args.concurrency} connections (latency: mean)",
                f"{load['requests']:,}",
                _ms(load["mean_ms"]),
                f"{load['rps']:,.1f}",
                "1.0x",
                f"{server_ms:.2f} (service)",
            ),
            (
                "in-process: ops.match_party + JSON, one thread",
                f"{inproc['calls']:,}",
                f"{inproc['mean_ms']:.2f}",
                f"{1000 / inproc['mean_ms']:,.1f}",
                _x(load["rps"] / (1000 / inproc["mean_ms"])),
                f"{inproc['mean_ms']:.2f}",
            ),
            (
                "CLI: uflpa match NAME --format json, a process per call",
                f"{cli['calls']:,}",
                f"{cli['mean_ms']:,.0f}",
                f"{1000 / cli['mean_ms']:,.2f}",
                _x(load["rps"] / (1000 / cli["mean_ms"])),
                "—",
            ),
        ],
        out,
    )
    print(
        f"# one request's latency (p50 {load['p50_ms']:.1f} ms with {args.concurrency} in "
        f"flight) is {cli['mean_ms'] / load['p50_ms']:,.0f}x shorter than a CLI call; the "
        f"service spends {server_ms:.2f} ms of CPU per request, "
        f"{server_ms / inproc['mean_ms']:.1f}x the in-process call "
        f"({server_ms - inproc['mean_ms']:.2f} ms of HTTP, routing, validation and logging)"
    )
    upload = figures.get("upload") or {}
    if upload:
        api, cli_run = upload["api"], upload["cli"]
        runs = len(upload["cli_runs"])
        print_table(
            f"Screening a {upload['rows']:,}-row shipment file ({upload['bytes'] / 1e6:.1f} MB)"
            + (f", best of {runs} runs each (alternating)" if runs > 1 else ""),
            (
                "way",
                "seconds",
                "every run s",
                "rows/s",
                "÷ CLI",
                "hit",
                "review",
                "clear",
                "not screened",
            ),
            [
                (
                    "CLI: uflpa screen FILE --output OUT.jsonl",
                    _ms(cli_run["seconds"]),
                    " / ".join(f"{r['seconds']:.1f}" for r in upload["cli_runs"]),
                    f"{upload['rows'] / cli_run['seconds']:,.0f}",
                    "1.0x",
                    *_summary_cells(cli_run["summary"]),
                ),
                (
                    "API: POST /v1/screenings + poll until done",
                    _ms(api["seconds"]),
                    " / ".join(_ms(r["seconds"]) for r in upload["api_runs"]),
                    f"{upload['rows'] / api['seconds']:,.0f}" if api["seconds"] else "—",
                    _x(upload["ratio"]),
                    *_api_cells(api),
                ),
            ],
            out,
        )
    targets = targets_of(figures)
    figures["targets"] = targets
    print_table(
        "Targets",
        ("target", "figure", "met"),
        [(t["target"], t["figure"], _yes(t["met"])) for t in targets],
        out,
    )
    if figures.get("server_log_errors"):
        print("# NOTE: the service logged errors: " + " | ".join(figures["server_log_errors"]))


_SCREENED = re.compile(
    r"hit ([\d,]+), review ([\d,]+), clear ([\d,]+).*?rows not screened ([\d,]+)"
)


def _summary_cells(summary: str) -> tuple[str, str, str, str]:
    found = _SCREENED.search(summary)
    if not found:
        return ("—", "—", "—", "—")
    a, b, c, d = (f"{int(g.replace(',', '')):,}" for g in found.groups())
    return a, b, c, d


def targets_of(figures: dict[str, Any]) -> list[dict[str, Any]]:
    load = figures["load"]
    full = load["requests"] >= TARGET_REQUESTS
    rows = [
        {
            "target": f"≥ {TARGET_RPS:.0f} requests/s",
            "figure": f"{load['rps']:,.1f}",
            "met": load["rps"] >= TARGET_RPS,
        },
        {
            "target": f"p99 ≤ {TARGET_P99_MS:.0f} ms",
            "figure": f"{load['p99_ms']:,.1f} ms",
            "met": load["p99_ms"] <= TARGET_P99_MS,
        },
        {
            "target": f"0 errors over {TARGET_REQUESTS:,} requests",
            "figure": f"{load['errors']:,} over {load['requests']:,}"
            + ("" if full else " (fewer requests than the target's)"),
            "met": load["errors"] == 0 and full,
        },
    ]
    upload = figures.get("upload") or {}
    if upload:
        ratio = upload.get("ratio")
        rows.append(
            {
                "target": f"upload ≤ {TARGET_UPLOAD_RATIO}x CLI",
                "figure": _x(ratio),
                "met": ratio is not None and ratio <= TARGET_UPLOAD_RATIO,
            }
        )
    return rows


if __name__ == "__main__":
    sys.exit(main())
