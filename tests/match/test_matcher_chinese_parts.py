"""Chinese and pinyin names no table holds, matched from their parts (issue 18, point 2): a
short name without place or legal form, the alignment shown as evidence, and firms that share
only a place and an industry word with a listed one."""

from __future__ import annotations

import pytest

from uflpa.lists.bundled import load_bundled
from uflpa.match import Matcher


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    # The Chinese-name table switched off: only the parts of the names can match.
    return Matcher([load_bundled()], enrich_chinese=False)


@pytest.mark.parametrize(
    ("query", "entity"),
    [("天棉基业纺织", "UFLPA-033"), ("天棉基業紡織", "UFLPA-033"),
     ("Tian Mian Ji Ye Fang Zhi", "UFLPA-033"), ("Xinjiang Tianmian Jiye Fangzhi", "UFLPA-033"),
     ("锦孚纺织", "UFLPA-128"), ("Jin Fu Fang Zhi", "UFLPA-128"), ("中昌物流", "UFLPA-110")],
)  # fmt: skip
def test_a_chinese_short_name_is_a_hit(matcher: Matcher, query: str, entity: str) -> None:
    top = matcher.match(query, top_k=1)[0]
    assert (top.entity_id, top.verdict) == (entity, "hit")


@pytest.mark.parametrize("query", ["Tianmian Foundation Textile", "天棉基业纺织有限公司"])
def test_without_a_place_an_english_name_or_a_registered_one_stays_review(
    matcher: Matcher, query: str
) -> None:
    # An English name without its place, or a registered name (legal form) without one, may be
    # a parent or sister firm: the missing place still counts.
    top = matcher.match(query, top_k=1)[0]
    assert (top.entity_id, top.verdict) == ("UFLPA-033", "review")
    assert "missing_place" in top.evidence["qualifiers"]


def test_a_short_name_two_listed_firms_share_is_review_on_both(matcher: Matcher) -> None:
    results = matcher.match("华孚纺织", top_k=3)
    held = [r for r in results if "ambiguous_short_name" in r.evidence["qualifiers"]]
    assert len(held) >= 2 and all(r.verdict == "review" for r in results)


def test_a_short_name_that_fits_one_firm_better_hits_only_that_one(matcher: Matcher) -> None:
    # 集团: the Xinjiang group, not Aksu Huafu Color Spinning, which is no group.
    results = matcher.match("华孚色纺集团", top_k=2)
    assert [(r.entity_id, r.verdict) for r in results] == [
        ("UFLPA-136", "hit"),
        ("UFLPA-004", "review"),
    ]


def test_the_evidence_pairs_the_words_of_the_two_names(matcher: Matcher) -> None:
    top = matcher.match("新疆天棉基业纺织有限公司", top_k=1)[0]
    aligned = top.evidence["features"]["parts_aligned"]
    assert aligned["value"] == 1.0
    pairs = aligned["compared"]["pairs"]
    assert {
        "query": "天棉",
        "candidate": "Tianmian",
        "kind": "trade name",
        "how": "pinyin",
    } in pairs
    assert {
        "query": "纺织", "candidate": "Textile", "kind": "industry word",
        "how": "lexicon: 纺织 = textile",
    } in pairs  # fmt: skip
    assert {"query": "新疆", "candidate": "Xinjiang", "kind": "place", "how": "place name"} in pairs


@pytest.mark.parametrize(
    "query",
    ["新疆利华棉业股份有限公司", "Xin Jiang Li Hua Mian Ye Co., Ltd.", "天津桂发祥食品有限公司",
     "奎屯银力纺织有限公司", "利华棉业", "Yin Li Fang Zhi", "河北中鑫番茄实业有限公司"],
)  # fmt: skip
def test_a_shared_place_and_industry_word_are_not_a_match(matcher: Matcher, query: str) -> None:
    # Other firms (Lihua Cotton of Xinjiang, Guifaxiang food of Tianjin, a Kuitun textile mill, a
    # Hebei tomato firm with a trade name of its own): the trade name must agree.
    results = matcher.match(query, top_k=1)
    assert not results or results[0].verdict == "clear", results[0].to_dict()
