"""The OpenAPI document (/v1/openapi.json) holds against the running service: schemathesis
generates requests for every /v1 operation from it, valid ones and invalid ones (negative mode:
wrong types, values out of range, strings too long, missing required fields, unknown fields),
sends them over real HTTP to the `service` fixture (two uvicorn workers, login required) with the
admin's API key, and checks every answer:

* never a 5xx;
* the body conforms to the schema the document declares for its status, and the content type to
  the declared ones;
* invalid data is refused with a 4xx (schemathesis' negative_data_rejection; a scalar query
  parameter given twice is let through: the last one counts, as everywhere);
* every 4xx is JSON of the one error shape, `{"error": {"status", "type", "message"}}`, whose
  status is the response's;
* no body ever holds a Python traceback.

Two operations are left out of the random fuzzing because each accepted request stores
something: ingesting a list version (`POST /v1/lists/{name}/versions`) and uploading a file to
screen (`POST /v1/screenings`); tests/service/test_api_bad_input.py sends them bad input by hand.

Bounded in time: a few examples per operation and phase (about a minute in all).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import settings
from schemathesis import Case, CheckContext, GenerationMode, Response
from schemathesis.checks import not_a_server_error
from schemathesis.config import HealthCheck
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
)

from tests.service.conftest import Service

#: Examples per operation in the fuzzing phase, for each generation mode.
MAX_EXAMPLES = 30
#: Operations whose accepted requests store something (a list version, a screening job, a
#: watchlist) or reach out to the network (a monitor run's list update); tests/service/
#: test_api_casework.py drives them with real data.
STATEFUL = (
    ("POST", "/v1/lists/{name}/versions"),
    ("POST", "/v1/screenings"),
    ("POST", "/v1/watchlists/{name}/parties"),
    ("POST", "/v1/monitor/runs"),
)
TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "/', "site-packages/")


def error_shape(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """A 4xx is `{"error": {"status": <the status>, "type": str, "message": str}}`."""
    if not 400 <= response.status_code < 500:
        return None
    try:
        body = json.loads(response.text)
    except ValueError:
        raise AssertionError(
            f"{response.status_code} is not JSON: {response.text[:300]!r}"
        ) from None
    error = body.get("error") if isinstance(body, dict) else None
    assert isinstance(error, dict), f"{response.status_code} without an `error` object: {body!r}"
    assert error.get("status") == response.status_code, error
    assert isinstance(error.get("type"), str) and error["type"], error
    assert isinstance(error.get("message"), str) and error["message"], error
    return True


def no_traceback(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """No answer, whatever its status, shows the service's code."""
    for marker in TRACEBACK_MARKERS:
        assert marker not in response.text, f"{marker!r} in the body: {response.text[:500]!r}"
    return True


def rejects_invalid_data(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """schemathesis' negative_data_rejection, except for a scalar query parameter sent several
    times (`?country=CN&country=VN`): a query string cannot say that a value is not a list, and
    the service, like every framework, takes the last one."""
    if _repeats_a_scalar_query_parameter(case) or _retyped_list_in_query(case):
        return None
    result: bool | None = negative_data_rejection(ctx, response, case)
    return result


def _repeats_a_scalar_query_parameter(case: Case) -> bool:
    operation = DOCUMENT["paths"].get(case.path, {}).get(case.method.lower(), {})
    parameters = operation.get("parameters", [])
    schemas = {p["name"]: p["schema"] for p in parameters if p["in"] == "query"}
    for name, value in (case.query or {}).items():
        schema = schemas.get(name)
        if isinstance(value, list) and schema is not None and not _allows_array(schema):
            return True
    return False


def _retyped_list_in_query(case: Case) -> bool:
    """A list of strings in a query string whose items schemathesis made another type (a number,
    null, an object): on the wire every item is a string again, so the request is valid."""
    operation = DOCUMENT["paths"].get(case.path, {}).get(case.method.lower(), {})
    schemas = {
        p["name"]: p["schema"] for p in operation.get("parameters", []) if p["in"] == "query"
    }
    for name, value in (case.query or {}).items():
        schema = schemas.get(name)
        if schema is None or not _allows_array(schema):
            continue
        items = value if isinstance(value, list) else [value]
        most = _max_items(schema)
        if any(not isinstance(v, str) for v in items) and (most is None or len(items) <= most):
            return True
    return False


def _max_items(schema: dict[str, Any]) -> int | None:
    if schema.get("type") == "array":
        found = schema.get("maxItems")
        return int(found) if found is not None else None
    for sub in schema.get("anyOf", []):
        found = _max_items(sub)
        if found is not None:
            return found
    return None


def _allows_array(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "array" or any(_allows_array(s) for s in schema.get("anyOf", []))


CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    rejects_invalid_data,
    error_shape,
    no_traceback,
]


def _document() -> dict[str, Any]:
    """The service's OpenAPI document, built by the app the service runs (the cases must exist
    when pytest collects them, before any service starts; the served document is checked to be
    the same one below)."""
    from uflpa.service.app import create_app
    from uflpa.service.config import ServiceConfig
    from uflpa.settings import Settings

    home = Path(_HOME.name)
    config = ServiceConfig(settings=Settings(home=home), database_url=f"sqlite:///{home}/s.db")
    document: dict[str, Any] = create_app(config).openapi()
    return document


_HOME = tempfile.TemporaryDirectory(prefix="uflpa-openapi-")
DOCUMENT = _document()

schema = schemathesis.openapi.from_dict(DOCUMENT)
schema.config.update(
    request_timeout=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=MAX_EXAMPLES
)
schema.config.phases.update(phases=["examples", "coverage", "fuzzing"])
schema = schema.include(path_regex="^/v1/")
for _method, _path in STATEFUL:
    schema = schema.exclude(method=_method, path=_path)


@schema.parametrize()
# The same cases on every run, so that CI passes or fails on the code, not on the draw; change
# the cases by changing MAX_EXAMPLES or the phases, and explore locally without this line.
@settings(derandomize=True, database=None)
def test_every_operation_keeps_its_contract(case: Case, service: Service) -> None:
    case.call_and_validate(
        base_url=service.url, headers={"X-API-Key": service.keys["admin"]}, checks=CHECKS
    )


def test_the_served_document_is_the_one_tested(service: Service) -> None:
    with service.client(None) as client:
        served = client.get("/v1/openapi.json").json()
    assert served == DOCUMENT


def test_the_document_covers_every_v1_route_and_the_error_shape(service: Service) -> None:
    with service.client(None) as client:
        document = client.get("/v1/openapi.json").json()
    operations = {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if path.startswith("/v1/")
    }
    assert set(STATEFUL) <= operations
    assert len(operations) >= 19
    for path, item in document["paths"].items():
        if not path.startswith("/v1/"):
            continue
        for method, operation in item.items():
            for status in ("401", "403", "404", "422"):
                schema_ref = json.dumps(operation["responses"].get(status, {}))
                assert "ErrorBody" in schema_ref, (method, path, status)
