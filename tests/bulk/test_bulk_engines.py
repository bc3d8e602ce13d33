"""Every engine gives the same output, byte for byte: the row-by-row reference (`--engine rows`),
the local engine with one worker and with two (forked processes), on shipment files with bad
rows, in GBK, as XLSX, on party files; and every output format and the report agree. Real
processes, each with the same store."""

from __future__ import annotations

import csv
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import pytest

from benchmarks.bulk_data import write_shipments
from benchmarks.synthetic_names import CompanyNames
from uflpa.lists.bundled import load_bundled

EXAMPLES = Path(str(resources.files("uflpa.data").joinpath("examples")))
ENGINES = {
    "rows": ["--engine", "rows"],
    "local1": ["--engine", "local", "--workers", "1"],
    "local2": ["--engine", "local", "--workers", "2"],
}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "uflpa", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("engines")
    out = {
        "example": base / "shipments.csv",
        "gbk": base / "shipments_gbk.csv",
        "bulk": base / "bulk.csv",
        "parties": base / "parties.csv",
        "xlsx": base / "shipments.xlsx",
    }
    shutil.copy(EXAMPLES / "shipments.csv", out["example"])
    shutil.copy(EXAMPLES / "shipments_gbk.csv", out["gbk"])
    write_shipments(out["bulk"], rows=3000, suppliers=600, seed=3)
    with out["bulk"].open("a", encoding="utf-8") as fh:
        # Rows the reader cannot use, between good ones: each engine reports them in place.
        fh.write(
            'SHP-X1,"Aksu Huafu Textile Co., Ltd.",Aksu,,,,,,,,CN,5205.11,yarn,2024-01-01,,x\n'
        )
        fh.write("SHP-X2,,,,,,,,,,CN,5205.11,yarn,2024-01-02,\n")
        fh.write("SHP-X3,Hetian Taida Apparel,,,,,,,,,CN,6109.10,shirts,31/04/2024,\n")
    gen = CompanyNames(seed=5)
    with out["parties"].open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "country"])
        names = [e.name for e in load_bundled().entities[::4]] + [gen.name(i) for i in range(400)]
        for i, name in enumerate(names):
            writer.writerow([f"P{i}", name, "CN" if i % 3 else ""])
        writer.writerow(["P-empty", "", "CN"])
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    with out["example"].open(encoding="utf-8", newline="") as fh:
        for record in list(csv.reader(fh))[:120]:
            sheet.append(record)
    book.save(out["xlsx"])
    return out


def outputs(path: Path, tmp: Path, engine: str) -> tuple[str, str, str, list[str]]:
    """JSON lines, CSV, the report (without its clock) and the row problems of one engine."""
    jsonl, report = tmp / f"{engine}.jsonl", tmp / f"{engine}.html"
    res = run(
        "screen", str(path), *ENGINES[engine], "--output", str(jsonl), "--report", str(report)
    )
    assert res.returncode == 0, res.stderr
    csv_run = run("screen", str(path), *ENGINES[engine], "--format", "csv")
    assert csv_run.returncode == 0, csv_run.stderr
    problems = [line for line in res.stderr.splitlines() if re.match(r"uflpa: \S.*: row \d+", line)]
    html = re.sub(r"generated \d{4}-\d\d-\d\d \d\d:\d\d UTC", "", report.read_text("utf-8"))
    return jsonl.read_text("utf-8"), csv_run.stdout, html, problems


@pytest.mark.parametrize("name", ["example", "gbk", "bulk", "parties", "xlsx"])
def test_every_engine_gives_the_same_output(
    files: dict[str, Path], tmp_path: Path, name: str
) -> None:
    reference = outputs(files[name], tmp_path, "rows")
    assert reference[0].count("\n") > 50
    for engine in ("local1", "local2"):
        got = outputs(files[name], tmp_path, engine)
        assert got[0] == reference[0], f"{engine}: JSON lines differ"
        assert got[1] == reference[1], f"{engine}: CSV differs"
        assert got[2] == reference[2], f"{engine}: report differs"
        assert got[3] == reference[3], f"{engine}: row problems differ"


def test_parquet_and_duckdb_outputs_agree_across_engines(
    files: dict[str, Path], tmp_path: Path
) -> None:
    import duckdb
    import pyarrow.parquet as pq

    records = {}
    for engine in ("rows", "local2"):
        parquet, db = tmp_path / f"{engine}.parquet", tmp_path / f"{engine}.duckdb"
        for out in (parquet, db):
            res = run("screen", str(files["bulk"]), *ENGINES[engine], "--output", str(out))
            assert res.returncode == 0, res.stderr
        from_parquet = pq.read_table(parquet).column("record").to_pylist()
        with duckdb.connect(str(db), read_only=True) as con:
            rows = con.execute("SELECT record FROM screening_results ORDER BY row").fetchall()
        assert [r[0] for r in rows] == from_parquet
        records[engine] = from_parquet
    assert records["local2"] == records["rows"] and len(records["rows"]) == 3003


def test_the_summary_counts_every_row_and_names_the_engine(files: dict[str, Path]) -> None:
    res = run("screen", str(files["bulk"]), "--workers", "2")
    assert res.returncode == 0, res.stderr
    m = re.search(r"screened (\d+) row\(s\).*rows not screened (\d+)", res.stderr)
    assert m and int(m.group(1)) == 3003 and int(m.group(2)) == 2
    assert "engine: local, 2 worker(s), rows read by pyarrow" in res.stderr
    assert "parties found by pyarrow" in res.stderr
    assert re.search(r"[\d,]+ distinct parties, each matched once", res.stderr)
    assert "phases: parties found" in res.stderr


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the workers")
def test_a_worker_that_dies_fails_the_run_and_writes_nothing(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    write_shipments(big, rows=60_000, suppliers=20_000, seed=9)
    out = tmp_path / "results.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "uflpa", "screen", str(big), "--workers", "2", "--output", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while time.monotonic() < deadline and proc.poll() is None and not workers:
        time.sleep(0.2)
        workers = _children(proc.pid)  # the worker processes the run forked
    assert workers, "the run ended before its workers could be seen"
    os.kill(workers[0], signal.SIGKILL)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 7, err
    assert "a worker process died" in err and "Traceback" not in err
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".results")]


class Stages:
    """The stages a run tells, with the units advanced in each."""

    def __init__(self) -> None:
        from uflpa.bulk.screen_file import ROWS_STAGE

        self.told: list[list[object]] = [[ROWS_STAGE, None, 0]]

    def started(self, table: object) -> None:
        pass

    def stage(self, name: str, total: int | None) -> None:
        self.told.append([name, total, 0])

    def advanced(self, rows: int) -> None:
        self.told[-1][2] += rows  # type: ignore[operator]

    def problem(self, problem: object) -> None:
        pass


@pytest.mark.parametrize("workers", [1, 2])
def test_the_local_engine_tells_its_stages_for_the_progress_bar(
    files: dict[str, Path], workers: int
) -> None:
    from uflpa.bulk.local import screen_file_local
    from uflpa.bulk.screen_file import ScreenRequest
    from uflpa.bulk.sinks import CollectSink
    from uflpa.match import Matcher
    from uflpa.screening import Screener

    events = Stages()
    sink = CollectSink()
    run = screen_file_local(
        ScreenRequest(path=files["bulk"]),
        lambda: Screener(Matcher([load_bundled()])),
        [sink],
        events,  # type: ignore[arg-type]
        workers=workers,
    )
    distinct = run.summary.distinct_parties
    assert distinct and distinct > 100
    assert events.told == [
        ["screening rows", None, 0],
        ["finding parties", None, 0],
        ["matching parties", distinct, distinct],
        ["screening rows", None, 3003],
    ]
