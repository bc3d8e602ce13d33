"""The bundled example chains, screened with the bundled list: tainted branches are hit with their
paths, clean branches beside them stay clear, and dates matter."""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

import pytest

from uflpa.graph import NodeTrace, load_graph, trace
from uflpa.graph.screen_nodes import screen_nodes
from uflpa.lists.bundled import load_bundled
from uflpa.match import Matcher
from uflpa.screening import Screener

CHAINS = Path(str(resources.files("uflpa.data").joinpath("examples/chains")))


@cache
def screener() -> Screener:
    return Screener(Matcher([load_bundled()]))


def traced(chain: str, day: date) -> dict[str, NodeTrace]:
    g = load_graph(CHAINS / chain / "nodes.csv", CHAINS / chain / "edges.csv")
    t = trace(g, screen_nodes(g, screener(), day), day)
    return {n.id: n for n in t.nodes()}


def test_cotton_importer_hit_at_tier_four() -> None:
    nodes = traced("cotton", date(2024, 6, 1))
    importer = nodes["us-harbor-line"]
    assert importer.verdict == "hit" and importer.own_verdict == "clear"
    (e,) = importer.exposure
    assert e.path == (
        "us-harbor-line", "vn-needlecraft", "cn-riverbend-weaving", "cn-lotus-spinning",
        "cn-golden-field-gin",
    )  # fmt: skip
    assert e.tier == 4 and e.risk_node == "cn-golden-field-gin"
    assert e.evidence[0]["rule"] == "xinjiang-location"
    assert nodes["hk-victoria-trading"].verdict == "hit"  # the re-export loop
    for clean in ("us-cedar-trail", "bd-dhaka-knitwear", "pk-karachi-mills", "us-lubbock-gin"):
        assert nodes[clean].verdict == "clear", clean


def test_cotton_old_edge_counts_on_its_dates() -> None:
    nodes = traced("cotton", date(2019, 6, 1))
    assert nodes["us-cedar-trail"].verdict == "hit"
    assert nodes["us-cedar-trail"].exposure[0].tier == 3
    assert nodes["vn-needlecraft"].verdict == "clear"  # the ginner supplied the spinner from 2021


@pytest.mark.parametrize("day", [date(2024, 6, 1)])
def test_solar_listed_producer_subsidiary_and_parent(day: date) -> None:
    nodes = traced("solar", day)
    importer = nodes["us-sunward"]
    assert importer.verdict == "hit"
    first = importer.exposure[0]
    assert first.tier == 4 and first.risk_node == "cn-xinjiang-daqo"
    assert first.path[-2:] == ("cn-clearwafer", "cn-xinjiang-daqo")
    assert any(r["rule"] == "listed-party" for r in first.evidence)
    assert nodes["cn-yunnan-sample-silicon"].exposure[0].via == "owns"
    assert nodes["us-desert-bloom"].verdict == "hit"
    assert nodes["us-desert-bloom"].exposure[0].path == (
        "us-desert-bloom", "cn-qujing-ingot", "cn-yunnan-sample-silicon",
    )  # fmt: skip
    assert nodes["daqo-new-energy-corp"].verdict == "review"
    for clean in ("my-penang-assembly", "kr-chungbuk-cell", "no-nordic-wafer", "de-bavaria-poly"):
        assert nodes[clean].verdict == "clear", clean


def test_solar_before_listing_no_subsidiary_scope() -> None:
    nodes = traced("solar", date(2021, 6, 1))
    assert nodes["cn-yunnan-sample-silicon"].verdict == "clear"  # Hoshine listed 2022-06-21
    assert nodes["my-penang-assembly"].verdict == "hit"  # the cell edge ran 2020-06 to 2021-12
    assert nodes["us-sunward"].verdict == "hit"
