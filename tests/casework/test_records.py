"""The store of record: a database of the previous release (accounts only, made by `create_all`,
no alembic_version) is stamped and upgraded with its accounts kept; processes that open a new file
at once all get the migrated schema; the migrated schema is `uflpa.records.tables.metadata`; the
CLI, more CLIs and a monitor write the embedded file at the same time without "database is locked"
and without losing a write; and the core flow (import, monitor, decide, verify) on PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from tests.casework.conftest import (
    ME,
    Pages,
    cli_env,
    master,
    ok,
    peek,
    sqlite_url,
    uflpa,
)
from uflpa.casework import audit
from uflpa.casework.alerts import list_alerts
from uflpa.casework.decisions import decide
from uflpa.casework.monitor import run_monitor
from uflpa.casework.watchlists import import_file, list_parties, party_record
from uflpa.records import engine_for, metadata
from uflpa.records.engine import current_revision, head_revision
from uflpa.service.accounts import authenticate_user, hash_password, list_users
from uflpa.settings import Settings

LISTED = "Xinjiang Daqo New Energy Co., Ltd."  # UFLPA-009

#: The accounts tables as the previous release's `metadata.create_all` made them on SQLite.
PREVIOUS_RELEASE_SQLITE = [
    "CREATE TABLE users (name VARCHAR(64) NOT NULL, password_hash VARCHAR(256) NOT NULL, "
    "role VARCHAR(16) NOT NULL, created_at DATETIME NOT NULL, disabled_at DATETIME, "
    "PRIMARY KEY (name))",
    "CREATE TABLE api_keys (key_id VARCHAR(32) NOT NULL, secret_sha256 VARCHAR(64) NOT NULL, "
    "role VARCHAR(16) NOT NULL, label VARCHAR(200) NOT NULL, owner VARCHAR(64), "
    "created_at DATETIME NOT NULL, revoked_at DATETIME, PRIMARY KEY (key_id))",
    "CREATE TABLE web_sessions (token_sha256 VARCHAR(64) NOT NULL, user_name VARCHAR(64) NOT NULL, "
    "csrf VARCHAR(64) NOT NULL, created_at DATETIME NOT NULL, expires_at DATETIME NOT NULL, "
    "PRIMARY KEY (token_sha256))",
]
PREVIOUS_RELEASE_PG = [
    "CREATE TABLE users (name VARCHAR(64) PRIMARY KEY, password_hash VARCHAR(256) NOT NULL, "
    "role VARCHAR(16) NOT NULL, created_at TIMESTAMP WITH TIME ZONE NOT NULL, "
    "disabled_at TIMESTAMP WITH TIME ZONE)",
    "CREATE TABLE api_keys (key_id VARCHAR(32) PRIMARY KEY, secret_sha256 VARCHAR(64) NOT NULL, "
    "role VARCHAR(16) NOT NULL, label VARCHAR(200) NOT NULL, owner VARCHAR(64), "
    "created_at TIMESTAMP WITH TIME ZONE NOT NULL, revoked_at TIMESTAMP WITH TIME ZONE)",
    "CREATE TABLE web_sessions (token_sha256 VARCHAR(64) PRIMARY KEY, "
    "user_name VARCHAR(64) NOT NULL, csrf VARCHAR(64) NOT NULL, "
    "created_at TIMESTAMP WITH TIME ZONE NOT NULL, expires_at TIMESTAMP WITH TIME ZONE NOT NULL)",
]
PASSWORD = "the old release's password"


def previous_release(url: str, ddl: list[str]) -> None:
    """What the previous release left: the three accounts tables, one user, one key."""
    raw = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    now = datetime(2026, 6, 1, tzinfo=UTC)
    with raw.begin() as conn:
        for statement in ddl:
            conn.execute(text(statement))
        conn.execute(
            text("INSERT INTO users VALUES (:n, :h, 'admin', :t, NULL)"),
            {"n": "olga", "h": hash_password(PASSWORD), "t": now},
        )
        conn.execute(
            text("INSERT INTO api_keys VALUES ('k1', :s, 'viewer', 'erp', 'olga', :t, NULL)"),
            {"s": "0" * 64, "t": now},
        )
    raw.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_url(request: pytest.FixtureRequest, home: Path) -> str:
    if request.param == "sqlite":
        return sqlite_url(home)
    return str(request.getfixturevalue("pg_url"))


def test_a_previous_release_database_is_stamped_and_upgraded_with_its_accounts(
    any_url: str,
) -> None:
    previous_release(
        any_url, PREVIOUS_RELEASE_SQLITE if "sqlite" in any_url else PREVIOUS_RELEASE_PG
    )
    engine = engine_for(any_url)
    assert current_revision(engine) == head_revision() == "0002"
    names = set(inspect(engine).get_table_names())
    assert {"alembic_version", "watchlists", "parties", "audit_log", "decisions"} <= names
    assert [u["name"] for u in list_users(engine)] == ["olga"]
    user = authenticate_user(engine, "olga", PASSWORD)
    assert user is not None and user.role == "admin"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT label, owner FROM api_keys")).all() == [("erp", "olga")]
    # The upgraded database takes casework at once, and a second start changes nothing.
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one() == 0
    engine.dispose()
    from uflpa.records.engine import migrate

    migrate(engine)
    assert current_revision(engine) == "0002"
    assert [u["name"] for u in list_users(engine)] == ["olga"]


_OPEN = textwrap.dedent(
    """
    import sys
    from sqlalchemy import inspect
    from uflpa.records import engine_for
    from uflpa.records.engine import current_revision
    engine = engine_for(sys.argv[1])
    print(current_revision(engine), len(inspect(engine).get_table_names()))
    """
)


def test_processes_opening_a_new_file_at_once_all_get_the_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'records.sqlite'}"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _OPEN, url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(tmp_path),
        )
        for _ in range(4)
    ]
    answers = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        answers.append(out.strip())
    tables = len(metadata.tables) + 1  # and alembic_version
    assert answers == [f"0002 {tables}"] * 4
    engine = engine_for(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).all() == [("0002",)]


def test_the_migrated_schema_is_the_metadata(any_url: str) -> None:
    engine = engine_for(any_url)
    found = inspect(engine)
    assert set(found.get_table_names()) == set(metadata.tables) | {"alembic_version"}
    for name, table in metadata.tables.items():
        columns = {c["name"]: c for c in found.get_columns(name)}
        assert set(columns) == set(table.columns.keys()), name
        for column in table.columns:
            assert columns[column.name]["nullable"] == column.nullable, f"{name}.{column.name}"
        assert set(found.get_pk_constraint(name)["constrained_columns"]) == {
            c.name for c in table.primary_key
        }, name
        indexed = {tuple(i["column_names"]) for i in found.get_indexes(name)}
        for index in table.indexes:
            assert tuple(c.name for c in index.columns) in indexed, f"{name}: {index.name}"
    with engine.connect() as conn:
        drift = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), metadata
        )
    assert drift == []


# --- several processes writing the embedded file at once -----------------------------------------

_MONITOR_LOOP = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from uflpa.casework.actors import Actor
    from uflpa.casework.monitor import run_monitor
    from uflpa.records import engine_for

    engine = engine_for()
    stop, source = Path(sys.argv[1]), sys.argv[2]
    runs = []
    while not (stop.exists() and len(runs) >= 3):
        result = run_monitor(engine, Actor("monitor", "analyst"), source_ref=source)
        source = None
        runs.append([result.run_id, result.rescreened, len(result.alerts)])
        if len(runs) > 200:
            break
    print(json.dumps(runs))
    """
)


def test_clis_and_a_monitor_write_the_embedded_store_at_once(home_a: Path, pages: Pages) -> None:
    engine = engine_for(sqlite_url(home_a))
    # Some parties the monitor's first run (page B) screens again while the imports write.
    base = [(f"B{i:03d}", f"Bayside Trading {i} Co Ltd", "US", "") for i in range(40)]
    base += [("B900", "Zhoushan Brightwater Seafoods Co Ltd", "CN", "")]
    import_file(engine, ME, master(home_a.parent / "base.csv", base), watchlist="base")
    engine.dispose()
    masters = []
    for n in range(3):
        rows = [
            (f"L{n}-{i:03d}", f"Cedar {n} Supply Company {i} Ltd", "US", "") for i in range(199)
        ]
        rows.append((f"L{n}-199", LISTED, "CN", ""))
        masters.append(master(home_a.parent / f"list{n}.csv", rows))

    stop = home_a.parent / "stop"
    monitor = subprocess.Popen(
        [sys.executable, "-c", _MONITOR_LOOP, str(stop), str(pages.b)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(home_a),
    )
    imports = [
        subprocess.Popen(
            [sys.executable, "-m", "uflpa", "watch", "add", str(path), "--watchlist", f"list{n}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(home_a),
        )
        for n, path in enumerate(masters)
    ]
    outputs = [p.communicate(timeout=300) for p in imports]
    stop.touch()
    monitor_out, monitor_err = monitor.communicate(timeout=300)
    for proc, (_, err) in zip(imports, outputs, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err.lower()
        assert "200 rows: 200 added" in err
    assert monitor.returncode == 0, monitor_err
    assert "locked" not in monitor_err.lower()
    monitor_runs = json.loads(monitor_out)
    assert len(monitor_runs) >= 3
    assert monitor_runs[0][1] > 0  # the first run had work to do while the imports wrote

    engine = engine_for(sqlite_url(home_a))
    for n in range(3):
        total, rows = list_parties(engine, f"list{n}", limit=500)
        assert total == 200 and {r["key"] for r in rows} == {f"L{n}-{i:03d}" for i in range(200)}
        assert all(r["verdict"] for r in rows)
    assert list_parties(engine, "base")[0] == len(base)
    # Each party points at a screening of its own current data.
    assert peek(
        home_a,
        "SELECT count(*) FROM parties p JOIN screenings s ON s.id = p.screening_id "
        "WHERE s.party_version_id = p.version_id",
    ) == [(len(base) + 600,)]
    # Nothing lost: every run finished and is in the audit log, whose chain holds, seq 1..N.
    runs = peek(home_a, "SELECT id, kind, state FROM runs ORDER BY id")
    assert {state for _, _, state in runs} == {"done"}
    assert sorted(r for r, kind, _ in runs if kind == "monitor") == sorted(
        r[0] for r in monitor_runs
    )
    logged = {
        (action, subject)
        for action, subject in peek(home_a, "SELECT action, subject FROM audit_log")
    }
    for run_id, kind, _ in runs:
        if kind == "monitor":
            assert ("monitor run", f"run {run_id}") in logged
    imports_logged = peek(
        home_a, "SELECT subject FROM audit_log WHERE action = 'watch import' ORDER BY subject"
    )
    assert imports_logged == [
        ("watchlist base",),
        ("watchlist list0",),
        ("watchlist list1",),
        ("watchlist list2",),
    ]
    seqs = [s for (s,) in peek(home_a, "SELECT seq FROM audit_log ORDER BY seq")]
    assert seqs == list(range(1, len(seqs) + 1))
    check = audit.verify(engine)
    assert (check.ok, check.entries) == (True, len(seqs))
    # The listed supplier of each list raised its alert.
    hits = {a["key"] for a in list_alerts(engine, state="all", limit=1000)[1]}
    assert {"L0-199", "L1-199", "L2-199"} <= hits


# --- PostgreSQL ----------------------------------------------------------------------------------


def test_the_core_flow_on_postgresql(
    home_a: Path, pages: Pages, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UFLPA_DATABASE_URL", pg_url)
    settings = Settings.from_env()
    assert settings.database_url == pg_url
    engine = engine_for(pg_url)
    path = master(
        home_a.parent / "m.csv",
        [
            ("P1", "Zhoushan Brightwater Seafoods Co Ltd", "CN", ""),
            ("P2", LISTED, "CN", ""),
            ("P3", "Nordic Timber Supplies AB", "SE", ""),
        ],
    )
    first = import_file(engine, ME, path, settings=settings)
    assert (first.added, first.flagged, len(first.alerts)) == (3, 1, 1)
    moved = master(
        home_a.parent / "m2.csv",
        [
            ("P1", "Zhoushan Brightwater Seafoods Co Ltd", "CN", "Pier 4"),
            ("P2", LISTED, "CN", ""),
            ("P3", "Nordic Timber Supplies AB", "SE", ""),
        ],
    )
    assert import_file(engine, ME, moved, settings=settings).changed == 1

    result = run_monitor(engine, ME, settings=settings, source_ref=str(pages.b))
    assert 0 < result.rescreened < result.parties == 3
    [alert] = [a for a in list_alerts(engine)[1] if a["key"] == "P1"]
    assert (alert["previous_verdict"], alert["verdict"]) == ("clear", "hit")
    assert "was added to the list" in alert["cause"]

    done = decide(engine, ME, outcome="false positive", note="not them", alert_id=alert["id"])
    assert done["state"] == "active"
    assert list_alerts(engine, state="decided")[1][0]["id"] == alert["id"]
    rec = party_record(engine, "default", "P1")
    assert len(rec["versions"]) == 2 and rec["decisions"][0]["outcome"] == "false_positive"

    check = audit.verify(engine)
    assert check.ok and check.entries == audit.count(engine) >= 6
    # The CLI reads the same database when UFLPA_DATABASE_URL names it.
    res = ok(uflpa(home_a, "audit", "verify", env={"UFLPA_DATABASE_URL": pg_url}))
    assert f"audit log intact: {check.entries} entries, head {check.head[:16]}" in res.stdout
    # Nothing of it went to the embedded file.
    assert not (home_a / "records.sqlite").exists()
