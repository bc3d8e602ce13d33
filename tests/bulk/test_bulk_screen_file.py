"""The run loop beneath every surface (`uflpa.bulk.screen_file`) and its sinks: one row out per
row in, problems told as they happen, the same rows in every output format, and no half-written
file when a run fails."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from uflpa.bulk.kinds import Kind
from uflpa.bulk.screen_file import RowProblem, ScreenRequest, screen_file
from uflpa.bulk.sinks import CollectSink, JsonlSink, output_sink
from uflpa.errors import InputError, UsageError
from uflpa.io import Table
from uflpa.lists.bundled import load_bundled
from uflpa.match import Matcher
from uflpa.screening import RowError, ScreenedRow, Screener

EXAMPLE = Path(str(resources.files("uflpa.data").joinpath("examples/shipments.csv")))


@cache
def screener() -> Screener:
    return Screener(Matcher([load_bundled()]))


class Recorder:
    def __init__(self) -> None:
        self.problems: list[RowProblem] = []
        self.rows = 0
        self.table: Table | None = None
        self.stages: list[tuple[str, int | None]] = []

    def started(self, table: Table) -> None:
        self.table = table

    def stage(self, name: str, total: int | None) -> None:
        self.stages.append((name, total))

    def advanced(self, rows: int) -> None:
        self.rows += rows

    def problem(self, problem: RowProblem) -> None:
        self.problems.append(problem)


def data_rows(path: Path) -> int:
    with path.open(encoding="utf-8") as fh:
        return sum(1 for line in fh if line.strip()) - 1


def test_every_row_in_gives_one_row_out_and_problems_are_told() -> None:
    collect, events = CollectSink(), Recorder()
    run = screen_file(ScreenRequest(EXAMPLE), screener, [collect], events)
    assert run.kind is Kind.shipment and collect.kind is Kind.shipment
    assert len(collect.rows) == events.rows == data_rows(EXAMPLE) == run.summary.total
    errors = [r for r in collect.rows if isinstance(r, RowError)]
    assert run.summary.errors == len(errors) == 2
    told = {(p.row, p.screened) for p in events.problems}
    assert {(181, False), (330, False), (280, True), (292, True)} <= told
    assert str(next(p for p in events.problems if p.row == 280)).endswith("(row screened)")
    assert [r.row for r in collect.rows] == sorted(r.row for r in collect.rows)


def test_the_screener_is_not_built_for_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("colour,size\nred,3\n", encoding="utf-8")
    built: list[int] = []

    def factory() -> Screener:
        built.append(1)
        return screener()

    with pytest.raises(InputError, match="cannot tell a party file"):
        screen_file(ScreenRequest(bad), factory, [CollectSink()])
    assert not built


def lines_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_output_format_holds_the_same_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    outputs = {s: tmp_path / f"out{s}" for s in (".jsonl", ".csv", ".parquet")}
    sinks = [output_sink(p) for p in outputs.values()]
    screen_file(ScreenRequest(EXAMPLE), screener, [*sinks, JsonlSink(sys.stdout)])
    streamed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines_of(outputs[".jsonl"]) == streamed
    table = pq.read_table(outputs[".parquet"])
    assert table.num_rows == len(streamed)
    assert [json.loads(r) for r in table.column("record").to_pylist()] == streamed
    assert table.column("verdict").to_pylist() == [r["verdict"] for r in streamed]
    assert table.column("row").to_pylist() == [r["row"] for r in streamed]
    csv_lines = outputs[".csv"].read_text(encoding="utf-8").splitlines()
    assert csv_lines[0].startswith("row,id,verdict,rules,parties,why")
    assert len(csv_lines) == len(streamed) + 1
    assert not list(tmp_path.glob(".*.part"))


class Failing:
    """A sink that breaks part-way, as a full disk would."""

    needs: frozenset[str] = frozenset()

    def __init__(self, after: int) -> None:
        self.after = after

    def start(self, run: Any) -> None:
        pass

    def write(self, batch: Any, results: Sequence[ScreenedRow]) -> None:
        self.after -= len(results)
        if self.after <= 0:
            raise OSError("disk full")

    def finish(self, summary: Any) -> None:
        pass

    def abort(self) -> None:
        pass


def test_a_run_that_fails_leaves_no_half_written_file(tmp_path: Path) -> None:
    out = tmp_path / "results.parquet"
    jsonl = tmp_path / "results.jsonl"
    with pytest.raises(OSError, match="disk full"):
        screen_file(
            ScreenRequest(EXAMPLE),
            screener,
            [output_sink(out), output_sink(jsonl), Failing(after=200)],
        )
    assert not out.exists() and not jsonl.exists()
    assert list(tmp_path.iterdir()) == []


def test_output_names_its_format_by_suffix(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--output"):
        output_sink(tmp_path / "results.xls")  # .xlsx is written; the old format is not


def test_a_bad_byte_costs_one_row_and_the_summary_says_how_the_file_was_read(
    tmp_path: Path,
) -> None:
    # Issue 19, point 1: one byte that is not UTF-8 used to make the whole file latin-1, every
    # Chinese name mojibake, every row clear; the listed names must still be flagged.
    names = [
        "华为技术有限公司",
        "新疆天棉基业纺织有限公司",
        "阿克苏华孚色纺有限公司",
        "合盛硅业（鄯善）有限公司",
    ]
    lines = ["name,country", *(f"{n},中国" for n in names)]
    data = "\n".join(lines).encode().split(b"\n")
    data[2] = data[2] + b"\xff"  # row 3: 新疆天棉基业纺织有限公司 itself is damaged
    path = tmp_path / "parties.csv"
    path.write_bytes(b"\n".join(data) + b"\n")
    collect, events = CollectSink(), Recorder()
    run = screen_file(ScreenRequest(path=path), screener, [collect], events)
    rows = {r.row: r for r in collect.rows}
    assert sorted(rows) == [2, 3, 4, 5]
    assert isinstance(rows[3], RowError) and "0xff" in rows[3].reason
    assert [(p.row, p.screened) for p in events.problems] == [(3, False)]
    assert rows[5].verdict == "hit"  # 合盛硅业（鄯善）有限公司, listed
    lines_out = run.summary.lines()
    assert "(utf-8" not in lines_out[0]
    said = [line for line in lines_out if line.startswith("  encoding: ")]
    assert said == [
        "  encoding: the file is read as UTF-8 because 51 of its non-ASCII characters are valid "
        "UTF-8 and only 1 byte sequence is not; the rows holding those bytes are reported, "
        "not screened"
    ]
    assert run.summary.to_dict()["encoding"] == said[0].removeprefix("  encoding: ")
