"""The everyday-English-word test: its bundled list, and what it says of list and foreign names."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from uflpa.lists.bundled import load_bundled
from uflpa.match.matcher import Matcher
from uflpa.names.common_words import common_english, is_common_english

ROOT = Path(__file__).resolve().parents[2]


def test_the_bundled_list_is_what_the_pinned_wordfreq_gives() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        spec = importlib.util.spec_from_file_location(
            "make_common_english", ROOT / "scripts" / "make_common_english.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    assert module.main(["--check"]) == 0


@pytest.mark.parametrize("word", ["union", "apex", "synergy", "sunshine", "camel", "pacific"])
def test_everyday_words(word: str) -> None:
    assert is_common_english(word)


@pytest.mark.parametrize("word", ["hoshine", "ninestar", "huafu", "geehy", "esquel", "tianmian"])
def test_coined_and_pinyin_trade_names_are_not(word: str) -> None:
    assert not is_common_english(word)


def test_the_list_holds_only_folded_letters() -> None:
    words = common_english()
    assert len(words) > 20_000
    assert all(w.isascii() and w.isalpha() and w == w.casefold() and len(w) >= 3 for w in words)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher([load_bundled()])


@pytest.mark.parametrize(
    "name", ["Union Pacific Railroad Company", "Apex Tool Group, LLC", "Synergy Flavors, Inc."]
)
def test_a_foreign_firm_sharing_an_everyday_word_with_a_listed_trade_name_is_clear(
    matcher: Matcher, name: str
) -> None:
    [top] = matcher.match(name, top_k=1) or [None]
    assert top is None or top.verdict == "clear"


@pytest.mark.parametrize(
    ("name", "entity_id"),
    [
        # In a Chinese form the same word is a trade name: a sister firm, for a person to see.
        ("Jiangsu Union Biotechnology Co., Ltd.", "UFLPA-075"),
        ("Beijing Apex Microelectronics Co., Ltd.", "UFLPA-024"),
    ],
)
def test_a_chinese_form_sharing_the_word_is_still_looked_at(
    matcher: Matcher, name: str, entity_id: str
) -> None:
    [top] = matcher.match(name, top_k=1)
    assert top.entity_id == entity_id and top.verdict in ("review", "hit")
