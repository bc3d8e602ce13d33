"""Bugs found while testing the casework core, each pinned by a test that failed until it was
fixed. Each docstring says what happened and what should (and now does)."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.casework.conftest import (
    ADDED,
    ME,
    PG_URL,
    Pages,
    base_rows,
    cli_env,
    master,
    ok,
    peek,
    sqlite_url,
    tamper,
    uflpa,
)
from uflpa.casework import monitor as monitor_module
from uflpa.casework import watchlists as watchlists_module
from uflpa.casework.monitor import run_monitor
from uflpa.casework.watchlists import import_file, list_parties, party_record
from uflpa.catalog.update import update_list
from uflpa.records import database_url, engine_for
from uflpa.service.accounts import hash_password, list_users
from uflpa.settings import Settings

LISTED = "Xinjiang Daqo New Energy Co., Ltd."  # UFLPA-009


def test_audit_replay_of_a_screening_reproduces_it(home: Path) -> None:
    """uflpa/casework/replay.py `replay`: it passes the recorded rules version, a label with its
    hash ('uflpa-shipment-v2@1cb5690d3955'), to `screener_for`, which takes a bundled rules *name*
    ('uflpa-shipment-v2'); every `uflpa audit replay SEQ` of a screening entry fails with exit 2
    "unknown rules version 'uflpa-shipment-v2@…'". It should screen again with that rules version
    (name before '@', its hash checked) and say identical (exit 0); after a stored verdict is
    changed in the database, exit 10 naming the supplier whose outcome differs (the table output
    gives only a count of differences today; the key should be shown)."""
    engine = engine_for(sqlite_url(home))
    import_file(
        engine,
        ME,
        master(home.parent / "m.csv", [("S1", LISTED, "CN", ""), ("S2", "Acme Widgets", "US", "")]),
    )
    engine.dispose()
    [(seq, detail)] = peek(home, "SELECT seq, detail FROM audit_log WHERE action = 'screening'")
    assert '"parties":2' in detail

    res = uflpa(home, "audit", "replay", str(seq))
    assert res.returncode == 0, res.stderr
    assert f"replay of entry {seq}: identical (2 parties)" in res.stderr

    tamper(
        home / "records.sqlite",
        (
            "UPDATE screenings SET verdict = 'clear' WHERE party_id = "
            "(SELECT id FROM parties WHERE key = 'S1')",
            (),
        ),
    )
    res = uflpa(home, "audit", "replay", str(seq))
    assert res.returncode == 13, res.stderr
    assert "S1" in res.stdout + res.stderr


def test_a_monitor_run_keeps_the_screening_a_concurrent_import_made(
    home_a: Path, pages: Pages, monkeypatch: pytest.MonkeyPatch
) -> None:
    """uflpa/casework/monitor.py `run_monitor`: the parties are read (`_watched`) outside the
    transaction that records the run, and `recording.record` then points each party at the
    screening made from that read. When an import changes a party in between (another process:
    `uflpa watch add` while a monitor run screens thousands of parties), the import's screening of
    the new data is overwritten by the monitor's screening of the old data: the party's data is
    version 2, its current screening is of version 1, and a second alert is raised for the same
    change from the stale data (one that `decisions add --alert` then refuses as "changed since").
    The monitor should re-read the parties in its write transaction and leave alone (or screen
    again) those whose version changed since it read them."""
    engine = engine_for(sqlite_url(home_a))
    name = "Zhoushan Brightwater Seafoods Co Ltd"  # near an entity page B adds
    import_file(engine, ME, master(home_a.parent / "v1.csv", [("P1", name, "CN", "Dock 1")]))
    moved = master(home_a.parent / "v2.csv", [("P1", name, "CN", "Dock 2")])
    update_list(str(pages.b), settings=Settings(home=home_a))

    screen = monitor_module.screen
    imported: list[subprocess.CompletedProcess[str]] = []

    def screen_while_an_import_runs(*args: Any, **kwargs: Any) -> Any:
        if not imported:  # the moment: after the monitor read the parties, before it writes
            imported.append(
                subprocess.run(
                    [sys.executable, "-m", "uflpa", "watch", "add", str(moved)],
                    capture_output=True,
                    text=True,
                    env=cli_env(home_a),
                    check=False,
                )
            )
        return screen(*args, **kwargs)

    monkeypatch.setattr(monitor_module, "screen", screen_while_an_import_runs)
    run_monitor(engine, ME, settings=Settings(home=home_a))
    ok(imported[0])

    rec = party_record(engine, "default", "P1")
    party = rec["party"]
    assert party["address"] == "Dock 2"
    current = next(s for s in rec["screenings"] if s["id"] == party["screening_id"])
    assert current["party_version_id"] == party["version_id"], (
        "the party's current screening is of data it no longer has"
    )
    raised = [(a["previous_verdict"], a["verdict"], a["entity_id"]) for a in rec["alerts"]]
    assert len(raised) == len(set(raised)), f"one change, alerted twice: {raised}"


def test_accounts_of_the_previous_release_are_kept_on_upgrade(home: Path) -> None:
    """uflpa/records/engine.py `database_url`: the previous release (4729d2c, uflpa/service/db.py
    and config.py) kept its accounts in UFLPA_HOME/service.sqlite; this release opens
    UFLPA_HOME/records.sqlite and never looks at the old file, so an installation on the default
    embedded database loses every user and API key on upgrade (and, with no account left, the CLI
    acts as local admin again). The stamping of a pre-Alembic database (`_upgrade`) only ever
    applies to PostgreSQL or to a file someone renamed by hand. The old file should be adopted
    (moved, or stamped and upgraded where it is) when records.sqlite does not exist yet."""
    old = create_engine(f"sqlite:///{home / 'service.sqlite'}")
    with old.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE users (name VARCHAR(64) NOT NULL, "
                "password_hash VARCHAR(256) NOT NULL, role VARCHAR(16) NOT NULL, "
                "created_at DATETIME NOT NULL, disabled_at DATETIME, PRIMARY KEY (name))"
            )
        )
        conn.execute(
            text("INSERT INTO users VALUES ('olga', :h, 'admin', :t, NULL)"),
            {"h": hash_password("the old release's password"), "t": datetime.now(UTC)},
        )
    old.dispose()
    engine = engine_for(database_url(Settings.from_env()))
    assert [u["name"] for u in list_users(engine)] == ["olga"]


def test_an_alert_says_which_entity_left_the_list(home_a: Path, pages: Pages) -> None:
    """uflpa/casework/monitor.py `run_monitor`: the cause of an alert is looked up by the entity
    the party is flagged on *now* (`entry = change if change.id == entity_id else …`). When the
    entity a party was a hit on is removed and the party comes out as a review on another entity,
    the diff entry that caused it (the removal) is dropped: the cause says only "screened again
    after the list update … (a candidate's entry changed)", `change` is null, and the analyst is
    not told which entity left the list. The cause should name the removed entity ("… was removed
    from the list")."""
    settings = Settings(home=home_a)
    engine = engine_for(sqlite_url(home_a))
    run_monitor(engine, ME, settings=settings, source_ref=str(pages.b))
    import_file(
        engine,
        ME,
        master(home_a.parent / "m.csv", [("P1", "Zhoushan Brightwater Seafoods Co Ltd", "CN", "")]),
    )
    zhoushan = ADDED[1]
    before = peek(
        home_a,
        "SELECT verdict, (SELECT entity_name FROM screenings WHERE id = screening_id) FROM parties",
    )
    assert before == [("hit", zhoushan[0])]
    without = pages.write(
        "without-zhoushan.html",
        base_rows() + [r for r in ADDED if r != zhoushan],
        date(2026, 10, 9),
    )
    result = run_monitor(engine, ME, settings=settings, source_ref=str(without))
    [(previous, verdict, cause, change)] = peek(
        home_a,
        "SELECT previous_verdict, verdict, cause, change FROM alerts WHERE run_id = ?",
        (result.run_id,),
    )
    assert previous == "hit" and verdict != "hit"
    assert f"'{zhoushan[0]}' was removed from the list" in cause, cause
    assert change != "null"


def test_two_imports_into_one_watchlist_on_postgresql_both_succeed(
    home: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """uflpa/casework/watchlists.py `import_file` with uflpa/records/engine.py `writing`: on SQLite
    a write transaction starts with BEGIN IMMEDIATE, so two imports queue; on PostgreSQL nothing
    serialises them (the audit advisory lock is taken only at the end), so both read the parties
    before either commits and both insert the same keys: the second dies with an unhandled
    `UniqueViolation ... uq_parties_watchlist_key` (a traceback at the CLI, exit 1). It should wait
    for the first and find those parties unchanged, as on SQLite."""
    monkeypatch.setenv("UFLPA_DATABASE_URL", pg_url)
    engine = engine_for(pg_url)
    rows = [(f"K{i}", f"Cedar Supply Company {i} Ltd", "US", "") for i in range(20)]
    import_file(engine, ME, master(home.parent / "seed.csv", rows[:1]))
    path = master(home.parent / "m.csv", rows)

    screen = watchlists_module.screen
    first_inside = threading.Event()
    release = threading.Event()
    first_thread: list[int] = []

    def slow_screen(*args: Any, **kwargs: Any) -> Any:
        if first_thread and threading.get_ident() == first_thread[0]:
            first_inside.set()
            release.wait(30)  # the first import holds its transaction here
        return screen(*args, **kwargs)

    monkeypatch.setattr(watchlists_module, "screen", slow_screen)
    outcome: dict[str, Any] = {}

    def first() -> None:
        first_thread.append(threading.get_ident())
        outcome["first"] = import_file(engine, ME, path)

    thread = threading.Thread(target=first)
    thread.start()
    assert first_inside.wait(60)
    # Let the first commit once the second waits for a lock (or after 15 s in any case).
    threading.Thread(target=_release_when_a_backend_waits, args=(release,), daemon=True).start()
    try:
        second = import_file(engine, ME, path)
    finally:
        release.set()
        thread.join(60)
    assert "first" in outcome, "the first import failed"
    assert outcome["first"].added == 19
    assert (second.added, second.unchanged) == (0, 20)
    assert list_parties(engine, "default")[0] == 20


def _release_when_a_backend_waits(release: threading.Event) -> None:
    import time

    import psycopg

    deadline = time.monotonic() + 15
    with psycopg.connect(PG_URL, autocommit=True) as con:
        while time.monotonic() < deadline and not release.is_set():
            waiting = con.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            ).fetchone()
            if waiting and waiting[0]:
                break
            time.sleep(0.05)
    time.sleep(0.2)
    release.set()


def test_watch_show_shows_how_the_supplier_changed(home: Path) -> None:
    """uflpa/cli/casework.py `watch_show`: the command says it shows a supplier's "data and how
    it changed", and `party_record` returns every version, but the table output (the default)
    prints only the current data, the screenings, alerts and decisions: the earlier address of a
    supplier whose data changed appears nowhere (only `--format json` has the versions). The table
    should list the versions (data, source file, time)."""
    engine = engine_for(sqlite_url(home))
    first, second = "1 Lake Road, Cleveland", "88 Harbour Street, Toledo"
    import_file(engine, ME, master(home.parent / "a.csv", [("S2", "Acme Widgets", "US", first)]))
    import_file(engine, ME, master(home.parent / "b.csv", [("S2", "Acme Widgets", "US", second)]))
    assert len(party_record(engine, "default", "S2")["versions"]) == 2
    shown = ok(uflpa(home, "watch", "show", "S2")).stdout
    assert second in shown
    assert first in shown, "the earlier address is not shown"
