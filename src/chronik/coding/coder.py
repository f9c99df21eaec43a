"""The PLOVER event coder: clauses + event patterns + actor mentions -> `Event`s.

For each clause (see `chronik.syntax`) whose verb has a pattern, the first sense whose conditions
hold gives the event type; the sense's roles name the arguments that carry the source and the
target, and the actor mentions inside those arguments (`Document.mentions`, char spans) give the
actors. Nouns that name events ("Treffen zwischen X und Y", "Angriff Russlands auf die Ukraine")
are coded from the attributes inside their noun phrase. Negation and modality come from the
clause and the clauses it is embedded in. Repeated mentions of one event are consolidated into
one record per (type, sources, targets, negated), keeping every mention.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from chronik.coding.patterns import (
    SYMMETRIC_TYPES,
    CameoTables,
    EventPatterns,
    RoleRef,
    Sense,
)
from chronik.document import (
    Actor,
    Document,
    Event,
    EventMention,
    Location,
    Mention,
    Modality,
    Span,
)
from chronik.syntax import Argument, Clause, SyntaxLexicon

#: rank of modalities when mentions of one event disagree: the most factual wins
_MODALITY_RANK: dict[str, int] = {"asserted": 3, "reported": 2, "future": 1, "hypothetical": 0}
#: noun events inside an argument of these verb types are real (one criticises or praises what
#: happened); inside the others they are demanded, threatened, refused or planned
_FACTIVE_TYPES = frozenset({"SUPPORT", "ACCUSE", "CONCEDE"})
#: attribute prepositions after which a subject's actor is named ("die Regierung in Washington")
_ORIGIN_PREPS = frozenset({"in", "aus", "von"})
#: prepositions of phrases that say where something happened
_LOCATIVE_PREPS = frozenset({"in", "bei", "nahe", "an"})
#: sectors of the press (PLOVER JRN; MED is health)
_PRESS = frozenset({"JRN"})
_PLACE_PREPS = frozenset({"in", "bei", "an", "im", "am"})
#: types answered by a denial or concession ("X wirft Y vor ... Y streitet dies ab")
_ANSWERED_TYPES = frozenset({"ACCUSE", "REQUEST", "THREATEN", "SANCTION"})
#: nouns that with a possessive name the possessor's own state ("sein Land")
_OWN_NOUNS = frozenset({"land", "regierung", "staat", "volk", "armee", "militär", "nation"})
_POSSESSIVES = frozenset(
    {
        "sein",
        "seine",
        "seines",
        "seinem",
        "seinen",
        "seiner",
        "ihr",
        "ihre",
        "ihres",
        "ihrem",
        "ihren",
        "ihrer",
    }
)
#: "es" is left out: as a subject it is mostly an expletive ("Es seien keine Abkommen ...")
_PERSONAL = frozenset({"er", "sie", "ihm", "ihn", "ihr", "ihnen"})


@dataclass(slots=True)
class _Found:
    """One coded event mention before consolidation."""

    type: str
    mode: str | None
    cameo: str | None
    source: list[str]
    target: list[str]
    negated: bool
    modality: Modality
    clause: Clause
    trigger: Span
    confidence: float
    order: int = 0


@dataclass(slots=True)
class _MentionIndex:
    mentions: list[Mention]
    starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.mentions = sorted(self.mentions, key=lambda m: (m.start, -m.end))
        self.starts = [m.start for m in self.mentions]

    def within(self, start: int, end: int) -> list[Mention]:
        lo = bisect.bisect_left(self.starts, start)
        out = []
        for m in self.mentions[lo:]:
            if m.start >= end:
                break
            if m.end <= end:
                out.append(m)
        return out


def _unique(ids: Sequence[str]) -> list[str]:
    seen: dict[str, None] = {}
    for i in ids:
        seen.setdefault(i, None)
    return list(seen)


class Coder:
    """Codes one document; built per document by `code_events`."""

    def __init__(
        self,
        doc: Document,
        clauses: list[Clause],
        patterns: EventPatterns,
        tables: CameoTables,
        lex: SyntaxLexicon,
    ) -> None:
        self.doc = doc
        self.clauses = clauses
        self.by_index = {c.index: c for c in clauses}
        self.children: dict[int, list[Clause]] = {}
        for c in clauses:
            if c.parent is not None:
                self.children.setdefault(c.parent, []).append(c)
        #: events found so far, for discourse rules (a denial answers an accusation)
        self.found: list[_Found] = []
        self.patterns = patterns
        self.tables = tables
        self.lex = lex
        self.index = _MentionIndex(list(doc.mentions))
        self.actors: dict[str, Actor] = {a.id: a for a in doc.actors}
        self.quote_spans = sorted((q.start, q.end) for q in doc.quotes)
        self.recent_subject: list[str] = []
        #: the actors stage resolves pronouns itself when it emits pronoun mentions; the coder's
        #: own fallback (the last subject) is then left off
        self.own_pronouns = not any(m.via == "pronoun" for m in doc.mentions)

    # --- actors of arguments ----------------------------------------------------------------

    def _actors_in(self, start: int, end: int) -> list[str]:
        return _unique([m.actor for m in self.index.within(start, end)])

    def _arg_actors(self, arg: Argument, extended: bool, places: bool = False) -> list[str]:
        if arg.antecedent is not None:
            found = self._actors_in(*arg.antecedent)
            if found:
                return found
        found = self._actors_in(arg.start, arg.end)
        if found:
            return found
        if extended and arg.ext_end > arg.end:
            # attributes in "in"/"bei" name places, not participants ("vor Anschlägen in Kenia")
            stop = arg.ext_end
            for tok in self.doc.tokens[arg.token_end : arg.ext_token_end]:
                if places:
                    break
                if tok.pos in {"APPR", "APPRART"} and tok.lemma.lower() in _PLACE_PREPS:
                    stop = tok.start
                    break
            return self._actors_in(arg.start, stop)
        if arg.ext_end > arg.end and arg.ext_token_end > arg.token_end:
            nxt = self.doc.tokens[arg.token_end]
            if nxt.lemma.lower() in _ORIGIN_PREPS and nxt.pos in {"APPR", "APPRART"}:
                # only the first attribute: "die Regierung in Washington"
                stop = arg.ext_end
                for tok in self.doc.tokens[arg.token_end + 1 : arg.ext_token_end]:
                    if tok.pos in {"APPR", "APPRART"}:
                        stop = tok.start
                        break
                return self._actors_in(arg.start, stop)
        if (
            self.own_pronouns
            and arg.pronoun
            and arg.role == "subj"
            and self.doc.tokens[arg.head].text.lower() in _PERSONAL
        ):
            return list(self.recent_subject)
        return []

    def _conjunct_actors(self, arg: Argument) -> list[list[str]]:
        groups = [self._actors_in(s, e) for s, e in arg.conjuncts]
        return [g for g in groups if g]

    def _role_args(self, clause: Clause, ref: RoleRef) -> list[Argument]:
        """The arguments a role names, with the passive mapped onto the active roles."""
        role = ref.role
        passive = clause.voice == "passive"
        if role == "subj":
            if passive:
                return [a for a in clause.objects if a.role == "agent"]
            if clause.subject is not None:
                return [clause.subject]
            if clause.kind == "inf" and clause.controller is not None:
                # "rief Russland auf, sich verantwortlich zu verhalten": the controller
                return [clause.controller]
            return []
        if role == "obj":
            if passive and clause.subject is not None:
                return [clause.subject]
            return [a for a in clause.objects if a.role in {"obj", "gen"}]
        if role == "dat":
            # an unambiguous dative; else a dative-capable object that cannot be accusative
            # ("der Wahlkommission"); else the only object, when it can be a dative
            found = [a for a in clause.objects if a.role == "dat"]
            if found:
                return found
            objects = [a for a in clause.objects if a.role == "obj"]
            found = [a for a in objects if "dat" in a.cases and "acc" not in a.cases]
            if found:
                return found
            if len(objects) > 1:
                return [a for a in objects if "dat" in a.cases][:1]
            return [a for a in objects if "dat" in a.cases]
        if role == "pobj":
            return [a for a in clause.objects if a.role in {"pobj", "agent"} and a.prep == ref.prep]
        if role == "cond":
            # "drohte ..., sollte die UNO einen Beschluss fassen": the condition's subject
            return [
                c.subject
                for c in self.children.get(clause.index, [])
                if c.embedding == "condition" and c.subject is not None and not c.subject.pronoun
            ]
        if role == "comp":
            # the content clause: "X fordert, dass Y ...", "X erwartet, Y müsse ..."
            out: list[Argument] = []
            for child in self.children.get(clause.index, []):
                if child.kind == "rel" or child.embedding in {"condition", "purpose"}:
                    continue
                if child.kind == "sub" and child.introducer not in {"dass", "daß", "ob"}:
                    continue
                args = [child.subject] if child.subject is not None else []
                if ref.extended or child.kind == "inf":
                    args += [a for a in child.objects if a.role in {"obj", "dat", "pobj"}]
                out.extend(a for a in args if a is not None and not a.pronoun)
            return out
        return [a for a in clause.objects if a.role == role]

    def _resolve(
        self, clause: Clause, refs: Sequence[RoleRef], exclude: Sequence[str] = ()
    ) -> tuple[list[str], Argument | None]:
        """The actors of the first role that names any (other than `exclude`, the source when
        looking for the target: "das Hilfswerk UNICEF rief Russland auf")."""
        for ref in refs:
            if ref.role == "last":
                # "Die Vorwürfe richten sich gegen ...": whoever made the latest such move
                found = self._last_source(clause, str(ref.prep).upper())
                if found:
                    return found, None
                continue
            for arg in self._role_args(clause, ref):
                found = (
                    self._cataphora(clause, arg)
                    or self._demonstrative(clause, arg)
                    or self._arg_actors(arg, ref.extended, ref.places)
                    or self._possessor(clause, arg)
                )
                found = [a for a in found if a not in exclude]
                if found:
                    if ref.role == "pobj":
                        found = _unique(found + self._coordinated_pps(clause, arg, ref, exclude))
                    return found, arg
        return [], None

    def _coordinated_pps(
        self, clause: Clause, first: Argument, ref: RoleRef, exclude: Sequence[str]
    ) -> list[str]:
        """ "gegen die Miliz, gegen die ugandische LRA und gegen tschadische Truppen": repeated
        prepositional phrases joined by commas or "und" are one role."""
        found: list[str] = []
        last_end = first.ext_token_end
        for arg in clause.objects:
            if arg.prep != first.prep or arg.token_start <= first.token_start:
                continue
            between = self.doc.tokens[last_end : arg.token_start]
            if not all(
                t.pos in {"$,", "KON", "ADV"}
                or t.text.lower() in {"aber", "auch", "sowie"}
                or (t.pos in {"APPR", "APPRART"} and t.lemma.lower() == first.prep)
                for t in between
            ):
                break
            found += [
                a for a in self._arg_actors(arg, ref.extended, ref.places) if a not in exclude
            ]
            last_end = arg.ext_token_end
        return found

    def _demonstrative(self, clause: Clause, arg: Argument) -> list[str]:
        """ "..., beschuldigte dieser Israel": a demonstrative subject refers to the last person
        or organisation named before it."""
        tok = self.doc.tokens[arg.head]
        if not (arg.pronoun and arg is clause.subject and tok.pos == "PDS"):
            return []
        if tok.text.lower() not in {"dieser", "diese", "jener", "jene", "letzterer", "letztere"}:
            return []
        first_sentence = max(0, clause.sentence - 1)
        best: Mention | None = None
        for m in self.index.within(self.doc.sentences[first_sentence].start, tok.start):
            actor = self.actors.get(m.actor)
            if actor is not None and actor.kind != "state":
                best = m
        return [best.actor] if best is not None else []

    def _possessor(self, clause: Clause, arg: Argument) -> list[str]:
        """ "sein Land", "ihre Regierung": the possessor is the speaker of a reported clause, else
        the last subject."""
        first = self.doc.tokens[arg.token_start]
        if first.pos != "PPOSAT" or arg.head_lemma.lower() not in _OWN_NOUNS:
            return []
        if first.text.lower() not in _POSSESSIVES:
            return []
        speaker = self._speaker(clause)
        return speaker or list(self.recent_subject)

    def _speaker(self, clause: Clause) -> list[str]:
        """The actors of the speaker a reported clause is attributed to: the subject of its speech
        frame, else the speaker of a quotation that covers it."""
        if clause.embedding in {"speech", "claim"} and clause.parent is not None:
            frame = self.by_index.get(clause.parent)
            if frame is not None and frame.subject is not None:
                found = self._arg_actors(frame.subject, False)
                if found:
                    return found
        for quote in self.doc.quotes:
            if quote.start <= clause.start < quote.end and quote.speaker:
                return [quote.speaker]
        return []

    def _cataphora(self, clause: Clause, arg: Argument) -> list[str]:
        """A pronoun subject of a clause that precedes the main clause it is embedded in refers
        to that clause's subject ("Wo er sich mit X traf, verteidigte Putin ...")."""
        if not (arg.pronoun and arg is clause.subject and clause.parent is not None):
            return []
        if self.doc.tokens[arg.head].text.lower() not in _PERSONAL:
            return []
        if self._actors_in(arg.start, arg.end):
            return []
        parent = self.by_index.get(clause.parent)
        if parent is None or parent.subject is None or parent.subject.start < clause.end:
            return []
        if parent.subject.pronoun:
            return []
        return self._actors_in(parent.subject.start, parent.subject.end)

    # --- conditions ---------------------------------------------------------------------------

    def _head_matches(self, arg: Argument, nouns: frozenset[str]) -> bool:
        head = arg.head_lemma.lower()
        text = self.doc.tokens[arg.head].text.lower()
        for noun in nouns:
            if head == noun or text == noun or head.endswith(noun) or text.startswith(noun):
                return True
        return False

    def _static_ok(self, clause: Clause, sense: Sense) -> bool:
        if sense.reflexive is not None and clause.reflexive != sense.reflexive:
            return False
        if sense.objects:
            pool = [a for a in clause.objects if a.role in {"obj", "dat", "gen", "pred"}]
            if clause.voice == "passive" and clause.subject is not None:
                pool.append(clause.subject)
            if not any(self._head_matches(a, sense.objects) for a in pool):
                return False
        if sense.subjects and not (
            clause.subject is not None and self._head_matches(clause.subject, sense.subjects)
        ):
            return False
        for ref in sense.requires:
            if not self._role_args(clause, ref):
                return False
        if sense.predicates:
            words = set()
            for i in clause.predicates:
                tok = self.doc.tokens[i]
                words.add(tok.lemma.lower())
                words.add(tok.text.lower())
            if not words & sense.predicates:
                return False
        for prep, nouns in sense.pobj_heads:
            args = [a for a in clause.objects if a.role == "pobj" and a.prep == prep]
            if not any(self._head_matches(a, nouns) for a in args):
                return False
        return True

    def _sector_ok(self, sense: Sense, source: list[str]) -> bool:
        # a state as a whole ("Russland griff an") is not its government speaking: it gets no
        # sector here, so verbal readings reserved for office holders do not apply to it
        sectors = {
            self.actors[a].sector
            for a in source
            if a in self.actors and self.actors[a].kind != "state"
        }
        if any(self.actors[a].country == "IGO" for a in source if a in self.actors):
            sectors.add("IGO")
        if sense.source_sectors and not (sectors & sense.source_sectors):
            return False
        return not (sense.not_source_sectors and sectors & sense.not_source_sectors)

    # --- modality -----------------------------------------------------------------------------

    def modality(self, clause: Clause) -> Modality:
        lex = self.lex
        result: Modality = "asserted"
        current: Clause | None = clause
        depth = 0
        while current is not None and depth < 6:
            own = self._own_modality(current, lex, depth == 0)
            if own == "hypothetical":
                return "hypothetical"
            if own == "future" and result == "asserted":
                result = "future"
            if own == "reported" and result == "asserted":
                result = "reported"
            current = self.by_index.get(current.parent) if current.parent is not None else None
            depth += 1
        if self._question(clause):
            return "hypothetical"
        if result == "asserted" and self._in_quote(clause.start):
            result = "reported"
        return result

    def _own_modality(self, clause: Clause, lex: SyntaxLexicon, innermost: bool) -> Modality:
        emb = clause.embedding
        if emb in {"condition", "fear", "hope", "belief", "purpose"}:
            return "hypothetical"
        if innermost:
            if clause.mood == "subj2" and clause.lemma not in lex.speech_verbs:
                return "hypothetical"
            if clause.modal is not None:
                kind = lex.modals.get(clause.modal)
                if clause.modal_perfect and clause.modal in {"sollen", "wollen"}:
                    return "reported"
                if kind == "hypothetical":
                    return "hypothetical"
                if kind == "future":
                    return "future"
            if clause.tense == "future":
                return "future"
            if clause.kind == "inf":
                return "hypothetical"
        if emb == "plan":
            return "future"
        if emb in {"speech", "claim"} or clause.mood == "subj1":
            return "reported"
        return "asserted"

    def _question(self, clause: Clause) -> bool:
        """A question asks whether something happened; it does not report it."""
        sent = self.doc.sentences[clause.sentence]
        last = self.doc.tokens[sent.token_end - 1] if sent.token_end > sent.token_start else None
        return last is not None and last.text == "?"

    def _in_quote(self, offset: int) -> bool:
        pos = bisect.bisect_right(self.quote_spans, (offset, 1 << 30)) - 1
        return pos >= 0 and self.quote_spans[pos][0] <= offset < self.quote_spans[pos][1]

    # --- coding ---------------------------------------------------------------------------------

    def code(self) -> list[_Found]:
        found: list[_Found] = []
        for clause in self.clauses:
            verb_events = (
                self._code_verb(clause)
                or self._reported_obligation(clause)
                or self._reported_predicate(clause)
            )
            found.extend(verb_events)
            found.extend(self._code_nouns(clause, verb_events))
            self.found = found
            if clause.subject is not None and not clause.subject.pronoun:
                actors = self._arg_actors(clause.subject, False)
                if actors:
                    self.recent_subject = actors
        for n, item in enumerate(found):
            item.order = n
        return found

    def _trigger(self, clause: Clause) -> Span:
        idx = clause.main_verb if clause.main_verb is not None else clause.finite
        if idx is None:
            # a verbless headline: the predicative adjective carries the event ("... bereit")
            idx = clause.predicates[0] if clause.predicates else clause.tokens[0]
        tok = self.doc.tokens[idx]
        return Span(tok.text, tok.start, tok.end)

    def _code_verb(self, clause: Clause) -> list[_Found]:
        senses = self.patterns.verbs.get(clause.lemma)
        if not senses:
            return []
        for sense in senses:
            if not self._static_ok(clause, sense):
                continue
            if sense.type is None:
                return []
            source, source_arg = self._resolve(clause, sense.source)
            if not source and clause.voice == "passive" and clause.agent is None:
                implicit = self._meeting_parties(clause, sense)
                if implicit is not None:
                    source, target = implicit
                    return [self._found(clause, sense, source, target, 0.5)]
            if not source:
                continue
            if not self._sector_ok(sense, source):
                continue
            target, _ = self._resolve(clause, sense.target, exclude=source)
            if (sense.symmetric or sense.type in SYMMETRIC_TYPES) and source_arg is not None:
                groups = self._conjunct_actors(source_arg)
                if not [t for t in target if t not in source] and len(groups) > 1:
                    source, target = groups[0], _unique([a for g in groups[1:] for a in g])
            if not target and sense.type in {"REJECT", "CONCEDE"}:
                target = self._answered(clause, source)
            target = [t for t in target if t not in source]
            confidence = 0.75 if sense.objects or sense.predicates or sense.pobj_heads else 0.65
            if source_arg is not None and source_arg.pronoun:
                confidence -= 0.15
            return [self._found(clause, sense, source, target, confidence)]
        return []

    def _reported_obligation(self, clause: Clause) -> list[_Found]:
        """ "Der Iran müsse die Anreicherung beenden, so Rice": an obligation in reported speech
        is the speaker's demand on the clause's subject."""
        # only the Konjunktiv I ("müsse", "solle"): "müssten" is as often a hypothetical
        if clause.modal not in {"müssen", "sollen"} or clause.mood != "subj1":
            return []
        if clause.subject is None or clause.voice == "passive" or clause.negated:
            return []
        source = self._speaker(clause)
        if not source:
            return []
        target = [t for t in self._arg_actors(clause.subject, False) if t not in source]
        if not target:
            return []
        finite = clause.finite if clause.finite is not None else clause.tokens[0]
        tok = self.doc.tokens[finite]
        return [
            _Found(
                type="REQUEST",
                mode=None,
                cameo="100",
                source=source,
                target=target,
                negated=False,
                modality="asserted",
                clause=clause,
                trigger=Span(tok.text, tok.start, tok.end),
                confidence=0.5,
            )
        ]

    def _not_press(self, typ: str, target: list[str]) -> list[str]:
        """An interview is not a consultation: "sagte X im Gespräch mit der Zeitung"."""
        if typ != "CONSULT":
            return target
        return [t for t in target if not (t in self.actors and self.actors[t].sector in _PRESS)]

    def _not_self(self, source: list[str], target: list[str]) -> list[str]:
        """Targets other than the source; a state is not its own target ("Litauen hält den über
        Litauen abgestürzten Piloten in Gewahrsam"), while two actors of one country can be."""
        states = {
            self.actors[a].country
            for a in source
            if a in self.actors and self.actors[a].kind == "state"
        }
        return [
            t
            for t in target
            if t not in source
            and not (
                t in self.actors
                and self.actors[t].kind == "state"
                and self.actors[t].country in states
            )
        ]

    def _reported_predicate(self, clause: Clause) -> list[_Found]:
        """ "Soleimani sei für den Tod von Hunderten verantwortlich, so das Ministerium": a
        judgement in reported speech is the speaker's act towards the clause's subject."""
        if not self.patterns.speaker_predicates or not clause.predicates:
            return []
        if clause.subject is None or clause.negated or clause.voice == "passive":
            return []
        words = {self.doc.tokens[i].lemma.lower() for i in clause.predicates} | {
            self.doc.tokens[i].text.lower() for i in clause.predicates
        }
        for typ, predicates in self.patterns.speaker_predicates:
            hit = words & predicates
            if not hit:
                continue
            source = self._speaker(clause)
            if not source:
                return []
            target = self._not_self(source, self._arg_actors(clause.subject, False))
            if not target:
                return []
            tok = next(
                self.doc.tokens[i]
                for i in clause.predicates
                if self.doc.tokens[i].text.lower() in hit or self.doc.tokens[i].lemma.lower() in hit
            )
            return [
                _Found(
                    type=typ,
                    mode="allege" if typ == "ACCUSE" else None,
                    cameo=None,
                    source=source,
                    target=target,
                    negated=False,
                    modality="asserted",
                    clause=clause,
                    trigger=Span(tok.text, tok.start, tok.end),
                    confidence=0.5,
                )
            ]
        return []

    def _found(
        self, clause: Clause, sense: Sense, source: list[str], target: list[str], confidence: float
    ) -> _Found:
        assert sense.type is not None
        target = self._not_press(sense.type, self._not_self(source, target))
        return _Found(
            type=sense.type,
            mode=sense.mode,
            cameo=sense.cameo,
            source=source,
            target=target,
            negated=clause.negated,
            modality=self.modality(clause),
            clause=clause,
            trigger=self._trigger(clause),
            confidence=round(confidence, 2),
        )

    def _meeting_parties(self, clause: Clause, sense: Sense) -> tuple[list[str], list[str]] | None:
        """An agreement or signing in the passive without an agent ("Dabei wurden keine
        Vereinbarungen getroffen") is between the parties of the meeting just reported."""
        if sense.type not in {"AGREE", "SUPPORT", "COOPERATE"} or not sense.symmetric:
            return None
        for item in reversed(self.found):
            if clause.sentence - item.clause.sentence > 2:
                break
            if item.type == "CONSULT" and item.source and item.target:
                return list(item.source), list(item.target)
        return None

    def _last_source(self, clause: Clause, typ: str) -> list[str]:
        for item in reversed(self.found):
            if clause.sentence - item.clause.sentence > 3:
                break
            if item.type == typ and item.source:
                return list(item.source)
        return []

    def _answered(self, clause: Clause, source: list[str]) -> list[str]:
        """The accuser a denial answers: the source of the latest accusation, demand or threat
        aimed at the denier in the last sentences ("Y wirft X vor ... X streitet dies ab")."""
        countries = {self.actors[a].country for a in source if a in self.actors} - {None}
        for item in reversed(self.found):
            if clause.sentence - item.clause.sentence > 3:
                break
            if item.type not in _ANSWERED_TYPES:
                continue
            aimed = (
                set(item.target) & set(source)
                or {self.actors[a].country for a in item.target if a in self.actors} & countries
            )
            if aimed:
                return list(item.source)
        return []

    def _code_nouns(self, clause: Clause, verb_events: list[_Found]) -> list[_Found]:
        out: list[_Found] = []
        args = [a for a in [clause.subject, *clause.objects] if a is not None]
        verb_type = verb_events[0].type if verb_events else None
        verb_sense_nouns: frozenset[str] = frozenset()
        #: prepositions of the verb's own roles: a noun event inside them is the verb's content
        #: ("warnten vor einer Militärkooperation"); inside other phrases it is circumstance
        #: ("bei dem Treffen mit Kim forderte Putin ...")
        content_preps: set[str | None] = set()
        if verb_events:
            for sense in self.patterns.verbs.get(clause.lemma, ()):
                if sense.type == verb_type:
                    verb_sense_nouns = sense.objects
                    content_preps = {
                        r.prep for r in (*sense.target, *sense.requires) if r.role == "pobj"
                    }
                    break
        seen_tokens: set[int] = set()
        for arg in args:
            for ti in range(arg.token_start, arg.token_end):
                if ti in seen_tokens:
                    continue
                tok = self.doc.tokens[ti]
                if not tok.pos.startswith("NN"):
                    continue
                hit = self.patterns.noun_sense(tok.lemma)
                if hit is None:
                    continue
                seen_tokens.add(ti)
                noun, sense = hit
                if sense.type is None or noun in verb_sense_nouns:
                    continue
                is_content = arg.role in {"obj", "dat", "gen"} or (
                    arg.role == "pobj" and arg.prep in content_preps
                )
                event = self._code_noun(clause, arg, ti, sense, verb_type if is_content else None)
                if event is not None:
                    out.append(event)
        return out

    def _noun_role(self, clause: Clause, arg: Argument, ti: int, ref: RoleRef) -> list[str]:
        tok = self.doc.tokens[ti]
        if ref.role in {"gen", "adj"}:
            # attributes inside the phrase itself, before or after the noun
            found = [
                m
                for m in self.index.within(arg.start, arg.end)
                if not (m.start <= tok.start < m.end)
                and (m.via == "adjective") == (ref.role == "adj")
            ]
            return _unique([m.actor for m in found])
        if ref.role == "clause_subj":
            subj = clause.subject
            if subj is None or subj is arg or clause.voice == "passive":
                return []
            return self._arg_actors(subj, False)
        if ref.role == "pobj":
            for other in clause.objects:
                if (
                    other.role in {"pobj", "agent"}
                    and other.prep == ref.prep
                    and arg.token_end <= other.token_start < max(arg.ext_token_end, arg.token_end)
                ):
                    return self._arg_actors(other, False)
        return []

    def _code_noun(
        self, clause: Clause, arg: Argument, ti: int, sense: Sense, verb_type: str | None
    ) -> _Found | None:
        source: list[str] = []
        source_ref: RoleRef | None = None
        for ref in sense.source:
            source = self._noun_role(clause, arg, ti, ref)
            if source:
                source_ref = ref
                break
        if not source:
            return None
        target: list[str] = []
        for ref in sense.target:
            target = [t for t in self._noun_role(clause, arg, ti, ref) if t not in source]
            if target:
                break
        if (
            not target
            and source_ref is not None
            and (sense.symmetric or sense.type in SYMMETRIC_TYPES)
        ):
            # "Treffen zwischen X und Y": split the coordinated attribute
            for other in clause.objects:
                if other.prep == source_ref.prep and other.token_start >= arg.token_end:
                    groups = self._conjunct_actors(other)
                    if len(groups) > 1:
                        source = groups[0]
                        target = _unique([a for g in groups[1:] for a in g if a not in groups[0]])
                    break
        assert sense.type is not None
        target = self._not_press(sense.type, self._not_self(source, target))
        if not target:
            return None
        modality = self.modality(clause)
        if verb_type is not None and verb_type not in _FACTIVE_TYPES:
            modality = "hypothetical"
        tok = self.doc.tokens[ti]
        assert sense.type is not None
        return _Found(
            type=sense.type,
            mode=sense.mode,
            cameo=sense.cameo,
            source=source,
            target=target,
            negated=arg.negated,
            modality=modality,
            clause=clause,
            trigger=Span(tok.text, tok.start, tok.end),
            confidence=0.45,
        )

    # --- consolidation --------------------------------------------------------------------------

    def events(self) -> list[Event]:
        found = self.code()
        merged: dict[tuple[str, frozenset[str], frozenset[str], bool], Event] = {}
        order: list[tuple[str, frozenset[str], frozenset[str], bool]] = []
        for item in found:
            key = (item.type, frozenset(item.source), frozenset(item.target), item.negated)
            mention = EventMention(sentence=item.clause.sentence, trigger=item.trigger)
            event = merged.get(key)
            if event is None:
                date, date_text = self._date(item.clause)
                event = Event(
                    id="",
                    type=item.type,
                    mode=item.mode,
                    source=list(item.source),
                    target=list(item.target),
                    negated=item.negated,
                    modality=item.modality,
                    sentence=item.clause.sentence,
                    trigger=item.trigger,
                    date=date,
                    date_text=date_text,
                    location=self._location(item.clause),
                    confidence=item.confidence,
                    cameo=item.cameo or self.tables.default_cameo.get(item.type),
                    goldstein=self.tables.score(item.type, item.mode),
                    mentions=[mention],
                )
                merged[key] = event
                order.append(key)
                continue
            event.mentions.append(mention)
            if _MODALITY_RANK[item.modality] > _MODALITY_RANK[event.modality]:
                event.modality = item.modality
                event.sentence = item.clause.sentence
                event.trigger = item.trigger
            event.confidence = round(min(0.95, max(event.confidence, item.confidence) + 0.05), 2)
            if event.date is None:
                event.date, event.date_text = self._date(item.clause)
            if event.location is None:
                event.location = self._location(item.clause)
        out = []
        for n, key in enumerate(order, start=1):
            event = merged[key]
            event.id = f"ev{n}"
            out.append(event)
        return out

    def _date(self, clause: Clause) -> tuple[str | None, str | None]:
        inside = [t for t in self.doc.times if clause.start <= t.start < clause.end and t.value]
        if not inside:
            inside = [t for t in self.doc.times if t.sentence == clause.sentence and t.value]
        if not inside:
            return None, None
        return inside[0].value, inside[0].text

    def _location(self, clause: Clause) -> Location | None:
        """The first place named in a locative phrase of the clause ("in Sotschi", "im
        Weltraumbahnhof Wostotschny"); a clause introduced by "wo" takes its parent's. Places
        inside the participants' phrases ("warnten Russland") are actors, not locations."""
        clauses = [clause]
        if clause.introducer == "wo" and clause.parent is not None:
            parent = self.by_index.get(clause.parent)
            if parent is not None:
                clauses.append(parent)
        for current in clauses:
            spans = [
                (a.start, a.ext_end)
                for a in current.objects
                if a.role == "pobj" and a.prep in _LOCATIVE_PREPS
            ]
            for place in self.doc.places:
                if any(start <= place.start < end for start, end in spans):
                    return Location(
                        name=place.name, country=place.country, lat=place.lat, lon=place.lon
                    )
        return None


def code_events(
    doc: Document,
    clauses: list[Clause],
    patterns: EventPatterns,
    tables: CameoTables,
    lex: SyntaxLexicon,
) -> list[Event]:
    """The consolidated events of `doc` (ids "ev1", "ev2", ... in order of first mention)."""
    return Coder(doc, clauses, patterns, tables, lex).events()
