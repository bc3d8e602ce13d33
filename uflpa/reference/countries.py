"""Is a declared country China? The one table of how trade files write China, Hong Kong and Macao.

Two questions are asked of a party's or a shipment's country column, so there are two readings:

* Matching and screening ask whether a party is Chinese in the sense of the Entity List, whose
  entities are registered in mainland China, Hong Kong and Macao: any spelling below counts.
* Address resolution asks whether an address is in mainland China, where an ambiguous spelling
  (Aksu, Tianshan) is confirmed as the Xinjiang place and a Hong Kong address is elsewhere:
  `mainland_only=True`. That reading has only ever known the ISO codes and the standard names
  (CN, CHN, China, PRC, People's Republic of China, 中国), compared upper-cased rather than
  case-folded, so 'P.R.C.', 'Mainland China' or 中华人民共和国 count there as another country.
  The difference is kept, so that no result changes; widening it is a behaviour change of its own.
"""

from __future__ import annotations

#: ISO 3166 codes of China and its special administrative regions.
CHINA_CODES = frozenset({"CN", "HK", "MO"})

# Spellings of a declared country, case-folded, grouped by what they name.
_MAINLAND_STANDARD = ("cn", "chn", "china", "prc", "people's republic of china", "中国")
_MAINLAND_VARIANTS = (
    "p.r.c.",
    "p.r. china",
    "pr china",
    "peoples republic of china",
    "china (mainland)",
    "mainland china",
    "zhongguo",
    "中华人民共和国",
)
_HONG_KONG_MACAO = ("hk", "hong kong", "hongkong", "mo", "macau", "macao", "香港")

_CHINA = frozenset((*_MAINLAND_STANDARD, *_MAINLAND_VARIANTS, *_HONG_KONG_MACAO))
_MAINLAND = frozenset(s.upper() for s in _MAINLAND_STANDARD)


def is_china(country: str | None, *, mainland_only: bool = False) -> bool | None:
    """True/False for a declared country, None when none is given (empty or blank).

    `mainland_only`: the address resolver's narrower reading (see the module docstring)."""
    if not country or not country.strip():
        return None
    if mainland_only:
        return country.strip().upper() in _MAINLAND
    return country.strip().casefold() in _CHINA
