"""Whole-process speed of two revisions side by side: `uflpa screen` of the same party file.

    .venv/bin/python -m benchmarks.revisions --base REV [--head REV|WORKTREE] [--rows 20000]
        [--rounds 5] [--warmup 1] [--no-warm-home] [--python python3] [--keep DIR] [--json OUT]

The project rule for a refactor: whole-process `uflpa screen` of the speed benchmark's 20,000
names within 5 % of today's, measured side by side in one run, both commits installed the way
the README installs. This script does exactly that:

1. Each side's tree is exported: `git archive REV | tar -x` for a revision; for WORKTREE (the
   default head) the tracked and untracked-not-ignored files of this checkout as they are now
   (`git ls-files -co --exclude-standard`), so uncommitted work can be measured.
2. Each tree gets a fresh venv and `pip install -q .` (non-editable: the mypyc-compiled build,
   two to three minutes each). With `--keep DIR` the venvs are kept under DIR, keyed by the
   commit hash (WORKTREE: a hash of the files' contents) and the Python version, and reused.
3. The party file of `benchmarks/speed.py` (`write_screen_file`, dev-set names plus invented
   Chinese company names) is screened once per side with the output kept, and the two outputs
   are compared row by row (verdicts, and which top-level keys differ).
4. Timed runs, one at a time (never in parallel): `uflpa screen FILE --format jsonl > /dev/null`,
   wall clock of the whole process. Rounds alternate the order (base-head, head-base, ...); in
   each, a side runs once with UFLPA_HOME a new, not yet existing directory ("fresh home": the
   first use, including whatever the code sets up there) and once more in that same home ("warm
   home": every later run). The first `--warmup` rounds are printed but not counted.

Printed: per side and home the median, min and max wall seconds, rows/s at the median, the
median CPU seconds of the child (user + sys, less sensitive to a busy machine), head/base of the
medians and the spread of the per-round head/base ratios; whether head is within 5 % of base.
The exit code is 0 whatever the figures say (a benchmark, not a test); 2 when a side cannot be
exported, installed or run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console

from benchmarks.common import (
    DEV_QUERIES,
    REPO_ROOT,
    console,
    load_queries,
    machine_header,
    machine_info,
    print_table,
)
from benchmarks.speed import write_screen_file

WORKTREE = "WORKTREE"
TOLERANCE = 0.05  # the project rule: head within 5 % of base
HOMES = ("fresh", "warm")


class BenchError(Exception):
    """A side could not be exported, installed or run: reported on one line, exit code 2."""


@dataclass
class Side:
    """One revision under test and the venv it is installed in."""

    role: str  # "base" or "head"
    spec: str  # as given: a commit-ish or WORKTREE
    label: str  # what to print: short hash, or WORKTREE with the HEAD it sits on
    key: str  # cache key: rev-<sha> or wt-<content hash>, plus the Python version
    commit: str | None  # the resolved commit (None for the working tree)
    venv: Path | None = None
    build: str = ""
    install: str = ""
    runs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def uflpa(self) -> Path:
        assert self.venv is not None
        return self.venv / "bin" / "uflpa"


# --------------------------------------------------------------------------- git and trees


def _git(*args: str) -> str:
    proc = subprocess.run(
        ["git", "--no-optional-locks", "-C", str(REPO_ROOT), *args],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise BenchError(f"git {' '.join(args)}: {proc.stderr.strip() or proc.returncode}")
    return proc.stdout.strip()


def resolve(role: str, spec: str, python_version: str) -> Side:
    """The side's commit (or the working tree) and its label; the key waits for the export."""
    if spec == WORKTREE:
        head = _git("rev-parse", "--short", "HEAD")
        changed = [line for line in _git("status", "--porcelain").splitlines() if line.strip()]
        label = f"{WORKTREE} (on {head}, {len(changed)} changed or untracked path(s))"
        return Side(role, spec, label, key="", commit=None)
    sha = _git("rev-parse", "--verify", "--end-of-options", f"{spec}^{{commit}}")
    return Side(role, spec, f"{spec} ({sha[:12]})", f"rev-{sha[:12]}-py{python_version}", sha)


def export_revision(sha: str, dest: Path) -> None:
    """`git archive SHA | tar -x -C dest`."""
    dest.mkdir(parents=True)
    archive = subprocess.Popen(
        ["git", "-C", str(REPO_ROOT), "archive", "--format=tar", sha],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert archive.stdout is not None
    untar = subprocess.run(
        ["tar", "-x", "-C", str(dest)], stdin=archive.stdout, capture_output=True
    )
    archive.stdout.close()
    err = archive.stderr.read().decode() if archive.stderr else ""
    if archive.wait() != 0 or untar.returncode != 0:
        raise BenchError(f"git archive {sha} | tar -x failed: {err or untar.stderr.decode()}")


def export_worktree(dest: Path) -> str:
    """Copy the tracked and untracked-not-ignored files as they are now; returns their hash.

    The hash covers every copied path, its executable bit and its bytes (a symlink: its target),
    so the same working tree gives the same key and any edit gives another.
    """
    listed = _git_bytes("ls-files", "-co", "--exclude-standard", "-z")
    digest = hashlib.sha256()
    for raw in sorted(set(filter(None, listed.split(b"\0")))):
        rel = raw.decode("utf-8", "surrogateescape")
        src, dst = REPO_ROOT / rel, dest / rel
        if src.is_symlink():
            target = os.readlink(src)
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(target, dst)
            parts = [b"L", raw, os.fsencode(target)]
        elif src.is_file():
            data = src.read_bytes()
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(data)
            shutil.copymode(src, dst)
            parts = [b"F", raw, b"x" if os.access(src, os.X_OK) else b"-", data]
        else:  # a tracked file deleted in the working tree, or a submodule
            continue
        for part in parts:
            digest.update(len(part).to_bytes(8, "little"))
            digest.update(part)
    return digest.hexdigest()


def _git_bytes(*args: str) -> bytes:
    proc = subprocess.run(
        ["git", "--no-optional-locks", "-C", str(REPO_ROOT), *args], capture_output=True
    )
    if proc.returncode != 0:
        raise BenchError(f"git {' '.join(args)}: {proc.stderr.decode().strip()}")
    return proc.stdout


# --------------------------------------------------------------------------- installs


def _clean_env(**extra: str) -> dict[str, str]:
    """This environment without PYTHONPATH/PYTHONHOME, so that no source tree leaks in."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(extra)
    return env


def python_version(python: str) -> str:
    proc = subprocess.run(
        [python, "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
        env=_clean_env(),
    )
    if proc.returncode != 0:
        raise BenchError(f"{python} does not run: {proc.stderr.strip()}")
    return proc.stdout.strip()


def install(side: Side, python: str, work: Path, keep: Path | None, done: dict[str, Side]) -> None:
    """Export the side's tree, then `python3 -m venv V && V/bin/pip install -q .` in that tree.

    A side whose key is in `done` (both sides the same tree) reuses that install."""
    tree = work / f"tree-{side.role}"
    start = time.perf_counter()
    if side.commit is None:
        content = export_worktree(tree)
        side.key = f"wt-{content[:16]}-py{python_version(python)}"
    else:
        export_revision(side.commit, tree)
    if side.key in done:
        side.venv = done[side.key].venv
        side.install = f"the same tree as {done[side.key].role}: one install serves both"
        shutil.rmtree(tree, ignore_errors=True)
        return
    done[side.key] = side
    home = (keep if keep is not None else work) / side.key
    meta = home / "meta.json"
    venv = home / "venv"
    if keep is not None and meta.exists() and (venv / "bin" / "uflpa").exists():
        side.venv = venv
        built = json.loads(meta.read_text(encoding="utf-8"))
        side.install = f"cached in {home} (installed {built.get('date', '?')})"
        shutil.rmtree(tree, ignore_errors=True)
        return
    if home.exists():  # an install that did not finish
        shutil.rmtree(home)
    home.mkdir(parents=True)
    print(f"# {side.role}: installing {side.label} into {venv} (pip install -q ., non-editable)")
    sys.stdout.flush()
    for cmd, cwd in (
        ([python, "-m", "venv", str(venv)], work),
        ([str(venv / "bin" / "pip"), "install", "-q", "."], tree),
    ):
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=_clean_env())
        if proc.returncode != 0:
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
            raise BenchError(f"{side.role}: {' '.join(cmd)} failed:\n{tail}")
    seconds = time.perf_counter() - start
    meta.write_text(
        json.dumps(
            {
                "date": time.strftime("%Y-%m-%d %H:%M:%S"),
                "spec": side.spec,
                "commit": side.commit,
                "key": side.key,
                "python": python,
                "seconds": round(seconds, 1),
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    side.venv = venv
    side.install = f"installed in {seconds:.0f} s" + (f", kept in {home}" if keep else "")
    shutil.rmtree(tree, ignore_errors=True)


def build_label(side: Side) -> str:
    proc = subprocess.run(
        [str(side.uflpa), "--version"], capture_output=True, text=True, env=_clean_env()
    )
    if proc.returncode != 0:
        raise BenchError(f"{side.role}: uflpa --version failed: {proc.stderr.strip()}")
    return proc.stdout.strip()


# --------------------------------------------------------------------------- runs


def screen(side: Side, parties: Path, home: Path, out: Path | None) -> dict[str, Any]:
    """One whole `uflpa screen` process: wall seconds, child CPU seconds, exit code, stderr."""
    env = _clean_env(UFLPA_HOME=str(home))
    cmd = [str(side.uflpa), "screen", str(parties), "--format", "jsonl"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out or os.devnull, "wb") as sink:
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=sink, stderr=subprocess.PIPE, cwd=home.parent, env=env)
        wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    err = proc.stderr.decode("utf-8", "replace").strip()
    return {"wall": wall, "cpu": cpu, "exit_code": proc.returncode, "stderr": err[-2000:]}


def _summary_line(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines()]
    said = [line for line in lines if "screened" in line or line.startswith("time:")]
    return " | ".join(said) or (lines[-1] if lines else "(nothing on stderr)")


def compare_outputs(base_out: Path, head_out: Path) -> dict[str, Any]:
    """Row by row: lines that differ at all, verdicts that differ, top-level keys that differ."""
    lines = [0, 0]
    differing_lines = 0
    verdict_changes: Counter[str] = Counter()
    key_counts: Counter[str] = Counter()
    examples: dict[str, str] = {}
    ids_differ = 0
    with base_out.open("rb") as fb, head_out.open("rb") as fh:
        while True:
            b, h = fb.readline(), fh.readline()
            if not b and not h:
                break
            lines[0] += bool(b)
            lines[1] += bool(h)
            if b == h:
                continue
            differing_lines += 1
            if not b or not h:
                continue  # one output is longer: counted as a differing line only
            rb, rh = json.loads(b), json.loads(h)
            if (rb.get("id"), rb.get("row")) != (rh.get("id"), rh.get("row")):
                ids_differ += 1
            if rb.get("verdict") != rh.get("verdict"):
                verdict_changes[f"{rb.get('verdict')}→{rh.get('verdict')}"] += 1
            for key in sorted(set(rb) | set(rh)):
                if rb.get(key, "<absent>") != rh.get(key, "<absent>"):
                    key_counts[key] += 1
                    if key not in examples:
                        examples[key] = f"row {rb.get('id')}: " + _difference(
                            rb.get(key, "<absent>"), rh.get(key, "<absent>")
                        )
    return {
        "lines_base": lines[0],
        "lines_head": lines[1],
        "lines_differing": differing_lines,
        "rows_verdict_differing": sum(verdict_changes.values()),
        "verdict_changes": dict(verdict_changes.most_common()),
        "rows_misaligned": ids_differ,
        "keys_differing": dict(key_counts.most_common()),
        "examples": examples,
    }


def _difference(base: Any, head: Any) -> str:
    """One differing value as `base → head`; of a dict, only the entries that differ."""
    if isinstance(base, dict) and isinstance(head, dict):
        keys = [k for k in sorted(set(base) | set(head)) if base.get(k) != head.get(k)]
        base = {k: base.get(k, "<absent>") for k in keys}
        head = {k: head.get(k, "<absent>") for k in keys}
    shown = f"{json.dumps(base, ensure_ascii=False)} → {json.dumps(head, ensure_ascii=False)}"
    return shown if len(shown) <= 200 else shown[:197] + "..."


def timed_rounds(
    sides: tuple[Side, Side], parties: Path, work: Path, rounds: int, warmup: int, warm: bool
) -> None:
    """Alternate the order by round; in each, a fresh home run and (if `warm`) a warm one."""
    homes = HOMES if warm else HOMES[:1]
    for r in range(warmup + rounds):
        order = sides if r % 2 == 0 else (sides[1], sides[0])
        tag = f"warm-up {r + 1}" if r < warmup else f"round {r - warmup + 1}"
        said = []
        for side in order:
            home = work / f"home-{r}-{side.role}"
            for kind in homes:
                run = screen(side, parties, home, None)
                run.update(
                    round=r - warmup + 1,
                    counted=r >= warmup,
                    home=kind,
                    order=f"{order[0].role}, {order[1].role}",
                )
                side.runs.append(run)
                mark = "" if run["exit_code"] == 0 else f" (exit {run['exit_code']})"
                said.append(f"{side.role} {kind} {run['wall']:.2f}s{mark}")
                if run["exit_code"] != 0:
                    print(f"# NOTE: {side.role} exited {run['exit_code']}: {run['stderr'][-300:]}")
            shutil.rmtree(home, ignore_errors=True)
        print(f"# {tag}: " + ", ".join(said))
        sys.stdout.flush()


def _counted(side: Side, kind: str) -> dict[int, dict[str, Any]]:
    return {
        r["round"]: r
        for r in side.runs
        if r["counted"] and r["home"] == kind and r["exit_code"] == 0
    }


def figures(base: Side, head: Side, kind: str, rows: int) -> dict[str, Any]:
    """Per side median/min/max wall and median CPU; head/base of medians and per-round spread."""
    out: dict[str, Any] = {"home": kind}
    for side in (base, head):
        runs = _counted(side, kind)
        walls = [r["wall"] for r in runs.values()]
        cpus = [r["cpu"] for r in runs.values()]
        out[side.role] = {
            "runs": len(walls),
            "median": statistics.median(walls) if walls else None,
            "min": min(walls) if walls else None,
            "max": max(walls) if walls else None,
            "cpu_median": statistics.median(cpus) if cpus else None,
            "rows_per_s": rows / statistics.median(walls) if walls else None,
        }
    b, h = _counted(base, kind), _counted(head, kind)
    paired = sorted(set(b) & set(h))
    per_round = [h[r]["wall"] / b[r]["wall"] for r in paired]
    bm, hm = out["base"]["median"], out["head"]["median"]
    bc, hc = out["base"]["cpu_median"], out["head"]["cpu_median"]
    out["ratio"] = hm / bm if bm and hm else None
    out["cpu_ratio"] = hc / bc if bc and hc else None
    out["per_round_ratios"] = per_round
    return out


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="uflpa screen, two revisions side by side")
    parser.add_argument("--base", required=True, help="a commit-ish (the baseline)")
    parser.add_argument("--head", default=WORKTREE, help=f"a commit-ish or {WORKTREE} (default)")
    parser.add_argument("--rows", type=int, default=20000, help="party names to screen")
    parser.add_argument("--rounds", type=int, default=5, help="counted rounds")
    parser.add_argument("--warmup", type=int, default=1, help="rounds printed but not counted")
    parser.add_argument(
        "--no-warm-home", action="store_true", help="time only the fresh-home run (half the time)"
    )
    parser.add_argument("--python", default="python3", help="interpreter for the venvs")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep and reuse the venvs here")
    parser.add_argument("--json", type=Path, metavar="OUT")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.warmup < 0 or args.rows < 1:
        parser.error("--rounds and --rows must be at least 1, --warmup at least 0")
    try:
        return run(args)
    except BenchError as exc:
        print(f"# ERROR: {exc}")
        return 2


def run(args: argparse.Namespace) -> int:
    print(machine_header("uflpa benchmark: whole-process speed of two revisions, side by side"))
    print(f"# load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if os.environ.get("UFLPA_PURE_PYTHON", "0") not in ("", "0"):
        print("# NOTE: UFLPA_PURE_PYTHON is set: new installs will be pure Python")
    python = shutil.which(args.python) or args.python
    pyver = python_version(python)
    base, head = resolve("base", args.base, pyver), resolve("head", args.head, pyver)
    keep = args.keep.resolve() if args.keep else None
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="uflpa-revisions-") as tmp:
        work = Path(tmp)
        done: dict[str, Side] = {}
        for side in (base, head):
            install(side, python, work, keep, done)
        for side in (base, head):
            side.build = build_label(side)
            print(f"# {side.role}: {side.label}: {side.build}; venv {side.venv}; {side.install}")
        if ("mypyc-compiled" in base.build) != ("mypyc-compiled" in head.build):
            print(
                "# NOTE: one build is compiled, the other pure Python: the times do not compare."
                " Unless UFLPA_PURE_PYTHON was set, mypyc failed on the pure one's tree (pip -q"
                " hides the warning: `pip wheel -v --no-deps .` in that tree shows why)"
            )

        parties = work / "parties.csv"
        rows = write_screen_file(parties, load_queries(DEV_QUERIES), args.rows)
        print(
            f"# input: {rows} unique party names (benchmarks.speed.write_screen_file, dev set "
            f"{DEV_QUERIES} + synthetic names, seed 0)"
        )
        print(f"# python for the venvs: {python} ({pyver})")

        # Outputs kept once per side (fresh home) and compared row by row; also a first check
        # that both sides run at all before minutes of timing.
        outputs: dict[str, Path] = {}
        for side in (base, head):
            outputs[side.role] = work / f"out-{side.role}.jsonl"
            check = screen(side, parties, work / f"home-check-{side.role}", outputs[side.role])
            if check["exit_code"] != 0:
                raise BenchError(
                    f"{side.role}: uflpa screen exited {check['exit_code']}: {check['stderr']}"
                )
            print(
                f"# check run {side.role} (output to a file, fresh home): {check['wall']:.2f} s;"
                f" uflpa said: {_summary_line(check['stderr'])}"
            )
        comparison = compare_outputs(outputs["base"], outputs["head"])

        print(
            f"# timing: {args.warmup} warm-up + {args.rounds} counted round(s), order alternating"
            f" by round; per side: fresh UFLPA_HOME"
            + ("" if args.no_warm_home else " then again in that home (warm)")
            + "; output > /dev/null"
        )
        sys.stdout.flush()
        timed_rounds((base, head), parties, work, args.rounds, args.warmup, not args.no_warm_home)
    print(f"# load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    out = console()
    kinds = HOMES[:1] if args.no_warm_home else HOMES
    print_runs(base, head, kinds, args.warmup, out)
    results = [figures(base, head, kind, rows) for kind in kinds]
    print_summary(base, head, results, out)
    print_comparison(comparison, out)
    comparable = ("mypyc-compiled" in base.build) == ("mypyc-compiled" in head.build)
    for res in results:
        print(
            f"# {_conclusion(res)}" + ("" if comparable else " (BUT the builds differ: see NOTE)")
        )

    if args.json:
        payload = {
            "machine": machine_info(),
            "rows": rows,
            "rounds": args.rounds,
            "warmup": args.warmup,
            "sides": {
                s.role: {
                    "spec": s.spec,
                    "label": s.label,
                    "commit": s.commit,
                    "key": s.key,
                    "build": s.build,
                    "venv": str(s.venv),
                    "install": s.install,
                    "runs": s.runs,
                }
                for s in (base, head)
            },
            "figures": results,
            "outputs": comparison,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"# figures written to {args.json}")
    return 0


def _s(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def print_runs(base: Side, head: Side, kinds: Sequence[str], warmup: int, out: Console) -> None:
    """Every timed run, round by round (wall seconds; `(!)`: the run failed)."""
    cells: dict[int, dict[str, str]] = {}
    for side in (base, head):
        for run in side.runs:
            row = cells.setdefault(run["round"], {"order": run["order"]})
            row[f"{side.role} {run['home']}"] = _s(run["wall"]) + (
                "" if run["exit_code"] == 0 else " (!)"
            )
    columns = ["round", "order", *(f"{role} {k}" for role in ("base", "head") for k in kinds)]
    rows = [
        [
            f"warm-up {n + warmup}" if n <= 0 else str(n),
            *(cells[n].get(c, "—") for c in columns[1:]),
        ]
        for n in sorted(cells)
    ]
    print_table("Every run: wall seconds (warm-up rounds not counted)", columns, rows, out)


def print_summary(base: Side, head: Side, results: Sequence[dict[str, Any]], out: Console) -> None:
    rows = []
    for res in results:
        for side in (base, head):
            f = res[side.role]
            if side.role == "head":
                spread = res["per_round_ratios"]
                ratio = _s(res["ratio"], 3)
                rng = f"{min(spread):.3f}–{max(spread):.3f}" if spread else "—"
                cpu_ratio = _s(res["cpu_ratio"], 3)
            else:
                ratio, rng, cpu_ratio = "1 (baseline)", "", "1 (baseline)"
            rows.append(
                [
                    side.role,
                    side.label,
                    res["home"],
                    str(f["runs"]),
                    _s(f["median"]),
                    _s(f["min"]),
                    _s(f["max"]),
                    _s(f["rows_per_s"], 0),
                    ratio,
                    rng,
                    _s(f["cpu_median"]),
                    cpu_ratio,
                ]
            )
    print_table(
        "uflpa screen FILE --format jsonl > /dev/null: wall seconds over the counted rounds",
        (
            "side",
            "revision",
            "home",
            "runs",
            "median s",
            "min s",
            "max s",
            "rows/s",
            "head/base",
            "per-round min–max",
            "CPU s",
            "CPU head/base",
        ),
        rows,
        out,
    )


def print_comparison(c: dict[str, Any], out: Console) -> None:
    rows = [
        ["output lines (base / head)", f"{c['lines_base']} / {c['lines_head']}"],
        ["lines differing at all", str(c["lines_differing"])],
        ["rows whose verdict differs", str(c["rows_verdict_differing"])],
    ]
    if c["verdict_changes"]:
        rows.append(
            [
                "verdict changes (base→head)",
                ", ".join(f"{k} {v}" for k, v in c["verdict_changes"].items()),
            ]
        )
    if c["rows_misaligned"]:
        rows.append(["rows with another id or row number", str(c["rows_misaligned"])])
    for key, count in c["keys_differing"].items():
        rows.append([f"rows where `{key}` differs", f"{count}   e.g. {c['examples'][key]}"])
    print_table(
        "Outputs compared row by row", ("one fresh-home run each", "base vs head"), rows, out
    )


def _conclusion(res: dict[str, Any]) -> str:
    ratio, spread = res["ratio"], res["per_round_ratios"]
    if ratio is None:
        return f"{res['home']} home: no counted run on one side: no verdict"
    pct = (ratio - 1) * 100
    within = ratio <= 1 + TOLERANCE
    line = (
        f"{res['home']} home: head/base {ratio:.3f} (head {abs(pct):.1f} % "
        f"{'slower' if pct > 0 else 'faster'} than base at the median): within 5 % "
        f"(head/base <= {1 + TOLERANCE:.2f}): {'YES' if within else 'NO'}"
    )
    if spread and (min(spread) <= 1 + TOLERANCE < max(spread)):
        line += f" (per-round ratios {min(spread):.3f}–{max(spread):.3f} straddle 1.05: noisy)"
    return line


if __name__ == "__main__":
    sys.exit(main())
