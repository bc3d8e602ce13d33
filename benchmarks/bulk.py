"""Bulk screening of a large shipment file, whole process, engine by engine.

    .venv/bin/python -m benchmarks.bulk [--rows 1000000] [--suppliers 50000] [--seed 0]
        [--engines rows,local1,local,spark] [--baseline-rows 100000] [--keep DIR] [--json OUT]

1. The input: `benchmarks.bulk_data.write_shipments` (a deterministic shipment file: ~`suppliers`
   distinct parties drawn Zipf-like in mixed scripts, 2 % listed, 3 % Xinjiang, planted bad rows),
   reused from `--keep DIR` when it is there. The `rows` engine gets the first `--baseline-rows`
   rows only (a prefix of the same file: the same ids and row numbers).
2. Each engine runs once as a whole process, the console script of this interpreter's environment
   (`benchmarks.common.uflpa_command`), with a new, not yet existing `UFLPA_HOME` and its output
   to a file in a temporary directory:

   | engine | command |
   |---|---|
   | rows   | `uflpa screen FILE --engine rows --output OUT.jsonl` (today's row-by-row path) |
   | local1 | `uflpa screen FILE --engine local --workers 1 --output OUT.jsonl` |
   | local  | `uflpa screen FILE --engine local --output OUT.jsonl` (all cores) |
   | spark  | `uflpa screen FILE --engine spark --master local[2] --output OUT.parquet` |

   While `uflpa screen` has no `--engine`, `rows` runs plain `uflpa screen FILE --output
   OUT.jsonl` (said in a note) and the others report "not available: <stderr's last line>".
   `spark` is skipped when pyspark is not importable by the console script's interpreter.
3. Measured per run: wall seconds (the child alone, from start to exit), CPU seconds (user + sys
   of the child and its descendants), and peak memory three ways: `ru_maxrss` of
   `getrusage(RUSAGE_CHILDREN)` taken in a fresh wrapper process around the one run (the largest
   single process of the run, exact), and the sums of the RSS and of the PSS of the run's whole
   process tree sampled every 0.2 s from /proc (workers and a JVM included; a spike shorter than
   0.2 s can be missed). RSS counts the pages forked workers share with their parent (the
   matcher, built once before the fork) once in each process, an upper bound; PSS divides each
   shared page among its sharers, so its sum is what the run holds. The memory target uses the
   larger of `ru_maxrss` and the PSS sum (the RSS sum where /proc has no smaps_rollup).
4. Checked: every input row is accounted for (output lines = input rows; error lines = the
   planted rows that cannot be screened), the distinct-party count (computed here from the file:
   distinct (name, address, country, identifier) over the four role columns, and the engine's
   own count when its stderr summary gives one), parity of the outputs against the reference
   engine (`local`, else the first full-file engine that ran: lines compared byte for byte,
   verdicts and reasons row by row; Parquet through its `record` column), and the issue's targets.

Exit code 0 whatever the figures (a benchmark, not a test).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console

from benchmarks.bulk_data import ROLE_COLUMNS, describe, write_prefix, write_shipments
from benchmarks.common import console, machine_header, machine_info, print_table, uflpa_command

ENGINES = ("rows", "local1", "local", "spark")
FULL_FILE_ENGINES = ("local", "local1", "spark")  # the reference is the first of these that ran
TARGET_ROWS = 1_000_000
TARGET_SECONDS = 60.0
TARGET_RSS_MB = 2048.0
SPARK_WITHIN = 3.0
SPEEDUP = 10.0
SAMPLE_SECONDS = 0.2
VERDICT_ORDER = {"hit": 0, "review": 1, "clear": 2, "error": 3}
PAGE = os.sysconf("SC_PAGE_SIZE")

# Runs one command in this fresh process, so that RUSAGE_CHILDREN covers that run alone; prints
# wall seconds, exit code, ru_maxrss (KiB on Linux) and CPU seconds as one JSON line.
WRAPPER = """
import json, resource, subprocess, sys, time
argv = json.loads(sys.argv[1])
with open(sys.argv[2], "wb") as err:
    start = time.perf_counter()
    proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
    wall = time.perf_counter() - start
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "exit_code": proc.returncode, "maxrss_kib": ru.ru_maxrss,
                  "cpu": ru.ru_utime + ru.ru_stime}))
"""


@dataclass
class Run:
    """One engine's run on one input file, and what it gave."""

    engine: str
    input: str
    rows: int
    argv: list[str] = field(default_factory=list)
    output: str = ""
    status: str = "not run"  # ok | not available: ... | skipped: ...
    note: str = ""
    wall: float | None = None
    cpu: float | None = None
    maxrss_mb: float | None = None
    tree_peak_mb: float | None = None
    tree_pss_mb: float | None = None
    exit_code: int | None = None
    stderr_tail: str = ""
    summary: str = ""
    timing: str = ""  # the engine's own `engine:`, `phases:` and `time:` lines
    engine_parties: int | None = None
    engine_parties_line: str = ""
    accounting: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def rows_per_s(self) -> float | None:
        return self.rows / self.wall if self.ok and self.wall else None

    @property
    def peak_mb(self) -> float | None:
        """The larger of the largest process and the tree's proportional sum (PSS), where
        /proc gives PSS; else the larger of the largest process and the RSS sum."""
        tree = self.tree_pss_mb if self.tree_pss_mb is not None else self.tree_peak_mb
        values = [v for v in (self.maxrss_mb, tree) if v is not None]
        return max(values) if values else None


# --------------------------------------------------------------------------- processes


def _process_tree() -> dict[int, list[tuple[int, int]]]:
    """Every process's children with their RSS in bytes, from /proc/*/stat."""
    children: dict[int, list[tuple[int, int]]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append((int(name), int(fields[21]) * PAGE))
    return children


def tree_rss(root: int) -> tuple[int, int]:
    """The summed RSS and PSS (bytes) of every descendant of `root` (not `root` itself).

    RSS counts a page shared by forked workers (the matcher, built once before the fork) once
    in each process: an upper bound. PSS divides each shared page among the processes that
    share it, so the tree's PSS sum is the memory the run really holds."""
    children = _process_tree()
    total, pss, stack = 0, 0, [root]
    while stack:
        for pid, rss in children.get(stack.pop(), ()):
            total += rss
            pss += _pss(pid, rss)
            stack.append(pid)
    return total, pss


def _pss(pid: int, rss: int) -> int:
    """The PSS of `pid` in bytes (its RSS when smaps_rollup cannot be read)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return rss


def measure(argv: list[str], env: dict[str, str], cwd: Path, timeout: float) -> dict[str, Any]:
    """Run `argv` under the wrapper; wall, exit code, ru_maxrss, CPU and the sampled tree peak.

    The wrapper (a small Python) is left out of the tree sum; its children are the run."""
    err_path = cwd / "stderr.txt"
    wrapper = subprocess.Popen(
        [sys.executable, "-c", WRAPPER, json.dumps(argv), str(err_path)],
        stdout=subprocess.PIPE,
        cwd=cwd,
        env=env,
    )
    peak = peak_pss = 0
    deadline = time.monotonic() + timeout
    timed_out = False
    while wrapper.poll() is None:
        if os.path.isdir("/proc"):
            rss, pss = tree_rss(wrapper.pid)
            peak, peak_pss = max(peak, rss), max(peak_pss, pss)
        if time.monotonic() > deadline:
            timed_out = True
            _kill_tree(wrapper.pid)
            break
        time.sleep(SAMPLE_SECONDS)
    out, _ = wrapper.communicate()
    stderr = err_path.read_text(encoding="utf-8", errors="replace") if err_path.exists() else ""
    try:
        said: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    except (IndexError, ValueError):
        said = {"wall": None, "exit_code": wrapper.returncode, "maxrss_kib": None, "cpu": None}
    if timed_out:
        said["exit_code"] = -9
        stderr += f"\n(killed after the --timeout of {timeout:.0f} s)"
    said["tree_peak_bytes"] = peak or None
    said["tree_pss_bytes"] = peak_pss or None
    said["stderr"] = stderr
    return said


def _kill_tree(root: int) -> None:
    """Kill the wrapper's descendants, then the wrapper: only processes this run started."""
    children = _process_tree()
    order, stack = [], [root]
    while stack:
        pid = stack.pop()
        order.append(pid)
        stack.extend(child for child, _ in children.get(pid, ()))
    for pid in reversed(order):
        with contextlib.suppress(OSError):
            os.kill(pid, 9)


def interpreter_of(script: str) -> str:
    """The Python a console script runs under (its shebang), else this one."""
    try:
        with open(script, "rb") as fh:
            first = fh.readline().decode("utf-8", "replace").strip()
    except OSError:
        return sys.executable
    if first.startswith("#!") and "python" in first:
        return first[2:].strip().split()[0]
    return sys.executable


def pyspark_missing(cmd: list[str]) -> str | None:
    """None when the console script's interpreter can import pyspark, else why not."""
    python = interpreter_of(cmd[0])
    proc = subprocess.run(
        [
            python,
            "-c",
            "import importlib.util, sys; sys.exit(not importlib.util.find_spec('pyspark'))",
        ],
        capture_output=True,
    )
    return None if proc.returncode == 0 else f"pyspark is not importable by {python}"


def screen_options(cmd: list[str]) -> str:
    """The text of `uflpa screen --help` ('' when the command fails)."""
    proc = subprocess.run([*cmd, "screen", "--help"], capture_output=True, text=True)
    return proc.stdout if proc.returncode == 0 else ""


def engine_argv(
    cmd: list[str], engine: str, path: Path, out: Path, has_engine: bool
) -> tuple[list[str], str]:
    """The command line of one engine, and a note when it is not the intended one."""
    base = [*cmd, "screen", str(path)]
    if engine == "rows":
        if not has_engine:
            return (
                [*base, "--output", str(out)],
                "`uflpa screen` has no --engine yet: ran plain `uflpa screen FILE --output"
                " OUT.jsonl` (today's row-by-row path)",
            )
        return [*base, "--engine", "rows", "--output", str(out)], ""
    if engine == "local1":
        return [*base, "--engine", "local", "--workers", "1", "--output", str(out)], ""
    if engine == "local":
        return [*base, "--engine", "local", "--output", str(out)], ""
    return [*base, "--engine", "spark", "--master", "local[2]", "--output", str(out)], ""


# --------------------------------------------------------------------------- outputs


_ROW = re.compile(rb'"row":\s*(\d+)')
_VERDICT = re.compile(rb'"verdict":\s*"([a-z_]+)"')


def output_lines(path: Path) -> Iterator[bytes]:
    """The JSON lines of an output: a JSONL file's lines, or a Parquet file's `record` column."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        reader = pq.ParquetFile(str(path))
        for batch in reader.iter_batches(columns=["record"], batch_size=50_000):
            for value in batch.column(0).to_pylist():
                yield (value or "").encode("utf-8")
        return
    with path.open("rb") as fh:
        for line in fh:
            yield line.rstrip(b"\r\n")


def account(path: Path) -> dict[str, Any]:
    """Output lines, verdicts (error lines are the rows reported as not screened), row order."""
    verdicts: Counter[str] = Counter()
    lines = 0
    last_row = 0
    in_order = True
    for line in output_lines(path):
        lines += 1
        verdict = _VERDICT.search(line)
        verdicts[verdict.group(1).decode() if verdict else "(none)"] += 1
        row = _ROW.search(line)
        number = int(row.group(1)) if row else 0
        in_order = in_order and number > last_row
        last_row = number
    return {"lines": lines, "verdicts": dict(verdicts.most_common()), "in_row_order": in_order}


def _row_of(line: bytes) -> int:
    found = _ROW.search(line)
    return int(found.group(1)) if found else -1


def compare(
    reference: Path,
    other: Path,
    max_row: int | None = None,
    examples: int = 3,
    ignore_file: bool = False,
) -> dict[str, Any]:
    """Row by row: lines identical, lines differing, rows whose verdict or reasons differ, rows
    present on one side only, and which top-level keys differ (with examples).

    Rows are matched by row number (a merge of two outputs in row order; otherwise both are held
    in memory). `max_row` limits the comparison to rows up to that file line (a prefix run).
    With `ignore_file` (two runs on different input files), lines that differ only in `file`
    (the input path an unscreenable row names) are counted apart, as `file_only`."""
    ref_lines = _limited(output_lines(reference), max_row)
    other_lines = _limited(output_lines(other), max_row)
    result: dict[str, Any] = {
        "reference_lines": 0,
        "other_lines": 0,
        "identical": 0,
        "differing": 0,
        "file_only": 0,
        "verdict_differs": 0,
        "reasons_differ": 0,
        "only_reference": 0,
        "only_other": 0,
        "verdict_changes": Counter(),
        "keys_differing": Counter(),
        "examples": [],
    }
    if _in_row_order(reference) and _in_row_order(other):
        pairs = _merge(ref_lines, other_lines, result)
    else:
        result["note"] = "an output is not in row order: lines paired by row in memory"
        pairs = _pair_in_memory(ref_lines, other_lines, result)
    for ref, oth in pairs:
        if ref is None:
            result["only_other"] += 1
            continue
        if oth is None:
            result["only_reference"] += 1
            continue
        if ref == oth:
            result["identical"] += 1
            continue
        a, b = json.loads(ref), json.loads(oth)
        keys = [k for k in sorted(set(a) | set(b)) if a.get(k, "<absent>") != b.get(k, "<absent>")]
        if keys == ["file"] and ignore_file:
            result["file_only"] += 1  # an unreadable row names its input file: the prefix's
            continue
        result["differing"] += 1
        if a.get("verdict") != b.get("verdict"):
            result["verdict_differs"] += 1
            result["verdict_changes"][f"{a.get('verdict')}→{b.get('verdict')}"] += 1
        if a.get("reasons") != b.get("reasons"):
            result["reasons_differ"] += 1
        result["keys_differing"].update(keys)
        if len(result["examples"]) < examples:
            shown = {k: [a.get(k, "<absent>"), b.get(k, "<absent>")] for k in keys[:3]}
            text = json.dumps(shown, ensure_ascii=False)
            result["examples"].append(
                f"row {a.get('row')} {a.get('id')}: "
                + (text if len(text) < 300 else text[:297] + "...")
            )
    result["verdict_changes"] = dict(result["verdict_changes"].most_common())
    result["keys_differing"] = dict(result["keys_differing"].most_common())
    return result


def _limited(lines: Iterator[bytes], max_row: int | None) -> Iterator[bytes]:
    for line in lines:
        if max_row is None or _row_of(line) <= max_row:
            yield line


def _in_row_order(path: Path) -> bool:
    last = 0
    for line in output_lines(path):
        row = _row_of(line)
        if row <= last:
            return False
        last = row
    return True


def _merge(
    ref: Iterator[bytes], other: Iterator[bytes], result: dict[str, Any]
) -> Iterator[tuple[bytes | None, bytes | None]]:
    """Pairs of lines with the same row number, merging two outputs that are in row order."""
    a, b = next(ref, None), next(other, None)
    while a is not None or b is not None:
        ra = _row_of(a) if a is not None else None
        rb = _row_of(b) if b is not None else None
        if rb is None or (ra is not None and ra < rb):
            result["reference_lines"] += 1
            yield a, None
            a = next(ref, None)
        elif ra is None or rb < ra:
            result["other_lines"] += 1
            yield None, b
            b = next(other, None)
        else:
            result["reference_lines"] += 1
            result["other_lines"] += 1
            yield a, b
            a, b = next(ref, None), next(other, None)


def _pair_in_memory(
    ref: Iterator[bytes], other: Iterator[bytes], result: dict[str, Any]
) -> Iterator[tuple[bytes | None, bytes | None]]:
    """Pairs by row number of outputs held in memory (for outputs not in row order)."""
    sides: list[dict[int, bytes]] = [{}, {}]
    for side, lines, key in ((0, ref, "reference_lines"), (1, other, "other_lines")):
        for line in lines:
            result[key] += 1
            sides[side][_row_of(line)] = line
    for row in sorted(set(sides[0]) | set(sides[1])):
        yield sides[0].get(row), sides[1].get(row)


# --------------------------------------------------------------------------- the input


def distinct_parties(path: Path, prefix_rows: int) -> tuple[int, int, int]:
    """Distinct (name, address, country, identifier) over the role columns, of the whole file and
    of its first `prefix_rows` rows, and the rows skipped for a wrong field count. A role counts
    when its name or address is non-empty (as screening reads a party); values are stripped."""
    import csv

    seen: set[tuple[str, ...]] = set()
    in_prefix = 0
    skipped = 0
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        index = {h: i for i, h in enumerate(header)}
        roles = [tuple(index.get(c, -1) for c in columns) for columns in ROLE_COLUMNS.values()]
        width = len(header)
        for n, row in enumerate(reader, start=1):
            if len(row) == width:
                for columns in roles:
                    party = tuple(row[i].strip() if i >= 0 else "" for i in columns)
                    if party[0] or party[1]:
                        seen.add(party)
            else:
                skipped += 1
            if n == prefix_rows:
                in_prefix = len(seen)
    return len(seen), in_prefix or len(seen), skipped


def prepare_input(args: argparse.Namespace, work: Path) -> tuple[Path, dict[str, Any]]:
    """The shipment file and its counts: reused from --keep when there, else written."""
    stem = f"bulk-r{args.rows}-s{args.suppliers}-seed{args.seed}"
    folder = args.keep if args.keep else work
    folder.mkdir(parents=True, exist_ok=True)
    path, meta = folder / f"{stem}.csv", folder / f"{stem}.json"
    if args.keep and path.exists() and meta.exists():
        counts: dict[str, Any] = json.loads(meta.read_text(encoding="utf-8"))
        counts["reused"] = True
        return path, counts
    counts = write_shipments(path, args.rows, args.suppliers, args.seed)
    meta.write_text(json.dumps(counts, indent=2, ensure_ascii=False), encoding="utf-8")
    counts["reused"] = False
    return path, counts


# --------------------------------------------------------------------------- engine summaries

_SCREENED = re.compile(
    r"screened ([\d,]+) row\(s\).*?hit ([\d,]+), review ([\d,]+), clear ([\d,]+)"
    r"(?:; rows not screened ([\d,]+))?"
)
_PARTIES = (
    re.compile(r"([\d,]+)\s+(?:distinct|unique)\s+part(?:y|ies)", re.IGNORECASE),
    re.compile(r"(?:distinct|unique)\s+part(?:y|ies)[^\d\n]{0,20}([\d,]+)", re.IGNORECASE),
)


def read_summary(run: Run, stderr: str) -> None:
    """What the engine said on stderr: its summary line and, when given, its party count."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    said = [line for line in lines if _SCREENED.search(line)]
    run.summary = said[-1] if said else ""
    run.timing = " | ".join(
        line for line in lines if line.startswith(("engine:", "phases:", "time:"))
    )
    for line in lines:
        for pattern in _PARTIES:
            found = pattern.search(line)
            if found:
                run.engine_parties = int(found.group(1).replace(",", ""))
                run.engine_parties_line = line
                return


def summary_counts(summary: str) -> dict[str, int] | None:
    found = _SCREENED.search(summary)
    if not found:
        return None
    n = [int(g.replace(",", "")) if g else 0 for g in found.groups()]
    return {"screened": n[0], "hit": n[1], "review": n[2], "clear": n[3], "not_screened": n[4]}


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="uflpa screen of a large shipment file, by engine")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--suppliers", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--engines", default=",".join(ENGINES), help="comma list of " + ",".join(ENGINES)
    )
    parser.add_argument(
        "--baseline-rows", type=int, default=100_000, help="rows the `rows` engine screens"
    )
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep and reuse the input here")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per run")
    parser.add_argument("--json", type=Path, metavar="OUT")
    args = parser.parse_args(argv)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = [e for e in engines if e not in ENGINES]
    if unknown or not engines:
        parser.error(f"unknown engine(s) {', '.join(unknown)}; choose from {', '.join(ENGINES)}")
    if args.rows < 1 or args.baseline_rows < 1 or args.suppliers < 100:
        parser.error("--rows and --baseline-rows must be >= 1, --suppliers >= 100")
    args.baseline_rows = min(args.baseline_rows, args.rows)
    if args.keep:
        args.keep = args.keep.resolve()

    print(
        machine_header("uflpa benchmark: bulk screening of a large shipment file (whole process)")
    )
    print(f"# load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    cmd = uflpa_command()
    if cmd is None:
        print("# ERROR: no `uflpa` command in this environment")
        return 0
    build = subprocess.run([*cmd, "--version"], capture_output=True, text=True).stdout.strip()
    help_text = screen_options(cmd)
    has_engine = "--engine" in help_text
    print(f"# uflpa: {cmd[0]} ({build}); `uflpa screen --engine`: {'yes' if has_engine else 'no'}")
    notes: list[str] = []

    with tempfile.TemporaryDirectory(prefix="uflpa-bulk-") as tmp:
        work = Path(tmp)
        start = time.perf_counter()
        path, counts = prepare_input(args, work)
        how = (
            "reused" if counts.get("reused") else f"written in {time.perf_counter() - start:.1f} s"
        )
        print(f"# input: {path} ({how})")
        for line in describe(counts):
            print(f"#   {line}")
        baseline_path = path
        if "rows" in engines and args.baseline_rows < args.rows:
            baseline_path = path.with_name(f"{path.stem}-first{args.baseline_rows}.csv")
            if not (args.keep and baseline_path.exists()):
                write_prefix(path, baseline_path, args.baseline_rows)
            print(f"# rows engine input: {baseline_path} (the first {args.baseline_rows:,} rows)")
        start = time.perf_counter()
        parties, parties_prefix, skipped = distinct_parties(path, args.baseline_rows)
        print(
            "# distinct parties (name, address, country, identifier over"
            f" {', '.join(ROLE_COLUMNS)}), counted here: {parties:,} in the file,"
            f" {parties_prefix:,} in its first {args.baseline_rows:,} rows ({skipped} rows of the"
            f" wrong width skipped; {time.perf_counter() - start:.1f} s)"
        )
        sys.stdout.flush()

        runs = run_engines(args, engines, cmd, has_engine, path, baseline_path, counts, work, notes)
        print(f"# load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        out = console()
        print_runs(runs, args.rows, out)
        print_accounting(runs, parties, parties_prefix, out)
        parity = check_parity(runs, args.baseline_rows, out)
        targets = print_targets(runs, args.rows, out)
    for note in notes:
        print(f"# NOTE: {note}")

    if args.json:
        payload = {
            "machine": machine_info(),
            "build": build,
            "has_engine_option": has_engine,
            "input": counts,
            "distinct_parties": {"file": parties, "baseline_prefix": parties_prefix},
            "runs": [asdict(r) | {"rows_per_s": r.rows_per_s, "peak_mb": r.peak_mb} for r in runs],
            "parity": parity,
            "targets": targets,
            "notes": notes,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"# figures written to {args.json}")
    return 0


def run_engines(
    args: argparse.Namespace,
    engines: Sequence[str],
    cmd: list[str],
    has_engine: bool,
    path: Path,
    baseline_path: Path,
    counts: dict[str, Any],
    work: Path,
    notes: list[str],
) -> list[Run]:
    runs = []
    bad_rows = counts.get("bad_rows", {})
    for engine in engines:
        prefix = engine == "rows"
        rows = args.baseline_rows if prefix else args.rows
        last_line = rows + 1  # the file's line number of the last data row
        expected_errors = sum(
            1
            for kind in ("extra_field", "no_party")
            for line in bad_rows.get(kind, [])
            if line <= last_line
        )
        run = Run(engine=engine, input=str(baseline_path if prefix else path), rows=rows)
        run.accounting["expected_errors"] = expected_errors
        runs.append(run)
        if engine == "spark" and (missing := pyspark_missing(cmd)):
            run.status = f"skipped: {missing}"
            notes.append(f"spark skipped: {missing}")
            continue
        folder = work / f"run-{engine}"
        folder.mkdir()
        output = folder / ("out.parquet" if engine == "spark" else "out.jsonl")
        run.argv, note = engine_argv(cmd, engine, Path(run.input), output, has_engine)
        if note:
            run.note = note
            notes.append(f"{engine}: {note}")
        env = dict(os.environ, UFLPA_HOME=str(folder / "home"))
        said = measure(run.argv, env, folder, args.timeout)
        run.exit_code = said["exit_code"]
        run.wall = said["wall"]
        run.cpu = said["cpu"]
        run.maxrss_mb = said["maxrss_kib"] / 1024 if said["maxrss_kib"] else None
        run.tree_peak_mb = said["tree_peak_bytes"] / 2**20 if said["tree_peak_bytes"] else None
        run.tree_pss_mb = said["tree_pss_bytes"] / 2**20 if said["tree_pss_bytes"] else None
        stderr = said["stderr"]
        run.stderr_tail = stderr[-2000:]
        read_summary(run, stderr)
        if run.exit_code == 0 and output.exists():
            run.status = "ok"
            run.output = str(output)
            run.accounting.update(account(output))
        else:
            tail = [line.strip() for line in stderr.splitlines() if line.strip()]
            run.status = f"not available: {tail[-1] if tail else f'exit {run.exit_code}'}"
            if run.exit_code == 0:
                run.status = "not available: exit 0 but no output file"
        wall = f"{run.wall:.2f} s" if run.wall is not None else "—"
        print(f"# run {engine}: {run.status} ({wall}, exit {run.exit_code}); {' '.join(run.argv)}")
        if run.summary:
            print(f"#   uflpa said: {run.summary}")
        if run.timing:
            print(f"#   uflpa said: {run.timing}")
        sys.stdout.flush()
    return runs


def _f(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def print_runs(runs: Sequence[Run], total_rows: int, out: Console) -> None:
    base = next((r for r in runs if r.engine == "rows" and r.ok), None)
    base_rate = base.rows_per_s if base else None
    rows = []
    for r in runs:
        rate = r.rows_per_s
        speedup = f"{rate / base_rate:.1f}x" if rate and base_rate else "—"
        projected = "—"
        if r.ok and r.wall and r.rows < total_rows:
            projected = _f(r.wall * total_rows / r.rows, 0)
        rows.append(
            [
                r.engine,
                f"{r.rows:,}",
                _f(r.wall) if r.ok else "—",
                _f(rate, 0),
                _f(r.cpu) if r.ok else "—",
                _f(r.maxrss_mb, 0),
                _f(r.tree_peak_mb, 0),
                _f(r.tree_pss_mb, 0),
                speedup if r.engine != "rows" else ("1.0x" if base else "—"),
                projected,
                r.status if not r.ok else "ok",
            ]
        )
    print_table(
        "Whole process, one run each (peak RSS: ru_maxrss; tree RSS / PSS: sampled sums)",
        (
            "engine",
            "rows",
            "wall s",
            "rows/s",
            "CPU s",
            "peak RSS MB",
            "tree RSS MB",
            "tree PSS MB",
            "vs rows",
            f"s for {total_rows:,}",
            "status",
        ),
        rows,
        out,
    )


def print_accounting(runs: Sequence[Run], parties: int, parties_prefix: int, out: Console) -> None:
    rows = []
    for r in runs:
        if not r.ok:
            continue
        acc = r.accounting
        verdicts = acc.get("verdicts", {})
        errors = verdicts.get("error", 0)
        good = acc["lines"] - errors
        said = summary_counts(r.summary)
        said_text = (
            f"{said['hit'] + said['review'] + said['clear']:,} + {said['not_screened']:,}"
            if said
            else "—"
        )
        accounted = acc["lines"] == r.rows and errors == acc["expected_errors"]
        mine = parties_prefix if r.engine == "rows" else parties
        rows.append(
            [
                r.engine,
                f"{r.rows:,}",
                f"{acc['lines']:,}",
                f"{good:,}",
                f"{errors:,}",
                f"{acc['expected_errors']:,}",
                said_text,
                "YES" if accounted else "NO",
                " / ".join(
                    f"{k} {verdicts[k]:,}"
                    for k in sorted(verdicts, key=lambda v: (VERDICT_ORDER.get(v, 9), v))
                ),
                "yes" if acc.get("in_row_order") else "no",
                f"{mine:,}",
                f"{r.engine_parties:,}" if r.engine_parties is not None else "—",
            ]
        )
    if not rows:
        return
    print_table(
        "Rows accounted for (good + reported = input rows; uflpa said: verdicts + rows not"
        " screened, from its summary) and distinct parties",
        (
            "engine",
            "input rows",
            "output lines",
            "verdicts",
            "error lines",
            "planted errors",
            "uflpa said",
            "accounted",
            "by verdict",
            "in row order",
            "parties (here)",
            "parties (uflpa)",
        ),
        rows,
        out,
    )
    for r in runs:
        if r.engine_parties_line:
            print(f"# {r.engine} said about parties: {r.engine_parties_line}")


def check_parity(runs: Sequence[Run], baseline_rows: int, out: Console) -> list[dict[str, Any]]:
    done = {r.engine: r for r in runs if r.ok}
    ref = next((done[e] for e in FULL_FILE_ENGINES if e in done), None)
    if ref is None:
        print("# parity: no full-file engine ran: nothing to compare")
        return []
    results = []
    rows = []
    for r in runs:
        if not r.ok or r is ref:
            continue
        prefix = r.engine == "rows"
        max_row = baseline_rows + 1 if prefix and r.rows < ref.rows else None
        c = compare(Path(ref.output), Path(r.output), max_row, ignore_file=ref.input != r.input)
        c.update(reference=ref.engine, engine=r.engine, rows_compared=max_row and baseline_rows)
        results.append(c)
        rows.append(
            [
                f"{ref.engine} vs {r.engine}"
                + (f" (first {baseline_rows:,} rows)" if max_row else ""),
                f"{c['reference_lines']:,} / {c['other_lines']:,}",
                f"{c['identical']:,}",
                f"{c['differing']:,}",
                f"{c['file_only']:,}",
                f"{c['verdict_differs']:,}",
                f"{c['reasons_differ']:,}",
                f"{c['only_reference']:,} / {c['only_other']:,}",
                ", ".join(f"{k} {v}" for k, v in c["verdict_changes"].items()) or "—",
                ", ".join(f"{k} {v}" for k, v in list(c["keys_differing"].items())[:6]) or "—",
            ]
        )
    if not rows:
        print(f"# parity: only {ref.engine} ran: nothing to compare")
        return results
    print_table(
        "Parity of the outputs, row by row (lines byte for byte; Parquet: its `record` column)",
        (
            "pair",
            "lines (ref / other)",
            "identical",
            "differing",
            "only `file`",
            "verdict differs",
            "reasons differ",
            "only in ref / other",
            "verdict changes",
            "keys differing",
        ),
        rows,
        out,
    )
    for c in results:
        for example in c["examples"]:
            print(f"# {c['reference']} vs {c['engine']}: {example}")
        if c.get("note"):
            print(f"# {c['reference']} vs {c['engine']}: {c['note']}")
    return results


def print_targets(runs: Sequence[Run], total_rows: int, out: Console) -> list[dict[str, Any]]:
    done = {r.engine: r for r in runs if r.ok}
    local, base, spark = done.get("local"), done.get("rows"), done.get("spark")
    targets: list[dict[str, Any]] = []

    def add(target: str, met: bool | None, measured: str) -> None:
        answer = "—" if met is None else ("YES" if met else "NO")
        targets.append({"target": target, "met": met, "measured": measured, "answer": answer})

    if local and local.wall:
        if local.rows >= TARGET_ROWS:
            add(
                f"{TARGET_ROWS:,} lines in <= {TARGET_SECONDS:.0f} s, whole process, local engine",
                local.wall * TARGET_ROWS / local.rows <= TARGET_SECONDS,
                f"{local.rows:,} rows in {local.wall:.1f} s",
            )
        else:
            projected = local.wall * TARGET_ROWS / local.rows
            add(
                f"{TARGET_ROWS:,} lines in <= {TARGET_SECONDS:.0f} s, whole process, local engine",
                None,
                f"ran {local.rows:,} rows in {local.wall:.1f} s; linear projection for"
                f" {TARGET_ROWS:,}: {projected:.0f} s (would be"
                f" {'YES' if projected <= TARGET_SECONDS else 'NO'}); run --rows {TARGET_ROWS}",
            )
    else:
        add(
            f"{TARGET_ROWS:,} lines in <= {TARGET_SECONDS:.0f} s, local engine",
            None,
            "local not run",
        )
    for r in (local, spark):
        if r is not None and r.peak_mb is not None:
            # The issue sets the memory target for the local engine; Spark's JVM is shown only.
            add(
                f"peak memory <= {TARGET_RSS_MB / 1024:.0f} GB ({r.engine})"
                if r is local
                else f"peak memory ({r.engine}: no target, shown)",
                r.peak_mb <= TARGET_RSS_MB if r is local else None,
                f"{r.peak_mb:,.0f} MB on {r.rows:,} rows (larger of ru_maxrss and tree PSS;"
                f" tree RSS, shared pages counted in each process: {_f(r.tree_peak_mb, 0)} MB)",
            )
    if local is None:
        add(f"peak memory <= {TARGET_RSS_MB / 1024:.0f} GB (local)", None, "local not run")
    if spark and local and spark.wall and local.wall:
        add(
            f"Spark local within {SPARK_WITHIN:.0f}x of the local engine",
            spark.wall <= SPARK_WITHIN * local.wall,
            f"spark {spark.wall:.1f} s / local {local.wall:.1f} s = {spark.wall / local.wall:.2f}x",
        )
    else:
        add(
            f"Spark local within {SPARK_WITHIN:.0f}x of the local engine",
            None,
            "spark or local not run",
        )
    if local and base and local.rows_per_s and base.rows_per_s:
        ratio = local.rows_per_s / base.rows_per_s
        add(
            f"local {SPEEDUP:.0f}x faster than the rows baseline (rows/s)",
            ratio >= SPEEDUP,
            f"local {local.rows_per_s:,.0f} rows/s / rows {base.rows_per_s:,.0f} rows/s ="
            f" {ratio:.1f}x",
        )
    else:
        add(f"local {SPEEDUP:.0f}x faster than the rows baseline", None, "local or rows not run")
    print_table(
        "Targets of the issue",
        ("target", "met", "measured"),
        [[t["target"], t["answer"], t["measured"]] for t in targets],
        out,
    )
    return targets


if __name__ == "__main__":
    sys.exit(main())
