"""`uflpa match`, `compare` and `screen` driven end to end as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "UFLPA_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "uflpa", *args], capture_output=True, text=True, env=env, check=False
    )


def test_compare_json_shape(tmp_path: Path) -> None:
    res = run("compare", "合盛硅业（鄯善）有限公司", "合盛硅業(鄯善)有限公司", "--format", "json",
              home=tmp_path)  # fmt: skip
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["verdict"] == "hit" and out["score"] == 1.0
    assert set(out) >= {"score", "verdict", "features"}


def test_compare_pairs_one_line_per_pair_in_order(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "name1,name2\nXinjiang Daqo New Energy,XINJIANG DAQO NEW ENERGY CO LTD\n"
        "Walmart Inc.,Xinjiang Daqo New Energy\n",
        encoding="utf-8",
    )
    res = run("compare", "--pairs", str(pairs), "--format", "jsonl", home=tmp_path)
    assert res.returncode == 0, res.stderr
    lines = [json.loads(line) for line in res.stdout.splitlines()]
    assert [line["verdict"] for line in lines] == ["hit", "clear"]


def test_screen_gbk_party_file_reports_bad_rows_and_loses_none(tmp_path: Path) -> None:
    party = tmp_path / "suppliers.csv"
    text = (
        "id,name,country\n"
        "S1,新疆大全新能源股份有限公司,CN\n"
        "S2,Walmart Inc.,US\n"
        "S3,,CN\n"
        "S4,XJ ZHONGTAI CHEM CO LTD,China\n"
    )
    party.write_bytes(text.encode("gbk"))
    res = run("screen", str(party), "--format", "jsonl", home=tmp_path)
    assert res.returncode == 0, res.stderr
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(rows) == 4  # good rows + reported rows = input rows
    by_id = {r["id"]: r for r in rows if r["id"]}
    assert by_id["S1"]["verdict"] == "hit" and by_id["S1"]["entity_id"] == "UFLPA-009"
    assert by_id["S2"]["verdict"] == "clear" and by_id["S2"]["entity_id"] is None
    assert by_id["S4"]["entity_id"] == "UFLPA-020"
    errors = [r for r in rows if r["verdict"] == "error"]
    assert len(errors) == 1 and errors[0]["row"] == 4
    assert "row 4" in res.stderr and "Traceback" not in res.stderr


def test_screen_missing_column_is_one_clear_error(tmp_path: Path) -> None:
    party = tmp_path / "bad.csv"
    party.write_text("id,supplier_label\n1,foo\n", encoding="utf-8")
    res = run("screen", str(party), home=tmp_path)
    assert res.returncode != 0
    assert "name" in res.stderr and "Traceback" not in res.stderr


def test_match_bad_date_is_a_usage_error(tmp_path: Path) -> None:
    res = run("match", "Hoshine", "--as-of", "2024-13-45", home=tmp_path)
    assert res.returncode == 2
    assert "Traceback" not in res.stderr and "2024-13-45" in res.stderr


def test_match_says_when_the_place_came_from_the_address(tmp_path: Path) -> None:
    res = run("match", "Esquel Textile Co., Ltd.", "--address", "Changji, Xinjiang", "--top", "1",
              "--format", "csv", home=tmp_path)  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert "UFLPA-002" in res.stdout
    assert "place Changji from the address (Changji, Xinjiang)" in res.stdout
