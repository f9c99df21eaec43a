"""Build: the German core's modules (`chronik.compiled.MODULES`) compiled to C with mypyc.

Everything else is in pyproject.toml. The compiled modules give the same results as their
sources in less time (docs/german-core.md, "Speed"). Chronik installs as pure Python instead
where the build cannot compile (no C compiler or Python headers: the build log says so, and
tests/test_compiled.py fails) or is told not to (``CHRONIK_PURE_PYTHON=1 pip install ...``).
Beside the compiled modules the build writes the SHA-256 of each source
(`chronik.compiled.RECORD`), by which an editable install notices an edited source and runs it
(`chronik.compiled.use_sources_if_stale`).
"""

from __future__ import annotations

import json
import os
import runpy
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
compiled = runpy.run_path(str(ROOT / "src" / "chronik" / "compiled.py"))
SOURCES = {m: compiled["source"](m, ROOT / "src" / "chronik") for m in compiled["MODULES"]}


class BuildCompiled(build_ext):
    """Compiles the extensions and records their sources' hashes; if compiling fails, removes
    what was built and leaves the pure-Python package."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as error:  # the compiler's errors come in many classes
            for output in self.get_outputs():
                Path(output).unlink(missing_ok=True)
            print(f"warning: Chronik's core not compiled ({error}); installing pure Python")
            return
        # beside chronik/compiled.py, which reads it
        package = Path(self.get_ext_fullpath("chronik.compiled")).parent
        record = {m: compiled["digest"](path) for m, path in SOURCES.items()}
        (package / compiled["RECORD"]).write_text(json.dumps(record, indent=1), encoding="utf-8")


def extensions() -> list[Extension]:
    if os.environ.get("CHRONIK_PURE_PYTHON"):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:  # a build without pyproject's build requirements (--no-build-isolation)
        print("warning: mypyc not found; installing Chronik's core as pure Python")
        return []
    # the core's types are checked as written; imported libraries' stubs are not needed
    return mypycify(
        [
            "--ignore-missing-imports",
            "--follow-imports=silent",
            *(str(path.relative_to(ROOT)) for path in SOURCES.values()),
        ],
        opt_level="3",
        group_name="chronik",
    )


setup(ext_modules=extensions(), cmdclass={"build_ext": BuildCompiled})
