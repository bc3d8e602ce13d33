"""Screening speed against the bundled UFLPA list: uflpa vs. brute-force baselines, one process.

    .venv/bin/python -m benchmarks.speed [--n 2000] [--nk-n 200] [--screen-n 20000] [--json OUT]

1. In-process queries per second, single thread, on the same queries: uflpa's `Matcher.match`,
   rapidfuzz token-set brute force, and nomenklatura logic-v2 brute force (on the first `--nk-n`
   queries only, because it is slow; its rate is per query, so the ratio stays fair).
2. The whole-process figure: `uflpa screen FILE --format jsonl > /dev/null` on a CSV of
   `--screen-n` unique party names (dev-set names plus invented Chinese company names), wall
   clock including interpreter start-up and list loading, against logic-v2's rate from step 1.

Which build is timed is printed: the console script is the installed package (mypyc-compiled
after `pip install .`, pure Python after `pip install -e .` or with UFLPA_PURE_PYTHON=1), while the
in-process figures use whatever `uflpa` this interpreter imports (the source tree, when run from
the repository root). For the product's figure, install non-editable into a fresh venv and keep
the source tree off the path (benchmarks/README.md shows the three commands).

Queries are the dev-set names varied (case, truncation, appended address or country, one-letter
typos) to `--n` distinct strings, so a cache keyed on the exact string cannot inflate a figure.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    DEV_QUERIES,
    DevQuery,
    console,
    load_list_entities,
    load_queries,
    machine_header,
    machine_info,
    nomenklatura_missing,
    print_table,
    uflpa_command,
)
from benchmarks.synthetic_names import CompanyNames
from benchmarks.systems import BaselineSystem, System, UflpaSystem

SUFFIXES = (
    ", CHINA",
    " (CHINA)",
    " ADD: Urumqi, Xinjiang",
    " NO. 8 INDUSTRIAL PARK, SHIHEZI, XINJIANG",
    " 新疆维吾尔自治区乌鲁木齐市",
    " Room 1201, Pudong, Shanghai",
)


def _vary(name: str, rng: random.Random) -> str:
    kind = rng.randrange(7)
    if kind == 0:
        return name.upper()
    if kind == 1:
        return name.lower()
    if kind == 2 and len(name) > 12:
        return name[: rng.randint(12, min(35, len(name)))]
    if kind == 3:
        return name + rng.choice(SUFFIXES)
    if kind == 4 and len(name) > 4:
        i = rng.randrange(1, len(name) - 1)
        return name[:i] + name[i + 1 :]
    if kind == 5 and len(name) > 4:
        i = rng.randrange(1, len(name) - 2)
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name


def varied_queries(queries: Sequence[DevQuery], n: int, seed: int = 0) -> list[DevQuery]:
    """`n` distinct queries: every dev-set name once, then varied copies, shuffled."""
    rng = random.Random(seed)
    out: list[DevQuery] = []
    seen: set[str] = set()
    pool = list(queries)
    attempts = 0
    while len(out) < n and attempts < n * 50:
        attempts += 1
        base = pool[len(out) % len(pool)] if len(out) < len(pool) else rng.choice(pool)
        name = base.name if len(out) < len(pool) else _vary(_vary(base.name, rng), rng)
        if name in seen or not name.strip():
            continue
        seen.add(name)
        out.append(
            DevQuery(
                query_id=f"S{len(out):05d}",
                name=name,
                country=base.country,
                address=base.address,
                identifier=base.identifier,
                expected_entity_id=base.expected_entity_id,
                label=base.label,
                category=base.category,
            )
        )
    rng.shuffle(out)
    return out


def time_system(system: System, queries: Sequence[DevQuery], warmup: int = 20) -> float:
    """Seconds for `queries` after a short warm-up on other strings (imports, lazy tables)."""
    for q in queries[-warmup:]:
        system.run(q)
    start = time.perf_counter()
    for q in queries:
        system.run(q)
    return time.perf_counter() - start


def timed(build: Callable[[], System]) -> tuple[System, float]:
    start = time.perf_counter()
    system = build()
    return system, time.perf_counter() - start


def screen_available(cmd: list[str]) -> str | None:
    """None when `uflpa screen` exists, else why it cannot be timed."""
    proc = subprocess.run([*cmd, "screen", "--help"], capture_output=True, text=True)
    if proc.returncode != 0:
        err = (proc.stderr or proc.stdout).strip().splitlines()
        return f"`uflpa screen` not available yet ({err[-1] if err else proc.returncode})"
    return None


def write_screen_file(path: Path, queries: Sequence[DevQuery], n: int, seed: int = 0) -> int:
    """A supplier-master-like CSV (id, name, country) of `n` unique names; returns the row count."""
    names: dict[str, str] = {}
    for q in queries:
        names.setdefault(q.name, q.country)
    gen = CompanyNames(seed)
    i = 0
    while len(names) < n and i < gen.size:
        names.setdefault(gen.name(i), "CN")
        i += 1
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "country"])
        for i, (name, country) in enumerate(list(names.items())[:n]):
            writer.writerow([f"P{i:06d}", name, country])
    return min(n, len(names))


def time_screen(cmd: list[str], path: Path) -> tuple[float, int, str]:
    """Wall-clock seconds of the whole `uflpa screen` process, its exit code and stderr tail."""
    start = time.perf_counter()
    proc = subprocess.run(
        [*cmd, "screen", str(path), "--format", "jsonl"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seconds = time.perf_counter() - start
    return seconds, proc.returncode, proc.stderr.strip()[-500:]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="uflpa screening speed vs. baselines")
    parser.add_argument("--queries", type=Path, default=DEV_QUERIES)
    parser.add_argument("--n", type=int, default=2000, help="queries for uflpa and rapidfuzz")
    parser.add_argument("--nk-n", type=int, default=200, help="queries for logic-v2 (slow)")
    parser.add_argument("--screen-n", type=int, default=20000, help="rows for `uflpa screen`")
    parser.add_argument("--no-screen", action="store_true", help="skip the `uflpa screen` run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, metavar="OUT")
    args = parser.parse_args(argv)

    print(machine_header("uflpa benchmark: screening speed (single process, one thread)"))
    dev = load_queries(args.queries)
    entities, list_note = load_list_entities()
    names = sum(len(e.all_names()) for e in entities)
    print(f"# list: {list_note}: {len(entities)} entities, {names} names")
    queries = varied_queries(dev, args.n, args.seed)
    print(f"# queries: {len(queries)} distinct strings from {args.queries}")
    from uflpa.compiled import build_label

    print(f"# in-process uflpa: {build_label()} (the package this interpreter imports)")
    from benchmarks.baselines import NomenklaturaLogic, RapidfuzzTokenSet
    from benchmarks.common import entity_key_map

    keys = entity_key_map(entities)
    builders: dict[str, Callable[[], System]] = {
        "uflpa": lambda: UflpaSystem(keys=keys),
        "rapidfuzz": lambda: BaselineSystem(
            "rapidfuzz", RapidfuzzTokenSet.from_entities(entities).match, keys
        ),
        "nk-logic-v2": lambda: BaselineSystem(
            "nk-logic-v2", NomenklaturaLogic("logic-v2", entities).match, keys
        ),
    }
    figures: dict[str, dict[str, Any]] = {}
    notes: list[str] = []
    for name, build in builders.items():
        if name == "nk-logic-v2" and (missing := nomenklatura_missing()):
            notes.append(missing)
            continue
        try:
            system, build_s = timed(build)
        except (ImportError, AttributeError) as exc:
            notes.append(f"{name} skipped: {exc}")
            continue
        sample = queries[: args.nk_n] if name == "nk-logic-v2" else queries
        seconds = time_system(system, sample)
        figures[name] = {
            "build_seconds": build_s,
            "queries": len(sample),
            "seconds": seconds,
            "qps": len(sample) / seconds if seconds else None,
        }
        print(f"# {name}: {len(sample)} queries in {seconds:.2f} s")
    for note in notes:
        print(f"# NOTE: {note}")

    uflpa_qps = figures.get("uflpa", {}).get("qps")
    rows = []
    for name, f in figures.items():
        ratio = "—"
        if uflpa_qps and name != "uflpa" and f["qps"]:
            ratio = f"{uflpa_qps / f['qps']:.1f}x"
        rows.append(
            (
                name,
                f"{f['build_seconds']:.2f}",
                str(f["queries"]),
                f"{f['seconds']:.2f}",
                f"{f['qps']:.1f}",
                ratio,
            )
        )
    out = console()
    print_table(
        "In-process speed (q/s = queries per second, one thread)",
        ("system", "build s", "queries", "seconds", "q/s", "uflpa / system"),
        rows,
        out,
    )

    screen: dict[str, Any] = {}
    if not args.no_screen:
        screen = run_screen(args, dev, figures.get("nk-logic-v2", {}).get("qps"))
    if args.json:
        payload = {
            "machine": machine_info(),
            "list": list_note,
            "queries": len(queries),
            "in_process": figures,
            "screen": screen,
            "in_process_build": build_label(),
            "notes": notes,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, indent=2), encoding="utf-8")
        print(f"# figures written to {args.json}")
    return 0


def run_screen(
    args: argparse.Namespace, dev: Sequence[DevQuery], nk_qps: float | None
) -> dict[str, Any]:
    cmd = uflpa_command()
    reason = "no `uflpa` command in this environment" if cmd is None else screen_available(cmd)
    if cmd is None or reason:
        print(f"# NOTE: screen skipped: {reason}")
        return {"skipped": reason}
    build = subprocess.run([*cmd, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"# screen command: {cmd[0]} ({build})")
    with tempfile.TemporaryDirectory(prefix="uflpa-bench-") as tmp:
        path = Path(tmp) / "parties.csv"
        rows = write_screen_file(path, dev, args.screen_n, args.seed)
        seconds, code, err = time_screen(cmd, path)
    if code != 0:
        print(f"# NOTE: `uflpa screen` exited with {code}: {err}")
        return {"rows": rows, "seconds": seconds, "exit_code": code, "stderr": err}
    qps = rows / seconds
    ratio = qps / nk_qps if nk_qps else None
    # uflpa screen reports what it screened on stderr: show it, so a run that skipped rows shows.
    summary = [line for line in err.splitlines() if "screened" in line]
    print(f"# uflpa screen said: {summary[-1] if summary else err or '(nothing)'}")
    print_table(
        "Whole process: uflpa screen FILE --format jsonl > /dev/null",
        ("rows", "wall s", "q/s", "logic-v2 q/s", "screen / logic-v2"),
        [
            (
                str(rows),
                f"{seconds:.2f}",
                f"{qps:.1f}",
                f"{nk_qps:.1f}" if nk_qps else "—",
                f"{ratio:.0f}x" if ratio else "—",
            )
        ],
        console(),
    )
    return {
        "rows": rows,
        "seconds": seconds,
        "qps": qps,
        "nk_logic_v2_qps": nk_qps,
        "ratio": ratio,
        "stderr": err,
    }


if __name__ == "__main__":
    sys.exit(main())
