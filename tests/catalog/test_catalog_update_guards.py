"""What `update_list` checks before a new version becomes the latest (issue 19, point 10).

A source that would remove more than a set share of the entities in use (default 10 %), or that is
dated before the version in use, is refused with one clear message and nothing stored, unless
forced; content identical to an older stored version makes that version the latest again; the
DHS page's own "Last Updated" date is kept with every fetch and shown by `lists history`.

Real DHS-style pages (tests/casework/pages.py: the bundled snapshot rendered as the DHS page,
plus INVENTED entities), a real store in a temporary UFLPA_HOME.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.casework.pages import Row, invented, page, rows_of
from uflpa.catalog.update import MAX_REMOVED_SHARE, update_list
from uflpa.errors import RefusedUpdate, UflpaError, UsageError
from uflpa.lists.bundled import load_bundled
from uflpa.settings import Settings
from uflpa.store import ListStore

BASE = rows_of(load_bundled())  # 152 entities, as the DHS page would show them
ENTITIES = len(load_bundled().entities)


def write(folder: Path, name: str, rows: list[Row], updated: date) -> Path:
    path = folder / name
    path.write_text(page(rows, updated), encoding="utf-8")
    return path


def without(rows: list[Row], n: int) -> tuple[list[Row], list[str]]:
    """`rows` less the rows of the first `n` entities (by name), and those names."""
    names = list(dict.fromkeys(r[0] for r in rows))[:n]
    return [r for r in rows if r[0] not in names], names


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    home = tmp_path / "home"
    settings = Settings(home=home)
    first = update_list(str(write(tmp_path, "a.html", BASE, date(2026, 9, 1))), settings=settings)
    assert first.created and first.in_use
    return settings


def latest_id(settings: Settings) -> str:
    with ListStore(settings.db_path, read_only=True) as store:
        rec = store.latest_record()
        assert rec is not None
        return str(rec["version_id"])


def stored(settings: Settings) -> int:
    with ListStore(settings.db_path, read_only=True) as store:
        return len(store.versions())


def test_the_default_share_is_a_tenth() -> None:
    from uflpa.cli.lists import MAX_REMOVED_SHARE as CLI_DEFAULT

    assert MAX_REMOVED_SHARE == CLI_DEFAULT == 0.10


def test_a_source_removing_more_than_a_tenth_is_refused(settings: Settings, tmp_path: Path) -> None:
    in_use, count = latest_id(settings), stored(settings)
    rows, gone = without(BASE, 16)  # 16 of 152: 10.5 %
    src = write(tmp_path, "cut.html", rows, date(2026, 10, 1))
    with pytest.raises(RefusedUpdate) as refused:
        update_list(str(src), settings=settings)
    message = str(refused.value)
    assert "would remove 16 of the 152 entities" in message
    assert "11%" in message and "10%" in message  # its share and the share allowed
    assert in_use in message
    assert gone[0].split(" (")[0] in message  # names what it would remove
    assert "\n" not in message
    # Nothing stored, nothing changed.
    assert (latest_id(settings), stored(settings)) == (in_use, count)
    # A refusal is a usage error (exit 2, HTTP 4xx), so that every surface reports it.
    assert isinstance(refused.value, UsageError) and isinstance(refused.value, UflpaError)
    assert 400 <= refused.value.http_status < 500
    # A higher share, or force, stores it.
    done = update_list(str(src), settings=settings, max_removed_share=0.2)
    assert done.created and done.in_use and done.changes is not None
    assert len(done.changes.removed) == 16


def test_removing_up_to_the_share_is_accepted(settings: Settings, tmp_path: Path) -> None:
    rows, _ = without(BASE, 15)  # 15 of 152: 9.9 %
    done = update_list(str(write(tmp_path, "c.html", rows, date(2026, 10, 1))), settings=settings)
    assert done.created and done.in_use


def test_force_stores_what_would_be_refused(settings: Settings, tmp_path: Path) -> None:
    rows, _ = without(BASE, 100)
    src = write(tmp_path, "few.html", rows, date(2026, 8, 1))  # and older than the page in use
    with pytest.raises(RefusedUpdate, match=r"would remove 100 of the 152.*dated 2026-08-01"):
        update_list(str(src), settings=settings)
    done = update_list(str(src), settings=settings, force=True)
    assert done.created and done.in_use and latest_id(settings) == done.version.version_id


def test_an_older_source_is_refused(settings: Settings, tmp_path: Path) -> None:
    in_use = latest_id(settings)
    src = write(tmp_path, "old.html", BASE + invented(1, date(2026, 6, 1)), date(2026, 8, 20))
    with pytest.raises(RefusedUpdate) as refused:
        update_list(str(src), settings=settings)
    message = str(refused.value)
    assert "dated 2026-08-20" in message and "2026-09-01" in message and in_use in message
    assert "remove" not in message  # it removes nothing: only the date is against it
    assert latest_id(settings) == in_use


def test_a_bad_share_is_a_usage_error(settings: Settings, tmp_path: Path) -> None:
    src = write(tmp_path, "b.html", BASE, date(2026, 10, 1))
    for share in (-0.1, 1.5, float("nan")):
        with pytest.raises(UsageError, match="max-removed-share"):
            update_list(str(src), settings=settings, max_removed_share=share)


def test_content_of_an_older_version_becomes_the_latest_again(
    settings: Settings, tmp_path: Path
) -> None:
    first = latest_id(settings)
    added = invented(2, date(2026, 10, 1))
    b = update_list(
        str(write(tmp_path, "b.html", BASE + added, date(2026, 10, 1))), settings=settings
    )
    assert b.created and latest_id(settings) == b.version.version_id
    # DHS takes the two entities off again: the page holds what page A held.
    again = update_list(str(write(tmp_path, "a2.html", BASE, date(2026, 11, 5))), settings=settings)
    assert not again.created and again.restored
    assert again.version.version_id == first and again.in_use and again.in_use_id == first
    assert latest_id(settings) == first
    assert again.previous is not None and again.previous.version_id == b.version.version_id
    assert again.changes is not None and len(again.changes.removed) == 2
    with ListStore(settings.db_path, read_only=True) as store:
        assert len(store.versions()) == 3  # the bundled snapshot, A and B: nothing duplicated
        rec = store.find("latest")
        assert rec["published"] == date(2026, 9, 1)  # as first stored
        assert rec["last_updated"] == date(2026, 11, 5)  # the date of the page fetched last
    # The same page once more changes nothing.
    same = update_list(str(write(tmp_path, "a3.html", BASE, date(2026, 11, 5))), settings=settings)
    assert not same.created and not same.restored and same.changes is None


def test_the_last_updated_date_of_an_unchanged_page_is_kept(
    settings: Settings, tmp_path: Path
) -> None:
    in_use = latest_id(settings)
    # DHS touches the page (new "Last Updated" date), the entities stay the same.
    same = update_list(str(write(tmp_path, "a2.html", BASE, date(2026, 10, 20))), settings=settings)
    assert not same.created and not same.restored and same.version.version_id == in_use
    with ListStore(settings.db_path, read_only=True) as store:
        assert store.find("latest")["last_updated"] == date(2026, 10, 20)
    # A copy dated between the two is now older than the list in use.
    between = write(tmp_path, "b.html", BASE + invented(1, date(2026, 9, 5)), date(2026, 10, 1))
    with pytest.raises(RefusedUpdate, match="dated 2026-10-01, before 2026-10-20"):
        update_list(str(between), settings=settings)


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "UFLPA_HOME": str(home), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "uflpa", *args], capture_output=True, text=True, env=env, check=False
    )


def test_the_cli_refuses_in_one_line_forces_and_shows_the_dates(
    settings: Settings, tmp_path: Path
) -> None:
    home = settings.home
    rows, _ = without(BASE, 40)
    src = write(tmp_path, "cut.html", rows, date(2026, 10, 1))
    refused = run(home, "lists", "update", "--from", str(src))
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    [line] = refused.stderr.strip().splitlines()
    assert line.startswith("uflpa: error: ") and "would remove 40 of the 152" in line
    assert "--force" in line
    # The monitor's ingest meets the same check and reports it the same way.
    monitored = run(home, "monitor", "run", "--from", str(src))
    assert monitored.returncode == 2 and "Traceback" not in monitored.stderr
    assert "would remove 40 of the 152" in monitored.stderr
    assert (
        run(home, "lists", "update", "--from", str(src), "--max-removed-share", "0.3").returncode
        == 0
    )
    # Page A again, touched later: A is in use again, the history says when DHS last updated it.
    back = run(
        home, "lists", "update", "--from", str(write(tmp_path, "a.html", BASE, date(2026, 11, 5)))
    )
    assert back.returncode == 0, back.stderr
    assert "in use again" in back.stderr and "40 added" in back.stdout
    history = json.loads(run(home, "lists", "history", "--format", "json").stdout)
    a = history[1]
    assert a["in_use"] and a["published"] == "2026-09-01" and a["last_updated"] == "2026-11-05"
    assert [h["in_use"] for h in history] == [False, True, False]
    table = run(home, "lists", "history").stdout
    assert "last updated" in table and "2026-11-05" in table
    bad = run(home, "lists", "update", "--from", str(src), "--max-removed-share", "2")
    assert bad.returncode == 2 and "max-removed-share" in bad.stderr


def test_the_service_ingest_route_refuses_with_a_4xx(settings: Settings, tmp_path: Path) -> None:
    from uflpa.service.ops import ingest_list

    rows, _ = without(BASE, 40)
    data = page(rows, date(2026, 10, 1)).encode()
    with pytest.raises(RefusedUpdate) as refused:
        ingest_list(settings, "us-dhs-uflpa", data, "dhs.html", None)
    assert refused.value.http_status == 409
    assert "would remove 40 of the 152" in str(refused.value)
    assert "uflpa-ingest-" not in str(refused.value)  # no temporary path in the answer
    assert "--force" not in str(refused.value)  # an option of the CLI, not of the route
