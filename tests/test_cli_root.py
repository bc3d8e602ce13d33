"""The root command: version, help, and error handling without tracebacks."""

import subprocess
import sys

from uflpa import __version__


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "uflpa", *args], capture_output=True, text=True, check=False
    )


def test_version_prints_package_version_and_build() -> None:
    from uflpa.compiled import build_label

    res = run("--version")
    assert res.returncode == 0
    # The source tree (first on the path here) is pure Python; an installed wheel may not be.
    expected = f"uflpa {__version__} ({build_label()})"
    assert res.stdout.strip() == expected == f"uflpa {__version__} (pure Python)"


def test_unknown_command_is_a_usage_error_without_traceback() -> None:
    res = run("no-such-command")
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert "no-such-command" in res.stderr
