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
    # A group's English name that is no trade word of its own ('China Cotton Group' is a country,
    # an industry and an organisation word) is rewritten as a whole phrase.
    found += [phrase for phrase in _phrases() if _whole(phrase).search(name)]
    if not found:
        return None
    out = name
    for token in found:
        out = _whole(token).sub(table[token], out)
    out = _HAN_GAP.sub("", out)
    return out if out != name else None


@lru_cache(maxsize=1)
def _phrases() -> tuple[str, ...]:
    """The table's entries of several words, longest first."""
    return tuple(sorted((en for en in translated_words() if " " in en), key=len, reverse=True))


@lru_cache(maxsize=256)
def _whole(words: str) -> re.Pattern[str]:
    """`words` as whole words, in any case, with any spacing between them."""
    body = r"\s+".join(re.escape(w) for w in words.split())
    return re.compile(rf"(?<![^\W\d_]){body}(?![^\W\d_])", re.I)
