"""The run loops beneath the surfaces: screening a file, tracing a graph, comparing name pairs.

Each reads its input, asks the screening core for verdicts, summarises and hands typed rows to
sinks (JSON lines, CSV, Parquet, the HTML report), reporting progress and row problems through a
callback; the CLI (and any later surface) only chooses options and prints. The screener comes
from `uflpa.catalog`, so every run uses the list versions the store says.
"""

from uflpa.bulk.kinds import Kind, detect_kind
from uflpa.bulk.screen_file import (
    RowProblem,
    RunEvents,
    ScreenRequest,
    ScreenRun,
    estimate_rows,
    screen_file,
)
from uflpa.bulk.sinks import (
    CollectSink,
    CsvSink,
    JsonlSink,
    ParquetSink,
    ReportSink,
    RunInfo,
    Sink,
    output_sink,
)
from uflpa.bulk.tracing import TraceRequest, TraceRun, trace_files

__all__ = [
    "CollectSink",
    "CsvSink",
    "JsonlSink",
    "Kind",
    "ParquetSink",
    "ReportSink",
    "RowProblem",
    "RunEvents",
    "RunInfo",
    "ScreenRequest",
    "ScreenRun",
    "Sink",
    "TraceRequest",
    "TraceRun",
    "detect_kind",
    "estimate_rows",
    "output_sink",
    "screen_file",
    "trace_files",
]
