"""The `Document` and its layers.

One `Document` flows through the pipeline's stages. Each stage reads the layers earlier stages
assigned and adds its own. Every annotation carries character offsets (`start`, `end`, end
exclusive) into `Document.text`, the article exactly as read, headline included, so every coded
event and quote keeps its evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from chronik.syntax import Clause

CONTRACT_VERSION = "1"

EntityType = Literal["PER", "ORG", "LOC", "MISC"]
ActorKind = Literal["person", "state", "organization", "group"]
Modality = Literal["asserted", "hypothetical", "future", "reported"]
QuoteKind = Literal["direct", "indirect", "mixed"]
Mood = Literal["ind", "subj1", "subj2", "imp"]


def init_args(obj: object) -> tuple[object, ...]:
    """A dataclass's field values in the order of its fields: the arguments of its `__init__`,
    for a `__reduce__` that rebuilds it through that (see `chronik.compiled`)."""
    return tuple(getattr(obj, f.name) for f in fields(obj))  # type: ignore[arg-type]


@dataclass(slots=True)
class Metadata:
    """What is known about an article besides its text."""

    id: str = "doc"
    title: str | None = None
    language: str | None = None
    published: date | None = None
    url: str | None = None
    source: str | None = None


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    #: index of the first token and one past the last token in `Document.tokens`
    token_start: int = 0
    token_end: int = 0
    #: index of the paragraph (line block) the sentence belongs to; the headline is paragraph 0
    paragraph: int = 0


@dataclass(slots=True, init=False)
class Token:
    i: int
    text: str
    start: int
    end: int
    sentence: int
    #: STTS tag (German) or the language's tag set; "" until a tagger has run
    pos: str = ""
    lemma: str = ""
    #: morphological features, e.g. {"Mood": "subj1"} for finite verbs
    morph: dict[str, str] = field(default_factory=dict)

    # An __init__ of its own: compiled (chronik.compiled), the one dataclass writes runs as Python
    # and costs five times as much; and what pickle calls to rebuild a token.
    def __init__(
        self,
        i: int,
        text: str,
        start: int,
        end: int,
        sentence: int,
        pos: str = "",
        lemma: str = "",
        morph: dict[str, str] | None = None,
    ) -> None:
        self.i = i
        self.text = text
        self.start = start
        self.end = end
        self.sentence = sentence
        self.pos = pos
        self.lemma = lemma
        self.morph = {} if morph is None else morph

    def __reduce__(self) -> tuple[type[Token], tuple[object, ...]]:
        return (Token, init_args(self))


@dataclass(slots=True)
class Entity:
    id: str
    text: str
    type: EntityType
    start: int
    end: int
    sentence: int
    actor: str | None = None
    #: how the mention was found (gazetteer, pattern, model), for debugging and evaluation
    origin: str = ""


@dataclass(slots=True)
class Actor:
    id: str
    name: str
    kind: ActorKind
    country: str | None
    sector: str | None
    role: str | None = None
    #: identifier in the actor knowledge base, when linked to it
    kb_id: str | None = None


@dataclass(slots=True)
class Mention:
    """A stretch of text that refers to an actor (a name, a role noun, a pronoun, a metonym)."""

    actor: str
    text: str
    start: int
    end: int
    sentence: int
    #: "name", "role", "pronoun", "metonym", "adjective"
    via: str = "name"


@dataclass(slots=True)
class TimeExpression:
    text: str
    start: int
    end: int
    sentence: int
    #: ISO date, YYYY-MM or YYYY; None when it cannot be placed on the calendar
    value: str | None = None
    #: TimeML type: DATE, TIME, DURATION or SET
    type: str = "DATE"
    #: the full TimeML value ("2023-W37", "2023-09-13T20:00", "P3D"), finer than `value`
    timeml: str | None = None


@dataclass(slots=True)
class Place:
    id: str
    name: str
    text: str
    start: int
    end: int
    sentence: int
    country: str | None
    lat: float | None = None
    lon: float | None = None
    gazetteer_id: str | None = None
    #: "country", "region", "city" or "site"
    feature: str | None = None


@dataclass(slots=True)
class Span:
    text: str
    start: int
    end: int


@dataclass(slots=True)
class Quote:
    id: str
    text: str
    start: int
    end: int
    kind: QuoteKind
    sentence: int
    speaker: str | None = None
    speaker_text: str | None = None
    speaker_span: Span | None = None
    cue: Span | None = None


@dataclass(slots=True)
class Location:
    name: str
    country: str | None
    lat: float | None
    lon: float | None


@dataclass(slots=True)
class EventMention:
    sentence: int
    trigger: Span


@dataclass(slots=True)
class Event:
    id: str
    type: str
    mode: str | None
    source: list[str]
    target: list[str]
    negated: bool
    modality: Modality
    sentence: int
    trigger: Span
    date: str | None = None
    date_text: str | None = None
    location: Location | None = None
    confidence: float = 0.5
    cameo: str | None = None
    goldstein: float | None = None
    mentions: list[EventMention] = field(default_factory=list)


@dataclass(slots=True)
class Document:
    text: str
    meta: Metadata = field(default_factory=Metadata)
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    #: clause analysis of the sentences (verb complex, arguments, negation, mood), when a stage
    #: assigns it; not part of the output contract
    clauses: list[Clause] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    #: names of the stages that have run, in order
    stages: list[str] = field(default_factory=list)

    def sentence_tokens(self, index: int) -> list[Token]:
        sent = self.sentences[index]
        return self.tokens[sent.token_start : sent.token_end]

    def sentence_text(self, index: int) -> str:
        sent = self.sentences[index]
        return self.text[sent.start : sent.end]

    def sentence_at(self, offset: int) -> int | None:
        """Index of the sentence that contains the character `offset`, or None."""
        lo, hi = 0, len(self.sentences) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            sent = self.sentences[mid]
            if offset < sent.start:
                hi = mid - 1
            elif offset >= sent.end:
                lo = mid + 1
            else:
                return mid
        return None

    def actor(self, actor_id: str | None) -> Actor | None:
        if actor_id is None:
            return None
        for actor in self.actors:
            if actor.id == actor_id:
                return actor
        return None

    def to_dict(self) -> dict[str, Any]:
        """The article as the JSON object of the output contract (`schema/chronik.schema.json`)."""
        from chronik.contract import document_to_dict

        return document_to_dict(self)
