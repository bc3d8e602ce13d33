"""Pairwise `compare` on names beyond the UFLPA list: the matcher is sound on other scripts and
on series numbers, initials, number words and country qualifiers."""

from __future__ import annotations

import pytest

from uflpa.match.matcher import compare

SAME = [
    ("A.B.C. Company", "ABC Co.", "initials written with dots"),
    ("Brigade Forty-Four", "Brigade 44", "number written in words"),
    ("1st International Bank", "First International Bank", "ordinal as digits"),
    ("PLA", "People’s Liberation Army", "acronym of a three-word name"),
    ("ООО «Байкал»", "OOO Baikal", "Cyrillic transliterated"),
    ("Siemens Aktiengesellschaft", "Siemens AG", "legal form spelled out (rigour)"),
    ("JPMorgon Chace & Co.", "JPMorgan Chase & Co.", "English misspelling that looks like pinyin"),
    ("SiemensAG", "Siemens AG", "the same name but for spacing"),
]
DIFFERENT = [
    ("Apollo Investment Fund VIII L.P.", "Apollo Investment Fund IX L.P.", "another fund"),
    ("Bowne Global Solutions (Sweden) AB", "Bowne Global Solutions (Finland) AB", "country"),
    ("Saudi Arabian Gas Company", "Saudi Arabian Oil Company", "different industry word"),
    ("Zhaojin Mining Industry Co., Ltd.", "Zijin Mining Group Co., Ltd.", "near-miss trade name"),
]


@pytest.mark.parametrize(("a", "b", "why"), SAME)
def test_same_organisation_is_a_hit(a: str, b: str, why: str) -> None:
    assert compare(a, b).verdict == "hit", why


@pytest.mark.parametrize(("a", "b", "why"), DIFFERENT)
def test_different_organisation_is_not_a_hit(a: str, b: str, why: str) -> None:
    assert compare(a, b).verdict != "hit", why


def test_compare_is_symmetric_in_verdict() -> None:
    for a, b, _ in SAME + DIFFERENT:
        assert compare(a, b).verdict == compare(b, a).verdict
