"""Typo correction of short words: a dropped letter of an industry, organisation or legal-form
word comes back; other words of four or five letters are left as they are."""

from __future__ import annotations

import pytest

from uflpa.names.analyze import correct_word
from uflpa.names.lexicon import lexicon


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
