"""Taiwan and Hong Kong characters that OpenCC t2s keeps but the mainland writes otherwise."""

from __future__ import annotations

from uflpa.lists.bundled import load_bundled
from uflpa.match.matcher import Matcher
from uflpa.text.han import to_simplified, to_simplified_aligned


def test_taiwan_silicon_is_the_mainland_silicon() -> None:
    assert to_simplified("合盛矽業（鄯善）有限公司") == "合盛硅业（鄯善）有限公司"
    assert to_simplified_aligned("矽業") == "硅业"


def test_place_names_are_not_rewritten_by_a_phrase_table() -> None:
    # OpenCC tw2sp would make this 塔吉克斯坦 (the country): only characters are mapped here.
    assert to_simplified("塔什庫爾干塔吉克自治縣") == "塔什库尔干塔吉克自治县"


def test_a_listed_silicon_firm_written_with_the_taiwan_character_is_found() -> None:
    best = Matcher([load_bundled()]).match("合盛矽業（鄯善）有限公司")[0]
    assert (best.entity_id, best.verdict) == ("UFLPA-012", "hit")
