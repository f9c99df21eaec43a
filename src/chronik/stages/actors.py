"""Actors and their mentions: who the entities, role nouns and pronouns of an article refer to.

One `Actor` per distinct real-world actor (a state, a person, an organisation, a group), coded by
country (ISO3, IGO or None) and PLOVER sector; one `Mention` per stretch of text that refers to
it. The rules, in text order:

- countries, their capitals used as metonyms ("Moskau verletze keine Sanktionen") and government
  seats ("Kreml", "Weißes Haus") refer to the state (kind state, sector GOV); a place named after
  a locative preposition ("in Seoul") is a place, not a mention;
- people of the knowledge base by name, with the role valid on the publication date; unknown
  people take country and sector from their noun phrase: a nationality adjective ("der
  südkoreanische Vizeaußenminister Chang Ho Jin"), a country genitive ("Nordkoreas Machthaber
  Kim"), a compound modifier ("Kreml-Sprecher Dmitri Peskow");
- role noun phrases without a name are actors when their country is known ("die russische
  Regierung" is the state, "südkoreanische Soldaten" a KOR MIL group, "der russische Präsident" the
  person holding that office on the date);
- in-document coreference: a surname or given name alone is the person named in full elsewhere;
  "der Präsident" is the last person of that role; third-person pronouns (er, ihm, ihn, sein...,
  and "sie" only where number and gender leave one reading) refer to the last compatible actor.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from chronik import kb
from chronik.document import Actor, Document, Entity, Mention, Token
from chronik.pipeline import Pipeline
from chronik.registry import Stage, stage
from chronik.stages.entities import entity_cues, make_entities

_DETERMINER_POS = frozenset({"ART", "PIAT", "PDAT", "PPOSAT", "CARD", "PWAT"})
_FINITE = frozenset({"VVFIN", "VAFIN", "VMFIN"})
#: common-noun tags (the tagger marks nominalised adjectives NNA: "die Vorsitzende")
_COMMON = frozenset({"NN", "NNA", "NNI"})
_NOUNS = _COMMON | {"NE"}
#: heads of a state or an IGO: with a modifier the lexicons do not know ("AK-Präsident") the
#: compound is another body's head
_HEAD_ROLES = frozenset({"head_of_state", "head_of_government", "igo_head"})
#: a match result ("1:0", "2:1"), not a clock time
_SCORE = re.compile(r"^\d{1,2}:\d{1,2}$")
#: tags of match words and scores
_SPORTS_POS = frozenset({"NN", "NE", "CARD"})
_OPENING_QUOTES = frozenset({"„", '"', "»", "«", "“", "‚"})
#: tags of the words between a role and a name that belong to the role's phrase
_LINK_POS = frozenset(
    {"ART", "ADJA", "APPR", "APPRART", "KON", "NN", "NNA", "NNI", "NE", "FM", "TRUNC", "CARD", "$("}
)
#: a country dominates an article from this many mentions and this share of all country mentions
_DOMINANT_MIN = 2
_DOMINANT_SHARE = 0.5
#: role words that stand for the state itself ("die Regierung", "die Behörden")
_STATE_KIND = "state"
#: roles a person can be identified by through the knowledge base ("der russische Präsident")
_UNIQUE_ROLES = frozenset(
    {
        "head_of_state",
        "head_of_government",
        "foreign_minister",
        "defence_minister",
        "interior_minister",
        "finance_minister",
    }
)


@dataclass(slots=True)
class _Actor:
    key: tuple[object, ...]
    name: str
    kind: str
    country: str | None
    sector: str | None
    role: str | None = None
    kb_id: str | None = None
    gender: str | None = None
    #: the role word that introduced it ("Präsident"), for "der Präsident" coreference
    titles: set[str] = field(default_factory=set)
    plural: bool = False
    first: int = 0
    #: the country is only the article's dominant one, which a later phrase may correct
    guessed: bool = False


@dataclass(slots=True)
class _Context:
    """Country, sector and flags gathered from a noun phrase around a name or role word."""

    country: str | None = None
    sector: str | None = None
    institution: kb.Institution | None = None
    not_current: bool = False
    #: "pro-palästinensische Aktivisten": a country named only as the object of support
    foreign_allegiance: bool = False
    #: a compound modifier names a body other than the government ("Partei-", "Nationalrat-")
    body: bool = False
    #: "die europäischen Verteidigungsminister": several countries, none to default to
    multinational: bool = False
    #: a compound modifier the lexicons do not know ("AK-Präsident", "Wirtschaftsbund-
    #: Generalsekretär"): a head of some body, not of the state
    unknown_modifier: bool = False
    #: token index of the first token of the phrase
    start: int | None = None


class Linker:
    """Links one document's entities, role nouns and pronouns to actors (internal)."""

    def __init__(self, language: str, knowledge: kb.KnowledgeBase | None = None) -> None:
        self.language = language
        self.kb = knowledge if knowledge is not None else kb.KnowledgeBase.default()
        self.index = self.kb.name_index(language)
        self.roles = kb.role_words(language)
        self.cues = entity_cues(language)
        self._places: dict[str, list[str]] = {}
        self.pronouns = self.cues.pronouns_masculine | self.cues.pronouns_feminine_or_plural
        self._referring: dict[str, bool] = {}
        self.sports_memo: dict[str, bool] = {}
        #: endings of words of match reports, as written inside a word ("WM-Gruppengegner")
        #: and at its start ("Torwart")
        self.sports_endings = tuple(
            form for word in self.cues.sports_words for form in (word, word.capitalize())
        )

    def is_sports_word(self, word: str) -> bool:
        """A word of match reports ("Torwart", "WM-Gruppengegner") or a score ("1:0");
        memoised, since words recur across articles."""
        found = self.sports_memo.get(word)
        if found is None:
            found = bool(_SCORE.match(word)) or (
                word[:1].isupper() and word.endswith(self.sports_endings)
            )
            if len(self.sports_memo) < 200_000:
                self.sports_memo[word] = found
        return found

    def may_refer(self, word: str) -> bool:
        """Whether a noun can head a role phrase or name a people ("Minister", "Russen"):
        memoised, since most nouns of an article are neither."""
        found = self._referring.get(word)
        if found is None:
            found = word[:1].isupper() and (
                self.roles.head(word) is not None or word in self.index.demonyms
            )
            if len(self._referring) < 200_000:
                self._referring[word] = found
        return found

    def places(self, name: str) -> list[str]:
        """Countries of the gazetteer places called `name` (memoised: names recur)."""
        found = self._places.get(name)
        if found is None:
            found = _places(name, self.language)
            if len(self._places) < 100_000:
                self._places[name] = found
        return found

    def __call__(self, doc: Document) -> Document:
        run = _Run(self, doc)
        run.link()
        return doc


class _Run:
    """The state of linking one document."""

    def __init__(self, linker: Linker, doc: Document) -> None:
        self.linker = linker
        self.doc = doc
        self.day: date | None = doc.meta.published
        self.tokens = doc.tokens
        self.actors: dict[tuple[object, ...], _Actor] = {}
        self.mentions: list[tuple[Mention, _Actor]] = []
        self.entity_at: dict[int, Entity] = {}
        self._entity_tokens: dict[str, list[Token]] = {}
        self._start_at = {t.start: t.i for t in self.tokens}
        for entity in doc.entities:
            for token in self._tokens_of(entity):
                self.entity_at.setdefault(token.i, entity)
        self.entity_actor: dict[str, _Actor] = {}
        #: word of a person's name -> the person actors it may stand for
        self.aliases: dict[str, list[_Actor]] = {}
        self.country_counts: Counter[str] = Counter()
        self.consumed: set[int] = set()
        #: role word index -> the name it introduces at a distance ("Die Vorsitzende der Linken
        #: Gesine Lötzsch"): the role phrase is a mention of that person
        self.role_names: dict[int, Entity] = {}
        self._role_at: dict[int, int | None] = {}
        self._located: dict[int, str | None] = {}
        self.dominant = self._dominant_country()
        self.sports = self._sports_sentences()

    # --- helpers -------------------------------------------------------------------------

    def _implied(self, country: str | None, alternatives: tuple[str, ...]) -> str | None:
        """An implied country, or the alternative the article is about ("Bundeskanzler" in an
        Austrian article is Austria's)."""
        if alternatives and self.dominant in alternatives:
            return self.dominant
        return country

    def _dominant_country(self) -> str | None:
        """The country the article is about, when one clearly dominates its country names and
        adjectives: the default for people and groups that the text does not place (domestic
        news names no nationality: "die Opposition", "der Parteivorsitzende David X")."""
        counts: Counter[str] = Counter()
        index = self.linker.index
        for entity in self.doc.entities:
            if entity.type not in ("LOC", "ORG"):
                continue
            matches = index.get(entity.text)[:1]
            for match in matches:
                if match.country:
                    counts[match.country] += 1
            if not matches and entity.type == "LOC":
                # a city or region of the gazetteer ("Houston", "Ohio") places the article too
                for code in self.linker.places(entity.text)[:1]:
                    counts[code] += 1
        adjectives = index.adjectives
        for word in [t.text.lower() for t in self.tokens if t.pos == "ADJA"]:
            for match in adjectives.get(word, ())[:1]:
                counts[str(match.country)] += 1
        counts.pop("IGO", None)
        if not counts:
            return None
        code, top = counts.most_common(1)[0]
        total = sum(counts.values())
        if top >= _DOMINANT_MIN and top >= _DOMINANT_SHARE * total:
            return code
        return None

    def _sports_sentences(self) -> set[int]:
        """Sentences about a match ("Italiens Torwart", "Deutschland unterlag Serbien mit 1:0"):
        there a country's name is its team, not the state."""
        known = self.linker.sports_memo
        is_sports = self.linker.is_sports_word
        # match words are nouns, scores numbers; each distinct word is looked up once
        candidates = {t.text for t in self.tokens if t.pos in _SPORTS_POS}
        words = {w for w in candidates if known.get(w) or (w not in known and is_sports(w))}
        if not words:
            return set()
        tokens = self.tokens
        found = set()
        for token in [t for t in tokens if t.text in words]:
            if ":" in token.text:
                after = tokens[token.i + 1].text if token.i + 1 < len(tokens) else ""
                if after in ("Uhr", "h", "Stimmen"):
                    continue
            found.add(token.sentence)
        return found

    def _tokens_of(self, entity: Entity) -> list[Token]:
        found = self._entity_tokens.get(entity.id)
        if found is None:
            i = self._start_at.get(entity.start)
            if i is not None:
                found = [self.tokens[i]]
                while found[-1].end < entity.end and i + 1 < len(self.tokens):
                    i += 1
                    found.append(self.tokens[i])
                self._entity_tokens[entity.id] = found
                return found
            sent = self.doc.sentences[entity.sentence]
            found = [
                t
                for t in self.tokens[sent.token_start : sent.token_end]
                if t.start < entity.end and t.end > entity.start
            ]
            self._entity_tokens[entity.id] = found
        return found

    def actor(self, key: tuple[object, ...], **values: object) -> _Actor:
        found = self.actors.get(key)
        if found is None:
            found = _Actor(key=key, first=len(self.mentions), **values)  # type: ignore[arg-type]
            self.actors[key] = found
        return found

    def state(self, code: str) -> _Actor:
        country = self.linker.kb.country(code)
        name = country.name if country else code
        return self.actor(("state", code), name=name, kind="state", country=code, sector="GOV")

    def mention(self, actor: _Actor, start: int, end: int, sentence: int, via: str) -> None:
        text = self.doc.text[start:end]
        self.mentions.append((Mention("", text, start, end, sentence, via), actor))
        if actor.country and actor.country != "IGO":
            self.country_counts[actor.country] += 1

    def token_mention(self, actor: _Actor, first: Token, last: Token, via: str) -> None:
        self.mention(actor, first.start, last.end, first.sentence, via)

    def sentence_bounds(self, token: Token) -> tuple[int, int]:
        sent = self.doc.sentences[token.sentence]
        return sent.token_start, sent.token_end

    # --- the passes ----------------------------------------------------------------------

    def link(self) -> None:
        self._people_names()
        # the tokens that can refer: entity starts, nouns, adjectives, personal pronouns (a
        # comprehension picks them far faster than a Python loop over every token)
        starts = {self._first_token(e).i for e in self.doc.entities}
        adjectives = self.linker.index.adjectives
        pronouns = self.linker.pronouns
        may_refer = self.linker.may_refer
        candidates = [
            t.i
            for t in self.tokens
            if t.i in starts
            or (t.pos in _NOUNS and may_refer(t.text))
            or (t.pos == "ADJA" and t.text.lower() in adjectives)
            or (t.pos == "PPER" and t.text.lower() in pronouns)
        ]
        for i in candidates:
            token = self.tokens[i]
            entity = self.entity_at.get(i)
            if entity is not None:
                if entity.start == token.start:
                    self._entity(entity)
                continue
            if i in self.consumed:
                continue
            # possessives ("sein", "ihr") are left out: they as often refer to a country or thing
            if token.pos == "PPER":
                self._pronoun(token)
            elif token.pos in _NOUNS:
                self._role_phrase(i)
            elif token.pos == "ADJA":
                self._adjective(i)
        self._headline_roles()
        self._finish()

    # people: build clusters of full names first, so that a surname before the full name
    # ("Kim" in a headline) finds it too
    def _people_names(self) -> None:
        for entity in self.doc.entities:
            if entity.type == "PER":
                first = self._first_token(entity)
                at = self._role_for_name(first)
                if at is not None and at < first.i - 1:
                    self.role_names[at] = entity
        for entity in self.doc.entities:
            if entity.type != "PER" or " " not in entity.text:
                continue
            self._person_actor(entity)
        for entity in self.doc.entities:
            if entity.type == "PER" and entity.id not in self.entity_actor:
                self._person_actor(entity)

    def _person_actor(self, entity: Entity) -> _Actor:
        text = entity.text
        matches = [
            m
            for m in self.linker.kb.lookup(text, on=self.day)
            if m.kind in ("person", "person_short")
        ]
        words = text.split()
        if " " not in text:
            for form in (text, text[:-1] if text.endswith("s") else None):
                if form and form in self.aliases:
                    candidates = self.aliases[form]
                    actor = candidates[0] if len(candidates) == 1 else self._recent(candidates)
                    self.entity_actor[entity.id] = actor
                    return actor
        full = [m for m in matches if m.kind == "person"]
        short = [m for m in matches if m.kind == "person_short"]
        match = full[0] if full else (short[0] if short and " " not in text else None)
        if match is None and len(words) >= 3:
            match = self._same_given_and_surname(words)
        if match is None and len(words) >= 2:
            match = self._titled_surname(entity, words)
        if match is not None and match.person is not None:
            actor = self.actor(
                ("kb", match.id),
                name=match.person.name,
                kind="person",
                country=match.country,
                sector=match.sector,
                role=match.role,
                kb_id=match.id,
                gender=match.person.gender,
            )
            for name in (*match.person.names, *match.person.short):
                for word in name.split():
                    self._alias(word, actor)
            role_word = self._role_before(self._first_token(entity))
            if role_word is not None:
                actor.titles.add(role_word.word)
        else:
            context = self._phrase_context(self._first_token(entity))
            if context.country is None:
                self._apposition(entity, context)
            actor = self.actor(
                self._person_key(text),
                name=text,
                kind="person",
                country=context.country,
                sector=context.sector,
                role=None,
                gender=self._name_gender(words),
            )
            _name_country(actor, context)
            actor.sector = actor.sector or context.sector
            role_word = self._role_before(self._first_token(entity))
            if role_word is not None:
                of_body = context.body or (
                    context.institution is not None and context.institution.kind != _STATE_KIND
                )
                other_head = context.unknown_modifier and role_word.role in _HEAD_ROLES
                actor.role = actor.role or ("other" if of_body or other_head else role_word.role)
                if not other_head:
                    actor.sector = actor.sector or role_word.sector
                actor.titles.add(role_word.word)
                if actor.gender is None:
                    actor.gender = "f" if role_word.feminine else "m"
                if actor.country is None and role_word.country:
                    actor.country = self._implied(role_word.country, role_word.alternatives)
            if actor.country is None and not context.multinational and self.dominant:
                actor.country, actor.guessed = self.dominant, True
        if " " in text:
            for word in words:
                if word not in self.linker.cues.name_particles:
                    self._alias(word, actor)
        self.entity_actor[entity.id] = actor
        return actor

    def _same_given_and_surname(self, words: list[str]) -> kb.KBMatch | None:
        """A full name with middle names the knowledge base does not list ("Ali Hosseini
        Khamenei" for "Ali Khamenei"): the one known person with that surname whose full name
        begins with the same given name."""
        last = words[-1]
        surname = last if last in self.linker.index.forms else last.removesuffix("s")
        found = [
            m
            for m in self.linker.kb.lookup(surname, on=self.day)
            if m.person is not None and m.kind in ("person", "person_short")
        ]
        people = {
            m.person.id: m
            for m in found
            if m.person is not None and any(n.split()[0] == words[0] for n in m.person.names)
        }
        return next(iter(people.values())) if len(people) == 1 else None

    def _titled_surname(self, entity: Entity, words: list[str]) -> kb.KBMatch | None:
        """A full name in another transliteration after the title of a known office holder
        ("Staatspräsident Umar al-Baschir" for Omar al-Baschir): the one person of that surname
        who held that office on the date."""
        role_word = self._role_before(self._first_token(entity))
        if role_word is None or role_word.role in (None, "other"):
            return None
        people = {
            m.person.id: m
            for m in self.linker.kb.lookup(words[-1], on=self.day)
            if m.person is not None and m.kind == "person_short" and m.role == role_word.role
        }
        return next(iter(people.values())) if len(people) == 1 else None

    def _person_key(self, text: str) -> tuple[object, ...]:
        """Key of an unknown person: "Joseph Konys" (genitive) is "Joseph Kony"."""
        if text.endswith("s") and ("person", text[:-1]) in self.actors:
            return ("person", text[:-1])
        if " " not in text:
            return ("person", text.removesuffix("s"))
        return ("person", text)

    def _apposition(self, entity: Entity, context: _Context) -> None:
        """ "David X, der Parteivorsitzende der Y," / "X, Irans Außenminister,": the role after
        the name gives its country and sector."""
        last = self._tokens_of(entity)[-1]
        _, hi = self.sentence_bounds(last)
        i = last.i + 1
        if i + 1 < hi and self.tokens[i].text == "aus":
            # "Kandeh Yumkella aus Sierra Leone": where a person comes from
            origin = self.entity_at.get(i + 1)
            if origin is not None and origin.type == "LOC":
                code, _, _ = self._entity_country(origin)
                if code is not None and code != "IGO":
                    context.country = code
                    return
        if i >= hi or self.tokens[i].text != ",":
            return
        i += 1
        if i < hi and self._apposition_noun(self.tokens[i]):
            # "Valeri Trojanow, Pilot des ... russischen Kampfflugzeuges": the first country
            # adjective of the apposition
            for token in self.tokens[i + 1 : min(hi, i + 12)]:
                if token.text == "," or token.pos in _FINITE or token.pos == "$.":
                    break
                if token.pos == "ADJA":
                    adjective = self.linker.index.adjectives.get(token.text.lower())
                    if adjective and adjective[0].country and context.country is None:
                        context.country = adjective[0].country
                        break
            return
        limit = min(hi, i + 5)
        while i < limit:
            token = self.tokens[i]
            found = self.linker.roles.head(token.text) if token.text[:1].isupper() else None
            if found is not None and found[1].person:
                # the role phrase after the comma is a mention of this person
                self.role_names.setdefault(i, entity)
                inner = self._phrase_context(token)
                self._modifier_context(found[0], inner)
                self._phrase_after(i, inner, found[1].kind)
                context.country = context.country or inner.country or found[1].country
                if inner.unknown_modifier and found[1].role in _HEAD_ROLES:
                    context.unknown_modifier = True
                    context.sector = context.sector or inner.sector
                else:
                    context.sector = context.sector or inner.sector or found[1].sector
                return
            entity_here = self.entity_at.get(i)
            if token.pos in ("ART", "ADJA", "APPRART") or (
                entity_here is not None and entity_here.type == "LOC"
            ):
                i += 1
                continue
            return

    def _alias(self, word: str, actor: _Actor) -> None:
        bucket = self.aliases.setdefault(word, [])
        if actor not in bucket:
            bucket.append(actor)

    def _recent(self, candidates: list[_Actor]) -> _Actor:
        for _, actor in reversed(self.mentions):
            if actor in candidates:
                return actor
        return candidates[0]

    def _name_gender(self, words: list[str]) -> str | None:
        gender = self.linker.cues.first_name(words[0]) if len(words) > 1 else None
        return gender if gender in ("m", "f") else None

    def _first_token(self, entity: Entity) -> Token:
        return self._tokens_of(entity)[0]

    def _role_before(self, token: Token) -> kb.RoleWord | None:
        """The person role word that introduces the name at `token` (see `_role_for_name`)."""
        at = self._role_for_name(token)
        if at is None:
            return None
        found = self.linker.roles.head(self.tokens[at].text)
        return found[1] if found is not None and found[1].person else None

    # --- context of a noun phrase ---------------------------------------------------------

    def _common_word_at(self, k: int) -> bool:
        """No name stands at token `k`, except one inside a compound ("US" in "US-Konzern")."""
        entity = self.entity_at.get(k)
        return entity is None or entity.origin == "compound"

    def _person_role_at(self, k: int) -> bool:
        token = self.tokens[k]
        if not token.text[:1].isupper() or not self._common_word_at(k):
            return False
        found = self.linker.roles.head(token.text)
        return found is not None and found[1].person

    def _role_for_name(self, name: Token) -> int | None:
        """Token index of the person role word that introduces the name at `name`: directly
        before it ("Außenminister Lawrow"), before a genitive or prepositional phrase of the role
        ("die Vorsitzende der Linken Gesine Lötzsch", "EU-Kommissar für Erweiterung Štefan
        Füle"), or opening the sentence before a comma ("Der Fraktionsvorsitzende im Landtag,
        Wolfgang Jüttner, ...")."""
        if name.i in self._role_at:
            return self._role_at[name.i]
        found = self._find_role_for_name(name)
        self._role_at[name.i] = found
        return found

    def _find_role_for_name(self, name: Token) -> int | None:
        lo, _ = self.sentence_bounds(name)
        i = name.i - 1
        if i < lo:
            return None
        if self._person_role_at(i):
            return i
        tokens = self.tokens
        cues = self.linker.cues
        if tokens[i].text == ",":
            # an apposition after a role phrase that opens the sentence
            j = lo
            while j < i and (tokens[j].pos in _DETERMINER_POS or tokens[j].pos == "ADJA"):
                j += 1
            if j >= i - 1 or not self._person_role_at(j):
                return None
            if any(t.pos in _FINITE or t.pos == "$." for t in tokens[j + 1 : i]):
                return None
            return j
        # role + genitive/prepositional phrase + name, at most six tokens apart
        for k in range(i, max(lo, i - 7) - 1, -1):
            token = tokens[k]
            if k < i and self._person_role_at(k):
                after = tokens[k + 1].text.lower()
                if after in cues.role_links:
                    return k
                return None
            entity = self.entity_at.get(k)
            if entity is not None and entity.type == "PER":
                return None
            if token.pos not in _LINK_POS and entity is None:
                return None
        return None

    def _organisation_noun(self, token: Token) -> tuple[str, kb.RoleWord] | None:
        """(modifier, word) of a noun for a kind of organisation ("US-Konzern" -> "US",
        "Konzern"), not a person's role."""
        if token.pos not in _COMMON or not self._common_word_at(token.i):
            return None
        found = self.linker.roles.head(token.text)
        return found if found is not None and not found[1].person else None

    def _apposition_noun(self, token: Token) -> bool:
        """A common noun right before a name that is not a role word: "Torwart", "Model"."""
        text = token.text
        return (
            token.pos in _COMMON
            and text[:1].isupper()
            and self._common_word_at(token.i)
            and self.linker.roles.head(text) is None
            and text not in self.linker.cues.not_names
            and not self.linker.cues.is_place_noun(text)
        )

    def _phrase_context(self, head: Token) -> _Context:
        """Country/sector from the words before `head` (a name or a role word) in its phrase:
        "der südkoreanische Vizeaußenminister Chang", "Nordkoreas Machthaber Kim",
        "Kreml-Sprecher Peskow"."""
        context = _Context(start=head.i)
        lo, _ = self.sentence_bounds(head)
        i = head.i - 1
        named = self.entity_at.get(head.i)
        is_name = named is not None and named.type in ("PER", "ORG") and head.pos != "ADJA"
        # a role word before a name belongs to the phrase ("Außenminister Lawrow", "die
        # Vorsitzende der Linken Gesine Lötzsch", "Der Fraktionschef im Landtag, Jüttner")
        at = self._role_for_name(head) if is_name else None
        if at is not None:
            found = self.linker.roles.head(self.tokens[at].text)
            assert found is not None
            self._modifier_context(found[0], context)
            if at < head.i - 1:
                # the role's own genitive or prepositional phrase: "der Linken", "der CDU"
                self._phrase_after(at, context, found[1].kind)
            if found[1].country and context.country is None:
                context.country = self._implied(found[1].country, found[1].alternatives)
            other_head = context.unknown_modifier and found[1].role in _HEAD_ROLES
            if found[1].sector and context.sector is None and not other_head:
                context.sector = found[1].sector
            context.start = at
            i = at - 1
        elif (
            is_name
            and named is not None
            and named.type == "ORG"
            and i >= lo
            and (kind := self._organisation_noun(self.tokens[i])) is not None
        ):
            # the kind of organisation before its name: "der US-Konzern Acme", "die russische
            # Firma X" (the adjective is read below)
            self._modifier_context(kind[0], context)
            context.sector = context.sector or kind[1].sector
            context.start = i
            i -= 1
        elif is_name and i >= lo and self._apposition_noun(self.tokens[i]):
            # an occupation or origin noun before a name: "Italiens Torwart Buffon", "des
            # Argentiniers Carlos Magarinos", "die US-Rockband Bon Jovi"
            noun = self.tokens[i]
            demonym = self.linker.index.demonyms.get(noun.text)
            if demonym and demonym[0].country:
                context.country = demonym[0].country
            elif noun.text[1:-1].count("-") == 1:
                # "US-Rockband"; not "Tour-de-France-Etappensieger"
                self._modifier_context(noun.text.partition("-")[0], context)
            context.start = i
            i -= 1
        steps = 0
        while i >= lo and steps < 6:
            token = self.tokens[i]
            low = token.text.lower()
            entity = self.entity_at.get(i)
            if entity is not None and entity.type in ("LOC", "ORG"):
                # Saxon genitive: "Nordkoreas Machthaber", "Irans Außenminister"
                if not entity.text.endswith(("s", "'")) and entity.type == "LOC":
                    break
                code, sector, _ = self._entity_country(entity)
                if code is None:
                    break
                context.country = context.country or code
                context.sector = context.sector or sector
                context.start = self._first_token(entity).i
                break
            if token.pos == "ADJA" or (token.pos == "ADJD" and low.endswith("e")):
                adjective = self.linker.index.adjectives.get(low)
                if adjective and context.country is None:
                    context.country = adjective[0].country
                elif adjective is None and _supporters_of_country(low, self.linker.index):
                    # "prorussische Separatisten" are not Russia's: their country is unknown
                    context.foreign_allegiance = True
                elif adjective is None and low.startswith(self.linker.roles.multinational):
                    context.multinational = True
                if any(low.startswith(m.lower()) for m in self.linker.roles.not_current):
                    context.not_current = True
                context.start = i
                i -= 1
                steps += 1
                continue
            if token.pos in _DETERMINER_POS or low in self.linker.cues.articles:
                context.start = i
                i -= 1
                steps += 1
                continue
            break
        return context

    def _modifier_context(self, modifier: str, context: _Context) -> None:
        """'Kreml' in 'Kreml-Sprecher', 'US' in 'US-Präsident', 'Ex' in 'Ex-Präsident'."""
        if not modifier:
            return
        for part in modifier.split("-"):
            if not part:
                continue
            if any(part.lower().startswith(m.lower()) for m in self.linker.roles.not_current):
                context.not_current = True
                continue
            matches = self.linker.index.get(part)
            if matches and matches[0].kind in ("country", "capital", "institution"):
                match = matches[0]
                if match.country:
                    context.country = context.country or match.country
                if match.kind == "institution":
                    context.sector = context.sector or match.sector
                    context.institution = match.institution
                continue
            prefix = self.linker.roles.prefix(part)
            if prefix is not None:
                if prefix.sector not in (None, "GOV"):
                    context.body = True
                context.sector = context.sector or prefix.sector
                if prefix.country:
                    context.country = context.country or self._implied(
                        prefix.country, prefix.alternatives
                    )
                continue
            adjective = self.linker.index.adjectives.get(part.lower())
            if adjective:
                context.country = context.country or adjective[0].country
            else:
                context.unknown_modifier = True

    def _phrase_after(self, role_index: int, context: _Context, kind: str) -> int:
        """Country from what follows a role word: a genitive ("der Präsident Russlands", "ein
        Sprecher des Kreml"), or for a government "in Washington". Returns the last token index
        of the phrase."""
        _, hi = self.sentence_bounds(self.tokens[role_index])
        i = role_index + 1
        last = role_index
        genitive = i < hi and self.tokens[i].text.lower() in ("des", "der", "von", "vom")
        if (i < hi and self.tokens[i].text in ("in", "aus") and kind == _STATE_KIND) or genitive:
            i += 1
        adjective_country = None
        while i < hi and (
            self.tokens[i].pos == "ADJA" or self.tokens[i].text in self.linker.cues.articles
        ):
            if self.tokens[i].pos == "ADJA" and adjective_country is None:
                found = self.linker.index.adjectives.get(self.tokens[i].text.lower())
                adjective_country = found[0].country if found else None
            i += 1
        entity = self.entity_at.get(i) if i < hi else None
        if (
            genitive
            and entity is None
            and i < hi
            and self.tokens[i].pos in _COMMON
            and self.tokens[i].text not in self.linker.cues.state_nouns
        ):
            # "Präsident des Österreichischen Rechtsanwaltskammertags": the head of that body;
            # "Sprecher des russischen Außenministeriums": of the ministry, in the country of
            # the adjective
            body = self.linker.roles.head(self.tokens[i].text)
            if body is not None and not body[1].person:
                context.sector = context.sector or body[1].sector
            context.unknown_modifier = True
            if context.country is None and adjective_country not in (None, "IGO"):
                context.country = adjective_country
            return i
        if entity is not None and entity.type in ("LOC", "ORG"):
            code, sector, inst = self._entity_country(entity)
            if code is not None or inst is not None:
                if context.country is None:
                    context.country = code
                if context.sector is None:
                    context.sector = sector
                if context.institution is None:
                    context.institution = inst
                last = self._tokens_of(entity)[-1].i
        return last

    def _entity_country(
        self, entity: Entity
    ) -> tuple[str | None, str | None, kb.Institution | None]:
        """(country, sector, institution) an ORG/LOC entity stands for, if it is an actor."""
        matches = self.linker.index.get(entity.text)
        for match in matches:
            if match.kind in ("country", "capital"):
                return match.country, "GOV", None
            if match.kind == "institution":
                return match.country, match.sector, match.institution
        return None, None, None

    # --- entities --------------------------------------------------------------------------

    def _entity(self, entity: Entity) -> None:
        tokens = self._tokens_of(entity)
        first = tokens[0]
        if entity.type == "PER":
            actor = self.entity_actor.get(entity.id) or self._person_actor(entity)
            self.mention(actor, entity.start, entity.end, entity.sentence, "name")
            return
        matches = self.linker.index.get(entity.text)
        if entity.origin == "compound":
            # "Kreml" in "Kreml-Sprecher": the role phrase decides; "UN" in "UN-Beschlüsse"
            actor = self._match_actor(matches[0], entity) if matches else None
            if actor is not None:
                self.entity_actor[entity.id] = actor
            self._role_phrase(first.i)
            return
        if not matches:
            same = self._parenthesised_alias(first)
            if same is not None:
                self.entity_actor[entity.id] = same
                self.mention(same, entity.start, entity.end, entity.sentence, "name")
                return
            if entity.type == "ORG":
                context = self._phrase_context(first)
                guessed = context.country is None and self.dominant is not None
                actor = self.actor(
                    ("org", entity.text),
                    name=entity.text,
                    kind="organization",
                    country=context.country or self.dominant,
                    sector=context.sector,
                    guessed=guessed,
                )
                _name_country(actor, context)
                actor.sector = actor.sector or context.sector
                self.entity_actor[entity.id] = actor
                self.mention(actor, entity.start, entity.end, entity.sentence, "name")
            return
        match = matches[0]
        if match.kind in ("country", "capital") and entity.sentence in self.sports:
            # "Deutschland unterlag Serbien": national teams, not states
            return
        actor = self._match_actor(match, entity)
        if actor is None:
            return
        if match.kind in ("country", "capital") and self._locative(first):
            # "in Russland": the country is a place here; a city named so is only a place
            if match.kind == "country":
                self.entity_actor[entity.id] = actor
            return
        self.entity_actor[entity.id] = actor
        via = "metonym" if match.kind == "capital" or match.actor_kind == "state" else "name"
        if match.kind == "country":
            via = "name"
        self.mention(actor, entity.start, entity.end, entity.sentence, via)

    def _parenthesised_alias(self, first: Token) -> _Actor | None:
        """'Vereinte Nationale Bewegung (ENM)': the short form names the actor before it."""
        i = first.i
        lo, _ = self.sentence_bounds(first)
        if i - 2 < lo or self.tokens[i - 1].text != "(":
            return None
        before = self.entity_at.get(i - 2)
        if before is None:
            return None
        return self.entity_actor.get(before.id)

    def _match_actor(self, match: kb.KBMatch, entity: Entity) -> _Actor | None:
        if match.kind in ("country", "capital"):
            return self.state(match.country) if match.country else None
        if match.kind != "institution" or match.institution is None:
            return None
        inst = match.institution
        country = inst.country
        if inst.ambiguous:
            context = self._phrase_context(self._first_token(entity))
            if context.country:
                country = context.country
            elif inst.alternatives:
                country = self._implied(country, inst.alternatives)
            elif self.dominant:
                country = self.dominant
        if inst.kind == _STATE_KIND and country:
            return self.state(country)
        return self._institution_actor(inst, country)

    def _institution_actor(self, inst: kb.Institution, country: str | None) -> _Actor:
        return self.actor(
            ("inst", inst.id, country),
            name=inst.name,
            kind=inst.kind,
            country=country,
            sector=inst.sector,
            plural=inst.gender == "pl",
        )

    def _locative(self, token: Token) -> bool:
        """After a place preposition ("in Seoul"), also across a list of places ("in
        Deutschland, England und Frankreich") and a direction ("nordwestlich von Warschau")."""
        lo, _ = self.sentence_bounds(token)
        cues = self.linker.cues
        i = token.i - 1
        while True:
            while i >= lo and self.tokens[i].text.lower() in cues.articles:
                i -= 1
            if i < lo:
                return False
            low = self.tokens[i].text.lower()
            if low in cues.place_prepositions:
                return True
            before_von = self.tokens[i - 1].text.lower() if i > lo else ""
            if low == "von" and before_von in cues.place_prepositions:
                return True
            if low in (",", "und", "oder", "sowie") and i > lo:
                before = self.entity_at.get(i - 1)
                if before is not None and before.type == "LOC":
                    i = self._first_token(before).i - 1
                    continue
            return False

    # --- role phrases ------------------------------------------------------------------------

    def _denied(self, i: int) -> bool:
        """ "keine Deutschen", "keine Soldaten": nobody of that kind."""
        lo, _ = self.sentence_bounds(self.tokens[i])
        j = i - 1
        while j >= lo and self.tokens[j].pos == "ADJA":
            j -= 1
        return j >= lo and self.tokens[j].text.lower() in self.linker.cues.negative_determiners

    def _role_phrase(self, i: int) -> None:
        token = self.tokens[i]
        found = self.linker.roles.head(token.text)
        if found is None:
            demonym = self.linker.index.demonyms.get(token.text)
            if (
                demonym
                and token.pos in _NOUNS
                and not self._denied(i)
                and token.sentence not in self.sports
            ):
                code = demonym[0].country
                if code:
                    group = self.actor(
                        ("group", code, "CVL"),
                        name=token.text,
                        kind="group",
                        country=code,
                        sector="CVL",
                        plural=True,
                    )
                    self.token_mention(group, token, token, "name")
            return
        if self._denied(i):
            return
        modifier, word = found
        _, hi = self.sentence_bounds(token)
        # a name right after the role word is the actor; the name's mention covers it
        entity = self.entity_at.get(i + 1) if i + 1 < hi else None
        if entity is not None and entity.type in ("PER", "ORG") and entity.origin != "compound":
            return
        if i + 2 < hi and self.tokens[i + 1].text in _OPENING_QUOTES:
            # "die oppositionelle Zeitung „The Nation“": the quoted name is the actor
            quoted = self.entity_at.get(i + 2)
            if quoted is not None and quoted.type in ("PER", "ORG"):
                return
        named = self.role_names.get(i)
        if named is not None:
            # "Die Vorsitzende der Linken Gesine Lötzsch": the role phrase is that person
            person = self.entity_actor.get(named.id)
            if person is not None:
                context = self._phrase_context(token)
                first = self.tokens[context.start if context.start is not None else i]
                # the role's own genitive belongs to the phrase ("Präsident des Österreichischen
                # Rechtsanwaltskammertags": no mention of Austria of its own)
                for k in range(i, self._phrase_after(i, context, word.kind) + 1):
                    self.consumed.add(k)
                self.token_mention(person, first, token, "role")
                if word.word not in person.titles:
                    person.titles.add(word.word)
            return
        context = self._phrase_context(token)
        self._modifier_context(modifier, context)
        if word.country and context.country is None:
            context.country = self._implied(word.country, word.alternatives)
        last = self._phrase_after(i, context, word.kind)
        if context.unknown_modifier and word.role in _HEAD_ROLES:
            sector = context.sector
        else:
            sector = context.sector or word.sector
        if context.institution is not None and word.person:
            sector = context.institution.sector or sector
        start_token = self.tokens[context.start if context.start is not None else i]
        end_token = self.tokens[last]
        plural = self._plural(i, word)
        if (
            not word.person
            and word.kind == "organization"
            and not plural
            and not modifier
            and context.country is None
            and context.institution is None
            and start_token.text.lower() in self.linker.cues.definite_determiners
            and not (
                i + 1 < hi
                and (
                    self.tokens[i + 1].text.lower() in self.linker.cues.role_links
                    or self.tokens[i + 1].text in _OPENING_QUOTES
                )
            )
        ):
            # "die Partei", "das Gericht", "die Zeitung": the organisation of that kind last named
            same = self._last_organisation(word.sector)
            if same is not None:
                self.consumed.add(i)
                self.token_mention(same, start_token, token, "role")
                return
        country = context.country
        if country is None and not (context.foreign_allegiance or context.multinational):
            country = self._context_country(token, word, plural)
        if country is None:
            if word.person and not plural and not context.foreign_allegiance:
                self._title_coreference(word, start_token, end_token)
            return
        for k in range(i, last + 1):
            self.consumed.add(k)
        inst = context.institution
        if word.kind == _STATE_KIND and country == "IGO" and inst is not None:
            # "die EU-Staaten", "die Nato-Regierungen": the organisation acts
            actor = self._institution_actor(inst, inst.country)
        elif word.kind == _STATE_KIND and (sector in (None, "GOV")):
            actor = self.state(country)
        elif word.person and not plural:
            actor = self._office_holder(country, word, context, sector)
        elif word.person or word.kind == "group":
            actor = self.actor(
                ("group", country, sector),
                name=self.doc.text[start_token.start : token.end],
                kind="group",
                country=country,
                sector=sector,
                plural=True,
            )
        else:
            if inst is not None and inst.kind != _STATE_KIND:
                actor = self._institution_actor(inst, inst.country)
            else:
                actor = self.actor(
                    ("org", country, word.word),
                    name=self.doc.text[start_token.start : token.end],
                    kind=word.kind if word.kind != _STATE_KIND else "organization",
                    country=country,
                    sector=sector,
                )
        self.token_mention(actor, start_token, end_token, "role")

    def _last_organisation(self, sector: str | None) -> _Actor | None:
        if sector is None:
            return None
        for _, actor in reversed(self.mentions):
            if actor.kind == "organization" and actor.sector == sector:
                return actor
        return None

    def _plural(self, i: int, word: kb.RoleWord) -> bool:
        """Number of a role noun whose form is singular and plural ("Minister", "Soldaten"),
        from its determiner."""
        if not word.number_ambiguous:
            return word.plural
        cues = self.linker.cues
        lo, _ = self.sentence_bounds(self.tokens[i])
        j = i - 1
        while j >= lo and self.tokens[j].pos in ("ADJA", "CARD"):
            j -= 1
        before = self.tokens[j].text.lower() if j >= lo else ""
        if before in cues.singular_determiners:
            return False
        if before in cues.plural_determiners:
            return True
        if before == "der":
            if word.form != word.word:
                # "der Präsidenten", "der Soldaten": genitive or dative plural
                return True
            # "Treffen der Außenminister": a genitive after a noun; else "der Minister" (nom.)
            return j - 1 >= lo and self.tokens[j - 1].pos in _NOUNS
        # a bare "Innenminister" (a headline) is the office holder; bare "Soldaten" are many
        return not (word.form == word.word and word.role in _UNIQUE_ROLES)

    def _context_country(self, token: Token, word: kb.RoleWord, plural: bool) -> str | None:
        """The country of a role phrase that names none: the place it happens in ("Demonstranten
        in Tiflis") for groups and governments, else nothing."""
        if (word.person and not plural) or (plural and word.several):
            return None
        lo, hi = self.sentence_bounds(token)
        found = self._located_country(lo, hi)
        return found if found is not None else self.dominant

    def _located_country(self, lo: int, hi: int) -> str | None:
        """The country of the first place after a locative preposition in tokens lo..hi (one
        sentence), memoised per sentence."""
        if lo in self._located:
            return self._located[lo]
        found = self._find_located_country(lo, hi)
        self._located[lo] = found
        return found

    def _find_located_country(self, lo: int, hi: int) -> str | None:
        for k in range(lo, hi):
            entity = self.entity_at.get(k)
            if entity is None or entity.type != "LOC":
                continue
            first = self._first_token(entity)
            if first.i != k or not self._locative(first):
                continue
            code, _, _ = self._entity_country(entity)
            if code is None:
                for place in self.linker.places(entity.text):
                    code = place
                    break
            if code is not None:
                return code
        return None

    def _office_holder(
        self, country: str, word: kb.RoleWord, context: _Context, sector: str | None
    ) -> _Actor:
        """ "der russische Präsident" -> the person in that office on the date (knowledge base),
        else a person known only by role."""
        role = word.role
        # "Nationalratspräsidentin" heads the Nationalrat, not the state: an institution or a
        # sector in the compound makes the role that body's, not the country's office
        inst = context.institution
        of_body = (inst is not None and inst.kind != _STATE_KIND) or context.body
        if of_body or (context.unknown_modifier and role in _HEAD_ROLES):
            role = "other"
        if role in _UNIQUE_ROLES and not context.not_current and country != "IGO":
            holders = self.linker.kb.holders(country, role, self.day)
            if len(holders) == 1:
                person = holders[0]
                match = kb.dated(
                    kb.KBMatch(
                        "person", person.id, person.name, None, None, "person", "PER", person=person
                    ),
                    self.day,
                )
                actor = self.actor(
                    ("kb", person.id),
                    name=person.name,
                    kind="person",
                    country=match.country,
                    sector=match.sector,
                    role=match.role,
                    kb_id=person.id,
                    gender=person.gender,
                )
                actor.titles.add(word.word)
                return actor
        # the last person of this role and country mentioned ("Chang" after "Vizeaußenminister")
        for _, actor in reversed(self.mentions):
            if actor.kind == "person" and actor.country == country and _fits_role(actor, word):
                return actor
        actor = self.actor(
            ("role", country, word.word, context.not_current),
            name=word.word,
            kind="person",
            country=country,
            sector=sector,
            role=role,
            gender="f" if word.feminine else "m",
        )
        actor.titles.add(word.word)
        return actor

    def _title_coreference(self, word: kb.RoleWord, first: Token, last: Token) -> None:
        """ "der Präsident" / "die Kanzlerin" -> the last person of that role or title."""
        if first.text.lower() not in self.linker.cues.definite_determiners:
            return
        for _, actor in reversed(self.mentions):
            if actor.kind != "person":
                continue
            if _fits_role(actor, word):
                self.token_mention(actor, first, last, "role")
                return

    # --- adjectives and pronouns ---------------------------------------------------------------

    def _adjective(self, i: int) -> None:
        token = self.tokens[i]
        adjective = self.linker.index.adjectives.get(token.text.lower())
        if not adjective or adjective[0].country is None or token.sentence in self.sports:
            return
        # the adjective of a role phrase ("die russische Regierung") is part of that phrase
        _, hi = self.sentence_bounds(token)
        j = i + 1
        while j < hi and self.tokens[j].pos == "ADJA":
            j += 1
        if j < hi and (self.linker.roles.head(self.tokens[j].text) or self.entity_at.get(j)):
            return
        if j < hi and self.tokens[j].pos in _COMMON:
            # "in der thailändischen Hauptstadt" is a place; "dem tschechischen Model Alena
            # Šeredová", "beim portugiesischen Verein Benfica": the adjective is the name's
            named = self.entity_at.get(j + 1) if j + 1 < hi else None
            if self.linker.cues.is_place_noun(self.tokens[j].text) or (
                named is not None and named.type in ("PER", "ORG")
            ):
                return
        self.token_mention(self.state(adjective[0].country), token, token, "adjective")

    def _pronoun(self, token: Token) -> None:
        low = token.text.lower()
        if token.pos == "PPER" and low in self.linker.cues.pronouns_masculine:
            actor = self._antecedent(token, lambda a: a.kind == "person" and a.gender != "f")
        elif token.pos == "PPER" and low in self.linker.cues.pronouns_feminine_or_plural:
            # a capitalised "Sie" inside a sentence is the polite form
            if token.text != low and not self._clause_initial(token):
                return
            plural = self._subject_verb_number(token)
            if plural is None:
                return
            if plural:
                actor = self._antecedent(token, lambda a: a.plural or a.kind == "group")
            else:
                actor = self._antecedent(token, lambda a: a.kind == "person" and a.gender == "f")
        else:
            return
        if actor is not None:
            self.token_mention(actor, token, token, "pronoun")

    def _clause_initial(self, token: Token) -> bool:
        lo, _ = self.sentence_bounds(token)
        return (
            token.i == lo
            or self.tokens[token.i - 1].pos in ("$,", "$(", "KON")
            or (self.tokens[token.i - 1].text in ('"', "„", "«", "»", "“"))
        )

    def _subject_verb_number(self, token: Token) -> bool | None:
        """Number of the finite verb of which the pronoun is clearly the subject: "sie sagte"
        at the start of a clause, "..., sagte sie." at its end; None when the pronoun may be an
        object ("was sie trennt"). True for plural."""
        lo, hi = self.sentence_bounds(token)
        finite = ("VVFIN", "VAFIN", "VMFIN")
        nxt = self.tokens[token.i + 1] if token.i + 1 < hi else None
        prev = self.tokens[token.i - 1] if token.i - 1 >= lo else None
        verb = None
        if self._clause_initial(token) and nxt is not None and nxt.pos in finite:
            verb = nxt
        elif (
            prev is not None
            and prev.pos in finite
            and (nxt is None or nxt.pos in ("$,", "$.", "$("))
        ):
            verb = prev
        if verb is None:
            return None
        form = verb.text.lower()
        return form.endswith("en") or form in self.linker.cues.plural_verbs

    def _antecedent(self, token: Token, fits: object) -> _Actor | None:
        """The most recent actor mentioned in the two sentences before the pronoun (or earlier
        in its own sentence) that `fits`."""
        limit = token.sentence - 2
        for mention, actor in reversed(self.mentions):
            if mention.sentence < limit:
                break
            if mention.start >= token.start:
                continue
            if fits(actor):  # type: ignore[operator]
                return actor
        return None

    # --- output --------------------------------------------------------------------------

    def _headline_roles(self) -> None:
        """A role in the headline is often the person the lead names: "CDU-Abgeordneter beendet
        Karriere" / "Der Abgeordnete der CDU Frank Mindermann ...". A person known only by a
        headline role takes the person of the same title and country first named in the next
        two sentences."""
        headline = [a for m, a in self.mentions if m.sentence == 0 and a.key[0] == "role"]
        if not headline:
            return
        first_sentence: dict[int, int] = {}
        for mention, actor in self.mentions:
            first_sentence.setdefault(id(actor), mention.sentence)
        moved: dict[int, _Actor] = {}
        for mention, actor in self.mentions:
            if (
                mention.sentence != 0
                or actor.key[0] != "role"
                or id(actor) in moved
                or any(m.sentence != 0 for m, a in self.mentions if a is actor)
            ):
                continue
            for _, other in self.mentions:
                if (
                    other.kind == "person"
                    and other.key[0] != "role"
                    and 1 <= first_sentence.get(id(other), 0) <= 2
                    and actor.titles & other.titles
                    and (actor.country is None or other.country in (None, actor.country))
                ):
                    moved[id(actor)] = other
                    break
        if moved:
            self.mentions = [(m, moved.get(id(a), a)) for m, a in self.mentions]

    def _finish(self) -> None:
        """Actors numbered a1, a2, ... in the order of their first mention or linked entity."""
        first: dict[int, tuple[int, _Actor]] = {}
        for mention, actor in self.mentions:
            if id(actor) not in first or mention.start < first[id(actor)][0]:
                first[id(actor)] = (mention.start, actor)
        for entity in self.doc.entities:
            actor = self.entity_actor.get(entity.id)
            if actor is not None and (id(actor) not in first or entity.start < first[id(actor)][0]):
                first[id(actor)] = (entity.start, actor)
        ordered = sorted(first.values(), key=lambda pair: pair[0])
        ids = {id(actor): f"a{n}" for n, (_, actor) in enumerate(ordered, 1)}
        self.doc.actors = [
            Actor(
                id=ids[id(actor)],
                name=actor.name,
                kind=actor.kind,  # type: ignore[arg-type]
                country=actor.country,
                sector=actor.sector,
                role=actor.role,
                kb_id=actor.kb_id,
            )
            for _, actor in ordered
        ]
        self.mentions.sort(key=lambda pair: pair[0].start)
        for mention, actor in self.mentions:
            mention.actor = ids[id(actor)]
        self.doc.mentions = [mention for mention, _ in self.mentions]
        for entity in self.doc.entities:
            actor = self.entity_actor.get(entity.id)
            entity.actor = ids[id(actor)] if actor is not None else None


def _name_country(actor: _Actor, context: _Context) -> None:
    """A country its phrase names replaces the article's dominant one that an earlier mention
    guessed ("Bon Jovi" in the headline, "die US-Rockband Bon Jovi" in the text)."""
    if actor.guessed and context.country is not None:
        actor.country, actor.guessed = context.country, False


def _fits_role(actor: _Actor, word: kb.RoleWord) -> bool:
    """Whether a person actor can be meant by a role noun: same title, same role key, or a
    specific minister for the generic "Minister"."""
    if word.word in actor.titles:
        return True
    if word.role in (None, "other") or actor.role is None:
        return False
    if actor.role == word.role:
        return True
    return word.role == "minister" and actor.role.endswith("_minister")


def _supporters_of_country(adjective: str, index: kb.NameIndex) -> bool:
    """'prorussische', 'pro-palästinensische', 'antiamerikanische'."""
    for prefix in ("pro-", "pro", "anti-", "anti"):
        if adjective.startswith(prefix) and adjective[len(prefix) :] in index.adjectives:
            return True
    return False


def _places(name: str, language: str) -> list[str]:
    from chronik import gazetteer

    return [e.country for e in gazetteer.lookup(name, language) if e.country]


@stage(
    "chronik.actors.v1",
    requires=("entities",),
    assigns=(
        "actors",
        "mentions",
    ),
    languages=("de",),
)
def make_actors(language: str, knowledge: kb.KnowledgeBase | None = None) -> Stage:
    """The actor stage; `knowledge` replaces the built-in knowledge base (imported
    dictionaries: `KnowledgeBase.default().extended([...])`)."""
    linker = Linker(language, knowledge)

    def actors(doc: Document) -> Document:
        return linker(doc)

    return actors


def with_knowledge(pipeline: Pipeline, knowledge: kb.KnowledgeBase) -> Pipeline:
    """A copy of `pipeline` whose entity and actor stages use `knowledge` (the built-in data plus
    imported dictionaries); the other stages are shared with `pipeline`.

        knowledge = kb.KnowledgeBase.default().extended(["my-actors.csv"])
        pipe = with_knowledge(default_pipeline("de"), knowledge)
    """
    factories = {"chronik.entities.v1": make_entities, "chronik.actors.v1": make_actors}
    out = Pipeline(pipeline.language)
    for info, proc in pipeline.stages:
        factory = factories.get(info.name)
        out.stages.append((info, factory(pipeline.language, knowledge) if factory else proc))
    return out


@lru_cache(maxsize=8)
def knowledge_pipeline(language: str, knowledge: kb.KnowledgeBase) -> Pipeline:
    """The default pipeline of `language` with `knowledge`, built once per knowledge base (for
    `analyze(..., knowledge=...)`: the stages keep their memos across articles)."""
    from chronik.pipeline import default_pipeline

    return with_knowledge(default_pipeline(language), knowledge)
