"""The clauses stage: the shared clause layer, and the events stage reading it instead of
analysing the sentences again."""

from __future__ import annotations

import pytest

from chronik import syntax
from chronik.document import Document
from chronik.pipeline import build, pipeline_config
from chronik.registry import get_stage
from tests.test_events_coder import dyads, with_mentions

TEXT = (
    "Die USA warnten Russland vor einer Militärkooperation mit Nordkorea. "
    "Putin empfing Kim in Moskau, wo er die Gespräche lobte."
)


@pytest.fixture(scope="module")
def core():
    return build("de", ["chronik.tokenize.v1", "chronik.tag.v1"])


def test_clauses_stage_fills_the_layer(core) -> None:
    stage = get_stage("chronik.clauses.v1").factory("de")
    doc = stage(core(Document(text=TEXT)))
    assert [c.sentence for c in doc.clauses] == [0, 1, 1]
    first = doc.clauses[0]
    assert first.lemma == "warnen"
    assert first.subject is not None and doc.text[first.subject.start : first.subject.end] == (
        "Die USA"
    )
    # the "wo" clause hangs under the main clause of its sentence
    assert doc.clauses[2].kind == "sub" and doc.clauses[2].parent == doc.clauses[1].index


def test_clauses_stage_runs_in_the_default_pipeline_before_events() -> None:
    names = pipeline_config("de")
    assert names.index("chronik.clauses.v1") < names.index("chronik.events.v1")
    assert "clauses" in get_stage("chronik.events.v1").requires


def test_clauses_stage_events_read_the_layer_and_code_the_same(core, monkeypatch) -> None:
    clauses = get_stage("chronik.clauses.v1").factory("de")
    events = get_stage("chronik.events.v1").factory("de")
    own = events(with_mentions(core(Document(text=TEXT))))
    shared = clauses(with_mentions(core(Document(text=TEXT))))

    def no_second_analysis(*args, **kwargs):
        raise AssertionError("the events stage analysed the clauses again")

    monkeypatch.setattr(syntax, "analyze", no_second_analysis)
    shared = events(shared)
    assert dyads(shared) == dyads(own)
    assert ("THREATEN", ("a_usa",), ("a_rus",), False, "asserted") in dyads(shared)
    assert ("CONSULT", ("a_kim",), ("a_putin",), False, "asserted") in dyads(shared)
