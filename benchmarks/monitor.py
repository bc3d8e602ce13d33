"""The monitor against a full re-screen: a 20,000-party watchlist, a list update that adds 40
entities and changes 2, on the embedded store of record (SQLite under a new UFLPA_HOME).

    .venv/bin/python -m benchmarks.monitor [--parties 20000] [--added 40] [--seed 7] [--json OUT]

1. The list before: the bundled entities written as a DHS page (`tests.casework.pages`) and
   stored with `uflpa.catalog.update.update_list`, as `uflpa lists update --from` does.
2. The watchlist: invented Chinese company names in Han, pinyin and English
   (`benchmarks.synthetic_names`, seed `--seed`), plus the listed entities' names and aliases
   as suppliers write them (upper case, cut at 35 characters, without the legal form), plus
   four spellings of each entity the update will add and three of each alias it will add:
   `--parties` in all, imported with `uflpa.casework.watchlists.import_file` (timed).
3. The update: the same page plus `--added` invented entities and an alias added to two listed
   entities (and, with `--removed N`, without N listed entities chosen by the seed). Timed:
   `run_monitor(source_ref=page)` from its call to its return, which is when every alert is
   recorded (the ingest of the page included).
4. The baseline, measured in the same run: every watched party screened afresh against the new
   version by a new Screener (what a tool without targeting does), and the parties whose
   verdict changed (or whose flag moved to another entity) compared with the monitor's alerts:
   the two sets must be identical.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parties", type=int, default=20_000)
    parser.add_argument("--added", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--removed",
        type=int,
        default=0,
        help="Also remove this many listed entities (chosen by the seed): a second scenario.",
    )
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="uflpa-monitor-bench-") as tmp:
        os.environ["UFLPA_HOME"] = str(Path(tmp) / "home")
        os.environ.pop("UFLPA_DATABASE_URL", None)
        figures = run(Path(tmp), args.parties, args.added, args.seed, args.removed)
    for key, value in figures.items():
        print(f"{key:>34}: {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0 if figures["identical_to_full_rescreen"] else 1


def run(tmp: Path, n: int, added_n: int, seed: int, removed_n: int = 0) -> dict[str, Any]:
    from sqlalchemy import select

    from benchmarks.synthetic_names import synthetic_names
    from tests.casework.pages import invented, page, rows_of
    from uflpa.casework.actors import ADMIN, Actor
    from uflpa.casework.monitor import run_monitor
    from uflpa.casework.recording import Previous, needs_alert
    from uflpa.casework.screening import PartyData, screen
    from uflpa.casework.watchlists import import_file
    from uflpa.catalog import ListSelection, open_lists
    from uflpa.catalog.update import update_list
    from uflpa.lists.bundled import load_bundled
    from uflpa.match import Matcher
    from uflpa.records import engine_for
    from uflpa.records.tables import parties, screenings
    from uflpa.screening import Screener, load_ruleset
    from uflpa.settings import Settings

    settings = Settings.from_env()
    bundled = load_bundled()
    base = rows_of(bundled)
    page_a = tmp / "a.html"
    page_a.write_text(page(base, date(2026, 11, 1)), encoding="utf-8")
    update_list(str(page_a), settings=settings)

    added = invented(added_n, date(2026, 12, 1))
    changed = {"UFLPA-033": "Tianmian Textile Group", "UFLPA-012": "Hoshine Shanshan Silicon"}
    names: list[str] = []
    for cell, _, _ in added:  # four spellings of each added entity
        bare = cell.replace(" Co., Ltd.", "")
        names += [cell, cell.upper()[:35], bare, bare.upper() + " CO LTD"]
    for alias in changed.values():  # three of each added alias
        names += [alias, alias.upper(), alias + " Co., Ltd."]
    for e in bundled.entities:  # listed names as suppliers write them
        for text in (e.name, *e.aliases):
            names += [text.upper()[:35], text.replace(" Co., Ltd.", "")]
    synthetic = [name for _, name in synthetic_names(max(n - len(names), 0), seed=seed)]
    names = (names + synthetic)[:n]
    master = tmp / "suppliers.csv"
    with master.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["supplier_id", "supplier_name", "country"])
        for i, name in enumerate(names):
            writer.writerow([f"S{i:06d}", name, "CN"])

    engine = engine_for()
    actor = Actor("benchmark", ADMIN)
    started = time.perf_counter()
    imported = import_file(engine, actor, master, source_name="suppliers.csv", settings=settings)
    import_seconds = time.perf_counter() - started

    import random

    gone = {e.name for e in random.Random(seed).sample(list(bundled.entities), removed_n)}
    rows = []
    for cell, section, day in base:
        if any(cell.startswith(name) for name in gone):
            continue
        for eid, alias in changed.items():
            entity = bundled.entity(eid)
            if entity is not None and cell.startswith(entity.name):
                cell = cell.replace(" and subsidiaries", "") + f" (also known as {alias})"
        rows.append((cell, section, day))
    page_b = tmp / "b.html"
    page_b.write_text(page(rows + added, date(2026, 12, 1)), encoding="utf-8")

    with engine.connect() as conn:
        before = {
            r.key: Previous(r.screening_id, r.verdict, r.entity_id, r.entity_name)
            for r in conn.execute(
                select(
                    parties.c.key,
                    parties.c.screening_id,
                    screenings.c.verdict,
                    screenings.c.entity_id,
                    screenings.c.entity_name,
                ).select_from(parties.join(screenings, screenings.c.id == parties.c.screening_id))
            )
        }

    started = time.perf_counter()
    result = run_monitor(engine, actor, settings=settings, source_ref=str(page_b))
    monitor_seconds = time.perf_counter() - started

    with engine.connect() as conn:
        from uflpa.records.tables import alerts

        alerted = {
            r.key
            for r in conn.execute(
                select(parties.c.key)
                .select_from(alerts.join(parties, parties.c.id == alerts.c.party_id))
                .where(alerts.c.run_id == result.run_id)
            )
        }

    # The baseline: a new Screener over the new version, every party screened afresh.
    started = time.perf_counter()
    lists = open_lists(ListSelection(), settings)
    screener = Screener(Matcher(list(lists.versions)), load_ruleset())
    today = date.today()
    full: set[str] = set()
    for i, name in enumerate(names):
        key = f"S{i:06d}"
        now = screen(screener, PartyData(key=key, name=name, country="CN"), today)
        if needs_alert(before.get(key), now):
            full.add(key)
    full_seconds = time.perf_counter() - started

    return {
        "parties": len(names),
        "import_seconds": round(import_seconds, 2),
        "flagged_on_import": imported.flagged,
        "entities_removed_by_update": len(gone),
        "entities_changed_by_update": result.changed_entities,
        "monitor_seconds": round(monitor_seconds, 2),
        "target_seconds": 30,
        "target_met": monitor_seconds <= 30,
        "parties_rescreened": result.rescreened,
        "parties_carried_forward": result.carried,
        "rescreened_share": round(result.rescreened / max(len(names), 1), 4),
        "alerts": len(alerted),
        "full_rescreen_seconds": round(full_seconds, 2),
        "full_rescreen_alerts": len(full),
        "identical_to_full_rescreen": alerted == full,
        "only_monitor": sorted(alerted - full)[:10],
        "only_full_rescreen": sorted(full - alerted)[:10],
        "speedup_vs_full_rescreen": round(full_seconds / monitor_seconds, 2),
    }


if __name__ == "__main__":
    raise SystemExit(main())
