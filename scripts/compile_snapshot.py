"""Compile the bundled UFLPA Entity List snapshot from the reviewed CSV.

    python scripts/compile_snapshot.py           # rewrite uflpa/data/uflpa_snapshot.json
    python scripts/compile_snapshot.py --check   # exit 1 when the committed JSON is stale (CI)

The CSV (`uflpa/data/uflpa_entity_list.csv`, see its SOURCES.md) has one row per *listing*; rows
of the same entity share `entity_id`. This script merges them into one `ListedEntity` per entity,
attaches the renames reviewed in `scripts/renames.yml`, and states how complete the data is against
the official DHS counts carried below, so that nobody mistakes the reconstruction for the official
file. The output is deterministic: same inputs, same bytes.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from uflpa.model import ListedEntity, Listing, ListVersion, NameChange, content_hash

ROOT = Path(__file__).resolve().parent.parent
CSV_PATH = ROOT / "uflpa" / "data" / "uflpa_entity_list.csv"
RENAMES_PATH = ROOT / "scripts" / "renames.yml"
OUT_PATH = ROOT / "uflpa" / "data" / "uflpa_snapshot.json"

LIST_NAME = "us-dhs-uflpa"
SOURCE = "uflpa-reconstruction"
ORIGIN = "uflpa/data/uflpa_entity_list.csv"
# The latest effective date the CSV knows of; the list did not change up to the newest source seen
# (SOURCES.md section 2, S25/S26/S30, observed up to 2026-10-18).
PUBLISHED = date(2026, 8, 3)
# The date of the last research pass behind the CSV (SOURCES.md section 1): when it was retrieved.
RETRIEVED_AT = "2026-11-28T00:00:00+00:00"
# Rows whose section no source states (some 2026-08-03 additions) get this label.
UNKNOWN_SECTION = "unknown"

# Official DHS counts per effective date (SOURCES.md sections 2a and 2b): new entities added that
# day and the running total DHS announced (before 2024-05-17 DHS did not count subsidiaries, so
# its totals of that time are lower than the sum of new entities).
OFFICIAL_COUNTS: tuple[tuple[str, int, int], ...] = (
    ("2022-06-21", 20, 20),
    ("2023-06-12", 10, 22),
    ("2023-08-02", 3, 24),
    ("2023-09-27", 3, 27),
    ("2023-12-11", 3, 30),
    ("2024-05-17", 26, 65),
    ("2024-06-12", 3, 68),
    ("2024-08-09", 5, 73),
    ("2024-10-03", 2, 75),
    ("2024-11-01", 3, 78),
    ("2024-11-25", 29, 107),
    ("2025-01-15", 37, 144),
    ("2026-08-03", 43, 187),
)

# A trailing parenthesis that starts in lower case is an editor's annotation, not part of a name
# ("Aksu Huafu Textiles Co. (name under which it was first listed in 2022)"); names such as
# "Hoshine Silicon Industry (Shanshan) Co., Ltd." keep theirs.
_ANNOTATION = re.compile(r"\s*\(([a-z][^()]*)\)\s*$")


def _split(text: str, sep: str) -> list[str]:
    return [part.strip() for part in text.split(sep) if part.strip()]


def _clean_name(text: str) -> tuple[str, str | None]:
    """Split an annotated name into the name and its annotation (or None)."""
    m = _ANNOTATION.search(text)
    if not m:
        return text.strip(), None
    return text[: m.start()].strip(), m.group(1)


def _fold(name: str) -> str:
    # Only used to avoid storing a second spelling that differs in punctuation and case alone.
    return re.sub(r"[\W_]+", "", name.casefold())


def _opt(text: str) -> str | None:
    return text.strip() or None


def _country(location: str | None) -> str | None:
    if not location:
        return None
    return "hk" if "Hong Kong" in location else "cn"


def _load_renames(path: Path) -> dict[str, list[NameChange]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    out: dict[str, list[NameChange]] = {}
    for i, item in enumerate(raw, start=1):
        missing = {"entity_id", "changed_on", "old_name", "new_name", "source"} - set(item)
        if missing:
            raise SystemExit(f"{path}: rename {i} lacks {sorted(missing)}")
        changed = item["changed_on"]
        changed_on = changed if isinstance(changed, date) else date.fromisoformat(str(changed))
        out.setdefault(item["entity_id"], []).append(
            NameChange(changed_on=changed_on, old_name=item["old_name"], new_name=item["new_name"])
        )
    return out


def _listings(row: dict[str, str]) -> list[Listing]:
    sections = _split(row["uflpa_section"], ";") or [UNKNOWN_SECTION]
    note = "; ".join(
        t for t in (row["effective_date_note"].strip(), row["change_history"].strip()) if t
    )
    return [
        Listing(
            section=section,
            effective_date=date.fromisoformat(row["effective_date"]),
            removal_date=date.fromisoformat(row["removal_date"]) if row["removal_date"] else None,
            fr_document=_opt(row["added_by_fr_doc"]),
            fr_citation=_opt(row["fr_citation"]),
            entry_id=row["entry_id"],
            note=note or None,
        )
        for section in sections
    ]


def _merge(rows: list[dict[str, str]], renames: list[NameChange]) -> ListedEntity:
    """One entity from its listing rows: names from the latest row, every listing kept."""
    latest = max(enumerate(rows), key=lambda p: (p[1]["effective_date"], p[0]))[1]
    name = latest["name"].strip()
    seen = {_fold(name)}
    aliases: list[str] = []
    former: list[str] = []
    notes: list[str] = []
    noted: set[str] = set()
    multi = len(rows) > 1

    def note(text: str, row: dict[str, str]) -> None:
        if text not in noted:  # the same remark on two rows of one entity is said once
            noted.add(text)
            notes.append(f"{row['entry_id']}: {text}" if multi else text)

    def add(target: list[str], raw: str, row: dict[str, str]) -> None:
        clean, annotation = _clean_name(raw)
        if annotation:
            note(f"{clean}: {annotation}", row)
        if clean and _fold(clean) not in seen:
            seen.add(_fold(clean))
            target.append(clean)

    for row in rows:
        for alias in _split(row["aliases"], " | "):
            add(aliases, alias, row)
        for old in _split(row["former_names"], " | "):
            add(former, old, row)
    for change in renames:
        add(former, change.old_name, latest)
    for row in rows:  # an earlier row may spell the name differently: keep it for matching
        add(aliases, row["name"], row)
    for row in rows:
        if row["notes"].strip():
            note(row["notes"].strip(), row)
        if row["unverified_fields"].strip():
            note(f"unverified: {row['unverified_fields'].strip()}", row)

    subs_texts = [r["includes_subsidiaries"].strip() for r in rows]
    subs_note = next((t for t in subs_texts if t and t.lower() != "no"), None)
    location = next((r["location"].strip() for r in reversed(rows) if r["location"].strip()), None)
    sectors = list(dict.fromkeys(r["sector"].strip() for r in rows if r["sector"].strip()))
    confidences = {r["confidence"].strip() for r in rows}
    confidence = next((c for c in ("low", "medium", "high") if c in confidences), None)
    for change in renames:
        if change.new_name != name and change.new_name not in former:
            raise SystemExit(f"renames.yml: {latest['entity_id']} is not named {change.new_name!r}")
    listings = [lst for row in rows for lst in _listings(row)]
    listings.sort(key=lambda lst: (lst.effective_date or date.min, lst.section))
    return ListedEntity(
        id=latest["entity_id"],
        name=name,
        list_name=LIST_NAME,
        aliases=tuple(aliases),
        former_names=tuple(former),
        subsidiaries=any(t.lower().startswith("yes") for t in subs_texts),
        subsidiaries_note=subs_note,
        parent=next(
            (r["parent_entity"].strip() for r in reversed(rows) if r["parent_entity"]), None
        ),
        location=location,
        country=_country(location),
        sectors=tuple(sectors),
        listings=tuple(listings),
        renames=tuple(sorted(renames, key=lambda c: c.changed_on)),
        confidence=confidence,
        notes="\n".join(notes) or None,
    )


def _coverage(rows: list[dict[str, str]], entities: list[ListedEntity]) -> dict[str, Any]:
    """How complete the reconstruction is, from the data against the official DHS counts."""
    firsts = Counter(str(e.first_effective()) for e in entities)
    by_date: list[dict[str, Any]] = []
    complete_through: str | None = None
    complete = True  # every batch so far is fully present
    for day, official_new, dhs_total in OFFICIAL_COUNTS:
        present = firsts.get(day, 0)
        complete = complete and present == official_new
        if complete:
            complete_through = day
        by_date.append(
            {
                "effective_date": day,
                "official_new_entities": official_new,
                "dhs_running_total": dhs_total,
                "present_new_entities": present,
                "missing": official_new - present,
            }
        )
    unknown = sorted(set(firsts) - {d for d, _, _ in OFFICIAL_COUNTS})
    if unknown:
        raise SystemExit(f"effective dates without official counts: {unknown}")
    last_day, last_new, official_total = OFFICIAL_COUNTS[-1]
    last_present = firsts.get(last_day, 0)
    short_rows = [r for r in rows if "short or brand form" in r["unverified_fields"]]
    short = sum(1 for r in short_rows if r["effective_date"] == last_day)
    complete_n = sum(n for d, n, _ in OFFICIAL_COUNTS if complete_through and d <= complete_through)
    summary = (
        f"Reconstruction from public notices, not the official DHS file: {len(entities)} of the "
        f"{official_total} entities listed as of {last_day} (all {complete_n} up to "
        f"{complete_through}; {last_present} of the {last_new} added on {last_day}, {short} under "
        "a short name only)."
    )
    return {
        "official": False,
        "kind": "reconstruction from public notices and copies of the DHS page",
        "summary": summary,
        "as_of": last_day,
        "entities_present": len(entities),
        "entities_official": official_total,
        "complete_through": complete_through,
        "entities_complete_through": complete_n,
        "latest_batch": {
            "effective_date": last_day,
            "official_new_entities": last_new,
            "present_new_entities": last_present,
            "short_name_only": short,
        },
        "listing_rows": len(rows),
        "entities_by_confidence": dict(
            sorted(Counter(e.confidence or "" for e in entities).items())
        ),
        "rows_by_confidence": dict(sorted(Counter(r["confidence"] for r in rows).items())),
        "by_effective_date": by_date,
        "sources": "uflpa/data/uflpa_entity_list.SOURCES.md",
    }


def build_snapshot(csv_path: Path = CSV_PATH, renames_path: Path = RENAMES_PATH) -> dict[str, Any]:
    raw = csv_path.read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    renames = _load_renames(renames_path)
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        grouped.setdefault(row["entity_id"], []).append(row)
    unknown = set(renames) - set(grouped)
    if unknown:
        raise SystemExit(f"renames.yml names unknown entities: {sorted(unknown)}")
    entities = [_merge(grouped[eid], renames.get(eid, [])) for eid in sorted(grouped)]
    coverage = _coverage(rows, entities)
    # Round-trip through ListVersion so the hash is the one the package computes on load.
    version = ListVersion(
        list_name=LIST_NAME,
        source=SOURCE,
        origin=ORIGIN,
        retrieved_at=datetime.fromisoformat(RETRIEVED_AT),
        entities=tuple(entities),
        published=PUBLISHED,
        coverage=coverage["summary"],
    )
    return {
        "list_name": LIST_NAME,
        "source": SOURCE,
        "origin": ORIGIN,
        "compiled_from_sha256": hashlib.sha256(raw).hexdigest(),
        "renames_sha256": hashlib.sha256(renames_path.read_bytes()).hexdigest(),
        "retrieved_at": RETRIEVED_AT,
        "published": PUBLISHED.isoformat(),
        "content_hash": content_hash(entities),
        "version_id": version.version_id,
        "coverage": coverage,
        "entities": [e.to_dict() for e in entities],
    }


def render(snapshot: dict[str, Any]) -> str:
    return json.dumps(snapshot, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when the JSON is stale")
    parser.add_argument("--out", type=Path, default=OUT_PATH)
    args = parser.parse_args(argv)
    text = render(build_snapshot())
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is stale: run python scripts/compile_snapshot.py", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date")
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(json.loads(text)['entities'])} entities)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
