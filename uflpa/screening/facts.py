"""The evidence gathered about a shipment before any rule is applied.

Gathering (matching names, locating addresses, classifying the HTS code) is the costly part and
is the same whatever the rules say; the rules then only read these records. Keeping the two apart
lets a new rules version be applied to the same facts, and lets tests build facts by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from uflpa.geo import Location
from uflpa.identifiers import USCC
from uflpa.match import MatchResult
from uflpa.screening.shipment import Party
from uflpa.sectors import HtsResult, SectorHint


@dataclass(frozen=True, slots=True)
class PartyFacts:
    """What is known about one party: its best list candidates on the screening date, where its
    text places it, its registration code, and whether it is in China (and why)."""

    party: Party
    matches: tuple[MatchResult, ...] = ()
    location: Location | None = None
    uscc: USCC | None = None
    china: str | None = None
    # Hit-level candidates on the current list that were not listed on the screening date.
    listed_later: tuple[MatchResult, ...] = ()

    @property
    def label(self) -> str:
        """The party as a reviewer would name it: its name, else its address."""
        return self.party.name or self.party.address

    def has_listed_hit(self, exclude_forms: frozenset[str], lists: frozenset[str]) -> bool:
        """A hit on one of `lists` under a name form other than `exclude_forms`."""
        return any(
            m.verdict == "hit" and m.name_form not in exclude_forms and m.list_name in lists
            for m in self.matches
        )


@dataclass(frozen=True, slots=True)
class ShipmentFacts:
    """Everything the rules read about one shipment row.

    `as_of` is the date the list was read on (None: the current list) and `as_of_basis` says
    where it came from: 'import_date', '--as-of', 'no import date', 'unreadable import date' or
    'suspicious import date' (then `as_of` is `today`). `date_suspicion` is (kind, why) for an
    import date that cannot be the real one (`shipment.suspicious_date`).
    """

    parties: tuple[PartyFacts, ...]
    as_of: date | None
    as_of_basis: str
    country_of_origin: str = ""
    origin_china: bool = False
    hts: HtsResult | None = None
    hts_text: str = ""
    hts_problem: str | None = None
    hints: tuple[SectorHint, ...] = ()
    description: str = ""
    description_location: Location | None = None
    origin_evidence: str = ""
    date_problem: str | None = None
    import_date_text: str = ""
    import_date: date | None = None
    date_suspicion: tuple[str, str] | None = None
    today: date | None = None
