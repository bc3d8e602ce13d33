"""Listed English names whose trade name is a translation, rewritten with the Chinese words.

The list is English only. When a firm translated its trade name (东方希望 = East Hope), neither
its Chinese name nor its pinyin shares anything with the English one, and structure alignment
(place + trade name + industry) cannot bridge them. `data/names/translated_words.yml` is a
reviewed table of such words; a listed name with trade words in it gets a second form with those
words in Chinese, which analyses to the same trade name as the Chinese and the pinyin.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml

from uflpa.names.analyze import analyze
from uflpa.text.script import HAN_CHARS

_HAN_GAP = re.compile(rf"(?<=[{HAN_CHARS}])\s+(?=[{HAN_CHARS}])")


@lru_cache(maxsize=1)
def translated_words() -> dict[str, str]:
    """English word → the Chinese word it translates."""
    path = resources.files("uflpa.data").joinpath("names").joinpath("translated_words.yml")
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(row["en"]).casefold(): str(row["zh"]) for row in rows}


def translated_form(name: str) -> str | None:
    """`name` with the trade words the table holds in Chinese, or None when it holds none (a
    pinyin trade word such as Hatu in "Western Gold Karamay Hatu" stays: it aligns by itself)."""
    analysis = analyze(name)
    table = translated_words()
    if analysis.script != "latin":
        return None
    found = [token for token in dict.fromkeys(analysis.trade) if token in table]
    if not found:
        return None
    out = name
    for token in found:
        out = re.sub(rf"(?<![^\W\d_]){re.escape(token)}(?![^\W\d_])", table[token], out, flags=re.I)
    out = _HAN_GAP.sub("", out)
    return out if out != name else None
