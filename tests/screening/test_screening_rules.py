"""The decision rules on the case table `tests/cases/shipment_rules.yml`, and the rules file."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from uflpa.errors import InputError, UsageError
from uflpa.lists.base import parse_list
from uflpa.lists.bundled import load_bundled
from uflpa.match import Matcher
from uflpa.screening import Screener, ShipmentRow, load_ruleset, shipment_from_values
from uflpa.screening.conditions import load_conditions
from uflpa.screening.ruleset import parse_ruleset

CASES_FILE = Path(__file__).parent.parent / "cases" / "shipment_rules.yml"
CASES: list[dict[str, Any]] = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))


CSL_FIXTURE = Path(__file__).parent.parent / "fixtures" / "lists" / "csl_multilist.csv"


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(Matcher([load_bundled()]))


@pytest.fixture(scope="module")
def with_csl(screener: Screener) -> Screener:
    """The bundled list and, beside it, a small Consolidated Screening List."""
    csl = parse_list(CSL_FIXTURE.read_bytes(), str(CSL_FIXTURE))
    return Screener([screener.matcher, Matcher([csl])])


def _row(case: dict[str, Any]) -> ShipmentRow:
    values = {k: str(v) for k, v in case["shipment"].items()}
    row = shipment_from_values(values, 2)
    assert isinstance(row, ShipmentRow), row
    return row


@pytest.mark.parametrize("case", CASES, ids=[c["why"][:60] for c in CASES])
def test_shipment_rule_case(screener: Screener, with_csl: Screener, case: dict[str, Any]) -> None:
    as_of = date.fromisoformat(case["as_of"]) if case.get("as_of") else None
    chosen = with_csl if case.get("lists") == ["csl"] else screener
    verdict = chosen.screen_shipment(_row(case), as_of=as_of)
    fired = {(r.rule, r.role) for r in verdict.reasons}
    shown = sorted(f"{rule}@{role}" for rule, role in fired)
    assert verdict.verdict == case["verdict"], (case["why"], shown)
    for wanted in case.get("rules", []):
        rule, _, role = wanted.partition("@")
        assert any(r == rule and (not role or ro == role) for r, ro in fired), (wanted, shown)
    for unwanted in case.get("not_rules", []):
        assert unwanted not in {r for r, _ in fired}, (unwanted, shown)
    notes = {n.note for n in verdict.notes}
    for note in case.get("notes", []):
        assert note in notes, (note, notes)
    for rule, subset in (case.get("evidence") or {}).items():
        evidence = next(r.evidence for r in verdict.reasons if r.rule == rule)
        for key, value in subset.items():
            assert evidence.get(key) == value, (rule, key, evidence.get(key))


def test_every_rule_has_a_case() -> None:
    covered = {w.partition("@")[0] for c in CASES for w in c.get("rules", [])}
    rules = {r.id for r in load_ruleset().rules}
    assert rules <= covered, f"rules without a case: {sorted(rules - covered)}"
    assert {"hit", "review", "clear"} <= {c["verdict"] for c in CASES}
    assert all(c.get("why") for c in CASES)


def test_every_reason_cites_versions_and_says_something(screener: Screener) -> None:
    for case in CASES:
        verdict = screener.screen_shipment(_row(case))
        assert verdict.versions.rules_version.startswith("uflpa-shipment-v3@")
        assert verdict.versions.list_version.startswith("us-dhs-uflpa@")
        assert verdict.versions.algorithm == "uflpa-v2"
        for reason in verdict.reasons:
            assert reason.says and "?" not in reason.says.replace("?)", ""), reason.says
            assert reason.evidence


def test_listed_hit_cites_entity_section_and_effective_date(screener: Screener) -> None:
    row = _row({"shipment": {"manufacturer": "Xinjiang Zhongtai Chemical Co. Ltd.",
                             "import_date": "2024-01-02"}})  # fmt: skip
    reason = screener.screen_shipment(row).reasons[0]
    assert reason.rule == "listed-party" and reason.level == "hit"
    assert reason.evidence["entity_id"] == "UFLPA-020"
    assert reason.evidence["sections"] == ["2(d)(2)(B)(ii)"]
    assert reason.evidence["effective_date"] == "2023-06-12"
    assert "UFLPA-020" in reason.says and "2023-06-12" in reason.says


def test_xinjiang_hit_cites_place_and_signal(screener: Screener) -> None:
    address = "88 Gaochang Road, Turpan, Xinjiang 838000"
    shipment = {"manufacturer": "Tongxin Materials Co., Ltd.", "manufacturer_address": address}
    row = _row({"shipment": shipment})
    reason = next(r for r in screener.screen_shipment(row).reasons if r.level == "hit")
    assert reason.rule == "xinjiang-location"
    assert any(p["name"] == "Turpan" for p in reason.evidence["places"])
    assert {s["kind"] for s in reason.evidence["signals"]} >= {"place_name", "postal_code"}


def test_ruleset_version_is_the_file_hash() -> None:
    rules = load_ruleset()
    text = (Path(__file__).parents[2] / "uflpa/screening/rules/uflpa-shipment-v3.yml").read_text(
        encoding="utf-8"
    )
    again = parse_ruleset(text, "x.yml", load_conditions())
    assert again.version_id == rules.version_id
    edited = parse_ruleset(
        text.replace("Weak Xinjiang signal", "Weak signal"), "x.yml", load_conditions()
    )
    assert edited.version_id != rules.version_id


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: x\nversion: 1\nrules:\n  - {id: a, level: hit, scope: party, needs: nope, "
         "title: t, says: s}\n", "needs"),
        ("name: x\nversion: 1\nrules:\n  - {id: a, level: maybe, scope: party, "
         "needs: listed_match, title: t, says: s}\n", "level"),
        ("name: x\nversion: 1\nrules:\n  - {id: a, level: hit, scope: party, "
         "needs: listed_match, title: t, says: s}\n  - {id: a, level: hit, scope: party, "
         "needs: listed_match, title: t, says: s}\n", "twice"),
        ("name: x\nversion: 1\nrules:\n  - {id: A_B, level: hit, scope: party, "
         "needs: listed_match, title: t, says: s}\n", "kebab"),
        ("name: x\nversion: 1\nrules: [\n", "YAML"),
        ("- just a list\n", "mapping"),
    ],
)  # fmt: skip
def test_bad_rules_files_are_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_ruleset(text, "bad.yml", load_conditions())


def test_unknown_rules_version_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        load_ruleset("uflpa-shipment-v99")
    with pytest.raises(UsageError):
        load_ruleset("../../etc/passwd")


def test_rules_that_read_no_match_of_a_list_refuse_to_run_against_it(with_csl: Screener) -> None:
    # uflpa-shipment-v1 predates other lists: its rules read only UFLPA matches, so screening a
    # second list with it would drop that list's matches without a word.
    v1 = load_ruleset("uflpa-shipment-v1")
    with pytest.raises(UsageError, match="read no match on the list"):
        Screener(with_csl.matchers, v1)
    assert Screener(with_csl.matchers[:1], v1).versions.rules_version.startswith(
        "uflpa-shipment-v1@"
    )


def test_a_list_match_names_its_list_and_programme(with_csl: Screener) -> None:
    row = _row({"shipment": {"manufacturer": "XINJIANG PRODUCTION AND CONSTRUCTION CORPS"}})
    verdict = with_csl.screen_shipment(row)
    other = [r for r in verdict.reasons if r.rule == "other-list-match"]
    assert other and verdict.verdict == "hit"
    assert other[0].evidence["programme"] == (
        "Specially Designated Nationals (SDN) - Treasury Department, programs: GLOMAG"
    )
    assert "Specially Designated Nationals" in other[0].says
    assert verdict.versions.list_version.startswith("us-dhs-uflpa@")
    assert "+csl@" in verdict.versions.list_version


def test_a_ruleset_can_promote_another_list(with_csl: Screener) -> None:
    text = (Path(__file__).parents[2] / "uflpa/screening/rules/uflpa-shipment-v2.yml").read_text(
        encoding="utf-8"
    )
    promoted = text + (
        "\n  - id: bis-entity-list\n    level: hit\n    scope: party\n    needs: listed_match\n"
        "    params: {lists: [csl], sections: [EL], verdicts: [hit]}\n"
        "    title: On the BIS Entity List\n"
        '    says: The {role} "{party}" matches {entity_name} on the BIS Entity List.\n'
    )
    rules = parse_ruleset(promoted, "promoted.yml", load_conditions())
    screener = Screener(with_csl.matchers, rules)
    row = _row({"shipment": {"manufacturer": "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO LTD"}})
    verdict = screener.screen_shipment(row)
    assert verdict.verdict == "hit"
    assert {r.rule for r in verdict.reasons} >= {"bis-entity-list", "other-list-match"}
    # The SDN part of the same list is not promoted: XPCC's SDN entry stays a review there.
    sdn_only = Screener([with_csl.matchers[1]], rules)
    xpcc = sdn_only.screen_shipment(
        _row({"shipment": {"manufacturer": "XINJIANG PRODUCTION AND CONSTRUCTION CORPS"}})
    )
    assert "bis-entity-list" not in {r.rule for r in xpcc.reasons}
