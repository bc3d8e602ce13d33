"""Shared fixtures of the casework tests: a store of record of its own per test (UFLPA_HOME in
tmp_path), the CLI run as a real process, DHS-style list pages (`pages.py`), a list store that
already holds page A (copied, not rebuilt, for each test that needs it), supplier masters written
as CSV, read-only looks into the SQLite file, and a fresh PostgreSQL schema per test.

Page A is the bundled snapshot rendered as the DHS page; page B adds five invented entities
(INVENTED test data, see `pages.invented`) and an invented alias of one listed entity; page C is
page B without one listed entity (Camel Group, UFLPA-030)."""

from __future__ import annotations

import csv
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.casework.pages import invented, page, rows_of
from uflpa.casework.actors import ADMIN, Actor
from uflpa.lists.bundled import load_bundled
from uflpa.settings import Settings

#: The five entities page B adds (INVENTED), all effective 2026-10-01.
ADDED = invented(5, date(2026, 10, 1))
#: The listed entity page B gives one more name, and that name (INVENTED).
ALIASED = "Changhong Meiling Co., Ltd."  # UFLPA-005
NEW_ALIAS = "Meiling Appliance Works"
#: The listed entity page C removes.
REMOVED = "Camel Group Co., Ltd."  # UFLPA-030

PG_URL = os.environ.get("UFLPA_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
ME = Actor("tester", ADMIN)


# --- the CLI as a process ------------------------------------------------------------------------

#: Bytecode of the CLI processes, kept for the session outside the checkout: with
#: PYTHONDONTWRITEBYTECODE set, each process would compile every module again (seconds each).
_PYCACHE = tempfile.TemporaryDirectory(prefix="uflpa-casework-pycache-")


def cli_env(home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a CLI process working in UFLPA_HOME=home (the embedded store)."""
    env = {**os.environ, "UFLPA_HOME": str(home), "COLUMNS": "200"}
    for name in ("UFLPA_DATABASE_URL", "UFLPA_USER", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    env["PYTHONPYCACHEPREFIX"] = _PYCACHE.name
    env.update(extra or {})
    return env


def uflpa(
    home: Path,
    *args: str,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """`python -m uflpa ARGS` in UFLPA_HOME=home (no exception for a non-zero exit)."""
    return subprocess.run(
        [sys.executable, "-m", "uflpa", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=cli_env(home, env),
        timeout=timeout,
        check=False,
    )


def uflpa_parallel(
    *calls: tuple[Path, Sequence[str], dict[str, str] | None],
) -> list[subprocess.CompletedProcess[str]]:
    """Several CLI processes at once (home, args, extra env), each run to its end."""
    procs = [
        (
            [sys.executable, "-m", "uflpa", *args],
            subprocess.Popen(
                [sys.executable, "-m", "uflpa", *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=cli_env(home, env),
            ),
        )
        for home, args, env in calls
    ]
    out = []
    for argv, proc in procs:
        stdout, stderr = proc.communicate(timeout=300)
        out.append(subprocess.CompletedProcess(argv, proc.returncode, stdout, stderr))
    return out


def ok(res: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert res.returncode == 0, f"exit {res.returncode}\n{res.stdout}\n{res.stderr}"
    assert "Traceback" not in res.stderr, res.stderr
    return res


def failed(res: subprocess.CompletedProcess[str], code: int) -> str:
    """The one-line error of a command that had to fail with exit `code`."""
    assert res.returncode == code, f"exit {res.returncode}, not {code}\n{res.stdout}\n{res.stderr}"
    assert "Traceback" not in res.stderr, res.stderr
    return res.stderr


def as_json(res: subprocess.CompletedProcess[str]) -> Any:
    return json.loads(ok(res).stdout)


def as_jsonl(res: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in ok(res).stdout.splitlines() if line.strip()]


# --- homes and the list pages --------------------------------------------------------------------


@dataclass(frozen=True)
class Pages:
    folder: Path
    a: Path
    b: Path
    c: Path

    def write(self, name: str, rows: Sequence[tuple[str, str, date]], updated: date) -> Path:
        path = self.folder / name
        path.write_text(page(list(rows), updated), encoding="utf-8")
        return path


def base_rows() -> list[tuple[str, str, date]]:
    return rows_of(load_bundled())


def aliased_rows() -> list[tuple[str, str, date]]:
    """The bundled rows with NEW_ALIAS given to ALIASED."""
    out = []
    for cell, section, day in base_rows():
        if cell == ALIASED:
            cell = f"{ALIASED} (also known as {NEW_ALIAS})"
        out.append((cell, section, day))
    assert any(NEW_ALIAS in cell for cell, _, _ in out), "ALIASED is no longer in the bundled list"
    return out


@pytest.fixture(scope="session")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Pages:
    folder = tmp_path_factory.mktemp("pages")
    a = folder / "a.html"
    a.write_text(page(base_rows(), date(2026, 9, 1)), encoding="utf-8")
    b_rows = aliased_rows() + ADDED
    b = folder / "b.html"
    b.write_text(page(b_rows, date(2026, 10, 2)), encoding="utf-8")
    c_rows = [r for r in b_rows if not r[0].startswith(REMOVED)]
    assert len(c_rows) < len(b_rows)
    c = folder / "c.html"
    c.write_text(page(c_rows, date(2026, 10, 3)), encoding="utf-8")
    return Pages(folder, a, b, c)


@pytest.fixture(scope="session")
def home_a_template(tmp_path_factory: pytest.TempPathFactory, pages: Pages) -> Path:
    """A UFLPA_HOME whose list store holds page A as the latest version (built once)."""
    from uflpa.catalog.update import update_list

    home = tmp_path_factory.mktemp("home-a")
    update = update_list(str(pages.a), settings=Settings(home=home))
    assert update.created
    return home


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty UFLPA_HOME for this test (the bundled list, a new store of record)."""
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("UFLPA_HOME", str(path))
    monkeypatch.delenv("UFLPA_DATABASE_URL", raising=False)
    monkeypatch.delenv("UFLPA_USER", raising=False)
    return path


@pytest.fixture
def home_a(home: Path, home_a_template: Path) -> Path:
    """`home`, with page A already in its list store."""
    for item in home_a_template.iterdir():
        shutil.copy2(item, home / item.name)
    return home


def sqlite_url(home: Path) -> str:
    return f"sqlite:///{home / 'records.sqlite'}"


@pytest.fixture
def engine(home: Path) -> Any:
    from uflpa.records import engine_for

    eng = engine_for(sqlite_url(home))
    yield eng
    eng.dispose()


# --- supplier masters ----------------------------------------------------------------------------


def master(path: Path, rows: Sequence[Sequence[str]], header: Sequence[str] | None = None) -> Path:
    """A supplier master as CSV (UTF-8): `header` (default id,name,country,address) and rows."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header or ["id", "name", "country", "address"])
        writer.writerows(rows)
    return path


# --- looking into the embedded database ----------------------------------------------------------


def peek(home: Path, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Rows of `sql` on the store of record, opened read-only (as another program would)."""
    uri = f"file:{home / 'records.sqlite'}?mode=ro"
    con = sqlite3.connect(uri, uri=True, timeout=30)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def tamper(db: Path, *statements: tuple[str, Sequence[Any]]) -> None:
    """Change the SQLite file directly, behind uflpa's back."""
    con = sqlite3.connect(db)
    try:
        for sql, params in statements:
            con.execute(sql, params)
        con.commit()
    finally:
        con.close()


# --- PostgreSQL ----------------------------------------------------------------------------------


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A schema of its own on the test server (127.0.0.1:5432, database `test`), dropped after;
    skipped where no server answers, unless UFLPA_REQUIRE_POSTGRES=1."""
    try:
        import psycopg

        schema = f"uflpa_test_{secrets.token_hex(4)}"
        with psycopg.connect(PG_URL, connect_timeout=3) as con:
            con.execute(f"CREATE SCHEMA {schema}")
    except Exception as exc:
        if os.environ.get("UFLPA_REQUIRE_POSTGRES") == "1":
            raise AssertionError(f"PostgreSQL is required here and did not answer: {exc}") from exc
        pytest.skip(f"no PostgreSQL at {PG_URL}: {exc}")
    url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    yield url
    from uflpa.records.engine import _ENGINES

    for key, eng in list(_ENGINES.items()):
        if schema in key:
            eng.dispose()
    with psycopg.connect(PG_URL, connect_timeout=3) as con:
        con.execute(f"DROP SCHEMA {schema} CASCADE")


def wait_for(check: Callable[[], Any], timeout: float, what: str) -> Any:
    """Poll `check` until it returns something true; fail naming `what` after `timeout` s."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = check()
        if got:
            return got
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
