from __future__ import annotations

import pytest

from chronik.document import Document
from chronik.errors import PipelineError
from chronik.pipeline import build, check_order, pipeline_config
from chronik.registry import get_stage


def test_pipeline_default_german_config_is_in_order() -> None:
    names = pipeline_config("de")
    check_order([get_stage(name) for name in names])
    assert names[0] == "chronik.tokenize.v1"


def test_pipeline_rejects_stage_before_its_requirements() -> None:
    with pytest.raises(PipelineError, match="requires"):
        build("de", ["chronik.tag.v1", "chronik.tokenize.v1"])


def test_pipeline_rejects_unknown_stage() -> None:
    with pytest.raises(PipelineError, match="unknown stage"):
        build("de", ["chronik.nonsense.v9"])


def test_pipeline_records_the_stages_that_ran() -> None:
    pipe = build("de", ["chronik.tokenize.v1", "chronik.tag.v1"])
    doc = pipe(Document(text="Putin traf Lukaschenko in Sotschi."))
    assert doc.stages == ["chronik.tokenize.v1", "chronik.tag.v1"]


def test_pipeline_freeze_loaded_exempts_the_loaded_objects_in_a_worker() -> None:
    # in a fresh interpreter: freezing changes the collector of the whole process
    import subprocess
    import sys

    script = (
        "import gc\n"
        "from chronik.corpus import _init_worker\n"
        "_init_worker('de')\n"
        "before = gc.get_freeze_count()\n"
        "_init_worker('de', owned=True)\n"
        "print(before, gc.get_freeze_count(), len(gc.get_objects()))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split()
    before, frozen, tracked = map(int, out)
    # a library call leaves the collector alone; a worker's models are frozen
    assert before == 0
    assert frozen > 100_000
    assert tracked < frozen
