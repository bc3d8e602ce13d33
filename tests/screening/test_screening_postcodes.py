"""Shipment rules over postcode-shaped numbers (issue 19, point 6): a room or order number in the
Xinjiang postal range is no Xinjiang signal in an address placed elsewhere, and a number that may
be a postcode but is not where one stands sends the shipment to review, never to clear."""

from __future__ import annotations

import pytest

from uflpa.lists.bundled import load_bundled
from uflpa.match import Matcher
from uflpa.screening import Screener, ShipmentRow, shipment_from_values


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(Matcher([load_bundled()]))


def _screen(screener: Screener, role: str, address: str) -> tuple[str, set[str]]:
    values = {
        role: "Pengcheng Toys Co., Ltd.",
        f"{role}_address": address,
        "country_of_origin": "CN",
        "hts": "9503.00.0073",  # toys: outside the high-priority sectors
        "import_date": "2024-02-01",
    }
    row = shipment_from_values(values, 2)
    assert isinstance(row, ShipmentRow), row
    verdict = screener.screen_shipment(row)
    return verdict.verdict, {r.rule for r in verdict.reasons}


@pytest.mark.parametrize(
    ("address", "verdict", "rule"),
    [
        # a room number in a Shenzhen address with its own postcode: nothing about Xinjiang
        ("Room 838201, Building 5, Nanshan District, Shenzhen 518000", "clear", None),
        ("深圳市南山区科技园838201号", "clear", None),
        # a postcode where a postcode stands, in a Xinjiang city: a hit as before
        ("No. 12 Renmin Road, Urumqi 830000", "hit", "xinjiang-location"),
        ("Building 8, Industrial Park, 831100, China", "hit", "xinjiang-location"),
        # in range inside a Chinese address, not where a postcode stands: review, not clear
        ("Room 838201, Building 5, Renmin Road, China", "review", "xinjiang-weak-signal"),
        # where a postcode stands, but the address names Shenzhen: conflicting, review
        ("Nanshan District, Shenzhen 838201", "review", "xinjiang-weak-signal"),
    ],
)
def test_postcode_shaped_numbers_in_shipment_addresses(
    screener: Screener, address: str, verdict: str, rule: str | None
) -> None:
    for role in ("manufacturer", "supplier"):
        got, rules = _screen(screener, role, address)
        assert got == verdict, (role, address, rules)
        xinjiang = {r for r in rules if r.startswith("xinjiang")}
        assert xinjiang == ({rule} if rule else set()), (role, address, rules)
