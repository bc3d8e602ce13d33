"""The Matcher: candidate index + scoring + evidence over one or more list versions."""

from uflpa.match.matcher import Comparison, Matcher, MatchResult

__all__ = ["Comparison", "MatchResult", "Matcher"]
