"""The DuckDB list store: seeding, idempotent and atomic ingest, version references, bad files."""

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from uflpa.errors import NotFoundError, StoreError, UsageError
from uflpa.lists.bundled import load_bundled
from uflpa.model import ListedEntity, Listing, ListVersion
from uflpa.settings import Settings
from uflpa.store import ListStore


def small_version(*names: str) -> ListVersion:
    return ListVersion(
        list_name="us-dhs-uflpa",
        source="dhs-uflpa",
        origin="test-page.html",
        retrieved_at=datetime(2026, 9, 1, 12, 0, tzinfo=UTC),
        published=date(2026, 7, 31),
        entities=tuple(
            ListedEntity(
                id=f"T-{i}", name=n, listings=(Listing("2(d)(2)(B)(v)", date(2026, 8, 3)),)
            )
            for i, n in enumerate(names)
        ),
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ListStore]:
    with ListStore(tmp_path / "home" / "uflpa.duckdb") as s:
        yield s


def test_first_use_creates_the_directory_and_ingests_the_bundled_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "uflpa.duckdb"
    with ListStore(path) as s:
        [rec] = s.versions()
        assert rec["version_id"] == load_bundled().version_id
        assert rec["entity_count"] == 152
        assert rec["coverage"]["entities_official"] == 187
    assert path.exists()


def test_default_path_follows_uflpa_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UFLPA_HOME", str(tmp_path / "h"))
    with ListStore() as s:
        assert s.path == Settings.from_env().db_path == tmp_path / "h" / "uflpa.duckdb"


def test_round_trip_keeps_every_field(store: ListStore) -> None:
    bundled = load_bundled()
    loaded = store.get("bundled")
    assert loaded.content_hash == bundled.content_hash
    stored = store.get(bundled.version_id)
    assert stored.entities == bundled.entities
    assert stored.published == bundled.published
    assert stored.coverage == bundled.coverage
    assert stored.retrieved_at == bundled.retrieved_at


def test_ingest_is_idempotent(store: ListStore) -> None:
    v = small_version("Alpha Co., Ltd.", "Beta Co., Ltd.")
    assert store.ingest(v) == (v.version_id, True)
    again = replace(v, origin="elsewhere.html", retrieved_at=datetime(2027, 1, 1, tzinfo=UTC))
    assert store.ingest(again) == (v.version_id, False)
    assert [r["version_id"] for r in store.versions()] == [load_bundled().version_id, v.version_id]


def test_latest_previous_and_references(store: ListStore) -> None:
    first = small_version("Alpha")
    second = small_version("Alpha", "Beta")
    store.ingest(first)
    store.ingest(second)
    assert store.get("latest").version_id == second.version_id
    previous = store.previous(second)
    assert previous is not None and previous.version_id == first.version_id
    assert store.previous(load_bundled().version_id) is None
    assert store.get(second.content_hash[:8]).version_id == second.version_id
    assert store.get(f"us-dhs-uflpa@{first.content_hash[:6]}").version_id == first.version_id
    newest_first = [v.version_id for v in store.all_versions("us-dhs-uflpa")]
    assert newest_first[:2] == [second.version_id, first.version_id]


def test_bad_references_fail_clearly(store: ListStore) -> None:
    with pytest.raises(NotFoundError):
        store.get("ffffffffffff")
    with pytest.raises(UsageError):
        store.get("not a version")
    with pytest.raises(NotFoundError):
        store.get("latest", list_name="no-such-list")


def test_ambiguous_prefix_is_a_usage_error(store: ListStore) -> None:
    # Make two versions whose hashes share their first 4 hex digits (a birthday search over
    # hashes alone, deterministic), store both, and ask for that prefix.
    seen: dict[str, ListVersion] = {}
    for i in range(100_000):
        v = small_version(f"Entity {i}")
        prefix = v.content_hash[:4]
        if prefix in seen:
            store.ingest(seen[prefix])
            store.ingest(v)
            break
        seen[prefix] = v
    with pytest.raises(UsageError, match="several"):
        store.get(prefix)
    assert store.get(v.content_hash[:12]).version_id == v.version_id


def test_failed_ingest_writes_nothing(store: ListStore) -> None:
    dup = ListedEntity(id="T-0", name="Alpha")
    bad = replace(
        small_version("Alpha"), entities=(dup, replace(dup, name="Beta")), content_hash=""
    )
    with pytest.raises(StoreError):
        store.ingest(bad)
    assert len(store.versions()) == 1
    good = small_version("Gamma")
    assert store.ingest(good)[1] is True


def test_corrupt_file_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "uflpa.duckdb"
    path.write_bytes(b"this is not a database\n" * 200)
    with pytest.raises(StoreError, match=r"uflpa\.duckdb"):
        ListStore(path)


def test_locked_file_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "uflpa.duckdb"
    ListStore(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
            "sys.stdin.read()",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError, match="locked"):
            ListStore(path, lock_timeout=0.3)
        with pytest.raises(StoreError, match="locked"):
            ListStore(path, read_only=True, lock_timeout=0.3)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait()
    ListStore(path).close()  # usable again once the other process is gone
