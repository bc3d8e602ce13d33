"""uflpa on Spark: the screening of a DataFrame of shipment or party rows, on a cluster.

    from uflpa.spark import screen
    results = screen(shipments_df)          # a DataFrame: the rows' verdicts, one per row
    results.write.parquet("s3://…/uflpa-results")

The list versions in use are read from the store on the driver (`uflpa.catalog`) and broadcast;
each executor builds the matcher once; the distinct parties are matched once, with Arrow-based
UDFs (`mapInArrow`), and the result joined back to the rows, whose verdicts are made by the same
rules as on one machine (`uflpa.bulk`), with the same output. PySpark is an optional extra:
`pip install 'uflpa[spark]'`. `uflpa screen FILE --engine spark --master …` runs a file through
it (`uflpa.spark.engine`); `docs/spark.md` says how to run it on a cluster.
"""

from __future__ import annotations

from typing import Any


def screen(df: Any, **options: Any) -> Any:
    """`uflpa.spark.job.screen`: imported on use, so that `import uflpa.spark` needs no Spark."""
    from uflpa.spark.job import screen as screen_df

    return screen_df(df, **options)


__all__ = ["screen"]
