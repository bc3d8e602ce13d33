"""Weights of evidence, and the evidence that numbers give (postal codes, USCC, regiments).

The weights are the confidence scale documented in `uflpa.geo.resolve`; they are named here so
that a reviewer can change one number in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from uflpa.geo import lexicon as lx
from uflpa.geo.codes import PostalCode, find_postal_codes, find_regiments, postcode_position
from uflpa.geo.location import PlaceMatch, Signal
from uflpa.geo.matcher import Hit
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


@dataclass(frozen=True, slots=True)
class _PostalScene:
    """What the rest of the text says about its six-digit numbers."""

    china: bool  # Chinese context: country CN, China named, a mainland place, Han script
    india: bool
    elsewhere: tuple[str, ...]  # places outside Xinjiang named in the text (not streets)
    xinjiang_place: bool  # an unambiguous Xinjiang place is named
    anchors: list[tuple[int, int]]  # spans of place names a postcode may stand next to
    countries: list[tuple[int, int]]  # spans of words naming China


def code_evidence(norm: str, ctx: Context, hits: list[Hit]) -> list[Evidence]:
    """Postal codes, USCCs and regiment numbers in `norm`; updates `ctx` (XPCC seen, places
    elsewhere) so that the spellings judged next can use it. `hits` are the place spellings of
    the same text: a number counts as a postcode only where it stands as one next to them."""
    out: list[Evidence] = []
    codes = find_postal_codes(norm)
    if codes:
        scene = _postal_scene(norm, ctx, hits)
        placed = [(pc, postcode_position(norm, pc, scene.anchors, scene.countries)) for pc in codes]
        for pc, position in placed:
            out.extend(_postal_evidence(pc, position, placed, ctx, scene))
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


def _postal_scene(norm: str, ctx: Context, hits: list[Hit]) -> _PostalScene:
    anchors: list[tuple[int, int]] = []
    countries: list[tuple[int, int]] = []
    for hit in hits:
        if hit.street or hit.company:
            continue
        kinds = {e.kind for e in hit.entries}
        if kinds & {"place", "elsewhere", "china"}:
            anchors.append(hit.span)
        if "china" in kinds:
            countries.append(hit.span)
    han = has_han(norm) and not has_kana(norm)
    return _PostalScene(
        china=ctx.china or han,
        india=ctx.country == "IN" or "India" in ctx.elsewhere,
        elsewhere=tuple(dict.fromkeys(ctx.elsewhere)),
        xinjiang_place=bool(ctx.accepted_codes),
        anchors=anchors,
        countries=countries,
    )


def _postal_evidence(
    pc: PostalCode,
    position: str | None,
    placed: list[tuple[PostalCode, str | None]],
    ctx: Context,
    scene: _PostalScene,
) -> list[Evidence]:
    """A number in the Xinjiang range is a Xinjiang postcode only where it stands as the postcode
    of a Chinese address and nothing says otherwise; a room or order number in a Shenzhen address
    is not one. What stands where a postcode stands but is contradicted stays a weak signal."""
    china = scene.china or pc.label in ("邮编", "邮政编码")

    def signal(strength: str, detail: str, value: float = 0.0) -> list[Evidence]:
        return [Evidence(Signal("postal_code", strength, detail, pc.span), value, "postal")]

    if not pc.xinjiang_range:
        if china and pc.chinese_range and not scene.india:
            ctx.elsewhere.append(f"postal code {pc.code}")
            detail = f"postal code {pc.code} lies outside the Xinjiang range 83xxxx-84xxxx"
            return signal("negative", detail)
        return []
    if scene.india or pc.pin_label:
        detail = f"{pc.code} is in the Indian PIN range for Jharkhand/Bihar, not a Chinese postcode"
        return signal("negative", detail)
    other = [
        o.code
        for o, where in placed
        if where is not None and o.chinese_range and not o.xinjiang_range and not o.pin_label
    ]
    if other and china:
        if position == "label":
            detail = (
                f"{pc.code} is labelled as a postcode in the Xinjiang range, but the address also "
                f"has postcode {other[0]}, outside Xinjiang"
            )
            return signal("weak", detail, POSTAL_WEAK)
        detail = (
            f"{pc.code} is not read as a postcode: the address has its own postcode {other[0]}, "
            "outside Xinjiang (a room, unit or order number?)"
        )
        return signal("negative", detail)
    if scene.elsewhere and not scene.xinjiang_place:
        where = ", ".join(scene.elsewhere)
        if position is None:
            detail = (
                f"{pc.code} is not read as a postcode: it stands inside an address that names "
                f"{where}, outside Xinjiang (a room, unit or order number?)"
            )
            return signal("negative", detail)
        detail = (
            f"{pc.code} stands where a postcode stands and is in the Xinjiang range, but the "
            f"address names {where}, outside Xinjiang"
        )
        return signal("weak", detail, POSTAL_WEAK)
    if not china:
        detail = (
            f"{pc.code} is in the Xinjiang postal range, but nothing shows that the address is in "
            "China (six-digit codes are also used in India and elsewhere)"
        )
        return signal("weak", detail, POSTAL_WEAK)
    if position is None:
        detail = (
            f"{pc.code} is in the Xinjiang postal range, but it stands inside the address, not "
            "where a postcode stands (after 邮编 or 'postcode', next to a city or province, or at "
            "the end): it may be a room, unit or order number"
        )
        return signal("weak", detail, POSTAL_WEAK)
    detail = f"postal code {pc.code} is in the Xinjiang range 83xxxx-84xxxx"
    return signal("strong", detail, POSTAL_STRONG)
