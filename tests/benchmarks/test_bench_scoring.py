"""The benchmark's scoring arithmetic on a hand-made set, so that the harness itself is honest.

Every expected figure below is worked out by hand from the dev set README's rules.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repo root holds benchmarks/

from benchmarks.common import (
    DevQuery,
    Outcome,
    entity_key_map,
    is_error,
    pair_figures,
    quality_by_category,
    quality_figures,
)
from uflpa.model import ListedEntity, Listing


def q(qid: str, label: str, expected: str = "", category: str = "exact") -> DevQuery:
    return DevQuery(qid, f"name {qid}", "", "", "", expected, label, category)


# (query, outcome, why)
ROWS = [
    (q("Q1", "match", "E1"), Outcome("hit", "E1", 0.99), "TP"),
    (q("Q2", "match", "E2", "typo"), Outcome("hit", "E3", 0.95), "hit on the wrong entity: FP+FN"),
    (q("Q3", "match", "E2", "typo"), Outcome("review", "E2", 0.80), "FN, but top-1 and at review"),
    (q("Q4", "match", "E1", "han"), Outcome("clear", "E1", 0.30), "FN, top-1 only"),
    (q("Q5", "no_match", category="neg_other"), Outcome("hit", "E1", 0.91), "FP"),
    (q("Q6", "no_match", category="neg_other"), Outcome("review", "E2", 0.70), "to review"),
    (q("Q7", "no_match", category="neg_near_miss"), Outcome("clear", None, 0.0), "clear"),
    (q("Q8", "related", "E1", "related"), Outcome("review", "E1", 0.75), "desired"),
    (q("Q9", "related", "E1", "related"), Outcome("clear", "E4", 0.2), "missed"),
    (q("Q10", "related", "E2", "related"), Outcome("hit", "E2", 0.95), "not an FP"),
]
PAIRS = [(query, outcome) for query, outcome, _ in ROWS]


def test_counts_follow_the_readme_rules() -> None:
    f = quality_figures(PAIRS)
    assert (f.rows, f.match_rows, f.no_match_rows, f.related_rows) == (10, 4, 3, 3)
    assert (f.tp, f.fp, f.fn, f.fp_wrong_entity) == (1, 2, 3, 1)


def test_precision_recall_f1() -> None:
    f = quality_figures(PAIRS)
    assert f.precision == pytest.approx(1 / 3)
    assert f.recall == pytest.approx(1 / 4)
    assert f.f1 == pytest.approx(2 / 7)  # 2PR/(P+R) = (1/6)/(7/12)


def test_top1_review_and_shares() -> None:
    f = quality_figures(PAIRS)
    assert f.top1_accuracy == pytest.approx(3 / 4)  # Q1, Q3, Q4
    assert f.recall_at_review == pytest.approx(2 / 4)  # Q1 (hit) and Q3 (review)
    assert f.negatives_hit == pytest.approx(1 / 3)
    assert f.negatives_review == pytest.approx(1 / 3)
    assert (f.related_hit, f.related_review, f.related_clear) == pytest.approx((1 / 3,) * 3)


def test_related_rows_never_touch_precision() -> None:
    without_related = [(qq, o) for qq, o in PAIRS if qq.label != "related"]
    a, b = quality_figures(PAIRS), quality_figures(without_related)
    assert (a.tp, a.fp, a.fn, a.precision, a.recall) == (b.tp, b.fp, b.fn, b.precision, b.recall)


def test_by_category_adds_up_and_keeps_readme_order() -> None:
    by_cat = quality_by_category(PAIRS)
    assert list(by_cat) == ["exact", "typo", "han", "neg_near_miss", "neg_other", "related"]
    assert sum(f.tp for f in by_cat.values()) == 1
    assert sum(f.fp for f in by_cat.values()) == 2
    assert sum(f.fn for f in by_cat.values()) == 3
    typo = by_cat["typo"]
    assert (typo.tp, typo.fp, typo.fn, typo.recall, typo.top1_accuracy) == (0, 1, 2, 0.0, 0.5)
    assert typo.precision == 0.0
    assert by_cat["neg_other"].negatives_hit == 0.5
    assert by_cat["exact"].f1 == 1.0


def test_undefined_figures_are_none_not_zero() -> None:
    f = quality_figures([(q("N1", "no_match", category="neg_other"), Outcome("clear", None, 0.0))])
    assert f.precision is None  # no hit at all: nothing to divide by
    assert f.recall is None and f.f1 is None and f.top1_accuracy is None
    assert f.negatives_hit == 0.0


def test_a_hit_without_an_entity_is_not_a_true_positive() -> None:
    f = quality_figures([(q("M1", "match", "E1"), Outcome("hit", None, 1.0))])
    assert (f.tp, f.fp, f.fn) == (0, 1, 1)


def test_unknown_verdicts_and_labels_are_errors() -> None:
    with pytest.raises(ValueError, match="verdict"):
        quality_figures([(q("X", "match", "E1"), Outcome("maybe", "E1", 0.5))])
    with pytest.raises(ValueError, match="label"):
        quality_figures([(q("X", "perhaps", "E1"), Outcome("hit", "E1", 0.5))])


def test_errors_are_the_rows_the_rules_count_against_a_system() -> None:
    wrong = [qq.query_id for qq, o in PAIRS if is_error(qq, o)]
    assert wrong == ["Q2", "Q3", "Q4", "Q5", "Q9", "Q10"]


def test_entity_key_map_sends_a_later_listing_row_to_the_entity_key() -> None:
    entity = ListedEntity(
        id="X-001",
        name="X",
        listings=(
            Listing(section="i", effective_date=None, entry_id="X-001"),
            Listing(section="v", effective_date=None, entry_id="X-077"),
        ),
    )
    keys = entity_key_map([entity])
    assert keys["X-001"] == "X-001"
    assert keys["X-077"] == "X-001"
    # The README's own examples, from the list CSV of the package.
    assert keys["UFLPA-064"] == "UFLPA-002"
    assert keys["UFLPA-148"] == "UFLPA-055"


def test_pair_figures() -> None:
    labels = [True, True, True, False, False]
    preds = [True, True, False, True, False]
    f = pair_figures(labels, preds)
    assert (f.tp, f.fp, f.tn, f.fn) == (2, 1, 1, 1)
    assert f.precision == pytest.approx(2 / 3)
    assert f.recall == pytest.approx(2 / 3)
    assert f.f1 == pytest.approx(2 / 3)
    assert f.accuracy == pytest.approx(3 / 5)
    with pytest.raises(ValueError):
        pair_figures([True], [])


def test_synthetic_han_names_are_unique_and_reproducible() -> None:
    from benchmarks.synthetic_names import CompanyNames

    first = CompanyNames(seed=3).names(3000, "han")
    assert len({name for _, name in first}) == 3000
    assert CompanyNames(seed=3).names(1000, "han") == first[:1000]
    assert CompanyNames(seed=4).names(50, "han") != first[:50]
