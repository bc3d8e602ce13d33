"""Which words of two names stand for each other: place ↔ place, trade name ↔ its pinyin,
industry word ↔ its translation.

Analysis (`uflpa.names.analyze`) reduces each name to keys, and scoring compares keys; an analyst
needs the words. 新疆天棉基业纺织 and "Xinjiang Tianmian Foundation Textile" share no letters, yet
align word by word: 新疆 = Xinjiang (a place), 天棉 = Tianmian (the trade name in pinyin), 基业 =
Foundation and 纺织 = Textile (the bilingual lexicon, `data/names/business_lexicon.yml` and
`industry_words.yml`). This module reads each name's parts with the text they came from and pairs
them, for the evidence; it is not on the scoring path (a match's few shown results only).
"""

from __future__ import annotations

from functools import lru_cache

from uflpa.names.analyze import name_text
from uflpa.names.chinese import han_syllables, segment_pinyin
from uflpa.names.lexicon import lexicon
from uflpa.names.phrases import run_parts
from uflpa.text.han import to_simplified
from uflpa.text.script import has_han, script_runs

Part = tuple[str, tuple[str, ...], str]  # (category or 'trade', keys, text as written)

KIND = {"place": "place", "trade": "trade name", "industry": "industry word"}
KIND_ORG = "organisation word"
_XINJIANG = "p:xinjiang"


@lru_cache(maxsize=4096)
def name_parts(name: str) -> tuple[Part, ...]:
    """The places, trade name, industry and organisation words of a name, in order, each with the
    text it was read from (legal forms and the address are left out), as `analyze` reads them."""
    lex = lexicon()
    stripped = name_text(name)[3]
    out: list[Part] = []
    for run in script_runs(stripped):
        parts, _ = run_parts(run, lex)
        out.extend(p for p in parts.surfaces if p[0] in ("place", "trade", "industry", "org"))
    return tuple(out)


def chinese_form(name: str) -> bool:
    """The name is written in Chinese characters or wholly in pinyin ('Tian Wei Shi Pin'), as a
    Chinese name is: not an English one ('Tianwei Food')."""
    parts = name_parts(name)
    if not parts:
        return False
    for _, _, text in parts:
        if has_han(text):
            continue
        if not all(segment_pinyin(word) for word in text.split()):
            return False
    return True


def aligned_pairs(query: str, candidate: str) -> dict[str, object]:
    """The parts of `query` and `candidate` that stand for each other, as evidence: {"pairs":
    [{"query": "天棉", "candidate": "Tianmian", "kind": "trade name", "how": "pinyin"}, …]}, and
    the parts left without a counterpart on either side ("unaligned"), when there are any."""
    qs, cs = name_parts(query), name_parts(candidate)
    used: set[int] = set()
    pairs: list[dict[str, str]] = []
    left: list[str] = []
    for category, keys, text in qs:
        j = _counterpart(category, keys, cs, used)
        if j is None:
            left.append(_cased(query, text))
            continue
        used.add(j)
        c_text = cs[j][2]
        pairs.append(
            {
                "query": _cased(query, text),
                "candidate": _cased(candidate, c_text),
                "kind": KIND.get(category, KIND_ORG),
                "how": _how(category, keys, cs[j][1], text, c_text),
            }
        )
    out: dict[str, object] = {"pairs": pairs}
    missing = [_cased(candidate, cs[j][2]) for j in range(len(cs)) if j not in used]
    if left or missing:
        out["unaligned"] = {"query": left, "candidate": missing}
    return out


def _counterpart(
    category: str, keys: tuple[str, ...], cs: tuple[Part, ...], used: set[int]
) -> int | None:
    """The first unused part of the candidate that the query's part stands for."""
    for j, (c_category, c_keys, _) in enumerate(cs):
        if j in used or c_category != category:
            continue
        if category == "place" and (keys[0] == c_keys[0] or _XINJIANG in (keys[0], c_keys[0])):
            return j
        if category == "trade" and keys[0] == c_keys[0]:
            return j
        if category in ("industry", "org") and set(keys) & set(c_keys):
            return j
    return None


def _how(
    category: str, keys: tuple[str, ...], c_keys: tuple[str, ...], text: str, c_text: str
) -> str:
    """How a pair aligns, in words: 'place name', 'pinyin', 'lexicon: 纺织 = textile' …"""
    q_han, c_han = has_han(text), has_han(c_text)
    if category == "place":
        return "place name" if keys[0] == c_keys[0] else "place in Xinjiang"
    if category == "trade":
        if q_han != c_han:
            return "pinyin"
        if q_han:
            return "same characters" if text == c_text else "same pinyin"
        return "same spelling" if text.replace(" ", "") == c_text.replace(" ", "") else "pinyin"
    if text.replace(" ", "") == c_text.replace(" ", ""):
        return "same word"
    zh, en = (text, c_text) if q_han or not c_han else (c_text, text)
    return f"lexicon: {_chinese_word(zh)} = {en}"


def _chinese_word(text: str) -> str:
    """A lexicon word in characters: itself, or the word its pinyin reads ('fangzhi' → 纺织)."""
    if has_han(text):
        return text
    syllables = tuple(s for word in text.split() for s in (segment_pinyin(word) or (word,)))
    return _pinyin_words().get(syllables, text)


@lru_cache(maxsize=1)
def _pinyin_words() -> dict[tuple[str, ...], str]:
    """Pinyin syllables → the lexicon's Chinese word (the first one, as analysis reads it)."""
    out: dict[tuple[str, ...], str] = {}
    for zh, phrase in lexicon().han.items():
        if len(zh) >= 2 and phrase.category in ("industry", "org"):
            out.setdefault(han_syllables(zh), zh)
    return out


def _cased(original: str, text: str) -> str:
    """`text` (folded, simplified) as the original name writes it: 'tianmian' → 'Tianmian',
    纺织 → 紡織 in a traditional name. The folded text when it cannot be found."""
    if not text:
        return text
    if has_han(text):
        simplified = to_simplified(original)
        at = simplified.find(text)
        if at >= 0 and len(simplified) == len(original):
            return original[at : at + len(text)]
        return text
    folded, where = _letters(original)
    wanted = "".join(ch.lower() for ch in text if not ch.isspace())
    at = folded.find(wanted) if wanted else -1
    if at < 0:
        return text
    return original[where[at] : where[at + len(wanted) - 1] + 1]


_SEPARATORS = frozenset("-'’.")


@lru_cache(maxsize=4096)
def _letters(original: str) -> tuple[str, tuple[int, ...]]:
    """`original` lower-cased without spaces, hyphens, apostrophes and dots, and where each of
    its characters stands in `original` (a listed name is looked up for every query shown)."""
    kept = [
        (i, low)
        for i, ch in enumerate(original)
        if not (ch.isspace() or ch in _SEPARATORS) and len(low := ch.lower()) == 1
    ]
    return "".join(ch for _, ch in kept), tuple(i for i, _ in kept)
