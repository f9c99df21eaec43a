"""Import actor dictionaries: PETRARCH/TABARI `.actors` files and a simple CSV of one's own.

Both become an `ActorDictionary` (people with dated roles, institutions, further names of
states) that `KnowledgeBase.extended` merges with the built-in data:

    knowledge = KnowledgeBase.default().extended(["Phoenix.Countries.actors.txt", "mine.csv"])

PETRARCH actor files (Open Event Data Alliance's Phoenix dictionaries, TABARI's `.actors`) hold
records of a primary phrase, synonyms on lines beginning with `+`, and CAMEO codes, either after
the phrase or on indented lines, optionally restricted by date:

    VLADIMIR_PUTIN_  # CountryInfo.txt
    +PUTIN_
        [RUSGOV 991231-080507]
        [RUSELI]

CAMEO codes are decoded with `kb/cameo_actors.tsv` into country (ISO3 or IGO) and PLOVER sector.
A record with dated codes is a person (one role per date range; an undated code is the default
when no range applies); a record whose codes are bare country codes names the state itself
("KABUL_" under AFGHANISTAN_); a record whose primary phrase begins with a given name is a
person; anything else an organisation. Phrases are written in capitals with underscores for
blanks; they are turned into the capitalisation of names ("VLADIMIR_PUTIN_" -> "Vladimir Putin",
"BASHAR_AL-ASSAD" -> "Bashar al-Assad"); one-word phrases keep their capitals as a second form
("IAEA").

The CSV format (comma-separated, or tab-separated for `.tsv`; a header row names the columns;
lines starting with `#` are comments) is described in docs/actors.md: name, aliases, country,
sector, kind, role, start, end, and optionally id, title, gender, type.
"""

from __future__ import annotations

import csv
import io
import lzma
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from pathlib import Path

from chronik.kb import (
    ROLES,
    SECTORS,
    ActorDictionary,
    Institution,
    KnowledgeBaseError,
    Person,
    PersonRole,
    countries,
    first_names,
    name_case,
)

# --- CAMEO codes ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CameoCode:
    """A decoded CAMEO actor code: 'RUSGOV' -> RUS, GOV; 'AFG' -> the state AFG."""

    code: str
    country: str | None
    sector: str | None
    #: the code names a state as such (a country segment and no role)
    state: bool


@dataclass(frozen=True, slots=True)
class CameoCodebook:
    first: dict[str, tuple[str | None, str | None]]
    roles: dict[str, str]
    religions: dict[str, str]
    countries: frozenset[str]

    def decode(self, code: str) -> CameoCode | None:
        """The country and sector of a CAMEO code; None for a null (`---`) or unknown code."""
        code = code.strip().upper()
        if len(code) < 3 or len(code) % 3 or not code.isalnum() or not code[:3].isalpha():
            return None
        # numeric segments ("NGOCHRPRO214") are PETRARCH's internal numbers: no role
        segments = [code[i : i + 3] for i in range(0, len(code), 3)]
        head = segments[0]
        is_country = False
        if head in self.first:
            country, default = self.first[head]
            is_country = country not in (None, "IGO") and default is None
        elif head in self.countries:
            country, default, is_country = head, None, True
        else:
            return None
        later = segments[1:]
        sector = next((self.roles[s] for s in later if s in self.roles), None)
        if head == "MNC":
            # a multinational's home state: "MNCUSA"
            country = next((s for s in later if s in self.countries), None)
        if sector is None:
            sector = default
        if sector is None:
            sector = next((self.religions[s] for s in later if s in self.religions), None)
        if is_country and sector is None:
            return CameoCode(code, country, "GOV", True)
        return CameoCode(code, country, sector, False)


@cache
def cameo_codebook() -> CameoCodebook:
    """The CAMEO actor-code table (kb/cameo_actors.tsv), read once."""
    path = Path(str(resources.files("chronik").joinpath("kb/cameo_actors.tsv")))
    lines = [line for line in path.read_text("utf-8").splitlines() if not line.startswith("#")]
    first: dict[str, tuple[str | None, str | None]] = {}
    roles: dict[str, str] = {}
    religions: dict[str, str] = {}
    for row in csv.DictReader(lines, delimiter="\t"):
        country = row["country"] or None
        sector = row["sector"] or None
        if row["position"] == "first":
            first[row["code"]] = (country, sector)
        elif row["position"] == "role" and sector:
            roles[row["code"]] = sector
        elif row["position"] == "religion" and sector:
            religions[row["code"]] = sector
    return CameoCodebook(first, roles, religions, frozenset(c.code for c in countries()))


# --- names ---------------------------------------------------------------------------------


#: name particles written in lower case inside a name ("Bashar al-Assad", "Ursula von der Leyen")
def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# --- PETRARCH actor files ------------------------------------------------------------------

_CODE = re.compile(r"\[([^\]]*)\]")
_PAREN = re.compile(r"\(([^)]*)\)")


@dataclass(slots=True)
class _Record:
    line: int
    phrases: list[str]
    codes: list[str]


def _open_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KnowledgeBaseError(f"cannot read actor dictionary {path}: {exc}") from None
    if path.suffix == ".xz":
        try:
            raw = lzma.decompress(raw)
        except lzma.LZMAError as exc:
            raise KnowledgeBaseError(f"{path} is not a valid xz file: {exc}") from None
    return raw.decode("utf-8", errors="replace")


def _strip_comment(line: str) -> str:
    line = line.split("#", 1)[0]
    # TABARI comments: "JAMES_BYRNES_  ; CountryInfo.txt"
    at = line.find(";")
    if at >= 0 and (at == 0 or line[at - 1].isspace()):
        line = line[:at]
    return line.rstrip()


def _records(text: str) -> list[_Record]:
    records: list[_Record] = []
    current: _Record | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = _strip_comment(raw)
        if not line.strip():
            continue
        codes = _CODE.findall(line)
        phrase = _CODE.sub(" ", line).strip()
        if line[0].isspace() and not phrase:
            # an indented date restriction belongs to the record above
            if current is not None:
                current.codes += codes
            continue
        if phrase.startswith("+"):
            if current is None:
                continue
            current.phrases += [p for p in phrase.split("+") if p.strip()]
            current.codes += codes
            continue
        current = _Record(number, [p for p in phrase.split("+") if p.strip()], list(codes))
        records.append(current)
    return records


def _tabari_date(text: str) -> date | None:
    """YYMMDD (00-30 -> 20YY, else 19YY, as KEDS/TABARI/PETRARCH) or YYYYMMDD; all nines is open."""
    text = text.strip()
    if not text.isdigit() or set(text) == {"9"}:
        return None
    if len(text) <= 7:
        yy, mm, dd = int(text[:2]), int(text[2:4]), int(text[4:6])
        year = 2000 + yy if yy <= 30 else 1900 + yy
    else:
        year, mm, dd = int(text[:4]), int(text[4:6]), int(text[6:8])
    return date(year, mm, dd)


@dataclass(frozen=True, slots=True)
class _Restriction:
    code: CameoCode
    start: date | None
    end: date | None  # exclusive
    dated: bool


def _restriction(text: str, book: CameoCodebook) -> _Restriction | None:
    """'RUSGOV 991231-080507' -> RUS GOV from 1999-12-31 to 2008-05-07 (inclusive)."""
    parts = text.split()
    if not parts:
        return None
    code = book.decode(parts[0])
    if code is None:
        if parts[0].strip("-"):
            raise ValueError(f"unknown CAMEO code {parts[0]!r}")
        return None
    span = "".join(parts[1:])
    if not span:
        return _Restriction(code, None, None, False)
    start = end = None
    if span.startswith("<"):
        last = _tabari_date(span[1:])
        end = last + timedelta(days=1) if last else None
    elif span.startswith(">"):
        start = _tabari_date(span[1:])
    elif "-" in span:
        first, _, last_text = span.partition("-")
        start = _tabari_date(first)
        last = _tabari_date(last_text)
        end = last + timedelta(days=1) if last else None
    else:
        raise ValueError(f"unreadable date restriction {text!r}")
    return _Restriction(code, start, end, True)


def _names(phrases: list[str]) -> list[str]:
    """Display forms of a record's phrases; a parenthesised part is a name of its own
    ('IRISH_NATIONAL_LIBERATION_ARMY_(INLA)_')."""
    out: list[str] = []
    for phrase in phrases:
        inner = _PAREN.findall(phrase)
        outer = _PAREN.sub(" ", phrase)
        for part, acronym in [(outer, False), *((i, True) for i in inner)]:
            words = part.replace("_", " ").split()
            if not words:
                continue
            if acronym or (len(words) == 1 and len(words[0]) <= 5 and "." not in words[0]):
                # an acronym keeps its capitals ("IAEA", "UNHCR")
                out.append(" ".join(words))
            if not acronym:
                out.append(name_case(" ".join(words)))
    return list(dict.fromkeys(out))


def read_petrarch_actors(path: Path | str, *, language: str = "de") -> ActorDictionary:
    """An actor dictionary in PETRARCH/TABARI format (`.xz` compressed files too)."""
    path = Path(path)
    book = cameo_codebook()
    given = first_names(language)
    people: list[Person] = []
    insts: list[Institution] = []
    state_names: list[tuple[str, str]] = []
    warnings: list[str] = []
    ids: set[str] = set()
    for record in _records(_open_text(path)):
        restrictions: list[_Restriction] = []
        try:
            for text in record.codes:
                found = _restriction(text, book)
                if found is not None:
                    restrictions.append(found)
        except ValueError as exc:
            warnings.append(f"{path.name}:{record.line}: {exc}")
            continue
        names = _names(record.phrases)
        if not restrictions or not names:
            continue
        primary = name_case(_PAREN.sub(" ", record.phrases[0]))
        words = primary.split()
        if any(r.dated for r in restrictions) or (
            2 <= len(words) <= 4 and words[0] in given and not restrictions[0].code.state
        ):
            people.append(_petrarch_person(primary, names, restrictions, ids))
        elif all(r.code.state for r in restrictions):
            code = restrictions[0].code.country
            if code:
                state_names += [(name, code) for name in names]
        else:
            code = restrictions[0].code
            insts.append(
                Institution(
                    id=_unique(ids, "import:" + _slug(primary)),
                    # "IAEA", not "Iaea"
                    name=names[0],
                    names=tuple(dict.fromkeys([primary, *names])),
                    country=code.country,
                    sector=code.sector,
                    kind="organization",
                )
            )
    return ActorDictionary(
        str(path), tuple(people), tuple(insts), tuple(state_names), tuple(warnings)
    )


def _petrarch_person(
    primary: str, names: list[str], restrictions: list[_Restriction], ids: set[str]
) -> Person:
    roles = tuple(
        PersonRole(
            country=r.code.country,
            sector=r.code.sector,
            role="other",
            title="",
            start=r.start,
            end=r.end,
            # an undated code after dated ones is the default outside their ranges
            fallback=not r.dated and any(x.dated for x in restrictions),
        )
        for r in restrictions
    )
    full = [n for n in names if " " in n or n == primary]
    short = [n for n in names if " " not in n and n != primary and not n.isupper()]
    return Person(
        id=_unique(ids, "import:" + _slug(primary)),
        name=primary,
        names=tuple(dict.fromkeys([primary, *full])),
        short=tuple(short),
        gender=None,
        roles=roles,
    )


def _unique(ids: set[str], wanted: str) -> str:
    found, n = wanted, 1
    while found in ids:
        n += 1
        found = f"{wanted}-{n}"
    ids.add(found)
    return found


# --- PETRARCH agent files --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Agent:
    """An agent noun of a PETRARCH agents file ('FOREIGN_MINISTER [~GOVFRM]') and its sector."""

    phrase: str
    plurals: tuple[str, ...]
    code: str
    sector: str | None


_AGENT = re.compile(
    r"^(?P<phrase>[^{\[]+?)\s*(?:\{(?P<plural>[^}]*)\})?\s*\[(?P<code>[^\]}]*)[\]}]"
)


def read_petrarch_agents(path: Path | str) -> tuple[Agent, ...]:
    """Agent nouns with their sector ('AMBASSADOR [~GOV]' -> GOV, 'NGO~' -> SOC).

    Substitution sets (`!PERSON! = MAN, MEN, ...`) are expanded; regular English plurals are
    generated as PETRARCH does (S, IES after Y, ES after SS) unless `{}` gives them.
    """
    book = cameo_codebook()
    text = _open_text(Path(path))
    subs: dict[str, list[str]] = {}
    agents: list[Agent] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("<!"):
            continue
        if line.startswith("!") and "=" in line:
            marker, _, values = line.partition("=")
            subs[marker.strip()] = [v.strip() for v in values.split(",") if v.strip()]
            continue
        m = _AGENT.match(line)
        if m is None:
            continue
        code = m["code"].strip().strip("~")
        sector = _agent_sector(code, book)
        plural_given = m["plural"]
        for phrase in _substitute(m["phrase"].strip(), subs):
            if plural_given is not None:
                plurals = tuple(p for p in plural_given.split() if p)
            else:
                plurals = (_english_plural(phrase),)
            agents.append(
                Agent(
                    phrase.replace("_", " ").lower(),
                    tuple(p.replace("_", " ").lower() for p in plurals),
                    m["code"].strip(),
                    sector,
                )
            )
    return tuple(agents)


def _substitute(phrase: str, subs: dict[str, list[str]]) -> list[str]:
    for marker, values in subs.items():
        if marker in phrase:
            return [phrase.replace(marker, v) for v in values]
    return [phrase]


def _english_plural(word: str) -> str:
    if word.endswith("Y") and not word.endswith(("AY", "EY", "OY", "UY")):
        return word[:-1] + "IES"
    if word.endswith("SS"):
        return word + "ES"
    return word + "S"


def _agent_sector(code: str, book: CameoCodebook) -> str | None:
    segments = [code[i : i + 3] for i in range(0, len(code), 3)]
    for segment in segments:
        if segment in book.roles:
            return book.roles[segment]
    if segments and segments[0] in book.first:
        return book.first[segments[0]][1]
    for segment in segments:
        if segment in book.religions:
            return book.religions[segment]
    return None


# --- CSV -----------------------------------------------------------------------------------

CSV_COLUMNS = ("name", "aliases", "country", "sector", "kind", "role", "start", "end")
_OPTIONAL = ("id", "title", "gender", "type")
_KINDS = ("person", "state", "organization", "group")


def read_actor_csv(path: Path | str) -> ActorDictionary:
    """A user's own actors: one row per actor, or per dated role of a person.

    Columns (header row required; order free): `name` (required), `aliases` (further names
    separated by `|`), `country` (ISO3, IGO, or empty; a CAMEO code such as RUSGOV gives country
    and sector), `sector` (PLOVER), `kind` (person, state, organization, group; default
    organization, person where a role or date is given), `role` (role key of a person:
    head_of_state, foreign_minister, ... other), `start`, `end` (ISO dates of a person's role;
    end is the first day out of office, empty while in office); optional `id`, `title`, `gender`
    (m/f), `type` (PER/ORG/LOC; a state with type LOC is a further name of the country itself).
    Rows with the same name and kind person are one person with several roles.
    """
    path = Path(path)
    text = _open_text(path)
    plain = path.with_suffix("") if path.suffix == ".xz" else path
    delimiter = "\t" if plain.suffix in (".tsv", ".tab") else ","
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    header = [h.strip().lower() for h in reader.fieldnames or ()]
    if "name" not in header:
        raise KnowledgeBaseError(f"{path}: the header row must name a 'name' column")
    unknown = set(header) - set(CSV_COLUMNS) - set(_OPTIONAL)
    if unknown:
        raise KnowledgeBaseError(f"{path}: unknown columns {sorted(unknown)}; see docs/actors.md")
    reader.fieldnames = header
    book = cameo_codebook()
    known = book.countries | {"IGO"}
    people: dict[str, dict] = {}
    insts: dict[str, Institution] = {}
    state_names: list[tuple[str, str]] = []
    warnings: list[str] = []
    for n, row in enumerate(reader, 2):
        cell = {k: (v or "").strip() for k, v in row.items() if k}
        where = f"{path.name}: row {n}"
        name = cell.get("name", "")
        if not name:
            raise KnowledgeBaseError(f"{where}: empty name")
        aliases = [a.strip() for a in cell.get("aliases", "").split("|") if a.strip()]
        country, sector = _csv_country(cell.get("country", ""), cell.get("sector", ""), book)
        if country is not None and country not in known:
            raise KnowledgeBaseError(f"{where}: unknown country code {country!r}")
        if sector is not None and sector not in SECTORS:
            raise KnowledgeBaseError(f"{where}: {sector!r} is not a PLOVER sector")
        role = cell.get("role") or None
        start, end = _csv_date(cell.get("start"), where), _csv_date(cell.get("end"), where)
        kind = cell.get("kind") or ("person" if role or start or end else "organization")
        if kind not in _KINDS:
            raise KnowledgeBaseError(f"{where}: kind must be one of {', '.join(_KINDS)}")
        type_ = cell.get("type") or {"person": "PER"}.get(kind, "ORG")
        if type_ not in ("PER", "ORG", "LOC", "MISC"):
            raise KnowledgeBaseError(f"{where}: type must be PER, ORG, LOC or MISC")
        if kind == "person":
            if role is not None and role not in ROLES:
                raise KnowledgeBaseError(f"{where}: unknown role {role!r}")
            entry = people.setdefault(
                name,
                {"id": cell.get("id") or "user:" + _slug(name), "aliases": [], "roles": []},
            )
            entry["aliases"] += aliases
            entry["gender"] = cell.get("gender") or entry.get("gender")
            entry["roles"].append(
                PersonRole(country, sector, role or "other", cell.get("title", ""), start, end)
            )
        elif kind == "state" and type_ == "LOC":
            if country is None or country == "IGO":
                raise KnowledgeBaseError(f"{where}: a state needs its country code")
            state_names += [(name, country)] + [(a, country) for a in aliases]
        else:
            if name in insts:
                warnings.append(f"{where}: {name!r} listed again; the later row counts")
            insts[name] = Institution(
                id=cell.get("id") or "user:" + _slug(name),
                name=name,
                names=tuple(dict.fromkeys([name, *aliases])),
                country=country,
                sector=sector if sector is not None or kind != "state" else "GOV",
                kind=kind,  # type: ignore[arg-type]
                entity_type=type_,
            )
    persons = tuple(
        Person(
            id=entry["id"],
            name=name,
            names=tuple(dict.fromkeys([name, *(a for a in entry["aliases"] if " " in a)])),
            short=tuple(dict.fromkeys(a for a in entry["aliases"] if " " not in a)),
            gender=entry.get("gender") or None,
            roles=tuple(entry["roles"]),
        )
        for name, entry in people.items()
    )
    return ActorDictionary(
        str(path), persons, tuple(insts.values()), tuple(state_names), tuple(warnings)
    )


def _csv_country(value: str, sector: str, book: CameoCodebook) -> tuple[str | None, str | None]:
    value = value.upper()
    if not value:
        return None, sector or None
    if len(value) > 3 or (value in book.first and value != "IGO"):
        code = book.decode(value)
        if code is None:
            raise KnowledgeBaseError(f"unknown country or CAMEO code {value!r}")
        return code.country, sector or (code.sector if not code.state else None)
    return value, sector or None


def _csv_date(value: str | None, where: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise KnowledgeBaseError(f"{where}: {value!r} is not an ISO date (2024-05-01)") from None


# --- any dictionary --------------------------------------------------------------------------


def load_dictionary(path: Path | str, *, language: str = "de") -> ActorDictionary:
    """A dictionary by its file name: `.csv`/`.tsv` is the CSV format, anything else
    (`.actors`, `.txt`, `.xz`) PETRARCH/TABARI."""
    path = Path(path)
    if not path.is_file():
        raise KnowledgeBaseError(f"actor dictionary {path} does not exist")
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".xz":
        suffixes = suffixes[:-1]
    if suffixes and suffixes[-1] in (".csv", ".tsv", ".tab"):
        return read_actor_csv(path)
    return read_petrarch_actors(path, language=language)
