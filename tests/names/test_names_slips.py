"""What a slip is, and the deletion index that finds a word's slips among many words."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from uflpa.names.slips import DeletionIndex, slip_alike, slip_kind

WORDS = st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=9)


def test_slip_alike() -> None:
    assert slip_alike("taifa", "taida")  # d/f neighbouring keys
    assert slip_alike("chengvang", "chenguang")  # u/v OCR
    assert slip_alike("xinjian", "xinjiang")  # dropped letter
    assert not slip_alike("xin", "min")  # x and m: another character
    assert not slip_alike("de", "da")  # a and e are not neighbours


@given(WORDS, st.lists(WORDS, max_size=30))
def test_index_finds_exactly_the_words_one_edit_away(word: str, words: list[str]) -> None:
    index = DeletionIndex(words)
    expected = sorted({w for w in words if slip_kind(word, w) is not None})
    assert [target for target, _ in index.near(word)] == expected
