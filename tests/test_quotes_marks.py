"""Quotation marks: pairing, nesting, lines, apostrophes; and the speech lexicon."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronik.quoting.lexicon import load_lexicon
from chronik.quoting.marks import QuotationMarks, find_quotations


@pytest.fixture(scope="module")
def marks() -> QuotationMarks:
    return QuotationMarks.build(load_lexicon("de").quotation_marks)


def spans(text: str, marks: QuotationMarks) -> list[str]:
    return [text[q.start : q.end] for q in find_quotations(text, marks)]


def test_quotes_marks_pairs_and_nesting(marks: QuotationMarks) -> None:
    text = "Er sagte: „Wir ‚wollen‘ das.“ Sie sagte »nein« und «ja» und “yes”."
    assert spans(text, marks) == ["„Wir ‚wollen‘ das.“", "»nein«", "«ja»", "“yes”"]


def test_quotes_marks_ascii_quotes_and_apostrophes(marks: QuotationMarks) -> None:
    text = "Das geht's nicht, sagte er. \"Wir bleiben\", rief sie 'laut'."
    assert spans(text, marks) == ['"Wir bleiben"', "'laut'"]


def test_quotes_marks_quotation_over_lines(marks: QuotationMarks) -> None:
    text = "Er sagte: „Ich muss arbeiten.\nEs sind noch Monate.“\nDanach ging er."
    assert spans(text, marks) == ["„Ich muss arbeiten.\nEs sind noch Monate.“"]


def test_quotes_marks_unclosed_quotation_ends_with_its_line(marks: QuotationMarks) -> None:
    text = "Er sprach von einem „Skandal.\nAm Montag „tagte“ der Rat."
    found = find_quotations(text, marks)
    assert [text[q.start : q.end] for q in found] == ["„Skandal.", "„tagte“"]
    assert not found[0].closed


@given(st.text(alphabet="ab „“\"'»«‚‘\n.", max_size=80))
def test_quotes_marks_offsets_stay_inside_the_text(text: str) -> None:
    marks = QuotationMarks.build(load_lexicon("de").quotation_marks)
    previous_end = 0
    for quotation in find_quotations(text, marks):
        assert 0 <= quotation.start < quotation.end <= len(text)
        assert quotation.start >= previous_end
        previous_end = quotation.end


def test_quotes_lexicon_separable_forms_need_their_particle() -> None:
    lexicon = load_lexicon("de")
    forms = {(f.cue.lemma, f.particle) for f in lexicon.forms["teilte"]}
    assert ("mitteilen", "mit") in forms
    assert ("mitteilen", None) in {(f.cue.lemma, f.particle) for f in lexicon.forms["mitgeteilt"]}
    assert lexicon.prepositions["zufolge"].position == "after"
    assert lexicon.prepositions["nach"].needs_noun
    assert lexicon.is_speech_noun("Polizeiangabe", "Polizeiangaben")
