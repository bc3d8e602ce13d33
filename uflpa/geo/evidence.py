"""Weights of evidence, and the evidence that numbers give (postal codes, USCC, regiments).

The weights are the confidence scale documented in `uflpa.geo.resolve`; they are named here so
that a reviewer can change one number in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from uflpa.geo import lexicon as lx
from uflpa.geo.codes import PostalCode, find_postal_codes, find_regiments
from uflpa.geo.location import PlaceMatch, Signal
from uflpa.identifiers import USCC, find_usccs
from uflpa.text.script import has_han, has_kana

THRESHOLD = 0.5
STRONG_PLACE = 0.9
REGION_ONLY = 0.85
CONFIRMED_AMBIGUOUS = 0.85
# A firm named after a Xinjiang place is probably registered there, but may be registered (and
# make its goods) elsewhere: a weaker signal than an address, below THRESHOLD, sent to review.
COMPANY_PREFIX = 0.45
COMPANY_PREFIX_ELSEWHERE = 0.35
WEAK_BY_KIND = {lx.FOREIGN: 0.4, lx.DOMESTIC: 0.3, lx.MILITARY: 0.3, lx.DISTRICT: 0.25}
POSTAL_STRONG = 0.9
POSTAL_WEAK = 0.35
USCC_STRONG = 0.9
USCC_WEAK = 0.4
XPCC_STRONG = 0.9
XPCC_WEAK = 0.3
CORROBORATION_BONUS = 0.05
CONFLICT_PENALTY = 0.1
CONTRADICTED_WEAK_PENALTY = 0.15
FALSE_FRIEND_ONLY = 0.05
CAP = 0.98


@dataclass(slots=True)
class Evidence:
    """One signal with its weight; `group` tells independent clues apart (two spellings of the
    same place corroborate less than a place and its postal code)."""

    signal: Signal
    value: float
    group: str
    places: list[PlaceMatch] = field(default_factory=list)


@dataclass(slots=True)
class Context:
    """What the whole text says, computed before any single ambiguous spelling is judged."""

    country: str | None
    china: bool  # explicitly Chinese: country CN, "China", a mainland place
    foreign: bool  # a country other than China named or declared, or Japanese script
    elsewhere: list[str]  # labels of places outside Xinjiang named in the address part
    xinjiang: bool  # some unambiguous Xinjiang evidence
    xpcc: bool
    accepted_codes: set[str]  # place codes of unambiguous Xinjiang hits


def code_evidence(norm: str, ctx: Context) -> list[Evidence]:
    """Postal codes, USCCs and regiment numbers in `norm`; updates `ctx` (XPCC seen, places
    elsewhere) so that the spellings judged next can use it."""
    out: list[Evidence] = []
    han_address = has_han(norm) and not has_kana(norm)
    india = ctx.country == "IN" or "India" in ctx.elsewhere
    for pc in find_postal_codes(norm):
        out.extend(_postal_evidence(pc, ctx, han_address, india))
    for code, span in find_usccs(norm):
        out.append(_uscc_evidence(code, span, ctx))
    regiments = find_regiments(norm)
    han_regiments = [r for r in regiments if r.script == "han"]
    if han_regiments:
        ctx.xpcc = True
    for r in regiments:
        if r.script == "han":
            detail = f"'{r.text}' is an XPCC regiment form (numbered 团 / 团场)"
            out.append(Evidence(Signal("xpcc", "strong", detail, r.span), XPCC_STRONG, "xpcc"))
    ctx.xinjiang = ctx.xinjiang or bool(han_regiments)
    for r in regiments:
        if r.script == "latin":
            confirmed = ctx.xinjiang or ctx.xpcc
            strength = "strong" if confirmed else "weak"
            detail = f"'{r.text}' may be a numbered XPCC regiment" + (
                "" if confirmed else "; nothing else shows Xinjiang or the XPCC"
            )
            value = XPCC_STRONG if confirmed else XPCC_WEAK
            out.append(Evidence(Signal("xpcc", strength, detail, r.span), value, "xpcc"))
    return out


def _uscc_evidence(code: USCC, span: tuple[int, int], ctx: Context) -> Evidence:
    if code.xinjiang:
        detail = f"USCC {code.code}: region digits 65 (characters 3-4) = registered in Xinjiang"
        if code.valid:
            sig = Signal("uscc_region", "strong", detail, span)
            return Evidence(sig, USCC_STRONG, "uscc")
        detail += ", but its check character is wrong (a typo, or not a USCC)"
        return Evidence(Signal("uscc_region", "weak", detail, span), USCC_WEAK, "uscc")
    detail = (
        f"USCC {code.code}: region digits {code.province} mean it was registered outside "
        "Xinjiang (registration does not show where goods are made)"
    )
    ctx.elsewhere.append(f"USCC region {code.province}")
    return Evidence(Signal("uscc_region", "negative", detail, span), 0.0, "uscc")


def _postal_evidence(pc: PostalCode, ctx: Context, han: bool, india: bool) -> list[Evidence]:
    chinese_label = pc.label in ("邮编", "邮政编码")
    china = ctx.china or han or chinese_label
    if pc.xinjiang_range:
        if india or pc.pin_label:
            detail = (
                f"{pc.code} is in the Indian PIN range for Jharkhand/Bihar, not a Chinese postcode"
            )
            return [Evidence(Signal("postal_code", "negative", detail, pc.span), 0.0, "postal")]
        if china:
            detail = f"postal code {pc.code} is in the Xinjiang range 83xxxx-84xxxx"
            sig = Signal("postal_code", "strong", detail, pc.span)
            return [Evidence(sig, POSTAL_STRONG, "postal")]
        detail = (
            f"{pc.code} is in the Xinjiang postal range, but nothing shows that the address is in "
            "China (six-digit codes are also used in India and elsewhere)"
        )
        return [Evidence(Signal("postal_code", "weak", detail, pc.span), POSTAL_WEAK, "postal")]
    if china and pc.chinese_range and not india:
        detail = f"postal code {pc.code} lies outside the Xinjiang range 83xxxx-84xxxx"
        ctx.elsewhere.append(f"postal code {pc.code}")
        return [Evidence(Signal("postal_code", "negative", detail, pc.span), 0.0, "postal")]
    return []
