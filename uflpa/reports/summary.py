"""The end-of-run summary: rows by verdict, by rule, the entities most often matched, and speed.

It counts the same typed rows the sinks write, so what the summary says is exactly what the
output holds; rows that could not be screened are counted apart, so that screened plus not
screened equals the input rows. It also says which list versions the verdicts used and, where a
version is known to be incomplete (the bundled snapshot is a reconstruction), says so.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from uflpa.model import LEVELS
from uflpa.screening.rows import ERROR, ScreenedRow

#: The verdicts in the order the summary lists them.
VERDICTS = LEVELS


@dataclass(slots=True)
class Summary:
    """Counts over one run. `add` takes every row the run yields, screened or not."""

    source: str = ""
    detail: str = ""
    #: How the file's text was decoded and any doubt about it, in words ("" for binary formats).
    encoding: str = ""
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
    #: One sentence per list version of the run that is known to be incomplete.
    caveats: list[str] = field(default_factory=list)
    #: The input's columns the run did not read, so that no column is ignored unsaid.
    unused_columns: list[str] = field(default_factory=list)
    #: How the rows were screened ('local engine, 2 workers, columnar reader'), when not row
    #: by row; distinct parties matched (None: not counted); seconds per phase of the run.
    engine: str = ""
    distinct_parties: int | None = None
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def screened(self) -> int:
        return sum(self.verdicts.values())

    @property
    def total(self) -> int:
        return self.screened + self.errors

    def add(self, result: ScreenedRow) -> None:
        verdict = result.verdict
        if verdict == ERROR:
            self.errors += 1
            return
        self.verdicts[verdict] += 1
        reasons = result.reasons
        # Most rows fire nothing and carry no notes or issues: skip the Counter updates then.
        if reasons:
            fired: set[str] = set()
            entities: set[str] = set()
            for reason in reasons:
                fired.add(reason.rule)
                self.roles[reason.role] += 1
                entity_id = reason.evidence.get("entity_id")
                if entity_id:
                    entities.add(entity_id)
                    self.entity_names[entity_id] = reason.evidence.get("entity_name", "")
            self.rules.update(fired)
            self.entities.update(entities)
        if result.notes:
            self.notes.update({n.note for n in result.notes})
        if result.issues:
            self.issues.update({i.column or "row" for i in result.issues})

    def counts(self) -> dict[str, Any]:
        """The counts alone, as plain data: what a worker process sends back to be `absorb`ed."""
        return {
            "verdicts": dict(self.verdicts),
            "rules": dict(self.rules),
            "roles": dict(self.roles),
            "entities": dict(self.entities),
            "entity_names": dict(self.entity_names),
            "notes": dict(self.notes),
            "issues": dict(self.issues),
            "errors": self.errors,
        }

    def absorb(self, counts: dict[str, Any]) -> None:
        """Add the `counts` of another part of the same run (rows screened elsewhere)."""
        self.verdicts.update(counts["verdicts"])
        self.rules.update(counts["rules"])
        self.roles.update(counts["roles"])
        self.entities.update(counts["entities"])
        self.entity_names.update(counts["entity_names"])
        self.notes.update(counts["notes"])
        self.issues.update(counts["issues"])
        self.errors += int(counts["errors"])

    def lines(self, top: int = 5) -> list[str]:
        """The summary as lines of text (the first one says what was screened, as before)."""
        counts = ", ".join(f"{v} {self.verdicts[v]}" for v in VERDICTS)
        where = f" of {self.source}" if self.source else ""
        detail = f" ({self.detail})" if self.detail else ""
        out = [
            f"uflpa: screened {self.total} row(s){where}{detail}: {counts}; "
            f"rows not screened {self.errors}"
        ]
        if self.encoding:
            out.append(f"  encoding: {self.encoding}")
        if self.unused_columns:
            out.append("  columns not used: " + ", ".join(repr(c) for c in self.unused_columns))
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
        out.extend(f"  caution: {caveat}" for caveat in self.caveats)
        if self.engine:
            parties = (
                f"; {self.distinct_parties:,} distinct parties, each matched once"
                if self.distinct_parties is not None
                else ""
            )
            out.append(f"  engine: {self.engine}{parties}")
        if self.phases:
            out.append(
                "  phases: " + ", ".join(f"{name} {s:.2f} s" for name, s in self.phases.items())
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
            "encoding": self.encoding,
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
            "caveats": list(self.caveats),
            "columns_not_used": list(self.unused_columns),
            "engine": self.engine,
            "distinct_parties": self.distinct_parties,
            "phases": {k: round(v, 3) for k, v in self.phases.items()},
            "seconds": round(self.seconds, 3),
        }
