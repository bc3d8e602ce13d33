"""Watchlists: a supplier master imported with `uflpa watch add` (a real process, a real store of
record in tmp_path), every row accounted for, upserts by key with the party's history kept,
removal and restoring, the alerts a listed name raises, and the key column found by its aliases
or named with --column."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.casework.conftest import (
    ME,
    as_json,
    master,
    ok,
    peek,
    sqlite_url,
    uflpa,
)
from uflpa.casework.alerts import list_alerts
from uflpa.casework.decisions import decide
from uflpa.casework.watchlists import (
    import_file,
    list_parties,
    party_record,
    remove,
    summaries,
)
from uflpa.errors import ConflictError, InputError, NotFoundError
from uflpa.records import engine_for

LISTED = "Xinjiang Daqo New Energy Co., Ltd."  # UFLPA-009 in the bundled snapshot
LISTED_ZH = "新疆大全新能源股份有限公司"  # UFLPA-009's Chinese name
PLAIN = [
    ("S2", "Example Trading Co Limited", "US", "1 Lake Road, Cleveland"),
    ("S3", "Nordic Timber Supplies AB", "SE", "Storgatan 4, Umea"),
]


def test_every_row_is_imported_or_reported_with_file_row_and_column(home: Path) -> None:
    path = home.parent / "master.csv"
    lines = [
        b"supplier_id,name,country,address",
        b'S1,"Xinjiang Daqo New Energy Co., Ltd.",CN,Shihezi',  # row 2: listed
        b"S2,Example Trading Co Limited,US,Cleveland",  # row 3
        b"S1,Another Name For S1,CN,",  # row 4: key already on row 2
        b",A Supplier Without Key,CN,",  # row 5: no key
        b"S4,Caf\xe9 Supplies Ltd,FR,Paris",  # row 6: a cp1252 byte in a UTF-8 file
        b"S5,M\xc3\xbcller Maschinenbau GmbH,DE,Stuttgart",  # row 7: UTF-8
        b"S6,Hoshine Silicon Industry Co Ltd,CN,",  # row 8: near a listed entity
        b"S7," + b"K" * 10 + b",US,",  # row 9: fine
        b"S" + b"9" * 200 + b",Overlong Key Trading,US,",  # row 10: key of 201 characters
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")

    res = uflpa(home, "watch", "add", str(path), "--encoding", "utf-8", "--format", "json")
    out = as_json(res)
    problems = {(p["row"], p["column"]): p for p in out["problems"]}
    assert set(problems) == {
        (4, "supplier_id"),
        (5, "supplier_id"),
        (6, "name"),
        (10, "supplier_id"),
    }
    assert all(p["file"] == str(path) for p in out["problems"])
    assert "already on row 2" in problems[(4, "supplier_id")]["reason"]
    assert "empty" in problems[(5, "supplier_id")]["reason"]
    assert "0xe9" in problems[(6, "name")]["reason"]
    assert "201 characters" in problems[(10, "supplier_id")]["reason"]
    # Told on stderr too, one line per row, with file, row and column.
    told = [line for line in res.stderr.splitlines() if line.startswith("not imported: ")]
    assert len(told) == 4
    assert f"not imported: {path}: row 6, column 'name': cannot decode" in res.stderr
    # Nothing silently dropped: imported + reported = rows.
    assert out["rows"] == 9
    assert out["added"] == 5 and out["not_imported"] == 4
    assert out["added"] + out["not_imported"] == out["rows"]

    engine = engine_for(sqlite_url(home))
    total, parties = list_parties(engine, "default")
    by_key = {p["key"]: p for p in parties}
    assert total == 5 and set(by_key) == {"S1", "S2", "S5", "S6", "S7"}
    assert by_key["S1"]["name"] == LISTED  # the first row of a key is the one kept
    assert by_key["S5"]["name"] == "Müller Maschinenbau GmbH"
    # The listed name is a hit, the near one a review; both raise alerts naming file and row.
    assert by_key["S1"]["verdict"] == "hit" and by_key["S1"]["entity_id"] == "UFLPA-009"
    assert by_key["S6"]["verdict"] == "review"
    assert out["flagged"] == 2 and out["alerts"] == 2
    causes = {a["key"]: a for a in list_alerts(engine)[1]}
    assert set(causes) == {"S1", "S6"}
    assert causes["S1"]["verdict"] == "hit" and causes["S1"]["previous_verdict"] is None
    assert causes["S1"]["entity_id"] == "UFLPA-009"
    assert f"imported from {path} row 2" in causes["S1"]["cause"]
    assert f"imported from {path} row 8" in causes["S6"]["cause"]


def test_reimport_upserts_by_key_and_keeps_the_history(home: Path) -> None:
    first = master(
        home.parent / "v1.csv",
        [("S1", LISTED, "CN", "Shihezi"), *PLAIN],
        ["vendor_id", "name", "country", "address"],
    )
    engine = engine_for(sqlite_url(home))
    import_file(engine, ME, first)
    moved = "88 Harbour Street, Toledo"
    second = master(
        home.parent / "v2.csv",
        [("S1", LISTED, "CN", "Shihezi"), ("S2", PLAIN[0][1], "US", moved), PLAIN[1]],
        ["vendor_id", "name", "country", "address"],
    )
    again = as_json(uflpa(home, "watch", "add", str(second), "--format", "json"))
    assert (again["added"], again["changed"], again["unchanged"]) == (0, 1, 2)
    assert again["screened"] == 1  # only the changed supplier is screened again
    assert again["alerts"] == 0  # still clear: nothing to tell an analyst

    counts = dict(
        peek(
            home,
            "SELECT p.key, count(s.id) FROM parties p LEFT JOIN screenings s ON s.party_id = p.id "
            "GROUP BY p.key",
        )
    )
    assert counts == {"S1": 1, "S2": 2, "S3": 1}

    shown = as_json(uflpa(home, "watch", "show", "S2", "--format", "json"))
    assert shown["party"]["address"] == moved
    versions = [v["data"]["address"] for v in shown["versions"]]
    assert versions == [moved, "1 Lake Road, Cleveland"]  # newest first, both kept
    assert [v["source"] for v in shown["versions"]] == [str(second), str(first)]
    assert len(shown["screenings"]) == 2
    assert shown["screenings"][0]["party_version_id"] == shown["party"]["version_id"]

    # The same file a third time changes nothing and screens nothing.
    third = import_file(engine, ME, second)
    assert (third.unchanged, third.screened, third.changed) == (3, 0, 0)


def test_remove_then_add_again_restores_the_supplier(home: Path) -> None:
    path = master(home.parent / "m.csv", [("S1", LISTED, "CN", ""), *PLAIN])
    engine = engine_for(sqlite_url(home))
    import_file(engine, ME, path)

    res = ok(uflpa(home, "watch", "remove", "S1", "S3"))
    assert "2 suppliers no longer watched" in res.stdout
    total, rows = list_parties(engine, "default")
    assert total == 1 and [r["key"] for r in rows] == ["S2"]
    assert party_record(engine, "default", "S1")["party"]["removed_at"] is not None
    # A key that is not watched (any more) is refused, by name.
    with pytest.raises(NotFoundError, match="'S1'"):
        remove(engine, ME, "default", ["S1"])
    # A decision on a supplier no longer watched is refused.
    with pytest.raises(ConflictError, match="S1 is no longer watched"):
        decide(engine, ME, outcome="confirmed", note="x", watchlist="default", key="S1")

    result = import_file(engine, ME, path)
    assert (result.restored, result.unchanged, result.added) == (2, 1, 0)
    total, rows = list_parties(engine, "default")
    assert total == 3
    rec = party_record(engine, "default", "S1")
    assert rec["party"]["removed_at"] is None
    assert rec["party"]["verdict"] == "hit"
    assert len(rec["screenings"]) == 2  # screened again on its return
    assert len(rec["versions"]) == 2  # its history kept (the data itself did not change)
    assert {v["data_sha256"] for v in rec["versions"]} == {rec["party"]["data_sha256"]}


def test_key_column_aliases_and_the_column_option(home: Path) -> None:
    engine = engine_for(sqlite_url(home))
    for header in ("supplier_id", "vendor_id", "key"):
        path = master(
            home.parent / f"{header}.csv", [(f"{header}-1", "Acme Widgets Ltd")], [header, "name"]
        )
        result = import_file(engine, ME, path, watchlist=header)
        assert result.added == 1 and not result.problems
        assert [r["key"] for r in list_parties(engine, header)[1]] == [f"{header}-1"]

    odd = master(
        home.parent / "odd.csv",
        [("V-77", "Acme Widgets Ltd", "US"), ("V-78", LISTED, "CN")],
        ["Vendor No", "Company", "Land"],
    )
    with pytest.raises(InputError, match="'id'") as refused:
        import_file(engine, ME, odd, watchlist="erp")
    assert "Vendor No" in str(refused.value) and "--column" in str(refused.value)
    out = as_json(
        uflpa(
            home,
            "watch",
            "add",
            str(odd),
            "--watchlist",
            "erp",
            "--column",
            "id=Vendor No",
            "--column",
            "country=Land",
            "--format",
            "json",
        )
    )
    assert out["added"] == 2 and out["not_imported"] == 0 and out["flagged"] == 1
    parties = {r["key"]: r for r in list_parties(engine, "erp")[1]}
    assert set(parties) == {"V-77", "V-78"}
    assert parties["V-78"]["country"] == "CN" and parties["V-78"]["verdict"] == "hit"
    # Watchlists are apart: the erp import touched none of the others.
    lists = {s["watchlist"]: s["parties"] for s in summaries(engine)}
    assert lists == {"erp": 2, "key": 1, "supplier_id": 1, "vendor_id": 1}


def test_a_stray_cp1252_byte_does_not_turn_a_utf8_master_into_mojibake(home: Path) -> None:
    """Without --encoding: a UTF-8 master with one cp1252 byte on one row (pasted from elsewhere)
    stays UTF-8, and only that row is reported (file, row, column). Read whole as latin-1 instead,
    every Chinese name would be mojibake, and a supplier whose Chinese name is a listed entity's
    (UFLPA-009) would come out clear without a word."""
    path = home.parent / "mixed.csv"
    path.write_bytes(
        f"id,name,country\nS1,{LISTED_ZH},CN\nS2,Müller Maschinenbau GmbH,DE\n".encode()
        + b"S3,Caf\xe9 Supplies Ltd,FR\n"
        + "S4,Société Générale de Négoce,FR\n".encode()
    )
    res = ok(uflpa(home, "watch", "add", str(path), "--format", "json"))
    engine = engine_for(sqlite_url(home))
    names = {r["key"]: (r["name"], r["verdict"]) for r in list_parties(engine, "default")[1]}
    assert names.get("S1") == (LISTED_ZH, "hit"), f"read as {names.get('S1')}"
    assert names.get("S2", ("",))[0] == "Müller Maschinenbau GmbH"
    assert f"{path}: row 4" in res.stderr
