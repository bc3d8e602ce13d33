"""`/healthz` (the process answers) and `/readyz` (it can screen: the store opens and the list in
use loads)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from uflpa import __version__
from uflpa.service.auth import state_of
from uflpa.service.ops import lists_in_use

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is up")
def healthz() -> dict[str, Any]:
    return {"status": "ok", "version": __version__}


@router.get("/readyz", summary="The service can screen: the store opens and the list loads")
def readyz(request: Request) -> JSONResponse:
    from uflpa.catalog import matchers_for

    state = state_of(request)
    try:
        in_use = lists_in_use(state.config.settings)
        matchers_for(in_use)
    except Exception as exc:  # readiness says why, it never raises
        return JSONResponse(
            {"status": "not ready", "reason": f"{type(exc).__name__}: {exc}"}, status_code=503
        )
    return JSONResponse(
        {
            "status": "ready",
            "version": __version__,
            "lists": [v.label for v in in_use.versions],
            "login": not state.config.no_login,
        }
    )
