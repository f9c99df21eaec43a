"""Event patterns (`lang/<code>/events.yaml`) and the PLOVER/CAMEO tables (`kb/`), loaded into
typed objects once per process."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from chronik.contract import PLOVER_TYPES
from chronik.errors import ChronikError

#: the types whose direction the contract ignores; a joint subject is split into both sides
SYMMETRIC_TYPES = frozenset({"CONSULT", "COOPERATE", "AGREE"})


class PatternError(ChronikError):
    """An event pattern file is malformed."""


@dataclass(frozen=True, slots=True)
class RoleRef:
    """A reference to an argument: "subj", "obj", "dat", "gen", "adj", "pobj:vor"; `extended`
    ("obj+") also looks into the prepositional attributes that follow the phrase."""

    role: str
    prep: str | None = None
    extended: bool = False
    #: "obj++": the attributes may also be places ("die Rekrutierung von Kindern im Sudan")
    places: bool = False

    @classmethod
    def parse(cls, text: str) -> RoleRef:
        text = text.strip()
        places = text.endswith("++")
        extended = text.endswith("+")
        text = text.rstrip("+")
        if ":" in text:
            role, prep = text.split(":", 1)
            return cls(role, prep.lower(), extended, places)
        return cls(text, None, extended, places)

    def __str__(self) -> str:
        base = f"{self.role}:{self.prep}" if self.prep else self.role
        return base + ("++" if self.places else "+" if self.extended else "")


@dataclass(frozen=True, slots=True)
class Sense:
    """One reading of a trigger word and the conditions under which it applies."""

    type: str | None
    mode: str | None = None
    cameo: str | None = None
    source: tuple[RoleRef, ...] = ()
    target: tuple[RoleRef, ...] = ()
    objects: frozenset[str] = frozenset()
    #: head nouns the subject must have ("Die Vorwürfe richten sich gegen ...")
    subjects: frozenset[str] = frozenset()
    reflexive: bool | None = None
    requires: tuple[RoleRef, ...] = ()
    predicates: frozenset[str] = frozenset()
    pobj_heads: tuple[tuple[str, frozenset[str]], ...] = ()
    source_sectors: frozenset[str] = frozenset()
    not_source_sectors: frozenset[str] = frozenset()
    symmetric: bool = False


@dataclass(frozen=True, slots=True)
class EventPatterns:
    verbs: dict[str, tuple[Sense, ...]]
    nouns: dict[str, Sense]
    #: noun lemmas (lower case) sorted longest first, for matching compounds by their last part
    noun_suffixes: tuple[str, ...] = field(default=())
    #: verbs with a symmetric sense: their clauses can be coded without any actor mention
    #: (an agentless agreement after a meeting)
    symmetric_verbs: frozenset[str] = frozenset()
    #: PLOVER type -> predicative adjectives that, reported from a speaker, are the speaker's
    #: act towards the clause's subject ("X sei verantwortlich, sagte Y" -> Y accuses X)
    speaker_predicates: tuple[tuple[str, frozenset[str]], ...] = ()
    #: lemma -> noun sense, filled as lemmas are seen (compound lookup is a suffix scan)
    _noun_cache: dict[str, tuple[str, Sense] | None] = field(
        default_factory=dict, compare=False, repr=False
    )

    def noun_sense(self, lemma: str) -> tuple[str, Sense] | None:
        low = lemma.lower()
        if low in self._noun_cache:
            return self._noun_cache[low]
        found: tuple[str, Sense] | None = None
        if low in self.nouns:
            found = low, self.nouns[low]
        else:
            for suffix in self.noun_suffixes:
                if len(low) > len(suffix) + 2 and low.endswith(suffix):
                    found = suffix, self.nouns[suffix]
                    break
        if len(self._noun_cache) < 100_000:
            self._noun_cache[low] = found
        return found


def _roles(value: object) -> tuple[RoleRef, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (RoleRef.parse(value),)
    if isinstance(value, list):
        return tuple(RoleRef.parse(str(v)) for v in value)
    raise PatternError(f"a role must be a string or a list of strings, not {value!r}")


def _words(value: object) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset({value.lower()})
    return frozenset(str(v).lower() for v in value)  # type: ignore[union-attr]


def _sense(raw: dict[str, object], where: str) -> Sense:
    typ = raw.get("type")
    if typ is not None and typ not in PLOVER_TYPES:
        raise PatternError(f"{where}: unknown PLOVER type {typ!r}")
    heads = raw.get("pobj_head") or {}
    if not isinstance(heads, dict):
        raise PatternError(f"{where}: pobj_head must map prepositions to nouns")
    return Sense(
        type=str(typ) if typ is not None else None,
        mode=str(raw["mode"]) if raw.get("mode") else None,
        cameo=str(raw["cameo"]) if raw.get("cameo") else None,
        source=_roles(raw.get("source")),
        target=_roles(raw.get("target")),
        objects=_words(raw.get("object")),
        subjects=_words(raw.get("object_subject")),
        reflexive=bool(raw["reflexive"]) if "reflexive" in raw else None,
        requires=_roles(raw.get("requires")),
        predicates=_words(raw.get("predicate")),
        pobj_heads=tuple((str(p).lower(), _words(n)) for p, n in heads.items()),
        source_sectors=frozenset(str(s) for s in raw.get("source_sector", []) or []),  # type: ignore[union-attr]
        not_source_sectors=frozenset(str(s) for s in raw.get("not_source_sector", []) or []),  # type: ignore[union-attr]
        symmetric=bool(raw.get("symmetric", False)),
    )


@cache
def load_patterns(language: str = "de") -> EventPatterns:
    path = resources.files("chronik").joinpath(f"lang/{language}/events.yaml")
    if not path.is_file():
        raise PatternError(f"no event patterns for language {language!r} ({path})")
    raw = yaml.safe_load(path.read_text("utf-8"))
    verbs: dict[str, tuple[Sense, ...]] = {}
    for lemma, senses in (raw.get("verbs") or {}).items():
        if not isinstance(senses, list):
            raise PatternError(f"events.yaml: verb {lemma!r} needs a list of senses")
        verbs[str(lemma).lower()] = tuple(
            _sense(s, f"verb {lemma!r}") for s in senses if isinstance(s, dict)
        )
    nouns = {
        str(lemma).lower(): _sense(s, f"noun {lemma!r}")
        for lemma, s in (raw.get("nouns") or {}).items()
    }
    suffixes = tuple(sorted((n for n in nouns if len(n) >= 5), key=len, reverse=True))
    symmetric = frozenset(
        lemma for lemma, senses in verbs.items() if any(s.symmetric for s in senses)
    )
    speaker = tuple(
        (str(typ), _words(words)) for typ, words in (raw.get("speaker_predicates") or {}).items()
    )
    for typ, _ in speaker:
        if typ not in PLOVER_TYPES:
            raise PatternError(f"events.yaml: speaker_predicates: unknown PLOVER type {typ!r}")
    return EventPatterns(
        verbs=verbs,
        nouns=nouns,
        noun_suffixes=suffixes,
        symmetric_verbs=symmetric,
        speaker_predicates=speaker,
    )


@dataclass(frozen=True, slots=True)
class CameoTables:
    #: CAMEO code -> (PLOVER type, mode)
    cameo: dict[str, tuple[str, str | None]]
    #: (PLOVER type, mode or "") -> conflict-cooperation score
    scores: dict[tuple[str, str], float]
    #: PLOVER type -> its most general CAMEO code
    default_cameo: dict[str, str]

    def score(self, plover: str, mode: str | None) -> float | None:
        if mode and (plover, mode) in self.scores:
            return self.scores[(plover, mode)]
        return self.scores.get((plover, ""))


def _tsv(name: str) -> list[dict[str, str]]:
    path = resources.files("chronik").joinpath(f"kb/{name}")
    lines = [ln for ln in path.read_text("utf-8").splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@cache
def cameo_tables() -> CameoTables:
    cameo: dict[str, tuple[str, str | None]] = {}
    for row in _tsv("cameo_plover.tsv"):
        cameo[row["cameo"]] = (row["plover"], row["mode"] or None)
    scores: dict[tuple[str, str], float] = {}
    default: dict[str, str] = {}
    for row in _tsv("plover_scores.tsv"):
        scores[(row["plover"], row["mode"] or "")] = float(row["score"])
        if row.get("cameo"):
            default[row["plover"]] = row["cameo"]
    return CameoTables(cameo=cameo, scores=scores, default_cameo=default)
