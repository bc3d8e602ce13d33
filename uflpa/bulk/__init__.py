"""The run loops beneath the surfaces: screening a file (`screen_file`), tracing a graph
(`tracing.trace_files`), comparing name pairs (`pairs.compare_pairs`).

Each reads its input, asks the screening core for verdicts, summarises and hands typed rows to
sinks (`sinks`: JSON lines, CSV, Parquet, the HTML report), reporting progress and row problems
through a callback; the CLI (and any later surface) only chooses options and prints. The screener
comes from `uflpa.catalog`, so every run uses the list versions the store says.

Nothing is imported here: a command pays only for the loop it runs (tracing needs NumPy and the
graph package, a screening does not).
"""
