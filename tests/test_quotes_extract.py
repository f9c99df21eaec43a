"""Quote extraction on real-looking German news sentences (tokenizer and tagger run for real)."""

from __future__ import annotations

import pytest

from chronik.document import Document, Metadata, Quote
from chronik.pipeline import build
from chronik.quoting.extract import QuoteFinder
from chronik.quoting.lexicon import load_lexicon


@pytest.fixture(scope="module")
def find():
    pipe = build("de", ["chronik.tokenize.v1", "chronik.tag.v1"])
    finder = QuoteFinder(load_lexicon("de"))

    def run(text: str) -> list[Quote]:
        doc = pipe(Document(text="Überschrift\n" + text, meta=Metadata(language="de")))
        quotes = finder(doc)
        for quote in quotes:
            assert 0 <= quote.start < quote.end <= len(doc.text)
            assert doc.text[quote.start : quote.end] == quote.text
            assert doc.sentences[quote.sentence].start <= quote.start + 2
            if quote.speaker_span is not None:
                span = quote.speaker_span
                assert doc.text[span.start : span.end] == span.text == quote.speaker_text
            if quote.cue is not None:
                assert doc.text[quote.cue.start : quote.cue.end] == quote.cue.text
        return quotes

    return run


def only(quotes: list[Quote]) -> Quote:
    assert len(quotes) == 1, [q.text for q in quotes]
    return quotes[0]


@pytest.mark.parametrize(
    "text",
    [
        "Putin sagte: „Wir stellen für niemanden eine Bedrohung dar.“",
        "„Wir stellen für niemanden eine Bedrohung dar“, sagte Putin.",
        "»Wir stellen für niemanden eine Bedrohung dar«, sagte Putin.",
        "«Wir stellen für niemanden eine Bedrohung dar», sagte Putin.",
        '"Wir stellen für niemanden eine Bedrohung dar", sagte Putin.',
        "“Wir stellen für niemanden eine Bedrohung dar”, sagte Putin.",
    ],
)
def test_quotes_direct_with_any_quotation_marks(find, text: str) -> None:
    quote = only(find(text))
    assert quote.kind == "direct"
    assert quote.text.rstrip(".") == "Wir stellen für niemanden eine Bedrohung dar"
    assert quote.speaker_text == "Putin"
    assert quote.cue is not None and quote.cue.text == "sagte"


def test_quotes_direct_over_several_sentences_and_lines(find) -> None:
    quote = only(
        find(
            "Thaksin begründete seinen Schritt mit den Worten: „Ich muss arbeiten.\n"
            "Es sind noch mehrere Monate bis zu allgemeinen Wahlen.\n"
            "Wenn ich nicht arbeite, wird das Land Probleme bekommen.“"
        )
    )
    assert quote.kind == "direct"
    assert quote.text.startswith("Ich muss arbeiten.")
    assert quote.text.endswith("Probleme bekommen.")
    assert quote.speaker_text == "Thaksin"


def test_quotes_direct_interrupted_by_its_cue(find) -> None:
    quote = only(find("„Wir sind bereit“, sagte der Minister, „aber nicht um jeden Preis.“"))
    assert "Wir sind bereit" in quote.text and "nicht um jeden Preis" in quote.text
    assert quote.speaker_text == "der Minister"


def test_quotes_indirect_konjunktiv_after_and_before_cue(find) -> None:
    after = only(
        find(
            "Moskau verletze keine internationalen Sanktionen, sagte Kreml-Sprecher Dmitri Peskow."
        )
    )
    assert after.kind == "indirect"
    assert after.text == "Moskau verletze keine internationalen Sanktionen"
    assert after.speaker_text == "Kreml-Sprecher Dmitri Peskow"
    before = only(find("Putin sagte am Freitag in Sotschi, Moskau verletze keine Sanktionen."))
    assert before.text == "Moskau verletze keine Sanktionen"
    assert before.speaker_text == "Putin"


def test_quotes_dass_clause_and_inverted_subject(find) -> None:
    quote = only(
        find("Am Donnerstag bestätigte der Kreml, dass Putin die Einladung angenommen habe.")
    )
    assert quote.text.startswith("dass Putin")
    assert quote.speaker_text == "der Kreml"
    assert quote.cue is not None and quote.cue.text == "bestätigte"


def test_quotes_mixed_when_reported_speech_holds_quoted_words(find) -> None:
    quote = only(
        find('Es seien "keine Abkommen unterzeichnet" worden, sagte Kreml-Sprecher Peskow.')
    )
    assert quote.kind == "mixed"
    assert quote.text == 'Es seien "keine Abkommen unterzeichnet" worden'


def test_quotes_scare_quotes_and_titles_are_not_quotes(find) -> None:
    assert find("Die Zeitung sprach von einem „Preis“ für die Einheit.") == []
    assert find("Der Film „Der Herr der Ringe“ lief am Sonntag im Fernsehen.") == []
    assert find("Die Stadt nennt sich „Perle des Nordens“.") == []
    assert find("Als Beispiele nennt VW die Modelle „Touareg“ und „Phaeton“.") == []


def test_quotes_label_after_naming_verb_is_a_direct_quote(find) -> None:
    quote = only(find("Modder nannte die Absage des Trainers einen „Vertrauensbruch“."))
    assert (quote.kind, quote.text, quote.speaker_text) == ("direct", "Vertrauensbruch", "Modder")
    quote = only(find("Die Regierung bezeichnete den Gipfel als „größtes Ereignis des Jahres“."))
    assert quote.text == "größtes Ereignis des Jahres"


@pytest.mark.parametrize(
    ("text", "speaker", "message"),
    [
        ("Laut Polizei wurden drei Menschen verletzt.", "Polizei", "wurden drei Menschen verletzt"),
        (
            "Den Angaben der Behörden zufolge wurden 200 Menschen getötet.",
            "Den Angaben der Behörden",
            "wurden 200 Menschen getötet",
        ),
        (
            "Nach Angaben des Kreml wurden keine Vereinbarungen getroffen.",
            "Angaben des Kreml",
            "wurden keine Vereinbarungen getroffen",
        ),
        (
            "Die Zahl der Toten stieg laut einem Bericht der Zeitung „Le Monde“ auf zwölf.",
            "einem Bericht der Zeitung „Le Monde“",
            "Die Zahl der Toten stieg laut einem Bericht der Zeitung „Le Monde“ auf zwölf",
        ),
        (
            "Wie ein Sprecher des Ministeriums mitteilte, wurde der Botschafter einbestellt.",
            "ein Sprecher des Ministeriums",
            "wurde der Botschafter einbestellt",
        ),
        (
            "Die Lage sei ernst, so der Bürgermeister von Bremen.",
            "der Bürgermeister von Bremen",
            "Die Lage sei ernst",
        ),
    ],
)
def test_quotes_prepositions_wie_and_so_attribute_their_clause(
    find, text: str, speaker: str, message: str
) -> None:
    quote = only(find(text))
    assert quote.speaker_text == speaker
    assert quote.text == message
    assert quote.kind == "indirect"


def test_quotes_separable_verb_needs_its_particle(find) -> None:
    quote = only(find("Das Ministerium teilte am Montag mit, die Steuern würden gesenkt."))
    assert quote.cue is not None and quote.cue.text == "teilte"
    assert quote.speaker_text == "Das Ministerium"
    assert find("Das Ministerium teilte die Kosten mit der Stadt.") == []


def test_quotes_without_quotation_marks_cue_alone(find) -> None:
    quote = only(find("Wir stellen für niemanden eine Bedrohung dar, sagte Putin."))
    assert quote.text == "Wir stellen für niemanden eine Bedrohung dar"
    assert quote.speaker_text == "Putin"


def test_quotes_reported_speech_continues_with_speaker_carried(find) -> None:
    quotes = find(
        "Putin verteidigte die Zusammenarbeit. Nordkorea sei ein Nachbar, sagte er.\n"
        "Die Lage auf der Halbinsel sei besonders. Moskau verletze keine Sanktionen.\n"
        "Am Abend reiste er ab."
    )
    assert [q.text for q in quotes] == [
        "Nordkorea sei ein Nachbar",
        "Die Lage auf der Halbinsel sei besonders. Moskau verletze keine Sanktionen",
    ]
    assert [q.speaker_text for q in quotes] == ["er", "er"]
    assert quotes[1].cue is None


def test_quotes_speaker_apposition_and_relative_clause(find) -> None:
    quote = only(find("Peskow, der Sprecher des Kreml, sagte, es gebe keine Abkommen."))
    assert quote.text == "es gebe keine Abkommen"
    assert quote.speaker_text == "Peskow, der Sprecher des Kreml"
    quote = only(find("Deiss, der sich zu diesem Schritt entschlossen hatte, sagte, er gehe."))
    assert quote.text == "er gehe"
    assert quote.speaker_text == "Deiss"


def test_quotes_relative_clause_in_the_prefield_of_a_colon(find) -> None:
    # the cue verb of the relative clause frames no message, and the colon's speaker is the
    # subject after the main clause's verb, not the relative clause
    quote = only(
        find(
            "In einem Bericht, der am Abend veröffentlicht wurde, rechtfertigte das "
            "Verteidigungsministerium den Angriff: „Wir haben uns verteidigt.“"
        )
    )
    assert quote.kind == "direct"
    assert quote.text == "Wir haben uns verteidigt."
    assert quote.speaker_text == "das Verteidigungsministerium"


def test_quotes_cue_nested_in_a_message_is_part_of_it(find) -> None:
    quote = only(find("Der Minister sagte, die Opposition habe erklärt, sie stimme zu."))
    assert quote.speaker_text == "Der Minister"
    assert quote.text == "die Opposition habe erklärt, sie stimme zu"


def test_quotes_headline_colon_names_the_speaker(find) -> None:
    quote = only(find('Kreml: "Keine Abkommen unterzeichnet"'))
    assert quote.kind == "direct"
    assert quote.speaker_text == "Kreml"


def test_quotes_speech_verb_without_message_is_no_quote(find) -> None:
    assert find("Die USA warnten Russland vor einer Militärkooperation.") == []
    assert find("Der Präsident erklärte den Notstand.") == []


def test_quotes_postposed_nach_and_report_adverb(find) -> None:
    quote = only(find("Die Reform ist seiner Ansicht nach ein Fehler."))
    assert quote.speaker_text == "seiner Ansicht"
    assert quote.text == "Die Reform ist seiner Ansicht nach ein Fehler"
    assert quote.cue is not None and quote.cue.text == "nach"
    quotes = find("Eine Umfrage liegt vor. Demnach käme die Koalition auf 50 Prozent.")
    assert [(q.text, q.speaker_text) for q in quotes] == [
        ("käme die Koalition auf 50 Prozent", "Demnach")
    ]


def test_quotes_wie_clause_is_no_message_of_a_later_cue(find) -> None:
    quote = only(
        find(
            "Wie die Agentur AFP berichtet, habe sich ein Bewohner gegenüber AFP geäußert, "
            "Panzer seien auf den Straßen."
        )
    )
    assert "Wie" not in quote.text
    assert quote.text.endswith("Panzer seien auf den Straßen")


def test_quotes_message_noun_speaks_for_its_holder(find) -> None:
    quote = only(find("Die Opposition vertritt die Ansicht, die Regierung habe versagt."))
    assert quote.text == "die Regierung habe versagt"
    assert quote.speaker_text == "Die Opposition"
    quote = only(
        find("Die CDU reagierte auf die Forderung des CSU-Chefs Stoiber, auf die SPD zuzugehen.")
    )
    assert quote.speaker_text == "die Forderung des CSU-Chefs Stoiber"
