"""Small bar charts drawn as inline SVG (no script, no font fetched, readable in print): the
parties per tier, the documents per tier, the share of inputs by origin."""

from __future__ import annotations

from html import escape

_BAR, _GAP, _LABEL_W, _W = 22, 8, 190, 560


def bar_chart(title: str, rows: list[tuple[str, float]], *, unit: str = "") -> str:
    """Horizontal bars, one per (label, value); an empty chart says so in words."""
    if not rows:
        return f'<p class="chart-empty">{escape(title)}: nothing to show.</p>'
    top = max(v for _, v in rows) or 1.0
    height = len(rows) * (_BAR + _GAP) + 34
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{_W}" height="{height}" '
        f'viewBox="0 0 {_W} {height}" font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="14" font-weight="bold">{escape(title)}</text>',
    ]
    span = _W - _LABEL_W - 70
    for i, (label, value) in enumerate(rows):
        y = 26 + i * (_BAR + _GAP)
        width = max(1.0, span * value / top) if value else 0.0
        shown = f"{value:g}{unit}"
        parts.append(
            f'<text x="{_LABEL_W - 8}" y="{y + _BAR * 0.7:.1f}" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect x="{_LABEL_W}" y="{y}" width="{width:.1f}" height="{_BAR}" fill="#4a6fa5"/>'
            f'<text x="{_LABEL_W + width + 6:.1f}" y="{y + _BAR * 0.7:.1f}">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
