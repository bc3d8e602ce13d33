"""`benchmarks/api_load.py --quick` runs end to end (a real `uflpa serve`, the CLI baselines, an
upload): every figure is there and no request failed. Figures are never asserted on: speed is
the benchmark's to report, not a test's to judge. The harness's own arithmetic (percentiles, the
verdict read from a body, the name mix) is checked on hand-made inputs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repo root holds benchmarks/

from benchmarks.api_load import MIX, name_pools, name_sequence, percentile, verdict_of

ROOT = Path(__file__).resolve().parents[2]


def test_quick_run_reports_every_figure_and_no_error(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.api_load", "--quick", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    text = proc.stdout
    for title in (
        "GET /v1/match under load",
        "CPU of the service during the measured phase",
        "Verdicts of the measured requests",
        "Per call: the API beside its baselines",
        "Screening a 2,000-row shipment file",
        "Targets",
    ):
        assert title in text, title
    assert "# errors: 0 of 500 requests" in text
    assert "Traceback" not in proc.stderr

    figures = json.loads(out.read_text(encoding="utf-8"))
    load = figures["load"]
    assert load["requests"] == 500
    assert load["errors"] == 0, load["error_kinds"]
    for key in ("rps", "p50_ms", "p95_ms", "p99_ms", "max_ms", "client_cpu_seconds"):
        assert load[key] > 0, key
    assert load["p50_ms"] <= load["p95_ms"] <= load["p99_ms"] <= load["max_ms"]
    # The mix gives every verdict.
    assert all(load["verdicts"].get(v, 0) > 0 for v in ("hit", "review", "clear")), load
    assert sum(load["verdicts"].values()) == 500
    # Both uvicorn workers are seen, and the service's CPU is counted.
    workers = [p for p in figures["server_cpu"] if p["process"] == "worker"]
    assert len(workers) == 2
    assert figures["server_cpu_ms_per_request"] > 0
    assert figures["in_process"]["calls"] == 300 and figures["in_process"]["mean_ms"] > 0
    assert figures["cli"]["calls"] == 3 and figures["cli"]["failures"] == 0
    upload = figures["upload"]
    assert upload["cli"]["exit_code"] == 0 and upload["cli"]["output_lines"] == 2000
    assert upload["api"]["state"] == "done" and upload["api"]["rows"] == 2000
    assert upload["same_counts"] is True
    assert upload["ratio"] is not None
    assert [t["target"] for t in figures["targets"]] == [
        "≥ 300 requests/s",
        "p99 ≤ 100 ms",
        "0 errors over 20,000 requests",
        "upload ≤ 1.5x CLI",
    ]
    assert figures["server_log_errors"] == []


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile(values, 100) == 100.0
    assert percentile([7.0], 99) == 7.0


def test_verdict_is_the_answers_own_not_a_names() -> None:
    body = json.dumps(
        {"query": {"name": 'x"verdict":"hit'}, "verdict": "clear", "candidates": []},
        separators=(",", ":"),
    ).encode()
    assert verdict_of(body) == "clear"
    assert verdict_of(b'{"error":{}}') == "?"


def test_the_mix_draws_every_kind_and_is_seeded() -> None:
    pools = name_pools(0)
    assert all(pools[kind] for kind in MIX), {k: len(v) for k, v in pools.items()}
    first = name_sequence(pools, 2000, 0)
    assert first == name_sequence(pools, 2000, 0)
    assert {kind for kind, _ in first} == set(MIX)
    assert all(name.strip() for _, name in first)
