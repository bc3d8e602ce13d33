"""Dev-set quality of uflpa and the baselines, scored by the rules of the dev set's README.

    .venv/bin/python -m benchmarks.quality [--set dev1|dev2 [--half tune|holdout] | --queries CSV]
                                           [--systems uflpa,rapidfuzz,...]
                                           [--json OUT] [--errors] [--baseline-zh]

Every system runs on every row in this one process; the figures are printed per system (overall,
then per category) and side by side. See benchmarks/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    DEV_QUERIES,
    DevQuery,
    Outcome,
    QualityFigures,
    console,
    fmt,
    is_error,
    load_list_entities,
    load_queries,
    machine_header,
    machine_info,
    print_table,
    quality_by_category,
    quality_figures,
)
from benchmarks.systems import ALL_SYSTEMS, System, build_systems

# The two development sets: dev1 (the shared one, fitted long ago) and dev2 (ours). dev2 is cut in
# two halves by entity (see dev2_half): its tune half may be tuned on like dev1, its holdout half
# is for reporting only (benchmarks/data/dev2_README.md).
DEV_SETS: dict[str, Path] = {
    "dev1": DEV_QUERIES,
    "dev2": Path(__file__).resolve().parent / "data" / "dev2_queries.csv",
}
HALVES = ("tune", "holdout")


def dev2_half(query: DevQuery) -> str:
    """`tune` or `holdout`, fixed by a hash so that nobody can move a row between the halves.

    Rows about an entity are cut by the entity (a fix learnt from one of its spellings must not be
    scored on another spelling of the same firm); negatives, which name no entity, by their id.
    """
    key = query.expected_entity_id or query.query_id
    return HALVES[hashlib.sha256(key.encode("utf-8")).digest()[0] % 2]


OVERALL_METRICS: tuple[tuple[str, str], ...] = (
    ("precision", "precision"),
    ("recall", "recall"),
    ("f1", "F1"),
    ("top1_accuracy", "top-1 accuracy"),
    ("recall_at_review", "recall at review"),
    ("negatives_hit", "negatives -> hit"),
    ("negatives_review", "negatives -> review"),
    ("related_hit", "related -> hit"),
    ("related_review", "related -> review"),
    ("related_clear", "related -> clear"),
)
CATEGORY_COLUMNS = (
    "category",
    "n",
    "TP",
    "FP",
    "FN",
    "P",
    "R",
    "F1",
    "top-1",
    "R@review",
    "neg->hit",
    "neg->review",
    "rel hit/review/clear",
)

Rows = list[tuple[DevQuery, Outcome]]


def run_system(system: System, queries: Sequence[DevQuery]) -> tuple[Rows, float]:
    start = time.perf_counter()
    rows = [(q, system.run(q)) for q in queries]
    return rows, time.perf_counter() - start


def _related(f: QualityFigures) -> str:
    if not f.related_rows:
        return "—"
    return f"{fmt(f.related_hit, 2)}/{fmt(f.related_review, 2)}/{fmt(f.related_clear, 2)}"


def _category_row(category: str, f: QualityFigures) -> list[str]:
    return [
        category,
        str(f.rows),
        str(f.tp),
        str(f.fp),
        str(f.fn),
        fmt(f.precision),
        fmt(f.recall),
        fmt(f.f1),
        fmt(f.top1_accuracy),
        fmt(f.recall_at_review),
        fmt(f.negatives_hit),
        fmt(f.negatives_review),
        _related(f),
    ]


def print_system(name: str, rows: Rows, seconds: float) -> None:
    out = console()
    overall = quality_figures(rows)
    out.print(
        f"\n== {name}: {overall.rows} rows ({overall.match_rows} match, {overall.no_match_rows} "
        f"no_match, {overall.related_rows} related) in {seconds:.1f} s =="
    )
    print_table(
        f"{name}: overall",
        ("figure", "value"),
        [("TP / FP / FN", f"{overall.tp} / {overall.fp} / {overall.fn}")]
        + [("FP on the wrong entity", str(overall.fp_wrong_entity))]
        + [(label, fmt(getattr(overall, key))) for key, label in OVERALL_METRICS],
        out,
    )
    by_cat = quality_by_category(rows)
    print_table(
        f"{name}: by category",
        CATEGORY_COLUMNS,
        [_category_row(c, f) for c, f in by_cat.items()] + [_category_row("ALL", overall)],
        out,
    )


def print_side_by_side(results: dict[str, Rows]) -> None:
    out = console()
    names = list(results)
    overall = {n: quality_figures(rows) for n, rows in results.items()}
    print_table(
        "All systems: overall",
        ("figure", *names),
        [
            (label, *(fmt(getattr(overall[n], key)) for n in names))
            for key, label in OVERALL_METRICS
        ],
        out,
    )
    # One figure per category and system: recall for positives, hits for negatives, review share
    # for related (the outcome an analyst wants there).
    by_cat = {n: quality_by_category(rows) for n, rows in results.items()}
    categories = list(next(iter(by_cat.values()))) if by_cat else []
    table_rows = []
    for c in categories:
        sample = by_cat[names[0]][c]
        if sample.match_rows:
            what, key = "recall", "recall"
        elif sample.no_match_rows:
            what, key = "neg->hit", "negatives_hit"
        else:
            what, key = "rel->review", "related_review"
        table_rows.append(
            (c, what, str(sample.rows), *(fmt(getattr(by_cat[n][c], key)) for n in names))
        )
    print_table("All systems: by category", ("category", "figure", "n", *names), table_rows, out)


def print_errors(name: str, rows: Rows) -> None:
    errors = [(q, o) for q, o in rows if is_error(q, o)]
    errors.sort(key=lambda r: (r[0].label, r[0].category, r[0].query_id))
    print_table(
        f"{name}: {len(errors)} misclassified rows",
        ("id", "label", "category", "query", "expected", "got", "score", "matched name"),
        [
            (
                q.query_id,
                q.label,
                q.category,
                q.name,
                q.expected_entity_id or "-",
                f"{o.verdict} {o.entity_id or '-'}",
                fmt(o.score),
                o.matched_name or "",
            )
            for q, o in errors
        ],
        console(),
    )


def figures_json(results: dict[str, Rows], seconds: dict[str, float]) -> dict[str, Any]:
    return {
        name: {
            "seconds": round(seconds[name], 3),
            "overall": quality_figures(rows).as_dict(),
            "by_category": {c: f.as_dict() for c, f in quality_by_category(rows).items()},
            "rows": [
                {
                    "query_id": q.query_id,
                    "label": q.label,
                    "category": q.category,
                    "expected": q.expected_entity_id or None,
                    "verdict": o.verdict,
                    "entity_id": o.entity_id,
                    "score": round(o.score, 4),
                    "error": is_error(q, o),
                }
                for q, o in rows
            ],
        }
        for name, rows in results.items()
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--set",
        dest="dev_set",
        choices=sorted(DEV_SETS),
        default="dev1",
        help="dev1: the shared set; dev2: ours, in a tune half and a held-out half (--half)",
    )
    parser.add_argument(
        "--half",
        choices=(*HALVES, "all"),
        default="all",
        help="with --set dev2: only its tune half or its holdout half (default: all rows)",
    )
    parser.add_argument("--queries", type=Path, help="any dev-set CSV (overrides --set)")
    parser.add_argument(
        "--systems", default=",".join(ALL_SYSTEMS), help=f"comma list of {', '.join(ALL_SYSTEMS)}"
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help="write every figure as JSON")
    parser.add_argument(
        "--errors", action="store_true", help="list the rows uflpa gets wrong (for tuning)"
    )
    parser.add_argument(
        "--errors-system", default="uflpa", help="which system --errors lists (default uflpa)"
    )
    parser.add_argument(
        "--baseline-zh",
        action="store_true",
        help="give the baselines uflpa's Chinese names too (data vs. matching)",
    )
    args = parser.parse_args(argv)

    print(machine_header("uflpa benchmark: dev-set quality"))
    if args.queries is None:
        args.queries = DEV_SETS[args.dev_set]
    is_dev2 = args.queries.resolve() == DEV_SETS["dev2"].resolve()
    if args.half != "all" and not is_dev2:
        parser.error("--half applies to --set dev2 only")
    if args.errors and is_dev2 and args.half != "tune":
        # The holdout half is for reporting: listing its misses is the first step of tuning on it.
        parser.error("--errors on dev2 needs --half tune: its holdout half is for reporting only")
    queries = load_queries(args.queries)
    if args.half != "all":
        queries = [q for q in queries if dev2_half(q) == args.half]
    entities, list_note = load_list_entities(with_zh=args.baseline_zh)
    half = "" if args.half == "all" else f", {args.half} half"
    print(f"# queries: {args.queries} ({len(queries)} rows{half})")
    print(f"# baselines search: {list_note} ({len(entities)} entities)")
    wanted = [s.strip() for s in args.systems.split(",") if s.strip()]
    systems, skipped = build_systems(wanted, entities)
    for name, why in skipped.items():
        print(f"# NOTE: {name} skipped: {why}")

    results: dict[str, Rows] = {}
    seconds: dict[str, float] = {}
    for name, system in systems.items():
        results[name], seconds[name] = run_system(system, queries)
        print_system(name, results[name], seconds[name])
    if len(results) > 1:
        print()
        print_side_by_side(results)
    if args.errors:
        if args.errors_system in results:
            print()
            print_errors(args.errors_system, results[args.errors_system])
        else:
            print(f"# NOTE: --errors: {args.errors_system} did not run")
    if args.json:
        payload = {
            "machine": machine_info(),
            "queries": str(args.queries),
            "baseline_list": list_note,
            "skipped": skipped,
            "systems": figures_json(results, seconds),
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"# figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
