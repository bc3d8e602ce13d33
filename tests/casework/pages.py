"""List update pages for casework tests and the monitor benchmark, in the layout of
dhs.gov/uflpa-entity-list (one table per section of the Act), written from a list version's
entities plus invented ones. The invented names are test data, not listed entities."""

from __future__ import annotations

import html
from datetime import date

from uflpa.model import ListVersion

SECTIONS = {
    "2(d)(2)(B)(i)": "entities in Xinjiang that mine, produce, or manufacture wholly or in part "
    "any goods, wares, articles and merchandise with forced labor",
    "2(d)(2)(B)(ii)": "entities working with the government of the XUAR to recruit, transport, "
    "transfer, harbor or receive forced labor or Uyghurs",
    "2(d)(2)(B)(iv)": "entities that exported products made by entities in (i) or (ii) from the "
    "PRC into the United States",
    "2(d)(2)(B)(v)": "facilities and entities that source material from the XUAR or from persons "
    "working with the XUAR government",
}

Row = tuple[str, str, date]  # name cell, section, effective date

_PLACES = ["Lianyungang", "Zhoushan", "Weihai", "Rizhao", "Ningde", "Zhanjiang", "Beihai", "Yantai"]
_TRADE = ["Brightwater", "Silverline", "Evergreen", "Harborlight", "Jadewave", "Goldreef",
          "Bluecrest", "Sunhaven"]  # fmt: skip
_TRADES = ["Seafood", "Aquatic Products", "Textile", "Polysilicon", "Aluminium", "PVC Resin"]


def rows_of(version: ListVersion) -> list[Row]:
    """Every listing of `version` as a row of the page, aliases in the name cell."""
    out: list[Row] = []
    for e in version.entities:
        cell = e.name
        if e.aliases:
            cell += " (also known as " + "; ".join(e.aliases) + ")"
        if e.subsidiaries:
            cell += " and subsidiaries"
        for lst in e.listings:
            section = lst.section if lst.section in SECTIONS else "2(d)(2)(B)(v)"
            out.append((cell, section, lst.effective_date or date(2022, 6, 21)))
    return out


def invented(n: int, effective: date, start: int = 0) -> list[Row]:
    """`n` invented entities, distinct and deterministic (INVENTED test data)."""
    out = []
    for i in range(start, start + n):
        place = _PLACES[i % len(_PLACES)]
        trade = _TRADE[(i // len(_PLACES)) % len(_TRADE)]
        kind = _TRADES[(i // (len(_PLACES) * len(_TRADE))) % len(_TRADES)]
        out.append((f"{place} {trade} {kind} Co., Ltd.", "2(d)(2)(B)(iv)", effective))
    return out


def page(rows: list[Row], updated: date) -> str:
    """The HTML page of `rows`."""
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<title>UFLPA Entity List | Homeland Security</title></head><body>"
        "<h1>UFLPA Entity List</h1>"
    ]
    for section, words in SECTIONS.items():
        mine = [r for r in rows if r[1] == section]
        if not mine:
            continue
        parts.append(
            f"<h2>Section {section} of the UFLPA: {words}</h2><table><thead><tr>"
            "<th>Name of Entity</th><th>Effective Date</th></tr></thead><tbody>"
        )
        for cell, _, day in mine:
            parts.append(
                f"<tr><td>{html.escape(cell)}</td><td>{day:%B} {day.day}, {day.year}</td></tr>"
            )
        parts.append("</tbody></table>")
    parts.append(f"<p>Last Updated: {updated:%m/%d/%Y}</p></body></html>")
    return "\n".join(parts)
