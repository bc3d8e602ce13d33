"""Properties of verdicts over generated shipments (hypothesis).

The hit-level signals are computed here straight from the Matcher and `locate`, independently of
the rules, so that the rules (and the dropping of redundant reasons) can be caught losing one.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uflpa.geo import locate
from uflpa.identifiers import parse_uscc
from uflpa.lists.bundled import load_bundled
from uflpa.match import Matcher
from uflpa.model import ROLES, worst
from uflpa.screening import Screener, ShipmentRow, shipment_from_values

_LISTED = [e.name for e in load_bundled().entities]
_NAMES = [
    *_LISTED[::3],
    "Foshan Hengli Garment Co., Ltd.", "Walmart Inc.", "Daqo New Energy Corp",
    "Aksu Trading Co.", "Zhuhai Ninestar Printing Supplies Co.", "合盛硅业（鄯善）有限公司",
    "Kashgar Ruifeng Agricultural Products Co., Ltd.", "Tianshan Aluminum Group Co., Ltd.",
    "HOSHINE SILICON INDUSTRY (SHANSHAN) ", "Saigon Apparel Manufacturing JSC", "",
]  # fmt: skip
_ADDRESSES = [
    "", "No. 5 Xingye Road, Foshan, Guangdong 528000", "No. 88 Xinjiang Road, Shanghai",
    "88 Gaochang Road, Turpan, Xinjiang 838000", "第八师一四二团", "Building 8, 831100",
    "Tan Thuan EPZ, Ho Chi Minh City, Vietnam", "新疆昌吉州玛纳斯县工业园区", "Yiwu, Zhejiang",
]  # fmt: skip
_IDS = ["", "", "91650102MA78XKQ35A", "91650102MA78XKQ350", "91440300745123456B"]
_HTS = ["", "6109.10.0012", "2804.61", "9403.60.8081", "7318.15.2095", "8542.31", "52051", "85"]
_DESCRIPTIONS = ["", "Cotton T-shirts", "Xinjiang cotton", "Wooden tables", "Polysilicon"]
_START = date(2022, 1, 1)
# The screener fixture is module-scoped: its caches carry over from example to example, which
# `test_same_row_same_verdict_with_a_fresh_screener` turns into a check that they change nothing.
_FIXTURE_OK = [HealthCheck.function_scoped_fixture]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(Matcher([load_bundled()]))


party = st.fixed_dictionaries(
    {
        "name": st.sampled_from(_NAMES),
        "address": st.sampled_from(_ADDRESSES),
        "id": st.sampled_from(_IDS),
        "country": st.sampled_from(["", "", "CN", "KZ", "US"]),
    }
)
shipments = st.fixed_dictionaries(
    {
        "parties": st.lists(st.tuples(st.sampled_from(ROLES), party), min_size=1, max_size=3),
        "hts": st.sampled_from(_HTS),
        "description": st.sampled_from(_DESCRIPTIONS),
        "country_of_origin": st.sampled_from(["", "CN", "VN", "HK", "US"]),
        "day": st.integers(0, 1800),
        "date_form": st.sampled_from(["iso", "none", "bad"]),
        "origin_evidence": st.sampled_from(["", "", "TR-1"]),
    }
)


def _row(spec: dict[str, object]) -> ShipmentRow | None:
    values: dict[str, str] = {}
    for role, p in spec["parties"]:  # type: ignore[attr-defined]
        values[role] = p["name"]
        values[f"{role}_address"] = p["address"]
        values[f"{role}_id"] = p["id"]
        values[f"{role}_country"] = p["country"]
    day = _START + timedelta(days=spec["day"])  # type: ignore[arg-type]
    form = spec["date_form"]
    values["import_date"] = {"iso": day.isoformat(), "none": "", "bad": "31/04/2024"}[form]  # type: ignore[index]
    for key in ("hts", "description", "country_of_origin", "origin_evidence"):
        values[key] = str(spec[key])
    row = shipment_from_values(values, 2)
    return row if isinstance(row, ShipmentRow) else None


def _hit_signal(screener: Screener, row: ShipmentRow) -> str | None:
    """A hit-level signal found without the rules: a listed match on the date, a party located
    in Xinjiang, or a valid USCC with region 65."""
    day = row.import_date
    for p in row.parties:
        if p.name:
            ids = [p.identifier] if p.identifier else []
            country = p.country or None
            found = screener.matcher.match(
                p.name, country=country, identifiers=ids, as_of=day, top_k=3
            )
            for m in found:
                if m.verdict == "hit" and m.name_form != "parent_of_listed":
                    return f"{p.name} is {m.entity_id}"
        text = ", ".join(t for t in (p.name, p.address) if t)
        if text and locate(text, country=p.country or None).in_xinjiang:
            return f"{text} is in Xinjiang"
        code = parse_uscc(p.identifier) if p.identifier else None
        if code is not None and code.valid and code.xinjiang:
            return f"{p.identifier} is registered in Xinjiang"
    return None


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(spec=shipments)
def test_never_clear_while_a_hit_level_signal_exists(
    screener: Screener, spec: dict[str, object]
) -> None:
    row = _row(spec)
    if row is None:
        return
    verdict = screener.screen_shipment(row)
    signal = _hit_signal(screener, row)
    if signal is not None:
        assert verdict.verdict == "hit", (signal, [r.rule for r in verdict.reasons])
    assert verdict.verdict == worst([r.level for r in verdict.reasons])
    assert (verdict.verdict == "clear") == (not verdict.reasons)
    if any(r.level == "hit" for r in verdict.reasons):
        assert verdict.verdict == "hit"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(spec=shipments)
def test_same_row_same_verdict_with_a_fresh_screener(
    screener: Screener, spec: dict[str, object]
) -> None:
    """The run caches change nothing: a fresh screener (no cache) gives the same output."""
    row = _row(spec)
    if row is None:
        return
    fresh = Screener(screener.matcher, screener.ruleset)
    assert screener.screen_shipment(row).to_dict() == fresh.screen_shipment(row).to_dict()
