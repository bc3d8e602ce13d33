"""Traditional to simplified Han characters, with the one OpenCC t2s converter.

Names are compared in simplified characters, so 烏魯木齊 and 乌鲁木齐 are one place. Two readings of
the same conversion: `to_simplified` converts a whole text, as name analysis wants it (OpenCC's
phrase tables may, rarely, change the length), and `to_simplified_aligned` keeps one output
character per input character, so that a span found in its result is a span of the user's text
(the address scanner reports spans).
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _t2s() -> object:
    import opencc  # imported lazily: only texts with Han characters need it

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=100_000)
def to_simplified(text: str) -> str:
    """Traditional (and Hong Kong / Taiwan variant) characters to simplified."""
    if text.isascii():
        return text  # OpenCC maps only CJK characters; most party names never reach it
    converter = _t2s()
    converted: str = converter.convert(text)  # type: ignore[attr-defined]
    return converted


def to_simplified_aligned(text: str) -> str:
    """OpenCC t2s, keeping one output character per input character (spans stay valid)."""
    converter = _t2s()
    out: str = converter.convert(text)  # type: ignore[attr-defined]
    if len(out) == len(text):
        return out
    return "".join(_simplified_char(c) for c in text)


@lru_cache(maxsize=8192)
def _simplified_char(c: str) -> str:
    out: str = _t2s().convert(c)  # type: ignore[attr-defined]
    return out if len(out) == 1 else c
