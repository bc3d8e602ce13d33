"""Find an address written in pinyin at the end of a Latin name.

Bills of lading and registrations append the firm's address in pinyin ("... Co., Ltd. Wulumuqi
Shi Shuimogou Qu Nanhu Lu 88 Hao", "... LTD KASHI DIQU SHUFU XIAN"). Read as part of the name,
its words become trade words the listed name lacks. An address in pinyin has a grammar that a
name does not: every word is a place, a unit or street word (`data/names/pinyin_address_words.yml`),
a number, the country, or a word naming the unit or street that follows it ('Shuimogou Qu',
'Nanhu Lu'). The end of a name is cut off only when all of it reads so and it says it is an
address (a prefecture, region or zone word, two units, a known place with its unit, or a numbered
street), since the pinyin of a name has unit-like syllables too (发饰 Fa Shi, 绿洲 Lv Zhou).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from uflpa.names.chinese import segment_pinyin
from uflpa.names.vocabulary import COUNTRY_WORDS, Lexicon

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)*")
# A unit or street word names what precedes it: at most this many unknown pinyin words
# ('Jingji Jishu' are descriptors, not counted) stand before it.
_MAX_NAME_WORDS = 2


@dataclass(frozen=True, slots=True)
class AddressWords:
    """The reviewed pinyin address words, by kind."""

    # word → unit | region | province | street | zone | descriptor | ethnic | number
    kinds: dict[str, str]
    closing: re.Pattern[str]  # any unit, region, street or zone word, as a whole word

    def closes(self, word: str) -> bool:
        """A unit, region, street or zone word: it ends the name of what it follows."""
        return self.kinds.get(word) in ("unit", "region", "province", "street", "zone")


@lru_cache(maxsize=1)
def address_words() -> AddressWords:
    path = resources.files("uflpa.data").joinpath("names").joinpath("pinyin_address_words.yml")
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    kinds = {str(r["word"]): str(r["kind"]) for r in rows}
    closers = sorted(
        w for w, k in kinds.items() if k in ("unit", "region", "province", "street", "zone")
    )
    return AddressWords(kinds, re.compile(rf"\b(?:{'|'.join(closers)})\b"))


def pinyin_address_start(text: str, lex: Lexicon, *, after_legal: bool = False) -> int | None:
    """Where an address in pinyin starts in `text` (folded Latin), or None. It runs to the end;
    `after_legal`: `text` is what follows the legal form, so the address may start at its first
    word; otherwise a word that is not a place or an address word must stay before it."""
    words = address_words()
    if not words.closing.search(text):
        return None  # the common case: no unit or street word at all
    spans = [(m.start(), m.group().replace("'", "")) for m in _WORD.finditer(text)]
    tokens = [w for _, w in spans]
    kinds = [_kind(i, tokens, words, lex) for i in range(len(tokens))]
    start = len(tokens)
    while start > 0 and kinds[start - 1] is not None:
        start -= 1
    # The address starts with a place or a name, not with a unit word, a descriptor or a country.
    while start < len(tokens) and kinds[start] not in ("place", "name"):
        start += 1
    if start >= len(tokens) or not _says_address(tokens[start:], kinds[start:], words):
        return None
    if not after_legal:
        head = kinds[:start]
        own = [i for i in range(start) if head[i] is None]
        if not own:
            return None  # only places and address words: nothing of a name would be left
    return spans[start][0]


def _kind(i: int, tokens: list[str], words: AddressWords, lex: Lexicon) -> str | None:
    """What token i is in an address: 'number', 'country', an address word's kind, 'place',
    'name' (a pinyin word naming the unit or street after it), or None (it cannot be in one)."""
    token = tokens[i]
    if token.isdigit():
        return "number"
    if token == "no" and i + 1 < len(tokens) and tokens[i + 1].isdigit():
        return "number"  # 'Nanhu Lu No. 88'
    if token in COUNTRY_WORDS:
        return "country"  # '… Shufu Xian, China'
    kind = words.kinds.get(token)
    if kind == "number":
        return kind if i > 0 and tokens[i - 1].isdigit() else None
    if kind is not None:
        return kind
    if token in lex.place_vocab:
        return "place"
    if token in lex.business_vocab or segment_pinyin(token) is None:
        return None  # an English word, or a word of an industry or legal form ('gongsi')
    # A name of a unit or street: pinyin words, then (through descriptors and peoples) its word.
    unknown = 1
    for j in range(i + 1, len(tokens)):
        after = words.kinds.get(tokens[j])
        if after == "province":
            return None  # every province is a known place: unknown words before 省 are a name
        if words.closes(tokens[j]):
            return "name"
        if after in ("descriptor", "ethnic"):
            continue
        if after is not None or tokens[j] in lex.place_vocab or tokens[j].isdigit():
            return None
        unknown += 1
        if unknown > _MAX_NAME_WORDS or segment_pinyin(tokens[j]) is None:
            return None
    return None


def _says_address(tokens: list[str], kinds: list[str | None], words: AddressWords) -> bool:
    """A prefecture, region or zone word; two unit or street words; a known place with its unit
    right after it; or a street with a number."""
    if any(k in ("region", "province", "zone") for k in kinds):
        return True
    closing = [i for i, t in enumerate(tokens) if words.closes(t)]
    if len(closing) >= 2:
        return True
    if any(i > 0 and kinds[i - 1] == "place" for i in closing):
        return True
    return any(k == "street" for k in kinds) and "number" in kinds
