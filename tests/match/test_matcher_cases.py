"""The matching case table and the Matcher's evidence, over the bundled list."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from uflpa.lists.bundled import load_bundled
from uflpa.match import Matcher

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parents[1] / "cases" / "matching.yml").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher([load_bundled()])


@pytest.mark.parametrize("case", CASES, ids=[c["query"][:40] for c in CASES])
def test_case_table(matcher: Matcher, case: dict[str, Any]) -> None:
    results = matcher.match(case["query"], country=case.get("country"), address=case.get("address"))
    top = results[0] if results else None
    verdict = top.verdict if top else "clear"
    assert verdict == case["verdict"], (case["why"], top and top.to_dict())
    if case.get("entity"):
        assert top is not None and top.entity_id == case["entity"], case["why"]


def test_evidence_names_the_entry_the_name_form_and_the_versions(matcher: Matcher) -> None:
    top = matcher.match("新疆大全新能源股份有限公司")[0]
    ev = top.evidence
    assert top.name_form.startswith("zh_")
    assert ev["name_source"]  # provenance of the Chinese name
    assert ev["list"]["version"].startswith("us-dhs-uflpa@")
    assert ev["algorithm"] == "uflpa-v2"
    assert {lst["section"] for lst in ev["listings"]} >= {"2(d)(2)(B)(i)"}
    assert "han_core_match" in ev["features"]


def test_as_of_excludes_entities_listed_later(matcher: Matcher) -> None:
    name = "Xinjiang Zijin Zinc Industry Co., Ltd."  # listed 2025-01-15
    assert matcher.match(name, as_of=date(2025, 2, 1))[0].entity_id == "UFLPA-092"
    before = matcher.match(name, as_of=date(2024, 12, 31))
    assert all(r.entity_id != "UFLPA-092" for r in before)


def test_country_mismatch_lowers_a_score(matcher: Matcher) -> None:
    name = "Hetian Taida Apparel Co., Ltd."
    china = matcher.match(name, country="CN")[0]
    elsewhere = matcher.match(name, country="Vietnam")[0]
    assert elsewhere.score < china.score
    assert elsewhere.evidence["qualifiers"]["country_mismatch"]["value"] == 1.0


def test_candidates_come_from_the_index_not_a_full_scan(matcher: Matcher) -> None:
    assert len(matcher.candidates("Hoshine Silicon", k=5)) <= 5
    assert "UFLPA-012" in matcher.candidates("Hoshine Silicon", k=5)
