"""The rows `uflpa screen` writes: a party file's row, and shipment rows flattened for tables.

JSON lines carry a shipment verdict as `ShipmentVerdict.to_dict()` gives it; a table or CSV needs
one line per row, so reasons are joined there. A party file's row keeps the shape it had before
shipment files existed (best candidate, score, evidence) and adds the reasons and versions.
"""

from __future__ import annotations

from datetime import date
from typing import Any

SHIPMENT_TABLE_COLUMNS = ["row", "id", "verdict", "rules", "parties", "as_of", "error"]
SHIPMENT_CSV_COLUMNS = [
    *SHIPMENT_TABLE_COLUMNS[:5],
    "why",
    "as_of",
    "error",
    "list_version",
    "rules_version",
    "algorithm",
]


def flat_shipments(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Shipment rows for table and CSV output: one line each, reasons joined."""
    out = []
    for r in rows:
        reasons = r.get("reasons") or []
        parties = r.get("parties") or []
        out.append(
            {
                "row": r.get("row"),
                "id": r.get("id"),
                "verdict": r.get("verdict"),
                "rules": " | ".join(f"{x['rule']} ({x['role']})" for x in reasons),
                "parties": " | ".join(
                    f"{p['role']}: {p['name'] or p.get('address', '')}" for p in parties
                ),
                "why": " | ".join(x["says"] for x in reasons),
                "as_of": r.get("as_of"),
                "error": r.get("error"),
                "list_version": (r.get("versions") or {}).get("list_version"),
                "rules_version": (r.get("versions") or {}).get("rules_version"),
                "algorithm": (r.get("versions") or {}).get("algorithm"),
            }
        )
    return out


def party_row(
    screener: Any, row: int, values: dict[str, str], as_of: date | None
) -> dict[str, Any]:
    """One output row of a party file: the verdict, the best candidate and its evidence."""
    name = values.get("name", "")
    identifiers = [values["identifier"]] if values.get("identifier") else []
    verdict = screener.screen_party(
        name,
        country=values.get("country") or None,
        address=values.get("address") or None,
        identifiers=identifiers,
        as_of=as_of,
    )
    top = verdict.top
    flagged = top is not None and top.verdict != "clear"
    return {
        "id": values.get("id") or None,
        "row": row,
        "name": name,
        "verdict": verdict.verdict,
        "score": round(top.score, 4) if top else 0.0,
        "entity_id": top.entity_id if flagged and top else None,
        "matched_name": top.matched_name if flagged and top else None,
        "evidence": top.evidence if flagged and top else _clear_evidence(top),
        "reasons": [r.to_dict() for r in verdict.reasons],
        "notes": list(verdict.notes),
        "versions": verdict.versions.to_dict(),
    }


def _clear_evidence(top: Any) -> dict[str, Any]:
    """Why a name did not match: the closest listed name and its score, below the review
    threshold."""
    if top is None:
        return {"best_candidate": None, "why": "no listed name shares a distinctive word"}
    return {
        "best_candidate": {
            "entity_id": top.entity_id,
            "matched_name": top.matched_name,
            "score": round(top.score, 4),
        },
        "why": f"best score below the review threshold {top.context.thresholds['review']}",
        "list_version": top.list_version,
        "algorithm": top.algorithm,
    }
