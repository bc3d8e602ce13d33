"""One data path, end to end as a user runs it: `lists update` stores a new version and the next
`screen`, `match` and `trace` use it, cite it in their evidence, and stop citing the bundled
snapshot; other lists are screened beside it on request. Real processes, a real store in
UFLPA_HOME, real list files (DHS page layout, the Consolidated Screening List CSV, OpenSanctions
FollowTheMoney lines)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
UPDATE_PAGE = FIXTURES / "store" / "page_update.html"  # the bundled list less Camel, plus NEW
CSL = FIXTURES / "lists" / "csl_multilist.csv"
SDN_FTM = FIXTURES / "lists" / "opensanctions_us_ofac_sdn.ftm.jsonl"
NEW = "Lianyungang Brightwater Seafood Co., Ltd."  # invented; listed only by the update page
DROPPED = "Camel Group Co., Ltd."  # UFLPA-030 in the bundled snapshot, not on the update page


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "UFLPA_HOME": str(home), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "uflpa", *args], capture_output=True, text=True, env=env, check=False
    )


def ok(res: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    return res


def one_line_error(res: subprocess.CompletedProcess[str]) -> str:
    assert res.returncode != 0 and "Traceback" not in res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("uflpa: error: "), res.stderr
    return lines[0]


def rows(res: subprocess.CompletedProcess[str]) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in map(json.loads, res.stdout.splitlines())}


@pytest.fixture
def parties(tmp_path: Path) -> Path:
    path = tmp_path / "parties.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "country"])
        writer.writerow(["P1", NEW, "CN"])
        writer.writerow(["P2", DROPPED, "CN"])
        writer.writerow(["P3", "Xinjiang Daqo New Energy Co., Ltd.", "CN"])
        writer.writerow(["P4", "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO LTD", "CN"])
        writer.writerow(["P5", "Example Trading Co., Limited", ""])
    return path


def listed(row: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in row["reasons"] if r["rule"] == "listed-party"]


def test_an_update_reaches_the_next_screening(tmp_path: Path, parties: Path) -> None:
    home = tmp_path / "home"
    before = ok(run(home, "screen", str(parties)))
    bundled = rows(before)[DROPPED]["versions"]["list_version"]
    assert bundled.startswith("us-dhs-uflpa@")
    assert rows(before)[NEW]["verdict"] == "clear"
    assert listed(rows(before)[DROPPED])[0]["evidence"]["entity_id"] == "UFLPA-030"
    # The bundled snapshot is a reconstruction: the summary says so.
    assert "caution: list us-dhs-uflpa@" in before.stderr and "152 of the 187" in before.stderr

    update = ok(run(home, "lists", "update", "--from", str(UPDATE_PAGE), "--format", "json"))
    assert "screening now uses us-dhs-uflpa@" in update.stderr
    new_version = json.loads(update.stdout)["new_version"]
    assert new_version != bundled

    after = ok(run(home, "screen", str(parties)))
    got = rows(after)
    assert got[NEW]["verdict"] == "hit"
    (reason,) = listed(got[NEW])
    assert reason["evidence"]["list_version"] == new_version
    assert reason["evidence"]["effective_date"] == "2026-11-20"
    assert reason["evidence"]["sections"] == ["2(d)(2)(B)(iv)"]
    assert not listed(got[DROPPED])  # removed from the list: no longer a listed party
    assert listed(got["Xinjiang Daqo New Energy Co., Ltd."])[0]["evidence"]["entity_id"] == (
        "UFLPA-009"
    )  # ids stay stable through the update
    assert {r["versions"]["list_version"] for r in got.values()} == {new_version}
    assert f"versions: list {new_version}" in after.stderr
    assert "caution" not in after.stderr  # the DHS page states no incompleteness

    # match and trace read the same store.
    matched = json.loads(ok(run(home, "match", NEW, "--format", "json")).stdout)
    assert matched[0]["verdict"] == "hit" and matched[0]["list_version"] == new_version
    traced = ok(run(home, "trace", "--example", "solar", "--format", "jsonl"))
    versions = {json.loads(line)["versions"]["list_version"] for line in traced.stdout.splitlines()}
    assert versions == {new_version}

    # The older version is still there for reproducing old verdicts.
    again = rows(ok(run(home, "screen", str(parties), "--list-version", "bundled")))
    assert again[NEW]["verdict"] == "clear" and listed(again[DROPPED])
    dated = rows(ok(run(home, "screen", str(parties), "--list-version", "2026-09-01")))
    assert {r["versions"]["list_version"] for r in dated.values()} == {bundled}


def test_other_lists_are_screened_beside_the_uflpa_list(tmp_path: Path, parties: Path) -> None:
    home = tmp_path / "home"
    ok(run(home, "lists", "update", "--from", str(CSL)))
    ok(run(home, "lists", "update", "--from", str(SDN_FTM)))
    res = ok(
        run(
            home,
            "screen",
            str(parties),
            "--lists",
            "us-dhs-uflpa,us-bis-entity-list,opensanctions:us_ofac_sdn",
        )
    )
    got = rows(res)
    hik = got["HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO LTD"]
    assert hik["verdict"] == "review"
    (reason,) = [r for r in hik["reasons"] if r["rule"] == "other-list-match"]
    assert reason["evidence"]["list"] == "csl" and reason["evidence"]["sections"] == ["EL"]
    assert "the Consolidated Screening List" in reason["says"] and "EL" in reason["says"]
    trading = got["Example Trading Co., Limited"]
    assert trading["verdict"] == "review"
    assert trading["reasons"][0]["evidence"]["list"] == "opensanctions:us_ofac_sdn"
    assert "IRAN-EO13846" in trading["reasons"][0]["says"]
    # A UFLPA listing keeps its rule; another list never makes a UFLPA hit.
    assert listed(got["Xinjiang Daqo New Energy Co., Ltd."])
    assert not any(listed(r) for r in (hik, trading))
    # The run records every list version it used, and the CSL part it used.
    versions = hik["versions"]["list_version"].split("+")
    assert versions[0].startswith("us-dhs-uflpa@") and versions[1].endswith("[EL]")
    assert versions[2].startswith("opensanctions:us_ofac_sdn@")
    # The SDN programme of the same CSL file is not screened when only EL is asked for.
    assert "SDN" not in json.dumps(got["Xinjiang Daqo New Energy Co., Ltd."]["reasons"])

    # Without --lists, only the UFLPA list is screened, whatever else the store holds.
    plain = rows(ok(run(home, "screen", str(parties))))
    assert plain["HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO LTD"]["verdict"] == "clear"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lists", "us-dhs-uflpa,no-such-list"], "holds no list 'no-such-list'"),
        (["--lists", "us-dhs-uflpa,csl:XYZ"], "no entry under XYZ"),
        (["--list-version", "ffffffffffff"], "no stored list version"),
        (["--list-version", "1999-01-01"], "published on or before 1999-01-01"),
        (["--list-version", "not a version"], "not a list version"),
    ],
)
def test_bad_list_choices_are_one_line_errors(
    tmp_path: Path, parties: Path, args: list[str], message: str
) -> None:
    home = tmp_path / "home"
    ok(run(home, "lists", "update", "--from", str(CSL)))
    line = one_line_error(run(home, "screen", str(parties), *args))
    assert message in line


def test_an_older_update_is_refused_and_when_forced_is_in_use_and_says_so(tmp_path: Path) -> None:
    # An update dated before the list in use (and here removing most of it) is refused, nothing
    # stored; forced, it is the list the user means, and its older date is said out loud.
    home = tmp_path / "home"
    ok(run(home, "lists", "update", "--from", str(UPDATE_PAGE)))
    page_a = str(FIXTURES / "store" / "page_a.html")
    refused = one_line_error(run(home, "lists", "update", "--from", page_a))
    assert "dated 2025-01-15, before 2026-11-20" in refused and "--force" in refused
    assert len(json.loads(ok(run(home, "lists", "history", "--format", "json")).stdout)) == 2
    older = ok(run(home, "lists", "update", "--from", page_a, "--force"))
    assert "screening now uses" in older.stderr
    assert "published 2025-01-15, before the version it replaces (2026-11-20)" in older.stderr
    history = json.loads(ok(run(home, "lists", "history", "--format", "json")).stdout)
    assert [v["in_use"] for v in history] == [False, False, True]
