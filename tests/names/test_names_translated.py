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
        assert en.isascii() and en.isalpha() and en == en.casefold()
        assert all("\u4e00" <= c <= "\u9fff" for c in zh)
