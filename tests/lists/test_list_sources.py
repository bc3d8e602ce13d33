"""The four list sources: one contract run over every parser and fixture, then exact values per
format, then malformed input.

The fixtures in tests/fixtures/lists are written in the published formats (the DHS page markup,
govinfo's text rendering of a notice, OpenSanctions FtM exports, the trade.gov CSL files). Names,
aliases, sections and dates are the listed ones; ids of the OFAC/CSL samples, identifier numbers
containing "EXAMPLE", page ranges and billing codes are illustrative.
"""

from __future__ import annotations

import html
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from uflpa.errors import SourceFormatError
from uflpa.lists.base import detect_source, get_source, parse_list, provisional_id, source_names
from uflpa.lists.csl import read_csl
from uflpa.lists.opensanctions import read_ftm
from uflpa.model import SECTIONS, ListedEntity, ListVersion

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists"
T1 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
T2 = datetime(2026, 11, 29, 17, 30, tzinfo=UTC)

CONTRACT = [
    ("dhs-uflpa", "dhs_uflpa_page.html"),
    ("dhs-uflpa", "dhs_uflpa_page_variant.html"),
    ("federal-register", "federal_register_2025-00901.txt"),
    ("opensanctions", "opensanctions_us_dhs_uflpa.ftm.jsonl"),
    ("opensanctions", "opensanctions_us_ofac_sdn.ftm.jsonl"),
    ("csl", "csl_sample.csv"),
    ("csl", "csl_sample.json"),
]
UFLPA_LISTS = {"us-dhs-uflpa", "opensanctions:us_dhs_uflpa"}


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def parse(name: str, **kwargs: Any) -> ListVersion:
    return parse_list(read(name), name, retrieved_at=kwargs.pop("retrieved_at", T1), **kwargs)


def by_name(version: ListVersion) -> dict[str, ListedEntity]:
    return {e.name: e for e in version.entities}


def sections(entity: ListedEntity) -> list[tuple[str, date | None]]:
    return [(lst.section, lst.effective_date) for lst in entity.listings]


# --------------------------------------------------------------------------- contract


@pytest.mark.parametrize(("source", "fixture"), CONTRACT)
def test_contract(source: str, fixture: str) -> None:
    data = read(fixture)
    version = parse_list(data, fixture, retrieved_at=T1)

    assert version.source == source
    assert version.origin == fixture
    assert version.retrieved_at == T1
    assert version.entities
    ids = [e.id for e in version.entities]
    assert len(ids) == len(set(ids)), "entity ids repeat"
    for e in version.entities:
        assert e.id.strip() and e.name.strip()
        assert e.name == e.name.strip() and "  " not in e.name
        assert e.list_name == version.list_name
        assert e.listings, e.name
        for lst in e.listings:
            assert lst.section.strip()
            if version.list_name in UFLPA_LISTS:
                assert lst.section in SECTIONS, (e.name, lst.section)
            assert lst.effective_date is None or isinstance(lst.effective_date, date)
            if lst.effective_date and lst.removal_date:
                assert lst.removal_date > lst.effective_date
        # What the store keeps must come back unchanged.
        assert ListedEntity.from_dict(json.loads(json.dumps(e.to_dict()))) == e

    again = parse_list(data, fixture, retrieved_at=T2)
    assert again.content_hash == version.content_hash
    assert detect_source(data, fixture).name == source
    assert [n for n in source_names() if get_source(n).sniff(data, fixture)] == [source]


@pytest.mark.parametrize(
    ("origin", "data"),
    [
        ("suppliers.csv", b"supplier,country,hs_code\nAcme Textiles,CN,6109\n"),
        (
            "page.html",
            b"<html><body><h1>Hello</h1><table><tr><td>x</td></tr></table></body></html>",
        ),
        ("data.json", b'{"results": [{"title": "not a list", "score": 1}], "total": 1}'),
        ("lines.jsonl", b'{"a": 1}\n{"a": 2}\n'),
        ("notes.txt", b"Nothing to see here.\n"),
    ],
)
def test_unrecognised_input_is_refused_by_every_parser(origin: str, data: bytes) -> None:
    assert [n for n in source_names() if get_source(n).sniff(data, origin)] == []
    with pytest.raises(SourceFormatError, match="not a recognised list format") as info:
        parse_list(data, origin)
    assert info.value.file == origin
    assert str(info.value).startswith(origin)


# --------------------------------------------------------------------------- DHS page

DHS_EXPECTED: dict[str, dict[str, Any]] = {
    "Baoding LYSZD Trade and Business Co., Ltd.": {
        "sections": [("2(d)(2)(B)(i)", date(2022, 6, 21)), ("2(d)(2)(B)(v)", date(2022, 6, 21))],
    },
    "Hetian Haolin Hair Accessories Co. Ltd.": {
        # The (i) entry carries the aliases and the (v) entry gives the bare name: one entity.
        "aliases": ("Hotan Haolin Hair Accessories", "Hollin Hair Accessories"),
        "sections": [("2(d)(2)(B)(i)", date(2022, 6, 21)), ("2(d)(2)(B)(v)", date(2022, 6, 21))],
    },
    "Hoshine Silicon Industry (Shanshan) Co., Ltd": {
        "aliases": ("Hesheng Silicon Industry (Shanshan) Co.",),
        "subsidiaries": True,
        "sections": [("2(d)(2)(B)(i)", date(2022, 6, 21))],
    },
    "Xinjiang Daqo New Energy Co., Ltd.": {
        "aliases": (
            "Xinjiang Great New Energy Co., Ltd.",
            "Xinjiang Daxin Energy Co., Ltd.",
            "Xinjiang Daqin Energy Co., Ltd.",
        ),
        "sections": [("2(d)(2)(B)(i)", date(2022, 6, 21)), ("2(d)(2)(B)(v)", date(2024, 11, 25))],
    },
    "Xinjiang Goens Energy Technology Co., Ltd.": {
        "former_names": (
            "Xinjiang GCL New Energy Material Technology Co., Ltd.",
            "Xinjiang GCL New Energy Materials Technology Co., Ltd.",
        ),
        "sections": [("2(d)(2)(B)(i)", date(2026, 8, 3))],
    },
    "Xinjiang Production and Construction Corps": {
        "aliases": ("XPCC", "Xinjiang Corps", "Bingtuan"),
        "subsidiaries": True,
        "sections": [
            ("2(d)(2)(B)(i)", date(2022, 6, 21)),
            ("2(d)(2)(B)(ii)", date(2022, 6, 21)),
            ("2(d)(2)(B)(v)", date(2022, 6, 21)),
        ],
    },
    "Changhong Meiling Co., Ltd.": {
        "former_names": ("Hefei Meiling Co., Ltd.", "Hefei Meiling Group Holdings Limited"),
        "sections": [("2(d)(2)(B)(ii)", date(2024, 10, 3))],
    },
    "Camel Group Co., Ltd.": {"sections": [("2(d)(2)(B)(ii)", date(2023, 8, 2))]},
    "No. 4 Vocation Skills Education Training Center (VSETC)": {
        "aliases": ("VSETC",),
        "sections": [("2(d)(2)(B)(ii)", date(2022, 6, 21))],
    },
    "Kashgar Construction Engineering (Group) Co., Ltd.": {
        "sections": [("2(d)(2)(B)(ii)", date(2024, 8, 9))],
    },
    "Hongyuan Green Energy Co., Ltd.": {
        "aliases": ("HY Solar", "Hoyuan Green Energy Co. Ltd."),
        "former_names": (
            "Wuxi Shangji CNC Co., Ltd.",
            "Wuxi Shangji Automation Co., Ltd.",
            "Wuxi Shangji Grinding Machine Co., Ltd.",
        ),
        "sections": [("2(d)(2)(B)(v)", date(2025, 1, 15))],
    },
    "Sichuan Yuan’an Pharmaceutical Co. Ltd.": {
        "aliases": ("Sichuan Yuanan Pharmaceutical Co. Ltd.",),
        "sections": [("2(d)(2)(B)(v)", date(2024, 11, 25))],
    },
    "Shihezi Xinren Battery Aluminum Foil Technology Co., Ltd.": {
        "sections": [("2(d)(2)(B)(v)", date(2026, 8, 3))],
    },
}


def assert_expected(entities: dict[str, ListedEntity], expected: dict[str, dict[str, Any]]) -> None:
    for name, want in expected.items():
        e = entities[name]
        assert e.aliases == want.get("aliases", ()), name
        assert e.former_names == want.get("former_names", ()), name
        assert e.subsidiaries == want.get("subsidiaries", False), name
        assert sections(e) == want["sections"], name


def test_dhs_page_exact_values() -> None:
    version = parse("dhs_uflpa_page.html")
    entities = by_name(version)
    assert version.list_name == "us-dhs-uflpa"
    assert version.published == date(2026, 7, 31)  # "Last Updated: 07/31/2026"
    assert len(entities) == 19  # 25 table rows; the "Related Resources" table is not entities
    assert_expected(entities, DHS_EXPECTED)
    xpcc = entities["Xinjiang Production and Construction Corps"]
    assert xpcc.subsidiaries_note == "and its subordinate and affiliated entities"
    assert entities["Hoshine Silicon Industry (Shanshan) Co., Ltd"].subsidiaries_note == (
        "and subsidiaries"
    )
    # The footnote paragraph after the (ii) table cites (ii); the (v) heading after it wins.
    assert sections(entities["Changji Esquel Textile Co., Ltd."]) == [
        ("2(d)(2)(B)(v)", date(2024, 11, 1))
    ]


def test_dhs_page_written_differently_gives_the_same_entities() -> None:
    variant = parse("dhs_uflpa_page_variant.html")
    original = {e.id: e for e in parse("dhs_uflpa_page.html").entities}
    assert variant.published == date(2026, 7, 31)
    assert len(variant.entities) == 8
    hoshine = by_name(variant)["Hoshine Silicon Industry (Shanshan) Co., Ltd"]
    assert hoshine.subsidiaries and hoshine.subsidiaries_note == "and its subsidiaries"
    assert replace(hoshine, subsidiaries_note="and subsidiaries") == original[hoshine.id]
    for e in variant.entities:
        if e.id != hoshine.id:
            assert e == original[e.id], e.name


def test_dhs_entity_ids_are_provisional_ids_of_the_name() -> None:
    for e in parse("dhs_uflpa_page.html").entities:
        assert e.id == provisional_id("UFLPA", e.name)


# --------------------------------------------------------------------------- Federal Register


def test_federal_register_exact_values() -> None:
    version = parse("federal_register_2025-00901.txt")
    entities = by_name(version)
    assert version.list_name == "us-dhs-uflpa"
    assert version.published == date(2025, 1, 15)
    assert len(entities) == 27  # 35 appendix entries
    for e in version.entities:
        for lst in e.listings:
            assert (lst.fr_document, lst.fr_citation) == ("2025-00901", "90 FR 3899")
    assert sections(entities["Aksu Huafu Color Spinning Co., Ltd."]) == [
        ("2(d)(2)(B)(ii)", date(2025, 1, 15)),
        ("2(d)(2)(B)(v)", date(2025, 1, 15)),
    ]
    assert entities["Aksu Huafu Color Spinning Co., Ltd."].aliases == (
        "Aksu Huafu Textiles Co., Ltd.",
        "Akesu Huafu",
        "Aksu Huafu Dyed Melange Yarn",
        "Akesu Huafu Melange Yarn Co., Ltd.",
    )
    # Entries wrapped over several lines, with the date column on the first line.
    hetian = entities["Hetian Haolin Hair Accessories Co. Ltd."]
    assert hetian.aliases == ("Hotan Haolin Hair Accessories", "Hollin Hair Accessories")
    assert entities["Xinjiang Energy (Group) Real Estate Co., Ltd"].aliases == (
        "Xinjiang Energy Real Estate",
    )
    assert entities["Jiangsu Meike Solar Technology Co., Ltd."].former_names == (
        "Jiangsu Gaozhao New Energy Development Co., Ltd.",
    )
    assert sections(entities["Xinjiang Production and Construction Corps"]) == [
        ("2(d)(2)(B)(i)", date(2022, 6, 21)),
        ("2(d)(2)(B)(ii)", date(2022, 6, 21)),
        ("2(d)(2)(B)(v)", date(2022, 6, 21)),
    ]
    # Bulleted names in the SUPPLEMENTARY INFORMATION prose are not entries: Huafu Fashion is
    # listed once, from the appendix.
    assert sections(entities["Huafu Fashion Co., Ltd."]) == [("2(d)(2)(B)(v)", date(2025, 1, 15))]
    # As of this notice the Goens rename had not happened.
    assert "Xinjiang GCL New Energy Material Technology Co., Ltd." in entities


def test_federal_register_and_dhs_page_agree_on_shared_entries() -> None:
    fr = {e.id: e for e in parse("federal_register_2025-00901.txt").entities}
    dhs = {e.id: e for e in parse("dhs_uflpa_page.html").entities}
    for name in ("Hetian Haolin Hair Accessories Co. Ltd.", "Xinjiang Daqo New Energy Co., Ltd."):
        key = provisional_id("UFLPA", name)
        assert fr[key].aliases == dhs[key].aliases
        assert fr[key].listings == tuple(
            replace(lst, fr_document="2025-00901", fr_citation="90 FR 3899")
            for lst in dhs[key].listings
        )


NOTICE_WITHOUT_ENTRY_DATES = b"""\
DEPARTMENT OF HOMELAND SECURITY

Notice Regarding the Uyghur Forced Labor Prevention Act Entity List

AGENCY: Department of Homeland Security.

ACTION: Notice.

DATES: This notice is effective June 12, 2024.

ADDRESSES: FLETF.UFLPA.EntityList@hq.dhs.gov.

Appendix

    Entities Identified Pursuant to Section 2(d)(2)(B)(ii) of the UFLPA

 \xe2\x80\xa2 Dongguan Oasis Shoes Co., Ltd. (also known as Dongguan Oasis Shoe Industry
   Co., Ltd.; Dongguan Luzhou Shoes Co., Ltd.; and Dongguan Lvzhou Shoes Co., Ltd.)
 \xe2\x80\xa2 Shandong Meijia Group Co., Ltd. (also known as Rizhao Meijia Group)
 - Xinjiang Shenhuo Coal and Electricity Co., Ltd.

[FR Doc. 2024-12631 Filed 6-11-24; 8:45 am]
"""


def test_federal_register_entries_without_dates_take_the_dates_line() -> None:
    version = parse_list(NOTICE_WITHOUT_ENTRY_DATES, "2024-12631.txt", retrieved_at=T1)
    entities = by_name(version)
    assert list(entities) == [
        "Dongguan Oasis Shoes Co., Ltd.",
        "Shandong Meijia Group Co., Ltd.",
        "Xinjiang Shenhuo Coal and Electricity Co., Ltd.",
    ]
    assert entities["Dongguan Oasis Shoes Co., Ltd."].aliases == (
        "Dongguan Oasis Shoe Industry Co., Ltd.",
        "Dongguan Luzhou Shoes Co., Ltd.",
        "Dongguan Lvzhou Shoes Co., Ltd.",
    )
    lst = entities["Shandong Meijia Group Co., Ltd."].listings[0]
    assert (lst.section, lst.effective_date) == ("2(d)(2)(B)(ii)", date(2024, 6, 12))
    assert lst.fr_document == "2024-12631" and lst.fr_citation is None
    assert lst.note == "effective date from the notice's DATES line"
    assert version.published is None


NOTICE_HTML = b"""<!DOCTYPE html><html><body><div id="fulltext_content_area">
<h1>Notice Regarding the Uyghur Forced Labor Prevention Act Entity List</h1>
<dl><dt>Document Number:</dt><dd>2025-00901</dd><dt>Citation:</dt><dd>90 FR 3899</dd>
<dt>Publication Date:</dt><dd>01/15/2025</dd></dl>
<h2>AGENCY:</h2><p>Department of Homeland Security.</p><h2>ACTION:</h2><p>Notice.</p>
<h2>SUMMARY:</h2><p>This update adds three entities to the section 2(d)(2)(B)(ii) list.</p>
<h2>DATES:</h2><p>The entities added in this notice are effective January 15, 2025.</p>
<h2>ADDRESSES:</h2><p>Email FLETF.UFLPA.EntityList@hq.dhs.gov.</p>
<h2>Appendix</h2>
<h3>Entities Identified Pursuant to Section 2(d)(2)(B)(ii) of the UFLPA</h3>
<ul><li>Xinjiang Energy (Group) Co., Ltd.</li>
<li>Xinjiang Energy (Group) Real Estate Co., Ltd (also known as
Xinjiang Energy Real Estate)</li></ul>
<h3>Entities Identified Pursuant to Section 2(d)(2)(B)(v) of the UFLPA</h3>
<table><tr><th>Name of entity</th><th>Effective date</th></tr>
<tr><td>Baoding LYSZD Trade and Business Co., Ltd.</td><td>June 21, 2022</td></tr>
<tr><td>Huafu Fashion Co., Ltd.</td><td></td></tr></table>
<p>[FR Doc. 2025-00901 Filed 1-14-25; 8:45 am]</p>
</div></body></html>"""


def test_federal_register_html_form_reads_like_the_text() -> None:
    assert detect_source(NOTICE_HTML, "2025-00901.html").name == "federal-register"
    version = parse_list(NOTICE_HTML, "2025-00901.html", retrieved_at=T1)
    entities = by_name(version)
    assert version.published == date(2025, 1, 15)
    assert list(entities) == [
        "Xinjiang Energy (Group) Co., Ltd.",
        "Xinjiang Energy (Group) Real Estate Co., Ltd",
        "Baoding LYSZD Trade and Business Co., Ltd.",
        "Huafu Fashion Co., Ltd.",
    ]
    assert entities["Xinjiang Energy (Group) Real Estate Co., Ltd"].aliases == (
        "Xinjiang Energy Real Estate",
    )
    baoding = entities["Baoding LYSZD Trade and Business Co., Ltd."].listings[0]
    assert (baoding.section, baoding.effective_date) == ("2(d)(2)(B)(v)", date(2022, 6, 21))
    assert (baoding.fr_document, baoding.fr_citation) == ("2025-00901", "90 FR 3899")
    huafu = entities["Huafu Fashion Co., Ltd."].listings[0]
    assert huafu.effective_date == date(2025, 1, 15) and huafu.note


# --------------------------------------------------------------------------- OpenSanctions


def test_opensanctions_uflpa_export() -> None:
    result = read_ftm(read("opensanctions_us_dhs_uflpa.ftm.jsonl"), "uflpa.jsonl")
    version = result.version
    entities = by_name(version)
    assert version.list_name == "opensanctions:us_dhs_uflpa"
    assert version.published == date(2026, 11, 27)
    assert result.skipped == {"Ownership": 1, "Sanction": 12}
    assert len(entities) == 7
    xpcc = entities["Xinjiang Production and Construction Corps"]
    assert xpcc.schema == "Organization"
    assert xpcc.id.startswith("us-uflpa-")
    assert xpcc.subsidiaries and xpcc.subsidiaries_note == (
        "and its subordinate and affiliated entities"
    )
    assert sections(xpcc) == [
        ("2(d)(2)(B)(i)", date(2022, 6, 21)),
        ("2(d)(2)(B)(ii)", date(2022, 6, 21)),
        ("2(d)(2)(B)(v)", date(2022, 6, 21)),
    ]
    assert all(lst.entry_id and lst.entry_id.startswith("us-uflpa-") for lst in xpcc.listings)
    daqo = entities["Xinjiang Daqo New Energy Co. Ltd."]
    assert sections(daqo) == [
        ("2(d)(2)(B)(i)", date(2022, 6, 21)),
        ("2(d)(2)(B)(v)", date(2024, 11, 25)),
    ]
    assert daqo.country == "cn"
    yanqi = entities["Chenguang Biotechnology Group Yanqi Co. Ltd."]
    assert yanqi.parent == "Chenguang Biotech Group Co. Ltd."


def test_opensanctions_sdn_export_with_persons_and_linked_records() -> None:
    result = read_ftm(read("opensanctions_us_ofac_sdn.ftm.jsonl"), "sdn.jsonl")
    entities = by_name(result.version)
    assert result.version.list_name == "opensanctions:us_ofac_sdn"
    assert result.skipped == {"Address": 1, "Identification": 1, "Sanction": 4, "Vessel": 1}
    assert set(entities) == {
        "Quanguo CHEN",
        "XINJIANG PRODUCTION AND CONSTRUCTION CORPS",
        "EXAMPLE TRADING CO., LIMITED",
    }
    chen = entities["Quanguo CHEN"]
    assert chen.schema == "Person" and chen.country == "cn"
    assert sections(chen) == [("GLOMAG", date(2020, 7, 9))]
    assert chen.listings[0].note == "Global Magnitsky: serious human rights abuse in Xinjiang"
    xpcc = entities["XINJIANG PRODUCTION AND CONSTRUCTION CORPS"]
    assert xpcc.aliases == ("XINJIANG CORPS", "XPCC", "BINGTUAN")  # alias, then weakAlias
    assert xpcc.identifiers == ("EXAMPLE-USCC-0001",)
    assert xpcc.location == "Urumqi, Xinjiang, China"
    trading = entities["EXAMPLE TRADING CO., LIMITED"]
    assert trading.former_names == ("EXAMPLE IMPORT AND EXPORT CO., LIMITED",)
    assert trading.identifiers == ("EX-1234567",)
    assert trading.country == "hk"


def _fixture_objects(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in read(name).decode().splitlines() if line.strip()]


def test_opensanctions_array_and_yente_forms_give_the_same_version() -> None:
    name = "opensanctions_us_ofac_sdn.ftm.jsonl"
    lines = parse(name)
    objects = _fixture_objects(name)
    as_array = json.dumps(objects, indent=2).encode()
    assert detect_source(as_array, "sdn.json").name == "opensanctions"
    assert parse_list(as_array, "sdn.json", retrieved_at=T1).content_hash == lines.content_hash

    # yente nests each target's sanctions, addresses and ids inside its properties.
    nested = []
    for obj in objects:
        if not obj["target"]:
            continue
        children = [
            o
            for o in objects
            if obj["id"] in o["properties"].get("entity", [])
            or obj["id"] in o["properties"].get("holder", [])
        ]
        props = dict(obj["properties"])
        props["sanctions"] = [c for c in children if c["schema"] == "Sanction"]
        props["identification"] = [c for c in children if c["schema"] == "Identification"]
        props["addressEntity"] = [o for o in objects if o["id"] in props.get("addressEntity", [])]
        nested.append({**obj, "properties": props})
    yente = json.dumps({"results": nested, "total": {"value": len(nested)}}, indent=1).encode()
    assert detect_source(yente, "match.json").name == "opensanctions"
    version = parse_list(yente, "match.json", retrieved_at=T1)
    assert {e.id: e for e in version.entities} == {e.id: e for e in lines.entities}


def test_opensanctions_entity_without_sanction_is_listed_undated() -> None:
    line = {
        "id": "us-uflpa-x",
        "schema": "Company",
        "caption": "Example Co., Ltd.",
        "datasets": ["us_dhs_uflpa"],
        "target": True,
        "properties": {"name": ["Example Co., Ltd."], "program": ["UFLPA Section 2(d)(2)(B)(v)"]},
    }
    version = parse_list(json.dumps(line).encode(), "one.jsonl", retrieved_at=T1)
    (entity,) = version.entities
    assert sections(entity) == [("2(d)(2)(B)(v)", None)]
    assert entity.is_listed(date(2020, 1, 1))


# --------------------------------------------------------------------------- CSL


def test_csl_csv_exact_values() -> None:
    result = read_csl(read("csl_sample.csv"), "csl.csv")
    entities = by_name(result.version)
    assert result.version.list_name == "csl"
    assert result.skipped == {"Vessel": 1}
    assert len(entities) == 6
    hetian = entities["Hetian Haolin Hair Accessories Co. Ltd."]
    assert hetian.aliases == ("Hollin Hair Accessories", "Hotan Haolin Hair Accessories")
    assert hetian.schema == "LegalEntity" and hetian.country == "cn"
    assert hetian.location == "Lop County, Hotan, Xinjiang, CN"
    assert hetian.notes == "Entity List (EL) - Bureau of Industry and Security"
    (lst,) = hetian.listings
    assert (lst.section, lst.effective_date, lst.fr_citation) == (
        "EL",
        date(2020, 7, 22),
        "85 FR 44159",
    )
    assert hetian.id == "94cd59712981e1d43c2ed5a307c8edd203308ec6"  # the CSL's own _id
    sdn = entities["XINJIANG PRODUCTION AND CONSTRUCTION CORPS"]
    (lst,) = sdn.listings
    assert (lst.section, lst.effective_date, lst.entry_id, lst.note) == (
        "SDN",
        None,
        "28005",
        "programs: GLOMAG",
    )
    assert sdn.identifiers == ("EXAMPLE-USCC-0001",)  # not the established date, not the risk note
    chen = entities["CHEN, Quanguo"]
    assert chen.schema == "Person" and chen.country == "cn"


def test_csl_json_and_csv_agree() -> None:
    as_json = read_csl(read("csl_sample.json"), "csl.json")
    as_csv = {e.id: e for e in parse("csl_sample.csv").entities}
    assert as_json.version.published == date(2025, 1, 14)  # newest source_last_updated
    assert as_json.skipped == {"Vessel": 1}
    for e in as_json.version.entities:
        assert e == as_csv[e.id], e.name


def test_csl_csv_with_byte_order_mark() -> None:
    data = b"\xef\xbb\xbf" + read("csl_sample.csv")
    assert detect_source(data, "bom.csv").name == "csl"
    assert parse_list(data, "bom.csv").content_hash == parse("csl_sample.csv").content_hash


def test_csl_api_page_is_refused_as_partial() -> None:
    doc = json.loads(read("csl_sample.json"))
    doc["total"] = 12840
    with pytest.raises(SourceFormatError, match="5 of 12840") as info:
        parse_list(json.dumps(doc).encode(), "search.json")
    assert info.value.file == "search.json"


# --------------------------------------------------------------------------- malformed input


def assert_position(info: pytest.ExceptionInfo[SourceFormatError], origin: str, row: int) -> None:
    """The error names the file and the position, in its attributes and in its one-line text."""
    err = info.value
    assert err.file == origin
    assert err.row == row
    where = f"{origin}, row {row}" + (f", column {err.column!r}" if err.column else "")
    assert str(err).startswith(where + ": ")
    assert f"row {row}" not in err.reason  # said once, not twice


def test_truncated_dhs_page_without_tables() -> None:
    page = read("dhs_uflpa_page.html")
    truncated = page[: page.index(b"<table")]
    with pytest.raises(SourceFormatError, match="no entity table") as info:
        parse_list(truncated, "dhs.html", source="dhs-uflpa")
    assert info.value.file == "dhs.html"


def test_dhs_bad_date_names_the_section_table_and_row() -> None:
    page = read("dhs_uflpa_page.html").replace(
        b"<td>October 3, 2024</td>", b"<td>Octobre 3rd 2024</td>"
    )
    with pytest.raises(SourceFormatError) as info:
        parse_list(page, "dhs.html")
    assert_position(info, "dhs.html", 3)
    assert "section 2(d)(2)(B)(ii) table" in str(info.value)
    assert "'Octobre 3rd 2024'" in str(info.value)


def test_dhs_table_without_a_section_heading() -> None:
    page = read("dhs_uflpa_page.html").replace(
        b'<a href="https://www.govinfo.gov/app/details/PLAW-117publ78">Section 2(d)(2)(B)(ii)</a>',
        b"",
    )
    with pytest.raises(SourceFormatError, match="entity table 2 has no") as info:
        parse_list(page, "dhs.html")
    assert info.value.file == "dhs.html"


def test_dhs_row_without_name() -> None:
    page = read("dhs_uflpa_page.html").replace(
        b"<td>Kashgar Construction Engineering (Group) Co., Ltd.</td>", b"<td> </td>"
    )
    with pytest.raises(SourceFormatError, match="no entity name") as info:
        parse_list(page, "dhs.html")
    assert_position(info, "dhs.html", 4)


def test_broken_json_line() -> None:
    lines = read("opensanctions_us_dhs_uflpa.ftm.jsonl").splitlines(keepends=True)
    lines[6] = lines[6][:40] + b"\n"
    with pytest.raises(SourceFormatError, match="not JSON") as info:
        parse_list(b"".join(lines), "broken.jsonl")
    assert_position(info, "broken.jsonl", 7)


def test_json_line_that_is_not_an_entity() -> None:
    lines = read("opensanctions_us_dhs_uflpa.ftm.jsonl").splitlines(keepends=True)
    lines[3] = b'{"schema": "Company"}\n'
    with pytest.raises(SourceFormatError, match="needs 'id' and 'schema'") as info:
        parse_list(b"".join(lines), "odd.jsonl")
    assert_position(info, "odd.jsonl", 4)


def test_ftm_export_without_targets() -> None:
    lines = [
        json.dumps(o).encode()
        for o in _fixture_objects("opensanctions_us_dhs_uflpa.ftm.jsonl")
        if not o["target"]
    ]
    with pytest.raises(SourceFormatError, match="no target entities") as info:
        parse_list(b"\n".join(lines), "rels.jsonl")
    assert info.value.file == "rels.jsonl"


def test_csv_missing_name_column() -> None:
    text = read("csl_sample.csv").decode()
    header, rest = text.split("\n", 1)
    data = (header.replace(",name,", ",entity_name,") + "\n" + rest).encode()
    assert detect_source(data, "csl.csv").name == "csl"
    with pytest.raises(SourceFormatError, match="no 'name' column") as info:
        parse_list(data, "csl.csv")
    assert_position(info, "csl.csv", 1)
    assert info.value.column == "name"


def test_csv_row_with_bad_date() -> None:
    data = read("csl_sample.csv").replace(b"2021-06-24", b"24.06.2021", 1)
    with pytest.raises(SourceFormatError, match=r"unparseable date '24\.06\.2021'") as info:
        parse_list(data, "csl.csv")
    assert_position(info, "csl.csv", 4)
    assert info.value.column == "start_date"


def test_csv_that_is_not_utf8() -> None:
    data = read("csl_sample.csv").replace("§".encode(), b"\xa7", 1)
    with pytest.raises(SourceFormatError, match="not UTF-8") as info:
        parse_list(data, "latin1.csv")
    assert_position(info, "latin1.csv", 2)


@pytest.mark.parametrize("source", ["dhs-uflpa", "federal-register", "opensanctions", "csl"])
@pytest.mark.parametrize("data", [b"", b" \n\t\n"], ids=["empty", "blank"])
def test_empty_file(source: str, data: bytes) -> None:
    with pytest.raises(SourceFormatError) as info:
        parse_list(data, "empty.dat", source=source)
    assert str(info.value) == "empty.dat: the file is empty"
    with pytest.raises(SourceFormatError) as info:
        get_source(source).parse(data, "empty.dat")
    assert info.value.file == "empty.dat"


def test_notice_without_appendix() -> None:
    data = NOTICE_WITHOUT_ENTRY_DATES.replace(b"Appendix", b"Annex")
    with pytest.raises(SourceFormatError, match="no appendix") as info:
        parse_list(data, "notice.txt", source="federal-register")
    assert info.value.file == "notice.txt"


def test_notice_entry_before_any_section_heading() -> None:
    data = NOTICE_WITHOUT_ENTRY_DATES.replace(
        b"    Entities Identified Pursuant to Section 2(d)(2)(B)(ii) of the UFLPA\n", b""
    )
    with pytest.raises(SourceFormatError, match="entry before any") as info:
        parse_list(data, "notice.txt")
    assert_position(info, "notice.txt", 16)


def test_notice_section_with_unrecognised_entries_is_not_empty() -> None:
    data = NOTICE_WITHOUT_ENTRY_DATES.replace(" \u2022 ".encode(), b"").replace(b" - ", b"")
    with pytest.raises(SourceFormatError, match="has text but no numbered") as info:
        parse_list(data, "notice.txt")
    assert_position(info, "notice.txt", 17)


def test_notice_entry_without_any_date() -> None:
    data = NOTICE_WITHOUT_ENTRY_DATES.replace(
        b"DATES: This notice is effective June 12, 2024.", b""
    )
    with pytest.raises(SourceFormatError, match="no date") as info:
        parse_list(data, "notice.txt")
    assert_position(info, "notice.txt", 17)


def test_federal_register_govinfo_html_is_the_text_in_pre() -> None:
    text = read("federal_register_2025-00901.txt").decode()
    page = f"<html><head><title>FR Doc 2025-00901</title></head><body><pre>{html.escape(text)}"
    page += "</pre></body></html>"
    version = parse_list(page.encode(), "2025-00901.htm", retrieved_at=T1)
    assert version.source == "federal-register"
    assert version.content_hash == parse("federal_register_2025-00901.txt").content_hash


GPO_TABLE_WITHOUT_NUMBERS = NOTICE_WITHOUT_ENTRY_DATES.replace(
    b""" \xe2\x80\xa2 Dongguan Oasis Shoes Co., Ltd. (also known as Dongguan Oasis Shoe Industry
   Co., Ltd.; Dongguan Luzhou Shoes Co., Ltd.; and Dongguan Lvzhou Shoes Co., Ltd.)
 \xe2\x80\xa2 Shandong Meijia Group Co., Ltd. (also known as Rizhao Meijia Group)
 - Xinjiang Shenhuo Coal and Electricity Co., Ltd.
""",
    b"""------------------------------------------------------------------------
             Name of entity                        Effective date
------------------------------------------------------------------------
Dongguan Oasis Shoes Co., Ltd. (also known as      June 12, 2024.
   Dongguan Oasis Shoe Industry Co., Ltd.;
   Dongguan Luzhou Shoes Co., Ltd.; and Dongguan
   Lvzhou Shoes Co., Ltd.).
Shandong Meijia Group Co., Ltd. (also known as     June 12, 2024.
   Rizhao Meijia Group).
Nanjing Synergy Textiles Co., Ltd. (also known
   as Nanjing Xinyi Cotton Textile Printing and
   Dyeing; and Nanjing Xinyi Cotton Textile)       June 21, 2022.
Xinjiang Shenhuo Coal and Electricity Co., Ltd.    June 12, 2024.
------------------------------------------------------------------------
""",
)


def test_federal_register_unnumbered_table_rows() -> None:
    """A GPO table without numbers: each dated line starts an entry, unless the entry it follows
    has no date yet (the date then stands on the entry's last line)."""
    version = parse_list(GPO_TABLE_WITHOUT_NUMBERS, "table.txt", retrieved_at=T1)
    entities = by_name(version)
    assert [(n, sections(e)[0][1]) for n, e in entities.items()] == [
        ("Dongguan Oasis Shoes Co., Ltd.", date(2024, 6, 12)),
        ("Shandong Meijia Group Co., Ltd.", date(2024, 6, 12)),
        ("Nanjing Synergy Textiles Co., Ltd.", date(2022, 6, 21)),
        ("Xinjiang Shenhuo Coal and Electricity Co., Ltd.", date(2024, 6, 12)),
    ]
    assert entities["Nanjing Synergy Textiles Co., Ltd."].aliases == (
        "Nanjing Xinyi Cotton Textile Printing and Dyeing",
        "Nanjing Xinyi Cotton Textile",
    )
    assert all(lst.note is None for e in version.entities for lst in e.listings)


def test_notice_dated_line_outside_any_entry_is_an_error() -> None:
    """A table row whose date stands on its last line cannot open a table: refused, not lost."""
    data = GPO_TABLE_WITHOUT_NUMBERS.replace(
        b"""Dongguan Oasis Shoes Co., Ltd. (also known as      June 12, 2024.""",
        b"""Dongguan Oasis Shoes Co., Ltd. (also known as""",
    ).replace(
        b"   Lvzhou Shoes Co., Ltd.).\n", b"   Lvzhou Shoes Co., Ltd.).       June 12, 2024.\n"
    )
    with pytest.raises(SourceFormatError, match="belongs to no recognised entry") as info:
        parse_list(data, "table.txt")
    assert_position(info, "table.txt", 23)
