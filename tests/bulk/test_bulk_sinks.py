"""What the sinks write for a spreadsheet: CSV cells that would run as a formula are neutralised
(OWASP: a leading apostrophe), unless the raw form is asked for; XLSX cells are all text cells;
a run whose output cannot be written leaves nothing under the output's name."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from uflpa.bulk.encode import ARROW, CSV, RAW_CSV, columns_of, encode, from_table
from uflpa.bulk.kinds import Kind
from uflpa.bulk.sinks import CsvSink, RunInfo, XlsxSink, output_sink, xlsx_text
from uflpa.errors import OutputError
from uflpa.reports.summary import Summary
from uflpa.screening import RowError

#: Ids a spreadsheet would run as a formula (OWASP's first characters, also after spaces), and
#: ones it would not.
FORMULAS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", "  =HYPERLINK(1)"]
HARMLESS = ["a=b", "P-1", "新疆", ""]


def rows(ids: list[str], *, party: bool = True) -> list[RowError]:
    return [
        RowError(row=i + 2, file="f.csv", reason=f"bad {i}", id=v or None, party_file=party)
        for i, v in enumerate(ids)
    ]


def csv_ids(text: str) -> list[str]:
    return [r[1] for r in list(csv.reader(io.StringIO(text)))]


@pytest.mark.parametrize("kind", [Kind.party, Kind.shipment])
def test_csv_cells_that_would_run_get_an_apostrophe(kind: Kind) -> None:
    batch = rows(FORMULAS + HARMLESS, party=kind is Kind.party)
    out = io.StringIO()
    sink = CsvSink(out)
    sink.start(RunInfo(kind=kind))
    sink.write(encode(batch, kind, sink.needs), batch)
    ids = csv_ids(out.getvalue())[1:]
    assert ids == ["'" + v for v in FORMULAS] + HARMLESS


def test_raw_csv_keeps_every_cell_as_it_is() -> None:
    batch = rows(FORMULAS + HARMLESS)
    out = io.StringIO()
    sink = CsvSink(out, raw=True)
    sink.start(RunInfo(kind=Kind.party))
    sink.write(encode(batch, Kind.party, sink.needs), batch)
    assert csv_ids(out.getvalue())[1:] == FORMULAS + HARMLESS


def test_rows_encoded_elsewhere_as_arrow_are_neutralised_too() -> None:
    # The Spark engine's rows arrive as an Arrow table (`from_table`).
    batch = rows(FORMULAS)
    table = encode(batch, Kind.party, frozenset({ARROW})).table
    again = from_table(table, Kind.party, frozenset({CSV, RAW_CSV}))
    assert again.csv is not None and again.raw_csv is not None
    assert csv_ids(again.csv) == ["'" + v for v in FORMULAS]
    assert csv_ids(again.raw_csv) == FORMULAS


def test_output_file_csv_is_safe_unless_raw(tmp_path: Path) -> None:
    batch = rows(["=cmd|'/c calc'!A1"])
    for raw, expected in ((False, "'=cmd|'/c calc'!A1"), (True, "=cmd|'/c calc'!A1")):
        path = tmp_path / f"out-{raw}.csv"
        sink = output_sink(path, raw_csv=raw)
        sink.start(RunInfo(kind=Kind.party))
        sink.write(encode(batch, Kind.party, sink.needs), batch)
        sink.finish(Summary())
        assert csv_ids(path.read_text(encoding="utf-8"))[1:] == [expected]


def test_xlsx_has_a_header_and_every_cell_as_text(tmp_path: Path) -> None:
    path = tmp_path / "results.xlsx"
    batch = rows([*FORMULAS, "#N/A", "0012"])
    sink = output_sink(path)
    assert isinstance(sink, XlsxSink)
    sink.start(RunInfo(kind=Kind.party))
    sink.write(encode(batch, Kind.party, sink.needs), batch)
    sink.finish(Summary())
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert tuple(values[0]) == columns_of(Kind.party)  # the CSV's columns
    filled = [c for r in sheet.iter_rows(min_row=2) for c in r if c.value is not None]
    assert filled and {c.data_type for c in filled} == {"s"}  # never a formula or a number
    ids = [r[1] for r in values[1:]]
    # Shown as written (the sheet holds no control characters: tab and CR are kept by XLSX).
    assert ids == [*FORMULAS, "#N/A", "0012"]
    errors = [r[columns_of(Kind.party).index("error")] for r in values[1:]]
    assert errors[0] == "bad 0"  # the error row keeps its reason
    assert not list(tmp_path.glob(".*.part"))


def test_xlsx_text_never_drops_silently() -> None:
    assert xlsx_text("a\x1b[2Jb") == "a\ufffd[2Jb"  # a worksheet cannot hold ESC
    long = "x" * 40_000
    cut = xlsx_text(long)
    assert len(cut) <= XlsxSink.MAX_CELL and cut.endswith("more characters]")


def test_a_failed_write_is_an_output_error_naming_the_target() -> None:
    class Full(io.StringIO):
        def write(self, s: str) -> int:
            raise OSError(28, "No space left on device")

    sink = CsvSink(Full(), "stdout")
    with pytest.raises(OutputError, match="cannot write to stdout: No space left"):
        sink.start(RunInfo(kind=Kind.party))
