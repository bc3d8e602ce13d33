"""Properties of name analysis and scoring (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from uflpa.identifiers import parse_uscc, uscc_check_char
from uflpa.match.matcher import compare
from uflpa.names.analyze import analyze
from uflpa.names.chinese import han_syllables, segment_pinyin
from uflpa.text.han import to_simplified
from uflpa.text.normalize import normalize_text

names = st.text(
    alphabet=st.sampled_from(list("abcXYZ ,.()（）-&'有限公司新疆華孚硅業 ÜéAaBb12")), max_size=40
)
PAIRS = [
    ("新疆生產建設兵團", "新疆生产建设兵团"),
    ("華孚時尚", "华孚时尚"),
    ("合盛硅業", "合盛硅业"),
]


@given(names)
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(names, names)
@settings(max_examples=150)
def test_scores_lie_in_unit_interval(a: str, b: str) -> None:
    result = compare(a, b)
    assert 0.0 <= result.score <= 1.0
    assert result.verdict in {"hit", "review", "clear"}


def test_traditional_and_simplified_give_equal_keys() -> None:
    for trad, simp in PAIRS:
        assert to_simplified(trad) == simp
        ta, sa = analyze(trad), analyze(simp)
        assert (ta.han_core, ta.trade, ta.places, ta.industries) == (
            sa.han_core,
            sa.trade,
            sa.places,
            sa.industries,
        )


@given(st.sampled_from(["华孚时尚", "合盛硅业", "大全新能源", "中泰化学", "卓万服饰制造"]))
def test_spaced_joined_and_toned_pinyin_give_equal_keys(han: str) -> None:
    syllables = han_syllables(han)
    spaced = " ".join(syllables)
    joined = "".join(syllables)
    upper = joined.upper()
    keys = {(analyze(f).trade, analyze(f).industries) for f in (spaced, joined, upper)}
    assert len(keys) == 1
    assert analyze("Hé Shèng Guī Yè").trade == analyze("He Sheng Gui Ye").trade


def test_pinyin_segmentation() -> None:
    assert segment_pinyin("huafushishang") == ("hua", "fu", "shi", "shang")
    assert segment_pinyin("xi'an") == ("xi", "an")
    assert segment_pinyin("hoshine") is None


def test_uscc_check_character_and_xinjiang_region() -> None:
    body = "91650100MA77ABCD1"
    code = body + uscc_check_char(body)
    parsed = parse_uscc(code)
    assert parsed is not None and parsed.valid and parsed.xinjiang
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    bad = parse_uscc(wrong)
    assert bad is not None and not bad.valid
    assert parse_uscc("not a code") is None
