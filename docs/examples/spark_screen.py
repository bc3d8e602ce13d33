"""A PySpark job that screens a shipment file with uflpa: the example of `docs/spark.md`.

    spark-submit --master local[2] docs/examples/spark_screen.py SHIPMENTS.csv RESULTS_DIR

Reads a CSV of uflpa's canonical shipment columns (id, manufacturer, ..., import_date) with
Spark, numbers its rows as uflpa does (the header is row 1), screens every row against the
latest stored version of the UFLPA Entity List, and writes the verdicts as Parquet to
RESULTS_DIR/verdicts: one row out per row in, with `record`, the JSON line `uflpa screen`
writes for the same row. Lines Spark's CSV reader finds malformed (a wrong number of fields)
are not screened but kept, whole, in RESULTS_DIR/rejected, and counted, never dropped.
"""

from __future__ import annotations

import sys

from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql.types import StringType, StructField, StructType

import uflpa.spark

CORRUPT = "_corrupt_record"


def main(source: str, target: str) -> None:
    spark = SparkSession.builder.appName("uflpa-screen").getOrCreate()
    header = spark.read.csv(source, header=True).columns
    # Every column as text, as uflpa reads cells, and a column for the lines that do not fit.
    schema = StructType([StructField(c, StringType()) for c in [*header, CORRUPT]])
    rows = (
        spark.read.schema(schema)
        .option("header", True)
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", CORRUPT)
        .option("escape", '"')  # RFC 4180: a quote inside quotes is doubled
        .csv(source)
    )
    # Row numbers as the file's (header = 1; one line per row). Numbering through one partition
    # is fine for a file of millions of rows; a job over a dataset would use its own stable key.
    rows = rows.withColumn(
        "row", F.row_number().over(Window.orderBy(F.monotonically_increasing_id())) + 1
    )
    rows = rows.cache()
    rejected = rows.where(F.col(CORRUPT).isNotNull()).select("row", CORRUPT)
    rejected.write.mode("overwrite").parquet(f"{target}/rejected")
    good = rows.where(F.col(CORRUPT).isNull()).drop(CORRUPT)
    verdicts = uflpa.spark.screen(good, source=source)  # the file named in error rows
    verdicts.write.mode("overwrite").parquet(f"{target}/verdicts")
    written = spark.read.parquet(f"{target}/verdicts")
    counts = {r["verdict"]: r["count"] for r in written.groupBy("verdict").count().collect()}
    counts["rejected by the CSV reader"] = spark.read.parquet(f"{target}/rejected").count()
    print("uflpa verdicts:", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))  # noqa: T201
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
