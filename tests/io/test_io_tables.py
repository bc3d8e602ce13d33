"""open_table: columns and aliases, file-level errors, and the XLSX and Parquet formats."""

from __future__ import annotations

import gzip
from datetime import date, datetime
from pathlib import Path

import pytest

from uflpa.errors import InputError, UsageError
from uflpa.io import Record, RowIssue, Table, open_table, parse_column_options
from uflpa.io.aliases import PARTY_FILE, SHIPMENT_FILE, FileColumns
from uflpa.io.columns import header_key

ALIASES = {
    "name": ["party_name", "supplier", "company name", "名称"],
    "country": ["nation", "国家"],
}


def _csv(tmp_path: Path, text: str, name: str = "parties.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _records(table: object) -> list[dict[str, str]]:
    return [item.values for item in table if isinstance(item, Record)]  # type: ignore[attr-defined]


# -- columns ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Company Name", "Company Name"),
        ("PARTY_NAME", "PARTY_NAME"),
        (" Supplier ", "Supplier"),
        ("company-name", "company-name"),
        ("名称", "名称"),
        ("ｎａｍｅ", "ｎａｍｅ"),  # full-width Latin letters from Chinese input methods
    ],
)
def test_header_aliases(tmp_path: Path, header: str, expected: str) -> None:
    path = _csv(tmp_path, f"{header},Nation\nAcme,US\n")
    table = open_table(path, required=["name"], optional=["country"], aliases=ALIASES)
    assert table.columns == {"name": expected, "country": "Nation"}
    assert _records(table) == [{"name": "Acme", "country": "US"}]


def test_canonical_name_beats_aliases_and_aliases_go_in_order(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Supplier,Company Name,Name\nA,B,C\n")
    table = open_table(path, required=["name"], aliases=ALIASES)
    assert table.columns == {"name": "Name"}
    path = _csv(tmp_path, "Company Name,Supplier\nA,B\n")
    table = open_table(path, required=["name"], aliases=ALIASES)
    assert table.columns == {"name": "Supplier"}  # "supplier" comes before "company name"


def test_explicit_column_map_wins(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Name,Vendor Nm,Ctry\nwrong,Acme,US\n")
    table = open_table(
        path,
        required=["name"],
        optional=["country"],
        aliases=ALIASES,
        column_map={"name": "Vendor Nm", "country": "ctry"},
    )
    assert table.columns == {"name": "Vendor Nm", "country": "Ctry"}
    assert _records(table) == [{"name": "Acme", "country": "US"}]


def test_parse_column_options() -> None:
    assert parse_column_options(["name=Supplier Name", " country = Ctry=X "]) == {
        "name": "Supplier Name",
        "country": "Ctry=X",
    }
    for bad in (["name"], ["=Header"], ["name="], ["name=A", "name=B"]):
        with pytest.raises(UsageError):
            parse_column_options(bad)


def test_column_map_to_a_missing_header(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Name,Country\nAcme,US\n")
    with pytest.raises(InputError, match="no header 'Supplier Name'") as info:
        open_table(path, required=["name"], column_map={"name": "Supplier Name"})
    assert "'Name', 'Country'" in str(info.value)


def test_column_map_for_an_unknown_column_is_a_usage_error(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Name\nAcme\n")
    with pytest.raises(UsageError, match="unknown column 'nmae'"):
        open_table(path, required=["name"], column_map={"nmae": "Name"})


def test_missing_required_column_message(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Vendor Nm,Country\nAcme,US\n")
    with pytest.raises(InputError) as info:
        open_table(path, required=["name"], optional=["country"], aliases=ALIASES)
    error = info.value
    assert error.file == str(path)
    message = str(error)
    assert "no header matches the required column 'name'" in message
    assert "party_name, supplier, company name, 名称" in message
    assert "headers found: 'Vendor Nm', 'Country'" in message
    assert '--column name="HEADER"' in message
    assert error.exit_code == 4


def test_missing_column_message_suggests_a_close_header(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Company Nam,Country\nAcme,US\n")  # cut off by an export
    with pytest.raises(InputError, match='--column name="Company Nam"'):
        open_table(path, required=["name"], aliases=ALIASES)


def test_optional_column_may_be_absent(tmp_path: Path) -> None:
    path = _csv(tmp_path, "name\nAcme\n")
    table = open_table(path, required=["name"], optional=["country"])
    assert table.columns == {"name": "name"}
    assert _records(table) == [{"name": "Acme", "country": ""}]


def test_duplicate_header_for_a_needed_column_is_an_error(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Name,Country,name\nA,US,B\n")
    with pytest.raises(InputError, match="several headers could be the 'name' column"):
        open_table(path, required=["name"])


def test_duplicate_header_of_an_unused_column_is_only_noted(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Name,Remarks,Remarks\nAcme,a,b\n")
    table = open_table(path, required=["name"])
    assert _records(table) == [{"name": "Acme"}]
    assert any("duplicate header 'Remarks'" in note for note in table.notes)


def test_header_key_ignores_case_space_underscore_hyphen_and_width() -> None:
    assert (
        header_key(" Company_Name ")
        == header_key("company-name")
        == header_key("ＣＯＭＰＡＮＹ name")
    )


# -- whole-file errors -----------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        open_table(tmp_path / "nope.csv", required=["name"])


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="directory"):
        open_table(tmp_path, required=["name"])


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    path = _csv(tmp_path, "")
    with pytest.raises(InputError, match=r"empty \(0 bytes\)") as info:
        open_table(path, required=["name"])
    assert info.value.file == str(path)


def test_blank_only_file_has_no_header(tmp_path: Path) -> None:
    path = _csv(tmp_path, "\n  \n\n")
    with pytest.raises(InputError, match="no header row"):
        open_table(path, required=["name"])


def test_header_with_an_unclosed_quote_is_an_error(tmp_path: Path) -> None:
    path = _csv(tmp_path, 'name,"country\nAcme,US\n')
    with pytest.raises(InputError, match="header row cannot be read: broken quoting") as info:
        open_table(path, required=["name"])
    assert info.value.row == 1
    assert "lines after it" not in str(info.value)


def test_header_only_file_yields_no_rows(tmp_path: Path) -> None:
    for text in ("name,country\n", "name,country", "\ufeffname,country\r\n\r\n"):
        table = open_table(_csv(tmp_path, text), required=["name"], optional=["country"])
        assert list(table) == []


def test_old_excel_xls_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "suppliers.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(InputError, match=r"save it as \.xlsx .* or as CSV"):
        open_table(path, required=["name"])


def test_xls_that_is_really_tab_separated_text_is_read(tmp_path: Path) -> None:
    # ERPs (SAP among them) save tab-separated text under an .xls name.
    path = tmp_path / "export.xls"
    path.write_text("Name\tCountry\nAcme\tUS\n", encoding="utf-16")
    table = open_table(path, required=["name"], optional=["country"])
    assert table.format == "tsv"
    assert _records(table) == [{"name": "Acme", "country": "US"}]


def test_xls_that_is_really_html_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_text("<html><body><table><tr><td>Name</td></tr></table></body></html>")
    with pytest.raises(InputError, match="HTML page"):
        open_table(path, required=["name"])


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("list.pdf", b"%PDF-1.7\n...", "PDF"),
        ("list.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG"),
        ("list.json", b'[{"name": "Acme"}]', "JSON"),
        ("list.csv", bytes(range(256)) * 20, "control characters"),
        ("list.csv.gz", b"name\nAcme\n", "not gzip"),
        ("list.parquet", b"name\nAcme\n", "not a parquet file"),
        ("list.zip", b"PK\x03\x04" + b"\x00" * 100, "ZIP archive"),
    ],
)
def test_non_tables_are_refused(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError, match=message):
        open_table(path, required=["name"])


@pytest.mark.parametrize("lines", [1_000, 300_000])
def test_truncated_gzip_fails_cleanly(tmp_path: Path, lines: int) -> None:
    # Small: the damage shows while sampling; large: only while reading rows, after some.
    path = tmp_path / "cut.csv.gz"
    data = gzip.compress(("name\n" + "".join(f"Acme {i}\n" for i in range(lines))).encode())
    path.write_bytes(data[: len(data) * 3 // 4])
    items: list[Record | RowIssue] = []
    with pytest.raises(InputError, match=r"cannot (be )?read") as info:
        items.extend(open_table(path, required=["name"]))
    assert info.value.file == str(path)
    if lines > 1_000:
        assert len(items) > 100_000 and info.value.row == items[-1].row


# -- XLSX ------------------------------------------------------------------------------------


def _workbook(path: Path, rows: list[list[object]], *, title: str = "Suppliers") -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    other = wb.create_sheet("Shipments")
    other.append(["Shipper", "HTS"])
    other.append(["新疆华泰重化工有限责任公司", 2812.10])
    wb.save(path)


def test_xlsx_values_come_back_as_the_text_a_person_sees(tmp_path: Path) -> None:
    path = tmp_path / "suppliers.xlsx"
    _workbook(
        path,
        [
            ["Supplier", "USCC", "Since", "Amount", "Active"],
            ["  Acme\u3000", 916500001234567, datetime(2021, 6, 1), 12345.0, True],
            [None, None, None, None, None],  # an empty row is not a row
            ["新疆华泰", 6.1e17, date(2022, 1, 2), 1.5, False],
            [None, "123", None, None, None],  # a row without a name
        ],
    )
    table = open_table(
        path,
        required=["name"],
        optional=["uscc", "since", "amount", "active"],
        aliases={"name": ["supplier"]},
    )
    assert (table.format, table.encoding, table.sheet) == ("xlsx", None, "Suppliers")
    items = list(table)
    assert [i.row for i in items] == [2, 4, 5]
    assert isinstance(items[0], Record) and items[0].values == {
        "name": "Acme",
        "uscc": "916500001234567",  # Excel keeps 15 significant digits; beyond them is lost
        "since": "2021-06-01",
        "amount": "12345",
        "active": "TRUE",
    }
    assert isinstance(items[1], Record) and items[1].values == {
        "name": "新疆华泰",
        "uscc": "610000000000000000",
        "since": "2022-01-02",
        "amount": "1.5",
        "active": "FALSE",
    }
    issue = items[2]
    assert isinstance(issue, RowIssue)
    assert (issue.row, issue.column) == (5, "Supplier")
    assert "required value is empty" in issue.reason
    assert any("first sheet 'Suppliers' of 2" in note for note in table.notes)


def test_xlsx_sheet_by_name_or_number(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    _workbook(path, [["name"], ["Acme"]])
    aliases = {"name": ["shipper"], "hts": []}
    for sheet in ("Shipments", "shipments", "2"):
        table = open_table(path, required=["name"], optional=["hts"], aliases=aliases, sheet=sheet)
        assert _records(table) == [{"name": "新疆华泰重化工有限责任公司", "hts": "2812.1"}]
    with pytest.raises(
        InputError, match="no sheet 'Nope'; the workbook has: 'Suppliers', 'Shipments'"
    ):
        open_table(path, required=["name"], sheet="Nope")


def test_xlsx_zero_padded_codes_and_header_below_title_rows(tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "padded.xlsx"
    wb = Workbook()
    ws = wb.active
    ws["A3"] = "name"
    ws["B3"] = "postcode"
    ws["A4"] = "Acme"
    ws["B4"] = 830000
    ws["A6"] = "Beta"
    ws["B6"] = 12345
    ws["B6"].number_format = "000000"
    wb.save(path)
    table = open_table(path, required=["name"], optional=["postcode"])
    assert table.header_row == 3
    items = list(table)
    assert [(i.row, i.values) for i in items if isinstance(i, Record)] == [
        (4, {"name": "Acme", "postcode": "830000"}),
        (6, {"name": "Beta", "postcode": "012345"}),
    ]


def test_xlsx_header_only_and_empty_sheet(tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "h.xlsx"
    wb = Workbook()
    wb.active.append(["name", "country"])
    wb.create_sheet("Empty")
    wb.save(path)
    assert list(open_table(path, required=["name"])) == []
    with pytest.raises(InputError, match="sheet 'Empty' is empty"):
        open_table(path, required=["name"], sheet="Empty")


def test_xlsx_with_a_wrong_used_range_is_read_to_the_end(tmp_path: Path) -> None:
    # Some exporters write <dimension ref="A1"/>; read-only mode would then stop at row 1.
    import zipfile

    src = tmp_path / "good.xlsx"
    _workbook(src, [["name"], ["Acme"], ["Beta"]])
    path = tmp_path / "bad_dim.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:A3"/>', b'<dimension ref="A1"/>')
                assert b'<dimension ref="A1"/>' in data
            zout.writestr(item, data)
    assert _records(open_table(path, required=["name"])) == [{"name": "Acme"}, {"name": "Beta"}]


def test_damaged_xlsx(tmp_path: Path) -> None:
    src = tmp_path / "good.xlsx"
    _workbook(src, [["name"], ["Acme"]])
    path = tmp_path / "bad.xlsx"
    path.write_bytes(src.read_bytes()[:2000])
    with pytest.raises(InputError):
        list(open_table(path, required=["name"]))


# -- Parquet ---------------------------------------------------------------------------------


def test_parquet_columns_and_values(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "parties.parquet"
    table = pa.table(
        {
            "Supplier": ["Acme ", None, "新疆华泰", "  "],
            "USCC": [91650000123456789, 1, None, 3],
            "Amount": [12345.0, 1.5, None, 2.0],
            "Since": [date(2021, 6, 1), None, None, None],
            "Unused": ["x", "y", "z", "w"],
        }
    )
    pq.write_table(table, path, row_group_size=2)
    opened = open_table(
        path,
        required=["name"],
        optional=["uscc", "amount", "since"],
        aliases={"name": ["supplier"]},
    )
    assert (opened.format, opened.encoding) == ("parquet", None)
    items = list(opened)
    assert [i.row for i in items] == [1, 2, 3, 4]
    assert isinstance(items[0], Record) and items[0].values == {
        "name": "Acme",
        "uscc": "91650000123456789",
        "amount": "12345",
        "since": "2021-06-01",
    }
    assert isinstance(items[1], RowIssue) and items[1].column == "Supplier"
    assert isinstance(items[2], Record) and items[2].values["name"] == "新疆华泰"
    assert isinstance(items[3], RowIssue)


def test_parquet_missing_column(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "p.parquet"
    pq.write_table(pa.table({"Vendor": ["Acme"]}), path)
    with pytest.raises(InputError, match="headers found: 'Vendor'"):
        open_table(path, required=["name"])


# -- two headers that could each be the party column (issue 19, point 4) -------------------------


def _open_as(path: Path, spec: FileColumns, **kwargs: object) -> Table:
    return open_table(
        path,
        required=list(spec.required),
        optional=list(spec.optional),
        aliases=spec.aliases,
        exclusive=spec.exclusive,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("header", "first", "second"),
    [
        ("id,name,supplier,country", "name", "supplier"),
        ("id,Company Name,Supplier Name,notes", "Supplier Name", "Company Name"),
        ("Vendor,公司名称,地址", "Vendor", "公司名称"),
    ],
)
def test_two_headers_that_could_each_be_the_party_name_stop_the_run(
    tmp_path: Path, header: str, first: str, second: str
) -> None:
    """Reading one and ignoring the other would screen one name and report the row clear."""
    path = _csv(tmp_path, f"{header}\n" + ",".join(["x"] * header.count(",")) + ",x\n")
    with pytest.raises(UsageError) as err:
        _open_as(path, PARTY_FILE)
    message = str(err.value)
    assert f"'{first}'" in message and f"'{second}'" in message
    assert "--column name=" in message and "\n" not in message


def test_the_party_column_chosen_with_column_reads_it_and_names_the_other_as_not_used(
    tmp_path: Path,
) -> None:
    path = _csv(tmp_path, "id,name,supplier,country,notes\n1,Acme,Daqo,CN,x\n")
    table = _open_as(path, PARTY_FILE, column_map={"name": "supplier"})
    assert table.columns["name"] == "supplier"
    assert _records(table)[0]["name"] == "Daqo"
    assert table.unused_columns == ("name", "notes")


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("id,supplier,supplier_name,hts,import_date", "supplier"),
        ("manufacturer,factory,seller,hts", "manufacturer"),
        ("exporter,shipper,hts", "exporter"),
    ],
)
def test_a_shipment_role_with_two_candidate_headers_stops_the_run(
    tmp_path: Path, header: str, role: str
) -> None:
    path = _csv(tmp_path, f"{header}\n" + ",".join(["x"] * (header.count(",") + 1)) + "\n")
    with pytest.raises(UsageError) as err:
        _open_as(path, SHIPMENT_FILE)
    assert f"--column {role}=" in str(err.value)


def test_distinct_shipment_roles_are_fine_and_unused_columns_are_named(tmp_path: Path) -> None:
    header = "id,manufacturer,seller,vendor_address,hts,import_date,remarks,"
    path = _csv(tmp_path, f"{header}\n1,A,B,C,5201,2024-02-01,r,\n")
    table = _open_as(path, SHIPMENT_FILE)
    assert table.columns["manufacturer"] == "manufacturer"
    assert table.columns["seller"] == "seller"
    assert table.columns["seller_address"] == "vendor_address"
    assert table.unused_columns == ("remarks", "column 8 (no header)")
