"""Bundled reference data (see PROVENANCE.md)."""
