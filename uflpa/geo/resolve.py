"""Does an address (or any free text) point to Xinjiang? `locate` weighs every clue and says why.

Under the UFLPA the presumption attaches to goods made wholly or in part in Xinjiang, whoever made
them, so an address in Xinjiang matters even when no listed entity does. Evidence is collected as
*signals* (strong, weak or negative) and folded into one confidence.

Confidence scale (how strongly the text places the party in Xinjiang, 0..1):

* 0.90  one strong signal: an unambiguous county-level or prefecture-level place, an XPCC form
        (兵团, 农一师, 142团, 团场), a postal code 83xxxx-84xxxx standing as the postcode of a
        Chinese address (after 邮编/postcode, next to a city or province, or at the end) with no
        place elsewhere or other postcode saying otherwise, or a USCC (right check character)
        whose region digits are 65.
* 0.85  the region name alone ("Xinjiang", 新疆), or an ambiguous spelling that the rest of the
        text confirms (Aksu with "China", 和硕县 with its prefecture).
* 0.70  a Xinjiang place heading a company name and no address elsewhere: Chinese firm names
        begin with the place of registration.
* +0.05 when two or more independent strong signals agree (a county and its postal code);
  -0.10 when the text also names a place outside Xinjiang or the declared country is not China.
* 0.25-0.45  weak only: an ambiguous spelling with no context, a Xinjiang-prefixed company name
        whose address is elsewhere, a postal-range number without China context, inside the
        address (a room number?) or contradicted by a place elsewhere, a USCC with a
        wrong check character; 0.15 less (not below 0.05) when a false friend or a contrary
        number is also present. These are for human review, not a verdict.
* 0.05  only false friends (Xinjiang Road in Shanghai, Yiwu in Zhejiang, Aksu in Kazakhstan).
* 0.0   nothing at all.

`in_xinjiang` is True exactly when the confidence is at least 0.5, so weak evidence never decides
alone; the signals stay visible so shipment rules can send them to review. `Location.answer`
(`in_xinjiang` in `to_dict`, hence in `locate --format json`) says it three ways: `yes`,
`possible` (a strong or weak Xinjiang signal below 0.5: what `xinjiang-weak-signal` reviews) or
`no`, so that a weak clue is never read as false.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from uflpa.geo import lexicon as lx
from uflpa.geo.evidence import (
    CAP,
    COMPANY_PREFIX,
    COMPANY_PREFIX_ELSEWHERE,
    CONFIRMED_AMBIGUOUS,
    CONFLICT_PENALTY,
    CONTRADICTED_WEAK_PENALTY,
    CORROBORATION_BONUS,
    FALSE_FRIEND_ONLY,
    REGION_ONLY,
    STRONG_PLACE,
    THRESHOLD,
    WEAK_BY_KIND,
    Context,
    Evidence,
    code_evidence,
)
from uflpa.geo.index import Entry
from uflpa.geo.location import Location, PlaceMatch, Signal
from uflpa.geo.matcher import Hit, scan
from uflpa.reference.countries import is_china
from uflpa.reference.places import Place, ancestors, place_by_code
from uflpa.text.normalize import normalise
from uflpa.text.script import has_kana

__all__ = ["Location", "PlaceMatch", "Signal", "find_places", "locate", "place_rank"]

_XPCC_LEVELS = ("xpcc_corps", "xpcc_division")


def _norm_country(country: str | None) -> str | None:
    """The declared country upper-cased, 'CN' for mainland China, None when none is given."""
    if not country or not country.strip():
        return None
    return "CN" if is_china(country, mainland_only=True) else country.strip().upper()


def _place_entries(hit: Hit) -> list[Entry]:
    entries = [e for e in hit.entries if e.kind == "place"]
    current = [e for e in entries if (p := place_by_code(e.target)) is not None and p.current]
    return current or entries


def _ambiguity(entries: list[Entry]) -> tuple[str | None, str | None]:
    """A spelling is ambiguous only if every place it may denote is (Kashgar is not)."""
    if not entries or any(e.ambiguity is None for e in entries):
        return None, None
    return entries[0].ambiguity, entries[0].caution


def _match(place: Place, hit: Hit, ambiguous: bool, caution: str | None) -> PlaceMatch:
    return PlaceMatch(
        code=place.code,
        name=place.name,
        name_zh=place.name_zh,
        level=place.level,
        span=hit.span,
        matched=hit.matched,
        ambiguous=ambiguous,
        caution=caution,
    )


def find_places(text: str) -> list[PlaceMatch]:
    """Every Xinjiang place spelling in `text`, ambiguous ones included and flagged, without
    weighing context. For recognising place qualifiers in names ("Hetian", 阿克苏, 鄯善)."""
    out: list[PlaceMatch] = []
    for hit in scan(text):
        entries = _place_entries(hit)
        kind, caution = _ambiguity(entries)
        if hit.street:
            caution = "part of a street name"
        elif kind and hit.other_admin:
            caution = f"followed by another administrative type word; {caution}"
        for e in entries:
            place = place_by_code(e.target)
            if place is not None:
                flagged = kind is not None or hit.street
                out.append(_match(place, hit, flagged, caution))
    out.sort(key=lambda m: (m.span[0], place_rank(m.code)))
    return out


def place_rank(code: str) -> int:
    place = place_by_code(code)
    return place.rank if place else 9


def _context(norm: str, hits: list[Hit], country: str | None) -> Context:
    china = country == "CN"
    foreign = (country is not None and country != "CN") or has_kana(norm)
    foreign = foreign or any(w in norm for w in lx.JAPAN_WORDS)
    elsewhere: list[str] = []
    accepted: set[str] = set()
    for hit in hits:
        for e in hit.entries:
            if e.kind == "china":
                china = True
            elif e.kind in ("elsewhere", "false_friend") and e.country:
                if e.country == "CN":
                    china = True
                elif not hit.street:
                    foreign = True
                if not hit.street and not hit.company and e.target:
                    elsewhere.append(e.target)
        entries = _place_entries(hit)
        if entries and not hit.street and _ambiguity(entries)[0] is None:
            china = True
            accepted.update(e.target for e in entries)
    return Context(country, china, foreign, elsewhere, bool(accepted), False, accepted)


def locate(text: str, *, country: str | None = None) -> Location:
    """Weigh every Xinjiang clue in `text` (an address, a party line, a company name)."""
    if not text or not text.strip():
        return Location(False, 0.0, (), (), "empty text")
    return _locate(text, _norm_country(country))


# Bulk screening repeats the same supplier address on many rows; results are immutable.
@lru_cache(maxsize=32768)
def _locate(text: str, country: str | None) -> Location:
    norm = normalise(text)
    hits = scan(text, norm)
    ctx = _context(norm, hits, country)
    evidence: list[Evidence] = []
    evidence += code_evidence(norm, ctx, hits)
    ctx.xinjiang = ctx.xinjiang or any(e.signal.strength == "strong" for e in evidence)
    evidence += _hit_evidence(hits, ctx)
    if ctx.country and ctx.country != "CN" and any(e.places for e in evidence):
        detail = f"the declared country {ctx.country} is not China"
        evidence.append(Evidence(Signal("country", "negative", detail, None), 0.0, "country"))
    return _conclude(evidence, ctx)


# --- evidence from spellings ---------------------------------------------------------------------


def _related(places: Iterable[str], hits: list[Hit], own: Hit) -> bool:
    """True when another spelling in the text is an ancestor or descendant of one of `places`."""
    mine = set(places)
    for hit in hits:
        if hit is own or hit.street:
            continue
        for e in _place_entries(hit):
            if e.target in mine:
                continue
            if any(a in mine for a in ancestors(e.target)):
                return True
            if any(e.target in ancestors(p) for p in mine):
                return True
    return False


def _judge(kind: str, codes: list[str], hit: Hit, hits: list[Hit], ctx: Context) -> str:
    """'ok', 'weak' or 'negative' for an ambiguous spelling, from the rest of the text."""
    related = _related(codes, hits, hit)
    if kind == lx.DISTRICT:
        urumqi = any(
            c == lx.URUMQI_CODE or lx.URUMQI_CODE in ancestors(c) for c in ctx.accepted_codes
        )
        if urumqi or (related and lx.URUMQI_CODE in {a for c in codes for a in ancestors(c)}):
            return "ok"
        return "negative" if (ctx.elsewhere or ctx.foreign) else "weak"
    if ctx.xinjiang or related or (kind == lx.MILITARY and ctx.xpcc):
        return "ok"
    if kind == lx.FOREIGN:
        if ctx.country is not None:
            return "ok" if ctx.country == "CN" else "negative"
        if ctx.foreign:
            return "weak" if ctx.china else "negative"
        return "ok" if ctx.china else "weak"
    return "negative" if (ctx.elsewhere or ctx.foreign) else "weak"


def _hit_evidence(hits: list[Hit], ctx: Context) -> list[Evidence]:
    out: list[Evidence] = []
    accepted: list[tuple[Hit, list[Place], Evidence]] = []
    for hit in hits:
        out.extend(_other_entry_evidence(hit))
        entries = _place_entries(hit)
        places = [p for e in entries if (p := place_by_code(e.target)) is not None]
        if not places:
            continue
        kind, caution = _ambiguity(entries)
        if hit.street:
            detail = (
                f"'{hit.matched}' is part of a street name (streets named after Xinjiang places "
                "exist across China); a street name is not a location in Xinjiang"
            )
            out.append(Evidence(Signal("false_friend", "negative", detail, hit.span), 0.0, "ff"))
            continue
        if kind and hit.other_admin:
            detail = f"'{hit.matched}' is followed by another administrative type word: {caution}"
            out.append(Evidence(Signal("false_friend", "negative", detail, hit.span), 0.0, "ff"))
            continue
        verdict = _judge(kind, [p.code for p in places], hit, hits, ctx) if kind else "ok"
        if verdict == "negative":
            detail = f"'{hit.matched}' is ambiguous and the text points elsewhere: {caution}"
            out.append(Evidence(Signal("false_friend", "negative", detail, hit.span), 0.0, "ff"))
            continue
        ev = _place_evidence(hit, places, kind, caution, verdict, ctx)
        out.append(ev)
        accepted.append((hit, places, ev))
    _prune_seat_cities(accepted)
    return out


def _other_entry_evidence(hit: Hit) -> list[Evidence]:
    out = []
    for e in hit.entries:
        if hit.street:
            break
        if e.kind == "false_friend" or (e.kind == "elsewhere" and e.caution):
            sig = Signal("false_friend", "negative", e.caution or "", hit.span)
            out.append(Evidence(sig, 0.0, "ff"))
        if e.kind == "elsewhere" and not hit.company:
            detail = f"'{hit.matched}' places the address in {e.target}, outside Xinjiang"
            out.append(
                Evidence(Signal("elsewhere", "negative", detail, hit.span), 0.0, "elsewhere")
            )
    return out


def _describe(places: list[Place]) -> str:
    return " or ".join(f"{p.name} ({p.name_zh}, {p.code})" for p in places)


def _place_evidence(
    hit: Hit,
    places: list[Place],
    kind: str | None,
    caution: str | None,
    verdict: str,
    ctx: Context,
) -> Evidence:
    ambiguous = kind is not None
    matches = [_match(p, hit, ambiguous, caution) for p in places]
    xpcc = all(p.level in _XPCC_LEVELS for p in places)
    sig_kind = "xpcc" if xpcc else "place_name"
    group = "xpcc" if xpcc else f"place:{places[0].code}"
    named = f"'{hit.matched}' names {_describe(places)}"
    if hit.company:
        if ctx.elsewhere:
            where = ", ".join(dict.fromkeys(ctx.elsewhere))
            detail = (
                f"{named} at the head of a company name, but the address is elsewhere ({where}): "
                "the firm may be registered elsewhere; check where the goods are made"
            )
            sig = Signal("company_name_prefix", "weak", detail, hit.span)
            return Evidence(sig, COMPANY_PREFIX_ELSEWHERE, group, matches)
        if verdict == "ok":
            detail = (
                f"{named} at the head of a company name; Chinese firm names begin with the place "
                "of registration, so the firm is probably registered in Xinjiang, but it may be "
                "registered or make its goods elsewhere: give its address"
            )
            sig = Signal("company_name_prefix", "weak", detail, hit.span)
            return Evidence(sig, COMPANY_PREFIX, group, matches)
    if verdict == "ok":
        if ambiguous:
            detail = (
                f"{named}; the spelling is ambiguous ({caution}) but the text confirms Xinjiang"
            )
            value = CONFIRMED_AMBIGUOUS
        else:
            detail = f"{named} in Xinjiang"
            value = REGION_ONLY if places[0].level == "autonomous_region" else STRONG_PLACE
        return Evidence(Signal(sig_kind, "strong", detail, hit.span), value, group, matches)
    detail = f"{named} only if read as Xinjiang: {caution}; nothing else in the text confirms it"
    value = WEAK_BY_KIND.get(kind or "", 0.3)
    return Evidence(Signal(sig_kind, "weak", detail, hit.span), value, group, matches)


def _prune_seat_cities(accepted: list[tuple[Hit, list[Place], Evidence]]) -> None:
    """'Kashgar' names both the prefecture and its seat city; when another county of the same
    prefecture is named, the bare name means the prefecture, so drop the seat city."""
    counties = {m.code for _, _, ev in accepted for m in ev.places if place_rank(m.code) <= 1}
    for _, places, ev in accepted:
        if len(places) < 2:
            continue
        codes = {p.code for p in places}
        for p in places:
            parent = p.parent_code
            if parent in codes and any(
                c != p.code and parent in ancestors(c) for c in counties - codes
            ):
                ev.places = [m for m in ev.places if m.code != p.code]


# --- conclusion ----------------------------------------------------------------------------------


def _conclude(evidence: list[Evidence], ctx: Context) -> Location:
    strong = [e for e in evidence if e.signal.strength == "strong"]
    weak = [e for e in evidence if e.signal.strength == "weak"]
    negative = [e for e in evidence if e.signal.strength == "negative"]
    conflict = bool(ctx.elsewhere) or (ctx.country is not None and ctx.country != "CN")
    if strong:
        confidence = max(e.value for e in strong)
        if len({e.group for e in strong}) >= 2:
            confidence += CORROBORATION_BONUS
        if conflict:
            confidence -= CONFLICT_PENALTY
        reason = "; ".join(dict.fromkeys(e.signal.detail for e in _top(strong)))
    elif weak:
        confidence = max(e.value for e in weak)
        if any(e.group != "elsewhere" for e in negative):  # 'elsewhere' is already weighed
            confidence = max(FALSE_FRIEND_ONLY, confidence - CONTRADICTED_WEAK_PENALTY)
        reason = "review, weak evidence only: " + "; ".join(
            dict.fromkeys(e.signal.detail for e in _top(weak))
        )
    elif negative:
        confidence = FALSE_FRIEND_ONLY if any(e.group == "ff" for e in negative) else 0.0
        reason = "not Xinjiang: " + "; ".join(dict.fromkeys(e.signal.detail for e in negative[:2]))
    else:
        confidence = 0.0
        reason = "no Xinjiang place name, postal code, USCC region digits or XPCC form found"
    confidence = round(min(CAP, max(0.0, confidence)), 2)
    places: dict[str, PlaceMatch] = {}
    for e in strong + weak:
        for m in e.places:
            places.setdefault(m.code, m)
    ordered = sorted(places.values(), key=lambda m: (place_rank(m.code), m.span[0]))
    signals = tuple(e.signal for e in sorted(evidence, key=_signal_order))
    return Location(confidence >= THRESHOLD, confidence, tuple(ordered), signals, reason)


def _top(evidence: list[Evidence]) -> list[Evidence]:
    return sorted(evidence, key=lambda e: -e.value)[:2]


_STRENGTH_ORDER = {"strong": 0, "weak": 1, "negative": 2}


def _signal_order(e: Evidence) -> tuple[int, int]:
    return _STRENGTH_ORDER[e.signal.strength], e.signal.span[0] if e.signal.span else -1
