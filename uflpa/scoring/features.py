"""Matching features: small pure functions named for the fact they test.

Each returns a value in [0, 1]. Its one-line docstring is the explanation an analyst reads in the
evidence, and `@feature(...)` names the parts of the two analysed names it compares, so the
evidence can show them. Values are cheap to compute (every candidate is scored); explanations are
built only for the results a user sees. Qualifier features can only lower a score.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz.distance import OSA

from uflpa.names.alignment import aligned_pairs, chinese_form
from uflpa.names.analyze import NameAnalysis
from uflpa.names.chinese import segment_pinyin
from uflpa.names.common_words import is_common_english
from uflpa.names.lexicon import lexicon
from uflpa.names.slips import slip_alike

FeatureFn = Callable[[NameAnalysis, NameAnalysis], float]
# What a feature compared, when its parts of the analyses do not say it (aligned word pairs).
DetailFn = Callable[[NameAnalysis, NameAnalysis], dict[str, Any]]

LEGAL_FAMILY = {
    "ltd": "limited", "llc": "limited", "coltd": "limited", "company": "company", "gmbh": "limited",
    "jsc": "stock", "ag": "stock", "sa": "stock", "plc": "stock",
    "corp": "corporation", "inc": "corporation",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    name: str
    fn: FeatureFn
    compares: tuple[str, ...]
    qualifier: bool
    detail: DetailFn | None = None

    @property
    def explanation(self) -> str:
        return _summary(self.fn)

    def explain(self, value: float, q: NameAnalysis, c: NameAnalysis) -> dict[str, Any]:
        """The evidence entry: value, the sentence, and the parts of both names compared."""
        if self.detail is not None:
            compared: dict[str, Any] = self.detail(q, c)
        elif len(self.compares) == 1:
            part = self.compares[0]
            compared = {"query": _show(q, part), "candidate": _show(c, part)}
        else:
            compared = {
                "query": {p: _show(q, p) for p in self.compares},
                "candidate": {p: _show(c, p) for p in self.compares},
            }
        return {"value": round(value, 4), "why": self.explanation, "compared": compared}


@cache
def _summary(fn: FeatureFn) -> str:
    """A feature's docstring up to its first blank line, as one sentence (a summary that wraps
    onto a second line is still one explanation). `python -OO` strips docstrings, and so does
    the mypyc-compiled build (hatch_build.py): then it is read from this module's source file,
    which every install ships."""
    doc = fn.__doc__ or _source_docstrings().get(fn.__name__)
    paragraph = (doc or "").strip().split("\n\n")[0]
    return " ".join(paragraph.split()) or fn.__name__.replace("_", " ")


@cache
def _source_docstrings() -> dict[str, str]:
    """Function name -> docstring, parsed from features.py beside this module (or its build)."""
    source = Path(__file__).with_name("features.py")
    try:
        tree = ast.parse(source.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return {}
    return {
        node.name: doc
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and (doc := ast.get_docstring(node))
    }


def _show(a: NameAnalysis, part: str) -> Any:
    value = getattr(a, part)
    return sorted(value) if isinstance(value, frozenset) else value


FEATURES: dict[str, FeatureSpec] = {}
QUALIFIERS: dict[str, FeatureSpec] = {}


def feature(
    *compares: str, qualifier: bool = False, detail: DetailFn | None = None
) -> Callable[[FeatureFn], FeatureFn]:
    def register(fn: FeatureFn) -> FeatureFn:
        spec = FeatureSpec(fn.__name__, fn, compares, qualifier, detail)
        (QUALIFIERS if qualifier else FEATURES)[fn.__name__] = spec
        return fn

    return register


def _ratio(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    return float(OSA.normalized_similarity(a, b))


@feature("han_core")
def han_core_match(q: NameAnalysis, c: NameAnalysis) -> float:
    """The Chinese characters of both names, without legal form or brackets, are the same."""
    if not q.han_core or not c.han_core:
        return 0.0
    return 1.0 if q.han_core == c.han_core else _ratio(q.han_core, c.han_core)


@feature("han_core")
def han_core_contained(q: NameAnalysis, c: NameAnalysis) -> float:
    """One Chinese name is the other with extra characters: a parent, branch or sister firm."""
    a, b = q.han_core, c.han_core
    if a and b and a != b and min(len(a), len(b)) >= 2 and (a in b or b in a):
        return min(len(a), len(b)) / max(len(a), len(b))
    return 0.0


@feature("trade")
def trade_name_similarity(q: NameAnalysis, c: NameAnalysis) -> float:
    """How alike the distinctive trade names are (edit-distance ratio; in pinyin, a wholly
    different syllable is a different character, so Shuangxing is not Shuangliang; a name
    written in characters has no slipped keys: only a character read the same, 和盛 for 合盛, is
    alike)."""
    if not q.trade_key or not c.trade_key:
        return 0.0
    chinese = _chinese(q) or _chinese(c) or all(map(segment_pinyin, (*q.trade, *c.trade)))
    ratio = _trade_similarity(q.trade_key, c.trade_key, chinese)
    if q.script == "han" and 0.0 < ratio < 1.0:
        # A query in characters has no slipped keys: 和恒 is not 合盛 (heng/sheng) and 宏泰 not
        # Zhongtai, however near in pinyin. An input method's homophone (和盛) reads the same and
        # stays alike. A query typed in pinyin may slip a key, so the slip rules above hold.
        ratio = min(ratio, _syllable_share(q.trade_key, c.trade_key, _same))
    if chinese and 0.0 < ratio < 1.0 and len(q.trade) == len(c.trade) > 1:
        # Several trade words ('Chinatex Yintai'): a pinyin word among them with a wholly
        # different syllable is another name however alike the rest (Chinatex Meitai).
        pairs = [(a, b) for a, b in zip(q.trade, c.trade, strict=True) if a != b]
        if all(segment_pinyin(a) and segment_pinyin(b) for a, b in pairs):
            ratio = min([ratio, *(_syllable_share(a, b) for a, b in pairs)])
    return ratio


def _chinese(a: NameAnalysis) -> bool:
    """A Chinese name: Han characters, or a place in China (or, above, trade words that are all
    pinyin). Only there is a pinyin-looking word surely pinyin, where one changed letter makes
    another character ('Chace' and 'Chase' of JPMorgan are an English misspelling)."""
    return bool(a.han_core) or any(p.startswith("p:") for p in a.places)


@lru_cache(maxsize=65_536)
def _trade_similarity(a: str, b: str, chinese: bool = True) -> float:
    """Cached: the list's trade names meet the same query trade names row after row."""
    ratio = _ratio(a, b)
    if ratio < 1.0:
        # Outside Chinese names any one-letter edit of a syllable is alike.
        ratio = min(ratio, _syllable_share(a, b, slip_alike if chinese else _one_edit))
        if "rn" in a or "rn" in b:  # OCR reads m as rn: Panturn is Pantum
            folded = _trade_similarity(a.replace("rn", "m"), b.replace("rn", "m"), chinese)
            ratio = max(ratio, folded)
    return ratio


def _one_edit(a: str, b: str) -> bool:
    return bool(OSA.distance(a, b) <= 1)


def _same(a: str, b: str) -> bool:
    return a == b


def _syllable_share(a: str, b: str, alike: Callable[[str, str], bool] = slip_alike) -> float:
    """Share of syllables two pinyin words of as many syllables have alike (by default one slip
    at most: a dropped, added or swapped letter, a neighbouring key, an OCR look-alike; xin and
    min are two characters, taifa is a slip of taida); 1.0 when either is not pinyin or their
    syllables do not line up."""
    sa, sb = segment_pinyin(a), segment_pinyin(b)
    if not sa or not sb or len(sa) != len(sb) or len(sa) < 2:
        return 1.0
    return sum(1 for x, y in zip(sa, sb, strict=True) if alike(x, y)) / len(sa)


@feature("core_key")
def core_name_similarity(q: NameAnalysis, c: NameAnalysis) -> float:
    """Place and trade name read together are alike (Tianjin Kunyu = 天津坤宇: one side took
    Kunyu for a place, the other for a trade name)."""
    if not (q.trade or c.trade) or not q.core_key or not c.core_key:
        return 0.0
    return _ratio(q.core_key, c.core_key)


@feature("trade_set")
def trade_name_contained(q: NameAnalysis, c: NameAnalysis) -> float:
    """Every trade word of one name is in the other, which has more: a related firm?

    Not when the query is a name of no Chinese form (no characters, no place in China) made of
    everyday English words and the words the two share are among them: Union Pacific Railroad is
    no kin of Union Biotech, nor Apex Tool Group of Zhuhai Apex Microelectronics. A word of no
    dictionary ('Camel Group CCo', a slipped legal form) keeps the listed name in view."""
    qs, cs = q.trade_set, c.trade_set
    if not (qs and cs and qs != cs and (qs < cs or cs < qs)):
        return 0.0
    return 0.0 if _foreign(q) and all(map(is_common_english, qs)) else 1.0


def _foreign(a: NameAnalysis) -> bool:
    """A name with no Chinese form (`_chinese`), nor a place in China in an address after it."""
    return not _chinese(a) and not any(p.startswith("p:") for p in a.address_places)


@feature("name")
def truncated_prefix(q: NameAnalysis, c: NameAnalysis) -> float:
    """The query is the listed name cut off at a field limit, as bill-of-lading names are."""
    qn, cn = q.compact, c.compact
    if len(qn) < 18 or len(cn) <= len(qn) or not cn.startswith(qn):
        return 0.0
    if cn[len(qn) :] in _LEGAL_TAILS:
        return 0.0  # the whole name without its legal form: nothing was cut
    original = q.original.rstrip()
    closed = not original or original[-1] in ")]\"'”»）"
    return 1.0 if len(original) <= 80 and not closed else 0.0


_LEGAL_TAILS = frozenset(
    ["co", "ltd", "coltd", "colimited", "company", "companylimited", "limited", "corp",
     "corporation", "inc", "incorporated", "llc", "plc", "gmbh", "ag", "sa", "cocorp"]
)  # fmt: skip


@feature("name")
def same_name(q: NameAnalysis, c: NameAnalysis) -> float:
    """The names are the same but for case, punctuation, spacing and a legal form at the end."""
    qn, cn = q.compact, c.compact
    if not qn or not cn:
        return 0.0
    if qn == cn:
        return 1.0
    short, long_ = (qn, cn) if len(qn) < len(cn) else (cn, qn)
    return 1.0 if long_.startswith(short) and long_[len(short) :] in _LEGAL_TAILS else 0.0


@feature("industry_set")
def industry_agreement(q: NameAnalysis, c: NameAnalysis) -> float:
    """Share of industry words (silicon, textile, 硅业, fangzhi …) the two names have in common."""
    qs, cs = q.industry_set, c.industry_set
    return 1.0 if not qs and not cs else len(qs & cs) / len(qs | cs)


@feature("industry_set")
def related_industry(q: NameAnalysis, c: NameAnalysis) -> float:
    """The industries differ but are of one family of business (copper and mining, coal power
    and aluminium): the kind of neighbouring business a group's subsidiaries are in."""
    qs, cs = q.industry_set, c.industry_set
    if not qs or not cs or qs & cs:
        return 0.0
    return 1.0 if _families(qs) & _families(cs) else 0.0


@lru_cache(maxsize=4096)
def _families(concepts: frozenset[str]) -> frozenset[str]:
    table = lexicon().families
    return frozenset(f for c in concepts for f in table.get(c, ()))


def _aligned(q: NameAnalysis, c: NameAnalysis) -> dict[str, Any]:
    return aligned_pairs(q.original, c.original)


@feature("places", "trade", "industries", "orgs", detail=_aligned)
def parts_aligned(q: NameAnalysis, c: NameAnalysis) -> float:
    """The names align word by word (place with place, trade name with its pinyin, industry
    word with its translation: 新疆 = Xinjiang, 天棉 = Tianmian, 纺织 = Textile); the value is the
    share of the listed name's parts that the query has."""
    total = len(c.place_set) + len(c.industry_set) + len(c.org_set) + (1 if c.trade else 0)
    if not total:
        return 0.0
    found = (
        len(c.place_set & q.place_set)
        + len(c.industry_set & q.industry_set)
        + len(c.org_set & q.org_set)
        + (1 if c.trade and c.trade_key == q.trade_key else 0)
    )
    return found / total


@feature("trade_key", "acronym", "initials")
def acronym_match(q: NameAnalysis, c: NameAnalysis) -> float:
    """One name is the initials of the other (XPCC), or of its pinyin trade name (LYSZD)."""
    qt, ct = q.trade_key, c.trade_key
    if len(q.trade) == 1 and 3 <= len(qt) <= 6 and qt == c.acronym:
        return 1.0
    if len(c.trade) == 1 and 3 <= len(ct) <= 6 and ct == q.acronym:
        return 1.0
    return 1.0 if (set(q.initials) & c.trade_set) or (set(c.initials) & q.trade_set) else 0.0


_XINJIANG = "p:xinjiang"


def _places_agree(q: NameAnalysis, c: NameAnalysis) -> bool:
    """Shared place, or Xinjiang on one side and a place in Xinjiang on the other."""
    if q.place_set & c.place_set:
        return True
    return (_XINJIANG in q.place_set and bool(c.xinjiang_places)) or (
        _XINJIANG in c.place_set and bool(q.xinjiang_places)
    )


def _address_agrees(q: NameAnalysis, c: NameAnalysis) -> bool:
    """The places of the listed name that the query's name lacks are all in the query's address
    (or the listed 'Xinjiang' is, as a place in Xinjiang), and the query's name has no other."""
    if not q.address_places or not c.place_set:
        return False
    lacking = c.place_set - q.place_set
    extra = q.place_set - c.place_set
    if not lacking or (extra and not (extra == {_XINJIANG} and c.xinjiang_places)):
        return False
    if lacking.issubset(q.address_places):
        return True
    return lacking == {_XINJIANG} and bool(q.address_xinjiang)


@feature("place_set", "address_places")
def place_in_address(q: NameAnalysis, c: NameAnalysis) -> float:
    """The listed name's place is not in the query's name but in the address after it or beside
    it (Esquel Textile Co., Ltd., Changji): the place is stated, not missing."""
    return 1.0 if _address_agrees(q, c) else 0.0


@feature("place_set", qualifier=True)
def different_place(q: NameAnalysis, c: NameAnalysis) -> float:
    """Both names carry a place and the places differ (Inner Mongolia Daqo vs Xinjiang Daqo)."""
    return 1.0 if q.place_set and c.place_set and not _places_agree(q, c) else 0.0


@feature("place_set", qualifier=True)
def missing_place(q: NameAnalysis, c: NameAnalysis) -> float:
    """The listed name has a place, or a more precise one, that the query lacks (a parent or
    sister firm?)."""
    if _address_agrees(q, c):
        return 0.0
    if c.place_set and not q.place_set:
        return 0.0 if chinese_short_name(q, c) else 1.0
    vaguer = q.place_set and not (q.place_set & c.place_set) and _places_agree(q, c)
    return 1.0 if vaguer and _XINJIANG in q.place_set else 0.0


def chinese_short_name(q: NameAnalysis, c: NameAnalysis) -> bool:
    """The query is the listed firm's Chinese short name (简称): its trade name and industry
    words, in characters or wholly in pinyin, with no place and no legal form (天棉基业纺织,
    'Jin Fu Fang Zhi'). Chinese usage drops the place of registration there, so its absence does
    not point to a parent or a sister firm. An English name without its place ('Tianwei Food')
    is not one, and a short name two listed firms share is held at review by the matcher."""
    if q.place_set or q.address_places or not c.place_set or q.legal:
        return False
    if len(q.trade_key) < 4 or q.trade_key != c.trade_key:
        return False
    if q.industry_set:
        if not q.industry_set <= c.industry_set:
            return False
    elif not (q.org_set and q.org_set <= c.org_set):
        return False
    return q.script == "han" or chinese_form(q.original)


@feature("place_set", qualifier=True)
def extra_place(q: NameAnalysis, c: NameAnalysis) -> float:
    """The query has a place qualifier the listed name lacks (a regional branch or sister?), or
    names a place in Xinjiang where the listed name says only Xinjiang (塔城华孚 is registered
    apart from 新疆华孚)."""
    if q.place_set and not c.place_set:
        return 1.0
    extra = q.place_set - c.place_set - {_XINJIANG}
    if c.place_set and extra and q.place_set & c.place_set:
        return 1.0
    only_xinjiang = c.place_set == {_XINJIANG}
    return 1.0 if only_xinjiang and extra and extra.issubset(q.xinjiang_places) else 0.0


@feature("industry_set", qualifier=True)
def different_industry(q: NameAnalysis, c: NameAnalysis) -> float:
    """Both names name an industry and share none of it (晨光生物 vs 晨光文具)."""
    qs, cs = q.industry_set, c.industry_set
    return 1.0 if qs and cs and not (qs & cs) else 0.0


@feature("industry_set", qualifier=True)
def different_industry_words(q: NameAnalysis, c: NameAnalysis) -> float:
    """Each name has an industry word the other lacks (Construction Equipment vs Engineering)."""
    qs, cs = q.industry_set, c.industry_set
    return 1.0 if (qs & cs) and (qs - cs) and (cs - qs) else 0.0


@feature("numbers", qualifier=True)
def different_number(q: NameAnalysis, c: NameAnalysis) -> float:
    """The names carry different numbers (Fund VIII vs Fund IX, Solutions II vs Solutions)."""
    return 1.0 if q.numbers != c.numbers else 0.0


@feature("org_set", qualifier=True)
def different_organisation_type(q: NameAnalysis, c: NameAnalysis) -> float:
    """One name is a group or holding company and the other is not."""
    return 1.0 if q.org_set != c.org_set else 0.0


@feature("legal", qualifier=True)
def different_legal_form(q: NameAnalysis, c: NameAnalysis) -> float:
    """The legal forms are of different kinds (a corporation vs a limited company)."""
    qf = {LEGAL_FAMILY.get(t, t) for t in q.legal} - {"company"}
    cf = {LEGAL_FAMILY.get(t, t) for t in c.legal} - {"company"}
    return 1.0 if qf and cf and not (qf & cf) else 0.0


COUNTRY_MISMATCH = "The query's country is not the listed entity's country."
