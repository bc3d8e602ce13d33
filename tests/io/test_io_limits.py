"""Every value read from a user's file has a length bound (UFLPA_MAX_FIELD_CHARS): a longer one
is reported as too long for its row (file, row, column, length) and the row is not screened.
Hostile sizes (a 1 MB name, a 100 MB cell) are read within seconds and in bounded memory: those
tests run in a child process under an address-space limit and a timeout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.bounded import run_bounded
from uflpa.errors import UsageError
from uflpa.io import Record, RowIssue, open_table
from uflpa.settings import MAX_FIELD_CHARS, MAX_FIELD_ENV

#: The child's address space: importing uflpa, pyarrow and openpyxl takes about 400 MB of it.


_READ = """
    import json, sys
    from uflpa.io import RowIssue, open_table
    table = open_table(sys.argv[1] if len(sys.argv) > 1 else {path!r}, required=["name"],
                       optional=["id", "country"])
    for item in table:
        if isinstance(item, RowIssue):
            print(json.dumps(["issue", item.row, item.column, item.reason]))
        else:
            print(json.dumps(["record", item.row, item.values["name"][:40]]))
"""


def _write_with(path: Path, value_size: int, letter: str = "A") -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("id,name,country\n1,Acme Ltd,CN\n2,")
        block = letter * (1024 * 1024)
        left = value_size
        while left > 0:
            out.write(block[: min(left, len(block))])
            left -= len(block)
        out.write(",CN\n3,Xinjiang Zhongtai Chemical Co Ltd,CN\n")


def _read_bounded(path: Path) -> list[list[object]]:
    out = run_bounded(_READ.format(path=str(path)), timeout=90)
    return [json.loads(line) for line in out.splitlines()]


def test_a_one_megabyte_name_is_reported_with_its_length(tmp_path: Path) -> None:
    path = tmp_path / "big-name.csv"
    _write_with(path, 1_000_000)
    items = _read_bounded(path)
    assert [item[:2] for item in items] == [["record", 2], ["issue", 3], ["record", 4]]
    _, _, column, reason = items[1]
    assert column == "name"
    assert "too long" in reason and "1,000,000 characters" in reason
    assert f"{MAX_FIELD_CHARS:,}" in reason and MAX_FIELD_ENV in reason


def test_a_100_megabyte_cell_is_one_row_reported_not_the_file_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge-cell.csv"
    _write_with(path, 100 * 1024 * 1024)
    items = _read_bounded(path)
    assert [item[:2] for item in items] == [["record", 2], ["issue", 3], ["record", 4]]
    _, _, column, reason = items[1]
    assert column == "name"
    assert "too long" in reason and MAX_FIELD_ENV in reason


def test_a_100_megabyte_cell_in_a_workbook_ends_in_a_clear_error_or_a_row_issue(
    tmp_path: Path,
) -> None:
    path = tmp_path / "huge-cell.xlsx"
    _workbook_with(path, 100 * 1024 * 1024)
    out = run_bounded(
        f"""
        from uflpa.errors import InputError
        from uflpa.io import RowIssue, open_table
        try:
            items = list(open_table({str(path)!r}, required=["name"], optional=["id"]))
        except InputError as exc:
            print("error", exc)
        else:
            print("rows", [(type(i).__name__, i.row) for i in items])
            print([i.reason for i in items if isinstance(i, RowIssue)])
        """,
        timeout=90,
    )
    if out.startswith("error"):
        assert "too long" in out or "too large" in out
    else:
        assert "('RowIssue', 3)" in out and "too long" in out


def _workbook_with(path: Path, size: int) -> None:
    """An XLSX file whose second data row's name is `size` letters (written by hand: openpyxl
    would hold the value in memory three times over)."""
    import zipfile

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["id", "name"])
    ws.append(["1", "Acme Ltd"])
    ws.append(["2", "PLACEHOLDER"])
    ws.append(["3", "Xinjiang Zhongtai Chemical Co Ltd"])
    small = path.with_suffix(".small.xlsx")
    wb.save(small)
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if b"PLACEHOLDER" not in data:
                dst.writestr(info, data)
                continue
            head, tail = data.split(b"PLACEHOLDER")
            with dst.open(info.filename, "w", force_zip64=True) as stream:
                stream.write(head)
                block = b"A" * (1024 * 1024)
                for _ in range(size // len(block)):
                    stream.write(block)
                stream.write(tail)
    small.unlink()


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "parties.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_bound_applies_to_every_column_read_and_is_configurable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _csv(
        tmp_path, "id,name,address,notes\n1,Acme,Urumqi,ok\n2,Acme,Road " + "x" * 60 + ",\n"
    )
    monkeypatch.setenv(MAX_FIELD_ENV, "50")
    items = list(open_table(path, required=["name"], optional=["id", "address"]))
    assert isinstance(items[0], Record)
    issue = items[1]
    assert isinstance(issue, RowIssue)
    assert (issue.row, issue.column) == (3, "address")
    assert "65 characters" in issue.reason and "50" in issue.reason
    # A column that is not read is not screened: its length does not cost the row.
    path = _csv(tmp_path, "id,name,notes\n1,Acme," + "x" * 60 + "\n")
    assert all(isinstance(i, Record) for i in open_table(path, required=["name"]))
    # The default, and an explicit bound that wins over the environment.
    monkeypatch.delenv(MAX_FIELD_ENV)
    path = _csv(tmp_path, "name\n" + "y" * MAX_FIELD_CHARS + "\n" + "y" * (MAX_FIELD_CHARS + 1))
    items = list(open_table(path, required=["name"]))
    assert [type(i).__name__ for i in items] == ["Record", "RowIssue"]
    items = list(open_table(path, required=["name"], max_field=10))
    assert [type(i).__name__ for i in items] == ["RowIssue", "RowIssue"]


@pytest.mark.parametrize("value", ["0", "-5", "lots", "1e3"])
def test_a_bound_that_is_not_a_positive_number_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(MAX_FIELD_ENV, value)
    with pytest.raises(UsageError, match=MAX_FIELD_ENV):
        open_table(_csv(tmp_path, "name\nAcme\n"), required=["name"])
