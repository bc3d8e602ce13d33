"""Delimited text files: delimiters, quoting (good and broken), row problems, row numbers."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from uflpa.io import Record, RowIssue, open_table
from uflpa.io.delimited import sniff_delimiter
from uflpa.io.text_records import MAX_RECORD_LINES, WASTE_LIMIT

Item = Record | RowIssue


def _items(
    tmp_path: Path, data: bytes | str, name: str = "parties.csv", **kw: object
) -> list[Item]:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    table = open_table(path, required=["name"], optional=["country", "note"], **kw)  # type: ignore[arg-type]
    return list(table)


def _summary(items: list[Item]) -> list[tuple[int, str]]:
    """(row, name) for records and (row, 'ISSUE') for issues: compact to compare."""
    return [(i.row, i.values["name"]) if isinstance(i, Record) else (i.row, "ISSUE") for i in items]


@pytest.mark.parametrize(
    ("name", "data", "delimiter", "fmt"),
    [
        ("p.csv", "name,country\nAcme; Ltd,US\n", ",", "csv"),
        ("p.tsv", "name\tcountry\nAcme, Inc.\tUS\n", "\t", "tsv"),
        ("p.txt", "name\tcountry\nAcme, Inc.\tUS\n", "\t", "tsv"),
        ("p.csv", "name;country\nAcme, Inc.;US\n", ";", "csv"),
        ("p.csv", "name|country\nAcme, Inc.|US\n", "|", "csv"),
        ("p.dat", '"name";"country"\n"Acme; Inc.";"US"\n', ";", "csv"),
    ],
)
def test_delimiter_is_sniffed(
    tmp_path: Path, name: str, data: str, delimiter: str, fmt: str
) -> None:
    path = tmp_path / name
    path.write_text(data, encoding="utf-8")
    table = open_table(path, required=["name"], optional=["country"])
    assert (table.delimiter, table.format) == (delimiter, fmt)
    [record] = list(table)
    assert isinstance(record, Record)
    assert record.values["country"] == "US"
    assert record.values["name"] in ("Acme; Ltd", "Acme, Inc.", "Acme; Inc.")


def test_semicolon_csv_with_commas_in_names(tmp_path: Path) -> None:
    data = "Name;Country;Note\nXinjiang Foo Co., Ltd.;CN;a, b\nBar GmbH;DE;\n"
    items = _items(tmp_path, data)
    assert _summary(items) == [(2, "Xinjiang Foo Co., Ltd."), (3, "Bar GmbH")]


def test_one_column_file_keeps_commas_in_names(tmp_path: Path) -> None:
    # A list of names has no delimiter: splitting at commas would invent columns.
    data = 'name\nXinjiang Foo Co., Ltd.\n"Quoted, ""Best"" Inc."\n'
    items = _items(tmp_path, data, name="names.txt")
    assert _summary(items) == [(2, "Xinjiang Foo Co., Ltd."), (3, 'Quoted, "Best" Inc.')]


def test_sniff_prefers_the_delimiter_steady_across_rows() -> None:
    text = "name,country;code\nAcme,US;1\nBeta,DE;2\n"
    assert sniff_delimiter(text) == ","
    assert sniff_delimiter("name\tcountry,x\nA\tB,y\nC\tD\n", prefer_tab=True) == "\t"
    assert sniff_delimiter("name\nAcme, Inc.\n") is None


def test_quoted_fields_with_delimiters_quotes_and_newlines(tmp_path: Path) -> None:
    data = (
        "name,country,note\n"
        '"Acme, Inc.",US,"said ""hi"""\n'
        '"Multi\nLine Co",CN,"line 1\r\nline 2"\n'
        "Plain,DE,x\n"
    )
    items = _items(tmp_path, data)
    assert _summary(items) == [(2, "Acme, Inc."), (3, "Multi\nLine Co"), (6, "Plain")]
    assert isinstance(items[0], Record) and items[0].values["note"] == 'said "hi"'
    assert isinstance(items[1], Record) and items[1].values["note"] == "line 1\nline 2"


def test_stray_quotes_keep_the_value_as_written(tmp_path: Path) -> None:
    data = 'name,country\n"Acme "Best" Ltd",CN\n"Best" Trading Co,CN\n5" Pipe Works,US\n'
    items = _items(tmp_path, data)
    assert _summary(items) == [
        (2, 'Acme "Best" Ltd'),
        (3, '"Best" Trading Co'),
        (4, '5" Pipe Works'),
    ]


def test_unterminated_quote_is_reported_and_following_rows_are_read(tmp_path: Path) -> None:
    data = 'name,country\nAcme,US\nBroken,"CN\nBeta,DE\nGamma,FR\n'
    items = _items(tmp_path, data)
    assert _summary(items) == [(2, "Acme"), (3, "ISSUE"), (4, "Beta"), (5, "Gamma")]
    issue = items[1]
    assert isinstance(issue, RowIssue)
    assert issue.column == "country"
    assert "broken quoting" in issue.reason and "never closed" in issue.reason
    assert issue.raw == 'Broken,"CN'


def test_quote_closing_much_later_with_wrong_width_resyncs(tmp_path: Path) -> None:
    # The stray opening quote on row 3 "closes" on row 5, which would glue three rows together.
    data = 'name,country,note\nA,US,x\nB,"CN,y\nC,DE,z\nD,FR,w"\nE,IT,v\n'
    items = _items(tmp_path, data)
    assert _summary(items) == [(2, "A"), (3, "ISSUE"), (4, "C"), (5, "D"), (6, "E")]
    issue = items[1]
    assert isinstance(issue, RowIssue)
    assert "closes only on line 5" in issue.reason
    assert isinstance(items[3], Record) and items[3].values["note"] == 'w"'


def test_multiline_record_with_a_field_too_many_is_one_issue(tmp_path: Path) -> None:
    # The continuation line is a fragment (second address line), not a row of its own: the
    # record is one bad row spanning two lines, not a stray quote.
    data = 'name,country\n"Acme\nStreet 2",US,extra\nBeta,DE\n'
    items = _items(tmp_path, data)
    assert _summary(items) == [(2, "ISSUE"), (4, "Beta")]
    issue = items[0]
    assert isinstance(issue, RowIssue)
    assert "expected 2 fields, got 3" in issue.reason and "spans lines 2-3" in issue.reason
    assert issue.raw == '"Acme\nStreet 2",US,extra'


def test_unterminated_quote_stops_swallowing_after_the_line_limit(tmp_path: Path) -> None:
    many = MAX_RECORD_LINES + 50
    rows = "".join(f"Row {i},US\n" for i in range(many))
    data = f'name,country\nBroken,"CN\n{rows}'
    items = _items(tmp_path, data)
    assert len(items) == many + 1
    assert isinstance(items[0], RowIssue) and f"within {MAX_RECORD_LINES} lines" in items[0].reason
    assert all(isinstance(i, Record) for i in items[1:])
    assert items[-1].row == many + 2


def test_a_file_full_of_stray_quotes_is_read_in_linear_time(tmp_path: Path) -> None:
    # Each row opens a quote it never closes. Looking ahead MAX_RECORD_LINES from every row
    # would be quadratic; past WASTE_LIMIT wasted lines a quote must close on its own line.
    n = WASTE_LIMIT // MAX_RECORD_LINES * 3
    data = "name,country\n" + "".join(f'Row {i},"CN\n' for i in range(n))
    items = _items(tmp_path, data)
    assert len(items) == n
    assert all(isinstance(i, RowIssue) and "broken quoting" in i.reason for i in items)
    assert isinstance(items[-1], RowIssue) and "no longer followed" in items[-1].reason
    assert [i.row for i in items] == list(range(2, n + 2))


def test_legitimate_multiline_value_is_one_record(tmp_path: Path) -> None:
    lines = "\n".join(f"line {i}" for i in range(20))
    data = f'name,note\nAcme,"{lines}"\nBeta,x\n'
    items = _items(tmp_path, data)
    assert _summary(items) == [(2, "Acme"), (22, "Beta")]
    assert isinstance(items[0], Record) and items[0].values["note"] == lines


def test_wrong_field_counts(tmp_path: Path) -> None:
    data = "name,country\nAcme,US,extra\nBeta\nGamma,DE,,\nDelta,FR\n"
    items = _items(tmp_path, data)
    assert _summary(items) == [(2, "ISSUE"), (3, "ISSUE"), (4, "Gamma"), (5, "Delta")]
    assert isinstance(items[0], RowIssue) and "expected 2 fields, got 3" in items[0].reason
    assert "unquoted delimiter" in items[0].reason
    assert isinstance(items[1], RowIssue) and "expected 2 fields, got 1" in items[1].reason
    assert items[0].raw == "Acme,US,extra"


def test_trailing_unnamed_columns_may_be_left_out(tmp_path: Path) -> None:
    # "name,country," has a blank third header: rows without that field lose nothing.
    data = "name,country,\nAcme,US\nBeta,DE,\nGamma,FR,kept\n"
    items = _items(tmp_path, data)
    assert _summary(items) == [(2, "Acme"), (3, "Beta"), (4, "Gamma")]


def test_empty_required_cell_names_the_column(tmp_path: Path) -> None:
    data = "Supplier Name,Country\n\u3000 \u00a0,CN\nAcme,US\n"
    path = tmp_path / "p.csv"
    path.write_text(data, encoding="utf-8")
    table = open_table(
        path, required=["name"], optional=["country"], aliases={"name": ["supplier name"]}
    )
    items = list(table)
    assert _summary(items) == [(2, "ISSUE"), (3, "Acme")]
    issue = items[0]
    assert isinstance(issue, RowIssue)
    assert issue.column == "Supplier Name"
    assert "required value is empty" in issue.reason
    assert issue.to_dict() == {
        "file": str(path),
        "row": 2,
        "column": "Supplier Name",
        "reason": issue.reason,
        "raw": "\u3000 \u00a0,CN",
    }


def test_nul_byte_is_a_row_issue(tmp_path: Path) -> None:
    data = b"name,country\nAcme,US\nBe\x00ta,CN\nGamma,DE\n"
    items = _items(tmp_path, data)
    assert _summary(items) == [(2, "Acme"), (3, "ISSUE"), (4, "Gamma")]
    assert isinstance(items[1], RowIssue)
    assert "NUL" in items[1].reason and items[1].column == "name"


def test_cells_are_stripped_of_unicode_spaces_only(tmp_path: Path) -> None:
    data = "name,country\n\u3000\u00a0 Acme  Trading Co.\u200b ,\tcn \n"
    [record] = _items(tmp_path, data)
    assert isinstance(record, Record)
    assert record.values == {"name": "Acme  Trading Co.", "country": "cn", "note": ""}


def test_blank_lines_are_not_rows_but_are_counted_in_row_numbers(tmp_path: Path) -> None:
    data = "\n\nname,country\n\nAcme,US\n   \n,,\n,\nBeta,DE\n\n"
    path = tmp_path / "blank.csv"
    path.write_text(data)
    table = open_table(path, required=["name"], optional=["country"])
    assert table.header_row == 3
    assert _summary(list(table)) == [(5, "Acme"), (9, "Beta")]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings(tmp_path: Path, newline: str) -> None:
    data = newline.join(["name,country", "Acme,US", "Beta,DE", ""])
    assert _summary(_items(tmp_path, data)) == [(2, "Acme"), (3, "Beta")]


def test_no_final_newline(tmp_path: Path) -> None:
    assert _summary(_items(tmp_path, "name,country\nAcme,US")) == [(2, "Acme")]


def test_gzip_csv(tmp_path: Path) -> None:
    path = tmp_path / "parties.csv.gz"
    path.write_bytes(gzip.compress("name,country\n新疆华泰,中国\nAcme,US\n".encode("gbk")))
    table = open_table(path, required=["name"], optional=["country"])
    assert (table.format, table.encoding) == ("csv", "gb18030")
    assert _summary(list(table)) == [(2, "新疆华泰"), (3, "Acme")]


def test_table_can_be_iterated_twice(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("name\nAcme\nBeta\n")
    table = open_table(path, required=["name"])
    assert list(table) == list(table)


def test_large_file_streams_every_row(tmp_path: Path) -> None:
    # 200k rows: streaming and constant memory; the count is checked, never the time.
    n = 200_000
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("name,country,note\n")
        for i in range(n):
            if i % 50_000 == 7:
                out.write(f"Broken {i},CN\n")
            else:
                out.write(f'"Supplier {i}, Ltd.",CN,{i}\n')
    table = open_table(path, required=["name"], optional=["country", "note"])
    records = issues = 0
    last = None
    for item in table:
        if isinstance(item, Record):
            records += 1
        else:
            issues += 1
        last = item
    assert (records, issues) == (n - 4, 4)
    assert isinstance(last, Record) and last.row == n + 1
    assert last.values["name"] == f"Supplier {n - 1}, Ltd."


# --- stray quotes that close on a later row, lone CRs (issue 19, point 2) -------------------------


def test_stray_quote_closed_by_a_later_row_does_not_swallow_the_rows_between(
    tmp_path: Path,
) -> None:
    # The quote opened on row 3 is "closed" by the quoted name on row 6, which leaves a record
    # of the right width: it used to be one row named 'B,CN\nC,DE\nD,FR\n"Delta, Inc.' and the
    # three rows inside it were lost without a word.
    data = 'name,country\nA,US\n"B,CN\nC,DE\nD,FR\n"Delta, Inc.",IT\nE,US\n'
    items = _items(tmp_path, data)
    assert _summary(items) == [
        (2, "A"),
        (3, "ISSUE"),
        (4, "C"),
        (5, "D"),
        (6, "Delta, Inc."),
        (7, "E"),
    ]
    issue = items[1]
    assert isinstance(issue, RowIssue) and issue.column == "name"
    assert "closes only on line 6" in issue.reason and "whole row" in issue.reason
    assert issue.raw == '"B,CN'


def test_stray_quote_swallowing_one_row_with_an_id_is_split_back(tmp_path: Path) -> None:
    data = 'id,name,country\nP-001,"Acme,CN\nP-002,"Beta, Inc.",US\nP-003,Gamma,DE\n'
    path = tmp_path / "ids.csv"
    path.write_text(data)
    items = list(open_table(path, required=["name"], optional=["id", "country"]))
    assert _summary(items) == [(2, "ISSUE"), (3, "Beta, Inc."), (4, "Gamma")]
    assert isinstance(items[0], RowIssue) and "whole row" in items[0].reason


def test_multiline_address_whose_lines_hold_commas_stays_one_record(tmp_path: Path) -> None:
    # Each line of the address happens to hold as many commas as a row, but the second line
    # does not start like a row (no id), and one line is no evidence of whole rows.
    data = 'name,address,country\nAcme,"Room 5, Bldg 3\nNo. 8, Urumqi",CN\nBeta,x,DE\n'
    path = tmp_path / "addr.csv"
    path.write_text(data)
    items = list(open_table(path, required=["name"], optional=["address", "country"]))
    assert _summary(items) == [(2, "Acme"), (4, "Beta")]
    assert isinstance(items[0], Record)
    assert items[0].values["address"] == "Room 5, Bldg 3\nNo. 8, Urumqi"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # a CR inside an LF file: two rows, not one row with a field too many
        ("name,country\nAcme,US\rBeta,DE\nGamma,FR\n", [(2, "Acme"), (3, "Beta"), (4, "Gamma")]),
        # a lone CR in a CRLF file
        (
            "name,country\r\nAcme,US\rBeta,DE\r\nGamma,FR\r\n",
            [(2, "Acme"), (3, "Beta"), (4, "Gamma")],
        ),
        # a CR that would merge two rows of the right width into one (Acme,US<CR>Beta)
        ("name,note\nAcme,US\rBeta\nGamma,x\n", [(2, "Acme"), (3, "ISSUE"), (4, "Gamma")]),
    ],
)
def test_a_lone_cr_ends_a_row(tmp_path: Path, data: str, expected: list[tuple[int, str]]) -> None:
    assert _summary(_items(tmp_path, data)) == expected


def test_a_lone_cr_inside_quotes_stays_in_the_value(tmp_path: Path) -> None:
    items = _items(tmp_path, 'name,note\n"Acme\rTrading",x\nBeta,y\n')
    assert _summary(items) == [(2, "Acme\nTrading"), (4, "Beta")]
