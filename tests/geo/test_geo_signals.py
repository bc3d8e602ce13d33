"""Number-shaped evidence (postal codes, USCC, regiments) and the reviewed word lists."""

from __future__ import annotations

from uflpa.geo import lexicon as lx
from uflpa.geo.codes import find_postal_codes, find_regiments
from uflpa.geo.index import build_index
from uflpa.identifiers import find_usccs, uscc_check_char
from uflpa.text.normalize import latin_key, normalise


def test_postal_codes_are_standalone_six_digit_numbers() -> None:
    assert [p.code for p in find_postal_codes("Urumqi 830002, China")] == ["830002"]
    assert find_postal_codes("Tel: 830011") == []
    assert find_postal_codes("0991-8301234") == []
    assert find_postal_codes("+86 830011") == []
    assert find_postal_codes("8300112345") == []
    assert find_postal_codes("USD 830,000.00") == []
    [labelled] = find_postal_codes("邮编：844000")
    assert labelled.label == "邮编" and labelled.xinjiang_range
    [pin] = find_postal_codes("PIN 834001")
    assert pin.pin_label


def test_regiment_forms() -> None:
    found = [
        r.text for r in find_regiments("第八师一四二团, 142团, 团场, 集团场地, 142nd Regiment")
    ]
    assert found == ["一四二团", "142团", "团场", "142nd Regiment"]
    assert find_regiments("三一集团 团体 旅游团") == []


def test_uscc_region_digits() -> None:
    text = "统一社会信用代码 91650100ma77abcd1p 地址"
    [(code, span)] = find_usccs(text)
    assert code.code == "91650100MA77ABCD1P" and code.province == "65" and code.xinjiang
    assert code.region == "650100" and text[span[0] : span[1]].upper() == code.code
    assert code.valid and uscc_check_char(code.code[:17]) == "P"
    wrong, _ = find_usccs("91650100MA77ABCD1Q, 91310000MA1FL1234Q")[0]
    assert wrong.xinjiang and not wrong.valid  # a code-shaped run is found, valid or not
    assert find_usccs("91650100MA77ABCD1Q, 91650100MA77ABCD1P", valid_only=True) == [
        (code, (20, 38))
    ]
    assert find_usccs("9165010") == []  # too short
    assert find_usccs("X91650100MA77ABCD1P") == []  # glued to another letter


def test_curated_ambiguities_name_indexed_spellings() -> None:
    """A reviewed ambiguity for a spelling that is not indexed would silently do nothing."""
    index = build_index()
    for spelling in lx.LATIN_AMBIGUOUS:
        entries = index.latin.get(latin_key(spelling), ())
        assert any(e.kind == "place" and e.ambiguity for e in entries), spelling
    for spelling in lx.HAN_AMBIGUOUS:
        entries = index.han.get(normalise(spelling), ())
        assert any(e.kind == "place" and e.ambiguity for e in entries), spelling


def test_bare_yiwu_and_other_withheld_spellings_are_not_places() -> None:
    """The data file lists some names only in qualified form; the index must respect that."""
    index = build_index()
    for bare in ("Yiwu", "Mori", "Baicheng", "Xinhe", "Qinghe", "Guma", "Lop", "Bay", "Niya"):
        assert not any(e.kind == "place" for e in index.latin.get(latin_key(bare), ())), bare
