"""Test-wide settings.

Hypothesis properties check what holds, never how fast: the first example of a run also builds
lazy tables (the name lexicon, typo vocabularies), which on a busy machine exceeds hypothesis'
default 200 ms deadline and made properties flaky. Speed is measured in `benchmarks/`.

Every test runs with its own list store: UFLPA_HOME points at a fresh directory for the session
(tests that need another store set their own), so that no test reads or writes the user's. Under
pytest-xdist each worker is its own process, so each has its own such directory.

The README's test command runs on every core (`-n auto`, with `--dist loadgroup` from
pyproject.toml). A test is sent to any worker on its own unless it shares something built once:
tests using a module- or session-scoped fixture of the project (a running service, a browser, a
list store built once and copied) stay together on one worker, one file to a group, in file
order, so that the fixture is built once rather than on both workers and the tests that follow
one another on a shared service still do; a file may name its own group instead (the Spark tests
share one, so that only one JVM at a time takes both cores).
"""

from __future__ import annotations

import os
import tempfile

import pytest
from hypothesis import settings

settings.register_profile("uflpa", deadline=None)
settings.load_profile("uflpa")

_HOME = tempfile.TemporaryDirectory(prefix="uflpa-test-home-")
os.environ["UFLPA_HOME"] = _HOME.name


def _shares_a_fixture(item: pytest.Item) -> bool:
    """Whether the test uses a fixture of the project (not a plugin's, such as tmp_path_factory)
    that lives longer than the test."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(
        fixturedef.scope != "function" and fixturedef.baseid
        for fixturedefs in info.name2fixturedefs.values()
        for fixturedef in fixturedefs
    )


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("xdist_group") is None and _shares_a_fixture(item):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))
