"""`uflpa.cli.output.dumps` reuses one encoder without the cycle check; the text must be what
`json.dumps(..., ensure_ascii=False, default=str)` writes."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from uflpa.cli.output import dumps

OBJECTS: list[Any] = [
    None,
    "plain",
    '新疆 Ürümqi \u2028 \x00 "quoted" \\ /',
    {"id": "P1", "score": 0.9500000000000001, "n": 3, "ok": True, "none": None},
    {"nested": [{"a": (1, 2.5, "x")}, [], {}], "when": date(2024, 5, 1)},
    [float("nan"), float("inf"), -0.0, 1e300, 10**30],
    {1: "int key", 2.5: "float key", None: "none key", False: "bool key"},
]

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.dates(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def _reference(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)


def test_dumps_on_a_table_of_objects() -> None:
    for obj in OBJECTS:
        assert dumps(obj) == _reference(obj)


@given(_JSON)
def test_dumps_is_json_dumps(obj: Any) -> None:
    assert dumps(obj) == _reference(obj)
