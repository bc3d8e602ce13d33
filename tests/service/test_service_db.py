"""The service's database: accounts, keys and sessions on the embedded SQLite file (several
processes writing at once) and on a real PostgreSQL server (127.0.0.1:5432, database `test`;
skipped where none answers, required in CI by UFLPA_REQUIRE_POSTGRES=1)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from uflpa.errors import UsageError
from uflpa.records import engine_for
from uflpa.service import accounts

PG_URL = os.environ.get("UFLPA_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def _postgres_url() -> str:
    """A schema of its own on the test server, so that runs never meet each other's rows."""
    try:
        import psycopg

        schema = f"uflpa_test_{secrets.token_hex(4)}"
        with psycopg.connect(PG_URL, connect_timeout=3) as con:
            con.execute(f"CREATE SCHEMA {schema}")
    except Exception as exc:
        if os.environ.get("UFLPA_REQUIRE_POSTGRES") == "1":
            raise AssertionError(f"PostgreSQL is required here and did not answer: {exc}") from exc
        pytest.skip(f"no PostgreSQL at {PG_URL}: {exc}")
    return f"{PG_URL}?options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'records.sqlite'}"
    else:
        yield _postgres_url()


def test_accounts_keys_and_sessions(url: str) -> None:
    engine = engine_for(url)
    accounts.add_user(engine, "ana", "a long password", accounts.ANALYST)
    with pytest.raises(UsageError, match="exists already"):
        accounts.add_user(engine, "ana", "another password", accounts.VIEWER)
    assert accounts.authenticate_user(engine, "ana", "wrong password!") is None
    user = accounts.authenticate_user(engine, "ana", "a long password")
    assert user is not None and user.role == accounts.ANALYST
    token = accounts.open_session(engine, user)
    session = accounts.session_user(engine, token)
    assert session is not None and session.name == "ana" and session.csrf
    accounts.close_session(engine, token)
    assert accounts.session_user(engine, token) is None
    key = accounts.create_key(engine, accounts.VIEWER, "erp")
    principal = accounts.authenticate_key(engine, key)
    assert principal is not None and principal.role == accounts.VIEWER
    assert accounts.authenticate_key(engine, key[:-1] + ("x" if key[-1] != "x" else "y")) is None
    accounts.revoke_key(engine, key)
    assert accounts.authenticate_key(engine, key) is None


def test_bad_names_roles_and_short_passwords_are_refused(tmp_path: Path) -> None:
    engine = engine_for(f"sqlite:///{tmp_path / 's.sqlite'}")
    with pytest.raises(UsageError, match="user name"):
        accounts.add_user(engine, "<script>", "a long password", accounts.VIEWER)
    with pytest.raises(UsageError, match="role"):
        accounts.add_user(engine, "bob", "a long password", "root")
    with pytest.raises(UsageError, match="10 characters"):
        accounts.add_user(engine, "bob", "short", accounts.VIEWER)


_WRITER = """
import sys
from uflpa.service import accounts
from uflpa.records import engine_for
engine = engine_for(sys.argv[1])
for i in range(int(sys.argv[3])):
    accounts.create_key(engine, "viewer", f"{sys.argv[2]}-{i}")
"""


def test_several_processes_write_the_embedded_database_at_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'records.sqlite'}"
    engine_for(url)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, url, f"p{n}", "40"], stderr=subprocess.PIPE
        )
        for n in range(4)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    labels = [k["label"] for k in accounts.list_keys(engine_for(url))]
    assert len(labels) == 160 and len(set(labels)) == 160


def test_the_service_runs_on_postgresql(tmp_path: Path) -> None:
    """A team's deployment: accounts and keys on the PostgreSQL server, the API over HTTP."""
    import httpx

    from tests.service.conftest import start_service, stop_service, uflpa

    url = _postgres_url()
    env = {**os.environ, "UFLPA_DATABASE_URL": url}
    os.environ["UFLPA_DATABASE_URL"] = url
    try:
        key = uflpa(tmp_path, "keys", "create", "--role", "viewer").stdout.strip()
    finally:
        del os.environ["UFLPA_DATABASE_URL"]
    running = start_service(tmp_path, env={"UFLPA_DATABASE_URL": env["UFLPA_DATABASE_URL"]})
    try:
        with httpx.Client(base_url=running.url, headers={"X-API-Key": key}) as client:
            assert client.get("/v1/match", params={"name": "Hoshine"}).status_code == 200
        assert not (tmp_path / "records.sqlite").exists()
    finally:
        stop_service(running)
