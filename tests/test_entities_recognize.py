"""Named entities by knowledge base, patterns and repetition (chronik.entities.v1)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chronik.document import Document, Metadata
from chronik.pipeline import build


@pytest.fixture(scope="module")
def pipe():
    return build("de", ["chronik.tokenize.v1", "chronik.tag.v1", "chronik.entities.v1"])


def entities(pipe, text: str) -> set[tuple[str, str]]:
    doc = pipe(Document(text=text, meta=Metadata(published=date(2023, 9, 15))))
    return {(e.text, e.type) for e in doc.entities}


def test_entities_role_before_unknown_name(pipe) -> None:
    found = entities(
        pipe, "Das sagte der südkoreanische Vizeaußenminister Chang Ho Jin am Freitag in Seoul."
    )
    assert ("Chang Ho Jin", "PER") in found
    assert ("Seoul", "LOC") in found


def test_entities_surname_repeats_full_name(pipe) -> None:
    text = "Kim reiste ab.\nDer Machthaber Kim Jong Un traf in Wostotschny ein. Kim lobte Putin."
    found = entities(pipe, text)
    assert {("Kim", "PER"), ("Kim Jong Un", "PER"), ("Putin", "PER")} <= found
    assert ("Kim", "LOC") not in found


def test_entities_countries_capitals_and_organisations(pipe) -> None:
    found = entities(
        pipe,
        "Die USA warnten Russland und Moskaus Verbündete. Der Kreml schwieg, "
        "der UN-Sicherheitsrats-Vorsitz auch. "
        "Mitglied des UN-Sicherheitsrats ist Nordkoreas Feind.",
    )
    assert {("USA", "LOC"), ("Russland", "LOC"), ("Moskaus", "LOC"), ("Kreml", "ORG")} <= found
    assert ("UN-Sicherheitsrats", "ORG") in found
    assert ("Nordkoreas", "LOC") in found


def test_entities_compound_is_not_an_entity_but_its_name_is(pipe) -> None:
    found = entities(pipe, "Es seien keine Abkommen unterzeichnet, sagte Kreml-Sprecher Peskow.")
    assert ("Kreml-Sprecher", "ORG") not in found
    assert ("Kreml", "ORG") in found
    assert ("Peskow", "PER") in found


def test_entities_given_name_starts_a_person(pipe) -> None:
    found = entities(pipe, "In Sotschi traf er sich mit Alexander Lukaschenko.")
    assert ("Alexander Lukaschenko", "PER") in found
    assert ("Sotschi", "LOC") in found


def test_entities_acronym_is_an_organisation(pipe) -> None:
    found = entities(pipe, "Die Beratungsgruppe (EDSCG) tagte in Seoul.")
    assert ("EDSCG", "ORG") in found


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet='abcdeKLMNPRSUÄÖÜ .,-\n"', min_size=0, max_size=120))
def test_entities_offsets_inside_text(pipe, text: str) -> None:
    doc = pipe(Document(text=text))
    for e in doc.entities:
        assert 0 <= e.start < e.end <= len(text)
        assert text[e.start : e.end] == e.text
    assert [e.id for e in doc.entities] == [f"e{i}" for i in range(1, len(doc.entities) + 1)]


def test_entities_unknown_subject_name_is_a_person(pipe) -> None:
    found = entities(pipe, "Ein Sieg sei möglich, erklärte Testrowski.")
    assert ("Testrowski", "PER") in found


def test_entities_organisation_head_after_name(pipe) -> None:
    found = entities(pipe, "Das Buch erschien beim Franzis Verlag in München.")
    assert ("Franzis Verlag", "ORG") in found


def test_entities_surname_tagged_as_noun_and_hyphenated_particles() -> None:
    from chronik.document import Document
    from chronik.pipeline import build

    pipe = build("de", ["chronik.tokenize.v1", "chronik.tag.v1", "chronik.entities.v1"])
    doc = pipe(
        Document(
            text="Der Abgeordnete der CDU Frank Mindermann trat zurück. "
            "Staatspräsident Umar al-Baschir reiste ab."
        )
    )
    names = {e.text for e in doc.entities if e.type == "PER"}
    assert {"Frank Mindermann", "Umar al-Baschir"} <= names
