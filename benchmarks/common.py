"""Shared pieces of the benchmarks: the dev set, the list the systems search, scoring, and output.

The scoring here is the rule book of `/work/shared/bench/README.md`, written once so that every
system (uflpa and the baselines) is judged by the same arithmetic. `tests/benchmarks/` checks that
arithmetic on a hand-made set, so the harness itself is honest.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.metadata
import os
import platform
import shlex
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from uflpa.model import ListedEntity

REPO_ROOT = Path(__file__).resolve().parent.parent
DEV_QUERIES = Path("/work/shared/bench/dev_queries.csv")
ORG_PAIRS = Path("/work/shared/external/nomenklatura_name_bench/org_cases.csv")
NAMES_ZH_CSV = REPO_ROOT / "uflpa" / "data" / "uflpa_names_zh.csv"
LIST_CSV = REPO_ROOT / "uflpa" / "data" / "uflpa_entity_list.csv"

VERDICTS = ("hit", "review", "clear")
# Categories in the order the README introduces them; unknown ones are appended sorted.
CATEGORY_ORDER = (
    "exact",
    "case_punct",
    "legal_form",
    "truncated",
    "typo",
    "word_order",
    "abbreviation",
    "alias",
    "former_name",
    "han",
    "han_traditional",
    "pinyin",
    "address_noise",
    "country",
    "neg_shared_place",
    "neg_shared_industry",
    "neg_near_miss",
    "neg_other",
    "related",
)


# --------------------------------------------------------------------------- the dev set


@dataclass(frozen=True, slots=True)
class DevQuery:
    """One labelled screening query of the dev set (columns as in its README)."""

    query_id: str
    name: str
    country: str
    address: str
    identifier: str
    expected_entity_id: str
    label: str
    category: str
    why: str = ""


def load_queries(path: Path = DEV_QUERIES) -> list[DevQuery]:
    """Read the dev set; a missing column is an error rather than a silent empty figure."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        needed = {"query_id", "name", "expected_entity_id", "label", "category"}
        missing = needed - set(reader.fieldnames or ())
        if missing:
            raise SystemExit(f"{path}: missing columns {sorted(missing)}")
        return [
            DevQuery(
                query_id=row["query_id"],
                name=row["name"],
                country=(row.get("country") or "").strip(),
                address=(row.get("address") or "").strip(),
                identifier=(row.get("identifier") or "").strip(),
                expected_entity_id=(row.get("expected_entity_id") or "").strip(),
                label=row["label"].strip(),
                category=row["category"].strip(),
                why=row.get("why") or "",
            )
            for row in reader
        ]


# --------------------------------------------------------------------------- the list


def load_list_entities(with_zh: bool = False) -> tuple[list[ListedEntity], str]:
    """The bundled UFLPA entities the baselines search, and a note saying where they came from.

    By default the baselines get exactly the names of the list (name, aliases, former names), as a
    user running them over the DHS list would. `with_zh=True` also gives them the Chinese names
    uflpa ships in `uflpa_names_zh.csv`, to separate what uflpa gains from data from what it gains
    from matching.
    """
    try:
        from uflpa.lists.bundled import load_bundled
    except ImportError:  # pragma: no cover - the loader is part of the package now
        entities, note = _entities_from_csv(LIST_CSV), f"{LIST_CSV.name} (CSV fallback)"
    else:
        version = load_bundled()
        entities, note = list(version.entities), f"bundled {version.version_id}"
    if with_zh:
        zh = _names_zh(NAMES_ZH_CSV)
        entities = [
            _with_aliases(e, tuple(n for n in zh.get(e.id, ()) if n not in e.all_names()))
            for e in entities
        ]
        note += f" + {sum(len(v) for v in zh.values())} Chinese names from {NAMES_ZH_CSV.name}"
    return entities, note


def _with_aliases(entity: ListedEntity, extra: tuple[str, ...]) -> ListedEntity:
    if not extra:
        return entity
    d = entity.to_dict()
    d["aliases"] = [*entity.aliases, *extra]
    return ListedEntity.from_dict(d)


def _names_zh(path: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    if not path.exists():
        return out
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            name = (row.get("name_zh") or "").strip()
            if name and name not in out[row["entity_id"]]:
                out[row["entity_id"]].append(name)
    return out


def _entities_from_csv(path: Path) -> list[ListedEntity]:
    """Names only, merged per `entity_id` (used when the bundled loader is unavailable)."""
    merged: dict[str, dict[str, list[str]]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            key = row["entity_id"]
            slot = merged.setdefault(key, {"name": [], "aliases": [], "former": []})
            slot["name"].append(row["name"].strip())
            slot["aliases"] += [a.strip() for a in row["aliases"].split(" | ") if a.strip()]
            slot["former"] += [a.strip() for a in row["former_names"].split(" | ") if a.strip()]
    entities = []
    for key, slot in merged.items():
        name = slot["name"][0]
        aliases = [n for n in dict.fromkeys(slot["name"][1:] + slot["aliases"]) if n != name]
        entities.append(
            ListedEntity(
                id=key,
                name=name,
                aliases=tuple(aliases),
                former_names=tuple(dict.fromkeys(slot["former"])),
            )
        )
    return entities


def entity_key_map(entities: Iterable[ListedEntity]) -> dict[str, str]:
    """Map every id a system may report (entity id or listing row id) to the dev set's key.

    The dev set keys an entity by the `entry_id` of its earliest listing row, which the bundled
    list uses as the entity id; a system reporting a later row (UFLPA-064) is mapped to UFLPA-002.
    """
    keys: dict[str, str] = {}
    for entity in entities:
        keys[entity.id] = entity.id
        for listing in entity.listings:
            if listing.entry_id:
                keys.setdefault(listing.entry_id, entity.id)
    if LIST_CSV.exists():
        with LIST_CSV.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                keys.setdefault(row["entry_id"], row["entity_id"])
    return keys


# --------------------------------------------------------------------------- outcomes and scoring


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a system said about one query: its verdict and its top candidate (entity key)."""

    verdict: str
    entity_id: str | None
    score: float
    matched_name: str | None = None


@dataclass(frozen=True, slots=True)
class QualityFigures:
    """The dev-set figures of one system on one set of rows. None: no row to divide by."""

    rows: int
    match_rows: int
    no_match_rows: int
    related_rows: int
    tp: int
    fp: int
    fn: int
    fp_wrong_entity: int
    precision: float | None
    recall: float | None
    f1: float | None
    top1_accuracy: float | None
    recall_at_review: float | None
    negatives_hit: float | None
    negatives_review: float | None
    related_hit: float | None
    related_review: float | None
    related_clear: float | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _precision_recall_f1(
    tp: int, predicted: int, actual: int
) -> tuple[float | None, float | None, float | None]:
    """Precision, recall and F1 from true positives, predicted positives and actual positives;
    None where a share has no denominator."""
    precision = _share(tp, predicted)
    recall = _share(tp, actual)
    f1: float | None = None
    if precision is not None and recall is not None:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def quality_figures(rows: Sequence[tuple[DevQuery, Outcome]]) -> QualityFigures:
    """Score rows by the README's rules.

    TP: a `match` row with a hit on the expected entity. FP: a `no_match` row with a hit, or a
    `match` row with a hit on another entity (that row is also an FN). FN: a `match` row without a
    correct hit. `related` rows stay out of precision and recall and are reported as shares.
    """
    tp = fp = fn = fp_wrong = 0
    top1 = at_review = neg_hit = neg_review = 0
    related = {v: 0 for v in VERDICTS}
    n_match = n_neg = n_related = 0
    for query, outcome in rows:
        if outcome.verdict not in VERDICTS:
            raise ValueError(f"{query.query_id}: unknown verdict {outcome.verdict!r}")
        on_target = outcome.entity_id is not None and outcome.entity_id == query.expected_entity_id
        if query.label == "match":
            n_match += 1
            if outcome.verdict == "hit" and on_target:
                tp += 1
            else:
                fn += 1
                if outcome.verdict == "hit":
                    fp += 1
                    fp_wrong += 1
            top1 += on_target
            at_review += on_target and outcome.verdict in ("hit", "review")
        elif query.label == "no_match":
            n_neg += 1
            if outcome.verdict == "hit":
                fp += 1
                neg_hit += 1
            elif outcome.verdict == "review":
                neg_review += 1
        elif query.label == "related":
            n_related += 1
            related[outcome.verdict] += 1
        else:
            raise ValueError(f"{query.query_id}: unknown label {query.label!r}")
    precision, recall, f1 = _precision_recall_f1(tp, tp + fp, n_match)
    return QualityFigures(
        rows=len(rows),
        match_rows=n_match,
        no_match_rows=n_neg,
        related_rows=n_related,
        tp=tp,
        fp=fp,
        fn=fn,
        fp_wrong_entity=fp_wrong,
        precision=precision,
        recall=recall,
        f1=f1,
        top1_accuracy=_share(top1, n_match),
        recall_at_review=_share(at_review, n_match),
        negatives_hit=_share(neg_hit, n_neg),
        negatives_review=_share(neg_review, n_neg),
        related_hit=_share(related["hit"], n_related),
        related_review=_share(related["review"], n_related),
        related_clear=_share(related["clear"], n_related),
    )


def category_sort_key(category: str) -> tuple[int, str]:
    try:
        return (CATEGORY_ORDER.index(category), category)
    except ValueError:
        return (len(CATEGORY_ORDER), category)


def quality_by_category(rows: Sequence[tuple[DevQuery, Outcome]]) -> dict[str, QualityFigures]:
    """The same figures for each `category`, in the README's order."""
    groups: dict[str, list[tuple[DevQuery, Outcome]]] = defaultdict(list)
    for query, outcome in rows:
        groups[query.category].append((query, outcome))
    return {c: quality_figures(groups[c]) for c in sorted(groups, key=category_sort_key)}


def is_error(query: DevQuery, outcome: Outcome) -> bool:
    """A row the system got wrong: a missed or misplaced hit, a hit on a negative, or a related
    party that was not sent to review."""
    if query.label == "match":
        return not (outcome.verdict == "hit" and outcome.entity_id == query.expected_entity_id)
    if query.label == "no_match":
        return outcome.verdict == "hit"
    return outcome.verdict != "review"


@dataclass(frozen=True, slots=True)
class PairFigures:
    """Confusion counts and figures of a same-entity decision on labelled name pairs."""

    n: int
    tp: int
    fp: int
    tn: int
    fn: int
    precision: float | None
    recall: float | None
    f1: float | None
    accuracy: float | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def pair_figures(labels: Sequence[bool], predictions: Sequence[bool]) -> PairFigures:
    """Precision, recall and F1 of `predictions` (True: same entity) against `labels`."""
    if len(labels) != len(predictions):
        raise ValueError(f"{len(labels)} labels but {len(predictions)} predictions")
    tp = sum(1 for y, p in zip(labels, predictions, strict=True) if y and p)
    fp = sum(1 for y, p in zip(labels, predictions, strict=True) if not y and p)
    fn = sum(1 for y, p in zip(labels, predictions, strict=True) if y and not p)
    tn = len(labels) - tp - fp - fn
    precision, recall, f1 = _precision_recall_f1(tp, tp + fp, tp + fn)
    return PairFigures(
        n=len(labels),
        tp=tp,
        fp=fp,
        tn=tn,
        fn=fn,
        precision=precision,
        recall=recall,
        f1=f1,
        accuracy=_share(tp + tn, len(labels)),
    )


# --------------------------------------------------------------------------- header and output


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _git_revision() -> str:
    try:
        rev = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return rev


def command_line() -> str:
    """The command exactly as it was typed (interpreter, -m module and arguments)."""
    argv = getattr(sys, "orig_argv", None) or [sys.executable, *sys.argv]
    return shlex.join(argv)


def machine_header(title: str) -> str:
    """Lines naming the machine, the versions and the command, to paste beside any figure."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        usable = os.cpu_count() or 0
    versions = ", ".join(
        f"{d} {_version(d)}"
        for d in ("uflpa", "nomenklatura", "followthemoney", "rapidfuzz", "rigour", "pypinyin")
    )
    lines = [
        f"# {title}",
        f"# date: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}"
        f"   git: {_git_revision()}",
        f"# machine: {platform.node()} | {_cpu_model()} | {os.cpu_count()} cores"
        f" ({usable} usable) | {_memory_total()} RAM | {platform.system()} {platform.release()}",
        f"# python: {platform.python_implementation()} {platform.python_version()}",
        f"# versions: {versions}",
        f"# command: {command_line()}",
    ]
    return "\n".join(lines)


def machine_info() -> dict[str, Any]:
    """The header as data, for --json outputs."""
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "git": _git_revision(),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "versions": {
            d: _version(d)
            for d in ("uflpa", "nomenklatura", "followthemoney", "rapidfuzz", "rigour")
        },
        "command": command_line(),
    }


def fmt(value: float | int | None, digits: int = 3) -> str:
    if value is None:
        return "—"
    if isinstance(value, int):
        return str(value)
    return f"{value:.{digits}f}"


def console() -> Console:
    # A wide, colourless console so that tables paste cleanly into notes and logs.
    return Console(width=200, no_color=True, highlight=False, soft_wrap=False)


def print_table(
    title: str, columns: Sequence[str], rows: Iterable[Sequence[str]], out: Console
) -> None:
    """A plain table; columns whose cells are all figures are right-aligned, text left-aligned."""
    materialised = [list(r) for r in rows]
    table = Table(title=title, title_justify="left")
    for i, col in enumerate(columns):
        numeric = i > 0 and all(_is_figure(r[i]) for r in materialised if i < len(r))
        table.add_column(col, justify="right" if numeric else "left", overflow="fold")
    for row in materialised:
        table.add_row(*row)
    out.print(table)


def _is_figure(cell: str) -> bool:
    return all(ch.isdigit() or ch in ".,-—/ x%e+()!" for ch in cell)


def nomenklatura_missing() -> str | None:
    """None when the nomenklatura baselines can run, else the reason they cannot."""
    try:
        import followthemoney  # noqa: F401
        import nomenklatura.matching  # noqa: F401
    except ImportError as exc:
        return f"nomenklatura baselines skipped: {exc} (install them with: pip install '.[bench]')"
    return None


def uflpa_command() -> list[str] | None:
    """The `uflpa` console script of this interpreter's environment (else the one on PATH)."""
    script = Path(sys.executable).parent / "uflpa"
    if script.exists():
        return [str(script)]
    found = shutil.which("uflpa")
    return [found] if found else None
