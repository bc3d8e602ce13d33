"""A readable HTML report of the flagged rows of a run, with their evidence.

One self-contained file (inline CSS, no script, no external resource) that can be mailed or
archived with the shipment records. Every value from the input or the list is escaped: names in a
user's file are data, never markup. It reads the typed rows of the run (`uflpa.screening.rows`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from html import escape
from typing import Any

from uflpa.reports.summary import VERDICTS, Summary
from uflpa.screening.rows import PartyRow, RowError, ScreenedRow
from uflpa.screening.verdict import ShipmentVerdict

#: Flagged rows shown in full; beyond it the report says how many more the JSONL output holds.
ROW_LIMIT = 2000

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:70em;
color:#1b1f24;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}
h2{margin-top:2em;border-bottom:1px solid #ccd;padding-bottom:.2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccd;padding:.25em .6em;
text-align:left;vertical-align:top}th{background:#f3f4f8}
.meta{color:#555}.badge{display:inline-block;padding:0 .5em;border-radius:.3em;font-weight:600;
color:#fff;text-transform:uppercase;font-size:.85em}
.hit .badge,.badge.hit{background:#b42318}.review .badge,.badge.review{background:#b54708}
.badge.clear{background:#067647}.badge.error{background:#555}
section.row{border:1px solid #ccd;border-left-width:6px;border-radius:.3em;margin:1em 0;
padding:.4em 1em}
section.hit{border-left-color:#b42318}section.review{border-left-color:#b54708}
h3{margin:.3em 0;font-size:1.1em}ol{padding-left:1.4em}li{margin:.4em 0}
pre{background:#f6f8fa;padding:.6em;overflow:auto;font-size:12px;white-space:pre-wrap}
code{background:#f3f4f8;padding:0 .2em}.note{color:#444;font-style:italic}
.caution{background:#fff4e5;border-left:4px solid #b54708;padding:.4em .8em}
"""


def render_report(
    flagged: Sequence[ScreenedRow],
    errors: Sequence[RowError],
    summary: Summary,
    *,
    titles: Mapping[str, str] | None = None,
    omitted: int = 0,
    generated: datetime | None = None,
) -> str:
    """The report as one HTML string. `flagged` are output rows with verdict hit or review;
    `errors` the rows that could not be screened; `omitted` flagged rows beyond the limit."""
    titles = titles or {}
    when = (generated or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    source = summary.source or "input"
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>uflpa screening report: {escape(source)}</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>uflpa screening report</h1>",
        f'<p class="meta">{escape(source)}{_detail(summary)} · generated {escape(when)}</p>',
        _versions(summary.versions),
        _caveats(summary.caveats),
        _summary(summary, titles),
        f"<h2>Flagged rows ({len(flagged) + omitted})</h2>",
    ]
    if not flagged:
        parts.append("<p>No row was flagged.</p>")
    # Hits first (the presumption applies), then reviews; file order within each.
    ordered = sorted(flagged, key=lambda r: r.verdict != "hit")
    parts += [_row(row, titles) for row in ordered]
    if omitted:
        parts.append(
            f'<p class="note">{omitted} more flagged row(s) are not shown here; the JSONL output '
            "holds every row.</p>"
        )
    parts.append(f"<h2>Rows not screened ({len(errors)})</h2>")
    parts.append(_errors(errors))
    parts.append(
        '<p class="meta">hit: the rebuttable presumption of the UFLPA applies (a party on the '
        "Entity List on the import date, or a party or facility in Xinjiang); review: a person "
        "must look; clear: no rule fired. HTS sector mappings are uflpa's reasoned mapping, not "
        "an official CBP list. This report is screening evidence, not legal advice.</p>"
    )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _detail(summary: Summary) -> str:
    return f" ({escape(summary.detail)})" if summary.detail else ""


def _versions(versions: Mapping[str, str]) -> str:
    if not versions:
        return ""
    cells = "".join(
        f"<tr><th>{escape(k.replace('_', ' '))}</th><td><code>{escape(str(v))}</code></td></tr>"
        for k, v in versions.items()
    )
    return f"<table>{cells}</table>"


def _caveats(caveats: Sequence[str]) -> str:
    return "".join(f'<p class="caution">caution: {escape(c)}</p>' for c in caveats)


def _summary(summary: Summary, titles: Mapping[str, str]) -> str:
    rows = "".join(
        f'<tr><td><span class="badge {v}">{v}</span></td><td>{summary.verdicts[v]}</td></tr>'
        for v in VERDICTS
    )
    rows += (
        f'<tr><td><span class="badge error">not screened</span></td><td>{summary.errors}</td></tr>'
    )
    out = [
        "<h2>Summary</h2>",
        f"<p>{summary.total} row(s): {summary.screened} screened, {summary.errors} not "
        "screened.</p>",
        f"<table><tr><th>verdict</th><th>rows</th></tr>{rows}</table>",
    ]
    if summary.rules:
        cells = "".join(
            f"<tr><td><code>{escape(rule)}</code></td><td>{escape(titles.get(rule, ''))}</td>"
            f"<td>{n}</td></tr>"
            for rule, n in summary.rules.most_common()
        )
        out.append(
            f"<table><tr><th>rule</th><th>what it means</th><th>rows</th></tr>{cells}</table>"
        )
    if summary.entities:
        cells = "".join(
            f"<tr><td><code>{escape(eid)}</code></td>"
            f"<td>{escape(summary.entity_names.get(eid, ''))}</td><td>{n}</td></tr>"
            for eid, n in summary.entities.most_common(10)
        )
        out.append(
            f"<table><tr><th>listed entity</th><th>name</th><th>rows</th></tr>{cells}</table>"
        )
    return "\n".join(out)


def _row(row: ScreenedRow, titles: Mapping[str, str]) -> str:
    verdict = row.verdict
    ident = f" · id {escape(str(row.id))}" if row.id else ""
    head = (
        f'<h3><span class="badge">{escape(verdict)}</span> row {escape(str(row.row))}{ident}</h3>'
    )
    parts = [f'<section class="row {escape(verdict)}">', head]
    parties: list[dict[str, Any]] = []
    if isinstance(row, ShipmentVerdict):
        parties = [p.to_dict() for p in row.parties]
    elif isinstance(row, PartyRow) and row.name:
        parties = [{"role": "party", "name": row.name}]
    if parties:
        cells = "".join(
            "<tr>"
            + "".join(
                f"<td>{escape(str(p.get(k) or ''))}</td>"
                for k in ("role", "name", "address", "identifier", "country")
            )
            + "</tr>"
            for p in parties
        )
        parts.append(
            "<table><tr><th>role</th><th>name</th><th>address</th><th>identifier</th>"
            f"<th>country</th></tr>{cells}</table>"
        )
    if isinstance(row, ShipmentVerdict):
        facts = _goods_facts(row)
        if facts:
            parts.append(f'<p class="meta">{" · ".join(facts)}</p>')
    items = []
    for reason in row.reasons:
        title = titles.get(reason.rule, "")
        evidence = json.dumps(reason.evidence, ensure_ascii=False, indent=2, default=str)
        ev = reason.evidence if isinstance(reason.evidence, dict) else {}
        why = ev.get("why") if ev.get("entity_id") else None
        # A match's reasons in words; the evidence below keeps them as data.
        matched = f'<br><span class="note">Name match: {escape(why)}</span>' if why else ""
        items.append(
            f'<li><span class="badge {escape(reason.level)}">'
            f"{escape(reason.level)}</span> <code>{escape(reason.rule)}</code>"
            f"{' · ' + escape(title) if title else ''}<br>{escape(reason.says)}{matched}"
            f"<details><summary>evidence</summary><pre>{escape(evidence)}</pre></details></li>"
        )
    if items:
        parts.append(f"<ol>{''.join(items)}</ol>")
    for note in row.notes:
        parts.append(f'<p class="note">note: {escape(note.says)}</p>')
    for issue in row.issues:
        parts.append(
            f'<p class="note">unreadable {escape(issue.column)}: {escape(issue.reason)}</p>'
        )
    parts.append("</section>")
    return "\n".join(parts)


def _goods_facts(row: ShipmentVerdict) -> list[str]:
    goods = row.goods
    facts = [
        f"{label}: <code>{escape(value)}</code>"
        for value, label in ((goods.hts, "HTS"), (goods.country_of_origin, "origin"))
        if value
    ]
    if goods.description:
        facts.append(f"goods: {escape(goods.description)}")
    facts.append(
        f"list read on: {escape(row.as_of.isoformat() if row.as_of else 'current list')}"
        f" ({escape(row.as_of_basis)})"
    )
    return facts


def _errors(errors: Sequence[RowError]) -> str:
    if not errors:
        return "<p>Every row was screened.</p>"
    cells = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape(str(value) if value is not None else '')}</td>"
            for value in (e.file, e.row, e.column, e.reason)
        )
        + "</tr>"
        for e in errors
    )
    return f"<table><tr><th>file</th><th>row</th><th>column</th><th>reason</th></tr>{cells}</table>"
