"""Text below every layer: scripts, normalisation and traditional-to-simplified Han."""
