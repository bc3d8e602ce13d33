"""Text normalisation: the forms in which names and addresses are compared.

Two kinds, for two jobs:

* `normalize_text` (names): width, entities, quotes, case and spaces unified; idempotent, so a
  name can be normalised at any layer without drift. `strip_accents` then drops diacritics.
* `normalise` (addresses): offsets matter, so every rewritten character stays one character and
  a span found in the result is a span of the user's text; Latin is then read per character
  with `fold_char` (NFKC/NFKD, case, diacritics: Ü→u, ı→i; apostrophes vanish, Ala'er = Alaer),
  and Han in simplified characters (OpenCC t2s).
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from uflpa.text.han import to_simplified_aligned
from uflpa.text.script import HAN_CHARS, has_han

APOSTROPHES = frozenset("'’‘ʼ`´′")
_DASHES = str.maketrans(dict.fromkeys("—–‐‑‒－﹣", "-"))
_SPACES = re.compile(r"[\s\u00a0\u3000\u200b]+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"'})
_H = f"[{HAN_CHARS}（）()]"
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
    if " " in t and has_han(t):
        t = _SPACED_HAN.sub(lambda m: m.group().replace(" ", ""), t)
    return unicodedata.normalize("NFKC", t)


def strip_accents(text: str) -> str:
    """Drop combining marks (toned pinyin, Ü) so that 'Hé Shèng' and 'He Sheng' compare equal."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


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
    return to_simplified_aligned(out) if has_han(out) else out
