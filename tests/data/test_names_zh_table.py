"""Checks on the reviewed table of Chinese names for UFLPA entities (uflpa/data/uflpa_names_zh.csv).

The table is hand-compiled data; these tests keep it loadable and consistent with the entity list so
that a typo (a wrong entity_id, a stray form value, a pinyin-only name) fails CI instead of silently
weakening screening.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

DATA_DIR = Path(__file__).resolve().parents[2] / "uflpa" / "data"
NAMES_ZH = DATA_DIR / "uflpa_names_zh.csv"
ENTITY_LIST = DATA_DIR / "uflpa_entity_list.csv"

EXPECTED_COLUMNS = ["entity_id", "name_zh", "form", "source", "confidence", "note"]
FORMS = {"registered", "short", "former", "alias"}
CONFIDENCES = {"high", "medium"}
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# Characters a Chinese company name may legitimately contain besides Han: full-width and ASCII
# brackets, the middle dot, Latin letters and digits (e.g. "TCL"), and spaces are not expected.
NAME_ALLOWED = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff（）()·A-Za-z0-9&]+$")


def _raw_bytes() -> bytes:
    return NAMES_ZH.read_bytes()


def _rows() -> list[dict[str, str]]:
    text = _raw_bytes().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _entity_ids() -> set[str]:
    with ENTITY_LIST.open(encoding="utf-8", newline="") as handle:
        return {row["entity_id"] for row in csv.DictReader(handle)}


def test_file_is_utf8_without_bom_and_lf_only() -> None:
    raw = _raw_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "file must not start with a UTF-8 BOM"
    assert b"\r" not in raw, "file must use LF line endings"
    raw.decode("utf-8")  # raises if not UTF-8
    assert raw.endswith(b"\n")


def test_header_is_exactly_the_documented_columns() -> None:
    header = next(csv.reader(io.StringIO(_raw_bytes().decode("utf-8"), newline="")))
    assert header == EXPECTED_COLUMNS


def test_every_row_has_all_columns() -> None:
    reader = csv.reader(io.StringIO(_raw_bytes().decode("utf-8"), newline=""))
    next(reader)
    for line_no, fields in enumerate(reader, start=2):
        assert len(fields) == len(EXPECTED_COLUMNS), f"line {line_no}: {fields}"


def test_table_is_not_empty() -> None:
    assert len(_rows()) > 0


@pytest.mark.parametrize("row", _rows(), ids=lambda r: f"{r['entity_id']}:{r['name_zh']}")
def test_row_values_are_valid(row: dict[str, str]) -> None:
    assert row["form"] in FORMS
    assert row["confidence"] in CONFIDENCES
    assert row["source"].strip(), "source must not be empty"
    name = row["name_zh"]
    assert name == name.strip()
    assert HAN.search(name), "name_zh must contain Han characters"
    assert NAME_ALLOWED.match(name), f"unexpected characters in {name!r}"


def test_every_entity_id_exists_in_the_entity_list() -> None:
    known = _entity_ids()
    unknown = sorted({row["entity_id"] for row in _rows()} - known)
    assert unknown == []


def test_no_duplicate_entity_name_pairs() -> None:
    seen: set[tuple[str, str]] = set()
    duplicates = []
    for row in _rows():
        key = (row["entity_id"], row["name_zh"])
        if key in seen:
            duplicates.append(key)
        seen.add(key)
    assert duplicates == []


def test_brackets_in_names_are_balanced() -> None:
    for row in _rows():
        name = row["name_zh"]
        assert name.count("（") == name.count("）"), name
        assert name.count("(") == name.count(")"), name
