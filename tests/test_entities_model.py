"""The statistical NER inside the entities stage: how its names merge with the rules'."""

from __future__ import annotations

import pytest

from chronik.document import Document
from chronik.errors import PipelineError
from chronik.ner import DocumentSpan
from chronik.registry import get_stage
from chronik.stages.entities import Recognizer, _before_origin


@pytest.fixture(scope="module")
def prepare():
    tokenize = get_stage("chronik.tokenize.v1").factory("de")
    tag = get_stage("chronik.tag.v1").factory("de")
    return lambda text: tag(tokenize(Document(text=text)))


@pytest.fixture(scope="module")
def merged():
    return get_stage("chronik.entities.v1").factory("de")


@pytest.fixture(scope="module")
def rules():
    return get_stage("chronik.entities.v1").factory("de", statistical=False)


def found(stage, doc: Document) -> set[tuple[str, str, str]]:
    return {(e.text, e.type, e.origin) for e in stage(doc).entities}


def test_entities_model_judges_what_the_rules_take_for_a_person_by_shape(
    prepare, merged, rules
) -> None:
    # the rules take an unknown two-word name for a person; with the model, people found by
    # shape alone do not pass, and the model reads "Firma" before it
    doc = prepare("Die Firma Quandtlux Solar aus Dresden hat Insolvenz angemeldet.")
    assert ("Quandtlux Solar", "PER", "shape") in found(rules, doc)
    names = found(merged, doc)
    assert ("Quandtlux Solar", "ORG", "model") in names
    assert ("Dresden", "LOC", "gazetteer") in names


def test_entities_model_finds_names_the_rules_miss(prepare, merged, rules) -> None:
    doc = prepare("Die Schulden werden der Afrikanischen Entwicklungsbank erlassen.")
    assert not any("Entwicklungsbank" in text for text, _, _ in found(rules, doc))
    assert ("Afrikanischen Entwicklungsbank", "ORG", "model") in found(merged, doc)


def test_entities_knowledge_base_keeps_its_type_on_the_same_span(prepare, merged) -> None:
    names = found(merged, prepare("Kim Jong Un traf Wladimir Putin im Fernen Osten."))
    assert ("Kim Jong Un", "PER", "kb") in names
    assert ("Wladimir Putin", "PER", "kb") in names


def merge(recognizer: Recognizer, text: str, rule_spans, model_spans) -> list[tuple]:
    model = [DocumentSpan(0, 0, label, score, a, b, 0) for a, b, label, score in model_spans]
    return sorted(recognizer._merge(text, rule_spans, model))


def test_entities_merge_strong_model_names_first_then_rules_then_weak() -> None:
    recognizer = Recognizer("de", model=None, merge="model+rules@0.7")
    text = "Hamburger Reederei Hapag-Lloyd und Nils Haupt in Kiel"
    rules = [(10, 30, 0, "PER", "shape"), (49, 53, 0, "LOC", "gazetteer")]
    model = [(0, 30, "ORG", 0.95), (35, 45, "PER", 0.5), (49, 53, "ORG", 0.4)]
    assert merge(recognizer, text, rules, model) == [
        (0, 30, 0, "ORG", "model"),  # strong: beats the overlapping rule name
        (35, 45, 0, "PER", "model"),  # weak, but nothing else is there
        (49, 53, 0, "LOC", "gazetteer"),  # weak: gives way to the rule name
    ]


def test_entities_merge_drops_model_names_across_a_comma() -> None:
    recognizer = Recognizer("de", model=None)
    text = "Hapag-Lloyd, Nils Haupt"
    assert merge(recognizer, text, [(13, 23, 0, "PER", "pattern")], [(0, 23, "ORG", 0.98)]) == [
        (13, 23, 0, "PER", "pattern")
    ]


def test_entities_merge_policy_must_be_known(prepare) -> None:
    with pytest.raises(PipelineError, match="merge policy"):
        Recognizer("de", model=None, merge="rules-only")


def test_entities_merge_keeps_a_longer_person_name_found_by_pattern() -> None:
    recognizer = Recognizer("de", model=None)
    text = "Minister Hans Beispiel reiste ab."
    rules = [(9, 22, 0, "PER", "pattern")]
    assert merge(recognizer, text, rules, [(9, 13, "PER", 0.9)]) == [(9, 22, 0, "PER", "pattern")]
    # a place the model reads inside the rules' person stays with the model: only people extend
    assert merge(recognizer, text, rules, [(9, 13, "LOC", 0.9)]) == [(9, 13, 0, "LOC", "model")]


def test_entities_merge_keeps_a_longer_knowledge_base_name_of_the_same_type() -> None:
    recognizer = Recognizer("de", model=None)
    text = "Vizeaußenminister Chang Ho Jin sagte"
    rules = [(18, 30, 0, "PER", "kb")]
    assert merge(recognizer, text, rules, [(18, 26, "PER", 0.9)]) == [(18, 30, 0, "PER", "kb")]
    # of another type, the model's name stands
    assert merge(recognizer, text, rules, [(18, 26, "ORG", 0.9)]) == [(18, 26, 0, "ORG", "model")]


def test_entities_merge_passes_no_person_found_by_shape_alone() -> None:
    recognizer = Recognizer("de", model=None)
    text = "Red Devils und NJW in Kiel"
    rules = [(0, 10, 0, "PER", "shape"), (15, 18, 0, "ORG", "shape"), (22, 26, 0, "LOC", "shape")]
    assert merge(recognizer, text, rules, []) == [
        (15, 18, 0, "ORG", "shape"),
        (22, 26, 0, "LOC", "shape"),
    ]


def test_entities_merge_model_name_across_a_rule_names_edge_gives_way() -> None:
    # "der Linken Gesine Beispiel": the model joins the party and the given name
    recognizer = Recognizer("de", model=None)
    text = "der Linken Gesine Beispiel"
    rules = [(4, 10, 0, "ORG", "kb"), (11, 26, 0, "PER", "pattern")]
    assert merge(recognizer, text, rules, [(4, 17, "ORG", 0.85)]) == rules
    # a model name around a rule name is no crossing: it stands
    around = merge(recognizer, text, rules[:1], [(4, 26, "ORG", 0.85)])
    assert around == [(4, 26, 0, "ORG", "model")]


def test_entities_model_name_ends_before_where_its_bearer_comes_from(prepare) -> None:
    doc = prepare("Die Firma Quandtlux Solar aus Dresden hat Insolvenz angemeldet.")
    words = [t.text for t in doc.tokens]
    first, dresden = words.index("Quandtlux"), words.index("Dresden")
    tokens = doc.tokens
    span = DocumentSpan(first, dresden, "ORG", 0.8, tokens[first].start, tokens[dresden].end, 0)
    cut = _before_origin(span, tokens)
    assert doc.text[cut.char_start : cut.char_end] == "Quandtlux Solar"
    assert (cut.start, cut.end) == (first, first + 1)
    solar = tokens[first + 1]
    whole = DocumentSpan(first, solar.i, "ORG", 0.8, tokens[first].start, solar.end, 0)
    assert _before_origin(whole, tokens) == whole
