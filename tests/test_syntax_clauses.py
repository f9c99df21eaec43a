"""Clause analysis on German news sentences: segmentation, verb complex, arguments, negation,
mood and embedding."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chronik import syntax
from chronik.document import Document
from chronik.pipeline import build


@pytest.fixture(scope="module")
def clauses():
    core = build("de", ["chronik.tokenize.v1", "chronik.tag.v1"])

    def analyse(text: str) -> tuple[Document, list[syntax.Clause]]:
        doc = core(Document(text=text))
        return doc, syntax.analyze(doc)

    return analyse


def span(doc: Document, arg: syntax.Argument | None) -> str | None:
    return None if arg is None else doc.text[arg.start : arg.end]


def test_syntax_separable_particle_joins_the_lemma(clauses) -> None:
    _, found = clauses("Chang rief Russland dazu auf, sich verantwortlich zu verhalten.")
    assert found[0].lemma == "aufrufen"
    doc, found = clauses("Die Regierung lehnte den Vorschlag ab.")
    assert found[0].lemma == "ablehnen"
    assert span(doc, found[0].subject) == "Die Regierung"


def test_syntax_passive_with_agent(clauses) -> None:
    doc, (clause,) = clauses("Der Pilot wurde von der litauischen Polizei festgenommen.")
    assert clause.voice == "passive" and clause.lemma == "festnehmen"
    assert span(doc, clause.subject) == "Der Pilot"
    assert span(doc, clause.agent) == "der litauischen Polizei"


def test_syntax_perfect_and_vorfeld_object(clauses) -> None:
    doc, (clause,) = clauses("Den Vorschlag hat der Minister gestern abgelehnt.")
    assert clause.tense == "perfect" and clause.lemma == "ablehnen"
    assert span(doc, clause.subject) == "der Minister"
    assert [span(doc, a) for a in clause.objects if a.role == "obj"] == ["Den Vorschlag"]


def test_syntax_coordinated_subject_and_number(clauses) -> None:
    doc, (clause,) = clauses("Die USA und Südkorea warnten Russland vor einer Kooperation.")
    assert span(doc, clause.subject) == "Die USA und Südkorea"
    assert len(clause.subject.conjuncts) == 2
    (vor,) = clause.arguments("pobj", "vor")
    assert span(doc, vor) == "einer Kooperation"


def test_syntax_prepositional_attributes_extend_the_phrase(clauses) -> None:
    doc, (clause,) = clauses("Die USA warnten vor einer Kooperation Moskaus mit Nordkorea.")
    (vor,) = clause.arguments("pobj", "vor")
    assert doc.text[vor.start : vor.ext_end] == "einer Kooperation Moskaus mit Nordkorea"


def test_syntax_modal_with_infinitive(clauses) -> None:
    _, (clause,) = clauses("Der Präsident will im Herbst Peking besuchen.")
    assert clause.modal == "wollen" and clause.lemma == "besuchen"


def test_syntax_subordinate_clause_under_fear_verb(clauses) -> None:
    _, found = clauses("Washington befürchtet, dass Russland Raketen aus Nordkorea beziehen will.")
    main, sub = found
    assert main.lemma == "befürchten"
    assert sub.kind == "sub" and sub.introducer == "dass" and sub.parent == main.index
    assert sub.embedding == "fear"


def test_syntax_reported_speech_frame_after_content(clauses) -> None:
    _, found = clauses("Moskau verletze keine Sanktionen, sagte Putin.")
    content, frame = found
    assert frame.lemma == "sagen" and frame.verb_first
    assert content.mood == "subj1" and content.parent == frame.index
    assert content.embedding == "speech" and content.negated


def test_syntax_relative_clause_subject_points_to_antecedent(clauses) -> None:
    doc, found = clauses("Die Partei, die den Beitritt der Türkei ablehnt, gewann die Wahl.")
    rel = next(c for c in found if c.kind == "rel")
    assert rel.lemma == "ablehnen"
    assert rel.subject is not None and rel.subject.antecedent is not None
    start, end = rel.subject.antecedent
    assert doc.text[start:end] == "Die Partei"


def test_syntax_interrupted_main_clause_is_joined(clauses) -> None:
    doc, found = clauses(
        "In Sotschi, wo er sich mit Lukaschenko traf, verteidigte Putin die Zusammenarbeit."
    )
    sub = next(c for c in found if c.kind == "sub")
    main = next(c for c in found if c.kind == "main")
    assert sub.lemma == "treffen" and sub.reflexive
    assert main.lemma == "verteidigen" and span(doc, main.subject) == "Putin"
    assert doc.tokens[main.tokens[0]].text == "In"


def test_syntax_coordinated_clause_inherits_the_subject(clauses) -> None:
    doc, found = clauses("Putin lobte die Gespräche und verwies auf die Möglichkeiten.")
    assert [c.lemma for c in found] == ["loben", "verweisen"]
    assert span(doc, found[1].subject) == "Putin"


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("Russland hat die Ukraine nicht angegriffen.", True),
        ("Es wurden keine Abkommen unterzeichnet.", True),
        ("Niemand hat den Minister kritisiert.", True),
        ("Die Regierung hat nie verhandelt.", True),
        ("Die USA kritisierten nicht nur Russland, sondern auch China.", False),
        ("Die USA kritisierten Russland.", False),
    ],
)
def test_syntax_negation(clauses, text: str, negated: bool) -> None:
    _, found = clauses(text)
    assert found[0].negated is negated


def test_syntax_konjunktiv_two_mood(clauses) -> None:
    _, (clause,) = clauses("Jeder Waffenhandel würde gegen UN-Beschlüsse verstoßen.")
    assert clause.mood == "subj2" and clause.voice == "active"


def test_syntax_offsets_stay_inside_the_text(clauses) -> None:
    text = "Kreml: „Keine Abkommen unterzeichnet“\nPutin traf Kim, der ihn eingeladen hatte."
    _, found = clauses(text)
    for clause in found:
        assert 0 <= clause.start < clause.end <= len(text)
        for arg in [clause.subject, *clause.objects]:
            if arg is not None:
                assert 0 <= arg.start < arg.end <= arg.ext_end <= len(text)


_WORDS = [
    *[
        "Die",
        "der",
        "USA",
        "Russland",
        "warnten",
        "haben",
        "vor",
        "einer",
        "Kooperation",
        ",",
        "dass",
        "weil",
        "nicht",
    ],
    *[
        "keine",
        "sagte",
        "Putin",
        "sei",
        "und",
        "mit",
        "zu",
        "um",
        "abzuziehen",
        "wurde",
        "von",
        "festgenommen",
    ],
    *["„", "“", "(", ")", ":", "-", "?", "den", "Minister"],
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=25))
def test_syntax_any_word_salad_gives_valid_clauses(words: list[str]) -> None:
    core = build("de", ["chronik.tokenize.v1", "chronik.tag.v1"])
    text = " ".join(words) + "."
    doc = core(Document(text=text))
    found = syntax.analyze(doc)
    indices = [c.index for c in found]
    assert indices == list(range(len(found)))
    for clause in found:
        assert clause.tokens and 0 <= clause.start < clause.end <= len(text)
        assert clause.parent is None or clause.parent in indices
        for arg in [clause.subject, *clause.objects]:
            if arg is not None:
                assert 0 <= arg.start < arg.end <= arg.ext_end <= len(text)


def test_syntax_bracketed_aside_does_not_negate_the_clause(clauses) -> None:
    doc, found = clauses(
        "Die Marine hat ein Schiff mit Aktivisten (darunter keine Deutschen) an Bord geentert."
    )
    main = next(c for c in found if c.lemma == "entern")
    assert not main.negated and span(doc, main.subject) == "Die Marine"


def test_syntax_dateline_is_not_the_subject(clauses) -> None:
    doc, found = clauses(
        "London – Wenige Wochen vor der Wahl hat die EU-Kommission den Bericht zurückgewiesen."
    )
    main = next(c for c in found if c.lemma == "zurückweisen")
    assert span(doc, main.subject) == "die EU-Kommission"


def test_syntax_apposition_of_one_actor_stays_one_phrase(clauses) -> None:
    doc, found = clauses("Das Kinderhilfswerk UNICEF rief Russland auf.")
    assert span(doc, found[0].subject) == "Das Kinderhilfswerk UNICEF"
