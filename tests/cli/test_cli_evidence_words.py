"""`uflpa match` and `uflpa compare` explain in words (issue 18, point 4): never a Python repr in
a table or CSV meant for a person, every feature put as what it tests with whether it held, and a
name dated before its entity's listing said to match an entity listed later."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

# A tuple, list, dict or set repr: ('hesheng',), ['p:changji'], {'query': …}.
REPR = re.compile(r"\{'|\('|'\)|\)\}|\['|'\]|',\)|\"\]|\[\"")
RESULT = re.compile(r"→ (held in part|held|did not hold|n/a) \(\d\.\d\d\)")


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "UFLPA_HOME": str(home), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "uflpa", *args], capture_output=True, text=True, env=env, check=False
    )


QUERIES = [
    pytest.param(["Xinjiang Zhongtai Chemical Co. Ltd."], "UFLPA-020", id="english"),
    pytest.param(["Hesheng Guiye"], "UFLPA-012", id="pinyin"),
    pytest.param(["新疆中泰化学股份有限公司"], "UFLPA-020", id="simplified"),
    pytest.param(["新疆中泰化學"], "UFLPA-020", id="traditional-short"),
    pytest.param(["Xinjiang Zhongtai Chemcial"], "UFLPA-020", id="typo"),
    pytest.param(["HOSHINE SILICON INDUSTRY (SHANSHAN) CO"], "UFLPA-012", id="truncated"),
    pytest.param(
        ["XINJIANG ZHONGTAI CHEMICAL CO LTD NO 39 BEIJING SOUTH ROAD URUMQI"],
        "UFLPA-020",
        id="address-noise",
    ),
    pytest.param(
        ["Esquel Textile Co., Ltd.", "--address", "Changji, Xinjiang"], "UFLPA-002", id="address"
    ),
    pytest.param(
        ["Baoding LYSZD Trade and Business Co., Ltd.", "--country", "VN"],
        "UFLPA-001",
        id="country-differs",
    ),
]


@pytest.mark.parametrize(("args", "entity"), QUERIES)
def test_match_table_and_csv_explain_in_words(tmp_path: Path, args: list[str], entity: str) -> None:
    table = run("match", *args, "--top", "2", "--explain", home=tmp_path)
    csv = run("match", *args, "--top", "2", "--format", "csv", home=tmp_path)
    for res in (table, csv):
        assert res.returncode == 0, res.stderr
        assert entity in res.stdout
        assert not REPR.findall(res.stdout), (REPR.findall(res.stdout), res.stdout)
    assert "via " in csv.stdout  # the why column says on what basis
    # --explain: every feature of every candidate is a line saying whether it held.
    lines = [line for line in table.stdout.splitlines() if "?" in line and "→" in line]
    assert lines and all(RESULT.search(line) for line in lines), lines
    listed = json.loads(run("match", *args, "--top", "2", "--format", "json", home=tmp_path).stdout)
    features = sum(
        len(r["evidence"]["features"]) + len(r["evidence"]["qualifiers"]) for r in listed
    )
    assert len(lines) == features


def test_match_json_keeps_the_evidence_and_adds_words(tmp_path: Path) -> None:
    res = run("match", "Hesheng Guiye", "--top", "1", "--format", "json", home=tmp_path)
    assert res.returncode == 0, res.stderr
    (row,) = json.loads(res.stdout)
    trade = row["evidence"]["features"]["trade_name_similarity"]
    assert trade["value"] == 1.0 and trade["compared"] == {
        "query": ["hesheng"],
        "candidate": ["hesheng"],
    }
    assert "trade name Hesheng = Hesheng (合盛 in pinyin)" in row["why"]
    assert all(isinstance(s, str) and not REPR.search(s) for s in row["explanation"])
    # The Chinese-character features cannot apply to a pinyin query, and say so.
    han = next(s for s in row["explanation"] if s.startswith("Are the Chinese characters"))
    assert "→ n/a (0.00): the query has no Chinese characters" in han


def test_a_country_that_differs_is_said_in_words(tmp_path: Path) -> None:
    res = run("match", "Baoding LYSZD Trade and Business Co., Ltd.", "--country", "VN",
              "--top", "1", "--format", "csv", home=tmp_path)  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert "country differs: the query says VN, the entity is in China" in res.stdout
    assert "held at review" in res.stdout


def test_compare_table_puts_every_feature_as_a_question_with_its_result(tmp_path: Path) -> None:
    pair = ("Xinjiang Zhongtai Chemical", "Xinjiang Zhongtai Chemical Co. Ltd.")
    res = run("compare", *pair, "--no-list", "--format", "table", home=tmp_path)
    assert res.returncode == 0, res.stderr
    assert not REPR.findall(res.stdout), res.stdout
    assert "place Xinjiang agrees" in res.stdout and "trade name Zhongtai = Zhongtai" in res.stdout
    as_json = run("compare", *pair, "--no-list", home=tmp_path)
    out = json.loads(as_json.stdout)
    assert set(out) >= {"score", "verdict", "features", "qualifiers", "explanation"}
    features = [s for s in out["explanation"][1:]]
    assert len(features) == len(out["features"]) + len(out["qualifiers"])
    assert all(RESULT.search(s) for s in features), features
    # A feature that did not hold never reads as a finding.
    contained = next(s for s in features if s.startswith("Is every trade word"))
    assert "→ did not hold (0.00)" in contained


def test_compare_legal_forms_of_one_kind_are_said_to_be_ignored(tmp_path: Path) -> None:
    res = run("compare", "Hoshine Silicon Industry (Shanshan) Co Limited",
              "Hoshine Silicon Industry (Shanshan) Co., Ltd.", "--no-list", "--format", "csv",
              home=tmp_path)  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert "legal form written differently, both a limited company: ignored" in res.stdout


@pytest.mark.parametrize("names", [("", "x"), (" ", "x"), ("x", "  "), ("\t", "Hoshine")])
def test_compare_an_empty_name_is_a_usage_error(tmp_path: Path, names: tuple[str, str]) -> None:
    res = run("compare", *names, home=tmp_path)
    assert res.returncode == 2, res.stdout
    assert "Traceback" not in res.stderr and "name" in res.stderr and not res.stdout


# UFLPA-151 Xinjiang Tianhongji Technology Co., Ltd. was listed on 2026-08-03.
LATER = "Xinjiang Tianhongji Technology Co., Ltd."


def test_match_before_the_listing_says_listed_later(tmp_path: Path) -> None:
    res = run("match", LATER, "--as-of", "2025-01-01", home=tmp_path)
    assert res.returncode == 0, res.stderr
    assert f"clear: no candidate for “{LATER}” on the list on 2025-01-01" in res.stdout
    assert "UFLPA-151" in res.stdout and "listed later" in res.stdout
    assert "2026-08-03" in res.stdout and "2(d)(2)(B)(v)" in res.stdout
    assert "not a hit on 2025-01-01" in res.stdout
    as_json = run("match", LATER, "--as-of", "2025-01-01", "--format", "json", home=tmp_path)
    rows = json.loads(as_json.stdout)
    assert [r["entity_id"] for r in rows] == ["UFLPA-151"]
    (row,) = rows
    assert row["verdict"] == "clear"
    assert row["listed_later"]["effective_date"] == "2026-08-03"
    assert row["listed_later"]["as_of"] == "2025-01-01"
    assert row["listed_later"]["verdict_on_current_list"] == "hit"


def test_match_after_the_listing_is_a_hit_with_no_listed_later(tmp_path: Path) -> None:
    res = run("match", LATER, "--as-of", "2026-09-01", "--format", "json", home=tmp_path)
    rows = json.loads(res.stdout)
    assert rows[0]["entity_id"] == "UFLPA-151" and rows[0]["verdict"] == "hit"
    assert not any("listed_later" in r for r in rows)


def test_a_shipment_dated_before_the_listing_notes_the_later_listing(tmp_path: Path) -> None:
    shipments = tmp_path / "s.csv"
    text = f'id,manufacturer,import_date\n1,"{LATER}",2025-01-01\n'
    shipments.write_text(text, encoding="utf-8")
    res = run("screen", str(shipments), "--format", "json", home=tmp_path)
    assert res.returncode == 0, res.stderr
    (row,) = json.loads(res.stdout)
    assert row["verdict"] != "hit"
    (note,) = [n for n in row["notes"] if n["note"] == "listed-after-date"]
    assert note["entity_id"] == "UFLPA-151"
    assert "listed later" in note["says"] and "2026-08-03" in note["says"]
    assert not REPR.search(note["says"]) and "'" not in note["says"][:2]


def test_the_html_report_says_why_a_name_matched_in_words(tmp_path: Path) -> None:
    parties = tmp_path / "p.csv"
    parties.write_text("id,name,country\nS1,Hesheng Guiye,CN\n", encoding="utf-8")
    report = tmp_path / "report.html"
    res = run("screen", str(parties), "--report", str(report), home=tmp_path)
    assert res.returncode == 0, res.stderr
    html = report.read_text(encoding="utf-8")
    assert "Name match: via the trade name; trade name Hesheng = Hesheng" in html
