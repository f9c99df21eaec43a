from __future__ import annotations

import pytest

from chronik.document import Document
from chronik.pipeline import build
from chronik.stages.tag import mood


@pytest.fixture(scope="module")
def core():
    return build("de", ["chronik.tokenize.v1", "chronik.tag.v1"])


def test_tokenize_headline_is_its_own_sentence(core) -> None:
    text = "USA warnen Russland\nDie USA warnten Russland. Moskau wies das zurück."
    doc = core(Document(text=text))
    assert [doc.text[s.start : s.end] for s in doc.sentences] == [
        "USA warnen Russland",
        "Die USA warnten Russland.",
        "Moskau wies das zurück.",
    ]
    assert [s.paragraph for s in doc.sentences] == [0, 1, 1]


def test_tokenize_offsets_point_into_the_text(core) -> None:
    text = (
        "  Kreml-Sprecher Dmitri Peskow sagte: „Keine Abkommen.“\n\nDr. Müller ging am 13.9.2023."
    )
    doc = core(Document(text=text))
    for token in doc.tokens:
        assert doc.text[token.start : token.end] == token.text
    assert "Kreml-Sprecher" in [t.text for t in doc.tokens]


@pytest.mark.parametrize(
    ("form", "lemma", "expected"),
    [
        ("verletze", "verletzen", "subj1"),
        ("seien", "sein", "subj1"),
        ("habe", "haben", "subj1"),
        ("müssten", "müssen", "subj2"),
        ("würde", "werden", "subj2"),
        ("sagte", "sagen", "ind"),
        ("stellen", "stellen", "ind"),
        ("ist", "sein", "ind"),
    ],
)
def test_tag_mood_of_finite_verbs(form: str, lemma: str, expected: str) -> None:
    assert mood(form, lemma) == expected


def test_tag_assigns_pos_lemma_and_mood(core) -> None:
    doc = core(Document(text="Moskau verletze keine Sanktionen, sagte Putin."))
    by_text = {t.text: t for t in doc.tokens}
    assert by_text["verletze"].morph["Mood"] == "subj1"
    assert by_text["sagte"].morph["Mood"] == "ind"
    assert by_text["Sanktionen"].pos == "NN"
    assert by_text["sagte"].lemma == "sagen"


def test_tag_very_long_tokens_are_not_analysed(core) -> None:
    doc = core(Document(text="Er sagte " + "X" * 5000 + " heute."))
    long = [t for t in doc.tokens if len(t.text) > 100]
    assert long and long[0].pos == "XY"


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Dann ging Dr. Müller z.B. am 13. September 2023 heim. Das war’s!",
            ["Dann ging Dr. Müller z.B. am 13. September 2023 heim.", "Das war’s!"],
        ),
        (
            "George W. Bush traf am 2. Mai die Gruppe. Sie tagte im 16. Jahrhundert.",
            ["George W. Bush traf am 2. Mai die Gruppe.", "Sie tagte im 16. Jahrhundert."],
        ),
        (
            "Er sagte: „Nein.“ Dann ging er. „Wir gehen“, sagte sie.",
            ["Er sagte: „Nein.“", "Dann ging er.", "„Wir gehen“, sagte sie."],
        ),
        (
            "Das Spiel endete 1:0. Er zahlte 1.000,50 Euro... und ging.",
            ["Das Spiel endete 1:0.", "Er zahlte 1.000,50 Euro... und ging."],
        ),
        ("Der Umsatz stieg 1990. Danach fiel er.", ["Der Umsatz stieg 1990.", "Danach fiel er."]),
    ],
)
def test_tokenize_sentence_boundaries(core, text: str, sentences: list[str]) -> None:
    doc = core(Document(text=text))
    assert [doc.text[s.start : s.end] for s in doc.sentences] == sentences


def test_tokenize_keeps_compounds_abbreviations_and_addresses_whole(core) -> None:
    text = "Der 35-jährige Kreml-Sprecher der Strategie- und Beratungsgruppe u.a. auf www.tass.ru."
    tokens = [t.text for t in core(Document(text=text)).tokens]
    for expected in ("35-jährige", "Kreml-Sprecher", "Strategie-", "u.a.", "www.tass.ru"):
        assert expected in tokens
    assert tokens[-1] == "."
