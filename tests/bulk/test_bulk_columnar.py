"""The columnar reader reads exactly what the row reader reads, wherever it agrees to read a file
at all: generated files full of delimiters, quotes, spaces, CRLF, blank rows, wrong widths and
Chinese text, compared record by record (row numbers, cleaned values, the problems reported)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from uflpa.bulk import columnar
from uflpa.io import Record, open_table

HEADER = "id,name,address,country"
PLAIN = st.lists(st.sampled_from([*"ab \t中国-", "Co. Ltd", "\u3000", "\u200b"]), max_size=6)
CELL = PLAIN.map("".join)
QUOTED = st.lists(st.sampled_from([*"ab ,\t中国", "Co., Ltd"]), max_size=6).map(
    lambda t: '"' + "".join(t) + '"'
)
# Now and then what the columnar reader must refuse (or hand to the row reader's parser).
HAZARD = st.sampled_from(['2" pipe', '"a ""b""', '"open', "x\r", "a,b,c,d,e", ""])
LINE = st.lists(st.one_of(CELL, QUOTED), min_size=2, max_size=6).map(",".join)


def _read(table: object) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for e in table:  # type: ignore[attr-defined]
        if isinstance(e, Record):
            out.append(("record", e.row, tuple(sorted(e.values.items()))))
        else:
            out.append(("issue", e.row, e.column, e.reason))
    return out


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(LINE, min_size=1, max_size=25), crlf=st.booleans())
def test_where_it_reads_a_file_it_reads_what_the_row_reader_reads(
    tmp_path: Path, lines: list[str], crlf: bool
) -> None:
    end = "\r\n" if crlf else "\n"
    path = tmp_path / "f.csv"
    path.write_bytes((end.join([HEADER, *lines]) + end).encode("utf-8"))
    table = open_table(path, required=["name"], optional=["id", "address", "country"])
    plan = columnar.plan(table)
    event("read in columns" if plan is not None else "left to the row reader")
    if plan is None:
        return
    expected = _read(table)
    got: list[tuple[object, ...]] = []
    for part in columnar.read_slices(plan, rows=3):
        got.extend(_read(columnar.entries(part, table)))
    assert got == expected


def test_it_takes_plain_exports_and_refuses_what_it_could_misread(tmp_path: Path) -> None:
    def planned(text: str) -> bool:
        path = tmp_path / "f.csv"
        path.write_text(text, encoding="utf-8")
        table = open_table(path, required=["name"], optional=["id", "address", "country"])
        return columnar.plan(table) is not None

    assert planned('id,name,address,country\n1,"Aksu Co., Ltd.",Aksu,CN\n2,"B",,CN\n')
    assert planned("id,name,address,country\r\n1,A,,CN\r\n2,B,x,CN\r\n")
    assert planned("id,name,address,country\n1,A,,CN\n2,B,x,CN,extra\n")  # a bad width: parsed
    assert not planned('id,name,address,country\n1,"A ""B""",,CN\n')  # an escaped quote
    assert not planned('id,name,address,country\n1,"A\nB",,CN\n')  # a value over two lines
    assert not planned('id,name,address,country\n1,2" pipe,,CN\n')  # a stray quote
    assert not planned("id,name,address,country\n1,A,,CN\n\n2,B,,CN\n")  # an empty line
    assert not planned("id,name,address,country\n1,A\r,,CN\n")  # a lone CR
