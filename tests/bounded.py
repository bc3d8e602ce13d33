"""Code run in a child process whose address space is bounded, for the tests of hostile value
sizes: an input that would take unbounded memory fails there, not in the test runner."""

from __future__ import annotations

import resource
import subprocess
import sys
import textwrap

MEMORY = 1536 * 1024 * 1024  # 1.5 GB: the interpreter, the lists and the indexes, with room


def limit_memory() -> None:
    """`preexec_fn` of a child process: cap its address space at MEMORY."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_bounded(code: str, *, timeout: float = 60) -> str:
    """Run `code` in a bounded child Python; its stdout, or the test fails with its stderr."""
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        preexec_fn=limit_memory,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout
