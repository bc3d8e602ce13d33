"""Matching features: small pure functions named for the fact they test.

Each returns a `Feature` with a value in [0, 1] and the values it compared. Its one-line
docstring is the explanation an analyst reads in the evidence, so keep it a plain sentence.
Features in QUALIFIERS can only lower a score.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import OSA

from uflpa.names.analyze import NameAnalysis

LEGAL_FAMILY = {
    "ltd": "limited", "llc": "limited", "coltd": "limited", "company": "company", "gmbh": "limited",
    "jsc": "stock", "ag": "stock", "sa": "stock", "plc": "stock",
    "corp": "corporation", "inc": "corporation",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Feature:
    name: str
    value: float
    explanation: str
    compared: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"value": round(self.value, 4), "why": self.explanation, "compared": self.compared}


def _ratio(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    return float(OSA.normalized_similarity(a, b))


def han_core_match(q: NameAnalysis, c: NameAnalysis) -> Feature:
    """The Chinese characters of both names, without legal form or brackets, are the same."""
    if not q.han_core or not c.han_core:
        value = 0.0
    elif q.han_core == c.han_core:
        value = 1.0
    else:
        value = _ratio(q.han_core, c.han_core)
    return Feature("han_core_match", value, han_core_match.__doc__ or "",
                   {"query": q.han_core, "candidate": c.han_core})  # fmt: skip


def han_core_contained(q: NameAnalysis, c: NameAnalysis) -> Feature:
    """One Chinese name is the other with extra characters: a parent, branch or sister firm."""
    a, b = q.han_core, c.han_core
    value = 0.0
    if a and b and a != b and min(len(a), len(b)) >= 2 and (a in b or b in a):
        value = min(len(a), len(b)) / max(len(a), len(b))
    return Feature("han_core_contained", value, han_core_contained.__doc__ or "",
                   {"query": a, "candidate": b})  # fmt: skip


def trade_name_similarity(q: NameAnalysis, c: NameAnalysis) -> Feature:
    """How alike the distinctive trade names are (pinyin or English, edit-distance ratio)."""
    qk, ck = q.trade_key, c.trade_key
    value = _ratio(qk, ck) if qk and ck else 0.0
    return Feature("trade_name_similarity", value, trade_name_similarity.__doc__ or "",
                   {"query": list(q.trade), "candidate": list(c.trade)})  # fmt: skip


def trade_name_contained(q: NameAnalysis, c: NameAnalysis) -> Feature:
    """Every trade word of one name is in the other, which has more: a related firm?"""
    qs, cs = set(q.trade), set(c.trade)
    value = 1.0 if qs and cs and qs != cs and (qs < cs or cs < qs) else 0.0
    return Feature("trade_name_contained", value, trade_name_contained.__doc__ or "",
                   {"query": sorted(qs), "candidate": sorted(cs)})  # fmt: skip


def truncated_prefix(q: NameAnalysis, c: NameAnalysis) -> Feature:
    """The query is the listed name cut off at a field limit, as bill-of-lading names are."""
    qn = "".join(ch for ch in q.name if ch.isalnum())
    cn = "".join(ch for ch in c.name if ch.isalnum())
    closed = q.original.rstrip()[-1:] in ")]\"'”»）" if q.original.strip() else True
    cut = len(qn) >= 18 and len(q.original) <= 80 and not closed
    value = 1.0 if cut and len(cn) > len(qn) and cn.startswith(qn) else 0.0
    return Feature("truncated_prefix", value, truncated_prefix.__doc__ or "",
                   {"query": q.name, "candidate": c.name})  # fmt: skip


def industry_agreement(q: NameAnalysis, c: NameAnalysis) -> Feature:
    """Share of industry words (silicon, textile, 硅业, fangzhi …) the two names have in common."""
    qs, cs = set(q.industries), set(c.industries)
    value = 1.0 if not qs and not cs else len(qs & cs) / len(qs | cs)
    return Feature("industry_agreement", value, industry_agreement.__doc__ or "",
                   {"query": sorted(qs), "candidate": sorted(cs)})  # fmt: skip


def acronym_match(q: NameAnalysis, c: NameAnalysis) -> Feature:
    """The query is the initials of the listed name (XPCC), or the reverse."""
    qt, ct = q.trade_key, c.trade_key
    value = 0.0
    if (len(q.trade) == 1 and 3 <= len(qt) <= 6 and qt == c.acronym) or (
        len(c.trade) == 1 and 3 <= len(ct) <= 6 and ct == q.acronym
    ):
        value = 1.0
    return Feature("acronym_match", value, acronym_match.__doc__ or "",
                   {"query": qt, "candidate_initials": c.acronym})  # fmt: skip


# Qualifiers: can only lower a score.


def different_place(q: NameAnalysis, c: NameAnalysis) -> Feature:
    """Both names carry a place and the places differ (Inner Mongolia Daqo vs Xinjiang Daqo)."""
    qs, cs = set(q.places), set(c.places)
    value = 1.0 if qs and cs and not (qs & cs) else 0.0
    return Feature("different_place", value, different_place.__doc__ or "",
                   {"query": sorted(qs), "candidate": sorted(cs)})  # fmt: skip


def missing_place(q: NameAnalysis, c: NameAnalysis) -> Feature:
    """The listed name has a place qualifier the query lacks (a parent or sister firm?)."""
    qs, cs = set(q.places), set(c.places)
    value = 1.0 if cs and not qs else 0.0
    return Feature("missing_place", value, missing_place.__doc__ or "",
                   {"query": sorted(qs), "candidate": sorted(cs)})  # fmt: skip


def extra_place(q: NameAnalysis, c: NameAnalysis) -> Feature:
    """The query has a place qualifier the listed name lacks (a regional branch or sister?)."""
    qs, cs = set(q.places), set(c.places)
    value = 1.0 if qs and not cs else 0.0
    return Feature("extra_place", value, extra_place.__doc__ or "",
                   {"query": sorted(qs), "candidate": sorted(cs)})  # fmt: skip


def different_industry(q: NameAnalysis, c: NameAnalysis) -> Feature:
    """Both names name an industry and share none of it (晨光生物 vs 晨光文具)."""
    qs, cs = set(q.industries), set(c.industries)
    value = 1.0 if qs and cs and not (qs & cs) else 0.0
    return Feature("different_industry", value, different_industry.__doc__ or "",
                   {"query": sorted(qs), "candidate": sorted(cs)})  # fmt: skip


def different_industry_words(q: NameAnalysis, c: NameAnalysis) -> Feature:
    """Each name has an industry word the other lacks (Construction Equipment vs Engineering)."""
    qs, cs = set(q.industries), set(c.industries)
    value = 1.0 if (qs & cs) and (qs - cs) and (cs - qs) else 0.0
    return Feature("different_industry_words", value, different_industry_words.__doc__ or "",
                   {"query": sorted(qs - cs), "candidate": sorted(cs - qs)})  # fmt: skip


def different_number(q: NameAnalysis, c: NameAnalysis) -> Feature:
    """The names carry different numbers (Fund VIII vs Fund IX, Solutions II vs Solutions)."""
    qs = {t for t in q.trade if t.isdigit()}
    cs = {t for t in c.trade if t.isdigit()}
    value = 1.0 if qs != cs else 0.0
    return Feature("different_number", value, different_number.__doc__ or "",
                   {"query": sorted(qs), "candidate": sorted(cs)})  # fmt: skip


def different_organisation_type(q: NameAnalysis, c: NameAnalysis) -> Feature:
    """One name is a group or holding company and the other is not."""
    qs, cs = set(q.orgs), set(c.orgs)
    value = 1.0 if qs != cs and (qs or cs) else 0.0
    return Feature("different_organisation_type", value,
                   different_organisation_type.__doc__ or "",
                   {"query": sorted(qs), "candidate": sorted(cs)})  # fmt: skip


def different_legal_form(q: NameAnalysis, c: NameAnalysis) -> Feature:
    """The legal forms are of different kinds (a corporation vs a limited company)."""
    qf = {LEGAL_FAMILY.get(t, t) for t in q.legal} - {"company"}
    cf = {LEGAL_FAMILY.get(t, t) for t in c.legal} - {"company"}
    value = 1.0 if qf and cf and not (qf & cf) else 0.0
    return Feature("different_legal_form", value, different_legal_form.__doc__ or "",
                   {"query": sorted(qf), "candidate": sorted(cf)})  # fmt: skip


FeatureFn = Callable[[NameAnalysis, NameAnalysis], Feature]

FEATURES: dict[str, FeatureFn] = {
    f.__name__: f
    for f in (
        han_core_match, han_core_contained, trade_name_similarity, trade_name_contained,
        truncated_prefix,
        industry_agreement, acronym_match,
    )
}  # fmt: skip
QUALIFIERS: dict[str, FeatureFn] = {
    f.__name__: f
    for f in (
        different_place,
        missing_place,
        extra_place,
        different_industry,
        different_industry_words,
        different_number,
        different_organisation_type,
        different_legal_form,
    )
}  # fmt: skip
