"""UFLPA high-priority sectors: HTS code mapping (`classify_hts`) and description hints."""

from uflpa.sectors.hts import MAPPING_NOTE, HtsResult, SectorHit, classify_hts, normalize_hts
from uflpa.sectors.keywords import SectorHint, sectors_for_description

__all__ = [
    "MAPPING_NOTE",
    "HtsResult",
    "SectorHint",
    "SectorHit",
    "classify_hts",
    "normalize_hts",
    "sectors_for_description",
]
