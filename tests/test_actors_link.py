"""Actors and mentions (chronik.actors.v1): states, metonyms, people by date, roles, pronouns."""

from __future__ import annotations

from datetime import date

import pytest

from chronik.document import Document, Metadata
from chronik.pipeline import build


@pytest.fixture(scope="module")
def pipe():
    return build(
        "de",
        ["chronik.tokenize.v1", "chronik.tag.v1", "chronik.entities.v1", "chronik.actors.v1"],
    )


def run(pipe, text: str, published: date = date(2023, 9, 15)) -> Document:
    return pipe(Document(text=text, meta=Metadata(published=published)))


def actor_of(doc: Document, text: str, via: str | None = None):
    for mention in doc.mentions:
        if mention.text == text and (via is None or mention.via == via):
            return doc.actor(mention.actor)
    raise AssertionError(f"no mention {text!r}: {[(m.text, m.via) for m in doc.mentions]}")


def test_actors_country_and_capital_metonym_are_one_state(pipe) -> None:
    doc = run(pipe, "Russland warnte die USA. Moskau verletze keine Sanktionen, hieß es.")
    russia, moscow = actor_of(doc, "Russland"), actor_of(doc, "Moskau", "metonym")
    assert russia is moscow
    assert (russia.kind, russia.country, russia.sector) == ("state", "RUS", "GOV")


def test_actors_government_in_capital_is_the_state(pipe) -> None:
    doc = run(pipe, "Die Regierung in Washington befürchtet neue Angriffe.")
    actor = actor_of(doc, "Die Regierung in Washington", "role")
    assert (actor.kind, actor.country, actor.sector) == ("state", "USA", "GOV")


def test_actors_place_after_preposition_is_no_mention(pipe) -> None:
    doc = run(pipe, "Die Minister trafen sich in Seoul.")
    assert all(m.text != "Seoul" for m in doc.mentions)


def test_actors_unknown_person_takes_country_from_adjective(pipe) -> None:
    doc = run(pipe, "Das sagte der südkoreanische Vizeminister Park Sung Min am Freitag.")
    actor = actor_of(doc, "Park Sung Min")
    assert (actor.kind, actor.country, actor.sector) == ("person", "KOR", "GOV")


def test_actors_unknown_person_takes_country_from_genitive(pipe) -> None:
    doc = run(pipe, "Irans Außenminister Hossein Testmann reiste nach Genf.")
    actor = actor_of(doc, "Hossein Testmann")
    assert (actor.country, actor.sector) == ("IRN", "GOV")


def test_actors_compound_modifier_gives_country(pipe) -> None:
    doc = run(pipe, "Es gebe keine Pläne, sagte Kreml-Sprecher Juri Beispielow.")
    actor = actor_of(doc, "Juri Beispielow")
    assert (actor.country, actor.sector) == ("RUS", "GOV")


def test_actors_surname_corefers_with_full_name(pipe) -> None:
    doc = run(pipe, "Anton Probstow reiste ab. Später sagte Probstow, er sei zufrieden.")
    assert actor_of(doc, "Probstow") is actor_of(doc, "Anton Probstow")


def test_actors_pronoun_refers_to_last_male_person(pipe) -> None:
    doc = run(
        pipe,
        "Es gebe keine Pläne, sagte Kreml-Sprecher Juri Beispielow. Ihm zufolge ist alles gut.",
    )
    assert actor_of(doc, "Ihm", "pronoun") is actor_of(doc, "Juri Beispielow")


def test_actors_role_phrase_group_with_country(pipe) -> None:
    doc = run(pipe, "Südkoreanische Soldaten schossen auf das Boot.")
    actor = actor_of(doc, "Südkoreanische Soldaten", "role")
    assert (actor.kind, actor.country, actor.sector) == ("group", "KOR", "MIL")


def test_actors_role_phrase_resolves_office_holder_by_date(pipe) -> None:
    doc = run(pipe, "Der russische Präsident empfing den Gast.")
    actor = actor_of(doc, "Der russische Präsident", "role")
    assert actor.country == "RUS" and actor.kind == "person"


def test_actors_igo_organ(pipe) -> None:
    doc = run(pipe, "Der UN-Sicherheitsrat verurteilte den Angriff.")
    actor = actor_of(doc, "UN-Sicherheitsrat")
    assert actor.country == "IGO"


def test_actors_ids_in_order_and_entities_linked(pipe) -> None:
    doc = run(pipe, "Die USA und Südkorea warnten Russland.")
    assert [a.id for a in doc.actors] == [f"a{i}" for i in range(1, len(doc.actors) + 1)]
    linked = {e.text: doc.actor(e.actor).country for e in doc.entities if e.actor}
    assert linked == {"USA": "USA", "Südkorea": "KOR", "Russland": "RUS"}
    assert {m.actor for m in doc.mentions} <= {a.id for a in doc.actors}


def test_actors_dominant_country_places_unplaced_people(pipe) -> None:
    doc = run(
        pipe,
        "Georgien wählt.\nIn Georgien hat die Opposition protestiert. Georgiens Präsident "
        "schwieg. David Testadse, der Parteivorsitzende, forderte Neuwahlen.",
    )
    assert actor_of(doc, "David Testadse").country == "GEO"
    assert actor_of(doc, "die Opposition", "role").country == "GEO"


def test_actors_acronym_in_parentheses_is_the_same_actor(pipe) -> None:
    doc = run(pipe, "Die Vereinte Nationale Bewegung (ENM) gewann die Wahl in Georgien.")
    assert actor_of(doc, "ENM") is actor_of(doc, "Vereinte Nationale Bewegung")


def test_actors_grouped_kb_entries_are_distinct_organisations(pipe) -> None:
    doc = run(pipe, "Labour und die Tories stritten im Unterhaus.")
    labour, tories = actor_of(doc, "Labour"), actor_of(doc, "Tories")
    assert labour is not tories
    assert labour.country == tories.country == "GBR"


def test_actors_pronoun_sie_with_plural_verb_is_a_group(pipe) -> None:
    doc = run(pipe, "Südkoreanische Soldaten patrouillierten. Sie schossen auf ein Boot.")
    assert actor_of(doc, "Sie", "pronoun") is actor_of(doc, "Südkoreanische Soldaten", "role")


def test_actors_supporters_of_a_country_are_not_its_actors(pipe) -> None:
    doc = run(
        pipe, "Israel stoppte das Schiff. Israel nahm 16 pro-palästinensische Aktivisten fest."
    )
    assert all(doc.actor(m.actor).country != "ISR" for m in doc.mentions if "Aktivisten" in m.text)


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Österreich streitet. In Wien sagte die ÖVP, die Bundesregierung habe versagt.", "AUT"),
        ("Deutschland streitet. In Berlin sagte die CDU, die Bundesregierung habe versagt.", "DEU"),
    ],
)
def test_actors_federal_government_follows_the_article_country(pipe, text, country) -> None:
    doc = run(pipe, text)
    assert actor_of(doc, "Bundesregierung").country == country


def test_actors_object_sie_is_not_resolved(pipe) -> None:
    doc = run(pipe, "Anna Testfrau und Karl Testmann streiten. Was sie trennt, ist alt.")
    assert all(m.via != "pronoun" for m in doc.mentions)


def test_actors_subject_sie_after_speech_verb(pipe) -> None:
    doc = run(pipe, "Die Innenministerin Anna Testfrau reiste ab. Das sei richtig, sagte sie.")
    assert actor_of(doc, "sie", "pronoun") is actor_of(doc, "Anna Testfrau")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Das Treffen der Außenminister Frankreichs war kurz.", "group"),
        ("Der französische Außenminister reiste ab.", "person"),
        ("Die französischen Soldaten zogen ab.", "group"),
    ],
)
def test_actors_number_of_role_nouns(pipe, text: str, kind: str) -> None:
    doc = run(pipe, text)
    roles = [doc.actor(m.actor) for m in doc.mentions if m.via == "role"]
    assert roles and roles[0].kind == kind


def test_actors_member_states_of_an_igo_are_the_igo(pipe) -> None:
    doc = run(pipe, "Die USA lehnten ab, während die EU-Staaten den Vorstoß begrüßten.")
    actor = actor_of(doc, "die EU-Staaten", "role")
    assert actor.country == "IGO" and actor.kind == "organization"


def test_actors_demonstrative_role_refers_back_to_the_minister(pipe) -> None:
    doc = run(
        pipe,
        "Innenminister Wolfgang Schäuble will neue Regeln. Dieser Minister gilt als streng.",
        published=date(2008, 11, 23),
    )
    assert actor_of(doc, "Dieser Minister", "role") is actor_of(doc, "Wolfgang Schäuble")


def test_actors_genitive_of_full_name_is_the_same_person(pipe) -> None:
    doc = run(pipe, "Joseph Testony floh. Die Taten Joseph Testonys sind bekannt.")
    assert actor_of(doc, "Joseph Testonys") is actor_of(doc, "Joseph Testony")


def test_actors_head_of_a_body_is_not_head_of_state(pipe) -> None:
    doc = run(
        pipe,
        "Österreich debattiert. Nationalratspräsidentin Doris Testerin eröffnete die Sitzung "
        "des Nationalrats in Wien.",
        published=date(2016, 1, 15),
    )
    actor = actor_of(doc, "Doris Testerin")
    assert actor.country == "AUT" and actor.role != "head_of_state"


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        (
            "Italiens Torwart Gianni Testaccio verletzte sich im Training.",
            "Gianni Testaccio",
            "ITA",
        ),
        (
            "Das Tor schoss der Argentinier Carlos Ejemplo in der zweiten Minute.",
            "Carlos Ejemplo",
            "ARG",
        ),
        ("Die US-Rockband Blue Testers spielte in Köln.", "Blue Testers", "USA"),
        ("Der Minister Hamid Beispiel aus Sierra Leone wurde gewählt.", "Hamid Beispiel", "SLE"),
    ],
)
def test_actors_occupation_nouns_and_origin_give_a_name_its_country(
    pipe, text: str, name: str, country: str
) -> None:
    assert actor_of(run(pipe, text), name).country == country


def test_actors_role_with_a_genitive_before_the_name(pipe) -> None:
    doc = run(pipe, "Die Vorsitzende der Linken Gesine Beispiel wies die Kritik zurück.")
    person = actor_of(doc, "Gesine Beispiel")
    assert (person.country, person.sector) == ("DEU", "PTY")
    assert actor_of(doc, "Die Vorsitzende", "role") is person


def test_actors_role_phrase_before_a_comma_is_the_person(pipe) -> None:
    doc = run(
        pipe,
        "Der Fraktionsvorsitzende im niedersächsischen Landtag, Wolfgang Testmann, "
        "forderte den Rücktritt. Er sprach von einem Skandal.",
    )
    person = actor_of(doc, "Wolfgang Testmann")
    assert person.sector == "LEG"
    assert actor_of(doc, "Er", "pronoun") is person


def test_actors_places_in_lists_and_directions_are_no_actors(pipe) -> None:
    doc = run(
        pipe,
        "In Deutschland, England und Frankreich sterben jede Woche Kinder. "
        "Das Hochwasser traf Orte nordwestlich von Warschau.",
    )
    texts = {m.text for m in doc.mentions}
    assert not texts & {"Frankreich", "England", "Warschau"}


def test_actors_several_countries_take_no_country(pipe) -> None:
    doc = run(
        pipe,
        "Bei einem Treffen der europäischen Verteidigungsminister in Finnland sprach man "
        "über Mali. Vertreter westlicher Staaten waren anwesend.",
    )
    assert all(doc.actor(m.actor).country != "FIN" for m in doc.mentions if m.via == "role")
    assert "westlicher Staaten" not in {m.text for m in doc.mentions}


def test_actors_parliament_presidents_and_referees(pipe) -> None:
    doc = run(
        pipe,
        "Landtagspräsident Dieter Testmann eröffnete die Sitzung. "
        "Für Bundesliga-Schiedsrichter Knut Beispiel war es ein schweres Spiel.",
    )
    assert actor_of(doc, "Dieter Testmann").sector == "LEG"
    referee = actor_of(doc, "Knut Beispiel")
    assert referee.sector != "JUD"


def test_actors_the_party_refers_to_the_party_named_before(pipe) -> None:
    doc = run(
        pipe,
        "Gysi kritisierte die Linke scharf. Die Partei stagniere in Selbstbeschäftigung, sagte er.",
    )
    assert actor_of(doc, "Die Partei", "role") is actor_of(doc, "Linke")


def test_actors_office_holder_under_another_spelling(pipe) -> None:
    doc = run(pipe, "Staatspräsident Umar al-Baschir löste den Rat auf.", date(2011, 5, 22))
    bashir = actor_of(doc, "Umar al-Baschir")
    assert (bashir.country, bashir.role, bashir.kb_id is not None) == ("SDN", "head_of_state", True)


def test_actors_former_office_holders_are_elites(pipe) -> None:
    doc = run(pipe, "Gerhard Schröder verteidigte seine Nähe zu Russland.", date(2023, 3, 1))
    schroeder = actor_of(doc, "Gerhard Schröder")
    assert (schroeder.country, schroeder.sector, schroeder.role) == ("DEU", "ELI", None)


def test_actors_country_from_an_apposition_after_the_name(pipe) -> None:
    doc = run(
        pipe,
        "Major Igor Beispielow, Pilot des über Litauen abgestürzten russischen "
        "Kampfflugzeuges, ist in Gewahrsam Litauens.",
    )
    pilot = actor_of(doc, "Igor Beispielow")
    assert (pilot.country, pilot.sector) == ("RUS", "MIL")


def test_actors_no_actor_for_nobody(pipe) -> None:
    doc = run(pipe, "An Bord waren 16 Aktivisten, darunter keine Deutschen.")
    assert "Deutschen" not in {m.text for m in doc.mentions}


def test_actors_head_of_an_unknown_body_is_not_the_state(pipe) -> None:
    doc = run(pipe, "AK-Präsident Rudolf Testmann kritisierte die Regierung.", date(2016, 3, 1))
    head = actor_of(doc, "Rudolf Testmann")
    assert (head.role, head.sector) == ("other", None)
    minister = actor_of(
        run(pipe, "Wirtschaftsminister Hans Beispiel reiste nach Wien.", date(2016, 3, 1)),
        "Hans Beispiel",
    )
    assert (minister.role, minister.sector) == ("minister", "GOV")


def test_actors_head_of_a_body_in_a_genitive(pipe) -> None:
    doc = run(
        pipe,
        "Ein Spitzelnetz entsteht, warnt Rupert Wolff, Präsident des Österreichischen "
        "Rechtsanwaltskammertags. Ein Sprecher des russischen Außenministeriums widersprach.",
        date(2016, 3, 1),
    )
    wolff = actor_of(doc, "Rupert Wolff")
    assert (wolff.country, wolff.sector) == ("AUT", None)
    assert actor_of(doc, "Präsident", "role") is wolff
    assert "Österreichischen" not in {m.text for m in doc.mentions}
    speaker = actor_of(doc, "Ein Sprecher des russischen Außenministeriums", "role")
    assert (speaker.country, speaker.sector) == ("RUS", "GOV")


def test_actors_headline_role_is_the_person_of_the_lead(pipe) -> None:
    doc = run(
        pipe,
        "Niedersachsen: CDU-Abgeordneter beendet seine Karriere\n"
        "Der Abgeordnete der CDU Frank Testmann aus Syke will nicht mehr antreten.",
        date(2012, 1, 2),
    )
    assert actor_of(doc, "CDU-Abgeordneter", "role") is actor_of(doc, "Frank Testmann")


def test_actors_national_teams_in_match_reports_are_no_states(pipe) -> None:
    doc = run(
        pipe,
        "Italiens Torwart Gianni Testaccio hielt stark, doch Deutschland unterlag Serbien mit 0:1. "
        "Russland warnte die USA um 14:30 Uhr vor Sanktionen. "
        "Das Gericht entschied mit 5:4 Stimmen gegen Frankreich.",
    )
    texts = {m.text for m in doc.mentions}
    assert not texts & {"Italiens", "Deutschland", "Serbien"}
    assert {"Russland", "USA", "Frankreich"} <= texts
    assert actor_of(doc, "Gianni Testaccio").country == "ITA"


def test_actors_explicit_country_beats_the_articles_country(pipe) -> None:
    doc = run(
        pipe,
        "Blue Testers in Düsseldorf\n"
        "In Düsseldorf startete die US-Rockband Blue Testers ihre Tournee durch Deutschland.",
    )
    assert actor_of(doc, "Blue Testers").country == "USA"


def test_actors_kind_of_organisation_before_its_name(pipe) -> None:
    doc = run(
        pipe,
        "Quandtlux Inc. in Düsseldorf\n"
        "In Düsseldorf eröffnete der US-Konzern Quandtlux Inc. ein neues Werk.",
    )
    company = actor_of(doc, "Quandtlux Inc.")
    # the headline's mention took the article's country; the body's phrase corrects it
    assert (company.country, company.sector) == ("USA", "BUS")
    doc = run(pipe, "In Wien eröffnete der russische Konzern Quandtlux Inc. ein Werk.")
    assert actor_of(doc, "Quandtlux Inc.").country == "RUS"
