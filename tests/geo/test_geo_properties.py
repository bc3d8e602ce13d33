"""Properties of address resolution that must hold for any input (hypothesis)."""

from __future__ import annotations

import opencc
from hypothesis import given, settings
from hypothesis import strategies as st

from uflpa.geo import Place, load_places, locate
from uflpa.text.normalize import latin_key, normalise

PLACES = [p for p in load_places() if p.current]
_S2T = opencc.OpenCC("s2t")

# Address-like noise: Latin, Han (simplified and traditional), digits, punctuation, kana, emoji.
ALPHABET = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "Zs", "S", "M"),
)
TEXT = st.text(alphabet=ALPHABET, max_size=120)
FRAGMENTS = st.sampled_from(
    [
        "Urumqi", "新疆", "Road", "路", "830011", "Aksu", "Kazakhstan", "Co., Ltd.", "有限公司",
        "142团", "兵团", "Shanghai", "上海", "91650100MA77ABCD1P", "Tel:", "-", "'", "和田",
        "さん", "Yiwu", "County", "区", "Xinjiang", "(", ")", " ", ",", "\n",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(TEXT, st.sampled_from([None, "CN", "KZ", "us", "", "China"]))
def test_locate_never_raises_and_confidence_is_bounded(text: str, country: str | None) -> None:
    loc = locate(text, country=country)
    assert 0.0 <= loc.confidence <= 1.0
    assert loc.in_xinjiang is (loc.confidence >= 0.5)
    for p in loc.places:
        assert text[p.span[0] : p.span[1]] == p.matched
    assert (loc.to_dict()["in_xinjiang"] == "yes") is loc.in_xinjiang


@settings(max_examples=300, deadline=None)
@given(st.lists(FRAGMENTS, max_size=12).map("".join))
def test_locate_on_address_fragments_is_consistent(text: str) -> None:
    loc = locate(text)
    assert 0.0 <= loc.confidence <= 1.0
    assert loc.in_xinjiang is (loc.confidence >= 0.5)
    if loc.in_xinjiang:  # a verdict always has a strong signal behind it
        assert any(s.strength == "strong" for s in loc.signals)
    assert len({p.code for p in loc.places}) == len(loc.places)


@given(TEXT)
def test_normalise_keeps_offsets(text: str) -> None:
    assert len(normalise(text)) == len(text)


@given(st.sampled_from(PLACES))
def test_traditional_and_simplified_names_resolve_alike(place: Place) -> None:
    name_zh = place.name_zh
    simplified = locate(name_zh)
    traditional = locate(_S2T.convert(name_zh))
    assert [p.code for p in simplified.places] == [p.code for p in traditional.places]
    assert simplified.in_xinjiang is traditional.in_xinjiang


@given(st.sampled_from(PLACES), st.sampled_from([" ", "-", "", "  "]), st.booleans())
def test_pinyin_spacing_and_case_do_not_matter(place: Place, sep: str, upper: bool) -> None:
    pinyin = place.name_pinyin
    words = pinyin.replace("'", " ").split()
    variant = sep.join(words)
    variant = variant.upper() if upper else variant.lower()
    assert latin_key(variant) == latin_key(pinyin)
    assert [p.code for p in locate(variant).places] == [p.code for p in locate(pinyin).places]


# Postcode-shaped numbers among address words: ranges in and out of Xinjiang, labels, units.
_NUMBERS = st.one_of(
    st.integers(830000, 849999).map(str),
    st.integers(0, 999999).map(lambda n: f"{n:06d}"),
    st.text(alphabet="0123456789", min_size=1, max_size=9),
)
_WORDS = st.sampled_from(
    [
        "Room", "Unit", "Building 5", "No. 12", "Renmin Road", "Urumqi", "Kashgar", "Shenzhen",
        "Nanshan District", "邮编", "Zip:", "postcode", "PIN", "Tel:", "深圳市", "乌鲁木齐市", "号",
        "室", "China", "中国", "India", "Xinjiang", "Aksu", "#", "-", "/", ".", "，", ", ", " ",
    ]
)  # fmt: skip
_ADDRESS = st.lists(st.one_of(_NUMBERS, _WORDS), max_size=10).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(_ADDRESS, st.text(alphabet="0123456789 ,-", max_size=40)))
def test_locate_never_crashes_on_numbers_and_answers_three_ways(text: str) -> None:
    loc = locate(text)
    answer = loc.to_dict()["in_xinjiang"]
    assert answer in ("yes", "possible", "no")
    assert (answer == "yes") is loc.in_xinjiang
    positive = [s for s in loc.signals if s.strength in ("strong", "weak")]
    assert (answer == "no") is (not positive)  # any Xinjiang clue is at least a possible
    for s in loc.signals:
        if s.kind == "postal_code" and s.span:
            assert text[s.span[0] : s.span[1]].isdigit() and len(s.span) == 2
