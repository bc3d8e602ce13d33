"""The HTML report and the run summary."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from uflpa.lists.bundled import load_bundled
from uflpa.match import Matcher
from uflpa.reports.html import render_report
from uflpa.reports.summary import Summary
from uflpa.screening import RowError, Screener, ShipmentRow, ShipmentVerdict, shipment_from_values


def _rows() -> list[ShipmentVerdict]:
    screener = Screener(Matcher([load_bundled()]))
    specs = [
        {"manufacturer": "Xinjiang Daqo New Energy Co., Ltd.", "import_date": "2024-01-02",
         "manufacturer_address": "<script>alert(1)</script>", "id": "A&B"},
        {"manufacturer": "Aksu Trading Co.", "description": "<b>bold</b> tables"},
        {"manufacturer": "Walmart Inc.", "country_of_origin": "US"},
    ]  # fmt: skip
    out = []
    for i, spec in enumerate(specs, start=2):
        row = shipment_from_values(spec, i)
        assert isinstance(row, ShipmentRow)
        out.append(screener.screen_shipment(row))
    return out


def test_summary_counts_verdicts_rules_and_entities() -> None:
    summary = Summary(source="f.csv")
    rows = _rows()
    for row in rows:
        summary.add(row)
    summary.add(RowError(row=9, file="f.csv", reason="no party"))
    assert summary.total == 4 and summary.screened == 3 and summary.errors == 1
    assert [summary.verdicts[v] for v in ("hit", "review", "clear")] == [1, 1, 1]
    assert summary.rules["listed-party"] == 1 and summary.rules["xinjiang-weak-signal"] == 1
    assert summary.entities["UFLPA-009"] == 1
    first = summary.lines()[0]
    assert "screened 4 row(s) of f.csv" in first and "hit 1, review 1, clear 1" in first
    assert "rows not screened 1" in first
    assert summary.to_dict()["verdicts"] == {"hit": 1, "review": 1, "clear": 1}


def test_report_is_self_contained_and_escapes_input() -> None:
    rows = _rows()
    summary = Summary(source="<evil>.csv")
    for row in rows:
        summary.add(row)
    errors = [RowError(row=7, file="f.csv", reason="no <party>")]
    html = render_report(
        [r for r in rows if r.verdict != "clear"],
        errors,
        summary,
        titles={"listed-party": "Party on the UFLPA Entity List"},
        generated=datetime(2026, 1, 2, tzinfo=UTC),
    )
    assert html.startswith("<!doctype html>")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>bold</b>" not in html and "&lt;evil&gt;.csv" in html and "no &lt;party&gt;" in html
    assert "A&amp;B" in html
    # Nothing is fetched from elsewhere: no external stylesheet, script or image.
    assert not re.search(r"<(?:link|script|img)\b", html)
    assert not re.search(r"(?:src|href)=", html)
    assert html.count('<section class="row') == 2
    assert "UFLPA-009" in html and "Party on the UFLPA Entity List" in html
    assert "2026-01-02 00:00 UTC" in html


def test_report_says_how_many_rows_it_left_out() -> None:
    html = render_report([], [], Summary(), omitted=5)
    assert "5 more flagged row(s)" in html and "Every row was screened" in html


def test_summary_and_report_say_when_a_list_is_incomplete() -> None:
    caveat = load_bundled().caveat
    assert caveat is not None and "152 of the 187" in caveat
    summary = Summary(source="f.csv", caveats=[caveat])
    assert any(line == f"  caution: {caveat}" for line in summary.lines())
    html = render_report([], [], summary)
    assert '<p class="caution">caution: list us-dhs-uflpa@' in html and "152 of the 187" in html
