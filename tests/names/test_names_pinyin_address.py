"""An address written in pinyin after a name is cut off (issue 18), and the pinyin of a name is
not: a name has unit-like syllables too (发饰 Fa Shi, 绿洲 Lv Zhou), so only text that reads as
an address to its end, and says so, is cut."""

from __future__ import annotations

import pytest

from uflpa.names.analyze import analyze
from uflpa.names.lexicon import lexicon
from uflpa.names.pinyin_address import address_words, pinyin_address_start


@pytest.mark.parametrize(
    ("text", "name", "address"),
    [
        (
            "Xinjiang Zhongtai Chemical Co., Ltd. Wulumuqi Shi Shuimogou Qu Nanhu Lu 88 Hao",
            "xinjiang zhongtai chemical co., ltd.",
            "wulumuqi shi shuimogou qu nanhu lu 88 hao",
        ),
        (
            "XINJIANG ZHONGTAI CHEMICAL CO LTD KASHI DIQU SHUFU XIAN",
            "xinjiang zhongtai chemical co ltd",
            "kashi diqu shufu xian",
        ),
        (
            "Xinjiang Zhongtai Chemical Co., Ltd., Xinjiang Weiwuer Zizhiqu Changji Zhou",
            "xinjiang zhongtai chemical co., ltd.",
            "xinjiang weiwuer zizhiqu changji zhou",
        ),
        (
            "Esquel Group Yili Hasake Zizhizhou Fuhai Xian",  # no legal form: the name ends first
            "esquel group",
            "yili hasake zizhizhou fuhai xian",
        ),
        (
            "Lop County Hair Product Industrial Park Wu'erhe Qu Dongcheng Zhen Jingji Kaifaqu",
            "lop county hair product industrial park",
            "wu'erhe qu dongcheng zhen jingji kaifaqu",
        ),
        (
            # The country and a postcode end it; 'No.' before a number; Uygur in English spelling.
            "Esquel Group Changji Shi Yan'an Lu No. 18, China",
            "esquel group",
            "changji shi yan'an lu no. 18, china",
        ),
        (
            "Xinjiang Zhongtai Chemical Co., Ltd. Xinjiang Uygur Zizhiqu Changji Zhou 831100 PRC",
            "xinjiang zhongtai chemical co., ltd.",
            "xinjiang uygur zizhiqu changji zhou 831100 prc",
        ),
        (
            # Words of the name after its legal form stay in the name ('Reserve Library').
            "Hengshui Cotton and Linen Corporation Reserve Library Changji Shi Tianshan Lu 5 Hao",
            "hengshui cotton and linen corporation reserve library",
            "changji shi tianshan lu 5 hao",
        ),
    ],
)
def test_an_address_in_pinyin_is_cut_off(text: str, name: str, address: str) -> None:
    got = analyze(text)
    assert (got.name, got.address) == (name, address)
    assert any(r.startswith("address in pinyin cut off: ") for r in got.readings)


@pytest.mark.parametrize(
    "text",
    [
        "Hotan Haolin Fa Shi",  # 发饰 hair accessories: 'shi' after a syllable of the name
        "Xinjiang Lv Zhou Trading Co., Ltd.",  # 绿洲 oasis, and English after it
        "Xinjiang Tianshan Qu Hongxing Textile Co., Ltd.",  # the name goes on after the unit
        "Xinjiang Weiwuer Zizhiqu Changji Zhou",  # only an address: no name would be left
        "Xinjiang Hua Lu",  # one street word after a syllable says nothing
        "Zhongtai Haoyuan Hao",  # 'hao' is a number word only after a number
        "Xinjiang Zhongtai Chemical China",  # a country alone is no address in pinyin
    ],
)
def test_the_pinyin_of_a_name_is_not_an_address(text: str) -> None:
    got = analyze(text)
    assert got.address == ""
    assert got.readings == ()


def test_the_start_is_where_the_address_begins() -> None:
    text = "zhongtai chemical kashi diqu shufu xian"
    assert pinyin_address_start(text, lexicon()) == text.index("kashi")
    # After the legal form the address may take the whole text; elsewhere a name must precede it.
    assert pinyin_address_start("kashi diqu shufu xian", lexicon(), after_legal=True) == 0
    assert pinyin_address_start("kashi diqu shufu xian", lexicon()) is None


def test_every_address_word_has_a_known_kind() -> None:
    kinds = set(address_words().kinds.values())
    assert kinds <= {
        "unit", "region", "province", "street", "zone", "descriptor", "ethnic", "number"
    }  # fmt: skip
    assert address_words().closes("xian") and not address_words().closes("huizu")


def test_a_place_in_brackets_is_said_to_be_read_as_the_names_place() -> None:
    got = analyze("Zhongtai (Xinjiang) Chemical Co., Ltd.")
    assert "p:xinjiang" in got.places
    assert got.readings == ("place in brackets read as the name's place: 'xinjiang'",)
    assert analyze("Zhongtai（Xinjiang）Chemical Co., Ltd.").readings == got.readings
    assert analyze("Zhongtai [Xinjiang] Chemical Co., Ltd.").readings == got.readings
    # After the legal form the bracketed place is cut off with the address, and still said.
    after = analyze("Zongheng Cotton Industry Co., Ltd. (Kuqa)")
    assert after.readings == ("place in brackets read as the name's place: 'kuqa'",)
    assert analyze("Huafu (China) Co., Ltd.").readings == ()  # a country, not a place
    assert analyze("Kashgar Construction Engineering (Group) Co., Ltd.").readings == ()


def test_pinyin_words_of_a_name_before_sheng_are_not_a_province() -> None:
    # 维益康生物 in spaced pinyin: 'sheng' is 生 here. Every province is a known place, so the
    # unknown words before it cannot name one; after a province it is still an address.
    short = analyze("Wei Yi Kang Sheng Wu")
    assert short.address == ""
    assert short.trade == ("weiyikang",)
    assert analyze("ABC Co Ltd Anhui Sheng Hefei Shi").address == "anhui sheng hefei shi"
