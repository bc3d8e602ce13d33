"""HTS code -> high-priority sector (tests/cases/hts.yml), description hints and `uflpa hts`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from uflpa.errors import SourceFormatError, UsageError
from uflpa.sectors import MAPPING_NOTE, classify_hts, normalize_hts, sectors_for_description
from uflpa.sectors.hts import format_hts, load_sector_rules, parse_sector_rules, sector_names

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parents[1] / "cases" / "hts.yml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", CASES, ids=[repr(c["code"]) for c in CASES])
def test_case_table(case: dict[str, Any]) -> None:
    if case.get("error"):
        with pytest.raises(UsageError, match="HTS code"):
            classify_hts(case["code"])
        return
    result = classify_hts(case["code"])
    assert result.code == case["digits"], case["why"]
    if case.get("repair"):
        assert result.repair and case["repair"] in result.repair, (case["why"], result.repair)
        assert result.to_dict()["repair"] == result.repair and result.input == case["code"]
    else:
        assert result.repair is None, (case["why"], result.repair)
    assert list(result.sector_names) == case["sectors"], (case["why"], result.to_dict())
    assert result.mapping_note == MAPPING_NOTE
    if "first_scope" in case:
        assert result.sectors[0].scope == case["first_scope"], case["why"]
    if result.sectors:
        first = result.sectors[0]
        assert first.coverage == case.get("coverage", "full"), case["why"]
        if first.coverage == "full":
            assert first.rule == f"hts_prefix {first.prefix} matches {result.formatted}"


def test_table_is_big_enough_and_says_why() -> None:
    assert len(CASES) >= 25
    assert sum(bool(c.get("error")) for c in CASES) >= 5
    assert all(str(c.get("why", "")).strip() for c in CASES)


def test_all_matching_prefixes_most_specific_first() -> None:
    result = classify_hts("8541.43.0010")
    assert [h.prefix for h in result.sectors] == ["8541.43", "8541"]
    assert [h.scope for h in result.sectors] == ["core", "broad"]


def test_partial_hits_come_after_full_hits() -> None:
    result = classify_hts("28")
    assert result.sectors and all(h.coverage == "partial" for h in result.sectors)
    assert {"lithium", "caustic soda", "aluminum"} <= set(result.sector_names)


def test_formats() -> None:
    assert normalize_hts("HS code 6109.10") == "610910"
    assert [format_hts(d) for d in ("61", "6109", "610910", "61091000", "6109100012")] == [
        "61", "6109", "6109.10", "6109.10.00", "6109.10.0012",
    ]  # fmt: skip


def test_data_file_covers_the_twelve_sectors_and_every_row_is_tagged() -> None:
    assert len(load_sector_rules()) == 128
    assert len(sector_names()) == 12
    assert {r.scope.split()[0] for r in load_sector_rules()} == {
        "core", "upstream", "downstream", "broad",
    }  # fmt: skip
    with pytest.raises(SourceFormatError, match="row 2"):
        parse_sector_rules(
            "sector,year_named,hts_prefix,description,source\nx,2022,52a,[core] y,z\n"
        )


@pytest.mark.parametrize(
    ("text", "sector", "keyword"),
    [
        ("100% cotton T-shirts", "cotton and cotton products", "cotton"),
        ("100% cotton T-shirts", "apparel", "T-shirt"),
        ("Carded cotton yarn Ne 30/1", "cotton and cotton products", "yarn"),
        ("Polysilicon chunks, 9N", "silica-based products (incl. polysilicon)", "polysilicon"),
        (
            "Mono PERC solar modules 550 W",
            "silica-based products (incl. polysilicon)",
            "solar module",
        ),
        ("Tomato paste 28-30 brix", "tomatoes and downstream products", "tomato"),
        ("Aluminium alloy profiles", "aluminum", "aluminum"),
        ("Aluminum foil", "aluminum", "aluminum"),
        ("PVC resin SG-5", "polyvinyl chloride (PVC)", "PVC"),
        ("Frozen shrimp, peeled", "seafood", "shrimp"),
        ("Seafood mix", "seafood", "seafood"),
        ("Hot-rolled steel coil", "steel", "steel"),
        ("Copper cathode 99.99%", "copper", "copper"),
        ("Lithium carbonate, battery grade", "lithium", "lithium"),
        ("Caustic soda flakes 99%", "caustic soda", "caustic soda"),
        ("Dried jujube", "red dates (jujubes)", "jujube"),
        ("Red dates, grade A", "red dates (jujubes)", "red dates"),
        ("纯棉针织T恤", "cotton and cotton products", "棉"),
        ("番茄酱", "tomatoes and downstream products", "番茄"),
        ("多晶硅料", "silica-based products (incl. polysilicon)", "多晶硅"),
        ("光伏组件", "silica-based products (incl. polysilicon)", "光伏"),
        ("铝型材", "aluminum", "铝"),
        ("聚氯乙烯树脂", "polyvinyl chloride (PVC)", "聚氯乙烯"),
    ],
)
def test_description_hints(text: str, sector: str, keyword: str) -> None:
    hints = sectors_for_description(text)
    assert any(h.sector == sector and h.keyword == keyword for h in hints), hints
    assert all(h.strength == "hint" for h in hints)
    for h in hints:
        assert text[h.span[0] : h.span[1]] == h.matched


def test_description_hints_avoid_obvious_false_friends() -> None:
    assert sectors_for_description("钢琴 (piano)") == []
    assert sectors_for_description("Scottish wool scarf") == []
    assert [h.keyword for h in sectors_for_description("cotton T-shirts")] == ["cotton", "T-shirt"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "uflpa", *args], capture_output=True, text=True, check=False
    )


def test_cli_hts_json() -> None:
    res = run("hts", "8541.43.0010", "--format", "json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["code"] == "8541430010" and out["mapping_note"] == MAPPING_NOTE
    first = out["sectors"][0]
    assert first["sector"] == "silica-based products (incl. polysilicon)"
    assert {"sector", "year_named", "rule", "scope"} <= set(first)
    assert first["year_named"] == 2022 and first["scope"] == "core"


def test_cli_hts_unknown_code_is_an_empty_list() -> None:
    res = run("hts", "9999", "--format", "json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["sectors"] == []
    table = run("hts", "9999")
    assert table.returncode == 0 and "no high-priority sector" in table.stdout
    assert "DHS publishes no official code list" in table.stdout


def test_cli_hts_invalid_code_is_one_line_exit_2() -> None:
    res = run("hts", "52.0.1")
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0
    assert res.stderr.startswith("uflpa: error: invalid HTS code") and "Traceback" not in res.stderr


def test_cli_hts_repaired_code_shows_the_repair() -> None:
    res = run("hts", "5201.1", "--format", "json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["code"] == "520110" and out["formatted"] == "5201.10"
    assert "trailing zero" in out["repair"]
    table = run("hts", "5201.1")
    assert table.returncode == 0 and "read '5201.1' as 5201.10" in table.stdout


@pytest.mark.parametrize(("code", "words"), [("0000", "chapter 00"), ("5201/5205", "one code")])
def test_cli_hts_unusable_code_is_one_line_exit_2(code: str, words: str) -> None:
    res = run("hts", code)
    assert res.returncode == 2, res.stdout
    assert res.stderr.startswith("uflpa: error: ") and res.stderr.strip().count("\n") == 0
    assert words in res.stderr and "Traceback" not in res.stderr
