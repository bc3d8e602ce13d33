"""The evidence says in words how the query was read where a reader would not guess it (issue
18): an address in pinyin cut off, a place in brackets read as the name's place."""

from __future__ import annotations

import pytest

from uflpa.lists.bundled import load_bundled
from uflpa.match.explain import explain_match
from uflpa.match.matcher import Matcher


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher([load_bundled()])


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        (
            "Xinjiang Zhongtai Chemical Co., Ltd. Wulumuqi Shi Shuimogou Qu Nanhu Lu 88 Hao",
            "address in pinyin cut off: 'wulumuqi shi shuimogou qu …'",
        ),
        (
            "Zhongtai (Xinjiang) Chemical Co., Ltd.",
            "place in brackets read as the name's place: 'xinjiang'",
        ),
    ],
)
def test_the_evidence_and_its_explanation_say_how_the_query_was_read(
    matcher: Matcher, name: str, reading: str
) -> None:
    [top] = matcher.match(name, top_k=1)
    assert (top.entity_id, top.verdict) == ("UFLPA-020", "hit")
    assert top.evidence["query"]["readings"] == [reading]
    assert f"Read: {reading}." in explain_match(top.to_dict())


def test_a_plain_name_has_no_readings(matcher: Matcher) -> None:
    [top] = matcher.match("Xinjiang Zhongtai Chemical Co., Ltd.", top_k=1)
    assert "readings" not in top.evidence["query"]
    assert not any(line.startswith("Read:") for line in explain_match(top.to_dict()))
