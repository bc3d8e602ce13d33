"""`/docs`: the API reference as a page of our own, rendered on the server from the app's
OpenAPI document. FastAPI's Swagger UI loads its script from a CDN, which an offline machine
cannot reach and the pages' Content-Security-Policy refuses; this page needs neither."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from uflpa.service.auth import identify
from uflpa.service.web.templating import render

router = APIRouter(include_in_schema=False)
METHODS = ("get", "post", "put", "patch", "delete")


def _schema_name(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(_schema_name(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_schema_name(schema.get('items', {}))}"
    return str(schema.get("type") or schema.get("format") or "any")


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation of the document, grouped in the order of its tags."""
    out = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = [
                {
                    "name": p["name"],
                    "where": p["in"],
                    "required": p.get("required", False),
                    "type": _schema_name(p.get("schema", {})),
                    "description": p.get("description") or p.get("schema", {}).get("description"),
                }
                for p in op.get("parameters", [])
            ]
            body = op.get("requestBody", {}).get("content", {})
            bodies = []
            for media, content in body.items():
                schema = content.get("schema", {})
                name = _schema_name(schema)
                ref = spec.get("components", {}).get("schemas", {}).get(name, {})
                examples = ref.get("examples") or []
                bodies.append(
                    {
                        "media": media,
                        "schema": name,
                        "fields": sorted(ref.get("properties", {})),
                        "example": json.dumps(examples[0], ensure_ascii=False, indent=2)
                        if examples
                        else None,
                    }
                )
            out.append(
                {
                    "tag": (op.get("tags") or ["other"])[0],
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "params": params,
                    "bodies": bodies,
                    "statuses": sorted(op.get("responses", {})),
                }
            )
    return out


@router.get("/docs", response_class=HTMLResponse)
def api_reference(request: Request) -> HTMLResponse:
    spec = request.app.openapi()
    try:
        principal = identify(request)
    except Exception:  # credentials that are not valid: the reference is public anyway
        principal = None
    return render(
        request,
        "reference.html",
        {"info": spec.get("info", {}), "operations": operations(spec)},
        principal=principal,
    )
