"""A county or city the place tables do not know is still a place, in every script."""

from __future__ import annotations

import pytest

from uflpa.names.analyze import analyze

FORMS = [
    "Linxi County Fangpei Cotton Buying and Selling Co., Ltd.",
    "临西县方培棉花购销有限公司",
    "Linxi Xian Fangpei Mianhua Gouxiao Youxian Gongsi",
]


@pytest.mark.parametrize("name", FORMS)
def test_an_unknown_county_is_a_place_not_a_trade_name(name: str) -> None:
    a = analyze(name)
    assert a.places == ("p:linxi",)
    assert a.trade == ("fangpei",)
    assert set(a.industries) == {"cotton", "trade"}  # 棉花购销, cotton buying and selling


def test_another_county_gives_another_place() -> None:
    assert analyze("Mingxi County Fangpei Cotton Buying and Selling").places == ("p:mingxi",)


@pytest.mark.parametrize(
    ("name", "trade", "why"),
    [
        ("Garden City Textile Co", ("garden", "city"), "an English word before City"),
        ("Guanghui Shipin (Wulumuqi) Co", ("guanghui",), "shi runs on into shipin (食品)"),
    ],
)
def test_what_is_not_an_unknown_place(name: str, trade: tuple[str, ...], why: str) -> None:
    assert analyze(name).trade == trade, why


def test_a_separate_shi_only_makes_a_city_at_the_head() -> None:
    assert "p:huaxian" not in analyze("Jinan Huaxian Shi Foods").places


def test_a_known_county_keeps_its_own_key() -> None:
    assert analyze("Shaya County Huayi Cotton").places == ("p:shaya",)
