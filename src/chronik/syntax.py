"""German clause analysis by rules over STTS tags and lemmas (HanTa).

Each sentence is split into clauses (main, subordinate, relative, infinitival, with the clauses a
main clause is interrupted by set aside); each clause gets its verb complex (finite verb,
auxiliaries, participle or infinitive, separable particle), voice, tense, mood, modal, negation,
and its arguments: subject, objects and prepositional phrases, found from their position (the
Vorfeld of a verb-second clause, the order after a subordinator) and case cues (determiners,
pronouns, the number of the finite verb). A clause also knows the clause it is embedded in and
what that embedding makes of its content (reported speech, fear, hope, a condition, a purpose).

This is shallow syntax: no parse tree, no guarantee. It is meant for event coding and quotation
attribution, where a wrong argument costs less than a missing one. The closed word classes and verb
classes live in `lang/de/events_syntax.yaml`.

Internal API: `analyze(doc)` returns the clauses of every sentence; `Clause` and `Argument` are
the stable types.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from operator import attrgetter
from typing import Literal

import yaml

from chronik.document import Document, Token, init_args
from chronik.errors import ChronikError

ClauseKind = Literal["main", "sub", "rel", "inf"]
Role = Literal["subj", "obj", "dat", "gen", "pobj", "agent", "pred"]
Embedding = Literal["speech", "claim", "fear", "hope", "belief", "plan", "condition", "purpose"]

FINITE = frozenset({"VVFIN", "VAFIN", "VMFIN", "VVIMP", "VAIMP"})
NONFINITE = frozenset({"VVINF", "VAINF", "VMINF", "VVPP", "VAPP", "VMPP", "VVIZU"})
VERB = FINITE | NONFINITE
NOUN_TAGS = frozenset({"NN", "NE", "NNA", "NNI", "FM", "XY"})
DET_TAGS = frozenset({"ART", "PDAT", "PIAT", "PIDAT", "PPOSAT", "PWAT", "PRELAT"})
PRONOUN_TAGS = frozenset({"PPER", "PRF", "PIS", "PDS", "PRELS", "PWS", "PPOSS"})
PREP_TAGS = frozenset({"APPR", "APPRART", "APZR"})
#: HanTa's "$(" (brackets, dashes, quotes) comes out as "$" once its brackets are stripped
OTHER_PUNCT = frozenset({"$(", "$"})
CLAUSE_BREAK = frozenset({"$,", "$.", "$(", "$"})
DASHES = frozenset({"-", "–", "—", "(", ")", "[", "]", ";", ":"})
_QUOTES = frozenset({'"', "„", "“", "”", "»", "«", "'", "‚", "‘", "’"})


class SyntaxDataError(ChronikError):
    """The syntax data file is missing or malformed."""


@dataclass(frozen=True, slots=True)
class SyntaxLexicon:
    """The closed classes and verb classes of one language (`lang/<code>/events_syntax.yaml`)."""

    subordinators: dict[str, str]
    infinitival: dict[str, str]
    speech_verbs: frozenset[str]
    fear_verbs: frozenset[str]
    hope_verbs: frozenset[str]
    belief_verbs: frozenset[str]
    claim_verbs: frozenset[str]
    plan_verbs: frozenset[str]
    fear_adjectives: frozenset[str]
    hope_adjectives: frozenset[str]
    modals: dict[str, str]
    negation_particles: frozenset[str]
    negation_adverbs: frozenset[str]
    negation_pronouns: frozenset[str]
    negation_determiners: frozenset[str]
    negation_breakers: frozenset[str]
    determiner_cases: dict[str, frozenset[str]]
    determiner_endings: dict[str, frozenset[str]]
    pronoun_cases: dict[str, frozenset[str]]
    plural_pronouns: frozenset[str]
    singular_pronouns: frozenset[str]
    plural_names: frozenset[str]
    agent_prepositions: frozenset[str]
    temporal_nouns: frozenset[str]
    #: subject pronoun -> the object pronouns that refer back to it ("wir" -> "uns")
    reflexives: dict[str, frozenset[str]]
    #: verbs whose object does what their infinitival clause says ("forderte X auf, ... zu")
    object_control_verbs: frozenset[str]


@cache
def lexicon(language: str = "de") -> SyntaxLexicon:
    path = resources.files("chronik").joinpath(f"lang/{language}/events_syntax.yaml")
    if not path.is_file():
        raise SyntaxDataError(f"no clause-analysis data for language {language!r} ({path})")
    raw = yaml.safe_load(path.read_text("utf-8"))

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in raw.get(key, []) or [])

    def cases(key: str) -> dict[str, frozenset[str]]:
        return {str(k).lower(): frozenset(v) for k, v in (raw.get(key) or {}).items()}

    return SyntaxLexicon(
        subordinators={str(k): str(v) for k, v in raw["subordinators"].items()},
        infinitival={str(k): str(v) for k, v in raw["infinitival"].items()},
        speech_verbs=words("speech_verbs"),
        fear_verbs=words("fear_verbs"),
        hope_verbs=words("hope_verbs"),
        belief_verbs=words("belief_verbs"),
        claim_verbs=words("claim_verbs"),
        plan_verbs=words("plan_verbs"),
        fear_adjectives=words("fear_adjectives"),
        hope_adjectives=words("hope_adjectives"),
        modals={str(k): str(v) for k, v in raw["modals"].items()},
        negation_particles=words("negation_particles"),
        negation_adverbs=words("negation_adverbs"),
        negation_pronouns=words("negation_pronouns"),
        negation_determiners=words("negation_determiners"),
        negation_breakers=words("negation_breakers"),
        determiner_cases=cases("determiner_cases"),
        determiner_endings=cases("determiner_endings"),
        pronoun_cases=cases("pronoun_cases"),
        plural_pronouns=words("plural_pronouns"),
        singular_pronouns=words("singular_pronouns"),
        plural_names=words("plural_names"),
        agent_prepositions=words("agent_prepositions"),
        temporal_nouns=words("temporal_nouns"),
        reflexives=cases("reflexive_pronouns"),
        object_control_verbs=words("object_control_verbs"),
    )


# --- the typed result -------------------------------------------------------------------------

_NO_CASES: frozenset[str] = frozenset()


@dataclass(slots=True, init=False)
class Argument:
    """A noun phrase (or a prepositional phrase) that fills a role of a clause's verb.

    `start`/`end` cover the phrase itself with its genitive attributes ("einer Militärkooperation
    Moskaus"); `ext_end` also covers the prepositional attributes that follow it ("... mit
    Nordkorea"), where an implicit participant is often named. `conjuncts` are the character
    spans of coordinated parts ("die USA und Südkorea" -> two spans).
    """

    role: Role
    token_start: int
    token_end: int
    start: int
    end: int
    text: str
    head: int
    #: lemma of the preposition of a prepositional phrase ("vor", "gegen"), else None
    prep: str | None = None
    cases: frozenset[str] = frozenset()
    plural: bool | None = None
    negated: bool = False
    pronoun: bool = False
    reflexive: bool = False
    ext_end: int = 0
    ext_token_end: int = 0
    conjuncts: list[tuple[int, int]] = field(default_factory=list)
    #: for a relative pronoun: the character span of the noun phrase it refers to
    antecedent: tuple[int, int] | None = None
    #: for a relative pronoun: the head token of that noun phrase
    antecedent_head: int | None = None
    head_lemma: str = ""

    # An __init__ of its own, with the fields' order and defaults: compiled, the one dataclass
    # writes runs as Python and costs five times as much; and what pickle calls to rebuild one.
    def __init__(
        self,
        role: Role,
        token_start: int,
        token_end: int,
        start: int,
        end: int,
        text: str,
        head: int,
        prep: str | None = None,
        cases: frozenset[str] = _NO_CASES,
        plural: bool | None = None,
        negated: bool = False,
        pronoun: bool = False,
        reflexive: bool = False,
        ext_end: int = 0,
        ext_token_end: int = 0,
        conjuncts: list[tuple[int, int]] | None = None,
        antecedent: tuple[int, int] | None = None,
        antecedent_head: int | None = None,
        head_lemma: str = "",
    ) -> None:
        self.role = role
        self.token_start = token_start
        self.token_end = token_end
        self.start = start
        self.end = end
        self.text = text
        self.head = head
        self.prep = prep
        self.cases = cases
        self.plural = plural
        self.negated = negated
        self.pronoun = pronoun
        self.reflexive = reflexive
        self.ext_end = ext_end
        self.ext_token_end = ext_token_end
        self.conjuncts = [] if conjuncts is None else conjuncts
        self.antecedent = antecedent
        self.antecedent_head = antecedent_head
        self.head_lemma = head_lemma

    def __reduce__(self) -> tuple[type[Argument], tuple[object, ...]]:
        return (Argument, init_args(self))


@dataclass(slots=True, init=False)
class Clause:
    """One clause of a sentence with its verb complex and arguments.

    `tokens` are document token indices in text order; a main clause interrupted by a relative or
    subordinate clause keeps both of its parts and leaves the interruption out.
    """

    index: int
    sentence: int
    kind: ClauseKind
    tokens: list[int]
    start: int
    end: int
    #: lemma of the subordinating conjunction or relative pronoun introducing the clause
    introducer: str | None = None
    finite: int | None = None
    #: the verb complex: finite verb, auxiliaries, main verb, particle (token indices)
    verbs: list[int] = field(default_factory=list)
    #: token index of the lexical verb (the participle or infinitive in a complex)
    main_verb: int | None = None
    #: lemma of the lexical verb with its separable particle ("aufrufen")
    lemma: str = ""
    voice: Literal["active", "passive"] = "active"
    #: lemmas of the auxiliaries in the verb complex, in text order ("sein" in "ist gekommen",
    #: "werden" in "wurde gewählt"); a copula that is the lexical verb is not among them
    auxiliaries: tuple[str, ...] = ()
    tense: Literal["present", "past", "perfect", "future"] = "present"
    mood: str = "ind"
    modal: str | None = None
    #: the modal's infinitive is a perfect infinitive ("soll ... getötet haben"): a claim
    modal_perfect: bool = False
    reflexive: bool = False
    negated: bool = False
    negation: int | None = None
    subject: Argument | None = None
    objects: list[Argument] = field(default_factory=list)
    #: predicative adjectives and nouns ("besorgt", "einig")
    predicates: list[int] = field(default_factory=list)
    parent: int | None = None
    embedding: Embedding | None = None
    #: the verb is in first position without a Vorfeld ("..., sagte Putin")
    verb_first: bool = False
    #: a coordinated clause whose subject is the previous clause's ("... und verwies auf")
    elided_subject: bool = False
    #: for an infinitival clause without a subject: the argument of the parent clause that does
    #: what it says (its subject, or its object after "auffordern", "bitten", "vorwerfen" ...)
    controller: Argument | None = None

    # (an __init__ of its own, as Argument's)
    def __init__(
        self,
        index: int,
        sentence: int,
        kind: ClauseKind,
        tokens: list[int],
        start: int,
        end: int,
        introducer: str | None = None,
        finite: int | None = None,
        verbs: list[int] | None = None,
        main_verb: int | None = None,
        lemma: str = "",
        voice: Literal["active", "passive"] = "active",
        auxiliaries: tuple[str, ...] = (),
        tense: Literal["present", "past", "perfect", "future"] = "present",
        mood: str = "ind",
        modal: str | None = None,
        modal_perfect: bool = False,
        reflexive: bool = False,
        negated: bool = False,
        negation: int | None = None,
        subject: Argument | None = None,
        objects: list[Argument] | None = None,
        predicates: list[int] | None = None,
        parent: int | None = None,
        embedding: Embedding | None = None,
        verb_first: bool = False,
        elided_subject: bool = False,
        controller: Argument | None = None,
    ) -> None:
        self.index = index
        self.sentence = sentence
        self.kind = kind
        self.tokens = tokens
        self.start = start
        self.end = end
        self.introducer = introducer
        self.finite = finite
        self.verbs = [] if verbs is None else verbs
        self.main_verb = main_verb
        self.lemma = lemma
        self.voice = voice
        self.auxiliaries = auxiliaries
        self.tense = tense
        self.mood = mood
        self.modal = modal
        self.modal_perfect = modal_perfect
        self.reflexive = reflexive
        self.negated = negated
        self.negation = negation
        self.subject = subject
        self.objects = [] if objects is None else objects
        self.predicates = [] if predicates is None else predicates
        self.parent = parent
        self.embedding = embedding
        self.verb_first = verb_first
        self.elided_subject = elided_subject
        self.controller = controller

    def __reduce__(self) -> tuple[type[Clause], tuple[object, ...]]:
        return (Clause, init_args(self))

    def arguments(self, role: str, prep: str | None = None) -> list[Argument]:
        found = []
        for arg in self.objects:
            if arg.role != role:
                continue
            if prep is not None and arg.prep != prep:
                continue
            found.append(arg)
        return found

    @property
    def agent(self) -> Argument | None:
        for arg in self.objects:
            if arg.role == "agent":
                return arg
        return None


# --- noun phrase chunking ---------------------------------------------------------------------


@dataclass(slots=True, init=False)
class _Phrase:
    kind: Literal["np", "pp"]
    first: int  # position in the clause token list
    last: int  # inclusive
    head: int  # position of the head token
    prep: str | None = None
    np_first: int = 0
    cases: frozenset[str] = frozenset()
    plural: bool | None = None
    negated: bool = False
    pronoun: bool = False
    reflexive: bool = False
    genitive_of: int | None = None  # index of the phrase this genitive attaches to
    conjuncts: list[tuple[int, int]] = field(default_factory=list)

    # (an __init__ of its own, as Argument's)
    def __init__(
        self,
        kind: Literal["np", "pp"],
        first: int,
        last: int,
        head: int,
        prep: str | None = None,
        np_first: int = 0,
        cases: frozenset[str] = _NO_CASES,
        plural: bool | None = None,
        negated: bool = False,
        pronoun: bool = False,
        reflexive: bool = False,
        genitive_of: int | None = None,
        conjuncts: list[tuple[int, int]] | None = None,
    ) -> None:
        self.kind = kind
        self.first = first
        self.last = last
        self.head = head
        self.prep = prep
        self.np_first = np_first
        self.cases = cases
        self.plural = plural
        self.negated = negated
        self.pronoun = pronoun
        self.reflexive = reflexive
        self.genitive_of = genitive_of
        self.conjuncts = [] if conjuncts is None else conjuncts


#: separable verb particles that the tagger may read as article, preposition or adverb when they
#: close a verb-second clause
_PARTICLES = frozenset(
    {
        "ab",
        "an",
        "auf",
        "aus",
        "bei",
        "ein",
        "fest",
        "frei",
        "mit",
        "nach",
        "vor",
        "zu",
        "zurück",
        "zusammen",
        "weg",
        "fort",
        "los",
        "dar",
        "statt",
        "teil",
        "vorbei",
        "heraus",
        "hinaus",
        "voran",
        "entgegen",
        "gegenüber",
        "hinzu",
        "nieder",
        "um",
        "durch",
    }
)
#: conjunctions that join two verb-second clauses
_CLAUSE_CONJUNCTIONS = frozenset({"und", "aber", "doch", "sondern", "oder"})
_COMPARATIVES = frozenset({"mehr", "weniger", "viel", "wenig", "rund", "knapp", "gut"})
_ALL_CASES = frozenset({"nom", "acc", "dat", "gen"})
_BARE_CASES = frozenset({"nom", "acc", "dat"})
_DER_STEMS = ("dies", "jen", "jed", "welch", "manch", "solch", "all", "jeglich", "sämtlich")
_EIN_STEMS = ("kein", "mein", "dein", "sein", "ihr", "unser", "euer", "eur")


#: first, last and head position, cases, plural, negated
_Simple = tuple[int, int, int, frozenset[str], bool | None, bool]
_NP_OPENERS = DET_TAGS | {"CARD", "ADV"}
#: the tags a noun phrase can start with
_NP_FIRST = _NP_OPENERS | NOUN_TAGS | {"ADJA", "ADJD", "TRUNC"}
#: tags of the words that can negate a clause ("nicht" is sometimes tagged as an adverb)
_NEGATION_TAGS = frozenset({"PTKNEG", "ADV", "ADJD", "KON"})
_NP_STOPS = VERB | CLAUSE_BREAK | {"KON"}


def _is_noun(tok: Token) -> bool:
    return tok.pos in NOUN_TAGS and (tok.pos != "XY" or any(c.isalnum() for c in tok.text))


def _det_cases(lex: SyntaxLexicon, form: str) -> frozenset[str]:
    form = form.lower()
    if form in lex.determiner_cases:
        return lex.determiner_cases[form]
    for stem in _DER_STEMS + _EIN_STEMS:
        if form.startswith(stem):
            ending = form[len(stem) :]
            if ending in lex.determiner_endings:
                return lex.determiner_endings[ending]
    return _BARE_CASES


#: tags a noun phrase (or a pronoun phrase) can start with: no other token opens one
_NP_START = _NP_FIRST | PRONOUN_TAGS
_COMMON_NOUNS = frozenset({"NN", "NNA", "NNI"})
_NAME_TAGS = frozenset({"NE", "FM", "XY"})
_AS_PHRASE_TAGS = frozenset({"KOKOM", "KOUS"})
_AS_PHRASE_WORDS = frozenset({"als", "wie"})
_PP_ADV_BEFORE = frozenset({"ADJA", "CARD", "PIS", "PIAT", "PIDAT"})
_NP_COORDINATORS = frozenset({"und", "sowie", "oder", "&"})
_LIST_CLOSERS = frozenset({"und", "sowie"})
_APPOSITION_END = frozenset({"$,", "$."}) | FINITE
_GENITIVE_ARTICLES = frozenset({"der", "des", "einer", "eines"})
_ATTRIBUTIVE = frozenset({"ADJA", "CARD", "TRUNC"})
_ADJ_LIKE = frozenset({"ADJA", "TRUNC", "ADJD"})
_ADJ_OR_NOUN = frozenset({"ADJA", "NN", "ADJD"})
_ADJA_NN = frozenset({"ADJA", "NN"})
_ADJA_NN_NE = frozenset({"ADJA", "NN", "NE"})
_ADV_ADJD = frozenset({"ADV", "ADJD"})
_INNER_QUOTES = frozenset({'"', "„", "“", "»", "«", "'"})
#: besides attributive words, the tags that may go on a noun phrase before its noun
_INSIDE_NP = _ADV_ADJD | {"KON"} | OTHER_PUNCT
_ALONE_DETS = frozenset({"PIAT", "PIDAT", "PDAT"})
_SINGULAR_DETS = frozenset({"ein", "eine", "einen", "einem", "einer", "eines", "des", "dem", "der"})
_PLURAL_ENDINGS = ("en", "n", "er", "e", "s")
_PLURAL_DETS = frozenset({"die", "den"})
_AMBIGUOUS_PRONOUNS = frozenset({"sie", "ihr"})
_CASED_PRONOUNS = frozenset({"PPER", "PRF", "PRELS"})
_GEN = frozenset({"gen"})
_ACC = frozenset({"acc"})
_NOM = frozenset({"nom"})


class _Chunker:
    """Noun and prepositional phrases of one clause (a list of document tokens).

    The clause's tags, lower-case forms and noun flags are read into lists once: the chunker
    looks at each token many times, and list indexing is far cheaper than attribute access."""

    def __init__(
        self,
        lex: SyntaxLexicon,
        toks: Sequence[Token],
        entity_of: dict[int, str],
        pos: list[str] | None = None,
        low: list[str] | None = None,
    ):
        self.lex = lex
        self.toks = toks
        self.entity_of = entity_of
        self.pos = pos if pos is not None else [t.pos for t in toks]
        self.low = low if low is not None else [t.text.lower() for t in toks]
        self.noun = noun = [p in NOUN_TAGS for p in self.pos]
        if "XY" in self.pos:
            for k, p in enumerate(self.pos):
                if p == "XY":
                    noun[k] = any(c.isalnum() for c in toks[k].text)
        #: simple noun phrases by start position; coordination asks for the same ones repeatedly
        self._simple: dict[int, _Simple | None] = {}

    def phrases(self) -> list[_Phrase]:
        out: list[_Phrase] = []
        toks, pos = self.toks, self.pos
        i = 0
        n = len(toks)
        while i < n:
            p = pos[i]
            if p in PREP_TAGS or (
                p in _AS_PHRASE_TAGS
                and toks[i].lemma.lower() in _AS_PHRASE_WORDS
                # "mehr als zehn Teilnehmer" is a number, not an "als" phrase
                and not (i > 0 and toks[i - 1].lemma.lower() in _COMPARATIVES)
            ):
                k = i + 1
                while k < n and pos[k] in OTHER_PUNCT and toks[k].text in _QUOTES:
                    k += 1
                # "mit möglicherweise negativen Folgen", "über fast alles", "um rund 10 Prozent"
                while k + 1 < n and pos[k] == "ADV" and pos[k + 1] in _PP_ADV_BEFORE:
                    k += 1
                np = self._np(k)
                if np is None:
                    i += 1
                    continue
                # "als ständiges Mitglied": a predicative phrase, never the subject
                prep = toks[i].lemma.lower()
                if p == "APPRART":
                    # "zum", "im", "vom": HanTa lemmatises to the preposition
                    prep = _apprart_prep(self.low[i], prep)
                # the noun phrase (new, and no one else's) becomes the prepositional phrase
                np.kind = "pp"
                np.np_first = np.first
                np.first = i
                np.prep = prep
                np.reflexive = False
                out.append(np)
                i = np.last + 1
                continue
            if p not in _NP_START:
                i += 1
                continue
            np = self._np(i)
            if np is None:
                i += 1
                continue
            # a genitive right after a noun phrase attaches to it ("Militärkooperation Moskaus",
            # "die Regierung des Landes")
            if out and out[-1].last == i - 1 and self._is_genitive(np, i):
                np.genitive_of = len(out) - 1
                out[-1].last = np.last
                out.append(np)
                i = np.last + 1
                continue
            out.append(np)
            i = np.last + 1
        return out

    def _is_genitive(self, np: _Phrase, i: int) -> bool:
        if not self.noun[i - 1]:
            return False
        pos = self.pos
        # a name takes no genitive attribute behind it: in "wirft die OSZE der Wahlkommission
        # vor" the "der" phrase is a dative object
        if pos[i - 1] in _NAME_TAGS and np.cases != _GEN:
            return False
        if np.cases == _GEN:
            return True
        first_low = self.low[np.first]
        head_pos = pos[np.head]
        if first_low in {"der", "einer"} and head_pos.startswith("N"):
            return True
        toks = self.toks
        if (
            pos[np.first] in DET_TAGS
            and first_low.endswith("es")
            and head_pos in _COMMON_NOUNS
            and toks[np.head].text.endswith("s")
        ):
            # "meines Kundenberaters", "dieses Jahres": a masculine or neuter genitive
            return True
        # a bare name in the genitive: "Moskaus", "Nordkoreas" (lemma without the -s)
        head = toks[np.head]
        return (
            np.first == np.head
            and head_pos == "NE"
            and head.text.endswith("s")
            and head.lemma != head.text
            and not (i + 1 < len(toks) and self.noun[i + 1])
        )

    def _np(self, i: int) -> _Phrase | None:
        toks = self.toks
        n = len(toks)
        if i >= n:
            return None
        p = self.pos[i]
        lex = self.lex
        if p in PRONOUN_TAGS:
            tok = toks[i]
            low = self.low[i]
            if p in _CASED_PRONOUNS:
                cases = lex.pronoun_cases.get(low, _ALL_CASES)
            else:
                cases = (
                    _det_cases(lex, low)
                    if low not in lex.pronoun_cases
                    else (lex.pronoun_cases[low])
                )
            plural = (
                True
                if low in lex.plural_pronouns
                else False
                if low in lex.singular_pronouns
                else None
            )
            if low in _AMBIGUOUS_PRONOUNS:
                plural = None
            # (positional arguments: keywords make a dataclass's __init__ much slower)
            return _Phrase(
                "np",  # kind
                i,  # first
                i,  # last
                i,  # head
                None,  # prep
                0,  # np_first
                cases,
                plural,
                tok.lemma.lower() in lex.negation_pronouns or low in lex.negation_pronouns,
                True,  # pronoun
                p == "PRF",  # reflexive
                None,  # genitive_of
                [(tok.start, tok.end)],  # conjuncts
            )
        simple = self._simple
        parts = simple[i] if i in simple else self._np_simple(i)
        if parts is None:
            return None
        pos = self.pos
        first, last, head, cases, plural, negated = parts
        conjuncts = [(toks[first].start, toks[last].end)]
        # coordination: "die USA und Südkorea", "Russland, China und Iran"
        j = last + 1
        while j + 1 < n and (
            (pos[j] == "KON" and toks[j].lemma.lower() in _NP_COORDINATORS)
            or (
                pos[j] == "$,"
                and self._np_simple(j + 1) is not None
                and self._coordination_follows(j + 1)
            )
        ):
            nxt = self._np_simple(j + 1)
            if nxt is None:
                break
            f2, l2, _h2, c2, _p2, n2 = nxt
            conjuncts.append((toks[f2].start, toks[l2].end))
            last, negated = l2, negated or n2
            cases = (cases & c2) or cases
            plural = True
            j = l2 + 1
        if len(conjuncts) == 1 and last + 2 < n and pos[last + 1] == "$,":
            last = self._apposition(head, last, conjuncts)
        # (positional arguments: keywords make a dataclass's __init__ much slower)
        return _Phrase(
            "np",  # kind
            first,
            last,
            head,
            None,  # prep
            0,  # np_first
            cases,
            plural,
            negated,
            False,  # pronoun
            False,  # reflexive
            None,  # genitive_of
            conjuncts,
        )

    def _apposition(self, head: int, last: int, conjuncts: list[tuple[int, int]]) -> int:
        """ "der oberste Militärführer des Landes, Voreqe Bainirama, ...", "Valeri Trojanow,
        Pilot des Kampfflugzeuges, ...": a name after a phrase headed by a common noun, or a bare
        role noun (no determiner) after a name, set off by commas, names the same one; the
        phrase takes it in, with the genitive attributes of a role noun (its head stays).
        Returns the phrase's new last position."""
        pos = self.pos
        n = len(pos)
        comma = last + 1
        if comma + 1 >= n or pos[comma] != "$,":
            return last
        other = self._np_simple(comma + 1)
        if other is None:
            return last
        end = other[1]
        names = all(pos[k] == "NE" for k in range(other[0], end + 1))
        if pos[head] in _COMMON_NOUNS and names:
            pass
        elif pos[last] == "NE" and pos[other[0]] in _COMMON_NOUNS:
            # "Trojanow, Pilot des am Donnerstag abgestürzten Kampfflugzeuges Su-27, ..."
            while end + 1 < n:
                genitive = self._np_simple(end + 1)
                if genitive is None or not (
                    genitive[3] == _GEN or self.low[end + 1] in _GENITIVE_ARTICLES
                ):
                    break
                end = genitive[1]
        else:
            return last
        after = end + 1
        if after < n and pos[after] not in _APPOSITION_END:
            return last
        conjuncts[0] = (conjuncts[0][0], self.toks[end].end)
        return end

    def _coordination_follows(self, i: int) -> bool:
        """In "A, B, C und D" a comma coordinates only when an "und" closes the list."""
        toks, pos = self.toks, self.pos
        while True:
            parts = self._np_simple(i)
            if parts is None:
                return False
            j = parts[1] + 1
            if j >= len(toks):
                return False
            if pos[j] == "KON" and toks[j].lemma.lower() in _LIST_CLOSERS:
                return True
            if pos[j] != "$,":
                return False
            i = j + 1

    def _np_simple(self, i: int) -> _Simple | None:
        simple = self._simple
        if i in simple:
            return simple[i]
        found = simple[i] = self._np_simple_at(i)
        return found

    def _np_simple_at(self, i: int) -> _Simple | None:
        pos = self.pos
        if pos[i] not in _NP_FIRST:
            return None
        toks, low, noun = self.toks, self.low, self.noun
        n = len(pos)
        lex = self.lex
        j = i
        cases = _BARE_CASES
        negated = False
        has_det = False
        det_text = ""
        while j < n and pos[j] in _NP_OPENERS:
            if pos[j] == "ADV":
                # only degree adverbs before numerals ("rund 100 Soldaten")
                if not (j + 1 < n and pos[j + 1] == "CARD"):
                    break
                j += 1
                continue
            if pos[j] in DET_TAGS and not has_det:
                det_text = low[j]
                cases = _det_cases(lex, det_text)
                has_det = True
                if toks[j].lemma.lower() in lex.negation_determiners or det_text.startswith("kein"):
                    negated = True
            j += 1
        if has_det and j < n and pos[j] in PREP_TAGS:
            # "der von Russland unterstützten Regierung": a prepositional phrase inside the
            # noun phrase, before its participle adjective
            k = j + 1
            while k < n and k - j < 8 and pos[k] not in _NP_STOPS:
                if pos[k] == "ADJA" and k + 1 < n and pos[k + 1] in _ADJA_NN:
                    j = k
                    break
                k += 1
        while j < n:
            p = pos[j]
            if p in _ATTRIBUTIVE:
                j += 1
                continue
            if p not in _INSIDE_NP:
                break
            nxt = pos[j + 1] if j + 1 < n else ""
            if (
                # "einem gestern veröffentlichten Bericht", "der bereits erwähnten Resolution"
                (p in _ADV_ADJD and has_det and nxt == "ADJA")
                or (p == "ADJD" and nxt in _ADJA_NN_NE)
                or (p == "KON" and j > i and pos[j - 1] in _ADJ_LIKE and nxt in _ADJ_OR_NOUN)
                or (
                    p in OTHER_PUNCT
                    and toks[j].text in _INNER_QUOTES
                    and nxt in _ADJA_NN_NE
                    and j > i
                )
            ):
                j += 1
                continue
            break
        # the ending of an attributive adjective after "der"/"die" tells case and number: "der
        # italienischen Polizei" is dative or genitive, "der neue Präsident" nominative, "die
        # kleinen Parteien" plural, "die neue Regierung" singular
        adj_plural: bool | None = None
        if det_text == "der" or det_text == "die":
            adjective = ""
            for k in range(i, j):
                if pos[k] == "ADJA":
                    adjective = low[k]
                    break
            if det_text == "der" and adjective.endswith("en"):
                cases = cases - {"nom"}
            elif det_text == "der" and adjective.endswith("e"):
                cases = _NOM
            elif det_text == "die" and adjective.endswith("e"):
                adj_plural = False
            elif det_text == "die" and adjective.endswith("en"):
                # city adjectives in -er ("die Kasseler Richter") do not inflect
                adj_plural = True
        if j >= n or not noun[j]:
            # a determiner used alone ("beide", "alle") is a pronoun-like phrase
            if has_det and j > i and pos[j - 1] in _ALONE_DETS:
                return (i, j - 1, j - 1, cases, det_text in lex.plural_pronouns or None, negated)
            return None
        head = j
        j += 1
        # noun sequences: "Kremlchef Putin", "Präsident Wladimir Putin", "Nordkoreas Machthaber"
        entity_of = self.entity_of
        while j < n and noun[j]:
            if entity_of:
                a, b = entity_of.get(toks[j - 1].i), entity_of.get(toks[j].i)
                if a is not None and b is not None and a != b:
                    break
            # "Putin Nordkoreas Machthaber": a genitive name before a noun opens a new phrase
            if (
                pos[j - 1] == "NE"
                and pos[j] == "NE"
                and toks[j].text.endswith("s")
                and toks[j].lemma != toks[j].text
                and j + 1 < n
                and pos[j + 1] in _COMMON_NOUNS
            ):
                break
            head = j
            j += 1
        last = j - 1
        # in "Präsident Wladimir Putin" or "Einladung Kims" the common noun is the head
        if pos[last] in _COMMON_NOUNS:
            head = last
        else:
            for k in range(last - 1, i - 1, -1):
                if pos[k] in _COMMON_NOUNS:
                    head = k
                    break
        plural: bool | None = None
        head_tok = toks[head]
        head_pos = pos[head]
        low_head = low[head]
        if (
            det_text == "den"
            and head_pos == "NN"
            and low_head == head_tok.lemma.lower()
            and not low_head.endswith("n")
        ):
            # "den Befehl": a dative plural would end in -n ("den Befehlen")
            cases = _ACC
        if low_head in lex.plural_names or (low[i] in lex.plural_names and head_pos == "NE"):
            plural = True
        elif head_pos in _COMMON_NOUNS and has_det:
            # "der" as a nominative is masculine singular ("der Wählerwillen"); a plural noun
            # after it is a genitive, never a subject
            if det_text in _SINGULAR_DETS:
                plural = False
            elif low_head != head_tok.lemma.lower() and det_text in _PLURAL_DETS:
                plural = True if head_tok.text.endswith(_PLURAL_ENDINGS) else None
        elif head_pos == "NE" and not has_det:
            plural = False
        if adj_plural is not None and not (plural and low_head in lex.plural_names):
            plural = adj_plural
        return i, last, head, cases, plural, negated


_APPRART = {
    "zum": "zu",
    "zur": "zu",
    "im": "in",
    "ins": "in",
    "am": "an",
    "ans": "an",
    "vom": "von",
    "beim": "bei",
    "aufs": "auf",
    "fürs": "für",
    "durchs": "durch",
    "übers": "über",
    "unterm": "unter",
    "vorm": "vor",
    "hinterm": "hinter",
}


def _apprart_prep(form: str, lemma: str) -> str:
    return _APPRART.get(form, lemma)


# --- clause segmentation ------------------------------------------------------------------------


@dataclass(slots=True, init=False)
class _Segment:
    positions: list[int]  # indices into the sentence token list
    kind: ClauseKind
    introducer: str | None = None
    comma_after: bool = True
    aside: bool = False

    # (an __init__ of its own, as Argument's)
    def __init__(
        self,
        positions: list[int],
        kind: ClauseKind,
        introducer: str | None = None,
        comma_after: bool = True,
        aside: bool = False,
    ) -> None:
        self.positions = positions
        self.kind = kind
        self.introducer = introducer
        self.comma_after = comma_after
        self.aside = aside


def _finite_plural(tok: Token) -> bool | None:
    form = tok.text.lower()
    if form in {"sind", "seien", "tun", "wären"}:
        return True
    if form in {"ist", "sei", "hat", "wird", "war", "wäre", "tut"}:
        return False
    if form.endswith(("en", "ern", "eln")):
        return True
    if form.endswith(("t", "te", "e", "s", "ß")) or form in {
        "kann",
        "will",
        "soll",
        "muss",
        "darf",
        "mag",
        "weiß",
    }:
        return False
    return None


_OPEN_BRACKETS = frozenset({"(", "["})
_CLOSE_BRACKETS = frozenset({")", "]"})
_DASH_TAGS = frozenset({"$(", "$", "$.", "XY"})
_SKIPPED_OPENERS = frozenset({"KON", "$(", "$"})
_W_WORDS = frozenset({"PWAV", "PWS"})
_RELATIVE_AFTER_PREP = frozenset({"PRELS", "PRELAT", "PWS"})
_ZU_TAGS = frozenset({"VVIZU", "PTKZU"})
_ZU_INFINITIVES = frozenset({"VVINF", "VAINF"})
_VERB_FINAL_TAIL = frozenset({"$(", "$", "$.", "PTKVZ", "ADV", "PTKNEG"})
_RIGHT_BRACKET = NONFINITE | {"PTKVZ"}
_NOT_WORDS = OTHER_PUNCT | {"$."}
_VERB_OR_PARTICLE = VERB | {"PTKVZ"}
_AUX_MODAL_FINITE = frozenset({"VAFIN", "VMFIN"})


class _SentenceAnalyser:
    def __init__(self, lex: SyntaxLexicon, doc: Document, sent: int, entity_of: dict[int, str]):
        self.lex = lex
        self.doc = doc
        self.sent = sent
        #: the (mended) tokens and their tags: segmentation reads the tags from the list
        self.toks, self.pos, self.breaks, self.finites = _corrected(lex, doc, sent)
        self.entity_of = entity_of

    # segmentation: split at commas, dashes, colons; a segment that starts with a subordinator
    # or relative pronoun is an embedded clause; main-clause segments without a finite verb are
    # joined with the main-clause segment they continue.
    def segments(self) -> list[_Segment]:
        toks, pos = self.toks, self.pos
        n = len(toks)
        pieces: list[list[int]] = [[]]
        #: bracketed stretches are asides: their own pieces, and the clause around them goes on
        #: after the closing bracket ("ein Schiff mit Aktivisten (darunter keine Deutschen) ...")
        self.asides: set[int] = set()
        outer: list[list[int]] = []
        # after `_corrected` every bracket, dash and quotation mark has a "$" tag: the tokens in
        # between only go into the current piece, a run at a time
        plain_from = 0
        specials = self.breaks
        # (each break tag holds one "$"; any other "$" is in some other tag, which may start
        # with it)
        if "\x00".join(pos).count("$") != len(specials):
            specials = [k for k, p in enumerate(pos) if p[:1] == "$"]
        for k in specials:
            if plain_from < k:
                pieces[-1].extend(range(plain_from, k))
            plain_from = k + 1
            p = pos[k]
            text = toks[k].text
            if text in _OPEN_BRACKETS:
                outer.append(pieces[-1])
                pieces.append([])
                continue
            if text in _CLOSE_BRACKETS and outer:
                if pieces[-1]:
                    self.asides.add(pieces[-1][0])
                resumed = outer.pop()
                pieces.append(resumed if resumed and resumed is not pieces[-1] else [])
                continue
            if p == "$," or (p in _DASH_TAGS and text in DASHES):
                if pieces[-1]:
                    pieces.append([])
                continue
            if p == "$.":
                if k == n - 1:
                    continue
                if text == "." and k > 0 and _period_of_word(toks[k - 1], pos[k - 1]):
                    pieces[-1].append(k)  # "zum 1. Januar", "ca. 10 Euro" split by a treebank
                    continue
                if text not in DASHES:
                    if pieces[-1]:
                        pieces.append([])
                    continue
            pieces[-1].append(k)
        if plain_from < n:
            pieces[-1].extend(range(plain_from, n))
        if outer and pieces[-1]:
            self.asides.add(pieces[-1][0])
        # a resumed piece appears twice in the list; keep its first place only (positions are
        # appended in increasing order, so every piece is sorted)
        seen: set[int] = set()
        unique: list[list[int]] = []
        for piece in pieces:
            if piece and id(piece) not in seen:
                seen.add(id(piece))
                unique.append(piece)
        pieces = []
        has_zu = "PTKZU" in pos or "VVIZU" in pos
        if len(self.finites) < 2 and not has_zu:
            # no piece holds two finite verbs or a zu-infinitive: nothing to split
            pieces, unique = unique, []
        sentence_finites = self.finites
        for piece in unique:
            a, b = piece[0], piece[-1] + 1
            if b - a == len(piece):
                # a stretch of the sentence: its finite verbs from the sentence's sorted list
                lo = bisect.bisect_left(sentence_finites, a)
                hi = bisect.bisect_left(sentence_finites, b, lo)
                finites = [k - a for k in sentence_finites[lo:hi]]
            else:
                finites = [idx for idx, k in enumerate(piece) if pos[k] in FINITE]
            # most pieces hold at most one finite verb and no zu-infinitive: nothing to split
            if len(finites) == 1 or (not finites and not has_zu):
                pieces.append(piece)
                continue
            for part in self._split_unmarked(piece, finites):
                pieces.extend(self._split_coordination(part))
        segs: list[_Segment] = []
        for piece in pieces:
            seg = self._classify(piece)
            if (
                seg.kind == "inf"
                and segs
                and segs[-1].kind == "inf"
                and pos[piece[0]] == "KON"
                and seg.introducer is None
            ):
                # "um die Steuern zu senken und die Ausgaben anzuheben": the second infinitive
                # shares the first one's "um"
                seg.introducer = segs[-1].introducer
            # what separates this piece from the next: only a comma lets a verbless piece
            # continue into the next one; a dash or colon ends a dateline or a topic
            # ("Moskau – Russland hat ...", "Kreml: ...")
            nxt = piece[-1] + 1
            seg.comma_after = nxt < n and pos[nxt] == "$,"
            seg.aside = piece[0] in self.asides
            segs.append(seg)
        return self._join(segs)

    def _split_unmarked(self, piece: list[int], finites: list[int]) -> list[list[int]]:
        """Split at a subordinate clause that no comma marks off ("Ich hoffe ich muss nicht",
        "weil mir das Tauchen so gefiel hab ich dort ..."): before a subordinating conjunction or
        relative pronoun that follows a finite verb, and after the finite verb that closes such
        a verb-final clause when another finite verb follows. `finites` are the places of the
        piece's finite verbs."""
        if len(finites) < 2:
            return [piece]
        toks, pos = self.toks, self.pos
        last_finite = finites[-1]
        out: list[list[int]] = []
        current: list[int] = []
        seen_finite = False
        verb_final = False
        for idx, k in enumerate(piece):
            p = pos[k]
            later = idx < last_finite
            if (
                seen_finite
                and later
                and current
                and (
                    (p == "KOUS" and toks[k].text.lower() in self.lex.subordinators)
                    or (p == "PRELS" and pos[current[-1]] in NOUN_TAGS)
                )
            ):
                out.append(current)
                current, seen_finite, verb_final = [], False, True
            current.append(k)
            if p in FINITE:
                seen_finite = True
                nxt = pos[piece[idx + 1]] if idx + 1 < len(piece) else None
                if verb_final and later and (nxt is None or nxt not in VERB):
                    # the finite verb closes the verb-final clause; the main clause goes on
                    out.append(current)
                    current, seen_finite, verb_final = [], False, False
        if current:
            out.append(current)
        return out

    def _split_coordination(self, piece: list[int]) -> list[list[int]]:
        """Split "Putin lobte X und verwies auf Y" into two clauses at the "und" that precedes
        a second finite verb of a verb-second clause: the last such conjunction before it ("Wir
        hatten Spaziergänge und die Städte der Region sind sehenswert")."""
        toks, pos = self.toks, self.pos
        heads = {k for k in piece if pos[k] in FINITE}
        if not heads:
            # "die Steuern zu senken und die Ausgaben anzuheben": two zu-infinitives
            heads = {
                k
                for idx, k in enumerate(piece)
                if pos[k] == "VVIZU"
                or (pos[k] in _ZU_INFINITIVES and idx and pos[piece[idx - 1]] == "PTKZU")
            }
        if len(heads) < 2:
            return [piece]

        def joins(k: int) -> bool:
            return pos[k] == "KON" and toks[k].lemma.lower() in _CLAUSE_CONJUNCTIONS

        out: list[list[int]] = []
        current: list[int] = []
        seen_head = False
        for idx, k in enumerate(piece):
            if seen_head and current and joins(k):
                nxt = next((m for m in piece[idx + 1 :] if m in heads), None)
                split = nxt is not None and not any(
                    joins(m) or (pos[m] in NONFINITE and m not in heads)
                    for m in piece[idx + 1 :]
                    if m < nxt
                )
            else:
                split = False
            if split:
                out.append(current)
                current = [k]
                seen_head = False
                continue
            current.append(k)
            if k in heads:
                seen_head = True
        if current:
            out.append(current)
        return out

    def _classify(self, piece: list[int]) -> _Segment:
        toks, pos = self.toks, self.pos
        lex = self.lex
        k0 = 0
        # skip leading conjunctions and quotation marks
        while k0 < len(piece) and pos[piece[k0]] in _SKIPPED_OPENERS:
            k0 += 1
        if k0 >= len(piece):
            return _Segment(piece, "main")
        first = pos[piece[k0]]
        low = toks[piece[k0]].text.lower()
        a, b = piece[0], piece[-1] + 1
        tags = pos[a:b] if b - a == len(piece) else [pos[k] for k in piece]
        has_finite = not FINITE.isdisjoint(tags)
        if first == "KOUS" or (first in _W_WORDS and low in lex.subordinators):
            # "als" + noun phrase without a verb-final finite verb is a comparison, not a clause
            if has_finite and self._verb_final(piece):
                return _Segment(piece, "sub", low)
            if not has_finite and not NONFINITE.isdisjoint(tags):
                return _Segment(piece, "sub", low)
        if first == "KOUI" and low in lex.infinitival:
            return _Segment(piece, "inf", low)
        if first == "PRELS" or (
            first in PREP_TAGS
            and k0 + 1 < len(piece)
            and pos[piece[k0 + 1]] in _RELATIVE_AFTER_PREP
            and self._verb_final(piece)
        ):
            return _Segment(piece, "rel", low)
        if first == "PRELAT" or (first == "PWAV" and self._verb_final(piece)):
            return _Segment(piece, "rel" if first == "PRELAT" else "sub", low)
        if not has_finite and not _ZU_TAGS.isdisjoint(tags):
            return _Segment(piece, "inf", None)
        return _Segment(piece, "main")

    def _verb_final(self, piece: list[int]) -> bool:
        pos = self.pos
        verbs = [p for p, k in enumerate(piece) if pos[k] in VERB]
        if not verbs:
            return False
        finites = [p for p in verbs if pos[piece[p]] in FINITE]
        if finites and finites[-1] != verbs[-1] and pos[piece[verbs[-1]]] != "VMINF":
            # "als ständiges Mitglied müsse es sich verhalten": the finite verb comes before the
            # infinitive, so this is a verb-second clause, not a verb-final one ("dass er hat
            # kommen müssen": a finite auxiliary before a cluster that ends in a modal infinitive
            # is verb-final)
            return False
        return _VERB_FINAL_TAIL.issuperset([pos[k] for k in piece[verbs[-1] + 1 :]]) or (
            verbs[-1] >= len(piece) - 3
        )

    def _verb_first(self, seg: _Segment) -> bool:
        """The segment opens with its finite verb (after quotation marks): "sagte Putin"."""
        pos = self.pos
        for k in seg.positions:
            p = pos[k]
            if p in OTHER_PUNCT:
                continue
            return p in FINITE
        return False

    def _resumed_main(self, seg: _Segment, out: list[_Segment]) -> _Segment | None:
        """The main clause a piece made only of a verb's right bracket ("entlassen", "ab",
        "abgelehnt worden") continues: the latest main clause with a finite verb whose
        complement is still open (an auxiliary or modal without its infinitive or participle, a
        full verb for a particle)."""
        if seg.kind != "main":
            return None
        pos = self.pos
        has_words = False
        particle_only = True
        for k in seg.positions:
            p = pos[k]
            if p in _NOT_WORDS:
                continue
            if p not in _RIGHT_BRACKET:
                return None
            has_words = True
            if p != "PTKVZ":
                particle_only = False
        if not has_words:
            return None
        for prev in reversed(out):
            if prev.kind != "main":
                continue
            verbs = [pos[k] for k in prev.positions if pos[k] in _VERB_OR_PARTICLE]
            if not verbs or verbs[0] not in FINITE or len(verbs) > 1:
                return None
            if particle_only:
                return prev if verbs[0] == "VVFIN" else None
            return prev if verbs[0] in _AUX_MODAL_FINITE else None
        return None

    def _joined(self, first: list[int], second: list[int]) -> list[int]:
        """Two pieces of one clause, with the comma between them kept when they are adjacent,
        so that "Max Straubinger, Heinrich Kolb und Peter Danckert hatten ..." stays one
        coordinated phrase."""
        # the comma right before the second piece (after an aside in brackets, too), unless
        # the piece opens with a conjunction ("Putin, der ..., und Lukaschenko trafen sich")
        comma = second[0] - 1 if second else -1
        if first and first[-1] < comma and self.pos[comma] == "$," and self.pos[second[0]] != "KON":
            return [*first, comma, *second]
        return first + second

    def _has_verb(self, seg: _Segment) -> bool:
        return not VERB.isdisjoint(map(self.pos.__getitem__, seg.positions))

    def _join(self, segs: list[_Segment]) -> list[_Segment]:
        """A main-clause piece without a verb continues the main clause around an interruption
        ("In Sotschi, wo er Lukaschenko traf, verteidigte Putin ...")."""
        out: list[_Segment] = []
        pending: _Segment | None = None
        #: how many segments were out when the pending piece began
        pending_at = 0
        for seg in segs:
            has_verb = self._has_verb(seg)
            if seg.aside and not has_verb:
                out.append(seg)  # "(darunter keine Deutschen)"
                continue
            resumed = self._resumed_main(seg, out)
            if resumed is not None:
                # "Jelzin hat die Chefin der Zentralbank, Tatjana Paramonowa, entlassen": the
                # verb's right bracket after an apposition or a relative clause closes the main
                # clause it belongs to
                if pending is not None:
                    resumed.positions.extend(pending.positions)
                    pending = None
                resumed.positions.extend(seg.positions)
                continue
            if seg.kind == "main" and not has_verb:
                if not seg.comma_after and pending is None and not out:
                    out.append(seg)  # a dateline or topic before a dash or colon
                    continue
                if pending is not None:
                    pending.positions = self._joined(pending.positions, seg.positions)
                else:
                    pending, pending_at = seg, len(out)
                continue
            if seg.kind == "main" and pending is not None:
                previous = out[-1] if out else None
                if (
                    len(out) == pending_at
                    and previous is not None
                    and previous.kind == "main"
                    and self._verb_first(seg)
                    and self._has_verb(previous)
                ):
                    # "Sie braucht Klarheit, auch personelle Klarheit, sagt er": a verbless piece
                    # between two main clauses is no Vorfeld of a verb-first one (a speech frame,
                    # a condition); it trails the clause before it
                    previous.positions.extend(pending.positions)
                else:
                    seg.positions = self._joined(pending.positions, seg.positions)
                pending = None
            out.append(seg)
        if pending is not None:
            # verbless remainder: attach to the last main clause, or keep as a fragment
            mains = [s for s in out if s.kind == "main"]
            if (
                mains
                and out[-1] is mains[-1]
                and mains[-1].comma_after
                and self._has_verb(mains[-1])
            ):
                mains[-1].positions.extend(pending.positions)
            else:
                out.append(pending)
        return out


def _period_of_word(before: Token, tag: str) -> bool:
    """A period inside a sentence that belongs to the word before it (`tag` is its tag): an
    ordinal number or a short lower-case abbreviation."""
    text = before.text
    return (tag == "CARD" and text.isdigit()) or (
        text.isalpha() and text.islower() and len(text) <= 3
    )


_FINAL_MARKS = frozenset({".", "!", "?"})
_AUX_PREFIXES = frozenset({"VA", "VM"})
_PARTICLE_MISTAGS = frozenset({"ART", "APPR", "ADV", "ADJD", "PTKZU"})
_AFTER_PARTICLE = CLAUSE_BREAK | {"$", "KON"}
_PAST_ENDINGS = ("te", "ten")
_SUBORDINATE_OPENERS = frozenset({"KOUS", "PWS", "PWAV", "KOUI"})
#: frequent tags that no rule of `_corrected` looks at (no verb, break, particle or adjective
#: tag): such a token only ends the segment start
_QUIET_TAGS = frozenset(
    {
        "NN",
        "NE",
        "NNA",
        "NNI",
        "CARD",
        "APPRART",
        "APPO",
        "APZR",
        "KON",
        "KOUS",
        "KOUI",
        "KOKOM",
        "FM",
        "XY",
        "TRUNC",
        "PPER",
        "PRF",
        "PIS",
        "PDS",
        "PWS",
        "PRELS",
        "PRELAT",
        "PIAT",
        "PPOSAT",
        "PDAT",
        "PWAT",
        "PROAV",
        "PWAV",
        "PTKNEG",
        "PTKA",
        "PTKANT",
        "PTKVZ",
    }
)


def _corrected(
    lex: SyntaxLexicon, doc: Document, sent: int
) -> tuple[list[Token], list[str], list[int], list[int]]:
    """The sentence's tokens and their tags, with two frequent tagger errors mended on copies:
    a speech verb right after a comma tagged as an adjective (", betonten Teilnehmer") and a
    finite verb in -t tagged as a participle where no auxiliary is in reach ("Die Regierung
    befürchtet, dass"). Also the positions of the clause breaks and of the finite verbs, which
    segmentation needs, collected in the same pass."""
    toks = doc.sentence_tokens(sent)
    breaks: list[int] = []
    finites: list[int] = []
    if not toks:
        return toks, [], breaks, finites
    #: the tagger's tags, which the look-ahead reads; `pos` gets the mended ones (a copy once
    #: one is mended)
    tags = [t.pos for t in toks]
    pos = tags
    n = len(toks)
    sentence_final = tags[-1] == "$." and toks[-1].text in _FINAL_MARKS
    # quotation marks and dashes tagged as foreign material or nouns ("„/FM"); only tokens
    # whose first character is no letter or digit can be one
    for k in [k for k, t in enumerate(toks) if not t.text[:1].isalnum()]:
        if not pos[k].startswith("$") and not any(c.isalnum() for c in toks[k].text):
            if pos is tags:
                pos = tags.copy()
            pos[k] = "$("
            toks[k] = replace(toks[k], pos="$(")
    segment_start = True
    segment_has_aux = False
    segment_finite_full = False
    # (a mended tag goes to token `k` only, so the loop may go on over the list it began with
    # when `pos` becomes a copy)
    for k, p in enumerate(pos):
        if p in _QUIET_TAGS:
            segment_start = False
            continue
        if p in CLAUSE_BREAK:
            breaks.append(k)
            segment_start = True
            segment_has_aux = False
            segment_finite_full = False
            continue
        # the rules below look at verbs, at the first word of a segment and at particles after
        # a full finite verb; every other token only ends the segment start
        if p[:1] == "V":
            if p == "VVFIN":
                segment_has_aux = segment_finite_full = True
                finites.append(k)
            elif p[:2] in _AUX_PREFIXES:
                segment_has_aux = True
                if p in FINITE:
                    finites.append(k)
            elif p == "VVIMP":
                finites.append(k)
            elif (
                p == "VVPP"
                and sentence_final
                and not segment_has_aux
                and toks[k].text.endswith("t")
                and k + 2 < n
                and tags[k + 1] == "$,"
                and tags[k + 2] in _SUBORDINATE_OPENERS
            ):
                if pos is tags:
                    pos = tags.copy()
                pos[k] = "VVFIN"
                toks[k] = replace(toks[k], pos="VVFIN")
                finites.append(k)
        elif segment_finite_full and p in _PARTICLE_MISTAGS:
            if toks[k].text.lower() in _PARTICLES and (
                k + 1 == n or tags[k + 1] in _AFTER_PARTICLE
            ):
                # "räumte ein Problem ... ein." the clause-final particle of a separable verb
                if pos is tags:
                    pos = tags.copy()
                pos[k] = "PTKVZ"
                toks[k] = replace(toks[k], pos="PTKVZ")
        elif (
            segment_start
            and p == "ADJA"
            and k > 0
            and toks[k].text.lower().endswith(_PAST_ENDINGS)
            and _verb_from_participle(toks[k].lemma) in lex.speech_verbs
        ):
            if pos is tags:
                pos = tags.copy()
            pos[k] = "VVFIN"
            toks[k] = replace(toks[k], pos="VVFIN", lemma=_verb_from_participle(toks[k].lemma))
            finites.append(k)
        segment_start = False
    return toks, pos, breaks, finites


def _verb_from_participle(lemma: str) -> str:
    low = lemma.lower()
    if low.endswith("t"):
        return low[:-1] + "en"
    return low


def analyze_sentence(
    doc: Document,
    sent: int,
    lex: SyntaxLexicon | None = None,
    entity_of: dict[int, str] | None = None,
    first_index: int = 0,
) -> list[Clause]:
    """The clauses of sentence `sent`, in text order of their first tokens."""
    lex = lex or lexicon(doc.meta.language or "de")
    if entity_of is None:
        entity_of = _entity_index(doc)
    analyser = _SentenceAnalyser(lex, doc, sent, entity_of)
    toks = analyser.toks
    if not toks:
        return []
    pos = analyser.pos
    low = [t.text.lower() for t in toks]
    ids = [t.i for t in toks]
    clauses: list[Clause] = []
    for seg in analyser.segments():
        clause = _build_clause(
            lex, doc, sent, toks, seg, entity_of, first_index + len(clauses), pos, low, ids
        )
        clauses.append(clause)
    _link(lex, doc, clauses)
    return clauses


def analyze(
    doc: Document, language: str | None = None, sentences: Iterable[int] | None = None
) -> list[Clause]:
    """The clauses of every sentence of `doc` (or of the given sentence indices), which needs
    tokens with STTS tags and lemmas."""
    lex = lexicon(language or doc.meta.language or "de")
    entity_of = _entity_index(doc)
    clauses: list[Clause] = []
    indices = range(len(doc.sentences)) if sentences is None else sentences
    for sent in indices:
        clauses.extend(analyze_sentence(doc, sent, lex, entity_of, len(clauses)))
    return clauses


_START = attrgetter("start")


def _entity_index(doc: Document) -> dict[int, str]:
    """token index -> the actor (or, without an actor mention, the entity) covering it, to keep
    adjacent names apart ("Putin USA" in a headline) but not two names of one actor
    ("das UN-Kinderhilfswerk UNICEF")."""
    if not doc.mentions and not doc.entities:
        return {}
    out: dict[int, str] = {}
    # entities first, then mentions, so that an actor mention wins where both cover a token
    spans = [(e.start, e.end, f"e:{e.actor or n}") for n, e in enumerate(doc.entities)]
    spans += [(m.start, m.end, f"a:{m.actor}") for m in doc.mentions]
    for start, end, key in spans:
        i = bisect.bisect_left(doc.tokens, start, key=_START)
        while i < len(doc.tokens) and doc.tokens[i].end <= end:
            out[i] = key
            i += 1
    return out


_VERB_FINAL_KINDS = frozenset({"sub", "rel"})
_INFINITIVES = frozenset({"VVINF", "VAINF", "VMINF"})
_PERFECT_AUX = frozenset({"haben", "sein"})
_PRESENT_FORMS = frozenset({"ist", "hat", "wird", "sei", "habe", "werde"})
_PAST_FORMS = ("te", "ten", "tet")
_NEGATING_ADVERB_TAGS = frozenset({"ADV", "ADJD"})
_NEGATED_ROLES = frozenset({"subj", "obj", "dat"})
#: the tags `_build_clause` collects (the negation tags and the rest are disjoint)
_MARKED_TAGS = VERB | {"PTKVZ", "PRF"} | _NEGATION_TAGS


def _build_clause(
    lex: SyntaxLexicon,
    doc: Document,
    sent: int,
    stoks: list[Token],
    seg: _Segment,
    entity_of: dict[int, str],
    index: int,
    stags: list[str] | None = None,
    slow: list[str] | None = None,
    sids: list[int] | None = None,
) -> Clause:
    """The clause of one segment; `stags`, `slow` and `sids` are the tags, lower-case forms
    and document indices of the sentence's tokens `stoks`."""
    positions = seg.positions = sorted(set(seg.positions))
    # the clause's tags and lower-case forms, read once: the rules below look at them often
    if stags is None or slow is None or sids is None:
        toks = [stoks[k] for k in positions]
        pos = [t.pos for t in toks]
        low = [t.text.lower() for t in toks]
        ids = [t.i for t in toks]
    elif positions[-1] - positions[0] + 1 == len(positions):
        # most clauses are one stretch of the sentence: slices
        a, b = positions[0], positions[-1] + 1
        toks, pos, low, ids = stoks[a:b], stags[a:b], slow[a:b], sids[a:b]
    else:
        toks = [stoks[k] for k in positions]
        pos = [stags[k] for k in positions]
        low = [slow[k] for k in positions]
        ids = [sids[k] for k in positions]
    # (positional arguments: keywords make a dataclass's __init__ much slower)
    clause = Clause(
        index,
        sent,  # sentence
        seg.kind,
        ids,  # tokens
        toks[0].start,
        toks[-1].end,
        seg.introducer,
    )
    # verb complex
    finite_pos: list[int] = []
    nonfinite_pos: list[int] = []
    particle_pos: list[int] = []
    # (one pass for the verbs, the reflexive, the words that may negate and the predicatives)
    reflexive = False
    negators: list[int] = []
    predicates: list[int] = []
    for p, tag in enumerate(pos):
        if tag in _MARKED_TAGS:
            if tag in FINITE:
                finite_pos.append(p)
            elif tag in NONFINITE:
                nonfinite_pos.append(p)
            elif tag == "PTKVZ":
                particle_pos.append(p)
            elif tag == "PRF":
                reflexive = True
            else:
                negators.append(p)
                if tag == "ADJD":
                    predicates.append(ids[p])
    fin: int | None = None
    if finite_pos:
        # in verb-final clauses the finite verb is the last verb; in verb-second the first
        fin = finite_pos[-1] if seg.kind in _VERB_FINAL_KINDS else finite_pos[0]
    # else, with a participle in a main clause: headline style or a mis-tagged finite verb
    # ("Die Regierung befürchtet, dass"): a lone participle with no auxiliary acts as the
    # finite verb (no finite position)
    clause.finite = ids[fin] if fin is not None else None
    verbs = finite_pos + nonfinite_pos
    clause.verbs = sorted([ids[p] for p in verbs + particle_pos])
    fin_tok = toks[fin] if fin is not None else None
    clause.mood = fin_tok.morph.get("Mood", "ind") if fin_tok is not None else "ind"
    # lexical verb: a full-verb participle/infinitive, else the finite verb
    main_pos: int | None = None
    lex_nonfinite = [p for p in nonfinite_pos if pos[p].startswith("VV")]
    if lex_nonfinite:
        # in a verb cluster "angegriffen haben soll" the first full verb is the lexical one
        main_pos = lex_nonfinite[0]
    elif fin is not None and pos[fin] == "VVFIN":
        main_pos = fin
    elif nonfinite_pos:
        main_pos = nonfinite_pos[0]
    elif fin is not None:
        main_pos = fin
    if main_pos is not None:
        main_tok = toks[main_pos]
        clause.main_verb = main_tok.i
        lemma = main_tok.lemma.lower()
        if pos[main_pos] in {"VVFIN", "VVIMP"} and particle_pos:
            lemma = low[particle_pos[-1]] + lemma
        clause.lemma = lemma
    aux_pos = sorted([p for p in verbs if pos[p][:2] == "VA"])
    aux = {toks[p].lemma.lower() for p in aux_pos}
    if aux_pos:
        clause.auxiliaries = tuple([toks[p].lemma.lower() for p in aux_pos if p != main_pos])
    has_pp = False
    has_inf = False
    for p in nonfinite_pos:
        if pos[p] == "VVPP":
            has_pp = True
        elif pos[p] in _INFINITIVES:
            has_inf = True
    modal_pos = [p for p in verbs if pos[p].startswith("VM")]
    if modal_pos:
        clause.modal = toks[modal_pos[0]].lemma.lower()
        clause.modal_perfect = has_pp and not aux.isdisjoint(_PERFECT_AUX)
    # "würde verstoßen": a participle spelled like its infinitive after Konjunktiv II "würde" is
    # the infinitive (future-in-the-past), not a passive
    if (
        fin is not None
        and low[fin].startswith("würde")
        and not any(toks[p].lemma.lower() == "werden" for p in nonfinite_pos)
        and all(low[p] == toks[p].lemma.lower() for p in nonfinite_pos if pos[p] == "VVPP")
    ):
        has_pp, has_inf = False, True
    if "werden" in aux and has_pp:
        clause.voice = "passive"
    elif has_pp and fin is None and seg.kind == "main" and not _headline_active(toks):
        # headline participle: "Keine Abkommen unterzeichnet" -> passive reading
        clause.voice = "passive"
    if (
        "werden" in aux
        and not has_pp
        and has_inf
        and fin_tok is not None
        and (fin_tok.lemma.lower() == "werden")
    ):
        clause.tense = "future"
    elif has_pp and not aux.isdisjoint(_PERFECT_AUX):
        clause.tense = "perfect"
    elif (
        fin is not None
        and fin_tok is not None
        and low[fin] != fin_tok.lemma.lower()
        and (
            low[fin].endswith(_PAST_FORMS)
            or (fin_tok.text[-1:] != "n" and low[fin] not in _PRESENT_FORMS)
        )
    ):
        clause.tense = "past"
    # reflexive
    clause.reflexive = reflexive
    # negation
    for p in negators:
        tag = pos[p]
        word = low[p]
        if (tag == "PTKNEG" or word in lex.negation_particles) and not (
            p + 1 < len(toks) and low[p + 1] in lex.negation_breakers
        ):
            clause.negated = True
            clause.negation = ids[p]
            break
        if tag in _NEGATING_ADVERB_TAGS and word in lex.negation_adverbs:
            clause.negated = True
            clause.negation = ids[p]
            break
        if word == "weder":
            clause.negated = True
            clause.negation = ids[p]
            break
    # arguments
    chunker = _Chunker(lex, toks, entity_of, pos, low)
    phrases = chunker.phrases()
    if clause.voice == "passive" and _future_not_passive(toks, phrases, nonfinite_pos):
        clause.voice, clause.tense = "active", "future"
    _assign_roles(lex, clause, toks, phrases, fin, seg, pos, low)
    # predicative adjectives ("besorgt", "einig")
    clause.predicates = predicates
    if not clause.verbs and clause.predicates and seg.kind == "main" and clause.subject:
        # a verbless headline with a predicative adjective has an elided copula:
        # "USA zu direkten Gesprächen mit dem Iran bereit"
        clause.lemma = "sein"
    if not clause.negated:
        for arg in [clause.subject, *clause.objects]:
            if arg is not None and arg.negated and arg.role in _NEGATED_ROLES:
                clause.negated = True
                break
    return clause


def _future_not_passive(toks: list[Token], phrases: list[_Phrase], nonfinite: list[int]) -> bool:
    """ "Bald werden wir den Befehl erhalten": a participle spelled like its infinitive
    ("erhalten", "bekommen", "verlassen") after "werden" is the infinitive of a future when the
    clause has an unambiguous accusative object, which a passive cannot have."""
    participles = [p for p in nonfinite if toks[p].pos == "VVPP"]
    if not participles or any(toks[p].text.lower() != toks[p].lemma.lower() for p in participles):
        return False
    if any(toks[p].lemma.lower() == "werden" and toks[p].pos == "VAPP" for p in nonfinite):
        return False
    return any(
        ph.kind == "np" and ph.cases == frozenset({"acc"}) and not ph.reflexive for ph in phrases
    )


def _headline_active(toks: list[Token]) -> bool:
    """ "Putin unterzeichnet Gesetz": a participle-looking form in -t between two noun phrases is
    a present-tense finite verb, not a headline passive."""
    for p, tok in enumerate(toks):
        if tok.pos == "VVPP":
            before = any(t.pos in NOUN_TAGS or t.pos == "PPER" for t in toks[:p])
            after = any(t.pos in NOUN_TAGS for t in toks[p + 1 :])
            return before and after and tok.text.endswith("t") and toks[0].pos not in PREP_TAGS
    return False


#: prepositions whose phrase right behind an argument is taken as its attribute (`ext_end`)
_ATTRIBUTE_PREPS = frozenset(
    {"zwischen", "mit", "von", "gegen", "auf", "in", "aus", "für", "über", "zu", "an", "bei"}
)


def _make_arg(
    role: Role, toks: list[Token], phrases: list[_Phrase], idx: int, prep: str | None = None
) -> Argument:
    ph = phrases[idx]
    first = ph.np_first if ph.kind == "pp" else ph.first
    # extend over genitive attributes already merged into `last`, then over following
    # prepositional attributes that sit directly behind it
    last = ph.last
    ext_last = last
    n = len(phrases)
    k = idx + 1
    while k < n and phrases[k].genitive_of is not None:
        k += 1
    while (
        k < n
        and phrases[k].kind == "pp"
        and phrases[k].first == ext_last + 1
        and phrases[k].prep in _ATTRIBUTE_PREPS
    ):
        ext_last = phrases[k].last
        k += 1
    head_tok = toks[ph.head]
    first_tok = toks[first]
    last_tok = toks[last]
    ext_tok = toks[ext_last]
    # (positional arguments, in the order of the fields: keywords make a dataclass's __init__
    # much slower)
    return Argument(
        role,
        first_tok.i,  # token_start
        last_tok.i + 1,  # token_end
        first_tok.start,  # start
        last_tok.end,  # end
        first_tok.text if first == last else _span_text(toks[first : last + 1]),  # text
        head_tok.i,  # head
        prep if prep is not None else ph.prep,  # prep
        ph.cases,
        ph.plural,
        ph.negated,
        ph.pronoun,
        ph.reflexive,
        ext_tok.end,  # ext_end
        ext_tok.i + 1,  # ext_token_end
        list(ph.conjuncts),  # conjuncts
        None,  # antecedent
        None,  # antecedent_head
        head_tok.lemma,  # head_lemma
    )


_GAP_TAGS = frozenset({"$(", "$", "ADV"})
_ELIDED_GAP_TAGS = frozenset({"KON", "$(", "$", "ADV"})
_W_OR_RELATIVE = frozenset({"PWS", "PRELS"})
_PREDICATIVE_VERBS = frozenset({"sein", "werden", "bleiben", "heißen"})
_NO_REFLEXIVES: frozenset[str] = frozenset()
_DAT = frozenset({"dat"})


def _assign_roles(
    lex: SyntaxLexicon,
    clause: Clause,
    toks: list[Token],
    phrases: list[_Phrase],
    fin: int | None,
    seg: _Segment,
    pos: list[str] | None = None,
    low: list[str] | None = None,
) -> None:
    """Subject and objects of the clause from its phrases; `pos` and `low` are the tags and
    lower-case forms of `toks`."""
    if pos is None:
        pos = [t.pos for t in toks]
    if low is None:
        low = [t.text.lower() for t in toks]
    fin_tok = toks[fin] if fin is not None else None
    verb_plural = _finite_plural(fin_tok) if fin_tok is not None else None
    temporal: set[int] = set()
    nps: list[int] = []
    # the Vorfeld: everything before the finite verb of a verb-second clause
    before: list[int] = []
    after: list[int] = []
    for k, ph in enumerate(phrases):
        if ph.kind != "np":
            continue
        if toks[ph.head].lemma.lower() in lex.temporal_nouns and not _definite_time(toks, ph):
            temporal.add(k)
        elif ph.genitive_of is None and not ph.reflexive:
            nps.append(k)
            if fin is not None and ph.last < fin:
                before.append(k)
            else:
                after.append(k)
    kind = seg.kind
    clause.verb_first = (
        kind == "main" and fin is not None and pos[0] != "KON" and _GAP_TAGS.issuperset(pos[:fin])
    )
    # "X lobte Y und verwies auf Z": the second verb's subject is left out
    elided = (
        kind == "main"
        and fin is not None
        and fin > 0
        and pos[0] == "KON"
        and _ELIDED_GAP_TAGS.issuperset(pos[:fin])
    )

    def nominative(k: int) -> bool:
        ph = phrases[k]
        if "nom" not in ph.cases:
            return False
        # a noun phrase whose number is known must agree with the finite verb
        return verb_plural is None or ph.plural is None or ph.plural == verb_plural

    subject: int | None = None
    if elided:
        clause.elided_subject = True
    elif kind == "rel":
        rel = next((k for k in nps if pos[phrases[k].first] == "PRELS"), None)
        others = [k for k in nps if k != rel and nominative(k)]
        strong = [k for k in others if phrases[k].cases == _NOM]
        if rel is not None and nominative(rel) and not strong:
            subject = rel
        elif others:
            subject = others[0]
    elif kind == "sub" or kind == "inf":
        cands = [k for k in nps if nominative(k)] if kind == "sub" else []
        if cands and pos[phrases[cands[0]].first] in _W_OR_RELATIVE:
            # "was wir wollten": an unambiguous nominative wins over the case-ambiguous w-word
            strong = [k for k in cands[1:] if phrases[k].cases == _NOM]
            if strong and phrases[cands[0]].cases != _NOM:
                cands = strong
        subject = cands[0] if cands else None
    else:
        vorfeld = [k for k in before if nominative(k)]
        unagreeing = [k for k in before if "nom" in phrases[k].cases]
        if len(unagreeing) > 1 and verb_plural:
            # "Die Alliance ..., aber auch andere Organisationen hatten aufgerufen": several
            # phrases before a plural verb are one constituent, a coordination the chunker
            # missed; its first phrase stands for it whatever its own number
            vorfeld = unagreeing
        if vorfeld:
            # more than one phrase before the verb means a chunking slip or a headline; the
            # first nominative-capable one outside prepositional phrases is the subject
            subject = vorfeld[0]
            # an unambiguous nominative after the verb wins over a case-ambiguous Vorfeld
            # ("Das hatte ich gehofft", "Den Vorschlag lehnte der Minister ab")
            # (not after a copula, where both are nominatives: "Rabin war der erste ...")
            if phrases[subject].cases != _NOM and clause.lemma not in _COPULA_LEMMAS:
                strong_after = [k for k in after if phrases[k].cases == _NOM and nominative(k)]
                if strong_after:
                    subject = strong_after[0]
        else:
            cands = [k for k in after if nominative(k)]
            # "es" as a placeholder ("Es seien keine Abkommen unterzeichnet worden")
            subject = cands[0] if cands else None
    if subject is not None:
        arg = _make_arg("subj", toks, phrases, subject)
        clause.subject = arg
        if pos[phrases[subject].first] == "PRELS":
            arg.antecedent = None  # filled by _link
        # "wir trafen uns", "ich freue mich": a first or second person object pronoun of the
        # subject's person is reflexive, as "sich" is in the third person
        own = lex.reflexives.get(low[phrases[subject].head], _NO_REFLEXIVES)
        if own:
            for ph in phrases:
                if ph.kind == "np" and ph.pronoun and low[ph.head] in own:
                    ph.reflexive = clause.reflexive = True
    objects = clause.objects
    for k, ph in enumerate(phrases):
        if k == subject or ph.reflexive or k in temporal:
            continue
        if ph.genitive_of is not None:
            continue
        if ph.kind == "pp":
            role: Role = "pobj"
            if (
                clause.voice == "passive"
                and ph.prep in lex.agent_prepositions
                and not _noun_attribute(toks, phrases, k, lex)
            ):
                role = "agent"
            objects.append(_make_arg(role, toks, phrases, k))
            continue
        cases = ph.cases
        if cases == _DAT:
            role = "dat"
        elif cases == _GEN:
            role = "gen"
        elif "acc" in cases or "dat" in cases:
            role = "obj"
        elif "nom" in cases and clause.lemma in _PREDICATIVE_VERBS:
            role = "pred"
        else:
            role = "obj"
        objects.append(_make_arg(role, toks, phrases, k))


def _definite_time(toks: list[Token], ph: _Phrase) -> bool:
    """ "Die Zeit drängt", "das Jahr 2023 begann": a time noun with a definite article is a
    participant; "den ganzen Tag", "jede Woche", "vergangenen Montag" are adverbials."""
    if toks[ph.first].text.lower() not in {"der", "die", "das"}:
        return False
    return not any(toks[k].lemma.lower() == "ganz" for k in range(ph.first, ph.head))


def _noun_attribute(toks: list[Token], phrases: list[_Phrase], k: int, lex: SyntaxLexicon) -> bool:
    """A "von" phrase right behind a common noun belongs to it ("während des Besuchs von Papst
    Franziskus wurden Dissidenten festgenommen"), not to the passive verb."""
    if k == 0 or phrases[k - 1].last != phrases[k].first - 1:
        return False
    head = toks[phrases[k - 1].head]
    return head.pos in {"NN", "NNA", "NNI"} and head.lemma.lower() not in lex.temporal_nouns


def _span_text(toks: Iterable[Token]) -> str:
    """The tokens' text, one space where the text has any space between two of them."""
    parts = []
    prev_end = None
    for t in toks:
        if prev_end is not None and t.start > prev_end:
            parts.append(" ")
        parts.append(t.text)
        prev_end = t.end
    return "".join(parts)


def _link(lex: SyntaxLexicon, doc: Document, clauses: list[Clause]) -> None:
    """Parent clauses and what the embedding makes of the content."""
    for pos, clause in enumerate(clauses):
        if clause.elided_subject and clause.subject is None:
            for prev in reversed(clauses[:pos]):
                if prev.kind == clause.kind and prev.subject is not None:
                    clause.subject = replace(prev.subject)
                    break
        parent: Clause | None = None
        if clause.kind in {"sub", "rel", "inf"}:
            # the nearest preceding clause that is not embedded deeper; a sentence-initial
            # subordinate clause ("Wenn X, ...") belongs to the following main clause
            for prev in reversed(clauses[:pos]):
                if (
                    prev.kind == "main"
                    or clause.kind == "rel"
                    or (clause.kind == "inf" and prev.kind in {"sub", "rel"})
                ):
                    parent = prev
                    break
            if parent is None:
                parent = next((c for c in clauses[pos + 1 :] if c.kind == "main"), None)
        elif clause.kind == "main" and pos > 0:
            prev = clauses[pos - 1]
            # "..., sollte die UNO einen Beschluss fassen": a verb-first conditional clause
            if clause.verb_first and _conditional_v1(doc, clause):
                parent = prev if prev.kind == "main" else None
                if parent is not None:
                    clause.parent = parent.index
                    clause.embedding = "condition"
                continue
            # "X, sagte Y": a verb-first speech clause after the content
            if clause.verb_first and _speech_like(lex, clause):
                for earlier in clauses[:pos]:
                    if earlier.parent is None and earlier.kind == "main":
                        earlier.parent = clause.index
                        earlier.embedding = _embedding_of(lex, doc, clause, earlier)
            # "Y sagte, X sei ...": a Konjunktiv clause after a speech clause
            elif (
                prev.kind == "main"
                and _speech_like(lex, prev)
                and clause.mood
                in {
                    "subj1",
                    "subj2",
                }
            ):
                parent = prev
        if parent is not None and parent.index != clause.index:
            clause.parent = parent.index
            clause.embedding = _embedding_of(lex, doc, parent, clause)
        if clause.kind == "rel" and clause.subject is not None and parent is not None:
            _resolve_relative(doc, clause, parent)
        if clause.kind == "inf" and clause.subject is None and parent is not None:
            clause.controller = _controller(lex, doc, clause, parent)


def _controller(
    lex: SyntaxLexicon, doc: Document, clause: Clause, parent: Clause
) -> Argument | None:
    """Who does what an infinitival clause says: the parent's subject ("X versuchte, ... zu
    verhandeln"), its object after verbs of asking, forcing and allowing ("forderte Lafontaine
    auf, ... aufzutreten", "wirft dem Iran vor, ... zu bauen"), the subject of a passive parent
    ("wurden aufgerufen, ... zu wählen"); none after a copula ("Ziel ist es, ... zu senken") or
    a noun ("der beste Zeitpunkt, ... zu verbessern")."""
    if clause.introducer is not None:
        # "um/ohne/statt ... zu": the parent's subject
        return parent.subject
    if parent.lemma in _COPULA_LEMMAS:
        # "sind bereit, ... zu reden" is the subject's; "Ziel ist es, ... zu senken" nobody's
        return parent.subject if parent.predicates else None
    if parent.voice == "passive":
        return parent.subject
    if parent.lemma in lex.object_control_verbs:
        objects = [a for a in parent.objects if a.role in {"obj", "dat"} and not a.reflexive]
        if objects:
            return objects[0]
    before = doc.tokens[clause.tokens[0] - 1] if clause.tokens[0] > 0 else None
    if (
        before is not None
        and before.pos == "$,"
        and clause.tokens[0] >= 2
        and doc.tokens[clause.tokens[0] - 2].pos in {"NN", "NNA", "NNI"}
        and (parent.subject is None or parent.subject.token_end != clause.tokens[0] - 1)
        and parent.main_verb is not None
        and parent.main_verb > clause.tokens[0]
    ):
        # an infinitive right after a noun and before its clause's verb belongs to the noun
        return None
    return parent.subject


_COPULA_LEMMAS = frozenset({"sein", "werden", "bleiben"})
_CONDITIONAL_V1 = frozenset(
    {"sollte", "sollten", "würde", "würden", "wäre", "wären", "hätte", "hätten", "falls"}
)


def _conditional_v1(doc: Document, clause: Clause) -> bool:
    if clause.finite is None:
        return False
    return doc.tokens[clause.finite].text.lower() in _CONDITIONAL_V1 and clause.subject is not None


def _speech_like(lex: SyntaxLexicon, clause: Clause) -> bool:
    return (
        clause.lemma in lex.speech_verbs
        or clause.lemma in lex.claim_verbs
        or (clause.lemma in lex.fear_verbs)
    )


def _embedding_of(
    lex: SyntaxLexicon, doc: Document, parent: Clause, child: Clause
) -> Embedding | None:
    if child.kind == "sub" and child.introducer is not None:
        kind = lex.subordinators.get(child.introducer)
        if kind == "condition":
            return "condition"
        if kind == "purpose":
            return "purpose"
        if kind == "factual":
            return None
    if child.kind == "inf" and child.introducer is not None:
        kind = lex.infinitival.get(child.introducer)
        if kind == "purpose":
            return "purpose"
        return None
    if child.kind == "rel":
        return None
    verb = parent.lemma
    adjectives = {doc.tokens[p].lemma.lower() for p in parent.predicates} | {
        doc.tokens[p].text.lower() for p in parent.predicates
    }
    if verb in lex.fear_verbs or adjectives & lex.fear_adjectives:
        return "fear"
    if verb in lex.plan_verbs:
        return "plan"
    if verb in lex.hope_verbs or adjectives & lex.hope_adjectives:
        return "hope"
    if verb in lex.belief_verbs:
        return "belief"
    if verb in lex.claim_verbs:
        return "claim"
    if verb in lex.speech_verbs:
        return "speech"
    if parent.modal is not None and child.kind == "inf":
        return "hope"
    return None


def _resolve_relative(doc: Document, clause: Clause, parent: Clause) -> None:
    """A relative pronoun refers to the noun phrase just before the clause."""
    subj = clause.subject
    if subj is None or not subj.pronoun:
        return
    tok = doc.tokens[subj.head]
    if tok.pos != "PRELS":
        return
    # the nearest argument of the parent clause ending before the relative clause
    best: Argument | None = None
    for arg in [parent.subject, *parent.objects]:
        if arg is None or arg.end > clause.start:
            continue
        if best is None or arg.start > best.start:
            best = arg
    if best is not None:
        subj.antecedent = (best.start, best.end)
        subj.antecedent_head = best.head
