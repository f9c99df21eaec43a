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
