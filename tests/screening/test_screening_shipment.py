"""Shipment rows: import dates, parties by role, and rows that cannot be screened."""

from __future__ import annotations

from datetime import date

import pytest

from uflpa.io.aliases import DEFAULT_HEADERS, SHIPMENT_ALIASES, SHIPMENT_COLUMNS
from uflpa.screening import (
    ShipmentRow,
    UnscreenableRow,
    parse_import_date,
    shipment_from_values,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05", date(2024, 3, 5)),
        ("2024/3/5", date(2024, 3, 5)),
        ("2024.03.05", date(2024, 3, 5)),
        ("20240305", date(2024, 3, 5)),
        ("2024年3月5日", date(2024, 3, 5)),
        ("2024-03-05T10:30:00", date(2024, 3, 5)),  # an XLSX datetime as uflpa.io writes it
        ("2024-03-05 00:00:00", date(2024, 3, 5)),
        ("25/03/2024", date(2024, 3, 25)),  # day first: 25 cannot be a month
        ("03/25/2024", date(2024, 3, 25)),  # month first: 25 cannot be a month
        ("04/04/2024", date(2024, 4, 4)),  # either way the same day
    ],
)
def test_readable_import_dates(text: str, expected: date) -> None:
    assert parse_import_date(text) == (expected, None)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("03/05/2024", "ambiguous"),  # 3 May or 5 March: never guessed
        ("31/04/2024", "no such day"),
        ("2024-02-30", "no such day"),
        ("next Tuesday", "unreadable"),
        ("2024-13-01", "no such day"),
        ("45123", "unreadable"),  # an Excel serial number that escaped conversion
    ],
)
def test_unreadable_import_dates_say_why(text: str, reason: str) -> None:
    day, problem = parse_import_date(text)
    assert day is None and problem is not None and reason in problem and "YYYY-MM-DD" in problem


def test_parties_by_role_in_role_order() -> None:
    row = shipment_from_values(
        {"supplier": "S Co", "manufacturer": "M Co", "manufacturer_address": "Foshan",
         "manufacturer_id": "91440300745123456B", "exporter_country": "VN", "exporter": "E Co",
         "hts": "6109.10", "import_date": "2024-01-02", "id": "X1"},
        7,
    )  # fmt: skip
    assert isinstance(row, ShipmentRow)
    assert [p.role for p in row.parties] == ["manufacturer", "exporter", "supplier"]
    assert row.parties[0].identifier == "91440300745123456B"
    assert row.parties[1].country == "VN"
    assert (row.row, row.id, row.import_date) == (7, "X1", date(2024, 1, 2))


def test_an_address_without_a_name_is_still_a_party() -> None:
    row = shipment_from_values({"manufacturer_address": "Hami Industrial Park, Hami"}, 3)
    assert isinstance(row, ShipmentRow) and row.parties[0].name == ""


def test_no_party_at_all_cannot_be_screened() -> None:
    row = shipment_from_values({"hts": "6109", "description": "T-shirts"}, 9)
    assert isinstance(row, UnscreenableRow)
    assert row.row == 9 and "no party" in row.reason


def test_unreadable_date_is_kept_with_its_problem() -> None:
    row = shipment_from_values({"seller": "S", "import_date": "31/04/2024"}, 2)
    assert isinstance(row, ShipmentRow)
    assert row.import_date is None and row.date_problem and row.import_date_text == "31/04/2024"


def test_documented_headers_are_columns_and_aliases_are_distinct() -> None:
    assert set(DEFAULT_HEADERS) <= set(SHIPMENT_COLUMNS)
    assert set(SHIPMENT_ALIASES) <= set(SHIPMENT_COLUMNS)
    spellings = [s for v in SHIPMENT_ALIASES.values() for s in v]
    assert len(spellings) == len(set(spellings)), "an alias may feed only one column"
