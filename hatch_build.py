"""Wheel build hook: compile the per-row screening path with mypyc, or ship pure Python.

Screening a file runs name analysis, candidate search, scoring, place scanning and the rules
once per row, and the time is spread across all of them, so no single function is worth a
hand-written extension. mypyc compiles the same typed modules to C instead: the source stays the
one truth (the .py files ship beside the extensions, and the tests compare the two), and a
machine without a C compiler still installs, only slower.

Skipped for editable installs (a developer's edits must take effect without a rebuild) and when
UFLPA_PURE_PYTHON is set to anything but 0. If compilation fails the wheel is pure Python and a
warning says why; `uflpa --version` tells which build is installed.

Compiling is most of the time `pip install .` takes, so it is done once per source state and
as fast as the machine allows:

* every module goes to its own C file (mypyc's `multi_file`), and the C files are compiled in
  parallel, one compiler per core (`UFLPA_BUILD_JOBS` to change it);
* the compiled extensions are kept in `build/mypyc-cache/<key>/` of the source tree, the key
  being a hash of every source file of the package, this hook, the module list, Python, the
  platform and the versions of mypy and setuptools. Installing again from an unchanged tree (the
  README's second command after its first) reuses them instead of compiling again; any change
  to a source file makes a new key. `UFLPA_MYPYC_CACHE=0` compiles afresh and stores nothing.
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from importlib import metadata
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
from concurrent.futures import ThreadPoolExecutor

from setuptools import setup
from mypyc.build import mypycify
import distutils.ccompiler

JOBS = {jobs!r}


def parallel_compile(self, sources, output_dir=None, macros=None, include_dirs=None, debug=0,
                     extra_preargs=None, extra_postargs=None, depends=None):
    # distutils compiles an extension's C files one after the other; one compiler per core.
    macros, objects, extra_postargs, pp_opts, build = self._setup_compile(
        output_dir, macros, include_dirs, sources, depends, extra_postargs
    )
    cc_args = self._get_cc_args(pp_opts, debug, extra_preargs)

    def one(obj):
        if obj in build:
            src, ext = build[obj]
            self._compile(obj, src, ext, cc_args, extra_postargs, pp_opts)

    with ThreadPoolExecutor(JOBS) as pool:
        list(pool.map(one, objects))
    return objects


if JOBS > 1:
    distutils.ccompiler.CCompiler.compile = parallel_compile

paths = sys.argv[sys.argv.index("--") + 1 :]
del sys.argv[sys.argv.index("--") :]
setup(
    name="uflpa-compiled",
    ext_modules=mypycify(
        ["--config-file", {config!r}, "--cache-dir", {cache!r}, *paths],
        opt_level="3",
        multi_file=True,
        target_dir={target!r},
    ),
)
"""

#: Compiled builds kept in the cache; older ones are removed when a new one is stored.
_CACHE_KEEP = 2


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
        cache = self._cache_dir(root, modules)
        if cache is not None and (cache / "done").is_file():
            self._include(build_data, cache / "lib")
            self.app.display_info(
                f"uflpa: {len(modules)} modules already compiled with mypyc for these sources "
                f"(reused from {cache.relative_to(root)})"
            )
            return
        self._work = Path(tempfile.mkdtemp(prefix="uflpa-mypyc-"))
        lib = self._work / "lib"
        config = self._work / "mypy.ini"
        config.write_text(_MYPY_CONFIG, encoding="utf-8")
        setup = self._work / "setup.py"
        setup.write_text(
            _SETUP.format(
                jobs=_jobs(),
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
            f"--parallel={_jobs()}",
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
        if cache is not None:
            lib = self._store(cache, lib)
        self._include(build_data, lib)
        self.app.display_info(f"uflpa: compiled {len(modules)} modules with mypyc")

    def _include(self, build_data: dict[str, Any], lib: Path) -> None:
        built = sorted(lib.rglob("*.so")) + sorted(lib.rglob("*.pyd"))
        for path in built:
            build_data["force_include"][str(path)] = str(path.relative_to(lib))
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def _cache_dir(self, root: Path, modules: list[str]) -> Path | None:
        """Where the extensions compiled from exactly these sources are kept (None: no cache).

        The key covers everything the compiled code depends on: all of the package's sources
        (mypyc reads the types of the modules the compiled ones import), this hook, the module
        list, Python and the platform, and the versions of mypy and setuptools.
        """
        if os.environ.get("UFLPA_MYPYC_CACHE", "1") in ("0", "no", "false"):
            return None
        digest = hashlib.sha256()
        parts = [
            sys.version,
            platform.platform(),
            str(sysconfig.get_config_var("EXT_SUFFIX")),
            *(f"{name}=={_version(name)}" for name in ("mypy", "setuptools")),
            *(f"{var}={os.environ.get(var, '')}" for var in ("CC", "CFLAGS", "LDFLAGS")),
            *modules,
        ]
        for part in parts:
            digest.update(part.encode() + b"\0")
        for path in sorted([Path(__file__), *(root / "uflpa").rglob("*.py*")]):
            if path.suffix in (".py", ".pyi") and path.is_file():
                digest.update(
                    str(path.relative_to(root) if path.is_relative_to(root) else path.name).encode()
                    + b"\0"
                )
                digest.update(path.read_bytes() + b"\0")
        return root / "build" / "mypyc-cache" / digest.hexdigest()[:24]

    def _store(self, cache: Path, lib: Path) -> Path:
        """Keep the compiled extensions under `cache` (moved in whole, so a reader never sees a
        half-written entry) and return where they now are; older entries beyond `_CACHE_KEEP`
        are removed. On any failure the build goes on from `lib`."""
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".new-", dir=cache.parent))
            shutil.copytree(lib, staging / "lib")
            (staging / "done").write_text("compiled by hatch_build.py\n", encoding="utf-8")
            if cache.exists():
                shutil.rmtree(cache, ignore_errors=True)
            staging.rename(cache)
            entries = sorted(
                (
                    p
                    for p in cache.parent.iterdir()
                    if p.is_dir() and p != cache and not p.name.startswith(".")
                ),
                key=lambda p: p.stat().st_mtime,
                reverse=True,
            )
            for old in entries[_CACHE_KEEP - 1 :]:
                shutil.rmtree(old, ignore_errors=True)
        except OSError as exc:
            self.app.display_warning(f"uflpa: the compiled modules are not cached: {exc}")
            return lib
        return cache / "lib"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        work = getattr(self, "_work", None)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


def _jobs() -> int:
    """C compilers run at once: UFLPA_BUILD_JOBS, else one per core."""
    given = os.environ.get("UFLPA_BUILD_JOBS", "")
    if given.isdigit() and int(given) > 0:
        return int(given)
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "none"
