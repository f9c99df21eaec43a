"""The compiled German core (setup.py, chronik.compiled): the install runs it, and an edited
source is run instead of the stale compiled module."""

from __future__ import annotations

import importlib.util
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from chronik import compiled
from chronik.document import Document, Metadata
from chronik.pipeline import build

PURE = bool(os.environ.get("CHRONIK_PURE_PYTHON"))
BUILT = (compiled.PACKAGE / compiled.RECORD).is_file()


def test_a_changed_source_is_stale(tmp_path: Path) -> None:
    package = tmp_path / "chronik"
    (package / "ner").mkdir(parents=True)
    (package / "syntax.py").write_text("A = 1\n")
    (package / "ner" / "__init__.py").write_text("B = 2\n")
    record = {
        "chronik.syntax": compiled.digest(package / "syntax.py"),
        "chronik.ner": compiled.digest(package / "ner" / "__init__.py"),
    }
    (package / compiled.RECORD).write_text(json.dumps(record))
    assert compiled.stale(package) == []
    (package / "ner" / "__init__.py").write_text("B = 3\n")
    assert compiled.stale(package) == ["chronik.ner"]
    (package / "syntax.py").unlink()
    assert compiled.stale(package) == ["chronik.syntax", "chronik.ner"]


def test_no_record_nothing_stale(tmp_path: Path) -> None:
    assert compiled.stale(tmp_path) == []


@pytest.mark.skipif(PURE, reason="installed with CHRONIK_PURE_PYTHON=1: nothing compiled")
def test_the_install_runs_the_compiled_core() -> None:
    assert BUILT, "the build compiled nothing (see its warning); CHRONIK_PURE_PYTHON=1 to accept"
    assert compiled.stale() == []
    assert set(compiled.status().values()) == {"compiled"}


@pytest.mark.skipif(not BUILT, reason="a pure-Python install: no compiled module to go stale")
def test_an_edited_source_runs_as_python(tmp_path: Path) -> None:
    # a copy of the installed package and its compiled group library, one source edited
    shutil.copytree(
        compiled.PACKAGE, tmp_path / "chronik", ignore=shutil.ignore_patterns("__pycache__")
    )
    group = importlib.util.find_spec("chronik__mypyc")
    assert group is not None and group.origin is not None
    shutil.copy(group.origin, tmp_path)
    with (tmp_path / "chronik" / "syntax.py").open("a") as handle:
        handle.write("\nEDITED = True\n")
    probe = (
        "import chronik, chronik.syntax, chronik.compiled as c;"
        "print(chronik.syntax.EDITED, set(c.status().values()))"
    )
    result = subprocess.run(
        [sys.executable, "-W", "always", "-c", probe],
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert result.stdout.strip() == "True {'python'}"
    assert "older than their sources (chronik.syntax)" in result.stderr


def test_an_analysed_document_pickles() -> None:
    """What corpus workers and Spark may send between processes: compiled classes in a
    Document's layers (clauses) must survive pickling."""
    text = (
        "Kanzler Olaf Scholz hat am Montag in Berlin den Präsidenten Frankreichs empfangen. "
        '"Wir werden nicht nachgeben", sagte er.'
    )
    doc = build("de")(Document(text=text, meta=Metadata(language="de")))
    assert doc.clauses and doc.entities
    assert pickle.loads(pickle.dumps(doc)) == doc
