"""Typo correction of short words: a dropped letter of an industry, organisation or legal-form
word comes back; other words of four or five letters are left as they are."""

from __future__ import annotations

import pytest

from uflpa.names.lexicon import lexicon
from uflpa.names.tokens import correct_word


@pytest.mark.parametrize(
    ("word", "expected", "why"),
    [
        ("grup", "group", "a dropped letter of an organisation word"),
        ("grop", "group", "a dropped letter of an organisation word"),
        ("cottn", "cotton", "a dropped letter of an industry word"),
        ("corps", "corps", "an extra letter is more often a plural than a typo (XPCC's Corps)"),
        ("benn", "benn", "place and country names are not targets (Benin)"),
        ("band", "band", "a changed letter at this length is another word (bank)"),
        ("pack", "pack", "a changed letter at this length is another word (park)"),
        ("sino", "sino", "no industry, organisation or legal word is one letter away"),
        ("ltd", "ltd", "three letters are never corrected"),
    ],
)
def test_short_words(word: str, expected: str, why: str) -> None:
    assert correct_word(word, lexicon()) == expected, why


def test_long_words_still_take_one_edit_of_any_vocabulary_word() -> None:
    assert correct_word("technnology", lexicon()) == "technology"
    assert correct_word("xineiang", lexicon()) == "xinjiang"


@pytest.mark.parametrize(
    ("word", "expected", "why"),
    [
        ("rade", "trade", "a dropped first letter of a business word"),
        ("yamqi", "yanqi", "an OCR or neighbouring-key m/n slip in a place name"),
        ("grovp", "group", "an OCR u/v slip in a business word"),
        ("grpup", "group", "a neighbouring-key o/p slip in a five-letter business word"),
        ("hiar", "hair", "two neighbouring letters swapped"),
        ("hold", "hold", "a four-letter neighbouring-key slip is as likely another word"),
        ("camel", "camel", "a changed e/u is neither an OCR nor a neighbouring-key slip (Camul)"),
    ],
)
def test_short_word_slips(word: str, expected: str, why: str) -> None:
    assert correct_word(word, lexicon()) == expected, why


@pytest.mark.parametrize(
    ("name", "trade", "places", "why"),
    [
        ("Hetian Taida Appare1 Co., 1td.", ("taida",), ("p:hetian",), "digit 1 for l (OCR)"),
        ("East Hope Nonferrous rnetals", ("east", "hope"), (), "rn for m (OCR)"),
        ("Aksuu Huafu Textile", ("huafu",), ("p:akesu",), "a doubled letter in a place"),
        ("Heze Cotton adn Linen", (), ("p:heze",), "a slipped 'and' is noise"),
        ("Xinjian Zhongtai Group", ("zhongtai",), ("p:xinjiang",), "head place, dropped letter"),
        ("Xinjinag Zhongtai Group", ("zhongtai",), ("p:xinjiang",), "head place, swapped letters"),
        ("Taicheng Textile", ("taicheng",), (), "pinyin one slip from a city: a trade name"),
        ("Yuanan Shengwu", ("yuanan",), (), "a changed letter at the head is not Yunnan"),
    ],
)
def test_slips_in_names(
    name: str, trade: tuple[str, ...], places: tuple[str, ...], why: str
) -> None:
    from uflpa.names.analyze import analyze

    a = analyze(name)
    assert (a.trade, a.places) == (trade, places), why
