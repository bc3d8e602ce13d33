"""The list store read by several commands at once, read where it cannot be written, and a lock
that names its holder (issue 19, point 11). Real processes throughout.

A store that is read-only on disk is made with chmod (file 444, folder 555); when the tests run as
root, the commands run without the capabilities that let root write anyway (CAP_DAC_OVERRIDE,
CAP_DAC_READ_SEARCH, CAP_FOWNER dropped from the bounding set before exec), so that the modes
bind as they do for any user.
"""

from __future__ import annotations

import ctypes
import json
import os
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from uflpa.errors import StoreError
from uflpa.lists.bundled import load_bundled
from uflpa.store import ListStore

_PR_CAPBSET_DROP = 24
_CAPS = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER


def _drop_caps() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in _CAPS:
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _as_user() -> Callable[[], None] | None:
    return _drop_caps if os.geteuid() == 0 else None


def run(home: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "UFLPA_HOME": str(home), "COLUMNS": "200"}
    env.pop("UFLPA_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "uflpa", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=timeout,
        preexec_fn=_as_user(),
    )


def one_line_error(res: subprocess.CompletedProcess[str]) -> str:
    assert res.returncode != 0 and "Traceback" not in res.stderr, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("uflpa: error: "), res.stderr
    return lines[0]


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Callable[[Path], None]]:
    """Make a store's file and folder read-only on disk (undone after the test)."""
    made: list[Path] = []

    def make(home: Path) -> None:
        for path in [*home.iterdir(), home]:
            made.append(path)
            path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH | (0o555 if path.is_dir() else 0))
        probe = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; open(sys.argv[1], 'ab')",
                str(home / "uflpa.duckdb"),
            ],
            capture_output=True,
            preexec_fn=_as_user(),
            check=False,
        )
        if probe.returncode == 0:
            pytest.skip("this user writes read-only files anyway (cannot drop the capabilities)")

    yield make
    for path in made:
        path.chmod(0o755 if path.is_dir() else 0o644)


def test_a_read_only_store_is_read_and_a_writer_says_it_cannot_write(
    tmp_path: Path, read_only: Callable[[Path], None]
) -> None:
    home = tmp_path / "home"
    assert run(home, "lists", "history").returncode == 0  # create and seed it
    read_only(home)
    for args in (
        ("lists", "history", "--format", "json"),
        ("lists", "show", "--format", "jsonl"),
        ("lists", "stats", "--format", "json"),
        ("match", "Xinjiang Daqo New Energy Co., Ltd.", "--format", "json"),
        ("screen", "--example", "--format", "csv"),
        ("trace", "--example", "solar", "--format", "jsonl"),
    ):
        res = run(home, *args)
        assert res.returncode == 0, (args, res.stderr)
        assert res.stdout.strip()
    page = Path(__file__).resolve().parents[1] / "fixtures" / "store" / "page_update.html"
    line = one_line_error(run(home, "lists", "update", "--from", str(page)))
    assert f"cannot write the list store {home / 'uflpa.duckdb'}" in line
    assert "read-only" in line and "commands that only read it still work" in line


def test_a_read_only_store_of_an_earlier_release_is_read_as_it_is(
    tmp_path: Path, read_only: Callable[[Path], None]
) -> None:
    # A store written by an earlier release: another bundled snapshot, no list_fetches table.
    # A reader would bring it up to date; where it cannot write, it reads it as it is.
    home = tmp_path / "home"
    home.mkdir()
    bundled = load_bundled()
    earlier = replace(
        bundled, entities=bundled.entities[:-1], published=date(2026, 7, 1), content_hash=""
    )
    with ListStore(home / "uflpa.duckdb", seed_bundled=False) as store:
        store.ingest(earlier)
        store._con.execute("DROP TABLE list_fetches")
    read_only(home)
    res = run(home, "lists", "history", "--format", "json")
    assert res.returncode == 0, res.stderr
    assert [v["version_id"] for v in json.loads(res.stdout)] == [earlier.version_id]
    matched = run(home, "match", "Xinjiang Daqo New Energy Co., Ltd.", "--format", "json")
    assert matched.returncode == 0, matched.stderr
    assert json.loads(matched.stdout)[0]["list_version"] == earlier.version_id
    # A screening says what it could not do.
    screened = run(home, "screen", "--example", "--format", "csv")
    assert screened.returncode == 0, screened.stderr
    assert "read-only on disk" in screened.stderr
    assert "without this release's bundled snapshot" in screened.stderr


def _hold(path: Path, *, read_only: bool) -> subprocess.Popen[str]:
    """A uflpa process that holds the store (a writer mid-ingest, or a reader) until told."""
    code = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from uflpa.store import ListStore
        store = ListStore(Path(sys.argv[1]), read_only={read_only})
        print("ready", flush=True)
        sys.stdin.read()
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def _release(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(timeout=60)


def test_a_lock_names_the_process_that_holds_it(tmp_path: Path) -> None:
    home = tmp_path / "home"
    path = home / "uflpa.duckdb"
    ListStore(path).close()
    writer = _hold(path, read_only=False)
    try:
        with pytest.raises(StoreError) as reading:
            ListStore(path, read_only=True, lock_timeout=0.3)
        message = str(reading.value)
        assert f"being written by another uflpa process (PID {writer.pid}" in message
        assert "waited 0.3 s; try again when it has finished" in message
        with pytest.raises(
            StoreError, match=rf"in use by another uflpa process \(PID {writer.pid}"
        ):
            ListStore(path, lock_timeout=0.3)
        # From the command line: one line, after the wait.
        started = time.monotonic()
        res = run(home, "match", "Xinjiang Daqo New Energy Co., Ltd.")
        assert time.monotonic() - started >= 10
        line = one_line_error(res)
        assert f"another uflpa process (PID {writer.pid}" in line
    finally:
        _release(writer)
    assert run(home, "match", "Xinjiang Daqo New Energy Co., Ltd.").returncode == 0


def test_every_read_only_command_runs_beside_another_reader(tmp_path: Path) -> None:
    # A reader holding the store (a long screening, the service) keeps out writers only: every
    # command that only reads must open the store read-only and run at once, not wait for it.
    home = tmp_path / "home"
    path = home / "uflpa.duckdb"
    assert run(home, "lists", "history").returncode == 0
    reader = _hold(path, read_only=True)
    commands = [
        ("lists", "history"),
        ("lists", "show", "--format", "csv"),
        ("lists", "stats"),
        ("lists", "diff", "bundled", "bundled"),
        ("lists", "chart", "--out", str(tmp_path / "chart.svg")),
        ("match", "Hoshine Silicon Industry", "--format", "json"),
        ("compare", "Hoshine Silicon Industry", "Hoshine Silicon"),
        ("screen", "--example", "--format", "csv"),
        ("trace", "--example", "cotton", "--format", "jsonl"),
    ]
    try:
        env = {**os.environ, "UFLPA_HOME": str(home), "COLUMNS": "200"}
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "uflpa", *args],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for args in commands
        ]
        for args, proc in zip(commands, procs, strict=True):
            _out, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, (args, err)
            assert "locked" not in err
    finally:
        _release(reader)
