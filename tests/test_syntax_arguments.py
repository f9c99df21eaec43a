"""Clause analysis: who did what to whom in harder German news sentences (appositions, lists,
interrupted clauses, case from adjective endings, controllers of infinitives, coordination
without a shared subject, commas that are missing)."""

from __future__ import annotations

import pytest

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


def clause_of(found: list[syntax.Clause], lemma: str) -> syntax.Clause:
    return next(c for c in found if c.lemma == lemma)


def test_syntax_arguments_name_in_apposition_joins_its_noun(clauses) -> None:
    doc, found = clauses(
        "Der Außenminister des Landes, Sergej Lawrow, traf am Montag seinen Amtskollegen."
    )
    main = clause_of(found, "treffen")
    assert span(doc, main.subject) == "Der Außenminister des Landes, Sergej Lawrow"
    assert doc.tokens[main.subject.head].text == "Außenminister"
    assert [span(doc, a) for a in main.objects if a.role == "obj"] == ["seinen Amtskollegen"]


def test_syntax_arguments_role_noun_in_apposition_joins_the_name(clauses) -> None:
    doc, found = clauses(
        "Valeri Trojanow, Pilot des abgestürzten Kampfflugzeuges, befindet sich in Haft."
    )
    main = clause_of(found, "befinden")
    assert span(doc, main.subject) == "Valeri Trojanow, Pilot des abgestürzten Kampfflugzeuges"


def test_syntax_arguments_list_with_commas_is_one_subject(clauses) -> None:
    doc, found = clauses(
        "Frankreich, Polen, Italien und Spanien haben den Vorschlag der Kommission abgelehnt."
    )
    main = clause_of(found, "ablehnen")
    assert span(doc, main.subject) == "Frankreich, Polen, Italien und Spanien"
    assert len(main.subject.conjuncts) == 4


def test_syntax_arguments_right_bracket_after_apposition_closes_the_clause(clauses) -> None:
    doc, found = clauses(
        "Präsident Jelzin hat die Chefin der Zentralbank, Tatjana Paramonowa, entlassen."
    )
    assert len(found) == 1
    (main,) = found
    assert main.lemma == "entlassen" and span(doc, main.subject) == "Präsident Jelzin"
    assert span(doc, main.objects[0]) == "die Chefin der Zentralbank, Tatjana Paramonowa"


def test_syntax_arguments_adjective_ending_rules_out_the_nominative(clauses) -> None:
    # "der italienischen Polizei" is a dative: "es" is the subject, the police the controller
    doc, found = clauses(
        "Der italienischen Polizei gelang es, den gesuchten Mafiaboss zu verhaften."
    )
    main = clause_of(found, "gelingen")
    assert span(doc, main.subject) == "es"
    inf = clause_of(found, "verhaften")
    assert span(doc, inf.controller) == "Der italienischen Polizei"


def test_syntax_arguments_object_controls_the_infinitive(clauses) -> None:
    doc, found = clauses("Die OSZE forderte die Regierung auf, die Wahl zu wiederholen.")
    inf = clause_of(found, "wiederholen")
    assert inf.subject is None and span(doc, inf.controller) == "die Regierung"


def test_syntax_arguments_subject_controls_the_infinitive(clauses) -> None:
    doc, found = clauses("Die Regierung versuchte, die Proteste zu beenden.")
    assert span(doc, clause_of(found, "beenden").controller) == "Die Regierung"


def test_syntax_arguments_no_controller_after_a_copula(clauses) -> None:
    _, found = clauses("Ziel ist es, die Steuern zu senken.")
    assert clause_of(found, "senken").controller is None


def test_syntax_arguments_second_clause_with_own_subject_is_split(clauses) -> None:
    doc, found = clauses(
        "Wir hatten lange Gespräche und die Vertreter der Regierung haben zugestimmt."
    )
    second = clause_of(found, "zustimmen")
    assert span(doc, second.subject) == "die Vertreter der Regierung"
    assert not second.elided_subject


def test_syntax_arguments_unmarked_subordinate_clause_is_split(clauses) -> None:
    # a missing comma before "dass" still opens a subordinate clause
    doc, found = clauses("Ich hoffe dass die Regierung den Vertrag unterschreibt.")
    sub = clause_of(found, "unterschreiben")
    assert sub.kind == "sub" and span(doc, sub.subject) == "die Regierung"


def test_syntax_arguments_verbless_piece_before_a_speech_frame_is_not_its_subject(
    clauses,
) -> None:
    doc, found = clauses("Die Partei braucht Klarheit, auch personelle Klarheit, sagt er.")
    frame = clause_of(found, "sagen")
    assert span(doc, frame.subject) == "er"


def test_syntax_arguments_nominative_pronoun_after_the_verb_is_the_subject(clauses) -> None:
    doc, found = clauses("Das hatte ich nicht erwartet.")
    assert span(doc, found[0].subject) == "ich"


def test_syntax_arguments_copula_keeps_the_vorfeld_subject(clauses) -> None:
    doc, found = clauses("Rabin war nicht der erste Ministerpräsident.")
    assert span(doc, found[0].subject) == "Rabin"


def test_syntax_arguments_first_person_object_of_the_subject_is_reflexive(clauses) -> None:
    _, found = clauses("Wir freuen uns auf den Besuch.")
    assert found[0].reflexive
    assert not [a for a in found[0].objects if a.role in {"obj", "dat"}]


def test_syntax_arguments_werden_with_an_accusative_is_a_future(clauses) -> None:
    doc, found = clauses("Bald werden wir den Befehl erhalten.")
    assert found[0].voice == "active" and found[0].tense == "future"
    assert span(doc, found[0].subject) == "wir"


def test_syntax_arguments_auxiliaries_of_the_verb_complex(clauses) -> None:
    _, found = clauses("Die Delegation ist am Abend angekommen.")
    assert found[0].auxiliaries == ("sein",) and found[0].lemma == "ankommen"


def test_syntax_arguments_coordinated_infinitives_are_two_clauses(clauses) -> None:
    doc, found = clauses(
        "Die Regierung will die Steuern senken, um die Wirtschaft zu stärken und die "
        "Arbeitslosigkeit zu bekämpfen."
    )
    second = clause_of(found, "bekämpfen")
    assert clause_of(found, "stärken") is not second
    assert second.kind == "inf" and second.introducer == "um"
    assert [span(doc, a) for a in second.objects] == ["die Arbeitslosigkeit"]
    assert span(doc, second.controller) == "Die Regierung"
