"""Replaying a recorded screening: `uflpa audit replay ID` screens the same parties' data again
against the list version, rules version and algorithm the run recorded, and compares.

The audit entry of a screening names its run; the run's screenings name each party's data as it
was (`party_versions`). Equal output hashes mean the same verdicts, scores and entities; when
they differ, the parties whose outcome differs are listed. A list version no longer stored, or an
algorithm this release does not have, is said plainly: such a run cannot be reproduced here.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import Engine, select

from uflpa.casework import audit
from uflpa.casework.screening import PartyData, output_sha256, screen
from uflpa.catalog import ListSelection, open_lists, screener_for
from uflpa.errors import NotFoundError, UsageError
from uflpa.records.tables import party_versions, runs, screenings
from uflpa.settings import Settings


def replay(engine: Engine, seq: int, *, settings: Settings | None = None) -> dict[str, Any]:
    """Re-run the screening recorded by audit entry `seq` and compare it with what was stored."""
    entry = audit.entry(engine, seq)
    if entry is None:
        raise NotFoundError(f"no audit entry {seq} (see: uflpa audit list)")
    if entry["action"] != "screening":
        raise UsageError(
            f"audit entry {seq} records a {entry['action']!r}, not a screening; replay a "
            "'screening' entry (uflpa audit list --action screening)"
        )
    detail = entry["detail"]
    run_id = int(detail["run_id"])
    with engine.connect() as conn:
        run = conn.execute(select(runs).where(runs.c.id == run_id)).first()
        rows = conn.execute(
            select(
                screenings.c.verdict,
                screenings.c.score,
                screenings.c.entity_id,
                screenings.c.as_of,
                party_versions.c.data,
            )
            .select_from(
                screenings.join(
                    party_versions, party_versions.c.id == screenings.c.party_version_id
                )
            )
            .where(screenings.c.run_id == run_id)
        ).all()
    if run is None or not rows:
        raise NotFoundError(f"run {run_id} of audit entry {seq} has no stored screenings")
    list_version = str(detail["list_version"])
    lists = open_lists(
        ListSelection(versions=(list_version.split("[", 1)[0].split("+", 1)[0],)), settings
    )
    # A rules version is recorded as NAME@HASH: the bundled rules of that name, whose content
    # must still give that hash.
    recorded_rules = str(detail["rules_version"])
    screener = screener_for(lists, recorded_rules.split("@", 1)[0])
    if screener.versions.rules_version != recorded_rules:
        raise UsageError(
            f"audit entry {seq} was screened with rules {recorded_rules}; this release's rules "
            f"of that name are {screener.versions.rules_version}, so it cannot reproduce it"
        )
    if screener.versions.algorithm != detail["algorithm"]:
        raise UsageError(
            f"audit entry {seq} was screened with algorithm {detail['algorithm']}; this release "
            f"has {screener.versions.algorithm}, so it cannot reproduce it"
        )
    day = date.fromisoformat(str(detail["as_of"]))
    differences = []
    again = []
    for r in rows:
        data = PartyData.from_json(r.data)
        s = screen(screener, data, day)
        again.append(s)
        before = [data.key, r.verdict, round(r.score, 4), r.entity_id or ""]
        if s.outcome() != before:
            differences.append({"key": data.key, "recorded": before[1:], "now": s.outcome()[1:]})
    got = output_sha256(again)
    same = got == detail["output_sha256"] and not differences
    return {
        "audit_entry": seq,
        "run_id": run_id,
        "parties": len(rows),
        "list_version": list_version,
        "rules_version": detail["rules_version"],
        "algorithm": detail["algorithm"],
        "as_of": day.isoformat(),
        "recorded_output_sha256": detail["output_sha256"],
        "replayed_output_sha256": got,
        "identical": same,
        "differences": differences[:100],
        "run": json.loads(run.detail) if run.detail else {},
    }
