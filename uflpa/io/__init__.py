"""Reading user files: party lists and shipment files in CSV, TSV, XLSX or Parquet.

`open_table(path, required=[...])` returns a `Table`; iterating it yields one `Record` or one
`RowIssue` per non-blank data row, so that good rows plus reported rows equal the input rows.
Problems with the whole file raise `uflpa.errors.InputError` naming the file, row and column.
"""

from __future__ import annotations

from uflpa.io.columns import parse_column_options
from uflpa.io.records import Record, RowIssue
from uflpa.io.tables import Table, open_table

__all__ = ["Record", "RowIssue", "Table", "open_table", "parse_column_options"]
