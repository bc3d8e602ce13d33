"""`uflpa match`, `compare` and `screen` (placeholder until the matcher lands)."""

import typer


def register(app: typer.Typer) -> None:
    """Add the matching commands to the root app."""
