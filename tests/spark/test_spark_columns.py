"""Spark reads a DataFrame's columns as uflpa reads a file's headers, with the same check
(`uflpa.io.columns.map_columns`): two columns that could each be a party's name (`name` and
`supplier`) stop the job before anything is screened, and a name under another accepted spelling
(`supplier_name`) is screened, never left empty. A real local Spark session (skipped without
PySpark and Java, except in CI: `conftest.py`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from uflpa.errors import UsageError

# The Spark session takes the cores: under pytest-xdist every Spark test runs on one worker, one
# at a time (tests/conftest.py).
pytestmark = pytest.mark.xdist_group("spark")
LISTED = "Xinjiang Daqo New Energy Co., Ltd."  # UFLPA-009 in the bundled snapshot


def test_two_name_columns_stop_the_cli_engine_before_spark_starts(tmp_path: Path) -> None:
    path = tmp_path / "parties.csv"
    path.write_text(f"id,name,supplier,country\nP1,Acme Widgets Ltd,{LISTED},CN\n", "utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "uflpa", "screen", str(path), "--engine", "spark"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert proc.stderr.startswith(f"uflpa: error: {path}: 'name' (column 2) and 'supplier'")


def test_a_dataframe_s_columns_are_read_as_a_file_s_headers() -> None:
    from pyspark.sql import SparkSession

    import uflpa.spark
    from uflpa.spark.engine import session

    spark: SparkSession = session("local[1]")
    try:
        both = spark.createDataFrame(
            [("P1", "Acme Widgets Ltd", LISTED, "CN")], ["id", "name", "supplier", "country"]
        )
        with pytest.raises(UsageError) as refused:
            uflpa.spark.screen(both, kind="party", source="suppliers")
        message = str(refused.value)
        assert "suppliers: 'name' (column 2) and 'supplier' (column 3)" in message
        # A DataFrame has no --column: the fix named is renaming, not an option.
        assert "--column" not in message and "renaming or removing the other" in message

        spelled = spark.createDataFrame(
            [(2, "P1", LISTED, "CN"), (3, "P2", "Acme Widgets Ltd", "US")],
            ["row", "party_id", "supplier_name", "country_code"],
        )
        rows = uflpa.spark.screen(spelled, kind="party").orderBy("row").collect()
    finally:
        spark.stop()
    records = [json.loads(r["record"]) for r in rows]
    assert [(r["id"], r["verdict"]) for r in records] == [("P1", "hit"), ("P2", "clear")]
