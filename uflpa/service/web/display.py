"""What the pages show, made from what `ops` and the job results return: plain values, so that
the templates hold layout and no logic beyond loops and tests.

Nothing here builds markup: every string goes to a template, which escapes it.
"""

from __future__ import annotations

from typing import Any

from uflpa.model import CLEAR, HIT, REVIEW

#: The verdict filters of a results table, in the order the page lists them.
VERDICT_FILTERS = ("", HIT, REVIEW, CLEAR, "error")
#: Rows of a results page.
PAGE_ROWS = 50
#: Longest headline of a row in the table (the whole text is in its evidence).
HEADLINE_CHARS = 220


def _short(text: str, limit: int = HEADLINE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def result_row(record: dict[str, Any], filename: str) -> dict[str, Any]:
    """One screened row as the results table shows it: who was screened, the one line that
    says why, and the evidence (reasons, notes, cell issues, goods, versions) for its details.

    A row that could not be screened names the file as the user called it, not the path the
    service stored it under."""
    verdict = str(record.get("verdict") or "")
    reasons = list(record.get("reasons") or [])
    if verdict == "error":
        parties = []
        headline = str(record.get("error") or "this row could not be read")
        if record.get("column"):
            headline += f" (column {record['column']})"
    elif "parties" in record:  # a shipment row
        parties = [
            f"{p.get('role', 'party')}: {p.get('name', '')}" for p in record.get("parties") or []
        ]
        headline = str(reasons[0].get("says", "")) if reasons else "no rule applies: clear"
    else:  # a party row
        parties = [str(record.get("name") or "")]
        if record.get("entity_id"):
            headline = f"matches {record['entity_id']} “{record.get('matched_name') or ''}”"
        else:
            evidence = record.get("evidence") or {}
            headline = str(evidence.get("why") or "no listed candidate")
        if reasons and reasons[0].get("says"):
            headline = str(reasons[0]["says"])
    record = dict(record)
    if verdict == "error" and "file" in record:
        record["file"] = filename
    return {
        "row": record.get("row"),
        "id": record.get("id"),
        "verdict": verdict,
        "score": record.get("score"),
        "entity_id": record.get("entity_id"),
        "parties": parties,
        "headline": _short(headline),
        "reasons": reasons,
        "notes": list(record.get("notes") or []),
        "issues": list(record.get("issues") or []),
        "goods": record.get("goods") or {},
        "as_of": record.get("as_of"),
        "as_of_basis": record.get("as_of_basis"),
        "versions": record.get("versions") or {},
        "record": record,
    }


def verdict_counts(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(filter value, label, rows) for each filter link, `all` first."""
    total = sum(counts.values())
    out = [("", "all", total)]
    out.extend((v, v, int(counts.get(v, 0))) for v in VERDICT_FILTERS[1:])
    return out


def sort_links(current: str, keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """A link for each sort key: ascending first, descending when it is already ascending;
    `direction` is what the table header tells assistive technology (aria-sort)."""
    out = []
    for key in keys:
        if current == key:
            target, direction = f"-{key}", "ascending"
        elif current == f"-{key}":
            target, direction = key, "descending"
        else:
            target, direction = key, "none"
        out.append({"key": key, "target": target, "direction": direction})
    return out


def change_details(change: dict[str, Any]) -> list[tuple[str, str]]:
    """The parts of one change between two list versions, beyond its kind, id and name, as
    (what, text) pairs: lists joined, listings written as section and dates."""
    out = []
    for key, value in change.items():
        if key in ("change", "id", "name") or value in (None, "", [], {}):
            continue
        label = key.replace("_", " ")
        if isinstance(value, list):
            text = "; ".join(_listing_text(v) if isinstance(v, dict) else str(v) for v in value)
        elif isinstance(value, dict):
            text = _listing_text(value)
        else:
            text = str(value)
        out.append((label, text))
    return out


def _listing_text(listing: dict[str, Any]) -> str:
    if "section" in listing:
        text = f"{listing['section']} from {listing.get('effective_date') or 'an unknown date'}"
        if listing.get("removal_date"):
            text += f", removed {listing['removal_date']}"
        return text
    return ", ".join(f"{k}: {v}" for k, v in listing.items() if v not in (None, ""))


def source_parts(source: str | None) -> list[tuple[str, str]]:
    """A Chinese name's sources, each (web address or '', the words after it): the addresses
    become links, the rest stays text. Only http(s) addresses are ever links."""
    if not source:
        return []
    out = []
    for part in source.split("; "):
        address, _, rest = part.partition(" ")
        if address.startswith(("https://", "http://")):
            out.append((address, rest))
        else:
            out.append(("", part))
    return out


def trace_rows(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each traced node with its first exposure path written out (the node, then each supplier
    up to the node at risk), flagged nodes first."""
    order: dict[str, int] = {HIT: 0, REVIEW: 1, CLEAR: 2}
    rows = []
    for node in nodes:
        exposure = node.get("exposure") or []
        first = exposure[0] if exposure else None
        rows.append(
            {
                "id": node.get("id"),
                "name": node.get("name"),
                "verdict": node.get("verdict"),
                "own_verdict": node.get("own_verdict"),
                "own_reasons": node.get("own_reasons") or [],
                "path": list(first.get("path") or []) if first else [],
                "reason": first.get("reason") if first else None,
                "paths": len(exposure),
            }
        )
    rows.sort(key=lambda r: order.get(str(r["verdict"]), 3))
    return rows
