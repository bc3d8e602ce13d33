"""The location evidence of a shipment's Xinjiang reasons carries `locate`'s three-way answer
(issue 19, point 6): a weak clue that sends a shipment to review says `possible`, never only the
boolean `false` a reader would take for "not in Xinjiang"."""

from __future__ import annotations

import pytest

from uflpa.geo import locate
from uflpa.lists.bundled import load_bundled
from uflpa.match import Matcher
from uflpa.screening import Screener, ShipmentRow, shipment_from_values


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(Matcher([load_bundled()]))


@pytest.mark.parametrize(
    ("address", "rule", "answer", "boolean"),
    [
        ("No. 12 Renmin Road, Urumqi 830000", "xinjiang-location", "yes", True),
        ("Nanshan District, Shenzhen 838201", "xinjiang-weak-signal", "possible", False),
        ("Room 838201, Building 5, Renmin Road, China", "xinjiang-weak-signal", "possible", False),
        ("Zip: 841000", "xinjiang-weak-signal", "possible", False),
    ],
)
def test_location_evidence_says_yes_possible_or_no(
    screener: Screener, address: str, rule: str, answer: str, boolean: bool
) -> None:
    values = {
        "manufacturer": "Pengcheng Toys Co., Ltd.",
        "manufacturer_address": address,
        "country_of_origin": "CN",
        "hts": "9503.00.0073",
        "import_date": "2024-02-01",
    }
    row = shipment_from_values(values, 2)
    assert isinstance(row, ShipmentRow), row
    verdict = screener.screen_shipment(row)
    reasons = [r for r in verdict.reasons if r.rule == rule]
    assert reasons, [r.rule for r in verdict.reasons]
    evidence = reasons[0].evidence
    assert evidence["xinjiang"] == answer
    assert evidence["in_xinjiang"] is boolean
    # The same answer `uflpa locate` gives for the text the rule read.
    assert locate(evidence["text"]).answer == answer
    written = [r for r in verdict.to_dict()["reasons"] if r["rule"] == rule]
    assert written[0]["evidence"]["xinjiang"] == answer  # in the JSON line uflpa writes
