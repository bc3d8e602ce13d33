"""Supply-chain tracing at scale: load time, trace time for all nodes, peak memory, and a baseline.

    .venv/bin/python -m benchmarks.trace_scale [--nodes 1000000] [--edges 5000000] [--seed 0]
        [--sample 20] [--json OUT]

1. Generates a synthetic chain (invented ids): nodes spread over 8 tiers from raw material to
   importer; most `supplies` edges go one tier down the chain, some skip tiers, and 2% run
   backwards (re-exports, so there are cycles); 20% carry start/end dates; 0.1% of the nodes of
   the two most upstream tiers are risk nodes. Written as `nodes.csv` + `edges.csv`.
2. In a fresh child process (so that `ru_maxrss` is this step's alone): `uflpa.graph.load_graph`
   (timed), then `trace` for every node on one day (timed: active-edge masks, CSR, bounded
   multi-source BFS) and every exposure path of every node extracted (timed), peak memory.
   The node screening (list matching) is not part of it: risk nodes are given, since matching a
   million invented names measures the matcher, which `benchmarks.scale` does.
3. In another child process, the baseline: networkx builds a DiGraph of the active supply edges
   (timed, peak memory), then for a random sample of nodes searches all their upstream paths
   (`nx.single_source_shortest_path` on the reversed graph, i.e. every node upstream with a path)
   and picks the risk nodes; per-node time is extrapolated to all nodes. On the same sample,
   `nx.all_simple_paths` (up to two edges longer than the shortest, capped) from each risk node
   to a few hit nodes shows why enumerating every path is not an option. The verdicts and
   nearest tiers of the sample must equal uflpa's.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

DAY = date(2024, 6, 1)
TIERS = 8
SIMPLE_CAP = 100_000
SIMPLE_BUDGET = 60.0


def generate(directory: Path, n: int, m: int, seed: int) -> dict[str, Any]:
    """Write nodes.csv and edges.csv; return the risk node indexes and generation time."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    tier = np.sort(rng.integers(0, TIERS, n))  # node i's tier: ids are grouped by tier
    bounds = np.searchsorted(tier, np.arange(TIERS + 1))
    src_tier = rng.integers(0, TIERS - 1, m)
    step = np.where(rng.random(m) < 0.85, 1, rng.integers(1, 4, m))
    backwards = rng.random(m) < 0.02
    dst_tier = np.where(backwards, src_tier, np.minimum(src_tier + step, TIERS - 1))
    src_tier = np.where(backwards, np.minimum(src_tier + 1, TIERS - 1), src_tier)

    def pick(t: np.ndarray) -> np.ndarray:
        lo, hi = bounds[t], bounds[t + 1]
        return (lo + (rng.random(len(t)) * (hi - lo)).astype(np.int64)).astype(np.int64)

    src, dst = pick(src_tier), pick(dst_tier)
    ids = np.char.add("n", np.arange(n).astype(str))
    upstream = np.flatnonzero(tier <= 1)
    risk = np.sort(rng.choice(upstream, max(1, len(upstream) // 1000), replace=False))
    dated = rng.random(m) < 0.2
    start_days = rng.integers(17000, 20000, m)  # 2016..2024
    length = rng.integers(200, 3000, m)
    start = np.where(dated, start_days.astype("datetime64[D]").astype(str), "")
    end = np.where(dated & (rng.random(m) < 0.5), (start_days + length).astype("datetime64[D]")
                   .astype(str), "")  # fmt: skip
    nodes = pa.table(
        {
            "id": ids,
            "name": np.char.add("Synthetic Firm ", np.arange(n).astype(str)),
            "country": np.where(tier <= 1, "CN", "VN"),
            "address": pa.nulls(n, pa.string()).fill_null(""),
            "identifier": pa.nulls(n, pa.string()).fill_null(""),
        }
    )
    edges = pa.table(
        {
            "source": ids[src],
            "target": ids[dst],
            "relation": pa.repeat("supplies", m) if hasattr(pa, "repeat") else ["supplies"] * m,
            "start_date": start,
            "end_date": end,
        }
    )
    options = pacsv.WriteOptions(quoting_style="needed")
    pacsv.write_csv(nodes, directory / "nodes.csv", write_options=options)
    pacsv.write_csv(edges, directory / "edges.csv", write_options=options)
    np.save(directory / "risk.npy", risk)
    return {"generate_s": time.perf_counter() - t0, "risk_nodes": len(risk)}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_uflpa(directory: Path, sample: int, seed: int) -> dict[str, Any]:
    from uflpa.graph import NodeStatus, load_graph, trace

    t0 = time.perf_counter()
    graph = load_graph(directory / "nodes.csv", directory / "edges.csv")
    load_s = time.perf_counter() - t0
    risk = np.load(directory / "risk.npy")
    hit = NodeStatus("hit", ({"rule": "synthetic-risk", "level": "hit"},))
    statuses = {int(i): hit for i in risk}
    t0 = time.perf_counter()
    traced = trace(graph, statuses, DAY, max_paths=3)
    propagate_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    reach = traced.supply
    nodes, slots = np.nonzero((reach.src >= 0) & (reach.dist > 0))
    offsets, flat = reach.paths(nodes.astype(np.int32), slots.astype(np.int32))
    paths_s = time.perf_counter() - t0
    exposed = int(np.count_nonzero(reach.count > 0))
    rng = np.random.default_rng(seed + 1)
    picked = rng.choice(graph.node_count, sample, replace=False)
    t0 = time.perf_counter()
    records = [traced.node(int(i)).to_dict() for i in picked]
    records_s = time.perf_counter() - t0
    nearest = {
        int(i): (r["verdict"], r["exposure"][0]["tier"] if r["exposure"] else 0)
        for i, r in zip(picked, records, strict=True)
    }
    return {
        "nodes": graph.node_count,
        "edges": graph.edge_count,
        "load_s": load_s,
        "trace_s": propagate_s,
        "paths_s": paths_s,
        "paths": int(len(offsets) - 1),
        "path_nodes": len(flat),
        "hit_nodes": exposed,
        "record_ms_per_node": 1000 * records_s / sample,
        "peak_mb": peak_mb(),
        "sample": nearest,
    }


def run_networkx(directory: Path, sample: int, seed: int) -> dict[str, Any]:
    import networkx as nx
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from uflpa.graph.model import day_number

    edges = pacsv.read_csv(
        directory / "edges.csv",
        convert_options=pacsv.ConvertOptions(
            column_types={c: pa.string() for c in ("start_date", "end_date")},
            strings_can_be_null=False,
        ),
    )
    n = pacsv.read_csv(directory / "nodes.csv").num_rows
    risk = {int(i) for i in np.load(directory / "risk.npy")}
    day = str(np.datetime64(day_number(DAY), "D"))
    src = np.array([int(x[1:]) for x in edges.column("source").to_pylist()])
    dst = np.array([int(x[1:]) for x in edges.column("target").to_pylist()])
    start = np.array(edges.column("start_date").to_pylist())
    end = np.array(edges.column("end_date").to_pylist())
    active = ((start == "") | (start <= day)) & ((end == "") | (end >= day))
    t0 = time.perf_counter()
    graph = nx.DiGraph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(zip(src[active].tolist(), dst[active].tolist(), strict=True))
    reverse = graph.reverse(copy=False)
    build_s = time.perf_counter() - t0
    rng = np.random.default_rng(seed + 1)
    picked = rng.choice(n, sample, replace=False)
    out: dict[int, tuple[str, int]] = {}
    t0 = time.perf_counter()
    for v in picked.tolist():
        paths = nx.single_source_shortest_path(reverse, v)
        tiers = [len(p) - 1 for r, p in paths.items() if r in risk and r != v]
        hit = v in risk or bool(tiers)
        out[v] = ("hit" if hit else "clear", min(tiers) if tiers else 0)
    upstream_s = time.perf_counter() - t0
    # All simple paths from each risk node to the first few hit nodes of the sample, up to two
    # edges longer than the shortest, at most SIMPLE_CAP paths per pair and SIMPLE_BUDGET s.
    t0 = time.perf_counter()
    enumerated, tried = 0, 0
    for v in [v for v in picked.tolist() if out[v][1] > 0][:5]:
        for r in sorted(risk):
            if r == v or time.perf_counter() - t0 > SIMPLE_BUDGET:
                continue
            tried += 1
            paths = nx.all_simple_paths(graph, r, v, cutoff=out[v][1] + 2)
            enumerated += sum(1 for _, _ in zip(range(SIMPLE_CAP), paths, strict=False))
    simple_s = time.perf_counter() - t0
    return {
        "build_s": build_s,
        "upstream_ms_per_node": 1000 * upstream_s / sample,
        "all_nodes_extrapolated_h": upstream_s / sample * n / 3600,
        "simple_paths_pairs": tried,
        "simple_paths_found": enumerated,
        "simple_paths_s": simple_s,
        "peak_mb": peak_mb(),
        "sample": out,
    }


def child(kind: str, directory: Path, sample: int, seed: int) -> dict[str, Any]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.trace_scale",
            "--child",
            kind,
            "--dir",
            str(directory),
            "--sample",
            str(sample),
            "--seed",
            str(seed),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"{kind} child failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--edges", type=int, default=5_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sample", type=int, default=20)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", choices=["uflpa", "networkx"])
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()
    if args.child:
        run = run_uflpa if args.child == "uflpa" else run_networkx
        result = run(args.dir, args.sample, args.seed)
        result["sample"] = {str(k): v for k, v in result["sample"].items()}
        sys.stdout.write(json.dumps(result) + "\n")
        return
    with tempfile.TemporaryDirectory(prefix="uflpa-trace-bench-") as tmp:
        directory = Path(tmp)
        gen = generate(directory, args.nodes, args.edges, args.seed)
        ours = child("uflpa", directory, args.sample, args.seed)
        base = child("networkx", directory, args.sample, args.seed)
    agree = sum(1 for k, v in ours["sample"].items() if tuple(base["sample"][k]) == tuple(v))
    report = {"generated": gen, "uflpa": ours, "networkx": base, "sample_agree": agree}
    lines = [
        f"synthetic chain: {ours['nodes']:,} nodes, {ours['edges']:,} edges, "
        f"{gen['risk_nodes']} risk nodes (generated in {gen['generate_s']:.1f} s)",
        f"uflpa   load (CSV pair, validated)   {ours['load_s']:8.2f} s",
        f"uflpa   trace all nodes (BFS, k=3)   {ours['trace_s']:8.2f} s   "
        f"-> {ours['hit_nodes']:,} nodes hit",
        f"uflpa   extract every exposure path  {ours['paths_s']:8.2f} s   "
        f"-> {ours['paths']:,} paths, {ours['path_nodes']:,} path nodes",
        f"uflpa   node record (dict)           {ours['record_ms_per_node']:8.3f} ms/node",
        f"uflpa   peak memory                  {ours['peak_mb']:8.0f} MB",
        f"networkx build DiGraph (active)      {base['build_s']:8.2f} s",
        f"networkx upstream search per node    {base['upstream_ms_per_node']:8.1f} ms/node "
        f"(sample {args.sample}) -> all nodes ~{base['all_nodes_extrapolated_h']:.1f} h",
        f"networkx all_simple_paths (tier + 2) {base['simple_paths_s']:8.2f} s for "
        f"{base['simple_paths_pairs']} (risk, node) pairs, {base['simple_paths_found']:,} paths",
        f"networkx peak memory                 {base['peak_mb']:8.0f} MB",
        f"sample verdict + nearest tier equal  {agree}/{args.sample}",
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
