"""Screening: the only place verdicts are made, and the Screener service every surface calls.

`Screener.bundled().screen_shipment(row)` gathers the evidence about a shipment (list matches,
Xinjiang locations, HTS sectors) and applies the rules kept as versioned data in
`uflpa/screening/rules/`; the verdict records the list, rules and algorithm versions.
"""

from uflpa.screening.ruleset import DEFAULT_RULES, Rule, Ruleset, load_ruleset
from uflpa.screening.service import Screener
from uflpa.screening.shipment import (
    DEFAULT_HEADERS,
    ROLES,
    SHIPMENT_ALIASES,
    SHIPMENT_COLUMNS,
    Party,
    ShipmentRow,
    UnscreenableRow,
    parse_import_date,
    shipment_from_values,
)
from uflpa.screening.verdict import PartyVerdict, Reason, ShipmentVerdict, Versions

__all__ = [
    "DEFAULT_HEADERS",
    "DEFAULT_RULES",
    "ROLES",
    "SHIPMENT_ALIASES",
    "SHIPMENT_COLUMNS",
    "Party",
    "PartyVerdict",
    "Reason",
    "Rule",
    "Ruleset",
    "Screener",
    "ShipmentRow",
    "ShipmentVerdict",
    "UnscreenableRow",
    "Versions",
    "load_ruleset",
    "parse_import_date",
    "shipment_from_values",
]
