"""Script-independent text normalisation (Unicode, width, case, punctuation)."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"[\s\u00a0\u3000\u200b]+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"'})
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")
_H = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef（）()]"
# Three or more single characters, each on its own between spaces ('新 疆 大 全', as text pulled
# from a PDF or a spreadsheet cell with letter spacing has it); '新疆 大全' is left alone.
_SPACED_HAN = re.compile(rf"(?<!\S){_H}(?: {_H}){{2,}}(?!\S)")


@lru_cache(maxsize=200_000)
def normalize_text(text: str) -> str:
    """NFKC (full-width to half-width), entities unescaped, quotes unified, case folded, spaces
    collapsed. Idempotent, so a name can be normalised at any layer without drift."""
    t = html.unescape(text) if "&" in text else text
    t = unicodedata.normalize("NFKC", t).translate(_QUOTES)
    t = _SPACES.sub(" ", t).strip().casefold()
    if " " in t and not t.isascii() and _HAN.search(t):
        t = _SPACED_HAN.sub(lambda m: m.group().replace(" ", ""), t)
    return unicodedata.normalize("NFKC", t)


def strip_accents(text: str) -> str:
    """Drop combining marks (toned pinyin, Ü) so that 'Hé Shèng' and 'He Sheng' compare equal."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# `str.isascii()` reads a flag CPython keeps on every string: most party names are ASCII, and
# these run several times per name.
def is_han(char: str) -> bool:
    return not char.isascii() and bool(_HAN.match(char))


def has_han(text: str) -> bool:
    return not text.isascii() and bool(_HAN.search(text))


def without_han(text: str) -> str:
    """`text` with each Han character a space: its Latin words, never Han romanised."""
    return text if text.isascii() else _HAN.sub(" ", text)


def han_share(text: str) -> float:
    """Share of Han characters among the letters of `text` (0 for a Latin name)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if is_han(c)) / len(letters)
