"""Traditional to simplified Han characters, with the one OpenCC t2s converter.

Names are compared in simplified characters, so 烏魯木齊 and 乌鲁木齐 are one place. Two readings of
the same conversion: `to_simplified` converts a whole text, as name analysis wants it (OpenCC's
phrase tables may, rarely, change the length), and `to_simplified_aligned` keeps one output
character per input character, so that a span found in its result is a span of the user's text
(the address scanner reports spans).
"""

from __future__ import annotations

from functools import lru_cache

# Characters that OpenCC t2s keeps because they are valid simplified characters too, but that
# Taiwan and Hong Kong write where the mainland writes another one in the same word: 矽 is
# silicon in Taiwan (合盛矽業 = 合盛硅业), 硅 on the mainland. One character each, so that spans of
# the aligned conversion stay valid. (OpenCC's tw2sp would do this and more, but its phrase table
# also rewrites proper names: 塔吉克 becomes 塔吉克斯坦 inside 塔什库尔干塔吉克自治县.)
_REGIONAL_CHARACTERS = str.maketrans({"矽": "硅"})


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
    return converted.translate(_REGIONAL_CHARACTERS)


def to_simplified_aligned(text: str) -> str:
    """OpenCC t2s, keeping one output character per input character (spans stay valid)."""
    converter = _t2s()
    out: str = converter.convert(text)  # type: ignore[attr-defined]
    if len(out) == len(text):
        return out.translate(_REGIONAL_CHARACTERS)
    return "".join(_simplified_char(c) for c in text)


@lru_cache(maxsize=8192)
def _simplified_char(c: str) -> str:
    out: str = _t2s().convert(c)  # type: ignore[attr-defined]
    return out.translate(_REGIONAL_CHARACTERS) if len(out) == 1 else c
