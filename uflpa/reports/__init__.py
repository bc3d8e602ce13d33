"""What a run tells a person: the end-of-run summary, the HTML report of the flagged rows, and the
cell and JSON-line renderings every sink and command share. Reports read typed results
(`uflpa.screening.rows`), never the JSON they are written as.
"""

from uflpa.reports.html import render_report
from uflpa.reports.summary import Summary

__all__ = ["Summary", "render_report"]
