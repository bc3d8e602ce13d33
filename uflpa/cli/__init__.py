"""Command-line surface: thin commands over the library."""
