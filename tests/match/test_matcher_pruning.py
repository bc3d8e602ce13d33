"""Branch and bound skips candidates, never answers: the pruned results equal scoring them all.

`top_k` larger than any candidate list makes `match` score every candidate the index proposes,
which is the reference the pruned calls are held to.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from uflpa.lists.bundled import load_bundled
from uflpa.match import Matcher, MatchResult

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parents[1] / "cases" / "matching.yml").read_text(encoding="utf-8")
)


def _queries() -> list[str]:
    out: list[str] = []
    for case in CASES:
        q = case["query"]
        out += [q, q.lower(), q[: max(8, len(q) * 2 // 3)], q + ", CHINA"]
    return list(dict.fromkeys(out))


QUERIES = _queries()
EVERYTHING = 10_000


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher([load_bundled()])


def _key(results: list[MatchResult]) -> list[tuple[str, float]]:
    return [(r.entity_id, round(r.score, 9)) for r in results]


def test_the_queries_exercise_pruning(matcher: Matcher) -> None:
    # Enough queries have more candidates than the pruned calls return, or the test says little.
    crowded = sum(len(matcher.match(q, top_k=EVERYTHING)) > 3 for q in QUERIES)
    assert crowded >= 30, crowded


@pytest.mark.parametrize("top_k", [1, 3])
def test_top_k_equals_scoring_every_candidate(matcher: Matcher, top_k: int) -> None:
    for q in QUERIES:
        full = matcher.match(q, top_k=EVERYTHING)
        assert _key(matcher.match(q, top_k=top_k)) == _key(full[:top_k]), q


@pytest.mark.parametrize("top_k", [1, 3])
def test_flagged_only_is_the_flagged_results_or_the_closest_miss(
    matcher: Matcher, top_k: int
) -> None:
    review = matcher.algorithm.review
    for q in QUERIES:
        full = matcher.match(q, top_k=EVERYTHING)
        expected = [r for r in full[:top_k] if r.score >= review] or full[:1]
        assert _key(matcher.match(q, top_k=top_k, flagged_only=True)) == _key(expected), q
