"""The cluster example of `docs/spark.md` runs as written: `spark-submit` of
`docs/examples/spark_screen.py` on a local master screens a shipment file with the verdicts of
the row-by-row engine, and keeps the lines Spark's CSV reader cannot use instead of dropping
them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from benchmarks.bulk_data import write_shipments

# Each test starts a JVM that takes both cores (local[2]): under pytest-xdist they all run on one
# worker, one at a time (tests/conftest.py).
pytestmark = pytest.mark.xdist_group("spark")
JOB = Path(__file__).resolve().parents[2] / "docs" / "examples" / "spark_screen.py"


def test_the_documented_spark_submit_job_gives_the_reference_verdicts(tmp_path: Path) -> None:
    source = tmp_path / "shipments.csv"
    write_shipments(source, rows=1500, suppliers=300, seed=11)
    with source.open("a", encoding="utf-8") as fh:
        # One field too many, no party at all, a doubled quote and an impossible date.
        fh.write('SHP-X1,"Aksu Huafu Textile Co., Ltd.",Aksu,,,,,,,,CN,5205.11,yarn,2024-01-01,,x')
        fh.write("\n")
        fh.write("SHP-X2,,,,,,,,,,CN,5205.11,yarn,2024-01-02,\n")
        fh.write('SHP-X3,"Hetian ""Taida"" Apparel",,,,,,,,,CN,6109.10,shirts,31/04/2024,\n')
    reference = subprocess.run(
        [sys.executable, "-m", "uflpa", "screen", str(source), "--engine", "rows"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    expected = {r["row"]: r for r in map(json.loads, reference.stdout.splitlines())}

    submit = Path(sys.executable).with_name("spark-submit")
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}
    out = tmp_path / "results"
    job = subprocess.run(
        [str(submit), "--master", "local[2]", str(JOB), str(source), str(out)],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert job.returncode == 0, job.stderr[-3000:]

    verdicts = {
        r["row"]: json.loads(r["record"])
        for r in pq.read_table(out / "verdicts").select(["row", "record"]).to_pylist()
    }
    rejected = [r["row"] for r in pq.read_table(out / "rejected").to_pylist()]
    # Every line is accounted for: screened by the job or kept as rejected, never both.
    assert sorted([*verdicts, *rejected]) == sorted(expected)
    # The line with one field too many is the one rejected, which uflpa's reader refuses too.
    assert [expected[r]["verdict"] for r in rejected] == ["error"]
    assert "field" in expected[rejected[0]]["error"]
    # Every screened line has the reference verdict, reasons and evidence.
    assert verdicts == {r: expected[r] for r in verdicts}
    assert {v["verdict"] for v in verdicts.values()} >= {"hit", "review", "clear", "error"}
    assert "uflpa verdicts:" in job.stdout and "rejected by the CSV reader 1" in job.stdout
