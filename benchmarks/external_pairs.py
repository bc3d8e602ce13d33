"""OpenSanctions' organisation name pairs: is this the same organisation? uflpa vs. nomenklatura.

    .venv/bin/python -m benchmarks.external_pairs [--pairs CSV] [--errors] [--via-cli] [--json OUT]

Each pair of `org_cases.csv` (266 rows from nomenklatura's `contrib/name_bench`, see its README)
is decided by:

* `uflpa`: `Matcher.compare(name1, name2)`; same organisation iff the verdict is `hit`
* `uflpa+review`: the same comparison, counting `review` as same organisation too
* `nk-logic-v1`, `nk-logic-v2`: two followthemoney `Company` entities with one `name` each,
  same organisation iff the score >= 0.70, the threshold OpenSanctions' own harness uses (scoring
  with the row's schema instead of `Company` gives the same figures on this file)
* `rapidfuzz`: token-set ratio >= 90 on rapidfuzz's default processing (a naive reference)

`--via-cli` also runs `uflpa compare --pairs FILE --format jsonl` on the same pairs and scores its
verdicts the same way, to show that the command line gives the same F1 as the library.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from benchmarks.baselines import NOMENKLATURA_THRESHOLD, NomenklaturaLogic
from benchmarks.common import (
    ORG_PAIRS,
    PairFigures,
    console,
    fmt,
    machine_header,
    machine_info,
    nomenklatura_missing,
    pair_figures,
    print_table,
    uflpa_command,
)


@dataclass(frozen=True, slots=True)
class NamePair:
    case_group: str
    schema: str
    name1: str
    name2: str
    is_match: bool
    quality: str
    category: str


@dataclass(frozen=True, slots=True)
class Decision:
    same: bool
    score: float
    verdict: str


def load_pairs(path: Path) -> list[NamePair]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            NamePair(
                case_group=row["case_group"],
                schema=row["schema"] or "Company",
                name1=row["name1"],
                name2=row["name2"],
                is_match=row["is_match"].strip().lower() == "true",
                # Blank quality means MEDIUM in nomenklatura's harness.
                quality=(row.get("quality") or "").strip().upper() or "MEDIUM",
                category=(row.get("category") or "").strip() or "(none)",
            )
            for row in csv.DictReader(fh)
        ]


Decider = Callable[[NamePair], Decision]


def uflpa_deciders() -> dict[str, Decider]:
    from uflpa.lists.bundled import load_bundled
    from uflpa.match import Matcher

    matcher = Matcher([load_bundled()])
    memo: dict[tuple[str, str], Any] = {}

    def compare(pair: NamePair) -> Any:
        key = (pair.name1, pair.name2)
        if key not in memo:
            memo[key] = matcher.compare(pair.name1, pair.name2)
        return memo[key]

    def hit(pair: NamePair) -> Decision:
        c = compare(pair)
        return Decision(str(c.verdict) == "hit", float(c.score), str(c.verdict))

    def hit_or_review(pair: NamePair) -> Decision:
        c = compare(pair)
        return Decision(str(c.verdict) in ("hit", "review"), float(c.score), str(c.verdict))

    return {"uflpa": hit, "uflpa+review": hit_or_review}


def nk_decider(algorithm: str) -> Decider:
    nk = NomenklaturaLogic(algorithm, [])

    def decide(pair: NamePair) -> Decision:
        score = nk.compare_names(pair.name1, pair.name2, "Company")
        same = score >= NOMENKLATURA_THRESHOLD
        return Decision(same, score, "hit" if same else "clear")

    return decide


def rapidfuzz_decide(pair: NamePair) -> Decision:
    ratio = fuzz.token_set_ratio(default_process(pair.name1), default_process(pair.name2))
    return Decision(ratio >= 90, ratio / 100.0, "hit" if ratio >= 90 else "clear")


def run_cli(pairs: Sequence[NamePair]) -> tuple[list[Decision] | None, str]:
    """`uflpa compare --pairs FILE --format jsonl`; one JSON object per pair, in order."""
    with tempfile.TemporaryDirectory(prefix="uflpa-pairs-") as tmp:
        path = Path(tmp) / "pairs.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["name1", "name2"])
            writer.writerows((p.name1, p.name2) for p in pairs)
        base = uflpa_command() or [sys.executable, "-m", "uflpa"]
        cmd = [*base, "compare", "--pairs", str(path), "--format", "jsonl"]
        proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        return None, f"`uflpa compare --pairs` failed ({proc.returncode}): {proc.stderr.strip()}"
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    if len(lines) != len(pairs):
        return None, f"`uflpa compare --pairs` gave {len(lines)} rows for {len(pairs)} pairs"
    out = []
    for pair, obj in zip(pairs, lines, strict=True):
        if "name1" in obj and obj["name1"] != pair.name1:
            return None, "`uflpa compare --pairs` output is not in input order"
        verdict = str(obj.get("verdict"))
        out.append(Decision(verdict == "hit", float(obj.get("score") or 0.0), verdict))
    return out, ""


def _figures(pairs: Sequence[NamePair], decisions: Sequence[Decision]) -> PairFigures:
    return pair_figures([p.is_match for p in pairs], [d.same for d in decisions])


def print_overall(pairs: Sequence[NamePair], results: dict[str, list[Decision]]) -> None:
    rows = []
    for name, decisions in results.items():
        f = _figures(pairs, decisions)
        rows.append(
            (
                name,
                str(f.n),
                str(f.tp),
                str(f.fp),
                str(f.tn),
                str(f.fn),
                fmt(f.precision),
                fmt(f.recall),
                fmt(f.f1),
                fmt(f.accuracy),
            )
        )
    print_table(
        f"Organisation pairs: {len(pairs)} ({sum(p.is_match for p in pairs)} same organisation)",
        ("system", "n", "TP", "FP", "TN", "FN", "P", "R", "F1", "acc"),
        rows,
        console(),
    )


def print_breakdown(
    title: str,
    key: Callable[[NamePair], str],
    pairs: Sequence[NamePair],
    results: dict[str, list[Decision]],
) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pairs):
        groups[key(p)].append(i)
    table_rows = []
    data: dict[str, dict[str, Any]] = {}
    for group in sorted(groups, key=lambda g: (-len(groups[g]), g)):
        idx = groups[group]
        sub = [pairs[i] for i in idx]
        cells = [group, str(len(idx)), str(sum(p.is_match for p in sub))]
        data[group] = {}
        for name, decisions in results.items():
            f = _figures(sub, [decisions[i] for i in idx])
            data[group][name] = f.as_dict()
            cells.append(f"{fmt(f.f1, 2)} ({f.fp + f.fn})")
        table_rows.append(cells)
    print_table(
        f"{title}: F1 (errors) per system",
        (title, "n", "same", *results),
        table_rows,
        console(),
    )
    return data


def print_errors(name: str, pairs: Sequence[NamePair], decisions: Sequence[Decision]) -> None:
    wrong = [(p, d) for p, d in zip(pairs, decisions, strict=True) if p.is_match != d.same]
    wrong.sort(key=lambda x: (x[0].is_match, x[0].quality, -x[1].score))
    print_table(
        f"{name}: {len(wrong)} wrong decisions (FP: said same; FN: said different)",
        ("kind", "quality", "category", "name1", "name2", "verdict", "score"),
        [
            (
                "FN" if p.is_match else "FP",
                p.quality,
                p.category,
                p.name1,
                p.name2,
                d.verdict,
                fmt(d.score),
            )
            for p, d in wrong
        ],
        console(),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="OpenSanctions org pairs: uflpa vs. nomenklatura")
    parser.add_argument("--pairs", type=Path, default=ORG_PAIRS)
    parser.add_argument("--errors", action="store_true", help="list uflpa's wrong decisions")
    parser.add_argument(
        "--via-cli", action="store_true", help="also score `uflpa compare --pairs` (jsonl)"
    )
    parser.add_argument("--json", type=Path, metavar="OUT")
    args = parser.parse_args(argv)

    print(machine_header("uflpa benchmark: OpenSanctions organisation name pairs"))
    pairs = load_pairs(args.pairs)
    print(f"# pairs: {args.pairs} ({len(pairs)} rows)")
    print(f"# nomenklatura threshold: {NOMENKLATURA_THRESHOLD} (OpenSanctions name_bench default)")
    deciders: dict[str, Decider] = {}
    notes: list[str] = []
    try:
        deciders.update(uflpa_deciders())
    except (ImportError, AttributeError) as exc:
        notes.append(f"uflpa skipped: Matcher not available yet: {exc}")
    missing = nomenklatura_missing()
    if missing:
        notes.append(missing)
    else:
        deciders["nk-logic-v1"] = nk_decider("logic-v1")
        deciders["nk-logic-v2"] = nk_decider("logic-v2")
    deciders["rapidfuzz"] = rapidfuzz_decide
    results = {name: [decide(p) for p in pairs] for name, decide in deciders.items()}
    if args.via_cli:
        cli, why = run_cli(pairs)
        if cli is None:
            notes.append(f"--via-cli: {why}")
        else:
            results["uflpa-cli"] = cli
            if "uflpa" in results:
                same = sum(
                    a.verdict == b.verdict for a, b in zip(cli, results["uflpa"], strict=True)
                )
                notes.append(f"--via-cli: CLI and library verdicts agree on {same}/{len(pairs)}")
    for note in notes:
        print(f"# NOTE: {note}")

    print_overall(pairs, results)
    breakdowns = {
        "quality": print_breakdown("quality", lambda p: p.quality, pairs, results),
        "category": print_breakdown("category", lambda p: p.category, pairs, results),
        "case_group": print_breakdown("case_group", lambda p: p.case_group, pairs, results),
    }
    if args.errors:
        if "uflpa" in results:
            print_errors("uflpa", pairs, results["uflpa"])
        else:
            print("# NOTE: --errors: uflpa did not run")
    if args.json:
        payload = {
            "machine": machine_info(),
            "pairs": str(args.pairs),
            "threshold_nomenklatura": NOMENKLATURA_THRESHOLD,
            "notes": notes,
            "overall": {n: _figures(pairs, d).as_dict() for n, d in results.items()},
            "breakdowns": breakdowns,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"# figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
