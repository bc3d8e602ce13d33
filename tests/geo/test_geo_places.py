"""The bundled places file as loaded by `uflpa.reference.places`, and `find_places`."""

from __future__ import annotations

import pytest

from uflpa.errors import SourceFormatError
from uflpa.geo import find_places, load_places, place_by_code
from uflpa.reference.places import ancestors, parse_places

COUNTY_LEVELS = {"district", "county_level_city", "county", "autonomous_county", "xpcc_city"}


def test_file_has_the_documented_rows() -> None:
    places = load_places()
    assert len(places) == 168
    assert len({p.code for p in places}) == 168
    assert sum(p.level in COUNTY_LEVELS for p in places) == 112  # DATA_NOTES: current units
    assert sum(p.level == "xpcc_division" for p in places) == 14


def test_place_fields_and_ambiguity_flag() -> None:
    urumqi = place_by_code("650100")
    assert urumqi is not None
    assert (urumqi.name, urumqi.name_zh, urumqi.level) == (
        "Urumqi",
        "乌鲁木齐市",
        "prefecture_level_city",
    )
    assert "Ürümqi" in urumqi.variants and not urumqi.ambiguous
    yiwu = place_by_code("650522")
    assert yiwu is not None and yiwu.ambiguous and yiwu.name == "Yiwu County"
    assert place_by_code("DZ-ZHUNDONG") is not None
    assert place_by_code("999999") is None


def test_ancestors_follow_parents_and_xpcc_links() -> None:
    assert ancestors("653121") == ("653100", "650000")
    assert ancestors("659001") == ("XPCC-D08", "XPCC", "650000")
    assert ancestors("XPCC-D08") == ("XPCC", "650000")
    assert ancestors("650000") == ()


def test_malformed_file_names_the_row() -> None:
    with pytest.raises(SourceFormatError, match="row 3"):
        parse_places(
            "admin_code,level,name_zh,name_pinyin,english_and_variant_spellings\n"
            "650000,autonomous_region,新疆,Xinjiang,Xinjiang\n"
            "650000,autonomous_region,新疆,Xinjiang,Xinjiang\n"
        )
    with pytest.raises(SourceFormatError, match="expected columns"):
        parse_places("code,name\n1,x\n")


def test_find_places_reports_ambiguous_qualifiers_in_names() -> None:
    """The matcher uses find_places to spot place qualifiers in company names."""
    found = {m.code: m for m in find_places("Hetian Haolin Hair Accessories (Aksu) 鄯善 Shanshan")}
    assert {"653200", "652900", "650421"} <= set(found)
    assert found["653200"].ambiguous is False
    assert found["652900"].ambiguous is True and "Kazakhstan" in (found["652900"].caution or "")
    assert found["650421"].matched in ("鄯善", "Shanshan")


def test_find_places_flags_street_names_without_weighing_context() -> None:
    [match] = find_places("Xinjiang Road")
    assert match.code == "650000" and match.ambiguous and match.caution == "part of a street name"
    assert find_places("") == []
    assert find_places("Walmart Inc., Bentonville") == []
