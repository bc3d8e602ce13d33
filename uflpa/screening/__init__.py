"""Screening: the only place verdicts are made, and the Screener service every surface calls.

`Screener(matchers).screen_shipment(row)` gathers the evidence about a shipment (list matches,
Xinjiang locations, HTS sectors) and applies the rules kept as versioned data in
`uflpa/screening/rules/`; the verdict records the list, rules and algorithm versions. Which list
versions the matchers hold is chosen above this layer (`uflpa.catalog`, from the store).
"""

from uflpa.screening.rows import PartyRow, RowError, ScreenedRow
from uflpa.screening.ruleset import DEFAULT_RULES, Rule, Ruleset, load_ruleset
from uflpa.screening.service import Screener
from uflpa.screening.shipment import (
    Party,
    ShipmentRow,
    UnscreenableRow,
    parse_import_date,
    shipment_from_values,
)
from uflpa.screening.verdict import (
    CellIssue,
    Goods,
    Note,
    PartyVerdict,
    Reason,
    ShipmentVerdict,
    Versions,
)

__all__ = [
    "DEFAULT_RULES",
    "CellIssue",
    "Goods",
    "Note",
    "Party",
    "PartyRow",
    "PartyVerdict",
    "Reason",
    "RowError",
    "Rule",
    "Ruleset",
    "ScreenedRow",
    "Screener",
    "ShipmentRow",
    "ShipmentVerdict",
    "UnscreenableRow",
    "Versions",
    "load_ruleset",
    "parse_import_date",
    "shipment_from_values",
]
