"""A hostile word must cost linear time and memory: the pinyin segmenter once kept a copy of the
best cut of every prefix (quadratic memory), and a 50,000-letter word took gigabytes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.bounded import run_bounded
from uflpa.names.chinese import segment_pinyin, syllable_inventory

#: Address space the child process may use: the interpreter, pypinyin and rigour need about
#: 300 MB; the quadratic segmenter needed about 10 GB for 50,000 letters.


def test_a_50000_letter_word_is_segmented_in_bounded_memory() -> None:
    out = run_bounded(
        """
        from uflpa.names.chinese import segment_pinyin
        print(len(segment_pinyin("a" * 50_000)), segment_pinyin("x" * 50_000))
        print(len(segment_pinyin("zhuang" * 10_000)))
        """
    )
    assert out.split() == ["50000", "None", "10000"]


def test_a_name_of_one_50000_letter_word_is_analysed_in_bounded_memory() -> None:
    out = run_bounded(
        """
        import random
        from uflpa.names.analyze import analyze
        print(len(analyze("a" * 50_000 + " Co Ltd").trade_key))
        # Distinct letters: each one-letter deletion is another 50,000-letter string.
        pick = random.Random(19).choice
        word = "".join(pick("abcdefghijklmnopqrstuvwxyz") for _ in range(50_000))
        print(len(analyze(word).trade_key))
        """
    )
    assert [int(n) for n in out.split()] == [50_000, 50_000]


def _reference(word: str) -> list[str] | None:
    """The former segmenter: the fewest syllables, the first such cut found on a tie."""
    inventory = syllable_inventory()
    n = len(word)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(n):
        prefix = best[i]
        if prefix is None:
            continue
        for j in range(min(n, i + 6), i, -1):
            piece = word[i:j]
            if piece in inventory:
                candidate = [*prefix, piece]
                current = best[j]
                if current is None or len(candidate) < len(current):
                    best[j] = candidate
    return best[n] if n else None


SYLLABLES = sorted(syllable_inventory())


@given(st.lists(st.sampled_from([*SYLLABLES[:60], "a", "n", "g", "e", "r", "x"]), max_size=12))
@settings(max_examples=400)
def test_the_linear_segmenter_cuts_exactly_as_the_former_one(parts: list[str]) -> None:
    word = "".join(parts)
    expected = _reference(word)
    got = segment_pinyin(word)
    assert got == (tuple(expected) if expected is not None else None)
