"""Word-by-word alignment of a Chinese or pinyin name with an English one, and the bilingual
lexicon behind it (issue 18, point 2)."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from uflpa.names.alignment import aligned_pairs, chinese_form, name_parts
from uflpa.names.analyze import analyze
from uflpa.names.chinese import han_syllables
from uflpa.names.lexicon import lexicon

LISTED = "Xinjiang Tianmian Foundation Textile Co., Ltd."


def _rows(name: str) -> list[dict[str, object]]:
    text = resources.files("uflpa.data").joinpath("names").joinpath(name).read_text("utf-8")
    rows: list[dict[str, object]] = yaml.safe_load(text)
    return rows


def test_a_chinese_name_aligns_with_its_english_name_part_by_part() -> None:
    assert aligned_pairs("新疆天棉基业纺织有限公司", LISTED) == {
        "pairs": [
            {"query": "新疆", "candidate": "Xinjiang", "kind": "place", "how": "place name"},
            {"query": "天棉", "candidate": "Tianmian", "kind": "trade name", "how": "pinyin"},
            {
                "query": "基业",
                "candidate": "Foundation",
                "kind": "industry word",
                "how": "lexicon: 基业 = foundation",
            },
            {
                "query": "纺织",
                "candidate": "Textile",
                "kind": "industry word",
                "how": "lexicon: 纺织 = textile",
            },
        ]
    }


def test_pinyin_industry_words_are_shown_with_their_characters() -> None:
    pairs = aligned_pairs("Xinjiang Tianmian Jiye Fangzhi", LISTED)["pairs"]
    assert isinstance(pairs, list)
    assert [(p["query"], p["candidate"], p["how"]) for p in pairs] == [
        ("Xinjiang", "Xinjiang", "place name"),
        ("Tianmian", "Tianmian", "same spelling"),
        ("Jiye", "Foundation", "lexicon: 基业 = foundation"),
        ("Fangzhi", "Textile", "lexicon: 纺织 = textile"),
    ]


def test_traditional_characters_are_shown_as_written_and_what_is_left_is_said() -> None:
    out = aligned_pairs("新疆天棉紡織", LISTED)
    pairs = out["pairs"]
    assert isinstance(pairs, list)
    assert [p["query"] for p in pairs] == ["新疆", "天棉", "紡織"]
    assert out["unaligned"] == {"query": [], "candidate": ["Foundation"]}


def test_another_trade_name_is_left_unaligned() -> None:
    out = aligned_pairs("新疆利华棉业股份有限公司", "Xinjiang Shengfu Cotton Industry Co., Ltd.")
    pairs = out["pairs"]
    assert isinstance(pairs, list)
    assert "trade name" not in {p["kind"] for p in pairs}
    assert out["unaligned"] == {"query": ["利华"], "candidate": ["Shengfu"]}


@pytest.mark.parametrize(
    ("name", "expected"),
    [("天威食品", True), ("Tian Wei Shi Pin", True), ("TIANWEISHIPIN", True),
     ("Tianwei Food", False), ("Tianjin Tianwei Food Co., Ltd.", False)],
)  # fmt: skip
def test_a_chinese_form_is_characters_or_wholly_pinyin(name: str, expected: bool) -> None:
    assert chinese_form(name) is expected


@pytest.mark.parametrize(
    ("name", "trade"),
    [("天棉纺织", "tianmian"), ("豫棉物流", "yumian"), ("红棉物流", "hongmian"),
     ("新疆天棉基业纺织", "tianmian"), ("Tianmian Jiye Fangzhi", "tianmian"),
     ("舞钢中昌物流", "zhongchang"), ("Xin Jiang Sheng Fu Mian Ye", "shengfu")],
)  # fmt: skip
def test_industry_words_and_places_leave_the_trade_name_whole(name: str, trade: str) -> None:
    # A trade name ending in 棉 keeps it (棉纺织 is not in the lexicon); a county heading a name is
    # a place; 'Sheng' after Xinjiang (an autonomous region, never 省) starts the trade name.
    assert analyze(name).trade == (trade,)


def test_every_business_lexicon_row_says_why_and_adds_a_word() -> None:
    known = {zh for row in _rows("industry_words.yml") for zh in row.get("zh", [])}  # type: ignore[attr-defined]
    lex = lexicon()
    for row in _rows("business_lexicon.yml"):
        assert str(row.get("why", "")).strip(), row
        assert row["concepts"], row
        for zh in row.get("zh", []):  # type: ignore[attr-defined]
            # A word industry_words.yml has would be silently ignored here.
            assert zh not in known, zh
            assert lex.han[zh].concepts == tuple(row["concepts"]), zh  # type: ignore[arg-type]
            if len(zh) >= 2:
                assert lex.latin[han_syllables(zh)].category == "industry", zh


def test_name_parts_leave_out_legal_forms_and_addresses() -> None:
    parts = name_parts("Xinjiang Tianmian Foundation Textile Co., Ltd., No. 8 Beijing Road")
    assert [p[0] for p in parts] == ["place", "trade", "industry", "industry"]
