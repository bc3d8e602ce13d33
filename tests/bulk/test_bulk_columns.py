"""Which columns a run reads (issue 19, point 4): two headers that could each be the party column
stop the run instead of one being screened and the other silently ignored, and the summary names
every column of the file that the run did not read."""

from __future__ import annotations

import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from uflpa.bulk.screen_file import ScreenRequest, screen_file
from uflpa.bulk.sinks import CollectSink
from uflpa.errors import UsageError
from uflpa.lists.bundled import load_bundled
from uflpa.match import Matcher
from uflpa.screening import Screener

LISTED = "Xinjiang Daqo New Energy Co., Ltd."  # on the bundled list since 2022


@cache
def screener() -> Screener:
    return Screener(Matcher([load_bundled()]))


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "text",
    [
        f'id,name,supplier,country\n1,Acme Trading,"{LISTED}",CN\n',
        f'id,company name,supplier name\n1,"{LISTED}",Acme Trading\n',
        "id,supplier,supplier_name,hts,import_date\n"
        f'1,Acme Trading,"{LISTED}",5201.00,2024-02-01\n',
    ],
    ids=["name+supplier", "company name+supplier name", "shipment supplier+supplier_name"],
)
def test_a_listed_name_in_a_second_party_column_is_never_a_silent_clear(
    tmp_path: Path, text: str
) -> None:
    path = _file(tmp_path, text)
    collect = CollectSink()
    with pytest.raises(UsageError, match=r"--column (name|supplier)="):
        screen_file(ScreenRequest(path=path), screener, [collect])
    assert collect.rows == []


def test_the_summary_names_every_column_not_used(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        f'id,name,supplier,country,notes\n1,Acme Trading,"{LISTED}",CN,x\n',
    )
    collect = CollectSink()
    run = screen_file(ScreenRequest(path=path, columns={"name": "supplier"}), screener, [collect])
    assert [r.verdict for r in collect.rows] == ["hit"]
    assert "  columns not used: 'name', 'notes'" in run.summary.lines()
    assert run.summary.to_dict()["columns_not_used"] == ["name", "notes"]


def test_distinct_roles_of_a_shipment_file_are_all_screened(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "id,manufacturer,seller,hts,import_date,remarks\n"
        f'1,Acme Trading,"{LISTED}",8541.43,2024-02-01,r\n',
    )
    collect = CollectSink()
    run = screen_file(ScreenRequest(path=path), screener, [collect])
    assert [r.verdict for r in collect.rows] == ["hit"]
    assert "  columns not used: 'remarks'" in run.summary.lines()


def test_cli_stops_with_one_line_naming_both_headers(tmp_path: Path) -> None:
    path = _file(tmp_path, f'id,name,supplier\n1,Acme Trading,"{LISTED}"\n')
    env = {**os.environ, "UFLPA_HOME": str(tmp_path / "home")}
    res = subprocess.run(
        [sys.executable, "-m", "uflpa", "screen", str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert res.returncode == 2, res.stderr
    assert res.stdout == "" and "Traceback" not in res.stderr
    [line] = res.stderr.strip().splitlines()
    assert line.startswith("uflpa: error: ")
    assert "'name'" in line and "'supplier'" in line and "--column name=" in line
