"""Places named in an address stand in for the place a name lacks: 'Esquel Textile Co., Ltd.,
Changji' is the Changji firm, and so is 'Esquel Textile Co., Ltd.' with 'Changji' in the address
column. Only the listed name's own places count; any other place leaves the name's place missing."""

from __future__ import annotations

import pytest

from uflpa.lists.bundled import load_bundled
from uflpa.match import Matcher
from uflpa.names.analyze import analyze, places_in, with_address
from uflpa.scoring.features import extra_place, missing_place, place_in_address


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher([load_bundled()])


@pytest.mark.parametrize(
    ("address", "places", "xinjiang"),
    [
        ("No. 8 Jiefang Road, Changji, Xinjiang", ("p:changji", "p:xinjiang"), 2),
        ("新疆维吾尔自治区石河子市北三路", ("p:xinjiang", "p:shihezi"), 2),
        ("新疆維吾爾自治區石河子市", ("p:xinjiang", "p:shihezi"), 2),
        ("Room 1201, Shanghai", ("p:shanghai",), 0),
        ("Room 1201, Building 3", (), 0),
        ("", (), 0),
    ],
)
def test_places_in_an_address(address: str, places: tuple[str, ...], xinjiang: int) -> None:
    found, in_xinjiang = places_in(address)
    assert found == places
    assert len(in_xinjiang) == xinjiang


def test_a_place_after_the_legal_form_is_an_address_place_not_a_name_place() -> None:
    a = analyze("Esquel Textile Co., Ltd., Changji")
    assert a.place_set == frozenset()
    assert a.address_places == ("p:changji",)


def test_the_address_column_fills_in_only_when_the_name_had_no_address_places() -> None:
    bare = analyze("Esquel Textile Co., Ltd.")
    assert with_address(bare, None) is bare
    assert with_address(bare, "Building 3") is bare
    assert with_address(bare, "Changji, Xinjiang").address_places == ("p:changji", "p:xinjiang")
    own = analyze("Esquel Textile Co., Ltd., Changji")
    assert with_address(own, "Turpan").address_places == ("p:changji",)


@pytest.mark.parametrize(
    ("query", "listed", "stated"),
    [
        ("Esquel Textile Co., Ltd., Changji", "Changji Esquel Textile Co., Ltd.", True),
        ("Esquel Textile Co., Ltd., Turpan", "Changji Esquel Textile Co., Ltd.", False),
        # A place in Xinjiang after the name stands for a listed 'Xinjiang …'.
        ("Daqo New Energy Co., Ltd., Shihezi", "Xinjiang Daqo New Energy Co., Ltd.", True),
        # …but 'Xinjiang' after the name is vaguer than a listed 'Aksu …'.
        ("Huafu Melange Yarn Co., Ltd., Xinjiang", "Aksu Huafu Melange Yarn Co., Ltd.", False),
        # The query's name has its own place, and another one than the listed name's.
        ("Turpan Esquel Textile Co., Ltd., Changji", "Changji Esquel Textile Co., Ltd.", False),
        # The name already has the place: nothing to fill in.
        ("Changji Esquel Textile Co., Ltd., Changji", "Changji Esquel Textile Co., Ltd.", False),
    ],
)
def test_place_in_address_and_missing_place_are_exclusive(
    query: str, listed: str, stated: bool
) -> None:
    q, c = analyze(query), analyze(listed)
    assert place_in_address(q, c) == (1.0 if stated else 0.0)
    if stated:
        assert missing_place(q, c) == 0.0


def test_the_evidence_shows_the_address_place(matcher: Matcher) -> None:
    top = matcher.match("Esquel Textile Co., Ltd.", address="Changji, Xinjiang")[0]
    assert (top.entity_id, top.verdict) == ("UFLPA-002", "hit")
    entry = top.evidence["features"]["place_in_address"]
    assert entry["value"] == 1.0
    assert list(entry["compared"]["query"]["address_places"]) == ["p:changji", "p:xinjiang"]
    assert "missing_place" not in top.evidence["qualifiers"]
    without = matcher.match("Esquel Textile Co., Ltd.")[0]
    assert without.verdict == "review"
    assert "missing_place" in without.evidence["qualifiers"]


@pytest.mark.parametrize(
    ("query", "listed", "extra"),
    [
        # A place in Xinjiang where the listed name says only Xinjiang is a place it lacks, as
        # 'Xinjiang Tacheng …' always was.
        ("Tacheng Huafu Industrial Group", "Xinjiang Huafu Cotton Industry Group", True),
        ("Xinjiang Tacheng Huafu Industrial Group", "Xinjiang Huafu Cotton Industry Group", True),
        ("Xinjiang Huafu Industrial Group", "Xinjiang Huafu Cotton Industry Group", False),
        # A place outside Xinjiang is a different place, not an extra one.
        ("Shanghai Huafu Industrial Group", "Xinjiang Huafu Cotton Industry Group", False),
        # In the address it is where the firm is, not part of its registered name.
        (
            "Huafu Cotton Industry Group Co., Ltd., Tacheng",
            "Xinjiang Huafu Cotton Industry Group",
            False,
        ),
    ],
)
def test_extra_place_holds_a_xinjiang_place_against_a_bare_xinjiang(
    query: str, listed: str, extra: bool
) -> None:
    assert extra_place(analyze(query), analyze(listed)) == (1.0 if extra else 0.0)


def test_with_address_leaves_the_cached_analysis_alone() -> None:
    bare = analyze("Esquel Textile Co., Ltd.")
    filled = with_address(bare, "Changji")
    assert filled.address_places == ("p:changji",)
    # analyze is cached (list names once, repeated queries free); the cached one is unchanged.
    assert analyze("Esquel Textile Co., Ltd.") is bare
    assert bare.address_places == ()
