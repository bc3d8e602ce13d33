"""How one DHS / Federal Register entry is cut into name, aliases, former names and subsidiaries.

Each case says why it is there; the entry texts are DHS wording or follow its patterns.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from uflpa.lists.entry_text import (
    EntryTextError,
    ParsedEntry,
    find_section,
    parse_entry,
    parse_list_date,
)

ROOT = Path(__file__).resolve().parents[2]

CASES: list[dict[str, Any]] = [
    {
        "why": "'including one alias:' opens an alias clause",
        "text": "Changji Esquel Textile Co. Ltd. (including one alias: Changji Yida Textile)",
        "name": "Changji Esquel Textile Co. Ltd.",
        "aliases": ["Changji Yida Textile"],
    },
    {
        "why": "'including two aliases: A; and B' splits on the semicolon and drops the 'and'",
        "text": "KTK Group (including two aliases: Jiangsu Jinchuang Group; and KTK Holding)",
        "name": "KTK Group",
        "aliases": ["Jiangsu Jinchuang Group", "KTK Holding"],
    },
    {
        "why": "'and two aliases:' is how the DHS page writes Hetian Haolin",
        "text": "Hetian Haolin Hair Accessories Co. Ltd. (and two aliases: Hotan Haolin Hair "
        "Accessories; and Hollin Hair Accessories)",
        "name": "Hetian Haolin Hair Accessories Co. Ltd.",
        "aliases": ["Hotan Haolin Hair Accessories", "Hollin Hair Accessories"],
    },
    {
        "why": "'also known as A' with a curly apostrophe: both spellings kept, as DHS lists both",
        "text": "Sichuan Yuan’an Pharmaceutical Co. Ltd. (also known as Sichuan Yuanan "
        "Pharmaceutical Co. Ltd.)",
        "name": "Sichuan Yuan’an Pharmaceutical Co. Ltd.",
        "aliases": ["Sichuan Yuanan Pharmaceutical Co. Ltd."],
    },
    {
        "why": "'also known as A; B; and C': commas inside names ('Co., Ltd.') never split",
        "text": "Xinjiang Daqo New Energy Co., Ltd. (also known as Xinjiang Great New Energy Co., "
        "Ltd.; Xinjiang Daxin Energy Co., Ltd.; and Xinjiang Daqin Energy Co., Ltd.)",
        "name": "Xinjiang Daqo New Energy Co., Ltd.",
        "aliases": [
            "Xinjiang Great New Energy Co., Ltd.",
            "Xinjiang Daxin Energy Co., Ltd.",
            "Xinjiang Daqin Energy Co., Ltd.",
        ],
    },
    {
        "why": "'formerly known as A' gives a former name, not an alias",
        "text": "Tianjin Tianwei Food Co., Ltd. (formerly known as Tianjin Sanhe Fruit and "
        "Vegetable Co., Ltd.)",
        "name": "Tianjin Tianwei Food Co., Ltd.",
        "former_names": ["Tianjin Sanhe Fruit and Vegetable Co., Ltd."],
    },
    {
        "why": "'formerly known as A; and B', with &nbsp; between words of the name (DHS markup)",
        "text": "Xinjiang&nbsp;Goens&nbsp;Energy Technology Co., Ltd. (formerly known as Xinjiang "
        "GCL New Energy Material Technology Co., Ltd.; and Xinjiang GCL New Energy Materials "
        "Technology Co., Ltd.) ",
        "name": "Xinjiang Goens Energy Technology Co., Ltd.",
        "former_names": [
            "Xinjiang GCL New Energy Material Technology Co., Ltd.",
            "Xinjiang GCL New Energy Materials Technology Co., Ltd.",
        ],
    },
    {
        "why": "an alias clause and a formerly clause inside one parenthetical",
        "text": "Hongyuan Green Energy Co., Ltd. (also known as HY Solar; Hoyuan Green Energy Co. "
        "Ltd.; and formerly known as Wuxi Shangji CNC Co., Ltd.; and Wuxi Shangji Automation "
        "Co., Ltd.)",
        "name": "Hongyuan Green Energy Co., Ltd.",
        "aliases": ["HY Solar", "Hoyuan Green Energy Co. Ltd."],
        "former_names": ["Wuxi Shangji CNC Co., Ltd.", "Wuxi Shangji Automation Co., Ltd."],
    },
    {
        "why": "an alias parenthetical followed by a separate formerly parenthetical",
        "text": "Hebei Tomato Industry Co., Ltd. (also known as Hebei Temeite Industrial Group "
        "Co., Ltd.) (formerly known as Hebei Temeite International Trade Co., Ltd.)",
        "name": "Hebei Tomato Industry Co., Ltd.",
        "aliases": ["Hebei Temeite Industrial Group Co., Ltd."],
        "former_names": ["Hebei Temeite International Trade Co., Ltd."],
    },
    {
        "why": "parentheses inside the name and inside the alias, then 'and subsidiaries'",
        "text": "Hoshine Silicon Industry (Shanshan) Co., Ltd (including one alias: Hesheng "
        "Silicon Industry\n(Shanshan) Co.) and subsidiaries",
        "name": "Hoshine Silicon Industry (Shanshan) Co., Ltd",
        "aliases": ["Hesheng Silicon Industry (Shanshan) Co."],
        "subsidiaries": True,
        "note": "and subsidiaries",
    },
    {
        "why": "'and its subsidiaries' is the other common wording",
        "text": "Zijin Mining Group Co., Ltd. and its subsidiaries",
        "name": "Zijin Mining Group Co., Ltd.",
        "subsidiaries": True,
        "note": "and its subsidiaries",
    },
    {
        "why": "', and Subsidiaries' with a comma and a capital S (OpenSanctions saw this form)",
        "text": "Example Holdings Co., Ltd., and Subsidiaries",
        "name": "Example Holdings Co., Ltd.",
        "subsidiaries": True,
        "note": "and Subsidiaries",
    },
    {
        "why": "XPCC: three aliases and 'its subordinate and affiliated entities'",
        "text": "Xinjiang Production and Construction Corps (including three aliases: XPCC; "
        "Xinjiang Corps; and Bingtuan) and its subordinate and affiliated entities",
        "name": "Xinjiang Production and Construction Corps",
        "aliases": ["XPCC", "Xinjiang Corps", "Bingtuan"],
        "subsidiaries": True,
        "note": "and its subordinate and affiliated entities",
    },
    {
        "why": "'and its subsidiary X' names the subsidiary, which becomes its own entity",
        "text": "Chenguang Biotech Group Co., Ltd. and its subsidiary Chenguang Biotechnology "
        "Group Yanqi Co. Ltd.",
        "name": "Chenguang Biotech Group Co., Ltd.",
        "subsidiaries": True,
        "note": "and its subsidiary Chenguang Biotechnology Group Yanqi Co. Ltd.",
        "subsidiary_names": ["Chenguang Biotechnology Group Yanqi Co. Ltd."],
    },
    {
        "why": "'and its N X-based subsidiaries, which include: A; B; and C' (Ninestar, 2023)",
        "text": "Ninestar Corporation and its eight Zhuhai-based subsidiaries, which include: "
        "Zhuhai Ninestar Information Technology Co., Ltd.; Zhuhai Pantum Electronics Co. Ltd.; "
        "and Zhuhai Ninestar Management Co., Ltd.",
        "name": "Ninestar Corporation",
        "subsidiaries": True,
        "note": "and its eight Zhuhai-based subsidiaries, which include: Zhuhai Ninestar "
        "Information Technology Co., Ltd.; Zhuhai Pantum Electronics Co. Ltd.; and Zhuhai "
        "Ninestar Management Co., Ltd.",
        "subsidiary_names": [
            "Zhuhai Ninestar Information Technology Co., Ltd.",
            "Zhuhai Pantum Electronics Co. Ltd.",
            "Zhuhai Ninestar Management Co., Ltd.",
        ],
    },
    {
        "why": "'and' inside a name is not a subsidiaries clause",
        "text": "Xinjiang Junggar Cotton and Linen Co., Ltd.",
        "name": "Xinjiang Junggar Cotton and Linen Co., Ltd.",
    },
    {
        "why": "a literal NBSP character and a trailing NBSP (DHS cells end with one)",
        "text": "Shihezi\u00a0Xinren Battery Aluminum Foil Technology Co., Ltd.\u00a0",
        "name": "Shihezi Xinren Battery Aluminum Foil Technology Co., Ltd.",
    },
    {
        "why": "the period that ends a sentence after the parenthetical is not part of the name",
        "text": "Xinjiang Energy (Group) Real Estate Co., Ltd (also known as Xinjiang Energy Real "
        "Estate).",
        "name": "Xinjiang Energy (Group) Real Estate Co., Ltd",
        "aliases": ["Xinjiang Energy Real Estate"],
    },
    {
        "why": "a trailing footnote marker is dropped, the abbreviation's period is kept",
        "text": "Camel Group Co., Ltd.*",
        "name": "Camel Group Co., Ltd.",
    },
    {
        "why": "bracketed and superscript footnote markers are dropped too",
        "text": "Camel Group Co., Ltd. [1]¹",
        "name": "Camel Group Co., Ltd.",
    },
    {
        "why": "a sentence-final period after a plain word is dropped",
        "text": "Lop County Hair Product Industrial Park.",
        "name": "Lop County Hair Product Industrial Park",
    },
    {
        "why": "'(Shanshan)'-style parentheses are part of the name and stay in it",
        "text": "Hoshine Silicon Industry (Shanshan) Co., Ltd",
        "name": "Hoshine Silicon Industry (Shanshan) Co., Ltd",
    },
    {
        "why": "'(Group)' is part of the name",
        "text": "Xinjiang Energy (Group) Co., Ltd.",
        "name": "Xinjiang Energy (Group) Co., Ltd.",
    },
    {
        "why": "'(Group)' in the middle of a longer name",
        "text": "Kashgar Construction Engineering (Group) Co., Ltd.",
        "name": "Kashgar Construction Engineering (Group) Co., Ltd.",
    },
    {
        "why": "an acronym of the preceding words stays in the name as listed and is also an alias",
        "text": "No. 4 Vocation Skills Education Training Center (VSETC)",
        "name": "No. 4 Vocation Skills Education Training Center (VSETC)",
        "aliases": ["VSETC"],
    },
    {
        "why": "capitals that are not the initials of the words before are not taken as an alias",
        "text": "Example Tower Holdings (ABC)",
        "name": "Example Tower Holdings (ABC)",
    },
    {
        "why": "without semicolons the stated count splits 'A and B', from the right",
        "text": "Example Co. (including two aliases: Jiangsu Cotton and Linen Trading and Example "
        "Textiles)",
        "name": "Example Co.",
        "aliases": ["Jiangsu Cotton and Linen Trading", "Example Textiles"],
    },
    {
        "why": "a single counted alias containing 'and' is not split",
        "text": "Heze Cotton and Linen Economic and Trade Development Corporation (including one "
        "alias: Heze Cotton and Linen Trading Development General Company)",
        "name": "Heze Cotton and Linen Economic and Trade Development Corporation",
        "aliases": ["Heze Cotton and Linen Trading Development General Company"],
    },
    {
        "why": "a.k.a. and f.k.a. abbreviations",
        "text": "Example Trading Co., Ltd. (a.k.a. Example Trade; f.k.a. Old Example Co.)",
        "name": "Example Trading Co., Ltd.",
        "aliases": ["Example Trade"],
        "former_names": ["Old Example Co."],
    },
    {
        "why": "a truncated parenthetical still yields its alias",
        "text": "Example Co., Ltd. (also known as Example Limited",
        "name": "Example Co., Ltd.",
        "aliases": ["Example Limited"],
    },
]


@pytest.mark.parametrize("case", CASES, ids=[c["why"] for c in CASES])
def test_parse_entry(case: dict[str, Any]) -> None:
    expected = ParsedEntry(
        name=case["name"],
        aliases=tuple(case.get("aliases", ())),
        former_names=tuple(case.get("former_names", ())),
        subsidiaries=case.get("subsidiaries", False),
        subsidiaries_note=case.get("note"),
        subsidiary_names=tuple(case.get("subsidiary_names", ())),
    )
    assert parse_entry(case["text"]) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "(also known as Example Limited)", "\u00a0*"],
    ids=["empty", "blank", "alias clause only", "NBSP and a footnote marker"],
)
def test_entry_without_a_name_is_an_error(text: str) -> None:
    with pytest.raises(EntryTextError):
        parse_entry(text)


def test_every_name_of_the_bundled_list_reads_back_unchanged() -> None:
    """The reviewed CSV holds DHS names and aliases as fields: rebuilt into DHS wording, each
    entry must parse back to exactly those fields (the acronym alias is the one addition)."""
    path = ROOT / "uflpa" / "data" / "uflpa_entity_list.csv"
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) > 100
    for row in rows:
        name = row["name"]
        aliases = [a.strip() for a in row["aliases"].split("|") if a.strip()]
        parsed = parse_entry(name)
        assert parsed.name == name
        assert parsed.former_names == ()
        if aliases:
            listed = "; ".join(aliases[:-1]) + "; and " if len(aliases) > 1 else ""
            parsed = parse_entry(f"{name} (also known as {listed}{aliases[-1]})")
            assert parsed.name == name
            assert list(parsed.aliases) == aliases


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("June 21, 2022", date(2022, 6, 21)),
        ("Jun. 21, 2022", date(2022, 6, 21)),
        ("Sept. 27, 2023", date(2023, 9, 27)),
        ("6/21/2022", date(2022, 6, 21)),
        ("2022-06-21", date(2022, 6, 21)),
        ("21 June 2022", date(2022, 6, 21)),
        ("June\u00a021,\u00a02022.", date(2022, 6, 21)),
        ("June 31, 2022", None),
        ("Junly 21, 2022", None),
        ("pending", None),
        ("", None),
    ],
)
def test_parse_list_date(text: str, expected: date | None) -> None:
    assert parse_list_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Section 2(d)(2)(B)(i) of the UFLPA: entities in Xinjiang that mine", "2(d)(2)(B)(i)"),
        ("Entities Identified Pursuant to Section 2(d)(2)(B)(ii)", "2(d)(2)(B)(ii)"),
        ("... - Section 2 (d)(2)(B)(iv)", "2(d)(2)(B)(iv)"),
        ("section 2(d)(2)(B)(i), later 2(d)(2)(B)(v)", "2(d)(2)(B)(v)"),
        ("pursuant to section 2(d)(2)(B) of the UFLPA", None),
    ],
)
def test_find_section_takes_the_last_citation(text: str, expected: str | None) -> None:
    assert find_section(text) == expected


_WORD = st.sampled_from(
    ["Xinjiang", "Hetian", "Cotton", "and", "Linen", "Textile", "Energy", "(Group)", "(Baotou)",
     "Yuan’an", "New", "Materials", "Huafu", "Trade"]
)  # fmt: skip
_FORM = st.sampled_from(["Co., Ltd.", "Co. Ltd.", "Co., Ltd", "Corporation", "Group Co., Ltd."])
_NAME = st.builds(
    lambda words, form: " ".join([*words, form]), st.lists(_WORD, min_size=1, max_size=5), _FORM
).filter(lambda n: not n.startswith("and "))


@given(name=_NAME, aliases=st.lists(_NAME, min_size=1, max_size=4, unique=True))
def test_alias_clauses_round_trip(name: str, aliases: list[str]) -> None:
    """Whatever the names hold ('and', '(Group)', commas), 'NAME (also known as A; B; and C)'
    gives back NAME and A, B, C."""
    listed = "; ".join(aliases[:-1]) + "; and " if len(aliases) > 1 else ""
    parsed = parse_entry(f"{name} (also known as {listed}{aliases[-1]})")
    assert parsed.name == name
    assert list(parsed.aliases) == [a for a in aliases if a.casefold() != name.casefold()]
    assert parse_entry(parsed.name).name == parsed.name
