"""The address case table (tests/cases/places.yml) against `uflpa.geo.locate`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from uflpa.geo import load_places, locate

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parents[1] / "cases" / "places.yml").read_text(encoding="utf-8")
)
PREFECTURE_LEVELS = {"prefecture_level_city", "prefecture", "autonomous_prefecture"}


def _id(case: dict[str, Any]) -> str:
    return f"{case['text'][:40]}@{case.get('country') or ''}"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_case_table(case: dict[str, Any]) -> None:
    loc = locate(case["text"], country=case.get("country"))
    shown = (case["why"], loc.to_dict())
    assert loc.in_xinjiang is case["xj"], shown
    if "answer" in case:
        assert loc.to_dict()["in_xinjiang"] == case["answer"], shown
    codes = [p.code for p in loc.places]
    if "first" in case:
        assert codes and codes[0] == case["first"], shown
    if "place" in case:
        assert case["place"] in codes, shown
    if "signal" in case:
        strength, kind = case["signal"].split(":")
        assert any(s.strength == strength and s.kind == kind for s in loc.signals), shown
    for p in loc.places:  # spans point at the text that matched
        assert case["text"][p.span[0] : p.span[1]] == p.matched


def test_every_row_says_why() -> None:
    assert all(str(c.get("why", "")).strip() for c in CASES)


def test_table_is_big_enough_and_covers_every_prefecture() -> None:
    false_friends = [c for c in CASES if c.get("group") == "false_friend"]
    places = [c for c in CASES if c.get("group") != "false_friend"]
    assert len(places) >= 60
    assert len(false_friends) >= 25
    named = {c.get("first") for c in CASES} | {c.get("place") for c in CASES}
    prefectures = {p.code for p in load_places() if p.level in PREFECTURE_LEVELS}
    assert len(prefectures) == 14
    assert prefectures <= named
    xpcc_cities = {p.code for p in load_places() if p.level == "xpcc_city"}
    assert xpcc_cities <= named
