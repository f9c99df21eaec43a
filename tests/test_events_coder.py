"""The events stage on sentences with hand-built actor mentions (the actors stage is another
module's job): types, direction, joint actors, negation, modality, consolidation."""

from __future__ import annotations

import re

import pytest

from chronik.document import Actor, Document, Mention, Quote, TimeExpression
from chronik.pipeline import build
from chronik.registry import get_stage

#: surface form -> (actor id, country, kind); every test sentence's actors are listed here
ACTORS = {
    "USA": ("a_usa", "USA", "state"),
    "Vereinigten Staaten": ("a_usa", "USA", "state"),
    "Washington": ("a_usa", "USA", "state"),
    "Südkorea": ("a_kor", "KOR", "state"),
    "Russland": ("a_rus", "RUS", "state"),
    "Russlands": ("a_rus", "RUS", "state"),
    "Moskau": ("a_rus", "RUS", "state"),
    "Moskaus": ("a_rus", "RUS", "state"),
    "Kreml": ("a_rus", "RUS", "state"),
    "Putin": ("a_putin", "RUS", "person"),
    "Nordkorea": ("a_prk", "PRK", "state"),
    "Nordkoreas": ("a_prk", "PRK", "state"),
    "Kim": ("a_kim", "PRK", "person"),
    "Kims": ("a_kim", "PRK", "person"),
    "Lukaschenko": ("a_luk", "BLR", "person"),
    "Ukraine": ("a_ukr", "UKR", "state"),
    "Iran": ("a_irn", "IRN", "state"),
    "Israel": ("a_isr", "ISR", "state"),
    "Merkel": ("a_merkel", "DEU", "person"),
    "Polizei": ("a_police", "DEU", "organization"),
    "Demonstranten": ("a_protest", "DEU", "group"),
    "Litauen": ("a_ltu", "LTU", "state"),
    "China": ("a_chn", "CHN", "state"),
    "Gericht": ("a_court", "DEU", "organization"),
}
SECTORS = {"a_police": "COP", "a_protest": "CVL", "a_court": "JUD"}


def with_mentions(doc: Document) -> Document:
    names = sorted(ACTORS, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b")
    seen: dict[str, Actor] = {}
    for m in pattern.finditer(doc.text):
        actor_id, country, kind = ACTORS[m.group(1)]
        sector = SECTORS.get(actor_id, "GOV")
        seen.setdefault(actor_id, Actor(actor_id, m.group(1), kind, country, sector))
        doc.mentions.append(
            Mention(actor_id, m.group(1), m.start(), m.end(), doc.sentence_at(m.start()) or 0)
        )
    doc.actors = list(seen.values())
    return doc


@pytest.fixture(scope="module")
def run():
    core = build("de", ["chronik.tokenize.v1", "chronik.tag.v1"])
    events = get_stage("chronik.events.v1").factory("de")

    def analyse(text: str, prepare=None) -> Document:
        doc = with_mentions(core(Document(text=text)))
        if prepare is not None:
            prepare(doc)
        return events(doc)

    return analyse


def dyads(doc: Document) -> set[tuple[str, tuple[str, ...], tuple[str, ...], bool, str]]:
    return {
        (e.type, tuple(sorted(e.source)), tuple(sorted(e.target)), e.negated, e.modality)
        for e in doc.events
    }


def test_events_coder_joint_source_and_object_target(run) -> None:
    doc = run("Die USA und Südkorea warnten Russland vor einer Militärkooperation.")
    assert ("THREATEN", ("a_kor", "a_usa"), ("a_rus",), False, "asserted") in dyads(doc)


def test_events_coder_implicit_target_inside_the_object(run) -> None:
    doc = run("Die USA haben vor einer Militärkooperation Moskaus mit Nordkorea gewarnt.")
    (event,) = [e for e in doc.events if e.type == "THREATEN"]
    assert event.source == ["a_usa"]
    assert "a_rus" in event.target


def test_events_coder_host_is_target_of_a_visit(run) -> None:
    doc = run("Am Mittwoch hatte Putin Kim im Kosmodrom empfangen.")
    assert ("CONSULT", ("a_kim",), ("a_putin",), False, "asserted") in dyads(doc)


def test_events_coder_separable_verb(run) -> None:
    doc = run("Südkorea rief Russland zur Zurückhaltung auf.")
    assert ("REQUEST", ("a_kor",), ("a_rus",), False, "asserted") in dyads(doc)


def test_events_coder_passive_agent_is_the_source(run) -> None:
    doc = run("Zwei Demonstranten wurden von der Polizei festgenommen.")
    assert ("COERCE", ("a_police",), ("a_protest",), False, "asserted") in dyads(doc)


def test_events_coder_negation_of_the_object(run) -> None:
    doc = run("Putin und Kim haben keine Abkommen unterzeichnet.")
    (event,) = doc.events
    assert event.type == "SUPPORT" and event.negated


def test_events_coder_feared_content_is_hypothetical(run) -> None:
    doc = run("Washington befürchtet, dass Russland die Ukraine angreifen will.")
    assault = [e for e in doc.events if e.type == "ASSAULT"]
    assert assault and all(e.modality == "hypothetical" for e in assault)


def test_events_coder_konjunktiv_two_is_hypothetical(run) -> None:
    doc = run("Russland würde die Ukraine angreifen.")
    assert [e.modality for e in doc.events] == ["hypothetical"]


def test_events_coder_reported_speech(run) -> None:
    doc = run("Der Kreml bestätigte, Putin habe eine Einladung Kims angenommen.")
    agree = [e for e in doc.events if e.type == "AGREE"]
    assert agree and agree[0].modality == "reported" and agree[0].target == ["a_kim"]


def test_events_coder_modal_future(run) -> None:
    doc = run("Putin will Nordkorea besuchen.")
    assert [(e.type, e.modality) for e in doc.events] == [("CONSULT", "future")]


def test_events_coder_symmetric_meeting_of_a_plural_subject(run) -> None:
    doc = run("Putin und Lukaschenko trafen sich in Sotschi.")
    assert ("CONSULT", ("a_putin",), ("a_luk",), False, "asserted") in dyads(doc)


def test_events_coder_reflexive_meeting_with(run) -> None:
    doc = run("In Sotschi, wo er sich mit Lukaschenko traf, verteidigte Putin die Politik.")
    assert ("CONSULT", ("a_putin",), ("a_luk",), False, "asserted") in dyads(doc)


def test_events_coder_decision_is_not_a_meeting(run) -> None:
    doc = run("Russland traf eine Entscheidung.")
    assert doc.events == []


def test_events_coder_consolidates_repeated_mentions(run) -> None:
    doc = run("Die USA warnten Russland. Die USA haben Russland erneut gewarnt.")
    (event,) = doc.events
    assert len(event.mentions) == 2 and event.id == "ev1"


def test_events_coder_court_conviction_is_sanction(run) -> None:
    doc = run("Ein Gericht verurteilte die Demonstranten zu Haftstrafen.")
    assert {e.type for e in doc.events} == {"SANCTION"}


def test_events_coder_condemnation_is_accuse(run) -> None:
    doc = run("Merkel verurteilte die Angriffe Russlands scharf.")
    assert ("ACCUSE", ("a_merkel",), ("a_rus",), False, "asserted") in dyads(doc)


def test_events_coder_nominal_attack(run) -> None:
    doc = run("Merkel sprach über den Angriff Russlands auf die Ukraine.")
    assert ("ASSAULT", ("a_rus",), ("a_ukr",), False, "asserted") in dyads(doc)


def test_events_coder_date_and_cameo(run) -> None:
    def times(doc: Document) -> None:
        start = doc.text.index("Am Mittwoch")
        doc.times.append(TimeExpression("Am Mittwoch", start, start + 11, 0, "2023-09-13"))

    doc = run("Am Mittwoch haben Demonstranten gegen Putin demonstriert.", times)
    (event,) = doc.events
    assert event.type == "PROTEST" and event.date == "2023-09-13"
    assert event.cameo == "141" and event.goldstein == -5.0


def test_events_coder_inside_a_quote_is_reported(run) -> None:
    text = 'Merkel sagte: "Wir verurteilen, dass Russland die Ukraine angreift."'

    def quotes(doc: Document) -> None:
        start = text.index("Wir")
        doc.quotes.append(Quote("q1", text[start:-2], start, len(text) - 2, "direct", 0))

    doc = run(text, quotes)
    assert all(e.modality in {"reported", "hypothetical"} for e in doc.events)


def test_events_coder_no_mentions_no_events(run) -> None:
    core = build("de", ["chronik.tokenize.v1", "chronik.tag.v1"])
    events = get_stage("chronik.events.v1").factory("de")
    doc = events(core(Document(text="Die USA warnten Russland.")))
    assert doc.events == []


def test_events_coder_reported_obligation_is_a_demand(run) -> None:
    doc = run("Der Iran müsse die Anreicherung beenden, sagte Merkel.")
    assert ("REQUEST", ("a_merkel",), ("a_irn",), False, "asserted") in dyads(doc)


def test_events_coder_denial_answers_the_accusation(run) -> None:
    doc = run("Israel wirft dem Iran vor, Waffen zu bauen. Der Iran bestreitet dies.")
    assert ("REJECT", ("a_irn",), ("a_isr",), False, "asserted") in dyads(doc)


def test_events_coder_threat_aimed_at_the_condition(run) -> None:
    doc = run("Russland drohte mit Gewalt, sollte China einen Beschluss fassen.")
    assert ("THREATEN", ("a_rus",), ("a_chn",), False, "asserted") in dyads(doc)


def test_events_coder_question_is_not_a_report(run) -> None:
    doc = run("Hat Russland die Ukraine angegriffen?")
    assert all(e.modality == "hypothetical" for e in doc.events)


def test_events_coder_meeting_parties_of_an_agentless_agreement(run) -> None:
    doc = run("Putin empfing Kim in Moskau. Dabei wurden keine Vereinbarungen getroffen.")
    agree = [e for e in doc.events if e.type == "AGREE"]
    assert (
        agree
        and agree[0].negated
        and set(agree[0].source) | set(agree[0].target)
        == {
            "a_putin",
            "a_kim",
        }
    )


def test_events_coder_judging_as_a_threat_is_accuse(run) -> None:
    doc = run("Merkel bezeichnete Russland als Bedrohung für Europa.")
    assert ("ACCUSE", ("a_merkel",), ("a_rus",), False, "asserted") in dyads(doc)


def test_events_coder_judging_as_a_partner_is_support(run) -> None:
    doc = run("Putin bezeichnete China als wichtigen Partner.")
    assert ("SUPPORT", ("a_putin",), ("a_chn",), False, "asserted") in dyads(doc)


def test_events_coder_neutral_naming_is_no_event(run) -> None:
    doc = run("Putin bezeichnete China als Nachbarn.")
    assert doc.events == []


def test_events_coder_reported_blame_is_accuse(run) -> None:
    doc = run("Der Iran sei für den Anschlag verantwortlich, sagte Merkel.")
    assert ("ACCUSE", ("a_merkel",), ("a_irn",), False, "asserted") in dyads(doc)


def test_events_coder_naming_someone_a_tyrant_is_accuse(run) -> None:
    doc = run("Putin nannte Merkel einen Tyrannen.")
    assert ("ACCUSE", ("a_putin",), ("a_merkel",), False, "asserted") in dyads(doc)


def test_events_coder_meeting_as_circumstance_of_the_clause(run) -> None:
    doc = run("Bei seinem Treffen mit Lukaschenko forderte Putin mehr Zusammenarbeit.")
    assert ("CONSULT", ("a_putin",), ("a_luk",), False, "asserted") in dyads(doc)


def test_events_coder_location_comes_from_a_locative_phrase(run) -> None:
    def places(doc: Document) -> None:
        from chronik.document import Place

        for name, country in (("Sotschi", "RUS"), ("Russland", "RUS")):
            start = doc.text.index(name)
            doc.places.append(
                Place(name, name, name, start, start + len(name), 0, country, 43.6, 39.7)
            )

    doc = run("Putin empfing Lukaschenko in Sotschi, warnte aber Russland.", places)
    consult = next(e for e in doc.events if e.type == "CONSULT")
    assert consult.location is not None and consult.location.name == "Sotschi"
