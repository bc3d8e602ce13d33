"""Another firm that carries a listed firm's name: a lead for review, never a hit."""

from __future__ import annotations

import pytest

from uflpa.lists.bundled import load_bundled
from uflpa.match import Matcher


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher([load_bundled()])


def top(matcher: Matcher, name: str) -> tuple[str, str, tuple[str, ...]]:
    best = matcher.match(name)[0]
    return best.entity_id, best.verdict, tuple(best.evidence["qualifiers"])


def test_the_parents_registered_name_is_not_the_plant_that_shares_its_short_name(
    matcher: Matcher,
) -> None:
    # 合盛硅业 is the short name of both; the plant's registered name is 合盛硅业（鄯善）有限公司.
    assert top(matcher, "合盛硅业股份有限公司") == (
        "UFLPA-012",
        "review",
        ("registered_name_differs",),
    )
    assert top(matcher, "合盛硅业（鄯善）有限公司")[:2] == ("UFLPA-012", "hit")
    assert top(matcher, "合盛硅业")[:2] == ("UFLPA-012", "hit")


def test_a_registered_name_in_another_legal_form_is_still_the_listed_firm(
    matcher: Matcher,
) -> None:
    # 特变电工股份有限公司 is TBEA's registered name; 有限公司 instead changes only the legal form.
    assert top(matcher, "特变电工有限公司")[:2] == ("UFLPA-152", "hit")


def test_a_group_name_with_a_business_added_is_a_firm_of_the_group(matcher: Matcher) -> None:
    assert top(matcher, "新疆中泰纺织集团有限公司") == ("UFLPA-035", "review", ("group_member",))
    assert top(matcher, "Xinjiang Zhongtai Group Co Ltd")[:2] == ("UFLPA-035", "hit")


def test_the_chinese_words_of_a_translated_form_are_not_the_whole_name(matcher: Matcher) -> None:
    # 'Xinjiang 东方希望 Nonferrous Metals' is derived for Chinese and pinyin queries; its Han part
    # is the trade name only, so the group 东方希望集团 is no exact Chinese-name hit on it.
    entity, verdict, _ = top(matcher, "东方希望集团有限公司")
    assert (entity, verdict) == ("UFLPA-010", "review")
    assert top(matcher, "新疆东方希望有色金属有限公司")[:2] == ("UFLPA-010", "hit")
