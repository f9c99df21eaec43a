"""The actor knowledge base: states, institutions, international organisations, people, roles.

Data lives in YAML/TSV files beside this module (countries, institutions, IGOs, people) and in
`lang/<code>/roles.yaml` (role words such as "Außenminister"). Everything is loaded into frozen
dataclasses and indexed once per process (`functools.cache`), so a lookup is a dictionary access.

The public API:

- `lookup(name, on=..., language=...)`: what a name (as written, inflected forms included)
  resolves to on a date, best first.
- `countries()`, `country(code)`, `institutions()`, `load_people(path)`, `people()`,
  `role_words(language)`, `name_index(language)`, `holders(country, role, on)`.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml

from chronik.contract import SECTORS as SECTORS  # re-exported: the importers check sectors
from chronik.errors import ChronikError
from chronik.kb.inflect import genitive_s

MatchKind = Literal[
    "country", "capital", "adjective", "demonym", "institution", "person", "person_short", "region"
]
ActorKind = Literal["person", "state", "organization", "group"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class KnowledgeBaseError(ChronikError):
    """A knowledge-base data file is missing or malformed."""


# --- records -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    alpha2: str
    name: str
    name_en: str
    article: str
    names: tuple[str, ...]
    names_en: tuple[str, ...]
    forms: tuple[str, ...]
    adjectives: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capital: str | None = None
    capital_forms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Institution:
    id: str
    name: str
    names: tuple[str, ...]
    country: str | None
    sector: str | None
    kind: ActorKind
    gender: str = "x"
    ambiguous: bool = False
    parent: str | None = None
    entity_type: str = "ORG"
    #: other countries the name may denote, chosen when the article is about one of them
    #: ("Bundesregierung" in Austrian news)
    alternatives: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        return _institution_forms(self)


@dataclass(frozen=True, slots=True)
class Region:
    """A place that is not a state (continent, region, disputed area): LOC, never an actor."""

    name: str
    names: tuple[str, ...]
    country: str | None
    forms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PersonRole:
    country: str | None
    sector: str | None
    role: str
    title: str
    start: date | None
    end: date | None
    #: an undated default that applies only when no dated role does (PETRARCH's `[RUSELI]`
    #: after the dated codes)
    fallback: bool = False

    def valid_on(self, day: date) -> bool:
        # start inclusive, end exclusive (the day a successor takes office)
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    names: tuple[str, ...]
    short: tuple[str, ...]
    gender: str | None
    roles: tuple[PersonRole, ...]

    def role_on(self, day: date | None) -> PersonRole | None:
        """The role valid on `day`; else the most recent one before it; else the first one.

        Without a date, the most recent role. A person out of office is still best described by
        the country of their last office.
        """
        if not self.roles:
            return None
        by_start = sorted(self.roles, key=lambda r: r.start or date.min)
        if day is None:
            current = [r for r in by_start if r.end is None and not r.fallback]
            current = current or [r for r in by_start if r.fallback]
            return current[-1] if current else by_start[-1]
        valid = [r for r in by_start if r.valid_on(day) and not r.fallback]
        if not valid:
            valid = [r for r in by_start if r.fallback]
        if valid:
            # an office of state outranks a party post held at the same time
            return min(
                valid,
                key=lambda r: (_ROLE_RANK.get(r.role, 99), -(r.start or date.min).toordinal()),
            )
        earlier = [r for r in by_start if (r.start or date.min) <= day]
        return earlier[-1] if earlier else by_start[0]

    def in_office(self, day: date | None) -> bool:
        if day is None:
            return any(r.end is None and not r.fallback for r in self.roles)
        return any(r.valid_on(day) and not r.fallback for r in self.roles)


@dataclass(frozen=True, slots=True)
class RoleWord:
    """One surface form of a role noun ("Außenministerin" -> foreign_minister, feminine)."""

    word: str
    form: str
    person: bool
    plural: bool
    feminine: bool
    role: str | None
    sector: str | None
    kind: ActorKind
    country: str | None = None
    compound: bool = True
    #: the singular form is also a plural form ("die Minister")
    number_ambiguous: bool = False
    #: other countries the implied `country` may be ("Bundeskanzler" in Austria)
    alternatives: tuple[str, ...] = ()
    #: the plural means several states ("Staaten"): no country from place or article
    several: bool = False


@dataclass(frozen=True, slots=True)
class RolePrefix:
    prefix: str
    sector: str | None
    country: str | None = None
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RoleLexicon:
    words: dict[str, RoleWord]
    prefixes: dict[str, RolePrefix]
    not_current: frozenset[str]
    #: adjective stems that place a phrase in several countries ("europäisch", "westlich")
    multinational: tuple[str, ...] = ()
    #: shortest form that may head a compound ("Kreml-Sprecher", "Polizeisprecher")
    min_head: int = 4
    #: memo of `head` (words recur across articles); internal
    _heads: dict[str, tuple[str, RoleWord] | None] = field(default_factory=dict)

    def get(self, token: str) -> RoleWord | None:
        return self.words.get(token)

    def head(self, token: str) -> tuple[str, RoleWord] | None:
        """(modifier, role) for a compound whose head is a role word: 'Polizeisprecher' ->
        ('Polizei', Sprecher). The longest head wins ('Außenamtssprecher' is a word of its own).
        """
        try:
            return self._heads[token]
        except KeyError:
            pass
        found = self._head(token)
        if len(self._heads) < 200_000:
            self._heads[token] = found
        return found

    def _head(self, token: str) -> tuple[str, RoleWord] | None:
        word = self.words.get(token)
        if word is not None:
            return "", word
        if "-" in token[1:-1]:
            # a hyphen marks the head explicitly: "EU-Staaten", "Kreml-Sprecher"
            modifier, _, last = token.rpartition("-")
            word = self.words.get(last)
            if word is not None:
                return modifier, word
        heads = _compound_heads(self)
        low = token.lower()
        if self.min_head >= 3 and low[-3:] not in heads.endings:
            return None  # (most words: no head of min_head letters or more ends so)
        for i in range(max(1, len(low) - heads.longest), len(low) - self.min_head + 1):
            if low[i] == "-":
                continue
            word = heads.words.get(low[i:])
            if word is not None:
                return token[:i].rstrip("-"), word
        return None

    def prefix(self, modifier: str) -> RolePrefix | None:
        """The sector/country a compound modifier implies ('Regierungs' -> GOV)."""
        for candidate in _linking_variants(modifier):
            found = self.prefixes.get(candidate)
            if found is not None:
                return found
        return None


@dataclass(frozen=True, slots=True)
class _Heads:
    words: dict[str, RoleWord]
    longest: int
    #: the heads' last three letters
    endings: frozenset[str]


_heads_by_lexicon: dict[int, _Heads] = {}


def _compound_heads(lexicon: RoleLexicon) -> _Heads:
    """Lower-cased role forms that may head a compound, built once per lexicon."""
    found = _heads_by_lexicon.get(id(lexicon))
    if found is None:
        words = {
            form.lower(): word
            for form, word in lexicon.words.items()
            if word.compound and form[:1].isupper()
        }
        found = _Heads(
            words, max((len(w) for w in words), default=0), frozenset(w[-3:] for w in words)
        )
        _heads_by_lexicon[id(lexicon)] = found
    return found


@dataclass(frozen=True, slots=True)
class KBMatch:
    """What a name can refer to. `entity_type` is the NER type of the name itself."""

    kind: MatchKind
    id: str
    name: str
    country: str | None
    sector: str | None
    actor_kind: ActorKind | None
    entity_type: str | None
    role: str | None = None
    #: True where the country is only a default and context should decide ("Senat")
    ambiguous: bool = False
    person: Person | None = None
    institution: Institution | None = None


@dataclass(slots=True)
class NameIndex:
    """Surface forms -> matches, plus a first-word index for longest-match scanning of text."""

    forms: dict[str, list[KBMatch]] = field(default_factory=dict)
    #: first whitespace-separated word -> forms beginning with it, longest first
    first: dict[str, list[str]] = field(default_factory=dict)
    adjectives: dict[str, list[KBMatch]] = field(default_factory=dict)
    demonyms: dict[str, list[KBMatch]] = field(default_factory=dict)

    def add(self, form: str, match: KBMatch) -> None:
        form = _clean(form)
        if not form:
            return
        bucket = self.forms.setdefault(form, [])
        if all(m.id != match.id or m.kind != match.kind for m in bucket):
            bucket.append(match)
        key = form.split(" ", 1)[0]
        starts = self.first.setdefault(key, [])
        if form not in starts:
            starts.append(form)

    def finish(self) -> None:
        for starts in self.first.values():
            starts.sort(key=len, reverse=True)
        for bucket in self.forms.values():
            bucket.sort(key=_match_rank)

    def get(self, form: str) -> list[KBMatch]:
        found = self.forms.get(form)
        if found is not None:
            return found
        if "’" in form or "  " in form or "\n" in form or "\t" in form or form != form.strip():
            return self.forms.get(_clean(form), [])
        return []


_ROLE_RANK = {
    "head_of_state": 0,
    "head_of_government": 1,
    "igo_head": 2,
    "foreign_minister": 3,
    "defence_minister": 4,
    "interior_minister": 5,
    "finance_minister": 6,
    "minister": 7,
    "spokesperson": 8,
    "military_chief": 9,
    "intelligence_chief": 10,
    "central_bank_governor": 11,
    "opposition_leader": 12,
    "party_leader": 13,
    "judge": 14,
    "legislator": 15,
    "other": 16,
}
#: role keys of people's offices (people.yaml, CSV imports)
ROLES = frozenset(_ROLE_RANK)
_KIND_RANK = {
    "person": 0,
    "country": 1,
    "institution": 2,
    "capital": 3,
    "region": 4,
    "person_short": 5,
    "adjective": 6,
    "demonym": 7,
}


def _match_rank(match: KBMatch) -> tuple[int, int]:
    return (_KIND_RANK[match.kind], 1 if match.ambiguous else 0)


_SPACES = re.compile(r"\s+")


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text.replace("’", "'")).strip()


#: particles and English function words written in lower case inside a name ("Bashar al-Assad",
#: "Ursula von der Leyen", "Organization of the Islamic Conference")
_PARTICLES = frozenset(
    [
        "al",
        "el",
        "ad",
        "as",
        "ash",
        "at",
        "az",
        "ibn",
        "bin",
        "bint",
        "da",
        "de",
        "del",
        "della",
        "der",
        "den",
        "di",
        "do",
        "dos",
        "du",
        "la",
        "le",
        "van",
        "von",
        "y",
        "of",
        "the",
        "and",
        "for",
        "in",
        "on",
        "to",
    ]
)
_INITIALS = re.compile(r"(?:[A-Z]\.)+")


def name_case(phrase: str) -> str:
    """A name written in capitals (PETRARCH dictionaries) as names are written in text:
    'VLADIMIR_PUTIN_' -> 'Vladimir Putin'; 'BASHAR_AL-ASSAD' -> 'Bashar al-Assad'."""
    words = phrase.replace("_", " ").split()
    return " ".join(_case_word(word, first=n == 0) for n, word in enumerate(words))


def _case_word(word: str, *, first: bool) -> str:
    if _INITIALS.fullmatch(word):
        return word
    parts = word.split("-")
    cased = []
    for k, part in enumerate(parts):
        low = part.lower()
        if low in _PARTICLES and not (first and k == 0):
            cased.append(low)
        else:
            cased.append(_case_part(low))
    return "-".join(cased)


def _case_part(low: str) -> str:
    if not low:
        return low
    if low.startswith("mc") and len(low) > 3:
        return "Mc" + low[2].upper() + low[3:]
    if len(low) > 2 and low[1] == "'":
        # O'Neill, D'Alema; not "Lord's"
        return low[0].upper() + "'" + low[2].upper() + low[3:]
    return low[0].upper() + low[1:]


def _linking_variants(modifier: str) -> list[str]:
    """'Regierungs' -> Regierungs, Regierung; 'Rebellen' -> Rebellen, Rebelle, Rebell."""
    m = modifier.rstrip("-")
    out = [m]
    if m.endswith("s"):
        out.append(m[:-1])
    if m.endswith("en"):
        out += [m[:-1], m[:-2]]
    elif m.endswith("n"):
        out.append(m[:-1])
    return out


# --- loading -----------------------------------------------------------------------------------


def _data_path(name: str) -> Path:
    return Path(str(resources.files("chronik").joinpath(f"kb/{name}")))


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except FileNotFoundError:
        raise KnowledgeBaseError(f"knowledge-base file {path} is missing") from None
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"knowledge-base file {path} is not valid YAML: {exc}") from None


def _tuple(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise KnowledgeBaseError(f"not an ISO date: {value!r}") from None


@cache
def countries() -> tuple[Country, ...]:
    """Every state and territory with an ISO 3166-1 alpha-3 code (plus Kosovo, XKX)."""
    rows = _read_yaml(_data_path("countries.yaml"))
    return tuple(
        Country(
            code=row["code"],
            alpha2=row["alpha2"],
            name=row["name"],
            name_en=row["name_en"],
            article=row.get("article", "n"),
            names=_tuple(row.get("names")),
            names_en=_tuple(row.get("names_en")),
            forms=_tuple(row.get("forms")),
            adjectives=_tuple(row.get("adjectives")),
            demonyms=_tuple(row.get("demonyms")),
            capital=row.get("capital"),
            capital_forms=_tuple(row.get("capital_forms")),
        )
        for row in rows
    )


@cache
def regions() -> tuple[Region, ...]:
    from chronik.kb.inflect import name_forms

    out = []
    # a row groups places of one country for brevity; each name is a place of its own
    for row in _read_yaml(_data_path("regions.yaml")):
        article = row.get("article", "n")
        for name in _tuple(row.get("names")):
            forms = name_forms(name, article) if article != "x" else [name]
            out.append(Region(name, (name,), row.get("country"), tuple(forms)))
    return tuple(out)


def _institution(row: dict[str, Any]) -> Institution:
    names = _tuple(row.get("names"))
    if not names:
        raise KnowledgeBaseError(f"institution {row.get('id')!r} has no names")
    return Institution(
        id=row["id"],
        name=names[0],
        names=names,
        country=row.get("country"),
        sector=row.get("sector"),
        kind=row.get("kind", "organization"),
        gender=row.get("gender", "x"),
        ambiguous=bool(row.get("ambiguous", False)),
        parent=row.get("parent"),
        entity_type=row.get("type", "ORG"),
        alternatives=_tuple(row.get("alternatives")),
    )


#: the files of national institutions, international organisations and non-state organisations
_INSTITUTION_FILES = ("institutions.yaml", "igos.yaml", "organisations.yaml")


@cache
def institutions() -> tuple[Institution, ...]:
    """National institutions (institutions.yaml), international organisations (igos.yaml) and
    non-state organisations: companies, media, NGOs, unions, clubs (organisations.yaml)."""
    rows = [row for name in _INSTITUTION_FILES for row in _read_yaml(_data_path(name)) or []]
    # `extends` rows give further names (inflected, longer forms) to an entry of another file,
    # so that one organisation keeps one id whichever file names it
    extra: dict[str, list[str]] = defaultdict(list)
    out: list[Institution] = []
    for row in rows:
        if "extends" in row:
            extra[str(row["extends"])].extend(_tuple(row.get("names")))
        elif row.get("each"):
            # a list of distinct organisations sharing country and sector; an item that is a
            # list is one organisation with several names ("[Statistisches Bundesamt, Destatis]")
            for item in row.get("names") or ():
                names = _tuple(item)
                out.append(_institution({**row, "id": f"{row['id']}:{names[0]}", "names": names}))
        else:
            out.append(_institution(row))
    if extra:
        # a target renamed in another file only loses these extra names (tests check targets)
        out = [replace(i, names=i.names + tuple(extra[i.id])) if i.id in extra else i for i in out]
    return tuple(out)


@cache
def _institution_forms(inst: Institution) -> tuple[str, ...]:
    forms: list[str] = []
    for name in inst.names:
        forms.append(name)
        head = name.rsplit(" ", 1)[-1]
        if inst.gender in ("m", "n") and not head.isupper() and " " not in name:
            gen = genitive_s(head)
            if gen:
                forms.append(name[: len(name) - len(head)] + gen)
                if head[-1] not in "aeiouäöü" and not head.endswith(("el", "er", "en")):
                    forms.append(name[: len(name) - len(head)] + head + "es")
    return tuple(dict.fromkeys(forms))


def load_people(path: Path | str | None = None) -> tuple[Person, ...]:
    """People from `path` (default: kb/people.yaml); an absent file yields no people."""
    path = Path(path) if path is not None else _data_path("people.yaml")
    if not path.is_file():
        return ()
    rows = _read_yaml(path) or []
    people_list = []
    for row in rows:
        try:
            roles = tuple(
                PersonRole(
                    country=r.get("country"),
                    sector=r.get("sector"),
                    role=r.get("role") or "other",
                    title=r.get("title") or "",
                    start=_date(r.get("start")),
                    end=_date(r.get("end")),
                )
                for r in row.get("roles") or ()
            )
            names = _tuple(row.get("names")) or (row["name"],)
            people_list.append(
                Person(
                    id=row["id"],
                    name=row.get("name") or names[0],
                    names=names if row.get("name") in names else (row["name"], *names),
                    short=_tuple(row.get("short")),
                    gender=row.get("gender"),
                    roles=roles,
                )
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise KnowledgeBaseError(f"malformed person entry in {path}: {row!r} ({exc})") from None
    return tuple(people_list)


@cache
def people() -> tuple[Person, ...]:
    return load_people()


# --- role words --------------------------------------------------------------------------------


def _role_forms(entry: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(singular forms, plural forms) of a role entry; feminine forms end in -in / -innen."""
    word: str = entry["word"]
    cls = entry.get("class", "fixed")
    singular: list[str] = []
    plural: list[str] = []
    if cls == "er":
        singular += [word, word + "s", word + "in"]
        plural += [word, word + "n", word + "innen"]
    elif cls == "weak":
        oblique = word + ("n" if word.endswith("e") else "en")
        singular += [word, oblique, word.removesuffix("e") + "in"]
        plural += [oblique, word.removesuffix("e") + "innen"]
    elif cls == "s":
        singular += [word, word + "s", word + "in"]
        plural += [word + "s", word + "innen"]
    elif cls == "adj":
        stem = word.removesuffix("e")
        singular += [stem + "e", stem + "er", stem + "en", stem + "em"]
        plural += [stem + "e", stem + "en"]
    singular += _tuple(entry.get("forms"))
    plural += _tuple(entry.get("plural"))
    return singular, plural


@cache
def role_words(language: str = "de") -> RoleLexicon:
    """The role-word lexicon of `language` (lang/<language>/roles.yaml)."""
    path = Path(str(resources.files("chronik").joinpath(f"lang/{language}/roles.yaml")))
    if not path.is_file():
        return RoleLexicon({}, {}, frozenset())
    data = _read_yaml(path)
    words: dict[str, RoleWord] = {}
    for entry in data.get("roles", []):
        singular, plural = _role_forms(entry)
        person = bool(entry.get("person", True))
        kind: ActorKind = "person" if person else entry.get("kind", "organization")
        for forms, is_plural in ((singular, False), (plural, True)):
            for form in forms:
                existing = words.get(form)
                if existing is not None and existing.word == entry["word"]:
                    # a form both singular and plural ("Minister", "Präsidenten")
                    words[form] = replace(existing, number_ambiguous=True)
                    continue
                if existing is not None:
                    continue
                words[form] = RoleWord(
                    word=entry["word"],
                    form=form,
                    person=person,
                    plural=is_plural,
                    feminine=form.endswith(("in", "innen")) and not entry["word"].endswith("in"),
                    role=entry.get("role"),
                    sector=entry.get("sector"),
                    kind=kind if not (person and is_plural) else "group",
                    country=entry.get("country"),
                    compound=bool(entry.get("compound", True)),
                    alternatives=_tuple(entry.get("alternatives")),
                    several=bool(entry.get("several", False)),
                )
    prefixes = {
        p["prefix"]: RolePrefix(
            p["prefix"], p.get("sector"), p.get("country"), _tuple(p.get("alternatives"))
        )
        for p in data.get("prefixes", [])
    }
    return RoleLexicon(
        words,
        prefixes,
        frozenset(data.get("not_current", [])),
        tuple(str(w).lower() for w in data.get("multinational", [])),
    )


# --- first names ---------------------------------------------------------------------------


@cache
def first_names(language: str = "de") -> dict[str, str]:
    """Given name -> gender ('m', 'f' or 'x') from lang/<language>/entities_first_names.tsv."""
    path = Path(
        str(resources.files("chronik").joinpath(f"lang/{language}/entities_first_names.tsv"))
    )
    if not path.is_file():
        return {}
    lines = [line for line in path.read_text("utf-8").splitlines() if not line.startswith("#")]
    return {row["name"]: row["gender"] for row in csv.DictReader(lines, delimiter="\t")}


# --- the name index ----------------------------------------------------------------------------


def _person_forms(name: str) -> list[str]:
    """'Wladimir Putin' -> Wladimir Putin, Wladimir Putins (the Saxon genitive of a name)."""
    head = name.rsplit(" ", 1)[-1]
    gen = genitive_s(head) if head[:1].isupper() else None
    return [name, name[: len(name) - len(head)] + gen] if gen else [name]


def _add_base(index: NameIndex, kb: KnowledgeBase) -> None:
    """The built-in names: states with every inflected form, capitals, adjectives, demonyms,
    regions, institutions, people."""
    for c in kb.countries:
        state = KBMatch("country", c.code, c.name, c.code, "GOV", "state", "LOC")
        for form in (*c.forms, *c.names_en):
            index.add(form, state)
        if c.capital:
            capital = KBMatch("capital", c.code, c.capital, c.code, "GOV", "state", "LOC")
            for form in c.capital_forms:
                index.add(form, capital)
        adjective = KBMatch("adjective", c.code, c.name, c.code, None, "state", None)
        for form in c.adjectives:
            index.adjectives.setdefault(form, []).append(adjective)
        demonym = KBMatch("demonym", c.code, c.name, c.code, "CVL", "group", None)
        for form in c.demonyms:
            index.demonyms.setdefault(form, []).append(demonym)
    for region in kb.regions:
        place = KBMatch(
            "region", "region:" + region.name, region.name, region.country, None, None, "LOC"
        )
        for form in region.forms:
            index.add(form, place)
    _add_entries(index, kb.base_institutions, kb.base_people, (), replace=False)


def _add_entries(
    index: NameIndex,
    insts: Iterable[Institution],
    persons: Iterable[Person],
    state_names: Iterable[tuple[str, str]],
    *,
    replace: bool,
    only_new: bool = False,
) -> None:
    """Add entries; `replace`: their forms hide what earlier entries had under the same form;
    `only_new`: forms already known are left to the earlier entries."""
    known = set(index.forms) if only_new else set()
    claimed: set[str] = set()

    def add(form: str, match: KBMatch) -> None:
        form = _clean(form)
        if not form or form in known:
            return
        if replace and form not in claimed and form in index.forms:
            index.forms[form] = []
        claimed.add(form)
        index.add(form, match)

    for name, code in state_names:
        add(name, KBMatch("country", code, name, code, "GOV", "state", "LOC"))
    for inst in insts:
        match = KBMatch(
            "institution",
            inst.id,
            inst.name,
            inst.country,
            inst.sector,
            inst.kind,
            inst.entity_type,
            ambiguous=inst.ambiguous,
            institution=inst,
        )
        for form in inst.forms:
            add(form, match)
    for p in persons:
        full = KBMatch("person", p.id, p.name, None, None, "person", "PER", person=p)
        for name in p.names:
            for form in _person_forms(name):
                add(form, full)
        short = KBMatch("person_short", p.id, p.name, None, None, "person", "PER", person=p)
        for name in p.short:
            for form in _person_forms(name):
                add(form, short)


# --- imported dictionaries and the knowledge base object ---------------------------------------


@dataclass(frozen=True, slots=True)
class ActorDictionary:
    """Actors read from one external dictionary (PETRARCH/TABARI `.actors`, a user's CSV).

    `state_names` are further names of states ("Kabul" for Afghanistan in PETRARCH's country
    file): they behave like the built-in country names. `warnings` lists lines that could not be
    read (the importer skips them rather than failing on one bad line of a 36,000-line file).
    """

    source: str
    people: tuple[Person, ...] = ()
    institutions: tuple[Institution, ...] = ()
    state_names: tuple[tuple[str, str], ...] = ()
    warnings: tuple[str, ...] = ()

    def names(self) -> set[str]:
        """Every name an entry of this dictionary is known by (as written)."""
        out = {name for name, _ in self.state_names}
        for inst in self.institutions:
            out.update(inst.names)
        for p in self.people:
            out.update(p.names)
        return out


@dataclass(frozen=True, slots=True)
class _Layer:
    dictionary: ActorDictionary
    override: bool


class KnowledgeBase:
    """The actors a pipeline knows: the built-in data plus imported dictionaries, immutable.

    `KnowledgeBase.default()` is the built-in data (built once per process);
    `kb.extended([paths], override=True)` returns a new knowledge base in which the entries of
    the dictionaries are added and, with `override`, replace built-in entries of the same name
    (a person with a name of a built-in person replaces that person; a name form points to the
    imported entry only). With `override=False` imported entries only add names not yet known.
    Indexes are built lazily, once per knowledge base and language.
    """

    def __init__(
        self,
        countries: tuple[Country, ...],
        regions: tuple[Region, ...],
        institutions: tuple[Institution, ...],
        people: tuple[Person, ...],
        layers: tuple[_Layer, ...] = (),
    ) -> None:
        self.countries = countries
        self.regions = regions
        self.base_institutions = institutions
        self.base_people = people
        self.layers = layers
        self.institutions: tuple[Institution, ...] = institutions + tuple(
            i for layer in layers for i in layer.dictionary.institutions
        )
        self.people: tuple[Person, ...] = people + tuple(
            p for layer in layers for p in layer.dictionary.people
        )
        self._by_code = {c.code: c for c in countries}
        self._institutions = {i.id: i for i in self.institutions}
        self._people = {p.id: p for p in self.people}
        self._imported = frozenset(p.id for layer in layers for p in layer.dictionary.people)
        holders_index: dict[tuple[str | None, str], list[tuple[Person, PersonRole]]] = defaultdict(
            list
        )
        for p in self.people:
            for r in p.roles:
                holders_index[(r.country, r.role)].append((p, r))
        self._holders = dict(holders_index)
        self._indexes: dict[str, NameIndex] = {}
        #: memo of `lookup` (names and dates recur across articles); internal
        self._lookups: dict[tuple[str, date | None, str], tuple[KBMatch, ...]] = {}

    @staticmethod
    def default() -> KnowledgeBase:
        """The built-in knowledge base (package data), built once per process."""
        return _default()

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(layer.dictionary.source for layer in self.layers)

    def extended(
        self, dictionaries: Iterable[ActorDictionary | Path | str], *, override: bool = True
    ) -> KnowledgeBase:
        """A new knowledge base with the entries of `dictionaries` (paths are read with
        `chronik.kb.importers.load_dictionary`) merged in, in order."""
        from chronik.kb.importers import load_dictionary

        base_insts = self.base_institutions
        base_people = self.base_people
        layers = list(self.layers)
        for item in dictionaries:
            dictionary = item if isinstance(item, ActorDictionary) else load_dictionary(item)
            if override:
                names = dictionary.names()
                ids = {p.id for p in dictionary.people} | {i.id for i in dictionary.institutions}
                base_people = tuple(
                    p for p in base_people if p.id not in ids and not names.intersection(p.names)
                )
                base_insts = tuple(
                    i for i in base_insts if i.id not in ids and not names.intersection(i.names)
                )
                # earlier imported layers lose their entries of the same name too
                layers = [_without(layer, names, ids) for layer in layers]
            layers.append(_Layer(dictionary, override))
        return KnowledgeBase(self.countries, self.regions, base_insts, base_people, tuple(layers))

    # --- queries ---------------------------------------------------------------------------

    def country(self, code: str) -> Country | None:
        return self._by_code.get(code)

    def institution(self, institution_id: str) -> Institution | None:
        return self._institutions.get(institution_id)

    def person(self, person_id: str) -> Person | None:
        return self._people.get(person_id)

    def holders(self, country_code: str | None, role: str, on: date | None) -> list[Person]:
        """People who held `role` for `country_code` on `on` (in office now when `on` is None)."""
        found = []
        for p, r in self._holders.get((country_code, role), ()):
            if r.fallback:
                continue
            if (r.end is None) if on is None else r.valid_on(on):
                found.append(p)
        # an imported holder is newer knowledge than a built-in one still listed in office
        imported = [p for p in found if p.id in self._imported]
        return imported or found

    def name_index(self, language: str = "de") -> NameIndex:
        """All names, inflected forms included, indexed for matching (built once)."""
        index = self._indexes.get(language)
        if index is None:
            index = NameIndex()
            _add_base(index, self)
            for layer in self.layers:
                d = layer.dictionary
                _add_entries(
                    index,
                    d.institutions,
                    d.people,
                    d.state_names,
                    replace=layer.override,
                    only_new=not layer.override,
                )
            index.finish()
            self._indexes[language] = index
        return index

    def lookup(self, name: str, *, on: date | None = None, language: str = "de") -> list[KBMatch]:
        """What `name` (as written, inflected forms included) may refer to on `on`, best first.

        People are given their country and sector from the role valid on `on` (their most
        recent role when none is); among several people sharing a surname, those in office on
        `on` come first.
        """
        key = (name, on, language)
        memo = self._lookups.get(key)
        if memo is not None:
            return list(memo)
        found = self._lookup(name, on, language)
        if len(self._lookups) < 100_000:
            self._lookups[key] = tuple(found)
        return found

    def _lookup(self, name: str, on: date | None, language: str) -> list[KBMatch]:
        index = self.name_index(language)
        matches = list(index.get(name))
        if not matches and name.isupper() and len(name) > 5:
            # a name as PETRARCH dictionaries write it: "VLADIMIR PUTIN", "VLADIMIR_PUTIN_"
            matches = list(index.get(name_case(name)))
        if not matches:
            lowered = name.lower()
            matches = list(index.adjectives.get(lowered, ())) + list(index.demonyms.get(name, ()))
        resolved = [dated(m, on) for m in matches]
        resolved.sort(
            key=lambda m: (_match_rank(m), 0 if m.person is None else _office_rank(m, on))
        )
        return resolved


def _without(layer: _Layer, names: set[str], ids: set[str]) -> _Layer:
    d = layer.dictionary
    return _Layer(
        ActorDictionary(
            d.source,
            tuple(p for p in d.people if p.id not in ids and not names.intersection(p.names)),
            tuple(i for i in d.institutions if i.id not in ids and not names.intersection(i.names)),
            tuple((n, c) for n, c in d.state_names if n not in names),
            d.warnings,
        ),
        layer.override,
    )


@cache
def _default() -> KnowledgeBase:
    return KnowledgeBase(countries(), regions(), institutions(), people())


def _office_rank(match: KBMatch, on: date | None) -> int:
    assert match.person is not None
    return 0 if match.person.in_office(on) else 1


def dated(match: KBMatch, on: date | None) -> KBMatch:
    """A person match with the country/sector/role of the role valid on `on`.

    Someone whose offices all ended before `on` keeps the country of the last one but is coded
    as a former office holder: sector ELI (elites), no current role ("Altkanzler Schröder").
    """
    if match.person is None:
        return match
    role = match.person.role_on(on)
    if role is None:
        return match
    former = (
        on is not None
        and role.end is not None
        and role.end <= on
        and not match.person.in_office(on)
    )
    return KBMatch(
        match.kind,
        match.id,
        match.name,
        role.country,
        "ELI" if former else role.sector,
        "person",
        "PER",
        role=None if former else role.role,
        person=match.person,
    )


# --- the built-in knowledge base as module functions -------------------------------------------


def country(code: str) -> Country | None:
    return _default().country(code)


def institution(institution_id: str) -> Institution | None:
    return _default().institution(institution_id)


def person(person_id: str) -> Person | None:
    return _default().person(person_id)


def holders(country_code: str | None, role: str, on: date | None) -> list[Person]:
    """People who held `role` for `country_code` on `on` in the built-in knowledge base."""
    return _default().holders(country_code, role, on)


def name_index(language: str = "de") -> NameIndex:
    """The name index of the built-in knowledge base."""
    return _default().name_index(language)


def lookup(name: str, *, on: date | None = None, language: str = "de") -> list[KBMatch]:
    """`KnowledgeBase.lookup` on the built-in knowledge base."""
    return _default().lookup(name, on=on, language=language)


def iter_forms(language: str = "de") -> Iterable[str]:
    """Every indexed surface form (for diagnostics and tests)."""
    return name_index(language).forms.keys()
