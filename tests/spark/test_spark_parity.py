"""The Spark engine against the reference, with a real local Spark session (Java 17, PySpark):
`uflpa screen --engine spark` gives the row-by-row engine's output byte for byte, and
`uflpa.spark.screen(df)` gives the same verdicts on a DataFrame a Spark job made.

Skipped without PySpark and Java, except in CI (`conftest.py`)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from benchmarks.bulk_data import write_shipments

# Each test starts a JVM that takes both cores (local[2]): under pytest-xdist they all run on one
# worker, one at a time (tests/conftest.py).
pytestmark = pytest.mark.xdist_group("spark")
EXAMPLES = Path(str(resources.files("uflpa.data").joinpath("examples")))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "uflpa", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("spark")
    example = base / "shipments.csv"
    shutil.copy(EXAMPLES / "shipments.csv", example)
    bulk = base / "bulk.csv"
    write_shipments(bulk, rows=2500, suppliers=500, seed=4)
    return {"example": example, "bulk": bulk}


@pytest.mark.parametrize("name", ["example", "bulk"])
def test_the_spark_engine_gives_the_reference_output(
    files: dict[str, Path], tmp_path: Path, name: str
) -> None:
    rows = run("screen", str(files[name]), "--engine", "rows")
    assert rows.returncode == 0, rows.stderr
    report = tmp_path / "spark.html"
    spark = run(
        "screen", str(files[name]), "--engine", "spark", "--master", "local[2]",
        "--report", str(report),
    )  # fmt: skip
    assert spark.returncode == 0, spark.stderr[-3000:]
    assert spark.stdout == rows.stdout
    assert "engine: spark, master local[2]" in spark.stderr
    counts = re.search(r"screened (\d+) row\(s\).*: (hit \d+, review \d+, clear \d+)", rows.stderr)
    assert counts and counts.group(0) in spark.stderr
    assert report.read_text("utf-8").count('<section class="row') == sum(
        1 for line in rows.stdout.splitlines() if json.loads(line)["verdict"] in ("hit", "review")
    )


def test_the_python_entry_point_screens_a_spark_dataframe(files: dict[str, Path]) -> None:
    import pyarrow.csv as pacsv
    from pyspark.sql import SparkSession

    import uflpa.spark
    from uflpa.spark.engine import session

    rows = run("screen", str(files["bulk"]), "--engine", "rows")
    expected = {
        r["row"]: r for r in map(json.loads, rows.stdout.splitlines()) if r["verdict"] != "error"
    }
    spark: SparkSession = session("local[2]")
    try:
        # The user's own job: a DataFrame of canonical columns and their row numbers.
        table = pacsv.read_csv(
            str(files["bulk"]),
            convert_options=pacsv.ConvertOptions(strings_can_be_null=False),
            parse_options=pacsv.ParseOptions(invalid_row_handler=lambda r: "skip"),
        )
        table = table.append_column("row", [list(range(2, table.num_rows + 2))])
        df = spark.createDataFrame(table.cast(_as_text(table)))
        result = uflpa.spark.screen(df).orderBy("row").collect()
    finally:
        spark.stop()
    got: dict[int, Any] = {r["row"]: json.loads(r["record"]) for r in result}
    # Every row of the frame (pyarrow read them all: the file has no bad line) has the verdict
    # the reference gave it, reasons and evidence included.
    assert table.num_rows == len(got) == len(expected)
    assert got == expected
    assert {r["verdict"] for r in got.values()} >= {"hit", "review", "clear"}


def _as_text(table: Any) -> Any:
    import pyarrow as pa

    return pa.schema(
        [pa.field(f.name, pa.int64() if f.name == "row" else pa.string()) for f in table.schema]
    )
