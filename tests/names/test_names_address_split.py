"""What follows a legal form is cut off as an address when it reads as one, and kept when it is
part of the name (a branch)."""

from __future__ import annotations

import pytest

from uflpa.names.analyze import analyze


@pytest.mark.parametrize(
    ("text", "name", "address"),
    [
        (
            "Xinjiang Daqo New Energy Co., Ltd., Room 1201, Pudong New Area, Shanghai",
            "xinjiang daqo new energy co., ltd.",
            "room 1201, pudong new area, shanghai",
        ),
        (
            "Hetian Taida Apparel Co., Ltd. BINHAI NEW AREA, TIANJIN 300450",
            "hetian taida apparel co., ltd.",
            "binhai new area, tianjin 300450",
        ),
        (
            "Esquel Group, Room 1201, Pudong New Area, Shanghai",
            "esquel group",
            "room 1201, pudong new area, shanghai",
        ),
        (
            "Esquel Group BINHAI NEW AREA, TIANJIN 300450",
            "esquel group",
            "binhai new area, tianjin 300450",
        ),
        (
            "Aksu Huafu Color Spinning XIANGZHOU DISTRICT, ZHUHAI, GUANGDONG 519060, CHINA",
            "aksu huafu color spinning",
            "xiangzhou district, zhuhai, guangdong 519060, china",
        ),
        (
            "Zhuhai Ninestar Management Co., Ltd. 88 Jinhai Road, Zhuhai",
            "zhuhai ninestar management co., ltd.",
            "88 jinhai road, zhuhai",
        ),
    ],
)
def test_an_address_after_the_legal_form_is_cut(text: str, name: str, address: str) -> None:
    a = analyze(text)
    assert (a.name, a.address) == (name, address)


def test_a_county_heading_the_name_is_not_an_address() -> None:
    a = analyze("Lop County Hair Product Industrial Park, Xinjiang")
    assert a.name.startswith("lop county hair product")


def test_a_branch_after_the_legal_form_stays_in_the_name() -> None:
    a = analyze("China Cotton Group Henan Logistics Park Co., Ltd., Xinye Branch")
    assert a.address == ""


@pytest.mark.parametrize(
    ("text", "name", "address"),
    [
        ("新疆天业股份有限公司石河子市北三路8号", "新疆天业股份有限公司", "石河子市北三路8号"),
        ("昌吉溢达上海市浦东新区张江路88号", "昌吉溢达", "上海市浦东新区张江路88号"),
    ],
)
def test_a_chinese_address_right_after_a_chinese_name_is_cut(
    text: str, name: str, address: str
) -> None:
    a = analyze(text)
    assert (a.name, a.address) == (name, address)


@pytest.mark.parametrize(
    "text",
    [
        "宝钢集团新疆八一钢铁有限公司",  # a place inside the name, no street after it
        "中国棉花集团河南物流园有限公司新野分公司",  # a branch after the legal form
        "上海市浦东新区张江路88号",  # an address alone: nothing before it to be a name
    ],
)
def test_what_is_not_a_chinese_address_after_a_name(text: str) -> None:
    assert analyze(text).address == ""
