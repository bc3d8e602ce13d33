"""The scanner's fast paths give the general path's answer, and the number finders' early
exits never skip a text their patterns would match.

`_latin_stream` reads plain ASCII text with one regex (`_ascii_stream`) and everything else
character by character (`_general_stream`); `_scan_latin` tries only token boundaries within the
longest key of a prefix. Both are held here to the slow, obvious reading of the same text.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from uflpa.geo.codes import _HAN_REGIMENT, _POSTAL, _TUANCHANG, SIX_DIGITS
from uflpa.geo.index import build_index
from uflpa.geo.matcher import _ascii_stream, _general_stream, _latin_stream, _scan_latin
from uflpa.identifiers import _IN_TEXT as _USCC
from uflpa.identifiers import _SIX_DIGITS as _USCC_DIGITS
from uflpa.text.normalize import normalise

TEXTS = [
    "",
    "Urumqi",
    "Xinjiang Foo Trading Co., Ltd.",
    "No. 5 Xinjiang Road, Shanghai 200000, China",
    "830011Urumqi",
    "KU-ER-LE",
    "Ku Er Le Shi",
    "Aksu District, Antalya, Turkey",
    "Shihezi 142 Tuan",
    "ABC123def 4",
    "a_b__c",
    "  Hotan   Prefecture  ",
    "Kashgar's cotton",
    "Ku'erle",
    "Ala’er City",
    "Ürümqi, 新疆乌鲁木齐市",
    "ＡＫＳＵ",
    "Straße ﬁ Ⅻ ½ ²",
    "İli Kazakh Autonomous Prefecture",
    "Tianshan Bei Lu, Hami Shi",
]

_ASCII = st.text(
    alphabet=st.sampled_from("abcXYZ019 _-.,;()/&\t\nUrumqiHotanKashgarShi"), max_size=60
)
_FRAGMENTS = st.lists(
    st.sampled_from(
        [
            "Urumqi", "Road", "Ku", "er", "le", "Shi", "County", "Xinjiang", "Aksu", "District",
            "Hotan", "Prefecture", "China", "142", "Tuan", "830011", "Co", "Ltd", "'", "’", "-",
            " ", ",", "(", ")", "新疆", "路", "Ü", "ß", "Yiwu", "Tianshan", "Bei", "Lu", "Ili",
        ]
    ),
    max_size=14,
).map("".join)  # fmt: skip


def _brute_force_latin(text: str) -> list[tuple[tuple[int, int], str]]:
    """Leftmost-longest keys between token boundaries, trying every pair of boundaries."""
    keys = build_index().latin
    norm = normalise(text)
    stream = _general_stream(norm)
    starts = stream.starts
    out = []
    k = 0
    while k < len(starts) - 1:
        for j in range(len(starts) - 1, k, -1):
            if stream.compact[starts[k] : starts[j]] in keys:
                out.append(
                    ((stream.first[k], stream.after[j - 1]), stream.compact[starts[k] : starts[j]])
                )
                k = j
                break
        else:
            k += 1
    return out


def _fast_latin(text: str) -> list[tuple[tuple[int, int], str]]:
    norm = normalise(text)
    stream = _latin_stream(norm)
    found = []
    for hit in _scan_latin(text, norm, build_index()):
        k = stream.first.index(hit.span[0])
        j = stream.after.index(hit.span[1])
        found.append((hit.span, stream.compact[stream.starts[k] : stream.starts[j + 1]]))
    return found


def test_ascii_stream_on_a_table_of_texts() -> None:
    for text in TEXTS:
        if text.isascii() and "'" not in text and "`" not in text:
            assert _ascii_stream(text) == _general_stream(text), text


@settings(max_examples=300, deadline=None)
@given(_ASCII)
def test_ascii_stream_is_the_general_stream(text: str) -> None:
    assert _ascii_stream(text) == _general_stream(text)


def test_latin_scan_on_a_table_of_texts() -> None:
    for text in TEXTS:
        assert _fast_latin(text) == _brute_force_latin(text), text


@settings(max_examples=300, deadline=None)
@given(st.one_of(_ASCII, _FRAGMENTS))
def test_latin_scan_is_leftmost_longest_over_token_boundaries(text: str) -> None:
    assert _fast_latin(text) == _brute_force_latin(text)


_NUMBERS = st.lists(
    st.sampled_from(
        [
            "142团", "一四二团", "团场", "集团", "830011", "8300112", "邮编", "Tel:", "PIN ", "12",
            "91650100MA77ABCD1P", "9165010OMA77ABCD1P", "91650100ma77abcd1p", "１２３４５６",
            "١٢٣٤٥٦", " ", ",", "-", "x", "Regiment", "Tuan",
        ]
    ),
    max_size=8,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.one_of(_NUMBERS, st.text(max_size=40)))
def test_number_prefilters_never_hide_a_match(text: str) -> None:
    """`find_postal_codes` and `find_usccs` return early without six digits in a row, and
    `find_regiments` skips its Han patterns without 团: each pattern needs what is checked."""
    if _POSTAL.search(text):
        assert SIX_DIGITS.search(text)
    if _USCC.search(text):
        assert _USCC_DIGITS.search(text)
    if _HAN_REGIMENT.search(text) or _TUANCHANG.search(text):
        assert "团" in text
