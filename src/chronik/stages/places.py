"""Places: the LOC mentions of an article resolved to gazetteer entries with coordinates.

Every LOC entity that the gazetteer knows becomes a `Place` (`p1`, `p2`, ...). Where a name has
several candidates ("Donezk" in Ukraine and in Russia, "Halle" in Germany and Belgium), the
choice weighs, in this order:

1. a country named right beside the mention: a genitive or prepositional phrase after it ("im
   Fernen Osten Russlands", "Donezk in der Ukraine"), an adjective or prefix before it ("die
   russische Stadt", "im US-Bundesstaat Georgia");
2. the countries of the article's other, unambiguous place mentions;
3. the gazetteer's own order: countries, capitals, then population.

A mention that is also a person's name is dropped when the article names a person with it
("Lloyd Austin" ... "Austin"). `places_in` gives events the places inside a stretch of text,
those after a locative preposition ("in", "bei", "nahe") first.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import yaml

from chronik import gazetteer
from chronik.document import Document, Entity, Place
from chronik.errors import ChronikError
from chronik.registry import Stage, stage

Direction = Literal["at", "to", "from"]

#: how many words around a mention are searched for a country cue
_CUE_WORDS_BEFORE = 3
_CUE_WORDS_AFTER = 4
#: weights of the disambiguation evidence (a local cue outweighs the article's countries)
_LOCAL_CUE = 3.0
_ARTICLE_COUNTRY = 0.5
_ARTICLE_COUNTRY_CAP = 3
#: below this population a town needs support from the article or a preposition before it
_SMALL_TOWN = 100_000


@dataclass(frozen=True, slots=True)
class PlaceLanguage:
    """What the places stage knows of a language's locative phrases."""

    directions: dict[str, Direction]
    determiners: frozenset[str]
    place_nouns: frozenset[str]
    #: countries whose small towns need no support from the article ("Kusel", "Bad Homburg")
    home_countries: frozenset[str] = frozenset()


@cache
def place_language(language: str) -> PlaceLanguage:
    path = resources.files("chronik").joinpath("kb/places_language.yaml")
    data = (yaml.safe_load(path.read_text("utf-8")) or {}).get(language) or {}
    directions: dict[str, Direction] = {}
    for direction in ("at", "to", "from"):
        for word in data.get("locative_prepositions", {}).get(direction, []):
            directions[word.lower()] = direction  # type: ignore[assignment]
    return PlaceLanguage(
        directions=directions,
        determiners=frozenset(w.lower() for w in data.get("determiners", [])),
        place_nouns=frozenset(data.get("place_nouns", [])),
        home_countries=frozenset(data.get("home_countries", [])),
    )


@cache
def _country_adjectives(language: str) -> dict[str, str]:
    """Adjective form -> ISO3 ("russischen" -> RUS), from the actor knowledge base if present."""
    try:
        from chronik import kb

        countries = kb.countries()
    except (ImportError, AttributeError, ChronikError):
        # the knowledge base is optional here: without it only named countries are cues
        return {}
    if language != "de":
        return {}
    return {adj.lower(): c.code for c in countries for adj in c.adjectives}


_WORDS = re.compile(r"[\w-]+")


def _country_cue(word: str, language: str) -> str | None:
    """The country a word names or qualifies: "Russlands", "russische", "US-Bundesstaat"."""
    adjectives = _country_adjectives(language)
    for part in (word, *word.split("-")[:1]):
        if not part:
            continue
        if part.lower() in adjectives:
            return adjectives[part.lower()]
        if part[:1].isupper():
            found = gazetteer.lookup(part, language)
            if found and found[0].feature == "country" and not found[0].ambiguous_common_word:
                return found[0].country
    return None


def _local_cues(doc: Document, entity: Entity, language: str) -> set[str]:
    """Countries named within a few words before or after the mention, in its sentence."""
    if not doc.sentences or entity.sentence >= len(doc.sentences):
        start, end = max(0, entity.start - 60), min(len(doc.text), entity.end + 80)
    else:
        sentence = doc.sentences[entity.sentence]
        start, end = sentence.start, sentence.end
    before = _WORDS.findall(doc.text[start : entity.start])[-_CUE_WORDS_BEFORE:]
    after = _WORDS.findall(doc.text[entity.end : end])[:_CUE_WORDS_AFTER]
    cues = set()
    for word in before + after:
        country = _country_cue(word, language)
        if country:
            cues.add(country)
    return cues


def _person_words(doc: Document) -> set[str]:
    return {w.lower() for e in doc.entities if e.type == "PER" for w in _WORDS.findall(e.text)}


def _inside_person(entity: Entity, doc: Document) -> bool:
    return any(
        e.type == "PER" and e.start < entity.end and entity.start < e.end for e in doc.entities
    )


def choose(
    candidates: list[gazetteer.GazetteerEntry], cues: set[str], article: Counter[str]
) -> gazetteer.GazetteerEntry:
    """The candidate the evidence favours; the gazetteer's order breaks ties."""

    def score(item: tuple[int, gazetteer.GazetteerEntry]) -> float:
        rank, entry = item
        value = -0.01 * rank
        if entry.country and entry.country in cues:
            value += _LOCAL_CUE
        if entry.country:
            value += _ARTICLE_COUNTRY * min(article[entry.country], _ARTICLE_COUNTRY_CAP)
        return value

    return max(enumerate(candidates), key=score)[1]


def resolve(doc: Document, language: str = "de") -> list[Place]:
    """The places of the document's LOC entities, in text order."""
    locations = sorted((e for e in doc.entities if e.type == "LOC"), key=lambda e: e.start)
    person_words = _person_words(doc)
    found: list[tuple[Entity, list[gazetteer.GazetteerEntry]]] = []
    for entity in locations:
        candidates = gazetteer.lookup(entity.text, language)
        if not candidates or _inside_person(entity, doc):
            continue
        if candidates[0].ambiguous_person_name and any(
            w.lower() in person_words for w in _WORDS.findall(entity.text)
        ):
            continue
        found.append((entity, candidates))
    # the country each mention names unambiguously, counted once per place
    votes = {
        candidates[0].id: candidates[0].country
        for _, candidates in found
        if len({c.country for c in candidates}) == 1 and candidates[0].country
    }
    article = Counter(votes.values())
    home = set(place_language(language).home_countries)
    places: list[Place] = []
    for entity, candidates in found:
        # the article's countries as its other places name them
        others = article.copy()
        if candidates[0].id in votes:
            others[votes[candidates[0].id]] -= 1  # type: ignore[index]
        cues = _local_cues(doc, entity, language)
        if len({c.country for c in candidates}) > 1:
            entry = choose(candidates, cues, others)
        else:
            entry = candidates[0]
        place = Place(
            id=f"p{len(places) + 1}",
            name=entry.label or entry.name,
            text=entity.text,
            start=entity.start,
            end=entity.end,
            sentence=entity.sentence,
            country=entry.country,
            lat=entry.lat,
            lon=entry.lon,
            gazetteer_id=entry.id,
            feature=entry.feature,
        )
        if _unsupported(entry, cues | home, others) and direction(doc, place, language) is None:
            continue
        places.append(place)
    return places


def _unsupported(entry: gazetteer.GazetteerEntry, cues: set[str], article: Counter[str]) -> bool:
    """A small foreign town that nothing in the article points to is more likely a misread
    name ("Eagles", a team, as Eagle, Colorado) than a place."""
    if entry.feature != "city" or entry.capital or entry.id.startswith("kb:"):
        return False
    if entry.population >= _SMALL_TOWN:
        return False
    return not (entry.country in cues or article[entry.country or ""] > 0)


def direction(doc: Document, place: Place, language: str = "de") -> Direction | None:
    """Whether a locative preposition puts something at, to or from the place ("in Moskau": at,
    "nach Moskau": to, "aus Moskau": from), or None without one."""
    rules = place_language(language)
    words = _WORDS.findall(doc.text[max(0, place.start - 60) : place.start])
    # skip a determiner, a place noun and adjectives between preposition and name:
    # "in der russischen Hafenstadt Wladiwostok"
    for word in reversed(words[-5:]):
        lowered = word.lower()
        if lowered in rules.directions:
            return rules.directions[lowered]
        if lowered in rules.determiners or word in rules.place_nouns or word[:1].islower():
            continue
        return None
    return None


_DIRECTION_RANK = {"at": 0, "to": 1, None: 2, "from": 3}


def places_in(doc: Document, start: int, end: int, language: str = "de") -> list[Place]:
    """The places inside the text from `start` to `end`: those after a locative preposition
    ("in", "im", "bei", "nahe", "auf dem") first, then destinations ("nach"), then the rest,
    origins ("aus") last; in text order within each group."""
    inside = [p for p in doc.places if p.start >= start and p.end <= end]
    return sorted(inside, key=lambda p: (_DIRECTION_RANK[direction(doc, p, language)], p.start))


@stage("chronik.places.v1", requires=("entities",), assigns=("places",), languages=("de",))
def make_places(language: str) -> Stage:
    # load the gazetteer and the language's words once, not per document
    gazetteer.lookup("Berlin", language)
    place_language(language)
    _country_adjectives(language)

    def places(doc: Document) -> Document:
        doc.places = resolve(doc, language)
        return doc

    return places
