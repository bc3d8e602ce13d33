"""Slipped place and business words read as the list's own words, before analysis."""

from __future__ import annotations

import pytest

from uflpa.lists.bundled import load_bundled
from uflpa.match.matcher import Matcher
from uflpa.match.slips import SlipReader
from uflpa.names.lexicon import lexicon
from uflpa.names.slips import slip_kind


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher([load_bundled()])


@pytest.mark.parametrize(
    ("word", "target", "kind"),
    [
        ("sihezi", "shihezi", "drop"),
        ("shihhezi", "shihezi", "add"),
        ("shiehzi", "shihezi", "swap"),
        ("rextile", "textile", "change"),
        ("shihezi", "shihezi", None),
        ("shezi", "shihezi", None),
    ],
)
def test_slip_kind(word: str, target: str, kind: str | None) -> None:
    assert slip_kind(word, target) == kind


def test_reader_targets_only_place_and_business_words_of_the_list() -> None:
    reader = SlipReader(["Shihezi Huafu Cotton Co., Ltd.", "Camel Group Co., Ltd."], lexicon())
    assert reader.words == {"shihezi", "cotton", "group"}  # huafu, camel: trade names
    assert reader.read("Sihezi Huafa Coton Trading Co") == (
        "shihezi Huafa cotton Trading Co",
        {"sihezi": "shihezi", "coton": "cotton"},
    )


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("Huafa Textile", "a pinyin word is never read with a changed letter (Huafa is not Huafu)"),
        ("Camle Group", "trade names are not targets"),
        ("Xinjiang Yinlong Agricultural Inter", "the last word may be cut, not slipped"),
        ("Jiangsu Shihexi Trading", "shihexi is pinyin: a changed letter is not read"),
        ("Xinjiang Shihebi Trading", "after Xinjiang only a neighbouring key: b and z are not"),
        ("Jiangsu Habaha Trading", "after a province other than Xinjiang: its places unknown"),
        ("Guanglong Agricultural Co", "l for d is no slip: Guanglong is a trade name"),
        ("Changli Cotton Spinning Co", "l for j is no slip: Changli is not Changji"),
        ("Baiding Machinery (Shanghai) Co", "a bracketed place: the head is a trade name"),
        ("Linxi County Fangpei Cotton", "a word of the list's own names is never a slip"),
        ("Xin Jiang Zhong Tai Hua Xue", "one pinyin syllable (zhong) is a word, not a slip"),
        ("中粮集团有限公司", "Han characters are never romanised into a slip"),
    ],
)
def test_words_left_alone(matcher: Matcher, name: str, why: str) -> None:
    assert matcher._slips.read(name)[1] == {}, why


def test_a_slipped_place_reaches_the_listed_firm_and_the_evidence_says_so(
    matcher: Matcher,
) -> None:
    [top] = matcher.match("Sihezi Huafu Hongsheng Cotton Industry Co., Ltd.", top_k=1)
    assert (top.entity_id, top.verdict) == ("UFLPA-132", "hit")
    query = top.evidence["query"]
    assert query["name"] == "Sihezi Huafu Hongsheng Cotton Industry Co., Ltd."
    assert query["read_as"] == {"sihezi": "shihezi"}


def test_a_clean_name_has_no_read_as(matcher: Matcher) -> None:
    [top] = matcher.match("Shihezi Huafu Hongsheng Cotton Industry Co., Ltd.", top_k=1)
    assert "read_as" not in top.evidence["query"]


@pytest.mark.parametrize(
    ("name", "read_as", "entity_id"),
    [
        ("Rianjin Tianwei Food Co., Ltd.", {"rianjin": "tianjin"}, "UFLPA-070"),
        ("Xinjuang Zhongtai Chemical Co. Ltd.", {"xinjuang": "xinjiang"}, "UFLPA-020"),
        ("Hunei Jingtian Cotton Industry Group", {"hunei": "hubei"}, "UFLPA-098"),
        # After a leading Xinjiang, its county: b and n are neighbours (Habahe, in Xinjiang).
        ("Xinjiang Hanahe Ashele Copper Co., Ltd.", {"hanahe": "habahe"}, "UFLPA-055"),
    ],
)
def test_a_neighbouring_key_in_the_place_heading_a_name_is_read_as_that_place(
    matcher: Matcher, name: str, read_as: dict[str, str], entity_id: str
) -> None:
    # Each slipped word is pinyin of its own (ri an jin, xin ju ang, hu nei), so only its place
    # at the head of the name, and a key beside the right one, make it a slip.
    [top] = matcher.match(name, top_k=1)
    assert (top.entity_id, top.verdict) == (entity_id, "hit")
    assert top.evidence["query"]["read_as"] == read_as


@pytest.mark.parametrize(
    ("name", "read_as", "entity_id"),
    [
        # A neighbouring key in each of two industry words (issue 18): at four letters and in
        # pinyin-looking words ('Lunen' is lu + nen) a slip is not read alone, but the word beside
        # it vouches for it: Hair Accessories, Iron and Steel are pairs of listed names.
        (
            "Hetian Haolin Haur Sccessories Co. Ltd.",
            {"haur": "hair", "sccessories": "accessories"},
            "UFLPA-003",
        ),
        (
            "Baowu Group Xinjiang Bayi Irob and Stewl Co., Ltd.",
            {"irob": "iron", "stewl": "steel"},
            "UFLPA-059",
        ),
        (
            "Xinjiang Jinchuan Nining Induatry Co.",
            {"nining": "mining", "induatry": "industry"},
            "UFLPA-153",
        ),
        # A key slip in one word and a dropped letter in the other.
        ("Heze Coton and Lunen Co., Ltd.", {"coton": "cotton", "lunen": "linen"}, "UFLPA-048"),
    ],
)
def test_two_slipped_industry_words_vouch_for_each_other(
    matcher: Matcher, name: str, read_as: dict[str, str], entity_id: str
) -> None:
    [top] = matcher.match(name, top_k=1)
    assert (top.entity_id, top.verdict) == (entity_id, "hit")
    assert top.evidence["query"]["read_as"] == read_as


def test_a_slip_is_read_through_its_neighbour_only_towards_a_pair_of_the_list(
    matcher: Matcher,
) -> None:
    # Zinc and Textile stand side by side in no listed name: 'Zonc' stays unread.
    [top] = matcher.match("Xinjiang Zijin Zonc Textile Co., Ltd.", top_k=1)
    assert "zonc" not in top.evidence["query"].get("read_as", {})
    assert top.verdict != "hit"


def test_reading_industry_words_never_makes_another_trade_name_a_hit(matcher: Matcher) -> None:
    # The industry words are read (Hair Accessories), the trade name Hongxing is not Haolin.
    [top] = matcher.match("Xinjiang Hongxing Haur Sccessories Co., Ltd.", top_k=1)
    assert top.evidence["query"]["read_as"] == {"haur": "hair", "sccessories": "accessories"}
    assert top.verdict == "clear"
