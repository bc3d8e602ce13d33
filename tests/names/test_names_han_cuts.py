"""Chinese names as data pipelines mangle them: cut off inside the legal form by a field limit
(新疆大全新能源股份有), or spelled out one character at a time with spaces between (新 疆 大 全),
as text pulled from a PDF or a letter-spaced cell is."""

from __future__ import annotations

import pytest

from uflpa.lists.bundled import load_bundled
from uflpa.match import Matcher
from uflpa.names.analyze import analyze
from uflpa.text.normalize import normalize_text


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher([load_bundled()])


@pytest.mark.parametrize(
    ("cut", "whole"),
    [
        ("新疆大全新能源股份有", "新疆大全新能源股份有限公司"),
        ("新疆大全新能源股份有限公", "新疆大全新能源股份有限公司"),
        ("新疆中泰(集团)有限责任", "新疆中泰(集团)有限责任公司"),
        ("昌吉溢达纺织有限", "昌吉溢达纺织有限公司"),
        # One character is a cut after an industry word or a bracket…
        ("昌吉溢达纺织有", "昌吉溢达纺织有限公司"),
        ("合盛硅业(鄯善)有", "合盛硅业(鄯善)有限公司"),
        ("今创集团股份有", "今创集团股份有限公司"),
    ],
)
def test_a_legal_form_cut_short_is_still_a_legal_form(cut: str, whole: str) -> None:
    assert analyze(cut).han_core == analyze(whole).han_core
    assert analyze(cut).trade == analyze(whole).trade


def test_one_character_after_a_trade_name_is_part_of_it() -> None:
    # …but after a trade name it can be the name's own last character (万有 = Wanyou).
    assert analyze("上海万有").han_core == "上海万有"
    assert analyze("上海万有有限公司").han_core == "上海万有"


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("新 疆 大 全 新 能 源 股 份 有 限 公 司", "新疆大全新能源股份有限公司"),
        ("合 盛 硅 业 （ 鄯 善 ） 有 限 公 司", "合盛硅业(鄯善)有限公司"),
        ("Hoshine 合 盛 硅 业 Co", "hoshine 合盛硅业 co"),
        ("新疆 大全", "新疆 大全"),  # words, not letter spacing
        ("新 疆 大全", "新 疆 大全"),  # two single characters are not enough to tell
    ],
)
def test_letter_spaced_chinese_is_joined(text: str, normalised: str) -> None:
    assert normalize_text(text) == normalised
    assert normalize_text(normalised) == normalised


@pytest.mark.parametrize(
    ("query", "entity"),
    [
        ("新疆大全新能源股份有", "UFLPA-009"),
        ("合盛硅业（鄯善）有", "UFLPA-012"),
        ("新 疆 大 全 新 能 源 股 份 有 限 公 司", "UFLPA-009"),
        ("昌 吉 溢 達 紡 織 有 限 公 司", "UFLPA-002"),
    ],
)
def test_mangled_chinese_names_are_hits(matcher: Matcher, query: str, entity: str) -> None:
    top = matcher.match(query)[0]
    assert (top.entity_id, top.verdict) == (entity, "hit")
