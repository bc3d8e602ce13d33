"""What one shipment row says: its parties by role, the goods, the origin and the import date.

Shipment files come from customs brokers, ERPs and bill-of-lading exports, so the columns are
spelt many ways; `uflpa.io.aliases` lists the accepted spellings and `--column` maps the rest.
`shipment_from_values` turns one row read by `uflpa.io` into a `ShipmentRow`, or says why the row
cannot be screened (no party at all), so that no such row is ever given a verdict as if clean.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from uflpa.model import ROLES


@dataclass(frozen=True, slots=True)
class Party:
    """One party of a shipment, as written in the file."""

    role: str
    name: str
    address: str = ""
    identifier: str = ""
    country: str = ""

    def to_dict(self) -> dict[str, str]:
        out = {"role": self.role, "name": self.name}
        for key in ("address", "identifier", "country"):
            value = getattr(self, key)
            if value:
                out[key] = value
        return out


@dataclass(frozen=True, slots=True)
class ShipmentRow:
    """One shipment: its parties and goods. `import_date` is None when the file gives none or it
    cannot be read; `date_problem` then says which (and the row is screened against the current
    list, which its verdict says)."""

    row: int
    parties: tuple[Party, ...]
    id: str = ""
    country_of_origin: str = ""
    hts: str = ""
    description: str = ""
    import_date: date | None = None
    import_date_text: str = ""
    date_problem: str | None = None
    origin_evidence: str = ""
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class UnscreenableRow:
    """A row that cannot be screened at all, with the reason (reported, never given a verdict)."""

    row: int
    reason: str
    column: str | None = None


def shipment_from_values(values: Mapping[str, str], row: int) -> ShipmentRow | UnscreenableRow:
    """A `ShipmentRow` from canonical column values, or why the row cannot be screened."""
    parties = []
    for role in ROLES:
        name = values.get(role, "").strip()
        address = values.get(f"{role}_address", "").strip()
        # An address without a name still locates a facility: screen it under its role.
        if name or address:
            parties.append(
                Party(
                    role=role,
                    name=name,
                    address=address,
                    identifier=values.get(f"{role}_id", "").strip(),
                    country=values.get(f"{role}_country", "").strip(),
                )
            )
    if not parties:
        return UnscreenableRow(
            row=row,
            reason="no party: manufacturer, seller, exporter and supplier are all empty",
        )
    text = values.get("import_date", "").strip()
    day, problem = parse_import_date(text) if text else (None, None)
    return ShipmentRow(
        row=row,
        parties=tuple(parties),
        id=values.get("id", "").strip(),
        country_of_origin=values.get("country_of_origin", "").strip(),
        hts=values.get("hts", "").strip(),
        description=values.get("description", "").strip(),
        import_date=day,
        import_date_text=text,
        date_problem=problem,
        origin_evidence=values.get("origin_evidence", "").strip(),
    )


_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][0-9:.+\-Z]*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_HAN_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
_DAY_FIRST_OR_MONTH_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def parse_import_date(text: str) -> tuple[date | None, str | None]:
    """(date, None) for a readable date, (None, reason) otherwise.

    Year-first forms (2024-03-05, 2024/3/5, 20240305, 2024年3月5日, an ISO timestamp) are read as
    written. 05/03/2024 is read only when one part is above 12; otherwise it could be 5 March or
    3 May, and a wrong guess would screen against the wrong list, so it is reported instead.
    """
    t = text.strip()
    for pattern in (_ISO, _COMPACT, _HAN_DATE):
        m = pattern.match(t)
        if m:
            return _ymd(t, int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _DAY_FIRST_OR_MONTH_FIRST.match(t)
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if a > 12 >= b:
            return _ymd(t, year, b, a)
        if b > 12 >= a:
            return _ymd(t, year, a, b)
        if a == b:
            return _ymd(t, year, a, b)
        return None, f"ambiguous date {t!r}: day and month could be either way; use YYYY-MM-DD"
    return None, f"unreadable date {t!r}: use YYYY-MM-DD"


#: Dates that systems write for "no date", and why each is one.
PLACEHOLDER_DATES = {
    date(1, 1, 1): "the smallest date many systems store, written for 'no date'",
    date(1899, 12, 30): "day zero of spreadsheet dates, written for an empty cell",
    date(1899, 12, 31): "day zero of spreadsheet dates, written for an empty cell",
    date(1900, 1, 1): "day zero of spreadsheet dates, written for an empty cell",
    date(1970, 1, 1): "day zero of Unix time, written for an empty timestamp",
    date(9999, 12, 31): "the largest date systems store, written for 'no date' or 'no end'",
}
#: Before this no import can concern the UFLPA list (and a date this old is a typo or a filler).
EARLIEST_PLAUSIBLE = date(1950, 1, 1)
PLACEHOLDER = "placeholder"
FUTURE = "future"


def suspicious_date(day: date, today: date) -> tuple[str, str] | None:
    """(kind, why in words) when an import date read from a file cannot be the real one: a
    placeholder ('placeholder': 1900-01-01, 0001-01-01, 9999-12-31, before 1950) or a day after
    `today` ('future'); None for a plausible date. Screening such a row as of that day would
    read an empty list (1900) or one nobody knows yet (a future day)."""
    why = PLACEHOLDER_DATES.get(day)
    if why is not None:
        return PLACEHOLDER, f"{day.isoformat()} is {why}"
    if day < EARLIEST_PLAUSIBLE:
        return PLACEHOLDER, (
            f"{day.isoformat()} is before 1950, long before any import the list can concern"
        )
    if day > today:
        days = (day - today).days
        return FUTURE, f"{day.isoformat()} is {days} day(s) after today ({today.isoformat()})"
    return None


def far_future(day: date, today: date, days: int) -> bool:
    """More than `days` after `today`: a typo or a filler rather than a planned import."""
    return day > today + timedelta(days=days)


def _ymd(text: str, year: int, month: int, day: int) -> tuple[date | None, str | None]:
    try:
        return date(year, month, day), None
    except ValueError:
        return None, f"unreadable date {text!r}: no such day; use YYYY-MM-DD"
