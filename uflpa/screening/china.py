"""Is a party in China? The sector rule needs to know, and shipment files rarely say outright.

A declared country decides. Otherwise the party's own text is read: a place in mainland China,
Hong Kong or Macao (the geo index knows provinces and major cities), the word China or PRC,
Chinese characters, or a Unified Social Credit Code (only Chinese firms have one). Each answer
says what it rests on, since that is the evidence a reviewer reads.
"""

from __future__ import annotations

from functools import lru_cache

from uflpa.geo.matcher import scan
from uflpa.identifiers import parse_uscc
from uflpa.reference.countries import CHINA_CODES as _CHINA
from uflpa.reference.countries import is_china
from uflpa.text.normalize import normalise
from uflpa.text.script import has_han, has_kana


def china_basis(name: str, address: str, country: str = "", identifier: str = "") -> str | None:
    """Why the party is taken to be in China, or None when nothing says so (or a declared
    country says it is elsewhere)."""
    declared = is_china(country)
    if declared is not None:
        return f"declared country {country.strip()!r}" if declared else None
    uscc = parse_uscc(identifier) if identifier else None
    if uscc is not None and uscc.valid:
        return f"Unified Social Credit Code {uscc.code} (Chinese registration)"
    return _text_basis(" ".join(t for t in (name, address) if t))


@lru_cache(maxsize=32768)
def _text_basis(text: str) -> str | None:
    if not text.strip():
        return None
    norm = normalise(text)
    foreign = False
    for hit in scan(text, norm):
        if hit.street:
            continue  # "Nanjing Road" says nothing about where the firm is
        for entry in hit.entries:
            if entry.kind == "china":
                return f"{hit.matched!r} in the party's name or address"
            # An ambiguous Xinjiang spelling (Aksu, Tianshan) says nothing about the country.
            place = entry.kind == "place" and entry.ambiguity is None
            if place or (entry.kind == "elsewhere" and entry.country in _CHINA):
                where = "Xinjiang" if entry.kind == "place" else entry.target
                return f"{hit.matched!r} ({where}) in the party's name or address"
            foreign = foreign or entry.kind == "elsewhere"
    # Han script alone points to China unless a place elsewhere is named (Taiwan, Japan...).
    if not foreign and has_han(norm) and not has_kana(norm):
        return "Chinese characters in the party's name or address"
    return None


def is_china_country(country: str) -> bool:
    """True for a country of origin that is China (CN, China, PRC, 中国, Hong Kong, Macao)."""
    return bool(is_china(country))
