"""A long query is also looked up as the start of the list's names (names cut at a field limit)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from uflpa.index.candidates import PREFIX_CANDIDATES, PREFIX_MIN, CandidateIndex
from uflpa.names.analyze import analyze

NAMES = [
    "China Cotton Group Shandong Logistics Park Co., Ltd.",
    "China Cotton Group Henan Logistics Park Co., Ltd., Xinye Branch",
    "China Cotton Group Xinjiang Cotton Co.",
    "Xinjiang Daqo New Energy Co., Ltd.",
]


def test_a_name_cut_before_its_trade_name_meets_the_names_it_starts() -> None:
    index = CandidateIndex([analyze(n) for n in NAMES])
    query = analyze("CHINA COTTON GROUP SHANDO")
    assert len(query.compact) >= PREFIX_MIN
    assert index.started_by(query.compact) == [0]
    assert 0 in {i for i, _ in index.search_scored(query, 5, min_share=0.3, min_query_share=0.3)}


def test_short_queries_are_not_looked_up_as_starts() -> None:
    index = CandidateIndex([analyze(n) for n in NAMES])
    query = analyze("China Cotton")
    assert len(query.compact) < PREFIX_MIN
    assert all(support > 0 for _, support in index.search_scored(query, 5))  # no start lookups


@given(
    st.lists(st.text(alphabet="abc", min_size=1, max_size=6), min_size=1, max_size=40),
    st.text(alphabet="abc", max_size=3),
)
def test_started_by_is_a_prefix_scan(stems: list[str], prefix: str) -> None:
    names = [f"Name {s}" for s in stems]
    index = CandidateIndex([analyze(n) for n in names])
    compacts = [analyze(n).compact for n in names]
    key = "name" + prefix
    expected = sorted(i for i, c in enumerate(compacts) if c.startswith(key) and c != key)
    assert index.started_by(key) == expected[:PREFIX_CANDIDATES]
