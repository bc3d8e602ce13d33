"""Wheel build hook: compile the per-row screening path with mypyc, or ship pure Python.

Screening a file runs name analysis, candidate search, scoring, place scanning and the rules
once per row, and the time is spread across all of them, so no single function is worth a
hand-written extension. mypyc compiles the same typed modules to C instead: the source stays the
one truth (the .py files ship beside the extensions, and the tests compare the two), and a
machine without a C compiler still installs, only slower.

Skipped for editable installs (a developer's edits must take effect without a rebuild) and when
UFLPA_PURE_PYTHON is set to anything but 0. If compilation fails the wheel is pure Python and a
warning says why; `uflpa --version` tells which build is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# mypy settings for the compile only. The isolated build environment has mypy but not the
# runtime libraries, so their types are unknown there; `mypy --strict uflpa` in CI is the check.
_MYPY_CONFIG = """[mypy]
python_version = 3.11
ignore_missing_imports = True
follow_imports = silent
"""

_SETUP = """import sys
from setuptools import setup
from mypyc.build import mypycify

paths = sys.argv[sys.argv.index("--") + 1 :]
del sys.argv[sys.argv.index("--") :]
setup(
    name="uflpa-compiled",
    ext_modules=mypycify(
        ["--config-file", {config!r}, "--cache-dir", {cache!r}, *paths],
        opt_level="3",
        target_dir={target!r},
    ),
)
"""


class MypycBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        if os.environ.get("UFLPA_PURE_PYTHON", "0") not in ("", "0"):
            self.app.display_info("uflpa: UFLPA_PURE_PYTHON is set: building pure Python")
            return
        root = Path(self.root)
        modules = sorted(
            str(p.relative_to(root))
            for pattern in self.config.get("modules", [])
            for p in root.glob(pattern)
            if p.name != "__init__.py"
        )
        self._work = Path(tempfile.mkdtemp(prefix="uflpa-mypyc-"))
        lib = self._work / "lib"
        config = self._work / "mypy.ini"
        config.write_text(_MYPY_CONFIG, encoding="utf-8")
        setup = self._work / "setup.py"
        setup.write_text(
            _SETUP.format(
                config=str(config),
                cache=str(self._work / "mypy_cache"),
                target=str(self._work / "c"),
            ),
            encoding="utf-8",
        )
        command = [
            sys.executable,
            str(setup),
            "build_ext",
            "--build-lib",
            str(lib),
            "--build-temp",
            str(self._work / "tmp"),
            "--",
            *modules,
        ]
        proc = subprocess.run(command, cwd=root, capture_output=True, text=True)
        if proc.returncode != 0:
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
            self.app.display_warning(
                f"uflpa: mypyc compilation failed, building pure Python (slower):\n{tail}"
            )
            return
        built = sorted(lib.rglob("*.so")) + sorted(lib.rglob("*.pyd"))
        for path in built:
            build_data["force_include"][str(path)] = str(path.relative_to(lib))
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        self.app.display_info(f"uflpa: compiled {len(modules)} modules with mypyc")

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        work = getattr(self, "_work", None)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
