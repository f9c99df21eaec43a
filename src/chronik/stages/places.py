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
from dataclasses import dataclass, field
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


_NEVER = re.compile(r"(?!)")


def _compiled(pattern: str, words: list[str]) -> re.Pattern[str]:
    return re.compile(pattern) if words else _NEVER


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class PlaceLanguage:
    """What the places stage knows of a language's locative phrases."""

    directions: dict[str, Direction]
    determiners: frozenset[str]
    place_nouns: frozenset[str]
    #: countries whose small towns need no support from the article ("Kusel", "Bad Homburg")
    home_countries: frozenset[str] = frozenset()
    #: place noun -> the feature it asks for ("Bundesstaat" -> region)
    noun_features: dict[str, str] = field(default_factory=dict)
    #: a club's name word ending the text before a place name ("FC ", "Dynamo ")
    team_before: re.Pattern[str] = _NEVER
    #: a club's name word starting the text after a place name (" United", " 96")
    team_after: re.Pattern[str] = _NEVER
    team_prefixes: frozenset[str] = frozenset()
    #: names of organisations, media and events with a place name inside ("Tour de France")
    names_with_places: re.Pattern[str] = _NEVER
    name_particles: frozenset[str] = frozenset()


@cache
def place_language(language: str) -> PlaceLanguage:
    path = resources.files("chronik").joinpath("kb/places_language.yaml")
    data = (yaml.safe_load(path.read_text("utf-8")) or {}).get(language) or {}
    directions: dict[str, Direction] = {}
    for direction in ("at", "to", "from"):
        for word in data.get("locative_prepositions", {}).get(direction, []):
            directions[word.lower()] = direction  # type: ignore[assignment]
    noun_features = {
        noun: feature
        for feature, nouns in (data.get("place_noun_features") or {}).items()
        for noun in nouns
    }
    prefixes = [str(w) for w in data.get("team_prefixes", [])]
    suffixes = [str(w) for w in data.get("team_suffixes", [])]
    names = [_alternation([str(w) for w in data.get("names_with_places", [])])]
    nicknames = [str(w) for w in data.get("nickname_places", [])]
    heads = [str(w) for w in data.get("nickname_heads", [])]
    if nicknames and heads:
        # "Jamaika-Koalition", "Jamaika-Bündnisses"
        names.append(rf"(?:{_alternation(nicknames)})-(?:{_alternation(heads)})\w*")
    names = [n for n in names if n]
    return PlaceLanguage(
        directions=directions,
        determiners=frozenset(w.lower() for w in data.get("determiners", [])),
        place_nouns=frozenset(data.get("place_nouns", [])) | frozenset(noun_features),
        home_countries=frozenset(data.get("home_countries", [])),
        noun_features=noun_features,
        team_before=_compiled(rf"(?<!\w)(?:{_alternation(prefixes)}) $", prefixes),
        team_after=_compiled(rf"^ (?:{_alternation(suffixes)})(?![\w.:,])", suffixes),
        team_prefixes=frozenset(prefixes),
        names_with_places=_compiled(rf"(?<!\w)(?:{'|'.join(names)})(?!\w)", names),
        name_particles=frozenset(data.get("name_particles", [])),
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
_WORD_BEFORE = re.compile(r"([\w-]+)\s+$")
_NAME_WORD_BEFORE = re.compile(r"(?<![\w.-])([A-ZÄÖÜ][\w-]*) $")


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


def _surnames(doc: Document, rules: PlaceLanguage) -> set[str]:
    """The family names of the article's people named in full ("Randy Henderson" -> Henderson),
    not a place after a particle ("Rainier von Monaco")."""
    names = set()
    for e in doc.entities:
        if e.type != "PER":
            continue
        words = e.text.split()
        if len(words) >= 2 and words[-2] not in rules.name_particles and len(words[-1]) > 2:
            names.add(words[-1])
    return names


def _is_surname(entity: Entity, surnames: set[str]) -> bool:
    text = entity.text
    return text in surnames or (text.endswith("s") and text[:-1] in surnames)


def _in_team_name(
    doc: Document, entity: Entity, after: Entity | None, rules: PlaceLanguage
) -> bool:
    """Whether the place name is part of a sports club's name ("FC Bayern München", "Dynamo
    Kiew", "Hannover 96", "Bayern München")."""
    if rules.team_before.search(doc.text[max(0, entity.start - 30) : entity.start]):
        return True
    if rules.team_after.search(doc.text[entity.end : entity.end + 20]):
        return True
    return (
        entity.text in rules.team_prefixes
        and after is not None
        and after.start == entity.end + 1
        and doc.text[entity.end] == " "
    )


_LAST_WORDS = re.compile(r"(?:([\w-]+)\s+)?([\w-]+)\s+([\w-]+)\s+$")


def _noun_before(doc: Document, entity: Entity, rules: PlaceLanguage) -> tuple[str, str] | None:
    """The place noun right before the mention and the feature it asks for ("des Bundesstaates
    New York" -> Bundesstaat, region)."""
    match = _WORD_BEFORE.search(doc.text[max(0, entity.start - 40) : entity.start])
    if match is None:
        return None
    return _place_noun(match.group(1), rules)


def _with_word_before(
    doc: Document, entity: Entity, language: str
) -> list[gazetteer.GazetteerEntry] | None:
    """The places named by the capitalised word before the mention and the mention together,
    when the two make a name of the gazetteer ("New" + "Jersey")."""
    before = doc.text[max(0, entity.start - 30) : entity.start]
    match = _NAME_WORD_BEFORE.search(before)
    if match is None or match.group(1).lower() in place_language(language).determiners:
        return None
    return gazetteer.lookup(f"{match.group(1)} {entity.text}", language) or None


def _place_noun(word: str, rules: PlaceLanguage) -> tuple[str, str] | None:
    for form in (word, word[:-2] if word.endswith("es") else "", word[:-1]):
        if form in rules.noun_features:
            return form, rules.noun_features[form]
    return None


def _strong_cue(doc: Document, entity: Entity, rules: PlaceLanguage, language: str) -> str | None:
    """The country an adjective gives a place noun right before the mention, after a determiner
    or preposition: "auf der indonesischen Insel Bali" -> IDN. (Not "die ehemals deutsche
    Stadt": an adverb before the adjective may put the country in the past.)"""
    match = _LAST_WORDS.search(doc.text[max(0, entity.start - 80) : entity.start])
    if match is None or _place_noun(match.group(3), rules) is None:
        return None
    before = match.group(1)
    if (
        before is not None
        and before[:1].islower()
        and before not in rules.determiners
        and before not in rules.directions
    ):
        return None
    return _country_adjectives(language).get(match.group(2).lower())


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
    rules = place_language(language)
    ordered = sorted(doc.entities, key=lambda e: (e.start, -e.end))
    person_words = _person_words(doc)
    surnames = _surnames(doc, rules)
    not_places = [m.span() for m in rules.names_with_places.finditer(doc.text)]
    found: list[tuple[Entity, list[gazetteer.GazetteerEntry]]] = []
    for i, entity in enumerate(ordered):
        if entity.type != "LOC" or _inside_person(entity, doc):
            continue
        if any(start <= entity.start and entity.end <= end for start, end in not_places):
            continue
        if _in_team_name(doc, entity, ordered[i + 1] if i + 1 < len(ordered) else None, rules):
            continue
        candidates = gazetteer.lookup(entity.text, language)
        noun = _noun_before(doc, entity, rules)
        if noun is not None:
            # "Bundesstaat New York" may be a name of its own; else prefer the noun's kind
            qualified = gazetteer.lookup(f"{noun[0]} {entity.text}", language)
            candidates = qualified or sorted(candidates, key=lambda c: c.feature != noun[1])
        elif (longer := _with_word_before(doc, entity, language)) is not None:
            # the recogniser cut a name: "New [Jersey]" is New Jersey, not the island
            candidates = longer
        if not candidates:
            continue
        if candidates[0].ambiguous_person_name and any(
            w.lower() in person_words for w in _WORDS.findall(entity.text)
        ):
            continue
        if candidates[0].feature != "country" and _is_surname(entity, surnames):
            # "sagte Henderson" after "Commander Randy Henderson": the man, not the town
            continue
        cued = _strong_cue(doc, entity, rules, language)
        if cued is not None:
            matching = [c for c in candidates if c.country == cued]
            if not matching:
                # "die indonesische Insel Bali" is not Bali in India
                continue
            candidates = matching
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
    gazetteer.load(language)
    place_language(language)
    _country_adjectives(language)

    def places(doc: Document) -> Document:
        doc.places = resolve(doc, language)
        return doc

    return places
