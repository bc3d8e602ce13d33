"""Han to pinyin: the per-word reading must give exactly what pypinyin gives for the whole text."""

from __future__ import annotations

import csv
import io
from importlib import resources

from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin

from uflpa.names.chinese import fold_syllable, han_syllables

# Polyphones whose reading depends on the word they are in, the words that decide it, and the
# other characters a name mixes in (Latin, digits, brackets, spaces).
ALPHABET = list(
    "行长重银乐和得了都大会为朝调差曾解单传藏发还庆沙业音新疆华孚硅盛中泰化学 -()（）ab1"
)
WORDS = ["重庆", "长沙", "银行", "行业", "音乐", "发行", "调查", "传奇", "还原", "单县", "曾经"]


def reference(text: str) -> tuple[str, ...]:
    """pypinyin's reading of the whole text, folded as uflpa folds a syllable."""
    return tuple(
        fold_syllable(s) for s in lazy_pinyin(text, style=Style.NORMAL, errors="ignore") if s
    )


@given(st.lists(st.one_of(st.sampled_from(ALPHABET), st.sampled_from(WORDS)), max_size=14))
@settings(max_examples=400)
def test_reading_word_by_word_equals_pypinyin_on_the_whole_text(parts: list[str]) -> None:
    text = "".join(parts)
    assert han_syllables(text) == reference(text)


def test_polyphones_are_read_by_their_word() -> None:
    assert han_syllables("重庆银行") == ("chong", "qing", "yin", "hang")
    assert han_syllables("长沙重工") == ("chang", "sha", "zhong", "gong")
    assert han_syllables("绿洲") == ("lu", "zhou")


def test_every_chinese_name_in_the_bundled_data_reads_as_pypinyin_reads_it() -> None:
    texts: list[str] = []
    for name in ("uflpa_names_zh.csv", "xinjiang_places.csv"):
        text = resources.files("uflpa.data").joinpath(name).read_text(encoding="utf-8")
        texts += [value for row in csv.reader(io.StringIO(text)) for value in row]
    han = [t for t in texts if any("\u4e00" <= ch <= "\u9fff" for ch in t)]
    assert len(han) > 200
    assert [han_syllables(t) for t in han] == [reference(t) for t in han]


def test_a_name_in_characters_has_no_slipped_keys() -> None:
    from uflpa.names.analyze import analyze
    from uflpa.scoring.features import trade_name_similarity

    listed = analyze("Xinjiang Zhongtai Chemical Co. Ltd.")
    # Typed in pinyin, a dropped z may be a slip; written in characters, 宏泰 is another name.
    assert trade_name_similarity(analyze("Xinjiang Hongtai Chemical"), listed) > 0.8
    assert trade_name_similarity(analyze("新疆宏泰化学有限公司"), listed) <= 0.5
    assert trade_name_similarity(analyze("天津和恒实业"), analyze("合盛硅业")) <= 0.5
    # An input method's homophone reads the same: still alike.
    assert trade_name_similarity(analyze("和盛硅业"), analyze("合盛硅业")) == 1.0
