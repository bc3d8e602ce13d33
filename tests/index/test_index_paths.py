"""The index's two ways of counting a query's postings give the same answer.

A small index counts in a dict from plain lists; a large one (or a query with many postings)
counts with numpy. Both must return the same ids, in the same order, with the same float sums,
or a list's answers would change when it crosses the size line.
"""

from __future__ import annotations

import pytest

import uflpa.index.candidates as candidates
from uflpa.index.candidates import CandidateIndex
from uflpa.lists.bundled import load_bundled
from uflpa.names.analyze import NameAnalysis, analyze

QUERIES = [
    "Hoshine Silicon Industry (Shanshan) Co., Ltd.",
    "HOSHINE SILICON IND (SHANSHAN) CO.,LTD",
    "合盛硅业（鄯善）有限公司",
    "Xinjiang Zhongtai Chemical Co Ltd",
    "XINJIANG PROD & CONSTR CORPS",
    "Xinjiang Cotton Trading Co",
    "Shihezi Tianfu Textile",
    "Aksu Huafu Textiles Co.",
    "新疆天业股份有限公司",
    "Zijin Mining Group",
    "Baotou Shuangliang",
    "Lop County Hair Products",
    "TK Group",
    "Acme Trading LLC",
]


def _analyses() -> list[NameAnalysis]:
    names = [n for e in load_bundled().entities for n in (e.name, *e.aliases)]
    return [analyze(n) for n in names]


def _search(index: CandidateIndex) -> list[list[tuple[int, float]]]:
    return [
        index.search_scored(analyze(q), 40, min_share=share, min_query_share=share)
        for q in QUERIES
        for share in (0.0, 0.3)
    ]


def test_dict_and_numpy_counting_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    analyses = _analyses()
    small = CandidateIndex(analyses)
    assert isinstance(small._postings[next(iter(small._postings))], list)
    monkeypatch.setattr(candidates, "SMALL_INDEX", 0)
    large = CandidateIndex(analyses)
    assert not isinstance(large._postings[next(iter(large._postings))], list)
    found = _search(small)
    assert sum(len(f) for f in found) > 50
    assert found == _search(large)


def test_a_small_index_with_many_postings_takes_the_numpy_path() -> None:
    analyses = _analyses()
    index = CandidateIndex(analyses)
    reference = _search(index)
    index._small = 0  # every query now has more postings than the dict path takes
    assert _search(index) == reference
