"""The gazetteer: names, exonyms and inflected forms to places, best candidate first."""

from __future__ import annotations

import time

import pytest

from chronik import gazetteer


def best(name: str, language: str = "de") -> gazetteer.GazetteerEntry | None:
    found = gazetteer.lookup(name, language)
    return found[0] if found else None


@pytest.mark.parametrize(
    ("name", "country", "feature"),
    [
        ("Moskau", "RUS", "city"),
        ("Moskaus", "RUS", "city"),
        ("Pjöngjang", "PRK", "city"),
        ("Peking", "CHN", "city"),
        ("Kiew", "UKR", "city"),
        ("Kyjiw", "UKR", "city"),
        ("Warschau", "POL", "city"),
        ("Mailand", "ITA", "city"),
        ("Neu-Delhi", "IND", "city"),
        ("Neu Delhi", "IND", "city"),
        ("Wladiwostok", "RUS", "city"),
        ("Den Haag", "NLD", "city"),
        ("Russland", "RUS", "country"),
        ("Russlands", "RUS", "country"),
        ("der Ukraine", "UKR", "country"),
        ("Nordkorea", "PRK", "country"),
        ("Südkorea", "KOR", "country"),
        ("USA", "USA", "country"),
        ("Vereinigten Staaten", "USA", "country"),
        ("den Vereinigten Arabischen Emiraten", "ARE", "country"),
        ("Großbritannien", "GBR", "country"),
        ("Weißrussland", "BLR", "country"),
        ("Georgien", "GEO", "country"),
        ("Krim", "UKR", "region"),
        ("Donbass", "UKR", "region"),
        ("Gazastreifen", "PSE", "region"),
        ("Westjordanland", "PSE", "region"),
        ("Golanhöhen", "SYR", "region"),
        ("Bergkarabach", "AZE", "region"),
        ("im Fernen Osten", "RUS", "region"),
        ("Fernen Ostens", "RUS", "region"),
        ("Nordrhein-Westfalens", "DEU", "region"),
        ("Wostotschny", "RUS", "site"),
        ("Weltraumbahnhof Wostotschny", "RUS", "site"),
        ("Baikonur", "KAZ", "city"),
    ],
)
def test_gazetteer_finds_german_names(name: str, country: str, feature: str) -> None:
    entry = best(name)
    assert entry is not None, name
    assert (entry.country, entry.feature) == (country, feature)


def test_gazetteer_sochi_has_coordinates() -> None:
    entry = best("Sotschi")
    assert entry is not None and entry.country == "RUS"
    assert entry.lat == pytest.approx(43.6, abs=0.1)
    assert entry.lon == pytest.approx(39.7, abs=0.1)


def test_gazetteer_country_takes_capital_coordinates() -> None:
    entry = best("Frankreich")
    assert entry is not None and entry.id == "iso:FRA"
    assert entry.lat == pytest.approx(48.85, abs=0.1)


def test_gazetteer_prefers_country_then_capital_then_population() -> None:
    luxembourg = gazetteer.lookup("Luxemburg")
    assert [e.feature for e in luxembourg[:2]] == ["country", "city"]
    washington = best("Washington")
    assert washington is not None and washington.country == "USA" and washington.capital
    paris = best("Paris")
    assert paris is not None and paris.country == "FRA"


@pytest.mark.parametrize("name", ["Kim", "Weil", "Laut", "Auch", "essen", "moskau", "", "Obama"])
def test_gazetteer_refuses_person_names_and_words(name: str) -> None:
    assert gazetteer.lookup(name) == []


def test_gazetteer_flags_common_words() -> None:
    essen = best("Essen")
    assert essen is not None and essen.country == "DEU" and essen.ambiguous_common_word
    hof = best("Hof")
    assert hof is not None and hof.ambiguous_common_word
    moscow = best("Moskau")
    assert moscow is not None and not moscow.ambiguous_common_word


def test_gazetteer_flags_person_names_and_keeps_only_own_names() -> None:
    victoria = gazetteer.lookup("Victoria")
    assert victoria and all(e.ambiguous_person_name for e in victoria)
    # geonames lists "Victoria" as an old name of Hong Kong: not taken for a person's name
    assert all(e.name.startswith("Victoria") for e in victoria)


def test_gazetteer_acronyms_match_only_in_capitals() -> None:
    assert best("USA") is not None and best("USA").id == "iso:USA"  # type: ignore[union-attr]
    assert all(e.country != "USA" or e.feature != "country" for e in gazetteer.lookup("Usa"))


def test_gazetteer_labels_in_german() -> None:
    moscow = best("Moskaus")
    assert moscow is not None and moscow.label == "Moskau" and moscow.name == "Moscow"
    kyiv = best("Kyjiw")
    assert kyiv is not None and kyiv.label == "Kiew"
    assert gazetteer.country("RUS") is not None
    assert gazetteer.country("RUS").label == "Russland"  # type: ignore[union-attr]


def test_gazetteer_english_names() -> None:
    assert best("Moscow", "en").country == "RUS"  # type: ignore[union-attr]
    assert best("the West Bank", "en").country == "PSE"  # type: ignore[union-attr]
    assert best("Russia's", "en").id == "iso:RUS"  # type: ignore[union-attr]


def test_gazetteer_lookup_is_fast() -> None:
    gazetteer.lookup("Moskau")
    names = [f"Stadt{i}" for i in range(2000)] + ["Moskau", "der Ukraine", "Berlins"] * 500
    started = time.perf_counter()
    for name in names:
        gazetteer.lookup(name)
    assert (time.perf_counter() - started) / len(names) < 1e-4


@pytest.mark.parametrize(
    ("name", "capital"),
    [("Brasilien", "Brasília"), ("Kolumbien", "Bogotá"), ("Mongolei", "Ulan Bator")],
)
def test_gazetteer_capitals_written_with_diacritics_give_coordinates(
    name: str, capital: str
) -> None:
    # geonames names these capitals without diacritics ("Brasilia") in its country table
    country = gazetteer.lookup(name)[0]
    city = gazetteer.lookup(capital)[0]
    assert city.capital
    assert (country.lat, country.lon) == (city.lat, city.lon)


def test_gazetteer_every_populous_country_has_coordinates() -> None:
    for iso3 in ("BRA", "COL", "KAZ", "CMR", "TGO", "PRY", "ISL", "IND"):
        entry = gazetteer.country(iso3)
        assert entry is not None and entry.lat is not None, iso3
    assert gazetteer.lookup("Neu-Delhi")[0].capital


def test_gazetteer_first_names_match_only_places_of_that_name() -> None:
    # geonames has "Caroline" as an alternate name of Carolina (Puerto Rico), "Julia" of Plovdiv
    assert gazetteer.lookup("Caroline") == []
    assert gazetteer.lookup("Julia") == []
    sofia = gazetteer.lookup("Sofia")
    assert sofia and sofia[0].country == "BGR" and sofia[0].ambiguous_person_name


@pytest.mark.parametrize(
    ("name", "country", "feature"),
    [
        ("Luzon", "PHL", "region"),  # not Luena (Angola), which has "Luzon" as an alternate
        ("Kalabrien", "ITA", "region"),
        ("Bali", "IDN", "region"),
        ("Helmand", "AFG", "region"),
        ("Neuguinea", None, "region"),
        ("Orleans", "FRA", "city"),  # Orléans without its accent, before Orleans (Brazil)
        ("Sana", "YEM", "city"),  # a capital's alternate name still finds the capital
    ],
)
def test_gazetteer_own_names_before_alternate_names(
    name: str, country: str | None, feature: str
) -> None:
    entry = gazetteer.lookup(name)[0]
    assert (entry.country, entry.feature) == (country, feature)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("New", True),
        ("Vereinigten", True),  # "Vereinigte Staaten", inflected
        ("Die", True),  # an article before a name
        ("Regierung", False),
        ("Bundeskanzler", False),
    ],
)
def test_gazetteer_may_start_name(word: str, expected: bool) -> None:
    assert gazetteer.may_start_name(word) is expected


def test_gazetteer_may_start_name_never_hides_a_multiword_place() -> None:
    text = (
        "Die Vereinigten Staaten und Sri Lanka verhandeln in New York , Buenos Aires und "
        "Rio de Janeiro ; der Vereinigten Arabischen Emirate wegen reist Frau Müller nach "
        "Kuala Lumpur , Regierung Berlin"
    )
    words = text.split(" ")
    found = 0
    for i in range(len(words) - 1):
        for size in (2, 3):
            ngram = " ".join(words[i : i + size])
            if gazetteer.lookup(ngram):
                found += 1
                assert gazetteer.may_start_name(words[i]), ngram
    assert found >= 6
