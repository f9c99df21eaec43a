"""Time expressions: found in German sentences, valued relative to the publication date."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chronik import pipeline, timex
from chronik.document import Document, Metadata

FRIDAY = date(2023, 9, 15)


def values(text: str, published: date | None = FRIDAY) -> list[tuple[str, str | None]]:
    return [(t.text, t.calendar_value) for t in timex.extract(text, published)]


def value_of(text: str, expression: str, published: date | None = FRIDAY) -> str | None:
    found = [t for t in timex.extract(text, published) if t.text == expression]
    assert found, f"{expression!r} not found in {values(text, published)}"
    return found[0].calendar_value


@pytest.mark.parametrize(
    ("sentence", "expression", "value"),
    [
        (
            "Kim Jong Un traf Putin am 13. September 2023 im Fernen Osten.",
            "13. September 2023",
            "2023-09-13",
        ),
        ("Das Treffen fand am 13.9.2023 statt.", "13.9.2023", "2023-09-13"),
        ("Das Treffen fand am 13.09.23 statt.", "13.09.23", "2023-09-13"),
        ("Der Vertrag wurde am 2023-09-13 unterzeichnet.", "2023-09-13", "2023-09-13"),
        ("Am 13. September landete Kim in Russland.", "13. September", "2023-09-13"),
        ("Am 31. Dezember endet die Frist.", "31. Dezember", "2023-12-31"),
        ("Die Wahl findet am 8. Oktober statt.", "8. Oktober", "2023-10-08"),
        ("Im September 2023 reiste Kim nach Russland.", "September 2023", "2023-09"),
        ("Die Preise stiegen im Mai.", "Mai", "2023-05"),
        ("Im Oktober soll gewählt werden.", "Oktober", "2023-10"),
        ("Im Jahr 2003 begann der Krieg.", "Jahr 2003", "2003"),
        ("Im Jahre 1980 war alles anders.", "Jahre 1980", "1980"),
        ("Seit 2019 herrscht Funkstille.", "2019", "2019"),
        ("Ende 2022 kündigte er den Besuch an.", "Ende 2022", "2022"),
        ("Gestern sagte der Sprecher, man sei zufrieden.", "Gestern", "2023-09-14"),
        ("Der Minister kommt morgen nach Berlin.", "morgen", "2023-09-16"),
        ("Heute beginnt der Gipfel.", "Heute", "2023-09-15"),
        ("Vorgestern hatte es geregnet.", "Vorgestern", "2023-09-13"),
        ("Am Mittwoch traf Kim Putin.", "Mittwoch", "2023-09-13"),
        ("Am Donnerstag besuchte er eine Flugzeugfabrik.", "Donnerstag", "2023-09-14"),
        ("Am Freitag reiste er weiter.", "Freitag", "2023-09-15"),
        ("Am Montag war der Zug angekommen.", "Montag", "2023-09-11"),
        ("Am Montag wird der Präsident in Kiew erwartet.", "Montag", "2023-09-18"),
        ("Am vergangenen Freitag wurde gewählt.", "vergangenen Freitag", "2023-09-08"),
        ("Am kommenden Dienstag tagt der Rat.", "kommenden Dienstag", "2023-09-19"),
        ("Am Mittwochabend landete die Maschine.", "Mittwochabend", "2023-09-13"),
        ("Am Donnerstagnachmittag sprach er.", "Donnerstagnachmittag", "2023-09-14"),
        ("Am gestrigen Donnerstag sprach er.", "gestrigen Donnerstag", "2023-09-14"),
        ("Vergangene Woche hatte es Gespräche gegeben.", "Vergangene Woche", "2023-09"),
        ("In der vergangenen Woche gab es Proteste.", "der vergangenen Woche", "2023-09"),
        ("Im letzten Monat stiegen die Preise.", "letzten Monat", "2023-08"),
        ("Im vergangenen Jahr wuchs die Wirtschaft.", "vergangenen Jahr", "2022"),
        ("Nächstes Jahr wird gewählt.", "Nächstes Jahr", "2024"),
        ("Die Zahlen dieses Jahres sind gut.", "dieses Jahres", "2023"),
        ("Anfang des Monats wurde er entlassen.", "Anfang des Monats", "2023-09"),
        ("Im Vorjahr waren es weniger.", "Vorjahr", "2022"),
        ("Vor drei Jahren begann die Pandemie.", "Vor drei Jahren", "2020"),
        ("Er war vor einem Jahr zuletzt hier.", "vor einem Jahr", "2022"),
        ("Vor zwei Monaten wurde er gewählt.", "Vor zwei Monaten", "2023-07"),
        ("In zwei Wochen soll das Abkommen stehen.", "zwei Wochen", "2023-09"),
        ("Im April letzten Jahres wurde er verhaftet.", "April letzten Jahres", "2022-04"),
        ("Am 19. Juni dieses Jahres kam es zum Eklat.", "19. Juni dieses Jahres", "2023-06-19"),
        ("Ende Mai 2010 wurde er entlassen.", "Ende Mai 2010", "2010-05"),
        ("Im Sommer 2009 kam es zu Unruhen.", "Sommer 2009", "2009"),
        ("Am Ostersonntag 2017 war es still.", "Ostersonntag 2017", "2017-04-16"),
        ("Im dritten Quartal 2022 schrumpfte die Wirtschaft.", "dritten Quartal 2022", "2022"),
        ("Um 8.30 Uhr begann die Sitzung.", "8.30 Uhr", "2023-09-15"),
        ("Am 3. Mai um 15 Uhr begann die Sitzung.", "15 Uhr", "2023-05-03"),
    ],
)
def test_times_german_sentence_values(sentence: str, expression: str, value: str) -> None:
    assert value_of(sentence, expression) == value


@pytest.mark.parametrize(
    ("sentence", "expression"),
    [
        ("Seit Jahren streiten die Nachbarn.", "Jahren"),
        ("Die Verhandlungen dauerten drei Tage lang.", "drei Tage lang"),
        ("Seit zehn Jahren regiert er.", "zehn Jahren"),
        ("Er war jahrelang im Exil.", "jahrelang"),
        ("Damals war alles anders.", "Damals"),
        ("Die Sitzung findet täglich statt.", "täglich"),
        ("Jetzt ist die Lage ruhig.", "Jetzt"),
        ("Vor einigen Monaten gab es Gespräche.", "Vor einigen Monaten"),
    ],
)
def test_times_durations_and_vague_expressions_have_no_value(
    sentence: str, expression: str
) -> None:
    assert value_of(sentence, expression) is None


@pytest.mark.parametrize(
    ("sentence", "expression", "timeml"),
    [
        ("Die Gespräche dauerten drei Tage.", "drei Tage", "P3D"),
        ("Seit Jahren streiten sie.", "Jahren", "PXY"),
        ("In den 90er Jahren wuchs die Stadt.", "den 90er Jahren", "199"),
        ("Im 20. Jahrhundert gab es zwei Weltkriege.", "20. Jahrhundert", "19"),
        ("Am Mittwochabend sprach er.", "Mittwochabend", "2023-09-13TEV"),
        ("Um 8.30 Uhr begann es.", "8.30 Uhr", "2023-09-15T08:30"),
        ("Im Sommer 2009 gab es Proteste.", "Sommer 2009", "2009-SU"),
        ("Vergangene Woche gab es Proteste.", "Vergangene Woche", "2023-W36"),
        ("Jeden Montag tagt der Rat.", "Jeden Montag", "XXXX-WXX-1"),
        ("Jetzt ist es ruhig.", "Jetzt", "PRESENT_REF"),
        ("Die Zahlen werden jährlich erhoben.", "jährlich", "P1Y"),
    ],
)
def test_times_timeml_values(sentence: str, expression: str, timeml: str) -> None:
    found = [t for t in timex.extract(sentence, FRIDAY) if t.text == expression]
    assert found and found[0].value == timeml


@pytest.mark.parametrize(
    "sentence",
    [
        "Rund 2000 Menschen demonstrierten.",
        "Der Zug hatte 1500 Passagiere an Bord.",
        "Die Kosten betragen 2023 Euro.",
        "Morgens ist es hier kalt, am Morgen danach auch.",
    ],
)
def test_times_numbers_that_are_not_years(sentence: str) -> None:
    assert not any(
        t.calendar_value and len(t.calendar_value) == 4 for t in timex.extract(sentence, FRIDAY)
    )


def test_times_capitalised_morgen_is_the_morning_not_tomorrow() -> None:
    found = timex.extract("Er kam am Morgen an.", FRIDAY)
    assert [t.text for t in found] == ["Morgen"]
    assert found[0].type == "TIME" and found[0].value == "2023-09-15TMO"


def test_times_relative_expressions_need_a_publication_date() -> None:
    found = dict(values("Am Mittwoch traf er ihn, am 13. September 2023 in Wladiwostok.", None))
    assert found == {"Mittwoch": None, "13. September 2023": "2023-09-13"}


def test_times_easter() -> None:
    assert timex.easter(2017) == date(2017, 4, 16)
    assert timex.easter(2024) == date(2024, 3, 31)
    assert timex.easter(2000) == date(2000, 4, 23)


def test_times_calendar_value_of_weeks_and_seasons() -> None:
    assert timex.calendar_value("2005-W39") == "2005-09"
    assert timex.calendar_value("2023-SU") == "2023"
    assert timex.calendar_value("2023-09-13TEV") == "2023-09-13"
    assert timex.calendar_value("P3D") is None
    assert timex.calendar_value("PRESENT_REF") is None


def test_times_stage_fills_document() -> None:
    pipe = pipeline.build("de", ["chronik.tokenize.v1", "chronik.times.v1"])
    text = "Kim trifft Putin\n\nAm Mittwoch traf Kim Putin. Gestern reiste er ab."
    doc = pipe(Document(text, Metadata(published=FRIDAY)))
    assert [(t.text, t.value, t.sentence) for t in doc.times] == [
        ("Mittwoch", "2023-09-13", 1),
        ("Gestern", "2023-09-14", 2),
    ]
    for t in doc.times:
        assert doc.text[t.start : t.end] == t.text


def test_times_stage_keeps_timeml_type_and_value() -> None:
    pipe = pipeline.build("de", ["chronik.tokenize.v1", "chronik.times.v1"])
    text = "Die Gespräche dauerten drei Tage. Vergangene Woche reiste er ab."
    doc = pipe(Document(text, Metadata(published=FRIDAY)))
    assert [(t.text, t.type, t.timeml, t.value) for t in doc.times] == [
        ("drei Tage", "DURATION", "P3D", None),
        ("Vergangene Woche", "DATE", "2023-W36", "2023-09"),
    ]
    for t in doc.times:
        assert doc.text[t.start : t.end] == t.text


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("Am 13. Mai 2023 gestern Jahren vor drei .,\n0123456789")),
        max_size=200,
    )
)
def test_times_offsets_always_inside_text(text: str) -> None:
    for t in timex.extract(text, FRIDAY):
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start : t.end] == t.text


@pytest.mark.parametrize(
    ("sentence", "expression", "timeml"),
    [
        ("In der Nacht zum Sonntag brannte es.", "Nacht zum Sonntag", "2023-09-10TNI"),
        ("Am Wochenende wird demonstriert.", "Wochenende", "2023-W37-WE"),
        ("Am frühen Morgen rückte die Polizei an.", "frühen Morgen", "2023-09-15TMO"),
        ("In den 90ern boomte die Stadt.", "den 90ern", "199"),
        ("Bis zum Jahresende soll das Gesetz stehen.", "Jahresende", "2023"),
        ("Am Vortag hatte er abgesagt.", "Vortag", "2023-09-14"),
    ],
)
def test_times_more_german_expressions(sentence: str, expression: str, timeml: str) -> None:
    found = [t for t in timex.extract(sentence, FRIDAY) if t.text == expression]
    assert found and found[0].value == timeml, values(sentence)


def test_times_in_n_units_is_a_date_only_for_the_future() -> None:
    future = timex.extract("In drei Jahren soll die Brücke fertig sein.", FRIDAY)
    assert [(t.text, t.type, t.value) for t in future] == [("drei Jahren", "DATE", "2026")]
    past = timex.extract("In drei Jahren hat er zwei Kriege geführt.", FRIDAY)
    assert [(t.text, t.type, t.value) for t in past] == [("drei Jahren", "DURATION", "P3Y")]


@pytest.mark.parametrize(
    ("sentence", "expression", "timeml"),
    [
        ("Die Anlage verbraucht 20 Liter pro Tag.", "pro Tag", "P1D"),
        ("Jahr für Jahr steigen die Mieten.", "Jahr für Jahr", "P1Y"),
        ("Die Zahl wächst Woche um Woche.", "Woche um Woche", "P1W"),
    ],
)
def test_times_frequencies(sentence: str, expression: str, timeml: str) -> None:
    found = [t for t in timex.extract(sentence, FRIDAY) if t.text == expression]
    assert found and (found[0].type, found[0].value) == ("SET", timeml), values(sentence)
