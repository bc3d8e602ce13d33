"""Test-wide settings.

Hypothesis properties check what holds, never how fast: the first example of a run also builds
lazy tables (the name lexicon, typo vocabularies), which on a busy machine exceeds hypothesis'
default 200 ms deadline and made properties flaky. Speed is measured in `benchmarks/`.

Every test runs with its own list store: UFLPA_HOME points at a fresh directory for the session
(tests that need another store set their own), so that no test reads or writes the user's.
"""

from __future__ import annotations

import os
import tempfile

from hypothesis import settings

settings.register_profile("uflpa", deadline=None)
settings.load_profile("uflpa")

_HOME = tempfile.TemporaryDirectory(prefix="uflpa-test-home-")
os.environ["UFLPA_HOME"] = _HOME.name
