"""Which stored version screening uses, and several processes sharing one store.

The latest version of a list is the last one ingested, except that a bundled snapshot (seeded on
first use, and again when an upgrade brings a newer one) never outranks a list fetched from a
published source dated on or after it. Readers open the store read-only and share it; whoever
finds it locked by an ingest waits for it.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from uflpa.errors import StoreError
from uflpa.lists.bundled import BUNDLED_SOURCE, load_bundled
from uflpa.model import ListedEntity, Listing, ListVersion
from uflpa.store import ListStore, duckdb_store


def version(source: str, published: date, *names: str) -> ListVersion:
    return ListVersion(
        list_name="us-dhs-uflpa",
        source=source,
        origin=f"{source}.html",
        retrieved_at=datetime(2026, 12, 1, tzinfo=UTC),
        published=published,
        entities=tuple(
            ListedEntity(id=f"T-{i}", name=n, listings=(Listing("2(d)(2)(B)(v)", published),))
            for i, n in enumerate(names)
        ),
    )


def newer_bundled(
    monkeypatch: pytest.MonkeyPatch, published: date, name: str = "Newly Listed Co"
) -> ListVersion:
    """Play an upgrade: the package now ships another snapshot."""
    snapshot = replace(
        load_bundled(),
        published=published,
        entities=(*load_bundled().entities, ListedEntity(id="UFLPA-999", name=name)),
        content_hash="",
    )
    monkeypatch.setattr(duckdb_store, "load_bundled", lambda: snapshot)
    monkeypatch.setattr(
        duckdb_store, "bundled_identity", lambda: (snapshot.list_name, snapshot.content_hash)
    )
    return snapshot


def test_an_upgrade_seeds_its_newer_snapshot_as_a_version_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "uflpa.duckdb"
    ListStore(path).close()
    snapshot = newer_bundled(monkeypatch, date(2026, 12, 1))
    with ListStore(path, read_only=True) as store:  # a reader writes once to seed it
        assert [r["version_id"] for r in store.versions()] == [
            load_bundled().version_id,
            snapshot.version_id,
        ]
        latest = store.latest()
        assert latest is not None and latest.version_id == snapshot.version_id
        assert store.read_only
    with ListStore(path, read_only=True) as store:  # nothing duplicated the second time
        assert len(store.versions()) == 2


def test_a_bundled_snapshot_never_outranks_a_newer_fetched_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "uflpa.duckdb"
    fetched = version("dhs-uflpa", date(2026, 11, 20), "Alpha Co", "Beta Co")
    with ListStore(path) as store:
        store.ingest(fetched)
    # An upgrade brings a snapshot dated before the list the user fetched: stored, not used.
    older = newer_bundled(monkeypatch, date(2026, 10, 1))
    with ListStore(path) as store:
        assert older.version_id in {r["version_id"] for r in store.versions()}
        assert store.find("latest")["version_id"] == fetched.version_id
        assert store.find("bundled")["version_id"] == older.version_id
        # A date picks the version that was the latest then.
        assert store.find("2026-10-15")["version_id"] == older.version_id
        assert store.find("2026-11-20")["version_id"] == fetched.version_id
    # A later snapshot does become the latest.
    later = newer_bundled(monkeypatch, date(2026, 12, 2), "Listed Later Co")
    with ListStore(path) as store:
        assert store.find("latest")["version_id"] == later.version_id


def test_the_last_fetched_list_wins_even_when_dated_earlier(tmp_path: Path) -> None:
    with ListStore(tmp_path / "uflpa.duckdb") as store:
        first = version("dhs-uflpa", date(2026, 11, 20), "Alpha Co")
        second = version("federal-register", date(2025, 1, 15), "Alpha Co", "Beta Co")
        store.ingest(first)
        store.ingest(second)
        assert store.find("latest")["version_id"] == second.version_id
        assert load_bundled().source == BUNDLED_SOURCE


def test_a_read_only_store_refuses_to_write(tmp_path: Path) -> None:
    path = tmp_path / "uflpa.duckdb"
    ListStore(path).close()
    with ListStore(path, read_only=True) as store, pytest.raises(StoreError, match="read-only"):
        store.ingest(version("dhs-uflpa", date(2026, 11, 20), "Alpha Co"))


def test_readers_share_the_store_and_wait_for_a_short_ingest(tmp_path: Path) -> None:
    path = tmp_path / "uflpa.duckdb"
    ListStore(path).close()
    # A writer holds the store for a second, as an ingest does for a moment.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                import sys, time, duckdb
                con = duckdb.connect(sys.argv[1])
                print("ready", flush=True)
                time.sleep(1.0)
                con.close()
                """
            ),
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
    started = time.monotonic()
    readers = [ListStore(path, read_only=True, lock_timeout=10) for _ in range(2)]
    waited = time.monotonic() - started
    holder.wait()
    try:
        assert waited > 0.3  # it waited for the writer instead of failing
        # Two readers at once, in one process here; across processes in the CLI test below.
        assert all(r.find("latest")["version_id"] == load_bundled().version_id for r in readers)
    finally:
        for r in readers:
            r.close()


def test_screenings_and_an_update_run_at_once(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {"UFLPA_HOME": str(home)}
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"

    def start(*args: str) -> subprocess.Popen[str]:
        import os

        return subprocess.Popen(
            [sys.executable, "-m", "uflpa", *args],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    start("lists", "history").communicate()  # create and seed the store first
    procs = [
        start("match", "Xinjiang Daqo New Energy Co., Ltd.", "--format", "json"),
        start("lists", "update", "--from", str(fixtures / "lists" / "csl_multilist.csv")),
        start("screen", "--example", "--format", "csv"),
        start("match", "Hoshine Silicon Industry", "--format", "json"),
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "Traceback" not in err and "locked" not in err
    with ListStore(home / "uflpa.duckdb", read_only=True) as store:
        assert "csl" in store.lists()
