"""Which build of uflpa is running: mypyc-compiled extensions (hatch_build.py) or pure Python.

The two must give the same answers (tests/test_compiled_build.py holds them to it); this says
which one a user has, for `uflpa --version` and for benchmark figures.
"""

from __future__ import annotations

from pathlib import Path

_EXTENSIONS = (".so", ".pyd")


def compiled_modules() -> list[str]:
    """Dotted names of the uflpa modules installed as compiled extensions (empty: pure Python)."""
    package = Path(__file__).resolve().parent
    found = []
    for path in package.rglob("*"):
        if path.suffix in _EXTENSIONS:
            parts = path.relative_to(package.parent).parts
            found.append(".".join((*parts[:-1], parts[-1].split(".", 1)[0])))
    return sorted(found)


def build_label() -> str:
    """'mypyc-compiled, N modules' or 'pure Python'."""
    modules = compiled_modules()
    return f"mypyc-compiled, {len(modules)} modules" if modules else "pure Python"
