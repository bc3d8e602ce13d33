"""Places half translated in English names, and the reserve depots of the state cotton reserve."""

from __future__ import annotations

from uflpa.lists.bundled import load_bundled
from uflpa.match import Matcher
from uflpa.names.analyze import analyze


def test_a_lake_county_written_half_in_english_is_the_county() -> None:
    english = analyze("Xinjiang Cotton Industry Group Yuepu Lake Cotton Industry Co., Ltd.")
    chinese = analyze("新疆棉业集团岳普湖棉业有限公司")
    assert "p:yuepuhu" in english.place_set
    assert english.place_set == chinese.place_set
    assert not english.trade  # 'yuepulake' was read as a trade name


def test_one_syllable_before_the_generic_is_not_a_place() -> None:
    assert "p:bohu" not in analyze("Bo Lake Trading Co., Ltd.").place_set


def test_a_reserve_depot_aligns_in_characters_pinyin_and_word_for_word_english() -> None:
    listed = analyze("Hengshui Cotton and Linen Corporation Reserve Library")
    for query in ("衡水棉麻公司储备库", "Hengshui Mianma Gongsi Chubeiku"):
        read = analyze(query)
        assert (read.place_set, read.industry_set) == (listed.place_set, listed.industry_set)


def test_the_half_translated_and_depot_names_are_found() -> None:
    matcher = Matcher([load_bundled()])
    for query, entity in (
        ("新疆棉业集团岳普湖棉业有限公司", "UFLPA-135"),
        ("Hengshui Mianma Gongsi Chubeiku", "UFLPA-047"),
    ):
        best = matcher.match(query)[0]
        assert (best.entity_id, best.verdict) == (entity, "hit"), query
