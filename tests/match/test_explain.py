"""The evidence renderer (`uflpa.match.explain`): features in words, whether they held, and what
they compared, for shapes of `compared` a feature may give, including ones no code here knows."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest
import yaml

from uflpa.match.explain import HELD, NOT_APPLICABLE, NOT_HELD, PARTLY, findings, summary, words
from uflpa.match.matcher import compare
from uflpa.scoring.algorithm import _EXTRA
from uflpa.scoring.features import FEATURES, QUALIFIERS


def test_aligned_pairs_read_as_words() -> None:
    compared = {
        "pairs": [
            {"query": "天棉", "candidate": "Tianmian", "kind": "trade name", "how": "pinyin"},
            {"query": "纺织", "candidate": "Textile", "kind": "industry word", "how": "lexicon"},
        ]
    }
    assert words(compared) == (
        "天棉 = Tianmian (trade name, pinyin); 纺织 = Textile (industry word, lexicon)"
    )


@pytest.mark.parametrize(
    ("compared", "expected"),
    [
        ({"query": ["hesheng"], "candidate": ["hesheng"]}, "query Hesheng; listed Hesheng"),
        ({"query": ["p:changji", "p:xinjiang"], "candidate": []},
         "query Changji, Xinjiang; listed (none)"),
        ({"identifier": "91650000"}, "identifier: 91650000"),
        ({"score_before_country": 0.9312, "held_at_review": True},
         "score of the name alone: 0.9312; held at review: yes"),
        ("合盛硅业", "合盛硅业"),
        (0.5, "0.5"),
        ({"query": {"place_set": ["p:shanshan"], "address_places": []},
          "candidate": {"place_set": []}},
         "query places: Shanshan; listed (none)"),
    ],
)  # fmt: skip
def test_compared_values_of_any_shape_read_without_a_repr(compared: Any, expected: str) -> None:
    assert words(compared) == expected


def _entry(value: float, compared: Any) -> dict[str, Any]:
    return {"value": value, "why": "Both names carry a finding.", "compared": compared}


def test_each_feature_says_whether_it_held() -> None:
    evidence = {
        "basis": "trade_name",
        "features": {
            "trade_name_similarity": _entry(
                1.0, {"query": ["zhongtai"], "candidate": ["zhongtai"]}
            ),
            "core_name_similarity": _entry(0.57, {"query": "zhongtai", "candidate": "xjzhongtai"}),
            "trade_name_contained": _entry(0.0, {"query": ["zhongtai"], "candidate": ["zhongtai"]}),
            "han_core_match": _entry(0.0, {"query": "", "candidate": "中泰"}),
            "industry_agreement": _entry(1.0, {"query": [], "candidate": []}),
        },
        "qualifiers": {"missing_place": _entry(1.0, {"query": [], "candidate": ["p:xinjiang"]})},
    }
    states = {f.name: f.state for f in findings(evidence)}
    assert states == {
        "trade_name_similarity": HELD,
        "core_name_similarity": PARTLY,
        "trade_name_contained": NOT_HELD,
        "han_core_match": NOT_APPLICABLE,
        # 1.0 when neither name has an industry word: nothing agreed, so it is not a reason.
        "industry_agreement": NOT_APPLICABLE,
        # A qualifier that lowered the score held, though the query lacks the part.
        "missing_place": HELD,
    }
    lowered = next(f for f in findings(evidence) if f.name == "missing_place")
    assert lowered.result == "held (1.00), lowered the score"
    why = summary(evidence)
    assert "trade name Zhongtai = Zhongtai" in why
    assert "industry" not in why and "Is every" not in why
    assert "the listed name's place Xinjiang is missing from the query: lowered the score" in why


def test_a_feature_no_table_knows_reads_as_a_question_with_its_comparison() -> None:
    evidence = {
        "basis": "aligned",
        "features": {
            "word_alignment": _entry(
                1.0,
                {"pairs": [{"query": "天棉", "candidate": "Tianmian", "kind": "trade name"}]},
            )
        },
        "qualifiers": {},
    }
    (finding,) = findings(evidence)
    assert finding.tests == "Does this hold: both names carry a finding?"
    assert finding.line().endswith("→ held (1.00); compared: 天棉 = Tianmian (trade name).")


def test_every_feature_has_a_question_in_the_table() -> None:
    # A new feature reads in words without an entry (above), but should get one to read well.
    table = yaml.safe_load(
        resources.files("uflpa.match").joinpath("explain.yml").read_text(encoding="utf-8")
    )
    names = {*FEATURES, *QUALIFIERS, *_EXTRA, "same_listed_entity"}
    missing = sorted(n for n in names if not table["features"].get(n, {}).get("tests"))
    assert not missing, f"add these to uflpa/match/explain.yml: {missing}"
    assert all(entry["tests"].rstrip().endswith("?") for entry in table["features"].values())


def test_a_comparison_of_free_names_in_words() -> None:
    result = compare("Hoshine Silicon Industry (Shanshan) Co., Ltd.", "合盛硅业（鄯善）有限公司")
    states = {f.name: f.state for f in findings(result.to_dict())}
    assert states["han_core_match"] == NOT_APPLICABLE  # one name is not in characters
    assert set(states) == set(result.features) | set(result.qualifiers)
