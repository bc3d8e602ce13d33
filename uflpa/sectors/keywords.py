"""Product words in a goods description that hint at a UFLPA high-priority sector.

A hint is weaker than an HTS match and kept apart from it: "cotton" in a description may be a
blend, "steel" may be a fitting on an otherwise unrelated article. Hints tell a reviewer where to
ask for supply-chain documents; they never decide a verdict alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from uflpa.sectors.hts import load_sector_rules
from uflpa.text.script import has_han

# sector -> (keyword label, regex). Latin patterns match whole words, case-insensitively, with an
# optional plural; Han patterns match anywhere (Chinese has no spaces).
_KEYWORDS: dict[str, tuple[tuple[str, str], ...]] = {
    "cotton and cotton products": (
        ("cotton", r"cotton(?:[- ]?seed)?s?"),
        ("yarn", r"yarns?"),
        ("denim", r"denims?"),
        ("cotton linters", r"linters?"),
        ("棉", r"棉"),
        ("纱线", r"纱线|棉纱"),
    ),
    "apparel": (
        ("apparel", r"apparel"),
        ("garment", r"garments?"),
        ("clothing", r"clothing|clothes"),
        ("T-shirt", r"t[- ]?shirts?|tee[- ]?shirts?|tees"),
        ("shirt", r"(?:polo |dress )?shirts?"),
        ("jeans", r"jeans"),
        ("sweater", r"sweaters?|pullovers?|hoodies?|sweatshirts?|knitwear"),
        ("trousers", r"trousers|pants"),
        ("jacket", r"jackets?"),
        ("socks", r"socks|hosiery"),
        ("underwear", r"underwear"),
        ("服装", r"服装|服饰|成衣|衣服"),
        ("衣裤", r"衬衫|T恤|针织衫|毛衣|卫衣|牛仔裤|裤|夹克"),
    ),
    "silica-based products (incl. polysilicon)": (
        ("polysilicon", r"poly[- ]?silicon|polycrystalline silicon"),
        ("silicon", r"silicon(?: metal| wafers?)?"),
        ("solar module", r"solar (?:modules?|panels?|cells?)|pv (?:modules?|panels?|cells?)"),
        ("photovoltaic", r"photovoltaics?"),
        ("wafer", r"wafers?"),
        ("quartz", r"quartz"),
        ("silica", r"silica"),
        ("ferrosilicon", r"ferro[- ]?silicon"),
        ("多晶硅", r"多晶硅|单晶硅|硅片|硅料|工业硅|金属硅"),
        ("光伏", r"光伏|太阳能电池|太阳能板|太阳能组件"),
        ("硅", r"硅"),
        ("石英", r"石英"),
    ),
    "tomatoes and downstream products": (
        ("tomato", r"tomato(?:es)?(?: paste| sauce| puree| concentrate)?"),
        ("ketchup", r"ketchup|catsup"),
        ("passata", r"passata"),
        ("lycopene", r"lycopene"),
        ("番茄", r"番茄|西红柿"),
    ),
    "aluminum": (
        ("aluminum", r"alumin(?:i)?um"),
        ("alumina", r"alumina"),
        ("bauxite", r"bauxite"),
        ("铝", r"铝"),
    ),
    "polyvinyl chloride (PVC)": (
        ("PVC", r"pvc|u[- ]?pvc"),
        ("polyvinyl chloride", r"poly[- ]?vinyl chloride|vinyl chloride"),
        ("vinyl flooring", r"vinyl (?:flooring|floor tiles?|planks?)|lvt|spc flooring"),
        ("calcium carbide", r"calcium carbide"),
        ("聚氯乙烯", r"聚氯乙烯|氯乙烯|电石"),
    ),
    "seafood": (
        ("seafood", r"sea[- ]?food"),
        ("fish", r"fish(?: fillets?| meal)?|fillets?"),
        ("shrimp", r"shrimps?|prawns?"),
        ("squid", r"squids?|octopus|cuttlefish"),
        ("pollock", r"pollock|cod|salmon|tuna|tilapia|haddock"),
        ("crab", r"crabs?|lobsters?"),
        ("海鲜", r"海鲜|水产|鱼|虾|蟹|鱿"),
    ),
    "steel": (
        ("steel", r"(?:stainless )?steel"),
        ("iron ore", r"iron ores?|pig iron"),
        ("钢", r"钢(?![琴笔])|铁矿|生铁"),
    ),
    "copper": (
        ("copper", r"copper"),
        ("铜", r"铜"),
    ),
    "lithium": (
        ("lithium", r"lithium(?:[- ]ion)?|li[- ]ion"),
        ("spodumene", r"spodumene|lepidolite"),
        ("LiPF6", r"lipf6"),
        ("锂", r"锂"),
    ),
    "caustic soda": (
        ("caustic soda", r"caustic soda"),
        ("sodium hydroxide", r"sodium hydroxide|soda lye"),
        ("烧碱", r"烧碱|氢氧化钠|片碱"),
    ),
    "red dates (jujubes)": (
        ("jujube", r"jujubes?"),
        ("red dates", r"red dates?|chinese dates?"),
        ("红枣", r"红枣|大枣|枣"),
    ),
}


@dataclass(frozen=True, slots=True)
class SectorHint:
    """A sector suggested by a word in a description; `strength` is always 'hint'."""

    sector: str
    year_named: int
    keyword: str
    matched: str
    span: tuple[int, int]
    strength: str = "hint"

    def to_dict(self) -> dict[str, Any]:
        return {
            "sector": self.sector,
            "year_named": self.year_named,
            "keyword": self.keyword,
            "matched": self.matched,
            "span": list(self.span),
            "strength": self.strength,
        }


@cache
def _patterns() -> tuple[tuple[str, int, str, re.Pattern[str]], ...]:
    years = {r.sector: r.year_named for r in load_sector_rules()}
    out = []
    for sector, words in _KEYWORDS.items():
        for label, pattern in words:
            if has_han(pattern):
                compiled = re.compile(pattern)
            else:
                compiled = re.compile(rf"(?<![^\W_])(?:{pattern})(?![^\W_])", re.IGNORECASE)
            out.append((sector, years[sector], label, compiled))
    return tuple(out)


def sectors_for_description(text: str) -> list[SectorHint]:
    """Sector hints for a goods description, in text order; one per sector and keyword, and none
    inside a longer hint of the same sector ('T-shirts' does not also give 'shirts')."""
    found = []
    for sector, year, label, pattern in _patterns():
        m = pattern.search(text)
        if m:
            found.append(SectorHint(sector, year, label, m.group(), m.span()))
    kept = [h for h in found if not any(_inside(h, o) for o in found)]
    return sorted(kept, key=lambda h: (h.span, h.sector))


def _inside(h: SectorHint, other: SectorHint) -> bool:
    """True when `h` lies within `other`'s span (strictly smaller), for the same sector."""
    return (
        h is not other
        and h.sector == other.sector
        and other.span[0] <= h.span[0]
        and h.span[1] <= other.span[1]
        and (other.span[1] - other.span[0]) > (h.span[1] - h.span[0])
    )
