"""Pictures of a traced chain: risk nodes, exposed nodes and exposure paths highlighted.

Goods flow left to right: a node's column is its distance to the end of the chain (the buyers no
one else buys from), so raw materials sit on the left and importers on the right. SVG is drawn
with matplotlib; HTML is one self-contained page with an inline SVG (no scripts or fonts fetched
from the network), so it opens offline and can be attached to a case file. Pictures are for
chains a person can read: more than `MAX_NODES` nodes is refused.
"""

from __future__ import annotations

import html
import itertools
from collections import deque
from pathlib import Path

from uflpa.errors import UsageError
from uflpa.graph.model import OWNS, SUPPLIES
from uflpa.graph.trace import Trace
from uflpa.model import CLEAR, HIT, REVIEW

MAX_NODES = 500
COLOURS = {"risk": "#b2182b", HIT: "#ef8a62", REVIEW: "#f4c542", CLEAR: "#9e9e9e"}
_W, _H = 220.0, 70.0  # spacing of columns and rows, in SVG units


def draw(t: Trace, path: Path) -> None:
    """Write `t` to `path` (.svg or .html)."""
    if t.graph.node_count > MAX_NODES:
        raise UsageError(
            f"--graph draws chains of up to {MAX_NODES} nodes; this one has {t.graph.node_count}"
        )
    suffix = path.suffix.lower()
    if suffix == ".svg":
        _svg_matplotlib(t, path)
    elif suffix in (".html", ".htm"):
        path.write_text(_html(t), encoding="utf-8")
    else:
        raise UsageError(f"--graph: {path.name!r} must end in .svg or .html")


def positions(t: Trace) -> dict[int, tuple[float, float]]:
    """(column, row) per node index: column 0 holds the most upstream nodes."""
    g = t.graph
    n = g.node_count
    supplies = g.active(SUPPLIES, t.day)
    src, dst = g.source[supplies].tolist(), g.target[supplies].tolist()
    buyers_of: list[list[int]] = [[] for _ in range(n)]
    suppliers_of: list[list[int]] = [[] for _ in range(n)]
    for s, d in zip(src, dst, strict=True):
        buyers_of[s].append(d)
        suppliers_of[d].append(s)
    depth = [-1] * n
    queue = deque(i for i in range(n) if not buyers_of[i])
    for i in queue:
        depth[i] = 0
    while queue:
        v = queue.popleft()
        for u in suppliers_of[v]:
            if depth[u] < 0:
                depth[u] = depth[v] + 1
                queue.append(u)
    depth = [max(d, 0) for d in depth]
    top = max(depth, default=0)
    rows: dict[int, int] = {}
    out = {}
    for i in sorted(range(n), key=lambda i: (depth[i], g.ids[i])):
        column = top - depth[i]
        out[i] = (float(column), float(rows.get(column, 0)))
        rows[column] = rows.get(column, 0) + 1
    return out


def _styles(t: Trace) -> tuple[list[str], set[tuple[int, int]]]:
    """Colour per node and the (source, target) pairs on some exposure path."""
    verdicts = t.verdicts()
    colours = []
    for i, verdict in enumerate(verdicts):
        status = t.statuses.get(i)
        own_hit = status is not None and status.verdict == HIT
        colours.append(COLOURS["risk"] if own_hit else COLOURS[verdict])
    index = t.graph.index()
    hot: set[tuple[int, int]] = set()
    for i, verdict in enumerate(verdicts):
        if verdict == CLEAR:
            continue
        for e in t.node(i).exposure:
            steps = [index[x] for x in e.path]
            for a, b in itertools.pairwise(steps):
                # paths run from the node back upstream: the edge goes b -> a
                hot.add((b, a))
    return colours, hot


def _edges(t: Trace) -> list[tuple[int, int, str]]:
    g = t.graph
    out = []
    for relation in (SUPPLIES, OWNS):
        mask = g.active(relation, t.day)
        for s, d in zip(g.source[mask].tolist(), g.target[mask].tolist(), strict=True):
            out.append((s, d, relation))
    return out


def _svg_matplotlib(t: Trace, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pos = positions(t)
    colours, hot = _styles(t)
    columns = max((x for x, _ in pos.values()), default=0) + 1
    height = max((y for _, y in pos.values()), default=0) + 1
    fig, ax = plt.subplots(figsize=(max(6.0, 3.2 * columns), max(3.0, 1.0 * height)))
    for s, d, relation in _edges(t):
        (x1, y1), (x2, y2) = pos[s], pos[d]
        on_path = (s, d) in hot
        ax.annotate(
            "",
            xy=(x2, -y2),
            xytext=(x1, -y1),
            arrowprops={
                "arrowstyle": "->",
                "color": COLOURS["risk"] if on_path else "#777777",
                "lw": 2.4 if on_path else 0.9,
                "linestyle": "--" if relation == OWNS else "-",
                "shrinkA": 12,
                "shrinkB": 12,
            },
        )
    for i, (x, y) in pos.items():
        ax.scatter([x], [-y], s=260, color=colours[i], zorder=3, edgecolors="black")
        ax.annotate(
            t.graph.names[i] or t.graph.ids[i],
            (x, -y),
            xytext=(0, -16),
            textcoords="offset points",
            ha="center",
            fontsize=7,
        )
    ax.set_title(f"supply chain traced on {t.day.isoformat()} (red: risk; orange: hit)")
    ax.axis("off")
    ax.margins(0.15)
    fig.tight_layout()
    fig.savefig(path, format="svg")
    plt.close(fig)


def svg_text(t: Trace) -> str:
    """The chain as one SVG document, written by hand (what the HTML page embeds)."""
    pos = positions(t)
    colours, hot = _styles(t)
    verdicts = t.verdicts()
    width = (max((x for x, _ in pos.values()), default=0) + 1) * _W + 40
    height = (max((y for _, y in pos.values()), default=0) + 1) * _H + 40

    def xy(i: int) -> tuple[float, float]:
        x, y = pos[i]
        return 20 + x * _W + _W / 2, 30 + y * _H

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="sans-serif" font-size="11">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" '
        'markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/>'
        "</marker></defs>",
    ]
    for s, d, relation in _edges(t):
        (x1, y1), (x2, y2) = xy(s), xy(d)
        on_path = (s, d) in hot
        colour = COLOURS["risk"] if on_path else "#888888"
        dash = ' stroke-dasharray="5,4"' if relation == OWNS else ""
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
            f'stroke-width="{3 if on_path else 1}"{dash} marker-end="url(#arrow)">'
            f"<title>{html.escape(t.graph.ids[s])} {relation} {html.escape(t.graph.ids[d])}"
            "</title></line>"
        )
    for i in pos:
        x, y = xy(i)
        label = html.escape(t.graph.names[i] or t.graph.ids[i])
        parts.append(
            f'<g class="node {verdicts[i]}"><circle cx="{x:.1f}" cy="{y:.1f}" r="9" '
            f'fill="{colours[i]}" stroke="black"><title>{html.escape(t.graph.ids[i])}: '
            f"{verdicts[i]}</title></circle>"
            f'<text x="{x:.1f}" y="{y + 22:.1f}" text-anchor="middle">{label}</text></g>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _html(t: Trace) -> str:
    rows = []
    for n in t.nodes():
        if n.verdict == CLEAR:
            continue
        shortest = n.exposure[0] if n.exposure else None
        path = " ← ".join(shortest.path) if shortest else ""
        rows.append(
            f"<tr><td>{html.escape(n.id)}</td><td>{html.escape(n.name)}</td>"
            f"<td class='{n.verdict}'>{n.verdict}</td><td>{html.escape(path)}</td></tr>"
        )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>uflpa trace</title><style>"
        "body{font-family:sans-serif;margin:1.5em}td,th{padding:2px 8px;text-align:left}"
        ".hit{color:#b2182b;font-weight:bold}.review{color:#a07800}</style></head><body>"
        f"<h1>Supply chain traced on {t.day.isoformat()}</h1>"
        "<p>Goods flow left to right. Red: hit on its own (risk node); orange: hit through "
        "supply or ownership; yellow: review; grey: clear. Thick red arrows lie on an exposure "
        "path; dashed arrows are ownership.</p>"
        f"{svg_text(t)}"
        "<h2>Flagged nodes</h2><table><tr><th>id</th><th>name</th><th>verdict</th>"
        f"<th>shortest exposure path</th></tr>{''.join(rows)}</table></body></html>\n"
    )
