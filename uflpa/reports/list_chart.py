"""The chart behind `uflpa lists chart` and the service's list page: entities listed over time, per
section and in total."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

from uflpa.errors import UsageError
from uflpa.model import ListVersion

CHART_FORMATS = (".png", ".svg")


def _short_section(section: str) -> str:
    if section == "unknown":
        return "section not stated"
    return section.removeprefix("2(d)(2)(B)") or section


def write_chart(version: ListVersion, out: Path, day: date, *, caption: str | None) -> None:
    """Draw cumulative listed entities by section up to `day` and save it to `out` (PNG or SVG)."""
    suffix = out.suffix.lower()
    if suffix not in CHART_FORMATS:
        raise UsageError(f"--out must end in .png or .svg, not {out.suffix or 'nothing'!r}")
    # Matplotlib is imported here so that other commands do not pay for it; Agg draws to files
    # only and needs no display.
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    events = sorted(
        {
            d
            for e in version.entities
            for lst in e.listings
            for d in (lst.effective_date, lst.removal_date)
            if d is not None and d <= day
        }
    )
    if not events:
        raise UsageError(f"no entity of {version.version_id} was listed on or before {day}")
    start = events[0] - timedelta(days=30)
    xs = [start, *events, day]
    x_axis = cast(Any, xs)  # matplotlib plots dates; its stubs only name arrays
    sections = sorted({lst.section for e in version.entities for lst in e.listings})

    def count(d: date, section: str | None) -> int:
        return sum(
            1
            for e in version.entities
            if any(lst.active_on(d) and section in (None, lst.section) for lst in e.listings)
        )

    fig, ax = plt.subplots(figsize=(9, 5), dpi=110)
    ax.step(x_axis, [count(d, None) for d in xs], where="post", linewidth=2.2, label="all entities")
    for section in sections:
        ax.step(
            x_axis, [count(d, section) for d in xs], where="post", label=_short_section(section)
        )
    ax.set_title(f"{version.list_name}: entities listed over time (to {day.isoformat()})")
    ax.set_ylabel("entities listed")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", title="section")
    fig.autofmt_xdate()
    if caption:
        fig.subplots_adjust(bottom=0.24)
        fig.text(0.01, 0.01, caption, fontsize=7, wrap=True, color="#555555")
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        fig.savefig(out, format=suffix.lstrip("."))
    except OSError as exc:
        raise UsageError(f"cannot write {out}: {exc.strerror or exc}") from exc
    finally:
        plt.close(fig)
