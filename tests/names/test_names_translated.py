"""Translated trade names: listed English names rewritten with the Chinese words they translate."""

from __future__ import annotations

import pytest

from uflpa.names.analyze import analyze
from uflpa.names.translated import translated_form, translated_words


@pytest.mark.parametrize(
    ("listed", "chinese"),
    [
        ("Xinjiang East Hope Nonferrous Metals Co., Ltd.", "新疆东方希望有色金属有限公司"),
        ("Western Gold Hami Gold Mine Co., Ltd.", "西部黄金哈密金矿有限责任公司"),
        ("Shihezi Standard Fiber Co., Ltd.", "石河子标准纤维有限公司"),
    ],
)
def test_translated_form_aligns_with_the_chinese_name(listed: str, chinese: str) -> None:
    form = translated_form(listed)
    assert form is not None
    assert analyze(form).trade_key == analyze(chinese).trade_key
    assert analyze(form).place_set == analyze(chinese).place_set


def test_adjacent_translated_words_join_into_one_chinese_run() -> None:
    assert translated_form("East Hope Group") == "东方希望 Group"


@pytest.mark.parametrize(
    "name",
    ["Aksu Huafu Textiles Co., Ltd.", "新疆东方希望有色金属有限公司", "Eastern Star Trading", ""],
)
def test_names_without_translated_trade_words_get_no_form(name: str) -> None:
    assert translated_form(name) is None


def test_the_table_is_english_word_to_han() -> None:
    table = translated_words()
    assert table
    for en, zh in table.items():
        # one word, or a group's name of several ('china cotton group')
        assert en.isascii() and all(w.isalpha() for w in en.split()) and en == en.casefold()
        assert all("\u4e00" <= c <= "\u9fff" for c in zh)


def test_a_group_brand_learnt_from_one_firm_finds_a_sister_firm_without_a_chinese_name() -> None:
    # Ninestar = 纳思达 is sourced for Ninestar Corporation only; Zhuhai Ninestar Management has no
    # Chinese name in the table, so its Chinese and pinyin names need the brand's translation.
    form = translated_form("Zhuhai Ninestar Management Co., Ltd.")
    assert form == "Zhuhai 纳思达 Management Co., Ltd."
    assert analyze(form).trade_key == analyze("珠海纳思达管理有限公司").trade_key


def test_every_brand_pairing_is_the_trade_name_of_a_sourced_chinese_name() -> None:
    from uflpa.reference.names_zh import chinese_names

    sourced = {n.name_zh for names in chinese_names().values() for n in names}
    brands = {"ninestar", "esquel", "hoshine", "daqo", "joinworld", "bitland", "seine"}
    brands |= {"pantum", "apex", "geehy", "synear", "septwolves", "goens"}
    table = translated_words()
    for brand in brands:
        assert any(table[brand] in name for name in sourced), brand


def test_a_group_name_of_several_words_is_rewritten_as_one_phrase() -> None:
    # China Cotton Group = 中棉集团 is sourced for UFLPA-043 only; its Henan logistics park has no
    # Chinese name in the table, and no word of 'China Cotton Group' is a trade word on its own.
    form = translated_form("China Cotton Group Shandong Logistics Park Co., Ltd.")
    assert form == "中棉集团 Shandong Logistics Park Co., Ltd."
    assert analyze(form).trade == analyze("中棉集团山东物流园有限公司").trade == ("zhongmian",)
