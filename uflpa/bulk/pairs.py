"""Comparing a file of name pairs (`uflpa compare --pairs`): one result per pair, in file order,
with the rows that cannot be read reported in their place."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from uflpa.io import Record, open_table
from uflpa.io.hints import NONE
from uflpa.match import Comparison


def compare_pairs(
    path: Path, compare: Callable[[str, str], Comparison]
) -> Iterator[tuple[dict[str, Any], bool]]:
    """(row, ok) for every data row of the `name1,name2` file: the comparison, or the error."""
    # compare --pairs has neither --column nor --encoding: its messages say what to change.
    table = open_table(path, required=["name1", "name2"], hints=NONE)
    for entry in table:
        if isinstance(entry, Record):
            name1, name2 = entry.values["name1"], entry.values["name2"]
            row = {"row": entry.row, "name1": name1, "name2": name2}
            yield {**row, **compare(name1, name2).to_dict()}, True
        else:
            yield {"row": entry.row, "error": entry.reason, "file": entry.file}, False
