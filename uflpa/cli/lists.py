"""`uflpa lists ...` (placeholder until the list commands land)."""

import typer

lists_app = typer.Typer(help="The UFLPA Entity List and other lists: show, history, diff, stats.")
