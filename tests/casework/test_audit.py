"""The audit log: `uflpa audit verify` (a real process) says intact after real casework, and names
the entry where a change made directly in the SQLite file breaks the chain (an altered detail, a
deleted entry, two entries swapped), exit 12; `uflpa audit export` gives JSON lines whose hashes a
reader recomputes with `entry_hash` alone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.casework.conftest import (
    ME,
    master,
    ok,
    peek,
    sqlite_url,
    tamper,
    uflpa,
    uflpa_parallel,
)
from uflpa.casework.alerts import list_alerts
from uflpa.casework.audit import GENESIS, canonical, entry_hash
from uflpa.casework.decisions import decide
from uflpa.casework.outbox import add_hook
from uflpa.casework.watchlists import import_file, remove
from uflpa.records import engine_for

LISTED = "Xinjiang Daqo New Energy Co., Ltd."  # UFLPA-009


@pytest.fixture
def worked(home: Path) -> Path:
    """A store of record after some casework: two imports, a removal, a hook, a decision."""
    engine = engine_for(sqlite_url(home))
    first = master(
        home.parent / "m.csv",
        [("S1", LISTED, "CN", ""), ("S2", "Nordic Timber Supplies AB", "SE", "Umeå")],
    )
    import_file(engine, ME, first)
    [alert] = list_alerts(engine)[1]
    decide(engine, ME, outcome="confirmed match", note="the listed company", alert_id=alert["id"])
    add_hook(engine, ME, "https://hooks.uflpa.example/alerts")
    second = master(home.parent / "m2.csv", [("S3", "Example Trading Co Limited", "US", "")])
    import_file(engine, ME, second, watchlist="second")
    remove(engine, ME, "default", ["S2"])
    engine.dispose()
    return home


def _copy(home: Path, name: str) -> Path:
    db = home.parent / f"{name}.sqlite"
    shutil.copy2(home / "records.sqlite", db)
    wal = home / "records.sqlite-wal"
    if wal.exists():
        shutil.copy2(wal, home.parent / f"{name}.sqlite-wal")
    return db


def test_verify_names_the_entry_a_direct_change_breaks(worked: Path) -> None:
    home = worked
    rows = peek(home, "SELECT seq, action FROM audit_log ORDER BY seq")
    seqs = [s for s, _ in rows]
    assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) >= 8
    actions = [a for _, a in rows]
    for action in ("watch import", "screening", "decision", "hook added", "watch remove"):
        assert action in actions

    middle = seqs[len(seqs) // 2]
    altered, deleted, swapped = (
        _copy(home, "altered"),
        _copy(home, "deleted"),
        _copy(home, "swapped"),
    )
    detail = json.loads(peek(home, "SELECT detail FROM audit_log WHERE seq = ?", (middle,))[0][0])
    detail["forged"] = True
    tamper(altered, ("UPDATE audit_log SET detail = ? WHERE seq = ?", (canonical(detail), middle)))
    tamper(deleted, ("DELETE FROM audit_log WHERE seq = ?", (middle,)))
    tamper(
        swapped,
        ("UPDATE audit_log SET seq = -1 WHERE seq = ?", (middle,)),
        ("UPDATE audit_log SET seq = ? WHERE seq = ?", (middle, middle + 1)),
        ("UPDATE audit_log SET seq = ? WHERE seq = -1", (middle + 1,)),
    )

    intact, *broken = uflpa_parallel(
        (home, ["audit", "verify"], None),
        *[
            (home, ["audit", "verify"], {"UFLPA_DATABASE_URL": f"sqlite:///{db}"})
            for db in (altered, deleted, swapped)
        ],
    )
    ok(intact)
    assert f"audit log intact: {len(seqs)} entries" in intact.stdout
    for res in broken:
        assert res.returncode == 12, res.stderr
        assert "Traceback" not in res.stderr
    on_altered, on_deleted, on_swapped = (r.stderr for r in broken)
    assert f"audit log broken at entry {middle}:" in on_altered
    assert "was altered" in on_altered
    assert f"audit log broken at entry {middle}:" in on_deleted
    assert f"entry {middle} is missing" in on_deleted
    assert f"audit log broken at entry {middle}:" in on_swapped
    assert f"entry {middle} does not follow entry {middle - 1}" in on_swapped
    # Each says how many entries before it still hold.
    for text in (on_altered, on_deleted, on_swapped):
        assert f"({middle - 1} entries before it hold)" in text


def test_the_export_can_be_checked_with_entry_hash_alone(worked: Path, tmp_path: Path) -> None:
    home = worked
    out = tmp_path / "audit.jsonl"
    ok(uflpa(home, "audit", "export", "-o", str(out)))
    lines = out.read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines]
    assert len(entries) == peek(home, "SELECT count(*) FROM audit_log")[0][0]

    prev = GENESIS
    for number, e in enumerate(entries, 1):
        assert e["seq"] == number
        assert e["prev_hash"] == prev
        recomputed = entry_hash(
            e["seq"], e["at"], e["actor"], e["action"], e["subject"], canonical(e["detail"]), prev
        )
        assert recomputed == e["hash"], f"entry {e['seq']} does not give its hash"
        prev = e["hash"]
    # The head the export ends with is the one verify reports.
    verified = ok(uflpa(home, "audit", "verify", "--format", "json"))
    check = json.loads(verified.stdout)
    assert check == {
        "ok": True,
        "entries": len(entries),
        "first_bad": None,
        "problem": "",
        "head": prev,
    }

    # A reader of the export finds a change in it, too.
    changed = dict(entries[2])
    changed["detail"] = {**changed["detail"], "note": "rewritten"}
    assert (
        entry_hash(
            changed["seq"],
            changed["at"],
            changed["actor"],
            changed["action"],
            changed["subject"],
            canonical(changed["detail"]),
            changed["prev_hash"],
        )
        != changed["hash"]
    )
