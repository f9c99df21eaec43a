"""Named entities (PER, ORG, LOC) from the knowledge base, the gazetteer and patterns.

Passes, each claiming tokens no earlier pass claimed:

1. multi-word names of the knowledge base ("Vereinigte Staaten", "Wladimir Putin");
2. people by pattern: a role word or title before a name ("Kreml-Sprecher Dmitri Peskow",
   "Vizeaußenminister Chang Ho Jin"), a given name before a surname ("Alexander Lukaschenko"),
   a surname of the knowledge base ("Putin");
3. repetition: a word of a person's name found elsewhere in the article is that person ("Chang"
   after "Chang Ho Jin", "Kim" in the headline before "Kim Jong Un");
4. single-word names of the knowledge base (countries, capitals, institutions, regions);
5. places from the gazetteer;
6. shape: acronyms (ORG), names after a place noun ("Weltraumbahnhof Wostotschny": LOC), after
   a locative preposition (LOC), with an organisation head ("Universität Hamburg": ORG), and
   runs of two or more proper nouns (PER).

So a person's name is claimed before any place reading: "Kim" is never a place. Following the
GermEval 2014 convention only outer entities are marked, and a compound such as "Kreml-Sprecher"
or "US-Präsident" is no entity ("UN-Sicherheitsrat", a name of its own, is).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from chronik import gazetteer, kb, ner
from chronik.document import Document, Entity, Token
from chronik.errors import PipelineError
from chronik.registry import Stage, stage

#: tagger tags of proper nouns and foreign material
_PROPER = frozenset({"NE", "FM"})
#: how the statistical NER's names merge with the rules' (`Recognizer._merge`)
_MERGES = ("model+rules", "kb+model+rules", "dict+model+rules", "pattern+model+rules")
_NAMEISH = frozenset({"NE", "FM", "NN", "ADJA", "ADJD", "VVFIN", "VVPP", "VVINF", "CARD", "XY"})
_FINITE = frozenset({"VVFIN", "VAFIN", "VMFIN"})
#: a one-word city name outside a locative phrase counts only from this population on
_STRICT_POPULATION = 100_000


@dataclass(frozen=True, slots=True)
class EntityCues:
    """Language data for entity recognition (lang/<code>/entities.yaml + first names)."""

    person_titles: frozenset[str]
    name_particles: frozenset[str]
    place_nouns: tuple[str, ...]
    locative: frozenset[str]
    org_heads: tuple[str, ...]
    org_suffixes: frozenset[str]
    org_prefixes: frozenset[str]
    not_names: frozenset[str]
    first_names: dict[str, str]
    articles: frozenset[str] = frozenset()
    place_prepositions: frozenset[str] = frozenset()
    pronouns_masculine: frozenset[str] = frozenset()
    pronouns_feminine_or_plural: frozenset[str] = frozenset()
    plural_verbs: frozenset[str] = frozenset()
    singular_determiners: frozenset[str] = frozenset()
    plural_determiners: frozenset[str] = frozenset()
    definite_determiners: frozenset[str] = frozenset()
    place_heads: frozenset[str] = frozenset()
    #: words that open a role's genitive or prepositional phrase ("Vorsitzende der Linken")
    role_links: frozenset[str] = frozenset()
    #: determiners that deny the noun's referent ("keine Soldaten")
    negative_determiners: frozenset[str] = frozenset()
    #: nouns that stand for a state in a role's genitive ("der Präsident des Landes")
    state_nouns: frozenset[str] = frozenset()
    #: endings of words that make a sentence one about a match ("Torwart", "Halbfinale")
    sports_words: tuple[str, ...] = ()

    def is_place_noun(self, word: str) -> bool:
        return _ends_with_any(word.lower(), self.place_nouns)

    def is_org_word(self, word: str) -> bool:
        if word in self.org_suffixes:
            return True
        low = word.lower()
        return len(low) > 3 and _ends_with_any(low, self.org_heads)

    def first_name(self, word: str) -> str | None:
        """Gender of a given name ('m', 'f', 'x'), also of the parts of 'Frank-Walter'."""
        found = self.first_names.get(word)
        if found is None and "-" in word:
            parts = word.split("-")
            genders = [self.first_names.get(p) for p in parts]
            if all(genders):
                found = genders[0]
        return found


@lru_cache(maxsize=65536)
def _ends_with_any(word: str, endings: tuple[str, ...]) -> bool:
    return word.endswith(endings)


@cache
def entity_cues(language: str) -> EntityCues:
    path = Path(str(resources.files("chronik").joinpath(f"lang/{language}/entities.yaml")))
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8")) if path.is_file() else {}

    def words(key: str) -> list[str]:
        return [str(w) for w in data.get(key, [])]

    return EntityCues(
        person_titles=frozenset(words("person_titles")),
        name_particles=frozenset(words("name_particles")),
        place_nouns=tuple(w.lower() for w in words("place_nouns")),
        locative=frozenset(words("locative_prepositions")),
        org_heads=tuple(w.lower() for w in words("org_heads")),
        org_suffixes=frozenset(words("org_suffixes")),
        org_prefixes=frozenset(words("org_prefixes")),
        not_names=frozenset(words("not_names")),
        first_names=kb.first_names(language),
        articles=frozenset(words("articles")),
        place_prepositions=frozenset(words("place_prepositions")),
        pronouns_masculine=frozenset(words("pronouns_masculine")),
        pronouns_feminine_or_plural=frozenset(words("pronouns_feminine_or_plural")),
        plural_verbs=frozenset(words("plural_verbs")),
        singular_determiners=frozenset(words("singular_determiners")),
        plural_determiners=frozenset(words("plural_determiners")),
        definite_determiners=frozenset(words("definite_determiners")),
        place_heads=frozenset(words("place_heads")),
        role_links=frozenset(words("role_links")),
        negative_determiners=frozenset(words("negative_determiners")),
        state_nouns=frozenset(words("state_nouns")),
        sports_words=tuple(w.lower() for w in words("sports_words")),
    )


@dataclass(slots=True, init=False)
class _Span:
    start: int  # token index
    end: int  # token index, exclusive
    type: str
    origin: str

    # compiled, an __init__ of its own costs a fifth of the one dataclass writes (which runs as
    # Python)
    def __init__(self, start: int, end: int, type: str, origin: str) -> None:
        self.start = start
        self.end = end
        self.type = type
        self.origin = origin


def _capitalised(text: str) -> bool:
    return bool(text) and text[0].isupper()


#: prepositions that end a name: what follows says where its bearer comes from or is
_ORIGIN_WORDS = frozenset({"aus", "bei"})


def _before_origin(span: ner.DocumentSpan, tokens: list[Token]) -> ner.DocumentSpan:
    """The name without where its bearer comes from or is: "Quandtlux Solar aus Dresden" ->
    "Quandtlux Solar" (GermEval dev has no name with "aus" or "bei" inside)."""
    for k in range(span.start + 1, span.end):
        if tokens[k].text in _ORIGIN_WORDS:
            last = tokens[k - 1]
            return replace(span, end=last.i, char_end=last.end)
    return span


def _crosses(start: int, end: int, other_start: int, other_end: int) -> bool:
    """Whether two spans overlap without one containing the other."""
    return (
        start < other_end
        and other_start < end
        and not (start <= other_start and other_end <= end)
        and not (other_start <= start and end <= other_end)
    )


def _acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return (
        2 <= len(text) <= 8
        and len(letters) >= 2
        and sum(c.isupper() for c in letters) >= 2
        and all(c.isalnum() or c in "-&" for c in text)
        and text[0].isupper()
    )


class Recognizer:
    """Finds the entities of one document; built once per language (internal)."""

    def __init__(
        self,
        language: str,
        places: Callable[[str, str], list[gazetteer.GazetteerEntry]] = gazetteer.lookup,
        knowledge: kb.KnowledgeBase | None = None,
        model: ner.CrfModel | None = None,
        merge: str = "model+rules@0.7",
    ) -> None:
        self.language = language
        #: the statistical NER and how its names merge with the rules' (see `_merge`)
        self.model = model
        policy, _, threshold = merge.partition("@")
        if policy not in _MERGES:
            raise PipelineError(
                f"unknown merge policy {merge!r} of the entities stage; "
                f"one of {', '.join(_MERGES)}, with '@' and a score threshold"
            )
        self.merge_policy = policy
        self.merge_threshold = float(threshold or 0.0)
        knowledge = knowledge if knowledge is not None else kb.KnowledgeBase.default()
        self.index = knowledge.name_index(language)
        self.roles = kb.role_words(language)
        self.cues = entity_cues(language)
        self.places = places
        #: (word, tag) -> may be part of a person's name; words recur across articles
        self._name_memo: dict[tuple[str, str], bool] = {}
        self._place_memo: dict[tuple[str, bool], bool] = {}

    # --- token predicates ----------------------------------------------------------------

    def role_before_name(self, token: Token) -> bool:
        """A role noun or title that may stand directly before a person's name."""
        text = token.text
        if text in self.cues.person_titles:
            return True
        found = self.roles.head(text) if _capitalised(text) else None
        return found is not None and found[1].person

    def name_token(self, token: Token) -> bool:
        """Could be part of a person's name (capitalised, not a common function word)."""
        text = token.text
        if not text[:1].isupper():
            return False
        key = (text, token.pos)
        found = self._name_memo.get(key)
        if found is None:
            found = self._name_token(text, token.pos)
            if len(self._name_memo) < 200_000:
                self._name_memo[key] = found
        return found

    def _name_token(self, text: str, pos: str) -> bool:
        if text in self.cues.not_names:
            return False
        if pos not in _NAMEISH or (text.isupper() and len(text) > 1 and text in self.index.forms):
            return False
        if pos not in _PROPER:
            # common nouns only where they are known names ("Fischer" after "Außenminister")
            return self.cues.first_name(text) is not None or self._kb_person(text)
        matches = self.index.get(text)
        if matches and not any(m.kind in ("person", "person_short") for m in matches):
            return False
        return self.roles.get(text) is None

    def _kb_person(self, text: str) -> bool:
        return any(m.kind in ("person", "person_short") for m in self.index.get(text))

    # --- passes --------------------------------------------------------------------------

    def __call__(self, doc: Document) -> list[Entity]:
        tokens = doc.tokens
        if not tokens:
            return []
        text = doc.text.replace("’", "'")
        claimed: list[_Span | None] = [None] * len(tokens)
        spans: list[_Span] = []

        def claim(start: int, end: int, type_: str, origin: str) -> None:
            span = _Span(start, end, type_, origin)
            spans.append(span)
            for k in range(start, end):
                claimed[k] = span

        def free(start: int, end: int) -> bool:
            return all(claimed[k] is None for k in range(start, end))

        kb_hits = self._kb_matches(tokens, text, "’" in doc.text)
        # 1. multi-word names of the knowledge base
        for start, end, matches in kb_hits:
            if (
                end - start > 1
                and free(start, end)
                and (type_ := _entity_type(matches)) is not None
            ):
                claim(start, end, type_, "kb")
        # 2. people by pattern
        sent_start = {s.token_start for s in doc.sentences}
        capitalised = [t for t in tokens if t.text[0].isupper()]
        for token in capitalised:
            i = token.i
            if claimed[i] is not None or not self.name_token(token):
                continue
            end = self._name_run(tokens, i, claimed)
            after_role = (
                i > 0
                and tokens[i - 1].sentence == token.sentence
                and (self.role_before_name(tokens[i - 1]))
            )
            given = self.cues.first_name(token.text) is not None and end - i >= 2
            known = self._kb_person(token.text) and (token.pos in _PROPER or after_role)
            if given and not all(
                tokens[k].pos in _PROPER
                or self._kb_person(tokens[k].text)
                or self.cues.first_name(tokens[k].text)
                # "Frank Mindermann": a surname the tagger calls a common noun
                or (k == i + 1 and self._surname_after_given(tokens, token, tokens[k]))
                or self._particle_name(tokens[k].text)
                for k in range(i + 1, end)
            ):
                given = False
            if after_role or given:
                claim(i, end, "PER", "pattern")
            elif known and (i not in sent_start or token.pos in _PROPER):
                claim(i, i + 1, "PER", "kb")
        # 3. repetition of people's names
        self._repeat_people(tokens, spans, claimed, claim)
        # 4. single-word names of the knowledge base
        for start, end, matches in kb_hits:
            if free(start, end):
                type_ = _entity_type(matches)
                if type_ == "PER" and tokens[start].pos not in _PROPER:
                    continue
                if type_ is not None:
                    claim(start, end, type_, "kb")
        # 5. places from the gazetteer; 6. shape
        self._unknown_names(tokens, claimed, claim, sent_start)
        # people found by shape in step 6 ("Neil Armstrong") repeat too ("Armstrongs")
        self._repeat_people(tokens, spans, claimed, claim)
        found = [
            (
                tokens[s.start].start,
                tokens[s.end - 1].end,
                tokens[s.start].sentence,
                s.type,
                s.origin,
            )
            for s in spans
        ]
        # 7. the name in a hyphenated compound ("UN-Beschlüsse", "Kreml-Sprecher")
        for token in capitalised:
            i = token.i
            if claimed[i] is None and "-" in token.text:
                prefix = self._compound_prefix(token.text)
                if prefix is not None:
                    name, type_ = prefix
                    found.append(
                        (token.start, token.start + len(name), token.sentence, type_, "compound")
                    )
        if self.model is not None:
            found = self._merge(doc.text, found, self._model_names(doc))
        found.sort()
        return [
            Entity(
                id=f"e{n}",
                text=doc.text[start:end],
                type=type_,  # type: ignore[arg-type]
                start=start,
                end=end,
                sentence=sentence,
                origin=origin,
            )
            for n, (start, end, sentence, type_, origin) in enumerate(found, 1)
        ]

    def _model_names(self, doc: Document) -> list[ner.DocumentSpan]:
        """The model's names, without a leading role word ("US-Popstar Madonna" -> "Madonna"):
        the role is no part of the name, in GermEval 2014 as for the actors stage."""
        tokens = doc.tokens
        names = []
        for span in ner.predict_document(doc, crf=self.model):
            first = tokens[span.start]
            if span.end > span.start and (
                self.role_before_name(first) or self.roles.head(first.text) is not None
            ):
                following = tokens[span.start + 1]
                span = replace(span, start=following.i, char_start=following.start)
            names.append(_before_origin(span, tokens))
        return names

    def _merge(
        self,
        text: str,
        rules: list[tuple[int, int, int, str, str]],
        model: list[ner.DocumentSpan],
    ) -> list[tuple[int, int, int, str, str]]:
        """The rules' and the model's names in one list without overlaps.

        `model+rules@T` (chosen on GermEval dev, docs/ner.md): the model's names scoring at least
        T first, then every rule name that overlaps none of them, then the model's weaker names
        where nothing was kept. `kb+model+rules@T`: the rules' knowledge-base names go first;
        `dict+model+rules@T`: their knowledge-base and gazetteer names;
        `pattern+model+rules@T`: their names found by pattern (role or given name before it).
        A model name with exactly a rule name's span keeps the rule's origin, and the rule's type
        where the knowledge base found it.
        """
        policy, threshold = self.merge_policy, self.merge_threshold
        # people found by shape alone (a run of unknown proper nouns, a one-word subject) do
        # not pass: the model judges such words better. On held-out GermEval dev (both folds)
        # they added false names only: precision +0.017, recall unchanged without them
        rules = [r for r in rules if r[4] != "shape" or r[3] != "PER"]
        by_span = {(r[0], r[1]): r for r in rules}
        # a name does not run across a comma ("Reederei Hapag-Lloyd, Nils Haupt"): the model
        # rarely joins two names so, but then confidently; the rules' names stand instead
        spans = [
            (m.char_start, m.char_end, m.sentence, m.label, "model", m.score)
            for m in model
            if "," not in text[m.char_start : m.char_end]
        ]
        # a person's name the rules found longer, by a role or given name before it ("Minister
        # Hans Beispiel"), where the model stopped early ("Hans"), and a knowledge-base name
        # of the model name's type around it ("Chang Ho Jin" where the model read "Chang Ho");
        # neutral on GermEval dev
        spans = [
            next(
                (
                    (*r[:4], r[4], s[5])
                    for r in rules
                    if r[3] == s[3]
                    and (r[4] == "kb" or (r[4] == "pattern" and r[3] == "PER"))
                    and r[0] <= s[0]
                    and s[1] <= r[1]
                    and (r[0], r[1]) != (s[0], s[1])
                ),
                s,
            )
            for s in spans
        ]
        # a model name across the edge of a knowledge-base or pattern name gives way to the
        # rules' names ("der Linken Gesine Beispiel" read as "Linken Gesine"); on GermEval dev
        # the two never cross so
        anchors = [(r[0], r[1]) for r in rules if r[4] in ("kb", "pattern")]
        spans = [s for s in spans if not any(_crosses(s[0], s[1], a, b) for a, b in anchors)]
        strong = [s[:5] for s in spans if s[5] >= threshold]
        weak = [s[:5] for s in spans if s[5] < threshold]
        kept: list[tuple[int, int, int, str, str]] = []

        def fill(candidates: list[tuple[int, int, int, str, str]]) -> None:
            for cand in candidates:
                if not any(cand[0] < k[1] and k[0] < cand[1] for k in kept):
                    rule = by_span.get((cand[0], cand[1]))
                    if cand[4] == "model" and rule is not None:
                        # the same name: the knowledge base knows its type ("Kim Jong Un" PER)
                        cand = rule if rule[4] == "kb" else (*cand[:4], rule[4])
                    kept.append(cand)

        if policy == "kb+model+rules":
            fill([r for r in rules if r[4] == "kb"])
        elif policy == "pattern+model+rules":
            fill([r for r in rules if r[4] == "pattern"])
        elif policy == "dict+model+rules":
            fill([r for r in rules if r[4] in ("kb", "gazetteer")])
        fill(strong)
        fill(rules)
        fill(weak)
        return kept

    def _compound_prefix(self, word: str) -> tuple[str, str] | None:
        """('UN', 'ORG') for 'UN-Beschlüsse': a known name before the first hyphen of a word.

        The compound as a whole is no entity (GermEval's "part" classes); the name inside it is
        one for the article's gold annotation and refers to an actor ("Kreml-Sprecher").
        """
        if "-" not in word[1:-1] or not _capitalised(word):
            return None
        name = word.split("-", 1)[0]
        if len(name) < 2:
            return None
        type_ = _entity_type(self.index.get(name))
        if type_ is None or type_ == "PER":
            return None
        return name, type_

    def _kb_matches(
        self, tokens: list[Token], text: str, curly: bool
    ) -> list[tuple[int, int, list[kb.KBMatch]]]:
        """Longest knowledge-base matches starting at each token (non-overlapping)."""
        hits: list[tuple[int, int, list[kb.KBMatch]]] = []
        first = self.index.first
        # only tokens that begin some name are looked at (a list comprehension is far cheaper
        # than a Python loop over every token)
        if curly:
            starts = [t.i for t in tokens if t.text in first or "’" in t.text]
        else:
            starts = [t.i for t in tokens if t.text in first]
        resume = 0
        n = len(tokens)
        for i in starts:
            if i < resume:
                continue
            token = tokens[i]
            word = token.text
            candidates = first.get(word.replace("’", "'") if "’" in word else word)
            found = None
            if candidates:
                for form in candidates:
                    if not text.startswith(form, token.start):
                        continue
                    # the token at which the form ends, if it ends at a token boundary
                    end = token.start + len(form)
                    j = i
                    while j + 1 < n and tokens[j].end < end:
                        j += 1
                    if tokens[j].end == end and tokens[j].sentence == token.sentence:
                        found = (i, j + 1, self.index.forms[form])
                        break
            if found:
                hits.append(found)
                resume = found[1]
        return hits

    def _name_run(self, tokens: list[Token], i: int, claimed: list[_Span | None]) -> int:
        """End of the person name starting at token i ("Chang Ho Jin", "Ursula von der Leyen")."""
        end = i + 1
        sentence = tokens[i].sentence
        while end < len(tokens) and tokens[end].sentence == sentence and claimed[end] is None:
            tok = tokens[end]
            if (
                tok.pos == "NN"
                and end == i + 1
                and self._surname_after_given(tokens, tokens[i], tok)
            ):
                end += 1
                continue
            if self.name_token(tok) and tok.pos in _PROPER | {"NN"}:
                if tok.pos == "NN" and not (
                    self.cues.first_name(tok.text) or self._kb_person(tok.text)
                ):
                    break
                end += 1
                continue
            if self._particle_name(tok.text):
                # "Umar al-Baschir", "Abd el-Fattah el-Sisi"
                end += 1
                continue
            # particles: "von der Leyen", "bin Salman", "de Gaulle"
            if tok.text in self.cues.name_particles:
                k = end
                while k < len(tokens) and tokens[k].text in self.cues.name_particles:
                    k += 1
                if (
                    k < len(tokens)
                    and k - end <= 2
                    and tokens[k].sentence == sentence
                    and claimed[k] is None
                    and tokens[k].pos in _PROPER
                    and _capitalised(tokens[k].text)
                ):
                    end = k + 1
                    continue
            break
        return end

    def _particle_name(self, text: str) -> bool:
        """A name joined to its particle by a hyphen: "al-Baschir", "el-Sisi"."""
        particle, dash, rest = text.partition("-")
        return bool(dash) and particle in self.cues.name_particles and _capitalised(rest)

    def _surname_after_given(self, tokens: list[Token], given: Token, token: Token) -> bool:
        """A common-noun tag after a given name, or after the first name of a titled person
        ("Schiedsrichter Knut Kircher"), is the tagger not knowing a surname ("Hossein
        Testmann"), unless the word is a role, a place noun or a known non-name."""
        text = token.text
        before = tokens[given.i - 1] if given.i > 0 else None
        titled = (
            before is not None
            and before.sentence == given.sentence
            and self.role_before_name(before)
        )
        return (
            (self.cues.first_name(given.text) is not None or titled)
            and _capitalised(text)
            and text not in self.cues.not_names
            and self.roles.head(text) is None
            and not self.cues.is_place_noun(text)
            and not self.index.get(text)
        )

    def _repeat_people(
        self,
        tokens: list[Token],
        spans: list[_Span],
        claimed: list[_Span | None],
        claim: Callable[[int, int, str, str], None],
    ) -> None:
        person_words = self._person_words(tokens, spans)
        if not person_words:
            return
        for token in [t for t in tokens if t.text in person_words]:
            i = token.i
            if (
                claimed[i] is None
                and token.pos in _NAMEISH
                and token.text not in self.cues.not_names
            ):
                claim(i, i + 1, "PER", "repeat")

    def _person_words(self, tokens: list[Token], spans: list[_Span]) -> set[str]:
        """Words of the people's names found so far, with their genitives ("Putins")."""
        words: set[str] = set()
        for span in spans:
            if span.type != "PER":
                continue
            for k in range(span.start, span.end):
                word = tokens[k].text
                if len(word) < 2 or not _capitalised(word) or word in self.cues.name_particles:
                    continue
                words.add(word)
                if not word.endswith(("s", "x", "z")):
                    words.add(word + "s")
        return words

    def _unknown_names(
        self,
        tokens: list[Token],
        claimed: list[_Span | None],
        claim: Callable[[int, int, str, str], None],
        sent_start: set[int],
    ) -> None:
        cues = self.cues
        proper = [t.i for t in tokens if t.pos in _PROPER]
        resume = 0
        for i in proper:
            if i < resume:
                continue
            token = tokens[i]
            if (
                claimed[i] is not None
                or not _capitalised(token.text)
                or token.text in cues.not_names
            ):
                continue
            end = i + 1
            while (
                end < len(tokens)
                and claimed[end] is None
                and tokens[end].sentence == token.sentence
                and tokens[end].pos in _PROPER
                and (_capitalised(tokens[end].text) or tokens[end].text[:1].isdigit())
                and tokens[end].text not in cues.not_names
            ):
                end += 1
            if end - i >= 2 and cues.is_place_noun(token.text):
                # "Weltraumbahnhof Wostotschny": the tagger calls the noun a name too
                i += 1
                token = tokens[i]
            org_tail = (
                end < len(tokens)
                and tokens[end].sentence == token.sentence
                and claimed[end] is None
                and (
                    tokens[end].text in cues.org_suffixes
                    or tokens[end].text.lower() in cues.org_heads
                )
            )
            if org_tail:
                # "Hirzel Verlag", "Siemens AG": the head is a common noun to the tagger
                end += 1
            run = tokens[i:end]
            words = [t.text for t in run]
            before = tokens[i - 1] if i > 0 and tokens[i - 1].sentence == token.sentence else None
            located = before is not None and (
                before.text in cues.locative or cues.is_place_noun(before.text)
            )
            place = (
                self._gazetteer(" ".join(words), strict=len(run) == 1 and not located)
                if len(run) <= 3
                else None
            )
            if (
                before is not None
                and before.pos in ("NN", "NE")
                and cues.is_place_noun(before.text)
            ) or (len(run) >= 2 and words[-1] in cues.place_heads):
                claim(i, end, "LOC", "pattern")
            elif (
                org_tail
                or any(cues.is_org_word(w) for w in words)
                or words[0] in cues.org_prefixes
                or (before is not None and before.text in cues.org_prefixes)
            ):
                claim(i, end, "ORG", "pattern")
            elif place:
                claim(i, end, "LOC", "gazetteer")
            elif len(run) == 1 and _acronym(token.text):
                claim(i, end, "ORG", "shape")
            elif len(run) >= 2 and all(len(w) <= 14 and w.isalpha() for w in words):
                claim(i, end, "PER", "shape")
            elif len(run) == 1 and before is not None and before.text in cues.locative:
                claim(i, end, "LOC", "shape")
            elif len(run) == 1 and self._subject_name(tokens, i, before):
                claim(i, end, "PER", "shape")
            resume = end

    def _subject_name(self, tokens: list[Token], i: int, before: Token | None) -> bool:
        """An unknown one-word name as the subject of a clause is most often a person: before a
        finite verb at the start of a sentence ("Kolb war ..."), or after a finite verb and
        before a comma or the end ("..., erklärte Bubik.")."""
        token = tokens[i]
        if len(token.text) < 3 or not token.text.isalpha() or token.text.isupper():
            return False
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        same = after is not None and after.sentence == token.sentence
        if before is None:
            return same and after.pos in _FINITE  # type: ignore[union-attr]
        if before.pos in _FINITE:
            return not same or after.pos in ("$,", "$.")  # type: ignore[union-attr]
        return False

    def _gazetteer(self, name: str, *, strict: bool) -> bool:
        """A known place; with `strict` (one word, no locative context) only a large one, since
        small places share their names with people and things ("Stalin", "Mercedes")."""
        key = (name, strict)
        found = self._place_memo.get(key)
        if found is None:
            found = self._is_place(name, strict)
            if len(self._place_memo) < 100_000:
                self._place_memo[key] = found
        return found

    def _is_place(self, name: str, strict: bool) -> bool:
        for entry in self.places(name, self.language):
            if entry.ambiguous_common_word or entry.ambiguous_person_name:
                continue
            if strict and entry.feature == "city" and entry.population < _STRICT_POPULATION:
                continue
            return True
        return False


def _entity_type(matches: list[kb.KBMatch]) -> str | None:
    for match in matches:
        if match.entity_type is not None:
            return match.entity_type
    return None


@stage(
    "chronik.entities.v1",
    requires=(
        "tokens",
        "pos",
    ),
    assigns=("entities",),
    languages=("de",),
)
def make_entities(
    language: str,
    knowledge: kb.KnowledgeBase | None = None,
    statistical: bool = True,
    merge: str = "model+rules@0.7",
) -> Stage:
    """The entity stage; `knowledge` replaces the built-in knowledge base; `statistical=False`
    leaves out the NER model (rules alone); `merge` is how both combine (`Recognizer._merge`)."""
    model = ner.model() if statistical else None
    # the gazetteer's index, built once per process, not on the first document
    gazetteer.load(language)
    recognizer = Recognizer(language, knowledge=knowledge, model=model, merge=merge)

    def entities(doc: Document) -> Document:
        doc.entities = recognizer(doc)
        return doc

    return entities
