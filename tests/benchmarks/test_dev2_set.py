"""The shape of the held-out second development set (benchmarks/data/dev2_queries.csv).

These tests read the CSV, the list file and the Chinese-name table directly; they never run the
matcher, so they say nothing about (and cannot push towards) uflpa's figures on the set.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # the repo root holds benchmarks/

from benchmarks import make_dev2  # noqa: E402
from benchmarks.common import CATEGORY_ORDER, LIST_CSV  # noqa: E402
from benchmarks.common import DEV_QUERIES as FIRST_SET  # noqa: E402
from benchmarks.common import NAMES_ZH_CSV as NAMES_ZH  # noqa: E402

DEV2 = make_dev2.DEV2_CSV
# The first set's columns (its README), which the second must keep.
COLUMNS = [
    "query_id",
    "name",
    "country",
    "address",
    "identifier",
    "expected_entity_id",
    "label",
    "category",
    "why",
]
NEGATIVE = {c for c in CATEGORY_ORDER if c.startswith("neg_")}
POSITIVE = set(CATEGORY_ORDER) - NEGATIVE - {"related"}
HAN = re.compile(r"[\u4e00-\u9fff]")


def fold(text: str) -> str:
    """Case, spacing and full-width brackets do not make a name new."""
    return " ".join(text.replace("（", "(").replace("）", ")").casefold().split())


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with DEV2.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS
        return list(reader)


@pytest.fixture(scope="module")
def entity_ids() -> set[str]:
    with LIST_CSV.open(encoding="utf-8", newline="") as fh:
        return {r["entity_id"] for r in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def listed_names() -> set[str]:
    out: set[str] = set()
    with LIST_CSV.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            out.add(fold(r["name"]))
            for col in ("aliases", "former_names"):
                out.update(fold(n) for n in r[col].split(" | ") if n.strip())
    with NAMES_ZH.open(encoding="utf-8", newline="") as fh:
        out.update(fold(r["name_zh"]) for r in csv.DictReader(fh))
    return out


def test_size_and_ids(rows: list[dict[str, str]]) -> None:
    assert len(rows) >= 650
    ids = [r["query_id"] for r in rows]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"E\d{4}", i) for i in ids)


def test_labels_categories_and_why(rows: list[dict[str, str]]) -> None:
    for r in rows:
        assert r["why"].strip(), r
        assert r["name"].strip(), r
        if r["label"] == "match":
            assert r["category"] in POSITIVE, r
        elif r["label"] == "no_match":
            assert r["category"] in NEGATIVE, r
            assert r["expected_entity_id"] == "", r
        else:
            assert r["label"] == "related" and r["category"] == "related", r


def test_every_category_present(rows: list[dict[str, str]]) -> None:
    counts = Counter(r["category"] for r in rows)
    assert set(counts) == POSITIVE | NEGATIVE | {"related"}


def test_entity_ids_exist(rows: list[dict[str, str]], entity_ids: set[str]) -> None:
    for r in rows:
        if r["label"] in ("match", "related"):
            assert r["expected_entity_id"] in entity_ids, r


def test_names_unique(rows: list[dict[str, str]]) -> None:
    names = Counter(fold(r["name"]) for r in rows)
    assert [n for n, c in names.items() if c > 1] == []


def test_negatives_and_related_are_not_listed_names(
    rows: list[dict[str, str]], listed_names: set[str]
) -> None:
    clash = [
        r["name"]
        for r in rows
        if r["label"] in ("no_match", "related") and fold(r["name"]) in listed_names
    ]
    assert clash == []


def test_negatives_in_every_script(rows: list[dict[str, str]]) -> None:
    """Hard negatives come in English, pinyin and Chinese characters, not English alone."""
    negs = [r["name"] for r in rows if r["label"] == "no_match"]
    assert sum(bool(HAN.search(n)) for n in negs) >= 30
    assert sum("Youxian Gongsi" in n or "YOUXIAN GONGSI" in n for n in negs) >= 10


def test_chinese_rows_are_chinese(rows: list[dict[str, str]]) -> None:
    for r in rows:
        if r["category"] in ("han", "han_traditional"):
            assert HAN.search(r["name"]), r
        if r["category"] == "pinyin":
            assert not HAN.search(r["name"]), r


def test_rendered_rows_say_so(rows: list[dict[str, str]]) -> None:
    """A Chinese name not from uflpa_names_zh.csv must be marked as a rendering in its why."""
    with NAMES_ZH.open(encoding="utf-8", newline="") as fh:
        sourced = {fold(r["name_zh"]) for r in csv.DictReader(fh)}
    for r in rows:
        if r["category"] == "han" and fold(r["name"]) not in sourced:
            sourced_core = any(fold(r["name"]) in s for s in sourced)
            assert sourced_core or "rendered from the English name" in r["why"], r


@pytest.mark.skipif(not FIRST_SET.exists(), reason="the shared first set is not on this machine")
def test_no_name_from_the_first_set(rows: list[dict[str, str]]) -> None:
    with FIRST_SET.open(encoding="utf-8", newline="") as fh:
        first = {fold(r["name"]) for r in csv.DictReader(fh)}
    assert [r["name"] for r in rows if fold(r["name"]) in first] == []


@pytest.mark.skipif(not FIRST_SET.exists(), reason="the shared first set is not on this machine")
def test_generator_reproduces_the_file() -> None:
    assert make_dev2.render(make_dev2.build(FIRST_SET)) == DEV2.read_text(encoding="utf-8")
