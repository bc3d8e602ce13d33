"""The Spark tests need PySpark and Java. Without them they are skipped, except where
UFLPA_REQUIRE_SPARK=1 (CI), where a machine without them fails here instead.

A file whose tests start a JVM (a Spark session, `--engine spark`, spark-submit) marks itself
`pytestmark = pytest.mark.xdist_group("spark")`: under pytest-xdist those tests then run on one
worker, one at a time, rather than two JVMs each taking both cores (tests/conftest.py)."""

from __future__ import annotations

import os
import shutil

import pytest


def _spark_missing() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "PySpark is not installed (pip install 'uflpa[spark]')"
    if shutil.which("java") is None:
        return "no java on the PATH"
    return None


MISSING = _spark_missing()
if MISSING and os.environ.get("UFLPA_REQUIRE_SPARK") == "1":
    raise RuntimeError(f"UFLPA_REQUIRE_SPARK=1 but {MISSING}")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if MISSING is None:
        return
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.skip(reason=MISSING))
