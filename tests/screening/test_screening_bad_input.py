"""Bad cells of a shipment row never pass for a clean row (issue 19, points 5 and 7): an HTS code
that cannot be read is a review reason and a common malformed form is read with the repair
shown; a placeholder or far-future import date is a review screened against the list as of
today, a near-future one a note; a manufacturer address without its name is reported."""

from __future__ import annotations

from datetime import date

import pytest

from uflpa.lists.bundled import load_bundled
from uflpa.match import Matcher
from uflpa.screening import Screener, ShipmentRow, ShipmentVerdict, shipment_from_values

TODAY = date(2026, 12, 7)
LISTED = "Xinjiang Daqo New Energy Co., Ltd."  # listed since 2022-06-21 (UFLPA-009)
UNLISTED = "Qingdao Sanhe Trading Co., Ltd."


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(Matcher([load_bundled()]), today=lambda: TODAY)


def screen(screener: Screener, **values: str) -> ShipmentVerdict:
    row = shipment_from_values(values, 2)
    assert isinstance(row, ShipmentRow), row
    return screener.screen_shipment(row)


def rules(verdict: ShipmentVerdict) -> set[str]:
    return {r.rule for r in verdict.reasons}


# --- point 5: HTS codes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hts", "problem"),
    [
        ("5201/5205", "more than one code"),
        ("cotton", "only digits"),
        ("52011", "5 digits"),
        ("520100123456", "at most 10"),
        ("0000", "chapter 00"),
    ],
)
def test_an_unreadable_hts_code_is_a_review_reason(
    screener: Screener, hts: str, problem: str
) -> None:
    # Made in Vietnam by an unlisted firm: nothing else would send this row to review.
    verdict = screen(
        screener, manufacturer="Saigon Knit Co.", country_of_origin="VN", hts=hts,
        import_date="2024-02-01",
    )  # fmt: skip
    assert verdict.verdict == "review", verdict.to_dict()
    reason = next(r for r in verdict.reasons if r.rule == "hts-unreadable")
    assert problem in reason.evidence["problem"] and hts in reason.says
    assert [i.column for i in verdict.issues] == ["hts"]


@pytest.mark.parametrize(
    ("hts", "shown", "words"),
    [
        ("5201.1", "5201.10", "trailing zero"),
        ("５２０１．００", "5201.00", "full-width"),
        ("5201-00-1000", "5201.00.1000", "dash"),
        ("52.01", "5201", "HS notation"),
        ("5201 . 00", "5201.00", "separators"),
    ],
)
def test_a_repaired_code_is_screened_as_repaired_and_says_so(
    screener: Screener, hts: str, shown: str, words: str
) -> None:
    verdict = screen(
        screener, manufacturer=UNLISTED, country_of_origin="CN", hts=hts, import_date="2024-02-01"
    )
    assert verdict.verdict == "review"
    assert "china-high-priority-sector" in rules(verdict)  # raw cotton, from China
    assert "hts-unreadable" not in rules(verdict)
    reason = next(r for r in verdict.reasons if r.rule == "china-high-priority-sector")
    assert reason.evidence["hts"] == shown and reason.evidence["hts_input"] == hts
    assert words in reason.evidence["hts_repair"]
    note = next(n for n in verdict.notes if n.note == "hts-repaired")
    assert shown in note.says and words in note.says
    assert verdict.goods.hts == shown and not verdict.issues


def test_a_leading_zero_lost_before_a_dot_is_repaired(screener: Screener) -> None:
    verdict = screen(
        screener, manufacturer=UNLISTED, country_of_origin="CN", hts="702.00",
        import_date="2024-02-01",
    )  # fmt: skip
    assert verdict.goods.hts == "0702.00"
    assert verdict.goods.sectors == ("tomatoes and downstream products",)


# --- point 7: import dates and an unnamed manufacturer -------------------------------------


@pytest.mark.parametrize("text", ["1900-01-01", "0001-01-01", "9999-12-31", "1970-01-01"])
def test_a_placeholder_date_is_review_screened_against_the_list_of_today(
    screener: Screener, text: str
) -> None:
    verdict = screen(screener, manufacturer=LISTED, import_date=text)
    # The listed maker is found as it is listed today, not cleared as of 1900.
    assert verdict.verdict == "hit"
    assert "listed-party" in rules(verdict)
    assert verdict.as_of == TODAY
    assert "today" in verdict.as_of_basis and TODAY.isoformat() in verdict.as_of_basis
    reason = next(r for r in verdict.reasons if r.rule == "import-date-suspicious")
    assert reason.level == "review" and text in reason.says and "today" in reason.says
    assert reason.evidence["screened_against"] == f"the list as of today, {TODAY.isoformat()}"


def test_a_placeholder_date_alone_is_not_clear(screener: Screener) -> None:
    verdict = screen(screener, manufacturer="Saigon Knit Co.", import_date="1900-01-01")
    assert verdict.verdict == "review"
    assert rules(verdict) == {"import-date-suspicious"}


def test_a_date_far_after_today_is_review(screener: Screener) -> None:
    verdict = screen(screener, manufacturer="Saigon Knit Co.", import_date="2031-05-01")
    assert verdict.verdict == "review" and verdict.as_of == TODAY
    reason = next(r for r in verdict.reasons if r.rule == "import-date-suspicious")
    assert "after today" in reason.evidence["problem"]


def test_a_date_soon_after_today_is_a_note(screener: Screener) -> None:
    """A planned import screened ahead of time: the list of that day is not known yet, so it is
    screened against today's, which the note says; not a review by itself."""
    verdict = screen(screener, manufacturer="Saigon Knit Co.", import_date="2027-01-15")
    assert verdict.verdict == "clear" and verdict.as_of == TODAY
    note = next(n for n in verdict.notes if n.note == "import-date-after-today")
    assert "2027-01-15" in note.says and "today" in note.says
    assert "after today" in verdict.as_of_basis


def test_an_ordinary_date_is_screened_on_that_date(screener: Screener) -> None:
    verdict = screen(screener, manufacturer="Saigon Knit Co.", import_date="2024-02-01")
    assert verdict.verdict == "clear" and verdict.as_of == date(2024, 2, 1)
    assert verdict.as_of_basis == "import_date" and not verdict.notes


def test_as_of_option_overrides_a_placeholder_date(screener: Screener) -> None:
    row = shipment_from_values({"manufacturer": "Saigon Knit Co.", "import_date": "1900-01-01"}, 2)
    assert isinstance(row, ShipmentRow)
    verdict = screener.screen_shipment(row, as_of=date(2024, 5, 1))
    assert verdict.verdict == "clear" and verdict.as_of == date(2024, 5, 1)


def test_a_manufacturer_address_without_its_name_is_reported(screener: Screener) -> None:
    verdict = screen(
        screener, manufacturer="", manufacturer_address="12 Harbour Road, Haiphong, Vietnam",
        supplier="Saigon Knit Co.", import_date="2024-02-01",
    )  # fmt: skip
    assert verdict.verdict == "review"
    reason = next(r for r in verdict.reasons if r.rule == "manufacturer-unnamed")
    assert reason.role == "manufacturer" and "name" in reason.says
    issue = next(i for i in verdict.issues if i.column == "manufacturer")
    assert "empty" in issue.reason and "address" in issue.reason


def test_a_supplier_address_without_its_name_is_an_issue_only(screener: Screener) -> None:
    verdict = screen(
        screener, manufacturer="Saigon Knit Co.", supplier_address="Haiphong, Vietnam",
        import_date="2024-02-01",
    )  # fmt: skip
    assert verdict.verdict == "clear"
    assert [i.column for i in verdict.issues] == ["supplier"]
