"""Candidate generation (recall only): which listed names are worth scoring for a query."""
