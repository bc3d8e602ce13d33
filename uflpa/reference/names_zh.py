"""The reviewed table of Chinese names of UFLPA-listed entities (`data/uflpa_names_zh.csv`).

The official list is English only; this enrichment lets an invoice in Chinese characters reach
the listed entity. Each row keeps its provenance, which the evidence of a match repeats.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class ChineseName:
    entity_id: str
    name_zh: str
    form: str  # registered | short | former | alias
    source: str
    confidence: str


@lru_cache(maxsize=1)
def chinese_names() -> dict[str, tuple[ChineseName, ...]]:
    """Entity id → its Chinese names, in file order."""
    text = resources.files("uflpa.data").joinpath("uflpa_names_zh.csv").read_text("utf-8")
    out: dict[str, list[ChineseName]] = {}
    for row in csv.DictReader(text.splitlines()):
        name = ChineseName(
            entity_id=row["entity_id"],
            name_zh=row["name_zh"],
            form=row["form"],
            source=row["source"],
            confidence=row["confidence"],
        )
        out.setdefault(name.entity_id, []).append(name)
    return {k: tuple(v) for k, v in out.items()}
