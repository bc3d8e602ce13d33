"""A country mismatch may lower a score; it never takes an exact or near-exact listed name below
review, and the evidence says in words that the country differs (issue 19, point 3).

`uflpa-v1` is kept as it was, so that screenings recorded with it replay to the same verdicts.
"""

from __future__ import annotations

import pytest

from uflpa.lists.bundled import load_bundled
from uflpa.match import Matcher
from uflpa.scoring.algorithm import load_algorithm
from uflpa.screening import Screener


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher([load_bundled()])


@pytest.fixture(scope="module")
def v1() -> Matcher:
    return Matcher([load_bundled()], algorithm="uflpa-v1")


# Exact and near-exact listed names (a hit with no country, or with China).
LISTED = [
    "Baoding LYSZD Trade and Business Co., Ltd.",  # exact primary name
    "Baoding LYSZD Trade and Busines Co Ltd",  # a typo, legal form written short
    "Hetian Tayda Apparel Co",  # near-exact: a typo in the trade name
    "Zijin Mining Group",  # the name without its legal form
]


def test_the_default_algorithm_is_v2_and_v1_stays_loadable(matcher: Matcher, v1: Matcher) -> None:
    assert matcher.algorithm.name == "uflpa-v2"
    assert v1.algorithm.name == "uflpa-v1"
    assert load_algorithm("uflpa-v1").config["qualifiers"]["country_mismatch"] == 0.55


@pytest.mark.parametrize("country", ["KZ", "Vietnam", "United States"])
@pytest.mark.parametrize("name", LISTED)
def test_a_listed_name_in_another_country_is_review_at_least(
    matcher: Matcher, name: str, country: str
) -> None:
    home = matcher.match(name, country="CN")[0]
    assert home.verdict == "hit", home.to_dict()
    away = matcher.match(name, country=country)[0]
    assert away.entity_id == home.entity_id
    assert away.verdict == "review", away.to_dict()
    assert matcher.algorithm.review <= away.score < home.score
    mismatch = away.evidence["qualifiers"]["country_mismatch"]
    assert mismatch["value"] == 1.0
    assert country in mismatch["why"] and "China" in mismatch["why"], mismatch
    assert mismatch["compared"]["query_country"] == country
    assert mismatch["compared"]["listed_country"] == "cn"


def test_v1_replays_as_it_was(v1: Matcher) -> None:
    # What a screening recorded with uflpa-v1 said, and must still say when replayed on v1.
    top = v1.match("Baoding LYSZD Trade and Business Co., Ltd.", country="KZ")[0]
    assert (top.verdict, round(top.score, 3), top.algorithm) == ("clear", 0.55, "uflpa-v1")


@pytest.mark.parametrize(
    "name",
    [
        "Taida Apparel Co., Ltd.",  # review in China (no place); a Kazakh firm of that name
        "Hoshine Silicon Trading LLP",  # review in China; another firm abroad
        "Baoding Trade and Business Co., Ltd.",  # clear anyway
    ],
)
def test_a_similar_name_in_another_country_is_not_raised(matcher: Matcher, name: str) -> None:
    """Only a name that is a hit before the country factor is held at review: a different firm
    with a similar name in another country keeps its lowered score, and is never a hit."""
    home = matcher.match(name, country="CN")[0]
    assert home.score < matcher.algorithm.hit
    away = matcher.match(name, country="KZ")[0]
    factor = matcher.algorithm.config["qualifiers"]["country_mismatch"]
    assert away.score == pytest.approx(home.score * factor)
    assert away.verdict == "clear"


def test_the_screening_reason_says_the_country_differs(matcher: Matcher) -> None:
    screener = Screener(matcher)
    verdict = screener.screen_party("Baoding LYSZD Trade and Business Co., Ltd.", country="KZ")
    assert verdict.verdict == "review"
    reason = next(r for r in verdict.reasons if r.rule == "possible-listed-party")
    assert "country" in reason.says and "KZ" in reason.says, reason.says
    assert reason.evidence["country_differs"]["query_country"] == "KZ"
