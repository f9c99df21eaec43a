"""The German core's modules that the build compiles to C (mypyc, see setup.py), and the check
that a compiled build still matches its sources.

The modules are plain, type-checked Python; compiled, they give the same results in less time.
Where the build could not compile them (no C compiler, or ``CHRONIK_PURE_PYTHON=1`` at install),
Python runs the sources. In an editable install a compiled module would shadow its edited
source, so on import Chronik compares the sources with the hashes the build recorded
(``compiled-sources.json``); if any differs it runs all of them as Python, with a warning, until
the next build (``pip install -e .``). This module imports nothing but the standard library:
setup.py reads `MODULES` from it.

Compiled, a dataclass's generated methods (`__init__`, ...) run as Python: the classes made
most often (tokens, clauses, arguments, NER spans, ...) have an `__init__` of their own, five
times cheaper compiled, and those that cross a process boundary a `__reduce__` that rebuilds them
through it (a compiled class with its own `__init__` cannot be unpickled otherwise, nor can a
frozen one: mypyc restores fields through the frozen `__setattr__`). A Document and its layers
pickle (tests/test_compiled.py); `chronik.kb`, whose actor dictionaries corpus workers receive,
stays Python.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import sys
import warnings
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

#: compiled together (one mypyc group): the Document and its layers, the tokenizer, tagger, NER,
#: entities stage, gazetteer and clause rules
MODULES = (
    "chronik.document",
    "chronik.gazetteer",
    "chronik.ner",
    "chronik.ner.corpus",
    "chronik.ner.embed",
    "chronik.ner.features",
    "chronik.ner.model",
    "chronik.stages.clauses",
    "chronik.stages.entities",
    "chronik.stages.tag",
    "chronik.stages.tokenize",
    "chronik.syntax",
    "chronik.tagger",
)
#: written by the build next to the compiled modules: module -> SHA-256 of its source
RECORD = "compiled-sources.json"
PACKAGE = Path(__file__).resolve().parent


def source(module: str, package: Path = PACKAGE) -> Path:
    """The source file of one of `MODULES` ("chronik.ner" -> chronik/ner/__init__.py)."""
    path = package.joinpath(*module.split(".")[1:])
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stale(package: Path = PACKAGE) -> list[str]:
    """The compiled modules whose source differs from what the build compiled (none if the
    build compiled nothing)."""
    record = package / RECORD
    if not record.is_file():
        return []
    built = json.loads(record.read_text(encoding="utf-8"))
    paths = {module: source(module, package) for module in built}
    return [
        module
        for module, sha in built.items()
        if not paths[module].is_file() or digest(paths[module]) != sha
    ]


def status() -> dict[str, str]:
    """How each of `MODULES` runs in this process: "compiled" or "python" (imports them)."""
    compiled = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    return {
        module: "compiled"
        if str(getattr(importlib.import_module(module), "__file__", "")).endswith(compiled)
        else "python"
        for module in MODULES
    }


class _Sources(importlib.abc.MetaPathFinder):
    """Loads `MODULES` from their .py files, past the compiled extensions beside them."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        if fullname not in MODULES:
            return None
        file = source(fullname)
        return importlib.util.spec_from_file_location(
            fullname,
            file,
            submodule_search_locations=[str(file.parent)] if file.name == "__init__.py" else None,
        )


def use_sources_if_stale() -> None:
    """If the compiled modules no longer match their sources, run the sources (all of them: the
    compiled modules call each other directly) and say so."""
    changed = stale()
    if not changed or any(isinstance(f, _Sources) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _Sources())
    warnings.warn(
        f"Chronik's compiled modules are older than their sources ({', '.join(changed)}): "
        "running the Python sources, which is slower. Rebuild with `pip install -e .`.",
        stacklevel=2,
    )
