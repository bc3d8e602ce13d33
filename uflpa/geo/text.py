"""Text normalisation shared by the place index and the scanner.

Offsets matter: every function that rewrites characters keeps one output character per input
character, so a span found in the normalised text is a span of the user's text.

* Latin: each character is folded (NFKC/NFKD, case, diacritics: Ü→u, ı→i); apostrophes vanish
  (Ala'er = Alaer).
* Han: traditional characters are mapped to simplified with OpenCC t2s.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

APOSTROPHES = frozenset("'’‘ʼ`´′")
_DASHES = str.maketrans(dict.fromkeys("—–‐‑‒－﹣", "-"))
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")


@lru_cache(maxsize=4096)
def fold_char(c: str) -> str:
    """The token characters (a-z, 0-9) one input character contributes; '' ends a token."""
    if c.isascii():
        return c.lower() if c.isalnum() else ""
    decomposed = unicodedata.normalize("NFKD", c)
    out = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    out = out.replace("ı", "i")
    return "".join(ch for ch in out if ch.isascii() and ch.isalnum())


def latin_key(text: str) -> str:
    """The compact folded key of a Latin spelling: 'Ku'erle' -> 'kuerle', 'Ürümqi' -> 'urumqi'."""
    return "".join(fold_char(c) for c in text if c not in APOSTROPHES)


@cache
def _t2s() -> object:
    import opencc  # imported lazily: only texts with Han characters need it

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
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


def normalise(text: str) -> str:
    """Width/compatibility forms folded (NFKC, one character each), dashes unified, t2s applied.

    The result has the same length as `text`, so offsets found in it are offsets into `text`.
    """
    if text.isascii():
        return text
    chars = []
    for c in text:
        if c.isascii():
            chars.append(c)
            continue
        n = unicodedata.normalize("NFKC", c)
        chars.append(n if len(n) == 1 else c)
    out = "".join(chars).translate(_DASHES)
    return to_simplified(out) if HAN.search(out) else out


def has_kana(text: str) -> bool:
    return bool(_KANA.search(text))


def has_han(text: str) -> bool:
    return bool(HAN.search(text))
