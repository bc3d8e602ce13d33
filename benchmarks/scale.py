"""uflpa's candidate index and matcher over large lists: build time, peak memory, speed, recall.

    .venv/bin/python -m benchmarks.scale [--sizes 10000,100000,1000000] [--seed 0] [--json OUT]

For each size a fresh child process (so that `ru_maxrss`, the peak resident set, belongs to that
size alone; tracemalloc is too slow at a million names):

1. generates `size` invented company names (`benchmarks.synthetic_names`: each company has its
   English name, its Han name and its pinyin, so entities = size / 3), trade names that occur in
   the real list left out, and plants the 152 real UFLPA entities among them (one `ListVersion`);
2. builds `uflpa.match.Matcher` over it (timed: name analysis + candidate index);
3. screens every dev-set query (q/s), and measures index recall: the share of dev `match` rows
   whose expected entity is among `Matcher.candidates(name)` (or, without that method, among
   `match(..., top_k=10)`); it also scores the dev set at that size (precision drops if the
   distractors draw hits);
4. times rapidfuzz token-set brute force on the same names, on a sample of queries at large sizes.

Targets from the issue (for information): 1M names built in < 5 min, peak < 4 GB, >= 200 q/s,
index recall >= 0.99.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    DEV_QUERIES,
    NAMES_ZH_CSV,
    DevQuery,
    Outcome,
    console,
    entity_key_map,
    fmt,
    load_list_entities,
    load_queries,
    machine_header,
    machine_info,
    print_table,
    quality_figures,
)
from uflpa.model import ListedEntity, ListVersion
from uflpa.text.script import HAN_CHARS

TARGETS = {"build_seconds": 300.0, "peak_mb": 4096.0, "qps": 200.0, "index_recall": 0.99}
_HAN = re.compile(f"[{HAN_CHARS}]+")
_WORD = re.compile(r"[a-z0-9]+")


def peak_mb() -> float:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def real_trade_keys(entities: Iterable[ListedEntity]) -> set[str]:
    """Latin words and Han bigrams of the real list, so no invented trade name copies one."""
    keys: set[str] = set()
    texts = [n for e in entities for n in e.all_names()]
    if NAMES_ZH_CSV.exists():
        texts += NAMES_ZH_CSV.read_text(encoding="utf-8").splitlines()
    for text in texts:
        keys.update(_WORD.findall(text.lower()))
        for run in _HAN.findall(text):
            keys.update(run[i : i + 2] for i in range(len(run) - 1))
    return keys


def synthetic_entities(n_names: int, seed: int, exclude: set[str]) -> list[ListedEntity]:
    from benchmarks.synthetic_names import CompanyNames

    gen = CompanyNames(seed, exclude)
    n_companies = -(-n_names // 3)
    return [
        ListedEntity(
            id=c.id,
            name=c.english,
            list_name="synthetic",
            aliases=(c.han, c.pinyin),
            country="cn",
        )
        for c in gen.companies(n_companies)
    ]


def child(size: int, seed: int, queries_path: Path, out: Path) -> None:
    """One size, in its own process; writes its figures as JSON to `out`."""
    fig: dict[str, Any] = {"size": size, "peak_mb_start": peak_mb()}
    real, _ = load_list_entities()
    keys = entity_key_map(real)
    dev = load_queries(queries_path)

    t = time.perf_counter()
    entities = synthetic_entities(size, seed, real_trade_keys(real)) + list(real)
    fig["generate_seconds"] = time.perf_counter() - t
    fig["entities"] = len(entities)
    fig["names"] = sum(len(e.all_names()) for e in entities)
    fig["peak_mb_generated"] = peak_mb()

    try:
        from uflpa.match import Matcher
    except ImportError as exc:
        fig["uflpa_skipped"] = f"uflpa Matcher not available: {exc}"
    else:
        t = time.perf_counter()
        # A fixed content hash: hashing a million entities is list ingestion, not index build.
        version = ListVersion(
            list_name="us-dhs-uflpa+synthetic",
            source="benchmark",
            origin=f"synthetic seed={seed} size={size}",
            retrieved_at=datetime.now(UTC),
            entities=tuple(entities),
            content_hash=f"synthetic-{seed}-{size}",
        )
        matcher = Matcher([version])
        fig["build_seconds"] = time.perf_counter() - t
        fig["peak_mb_built"] = peak_mb()
        fig.update(_screen(matcher, dev, keys))
        fig["peak_mb"] = peak_mb()
        del matcher, version

    fig.update(_rapidfuzz(entities, dev, size))
    out.write_text(json.dumps(fig), encoding="utf-8")


def _screen(matcher: Any, dev: Sequence[DevQuery], keys: dict[str, str]) -> dict[str, Any]:
    def key(entity_id: str) -> str:
        return keys.get(entity_id, entity_id)

    rows: list[tuple[DevQuery, Outcome]] = []
    start = time.perf_counter()
    for q in dev:
        results = matcher.match(
            q.name,
            country=q.country or None,
            address=q.address or None,
            identifiers=[q.identifier] if q.identifier else None,
        )
        best = results[0] if results else None
        rows.append(
            (
                q,
                Outcome(best.verdict, key(best.entity_id), float(best.score))
                if best
                else Outcome("clear", None, 0.0),
            )
        )
    seconds = time.perf_counter() - start
    positives = [q for q in dev if q.label == "match"]
    if hasattr(matcher, "candidates"):
        method = "Matcher.candidates(name)"
        found = sum(
            q.expected_entity_id in {key(c) for c in matcher.candidates(q.name)} for q in positives
        )
    else:
        method = "match(..., top_k=10)"
        found = sum(
            q.expected_entity_id
            in {
                key(r.entity_id) for r in matcher.match(q.name, country=q.country or None, top_k=10)
            }
            for q in positives
        )
    quality = quality_figures(rows)
    return {
        "queries": len(dev),
        "query_seconds": seconds,
        "qps": len(dev) / seconds if seconds else None,
        "index_recall": found / len(positives) if positives else None,
        "index_recall_method": method,
        "index_missed": len(positives) - found,
        "dev_precision": quality.precision,
        "dev_recall": quality.recall,
        "dev_f1": quality.f1,
    }


def _rapidfuzz(
    entities: Sequence[ListedEntity], dev: Sequence[DevQuery], size: int
) -> dict[str, Any]:
    from benchmarks.baselines import RapidfuzzTokenSet

    t = time.perf_counter()
    rf = RapidfuzzTokenSet.from_entities(entities)
    build = time.perf_counter() - t
    # Brute force costs grow with the list: sample fewer queries as it grows (at least 20).
    n = min(len(dev), max(20, 5_000_000 // max(size, 1)))
    sample = dev[:: max(1, len(dev) // n)][:n]
    start = time.perf_counter()
    for q in sample:
        rf.match(q.name)
    seconds = time.perf_counter() - start
    return {
        "rf_build_seconds": build,
        "rf_queries": len(sample),
        "rf_qps": len(sample) / seconds if seconds else None,
    }


def run_size(size: int, seed: int, queries: Path, timeout: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="uflpa-scale-") as tmp:
        out = Path(tmp) / "figures.json"
        cmd = [
            sys.executable,
            "-m",
            "benchmarks.scale",
            "--child",
            str(size),
            "--seed",
            str(seed),
            "--queries",
            str(queries),
            "--child-out",
            str(out),
        ]
        start = time.perf_counter()
        try:
            proc = subprocess.run(
                cmd,
                cwd=Path(__file__).resolve().parent.parent,
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return {"size": size, "error": f"timed out after {timeout:.0f} s"}
        wall = time.perf_counter() - start
        if proc.returncode != 0 or not out.exists():
            return {"size": size, "error": proc.stderr.strip()[-800:] or f"exit {proc.returncode}"}
        fig: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        fig["child_wall_seconds"] = wall
        return fig


def _mark(value: float | None, target: float, higher_is_better: bool) -> str:
    if value is None:
        return ""
    ok = value >= target if higher_is_better else value <= target
    return "" if ok else " (!)"


def print_results(results: Sequence[dict[str, Any]]) -> None:
    rows = []
    for f in results:
        if "error" in f:
            rows.append((f"{f['size']:,}", "error: " + f["error"], *[""] * 12))
            continue
        ratio = "—"
        if f.get("qps") and f.get("rf_qps"):
            ratio = f"{f['qps'] / f['rf_qps']:.0f}x"
        rows.append(
            (
                f"{f['size']:,}",
                f"{f['entities']:,}",
                f"{f['generate_seconds']:.1f}",
                fmt(f.get("build_seconds"), 1) + _mark(f.get("build_seconds"), 300, False),
                f"{f['peak_mb_generated']:.0f}",
                fmt(f.get("peak_mb"), 0) + _mark(f.get("peak_mb"), 4096, False),
                fmt(f.get("qps"), 1) + _mark(f.get("qps"), 200, True),
                fmt(f.get("index_recall")) + _mark(f.get("index_recall"), 0.99, True),
                fmt(f.get("dev_precision")),
                fmt(f.get("dev_recall")),
                fmt(f.get("dev_f1")),
                f"{fmt(f.get('rf_qps'), 2)} ({f['rf_queries']})",
                ratio,
                f.get("uflpa_skipped", ""),
            )
        )
    print_table(
        "Scale (one process per size; (!) = misses the issue's target at that size)",
        (
            "names",
            "entities",
            "gen s",
            "build s",
            "MB after gen",
            "peak MB",
            "q/s",
            "index recall",
            "dev P",
            "dev R",
            "dev F1",
            "rapidfuzz q/s (n)",
            "uflpa / rf",
            "note",
        ),
        rows,
        console(),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="uflpa index + matcher at 10k-1M names")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--queries", type=Path, default=DEV_QUERIES)
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per size")
    parser.add_argument("--json", type=Path, metavar="OUT")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        child(args.child, args.seed, args.queries, args.child_out)
        return 0

    print(machine_header("uflpa benchmark: scale (synthetic lists + the real UFLPA entities)"))
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    print(f"# sizes (names): {sizes}; seed {args.seed}; queries {args.queries}")
    print(f"# targets at 1M: {TARGETS}")
    results = []
    for size in sizes:
        print(f"# running {size:,} names ...", flush=True)
        results.append(run_size(size, args.seed, args.queries, args.timeout))
        f = results[-1]
        if "error" not in f and f.get("index_recall_method"):
            print(f"#   index recall via {f['index_recall_method']}; missed {f['index_missed']}")
    print_results(results)
    if args.json:
        payload = {"machine": machine_info(), "targets": TARGETS, "results": results}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, indent=2), encoding="utf-8")
        print(f"# figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
