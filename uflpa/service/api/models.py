"""Request bodies of the API, and the one shape of its errors. Unknown fields are refused (a
misspelt option must not be silently ignored), every string has a length bound, and a value of
the wrong JSON type is refused rather than converted: `"as_of": 0` is not 1970-01-01 (which
would screen against an empty list and clear everything), `"svg": 0` is not false."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from uflpa.service.ops import MAX_FIELD

Text = Annotated[str, Field(max_length=MAX_FIELD)]


def _iso_date(value: object) -> object:
    """A date of a JSON body is text, YYYY-MM-DD; nothing else is taken for one."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"not a date: {value[:40]!r}; write it YYYY-MM-DD") from None
    raise ValueError(f"a date is text, YYYY-MM-DD, not {type(value).__name__}")


Day = Annotated[date, BeforeValidator(_iso_date)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class ErrorDetail(BaseModel):
    """What went wrong: the HTTP status again, a stable type (`invalid_request`, `not_found`,
    `unauthorized`, `forbidden`, `too_large`, `usage_error`, `input_error` …) and a message
    for people; an unreadable input also names its file, row and column, an invalid request
    each problem (`details`: where and what)."""

    status: int
    type: str
    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    details: list[dict[str, str]] | None = None


class ErrorBody(BaseModel):
    """Every error the API returns, whatever its status."""

    error: ErrorDetail


class PartyQuery(Strict):
    """One party to match, with what is known of it."""

    name: Annotated[str, Field(min_length=1, max_length=MAX_FIELD)]
    country: Text | None = None
    address: Text | None = None
    identifiers: Annotated[list[Text], Field(max_length=20)] = []
    as_of: Day | None = None
    top: Annotated[int, Field(ge=1, le=50)] = 5
    lists: Text | None = None
    list_versions: Annotated[list[Text], Field(max_length=10)] = []

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "新疆中泰化学股份有限公司",
                    "country": "CN",
                    "address": "Urumqi, Xinjiang",
                    "top": 3,
                }
            ]
        },
    )


class BatchItem(PartyQuery):
    """A party of a batch; `ref` is echoed back so a caller can join the answers."""

    ref: Text | None = None


class BatchQuery(Strict):
    parties: Annotated[list[BatchItem], Field(min_length=1)]

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "parties": [
                        {"ref": "s1", "name": "Hoshine Silicon Industry", "country": "CN"},
                        {"ref": "s2", "name": "Acme Textiles Ltd", "country": "VN"},
                    ]
                }
            ]
        },
    )


class CompareQuery(Strict):
    name1: Annotated[str, Field(min_length=1, max_length=MAX_FIELD)]
    name2: Annotated[str, Field(min_length=1, max_length=MAX_FIELD)]
    use_list: bool = True

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"name1": "Xinjiang Tianmian Foundation", "name2": "新疆天棉基业"}]
        },
    )


class TraceNode(Strict):
    id: Annotated[str, Field(min_length=1, max_length=200)]
    name: Text = ""
    country: Text | None = None
    address: Text | None = None
    identifier: Text | None = None


class TraceEdge(Strict):
    source: Annotated[str, Field(min_length=1, max_length=200)]
    target: Annotated[str, Field(min_length=1, max_length=200)]
    relation: Annotated[str, Field(max_length=20)] = "supplies"
    product: Text | None = None
    hts: Annotated[str, Field(max_length=40)] | None = None
    start_date: Day | None = None
    end_date: Day | None = None
    share: Annotated[float, Field(ge=0, le=1)] | None = None


class TraceQuery(Strict):
    """A supply graph: nodes and edges (goods flow from source to target), or a FollowTheMoney
    export (a list of entities) in `ftm`."""

    nodes: Annotated[list[TraceNode], Field(max_length=100_000)] = []
    edges: Annotated[list[TraceEdge], Field(max_length=500_000)] = []
    ftm: Annotated[list[dict[str, object]], Field(max_length=500_000)] | None = None
    as_of: Day | None = None
    max_paths: Annotated[int, Field(ge=1, le=50)] = 3
    lists: Text | None = None
    svg: bool = True

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "nodes": [
                        {"id": "farm", "name": "Xinjiang Tianmian Foundation", "country": "CN"},
                        {"id": "mill", "name": "Example Spinning Mill", "country": "VN"},
                    ],
                    "edges": [{"source": "farm", "target": "mill", "product": "cotton"}],
                }
            ]
        },
    )
