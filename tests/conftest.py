"""Test-wide settings.

Hypothesis properties check what holds, never how fast: the first example of a run also builds
lazy tables (the name lexicon, typo vocabularies), which on a busy machine exceeds hypothesis'
default 200 ms deadline and made properties flaky. Speed is measured in `benchmarks/`.
"""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("uflpa", deadline=None)
settings.load_profile("uflpa")
