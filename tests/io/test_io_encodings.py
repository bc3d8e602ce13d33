"""Encodings of user files: detection on samples, and reading whole files through open_table."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from uflpa.errors import UsageError
from uflpa.io import Record, RowIssue, open_table
from uflpa.io.encodings import detect_encoding, explain, resolve_encoding

ROWS = [
    ("新疆华泰重化工有限责任公司", "中国"),
    ("Xinjiang Zhongtai Chemical Co., Ltd.", "CN"),
    ("和田浩林发饰品有限公司", "中国"),
]


def _csv(rows: list[tuple[str, str]] = ROWS, header: str = "name,country") -> str:
    body = "".join(f'"{n}",{c}\n' if "," in n else f"{n},{c}\n" for n, c in rows)
    return f"{header}\n{body}"


def _read(path: Path, **kw: object) -> tuple[str | None, list[Record | RowIssue]]:
    table = open_table(path, required=["name"], optional=["country"], **kw)  # type: ignore[arg-type]
    return table.encoding, list(table)


def _names(items: list[Record | RowIssue]) -> list[str]:
    return [item.values["name"] for item in items if isinstance(item, Record)]


ASCII_ROWS = [("Acme Trading", "US"), ("Beta, Inc.", "DE")] * 3


@pytest.mark.parametrize(
    ("label", "data", "rows", "expected"),
    [
        ("utf-8", _csv().encode("utf-8"), ROWS, "utf-8"),
        ("utf-8 BOM", codecs.BOM_UTF8 + _csv().encode("utf-8"), ROWS, "utf-8-sig"),
        ("gbk", _csv().encode("gbk"), ROWS, "gb18030"),
        ("gb18030", _csv().encode("gb18030"), ROWS, "gb18030"),
        ("utf-16 BOM", _csv().encode("utf-16"), ROWS, "utf-16-le"),
        ("utf-16-be BOM", codecs.BOM_UTF16_BE + _csv().encode("utf-16-be"), ROWS, "utf-16-be"),
        ("utf-16 no BOM", _csv(ASCII_ROWS).encode("utf-16-le"), ASCII_ROWS, "utf-16-le"),
        ("utf-32 BOM", _csv().encode("utf-32"), ROWS, "utf-32"),
    ],
)
def test_file_in_each_encoding_reads_back_the_same_names(
    tmp_path: Path, label: str, data: bytes, rows: list[tuple[str, str]], expected: str
) -> None:
    path = tmp_path / "parties.csv"
    path.write_bytes(data)
    detected, items = _read(path)
    assert detected == expected, label
    assert all(isinstance(item, Record) for item in items), items
    assert _names(items) == [n for n, _ in rows]
    assert [item.row for item in items] == list(range(2, len(rows) + 2))


def test_gbk_file_is_read_as_gb18030_with_exact_names(tmp_path: Path) -> None:
    path = tmp_path / "suppliers.csv"
    path.write_bytes(_csv().encode("gbk"))
    detected, items = _read(path)
    assert detected == "gb18030"
    assert _names(items) == [n for n, _ in ROWS]
    assert [i.values["country"] for i in items if isinstance(i, Record)] == ["中国", "CN", "中国"]


def test_gb18030_character_outside_gbk_survives(tmp_path: Path) -> None:
    # 𠮷 (U+20BB7) has no GBK code: only the four-byte GB18030 form exists.
    rows = [("𠮷野家（上海）有限公司", "中国"), *ROWS]
    with pytest.raises(UnicodeEncodeError):
        "𠮷".encode("gbk")
    path = tmp_path / "rare.csv"
    path.write_bytes(_csv(rows).encode("gb18030"))
    detected, items = _read(path)
    assert detected == "gb18030"
    assert _names(items)[0] == "𠮷野家（上海）有限公司"


def test_short_chinese_utf8_stays_utf8(tmp_path: Path) -> None:
    # Statistical detectors call two-character UTF-8 Chinese something else; strict UTF-8 wins.
    path = tmp_path / "tiny.csv"
    path.write_bytes("名称\n华为\n".encode())
    table = open_table(path, required=["name"], aliases={"name": ["名称"]})
    assert table.encoding == "utf-8"
    assert [r.values["name"] for r in table if isinstance(r, Record)] == ["华为"]


def test_big5_file_is_detected(tmp_path: Path) -> None:
    rows = [("台灣積體電路製造股份有限公司", "台灣"), ("鴻海精密工業股份有限公司", "台灣")]
    path = tmp_path / "tw.csv"
    path.write_bytes(_csv(rows).encode("big5"))
    detected, items = _read(path)
    assert detected == "big5"
    assert _names(items) == [n for n, _ in rows]


def test_western_text_falls_back_to_cp1252(tmp_path: Path) -> None:
    rows = [("Müller GmbH", "DE"), ("Société Générale", "FR"), ("Café €uro", "FR")]
    path = tmp_path / "eu.csv"
    path.write_bytes(_csv(rows).encode("cp1252"))
    detected, items = _read(path)
    assert detected == "cp1252"
    assert _names(items) == [n for n, _ in rows]


def test_given_encoding_overrides_detection_and_gbk_means_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "given.csv"
    path.write_bytes(_csv().encode("gbk"))
    detected, items = _read(path, encoding="GBK")
    assert detected == "gb18030"
    assert _names(items) == [n for n, _ in ROWS]


def test_given_utf8_skips_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"name\nAcme\n")
    table = open_table(path, required=["name"], encoding="utf-8")
    assert table.columns == {"name": "name"}
    assert [r.values for r in table] == [{"name": "Acme"}]  # type: ignore[union-attr]


def test_unknown_encoding_name_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"name\nAcme\n")
    with pytest.raises(UsageError, match="unknown text encoding 'klingon'"):
        open_table(path, required=["name"], encoding="klingon")
    with pytest.raises(UsageError, match="rot13"):
        open_table(path, required=["name"], encoding="rot13")


def test_undecodable_bytes_late_in_the_file_cost_one_row(tmp_path: Path) -> None:
    # 1.9 MB of ASCII: the first 1 MB and chunks at each ninth of the file decide UTF-8; a cp1252
    # byte at 61% lies between the chunks at 5/9 and 6/9, so only reading the row finds it.
    lines = [f"Supplier {i:06d},US" for i in range(100_000)]
    data = bytearray(("name,country\n" + "\n".join(lines) + "\n").encode())
    bad_at = int(len(lines) * 0.61)
    offset = data.index(f"Supplier {bad_at:06d}".encode())
    data[offset + 7] = 0xE9
    path = tmp_path / "late.csv"
    path.write_bytes(bytes(data))
    detected, items = _read(path)
    assert detected == "utf-8"
    issues = [i for i in items if isinstance(i, RowIssue)]
    assert len(items) == len(lines)
    assert len(issues) == 1
    issue = issues[0]
    assert issue.row == bad_at + 2
    assert issue.column == "name"
    assert "utf-8" in issue.reason
    assert f"byte offset {offset + 7}" in issue.reason
    assert issue.raw is not None and issue.raw.startswith("Supplie\ufffd")


def test_chinese_rows_after_a_long_ascii_start_are_still_detected(tmp_path: Path) -> None:
    # The first megabyte is ASCII; the GBK rows at the end are seen by the later-chunk sample.
    ascii_rows = [(f"Supplier {i}", "US") for i in range(60_000)]
    path = tmp_path / "late_gbk.csv"
    path.write_bytes(_csv([*ascii_rows, *ROWS * 200]).encode("gbk"))
    assert path.stat().st_size > 1024 * 1024
    detected, items = _read(path)
    assert detected == "gb18030"
    assert all(isinstance(i, Record) for i in items)
    assert _names(items)[-1] == ROWS[-1][0]


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        ("名称\n华为\n", "gbk", "gb18030"),
        ("name\n中\n", "gbk", "gb18030"),
        ("名稱\n華為\n", "big5", "cp950"),
        ("name\nMüller\n", "cp1252", "cp1252"),
        ("name\nAcme\n", "ascii", "utf-8"),
        ("name\nMüller\x81\n", "latin-1", "latin-1"),
    ],
)
def test_detect_encoding_on_short_samples(text: str, encoding: str, expected: str) -> None:
    detection = detect_encoding(text.encode(encoding), complete=True)
    assert detection.codec == expected
    assert text.encode(encoding).decode(detection.codec) == text


def test_a_multibyte_character_cut_by_the_sample_end_is_not_an_error() -> None:
    data = "名称\n华为技术有限公司\n".encode()
    assert detect_encoding(data[:-3], complete=False).codec == "utf-8"
    assert detect_encoding(data[:-3], complete=True).codec != "utf-8"


@pytest.mark.parametrize(
    ("name", "head", "codec", "bom"),
    [
        ("gb2312", b"a", "gb18030", b""),
        ("utf-8-sig", b"a", "utf-8", b""),
        ("utf-16", codecs.BOM_UTF16_BE + b"\x00a", "utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16", b"a\x00", "utf-16-le", b""),
        ("cp1252", b"a", "cp1252", b""),
    ],
)
def test_resolve_encoding(name: str, head: bytes, codec: str, bom: bytes) -> None:
    detection = resolve_encoding(name, head)
    assert (detection.codec, detection.bom) == (codec, bom)


# --- bad bytes and doubtful decisions (issue 19, point 1) ----------------------------------------

LISTED = [
    ("华为技术有限公司", "中国"),
    ("新疆天棉基业纺织有限公司", "中国"),
    ("合盛硅业股份有限公司", "中国"),
    ("上海某某贸易有限公司", "中国"),
    ("阿克苏华孚色纺有限公司", "中国"),
]


def test_utf8_file_with_one_bad_byte_stays_utf8_and_reports_that_row(tmp_path: Path) -> None:
    # One byte that is not UTF-8 used to make the whole file latin-1 mojibake, screened clear.
    lines = _csv(LISTED).encode().split(b"\n")
    lines[2] = lines[2][:6] + b"\xff" + lines[2][6:]  # row 3, before 天
    path = tmp_path / "one_bad_byte.csv"
    path.write_bytes(b"\n".join(lines))
    table = open_table(path, required=["name"], optional=["country"])
    items = list(table)
    assert table.encoding == "utf-8"
    assert len(items) == len(LISTED)
    issue = items[1]
    assert isinstance(issue, RowIssue)
    assert (issue.file, issue.row, issue.column) == (str(path), 3, "name")
    assert "cannot decode bytes 0xff" in issue.reason and "utf-8" in issue.reason
    assert _names(items) == [n for i, (n, _) in enumerate(LISTED) if i != 1]
    assert "read as UTF-8" in table.source.decision
    assert "1 byte sequence" in table.source.decision and "reported" in table.source.decision


def test_single_byte_reading_reports_rows_holding_utf8_or_gb18030_text(tmp_path: Path) -> None:
    # Western cp1252 rows decide the file; a row pasted in UTF-8 and one in GBK would be mojibake.
    western = [("Müller GmbH", "DE"), ("Société Générale", "FR"), ("Nestlé S.A.", "CH")] * 4
    data = (
        _csv(western).encode("cp1252")
        + "新疆天棉基业纺织有限公司,中国\n".encode()
        + "合盛硅业股份有限公司,中国\n".encode("gbk")
    )
    path = tmp_path / "mixed.csv"
    path.write_bytes(data)
    table = open_table(path, required=["name"], optional=["country"])
    items = list(table)
    assert table.encoding in ("cp1252", "latin-1")  # a GBK trail byte is undefined in cp1252
    assert _names(items) == [n for n, _ in western]
    utf8, gbk = items[-2:]
    assert isinstance(utf8, RowIssue) and isinstance(gbk, RowIssue)
    assert (utf8.row, gbk.row) == (len(western) + 2, len(western) + 3)
    assert "UTF-8" in utf8.reason and "--encoding" in utf8.reason
    assert "GB18030" in gbk.reason and "--encoding" in gbk.reason
    assert "2 rows" not in table.source.decision  # the count is the run's, the doubt is in words
    assert "doubt" in table.source.decision and "--encoding" in table.source.decision


@pytest.mark.parametrize(
    "rows",
    [
        # half UTF-8, half GBK: no one encoding reads it
        [("utf-8", n) for n, _ in LISTED] + [("gbk", n) for n, _ in LISTED],
        # UTF-8 with a handful of bad bytes in several rows
        [("utf-8", n) for n, _ in LISTED * 3] + [("latin-1", "Bad\xff Name")] * 3,
    ],
)
def test_no_chinese_name_is_screened_as_mojibake(
    tmp_path: Path, rows: list[tuple[str, str]]
) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"name,country\n" + b"".join(f"{n},CN\n".encode(e) for e, n in rows))
    items = list(open_table(path, required=["name"], optional=["country"]))
    assert len(items) == len(rows)
    wanted = {n for _, n in rows}
    for item in items:
        if isinstance(item, Record):
            assert item.values["name"] in wanted, item
        else:
            assert "--encoding" in item.reason


def test_shift_jis_is_not_read_as_gb18030_without_a_word(tmp_path: Path) -> None:
    rows = [
        ("株式会社ユニクロ", "日本"),
        ("トヨタ自動車株式会社", "日本"),
        ("ソニーグループ株式会社", "日本"),
        ("東京エレクトロン株式会社", "日本"),
    ]
    path = tmp_path / "jp.csv"
    path.write_bytes(_csv(rows).encode("shift_jis"))
    table = open_table(path, required=["name"], optional=["country"])
    assert table.encoding == "shift_jis"
    assert _names(list(table)) == [n for n, _ in rows]
    assert "Shift-JIS" in table.source.decision


@pytest.mark.parametrize("name", ["株式会社", "ソニー", "三菱商事", "日立製作所", "伊藤忠商事"])
def test_short_shift_jis_samples_are_not_guessed_as_gb18030(name: str) -> None:
    # Each decodes as GB18030 too, and charset-normalizer used to pick that: mojibake, screened.
    data = f"name\n{name}\n{name}\n{name}\n".encode("shift_jis")
    detection = detect_encoding(data, complete=True)
    assert detection.name == "shift_jis"
    assert data.decode(detection.codec).split("\n")[1] == name


def test_the_decision_is_said_in_words(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes(_csv().encode("gbk"))
    table = open_table(path, required=["name"])
    assert table.source.decision.startswith("the file is read as GB18030")
    assert "(" not in table.source.decision
    given = open_table(path, required=["name"], encoding="gbk")
    assert "--encoding" in given.source.decision


def test_a_guess_on_weak_evidence_carries_a_doubt_in_words() -> None:
    # Half-width katakana are not among the common JIS characters: charset-normalizer decides.
    detection = detect_encoding("name\nｿﾆｰ株式会社\nﾄﾖﾀ\n".encode("shift_jis"), complete=True)
    assert "charset-normalizer" in detection.why
    assert detection.doubt.startswith("only 40% of its non-ASCII characters are common")
    assert "--encoding" in detection.doubt
    assert "(" not in explain(detection)
