"""The end-of-run summary: rows by verdict, by rule, the entities most often matched, and speed.

It is built from the same row dictionaries the CLI writes, so what the summary counts is exactly
what the output holds; rows that could not be screened are counted apart, so that screened plus
not screened equals the input rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

VERDICTS = ("hit", "review", "clear")


@dataclass(slots=True)
class Summary:
    """Counts over one run. `add` takes an output row (with 'verdict' and 'reasons'), or an
    error row (verdict 'error')."""

    source: str = ""
    detail: str = ""
    verdicts: Counter[str] = field(default_factory=Counter)
    rules: Counter[str] = field(default_factory=Counter)
    roles: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    entity_names: dict[str, str] = field(default_factory=dict)
    notes: Counter[str] = field(default_factory=Counter)
    issues: Counter[str] = field(default_factory=Counter)
    errors: int = 0
    seconds: float = 0.0
    setup_seconds: float = 0.0
    versions: dict[str, str] = field(default_factory=dict)

    @property
    def screened(self) -> int:
        return sum(self.verdicts.values())

    @property
    def total(self) -> int:
        return self.screened + self.errors

    def add(self, row: dict[str, Any]) -> None:
        verdict = row.get("verdict")
        if verdict == "error":
            self.errors += 1
            return
        self.verdicts[str(verdict)] += 1
        if not self.versions and row.get("versions"):
            self.versions = dict(row["versions"])
        fired: set[str] = set()
        entities: set[str] = set()
        for reason in row.get("reasons") or ():
            fired.add(reason["rule"])
            self.roles[reason["role"]] += 1
            ev = reason.get("evidence") or {}
            if ev.get("entity_id"):
                entities.add(ev["entity_id"])
                self.entity_names[ev["entity_id"]] = ev.get("entity_name", "")
        # Most rows fire nothing and carry no notes or issues: skip the Counter updates then.
        if fired:
            self.rules.update(fired)
            self.entities.update(entities)
        notes, issues = row.get("notes"), row.get("issues")
        if notes:
            self.notes.update({n.get("note", "note") for n in notes})
        if issues:
            self.issues.update({i.get("column") or "row" for i in issues})

    def lines(self, top: int = 5) -> list[str]:
        """The summary as lines of text (the first one says what was screened, as before)."""
        counts = ", ".join(f"{v} {self.verdicts[v]}" for v in VERDICTS)
        where = f" of {self.source}" if self.source else ""
        detail = f" ({self.detail})" if self.detail else ""
        out = [
            f"uflpa: screened {self.total} row(s){where}{detail}: {counts}; "
            f"rows not screened {self.errors}"
        ]
        if self.rules:
            by_rule = ", ".join(f"{rule} {n}" for rule, n in self.rules.most_common())
            out.append(f"  rows by rule: {by_rule}")
        if self.entities:
            tops = "; ".join(
                f"{eid} {self.entity_names.get(eid, '')} ({n})"
                for eid, n in self.entities.most_common(top)
            )
            out.append(f"  top listed entities (rows): {tops}")
        if self.notes:
            out.append("  notes: " + ", ".join(f"{k} {n}" for k, n in self.notes.most_common()))
        if self.issues:
            cells = ", ".join(f"{k} {n}" for k, n in self.issues.most_common())
            out.append(f"  screened rows with unreadable cells: {cells}")
        if self.versions:
            v = self.versions
            out.append(
                f"  versions: list {v.get('list_version')}, rules {v.get('rules_version')}, "
                f"algorithm {v.get('algorithm')}"
            )
        if self.seconds > 0 and self.total:
            rate = self.total / self.seconds
            out.append(
                f"  time: {self.seconds:.2f} s screening ({rate:,.0f} rows/s), "
                f"{self.setup_seconds:.2f} s loading the list and indexes"
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "rows": self.total,
            "screened": self.screened,
            "not_screened": self.errors,
            "verdicts": {v: self.verdicts[v] for v in VERDICTS},
            "rules": dict(self.rules.most_common()),
            "roles": dict(self.roles.most_common()),
            "top_entities": [
                {"entity_id": e, "entity_name": self.entity_names.get(e), "rows": n}
                for e, n in self.entities.most_common(10)
            ],
            "notes": dict(self.notes),
            "issues": dict(self.issues),
            "versions": self.versions,
            "seconds": round(self.seconds, 3),
        }
