"""Names cut at a field limit: one listed name they start is a hit; two are for a person."""

from __future__ import annotations

from uflpa.lists.bundled import load_bundled
from uflpa.match.matcher import Matcher


def test_an_ambiguous_cut_is_review_on_each_and_says_why() -> None:
    found = Matcher([load_bundled()]).match("XINJIANG COTTON INDUSTRY GROUP", top_k=3)
    cut = [r for r in found if r.scored.basis == "truncated"]
    assert len(cut) >= 2
    assert all(r.verdict == "review" for r in cut)
    assert all("ambiguous_truncation" in r.evidence["qualifiers"] for r in cut)


def test_a_cut_that_starts_one_listed_name_stays_a_hit() -> None:
    [top] = Matcher([load_bundled()]).match("CHINA COTTON GROUP SHANDO", top_k=1)
    assert (top.entity_id, top.verdict, top.scored.basis) == ("UFLPA-042", "hit", "truncated")
