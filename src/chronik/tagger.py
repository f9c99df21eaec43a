"""A fast German part-of-speech tagger and lemmatiser distilled from HanTa (internal module).

HanTa (the Hanover Tagger) tags a sentence with a second-order hidden Markov model over STTS tags;
each word's emission scores come from a morphological analysis of the form, and that analysis
costs milliseconds per new word form. `scripts/train_tagger.py` runs it once, offline, over the
word forms of a German news corpus and stores, per form, HanTa's candidate tags with their
scores, lemmas and (for finite verbs) mood. This module runs the same Viterbi search with the
same transition model over those stored scores, so for a form in the lexicon it makes HanTa's
choice at a small fraction of the cost.

A form the lexicon lacks is guessed: a compound takes the tags and the lemma of its longest known
nominal or adjectival head ("Ministrantenregistratur" -> "registratur"); anything else takes the
tag distribution and lemma rule of its ending, learnt from the forms HanTa analysed.

The mood of a finite verb compares the form with the verb's paradigm from ablaut: a form of the
Konjunktiv I that is not also an indicative third-person form ("verletze", "seien", "habe") marks
reported speech; a Konjunktiv II form that is not also a preterite ("würde", "müsste", "wäre")
marks the hypothetical. The lexicon stores it; unknown verbs are conjugated when met.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from operator import itemgetter

import ablaut
import numpy as np

from chronik import kernels
from chronik.errors import DataError

#: finite verb tags, the ones that carry a mood
FINITE = frozenset({"VVFIN", "VAFIN", "VMFIN"})
#: tags whose lemmas HanTa capitalises
CAPITALISED = frozenset({"NN", "NE", "NNA", "NNI", "FM", "TRUNC"})
#: tags a compound may take from its head ("Pufferüberläufe" from "überläufe")
OPEN_HEADS = frozenset({"NN", "ADJA", "ADJD"})
#: HanTa's analysis of an unknown word grows with the cube of its length; callers tag longer
#: tokens (URLs, garbage, ornaments) as XY without asking the tagger
MAX_WORD = 64
#: longest word ending the guesser knows
GUESSER_SUFFIX = 5
#: a compound's head has at least this many characters, and so has the part before it
MIN_HEAD = 4
MIN_MODIFIER = 3
#: how much the ending of a compound counts against its head (see GermanTagger._guess)
ENDING_WEIGHT = 0.3
#: the guesser reads an ending only if this many characters stay before it
MIN_STEM = 3
#: tags a verb particle's compound may take from its head ("abseilte" from "seilte")
VERB_HEADS = frozenset({"VVFIN", "VVINF", "VVPP", "VVIZU"})
#: HanTa keeps only a (non-memorised) word's tags within this distance of its best tag's score
CUTOFF = 5.0
#: HanTa's Viterbi search extends the best few states of each position only
BEAM = 5
#: emission scores of unknown forms kept per process (a corpus run meets new names forever)
GUESS_CACHE = 100_000

_QUOTE = re.compile(r"^(`|``|´|´´|'|'')$")
_DIGIT = re.compile(r"\d")
_BRACKETED = re.compile(r"\((\w+)\)$")
_START = ("EMPTY", "START")
_END = "END"
_SCORE = itemgetter(1)


def stts(tag: str) -> str:
    """HanTa writes some STTS tags with brackets: 'VV(FIN)' -> 'VVFIN', 'ADJ(A)' -> 'ADJA'.

    '$(' (other punctuation) is STTS as it stands.
    """
    return _BRACKETED.sub(r"\1", tag)


def normalize(word: str) -> str:
    """The lexicon's key of a word: lower case; HanTa reads ASCII quote marks as '"'."""
    if len(word) <= 2 and _QUOTE.match(word):
        return '"'
    return word.lower()


def guesser_key(form: str) -> str:
    """The ending of a lower-case form that the guesser looks up, with digits as '0'."""
    return _DIGIT.sub("0", form[-GUESSER_SUFFIX:])


def _first_word(form: str) -> str:
    return form.split()[0]


def _joined(form: str) -> str:
    """A separable verb's "gehe aus" as it stands verb-final, in subordinate clauses: "ausgehe"."""
    parts = form.split()
    return parts[-1] + parts[0] if len(parts) == 2 else parts[0]


@lru_cache(maxsize=65536)
def mood(form: str, lemma: str) -> str:
    """'subj1', 'subj2' or 'ind' for a finite German verb form of `lemma`."""
    form = form.lower()
    if form in {"würde", "würden", "würdest", "würdet"}:
        return "subj2"
    try:
        paradigm = ablaut.conjugate(lemma)
    except (ValueError, RuntimeError):
        return "ind"
    rows = (paradigm.present, paradigm.preterite, paradigm.konjunktiv1, paradigm.konjunktiv2)
    verb_second = any(form == _first_word(f) for row in rows for f in row)
    pick = _first_word if verb_second else _joined
    present, preterite, konj1, konj2 = ([pick(f) for f in row] for row in rows)
    # first person singular present equals the Konjunktiv I third person ("verletze"); news
    # rarely speaks in the first person outside quotations, so the Konjunktiv reading wins.
    indicative_3rd = {present[2], present[5]}
    if form in konj1 and form not in indicative_3rd and form not in set(present) - {present[0]}:
        return "subj1"
    if form in konj2 and form not in preterite:
        return "subj2"
    return "ind"


@dataclass(frozen=True, slots=True)
class Analysis:
    """A lower-case form's candidate tags with analysis scores, and lemma and mood per tag."""

    memorised: bool
    scores: tuple[tuple[str, float], ...]
    lemmas: dict[str, tuple[str, str]]


#: an Analysis's lemmas as the tagger's memos keep them: tag, lemma, mood, tag, lemma, ...
_Lemmas = tuple[str, ...]
#: an Analysis's fields (memorised, scores, lemmas) as the memos keep them
_Fields = tuple[bool, tuple[tuple[str, float], ...], _Lemmas]
#: a word's emission in one capitalisation context: tag numbers, their scores, its lemmas
_Emission = tuple[tuple[int, ...], tuple[float, ...], _Lemmas]


def _flat(lemmas: dict[str, tuple[str, str]]) -> _Lemmas:
    return tuple([part for tag, (lemma, mood) in lemmas.items() for part in (tag, lemma, mood)])


def _unflat(flat: _Lemmas) -> dict[str, tuple[str, str]]:
    return {flat[k]: (flat[k + 1], flat[k + 2]) for k in range(0, len(flat), 3)}


@dataclass(frozen=True, slots=True)
class Guess:
    """What the guesser knows about a word ending: tag scores and a lemma rule per tag."""

    scores: tuple[tuple[str, float], ...]
    rules: dict[str, tuple[int, str]]


@dataclass(frozen=True, slots=True)
class TaggedWord:
    pos: str
    lemma: str
    #: 'ind', 'subj1' or 'subj2' for finite verbs, else ""
    mood: str


def _read_gzip(name: str) -> str:
    path = resources.files("chronik").joinpath(f"models/{name}")
    if not path.is_file():
        raise DataError(
            f"tagger model {name} is missing ({path}); rebuild it with scripts/train_tagger.py"
        )
    return gzip.decompress(path.read_bytes()).decode("utf-8")


def compound(
    form: str, known: Callable[[str], Analysis | None], particles: Collection[str]
) -> Analysis | None:
    """A compound's analysis from its longest known head, for the tags it can take from it.

    Nominal and adjectival heads ("ministrantenregistratur" from "registratur"); after a verb
    particle also verbal ones ("abseilte" from "seilte", lemma "abseilen"), and a particle with
    "zu" before an infinitive makes a zu-infinitive ("einzubehalten", lemma "einbehalten").
    """
    n = len(form)
    for i in range(2, n - 1):
        modifier, head = form[:i], form[i:]
        after_hyphen = modifier[-1] == "-"
        particle = modifier in particles
        zu_infinitive = modifier.endswith("zu") and modifier[:-2] in particles
        if after_hyphen:
            if not head.isalpha():
                continue
        elif n - i < MIN_HEAD or (i < MIN_MODIFIER and not particle):
            continue
        analysis = known(head)
        if analysis is None:
            continue
        allowed = OPEN_HEADS
        if after_hyphen:
            allowed = OPEN_HEADS | {"NE"}
        elif particle:
            allowed = OPEN_HEADS | VERB_HEADS
        scores = []
        lemmas = {}
        for tag, score in analysis.scores:
            lemma = analysis.lemmas[tag][0].lower()
            if zu_infinitive and tag == "VVINF":
                tag, lemma = "VVIZU", modifier[:-2] + lemma
            elif tag in allowed:
                lemma = modifier + lemma
            else:
                continue
            if tag in CAPITALISED:
                lemma = lemma[:1].upper() + lemma[1:]
            scores.append((tag, score))
            lemmas[tag] = (lemma, "")
        if scores:
            return Analysis(False, tuple(scores), lemmas)
    return None


class GermanTagger:
    """HanTa's tagging model over a precomputed lexicon; `tag` takes one sentence's words."""

    def __init__(self) -> None:
        hmm = json.loads(_read_gzip("de_hmm.json.gz"))
        # The Viterbi search (compiled: chronik.kernels.beam_viterbi_batch) runs over small
        # ints, not tag strings: a state (previous tag, tag) is previous * width + tag, and its
        # transitions a row of `_trans` indexed by the next tag.
        successors = set(hmm["prior"]) | {_END}
        names = sorted(successors | {tag for key in hmm["transitions"] for tag in key.split(" ")})
        self._names: list[str] = names
        index = {tag: i for i, tag in enumerate(names)}
        self._index: dict[str, int] = index
        width = len(names)
        self._width = width
        # HanTa's model is smoothed: every state can go on with every tag (and end the
        # sentence), so the search needs no test for a missing transition (states the model
        # never reaches keep zeros)
        self._trans = np.zeros((width * width, width))
        for key, following in hmm["transitions"].items():
            if following.keys() != successors:
                raise DataError(f"tagger model: transitions of {key!r} are incomplete")
            before, last = key.split(" ")
            self._trans[index[before] * width + index[last]] = [
                following.get(tag, 0.0) for tag in names
            ]
        for before in [_START[1], *hmm["prior"]]:
            for last in hmm["prior"]:
                if f"{before} {last}" not in hmm["transitions"]:
                    raise DataError(f"tagger model: no transitions from {before} {last}")
        # compile the search (or load it from numba's cache) now, not on the first sentence
        kernels.prepare()
        self._start = self._index[_START[0]] * width + self._index[_START[1]]
        self._end = self._index[_END]
        self._nn = self._index["NN"]
        # emission = analysis score - tag prior (+ capitalisation term), as in HanTa's
        # _tag_word(conditional=True); folded into one table per capitalisation context
        prior: dict[str, float] = hmm["prior"]
        case: dict[str, list[float]] = hmm["capitalisation"]
        self._offset: tuple[dict[str, float], dict[str, float], dict[str, float]] = (
            {t: -p for t, p in prior.items()},
            {t: case[t][0] - p for t, p in prior.items()},
            {t: case[t][1] - p for t, p in prior.items()},
        )
        # entries stay unparsed text until a form is first met: loading stays fast
        self._lexicon: dict[str, str] = {}
        for line in _read_gzip("de_lexicon.tsv.gz").split("\n")[1:]:
            form, sep, rest = line.partition("\t")
            if sep:
                self._lexicon[form] = rest
        self._guesser: dict[str, Guess] = {}
        for line in _read_gzip("de_guesser.tsv.gz").split("\n")[1:]:
            if not line:
                continue
            suffix, _, *cells = line.split("\t")
            scores = []
            rules = {}
            for cell in cells:
                tag, logp, rule = cell.split(" ")
                cut, _, add = rule.partition("+")
                scores.append((tag, float(logp)))
                rules[tag] = (int(cut), add)
            self._guesser["" if suffix == "^" else suffix] = Guess(tuple(scores), rules)
        # separable verb particles ("ab", "auf", "fest"): the forms HanTa can tag PTKVZ
        self._particles = frozenset(
            form for form, raw in self._lexicon.items() if "\tPTKVZ " in "\t" + raw
        )
        # The memos hold tuples of strings and numbers only (an Analysis's fields, its lemmas
        # as one flat tuple), no Analysis objects or dictionaries: Python's cycle collector
        # stops tracking such tuples, while a corpus run would add some 70 tracked objects per
        # article to these memos, which every full collection walks again.
        self._analyses: dict[str, _Fields] = {}
        self._emissions: dict[tuple[str, int], _Emission] = {}

    # -- analyses -------------------------------------------------------------------------------

    def _known_fields(self, form: str) -> _Fields | None:
        # The lexicon decides what is known: `_analyses` also caches guesses, and answering from
        # it would make a compound's head, and so the tagging, depend on what the process had
        # tagged before.
        raw = self._lexicon.get(form)
        if raw is None:
            return None
        fields = self._analyses.get(form)
        if fields is not None:
            return fields
        flag, *cells = raw.split("\t")
        scores = []
        lemmas: list[str] = []
        for cell in cells:  # one cell per tag
            parts = cell.split(" ")
            scores.append((parts[0], float(parts[1])))
            lemmas += (parts[0], parts[2], parts[3] if len(parts) > 3 else "")
        fields = self._analyses[form] = (flag == "1", tuple(scores), tuple(lemmas))
        return fields

    def _known(self, form: str) -> Analysis | None:
        fields = self._known_fields(form)
        return None if fields is None else Analysis(fields[0], fields[1], _unflat(fields[2]))

    def known(self, form: str) -> bool:
        """Whether the lexicon has the lower-case form (else the guesser analyses it)."""
        return form in self._lexicon

    def analysis(self, form: str) -> Analysis:
        """The lexicon's analysis of a lower-case form, or the guesser's."""
        fields = self._fields(form)
        return Analysis(fields[0], fields[1], _unflat(fields[2]))

    def _fields(self, form: str) -> _Fields:
        """`analysis` as the memo keeps it."""
        fields = self._known_fields(form)
        if fields is not None:
            return fields
        fields = self._analyses.get(form)
        if fields is not None:
            return fields
        if len(self._analyses) > len(self._lexicon) + GUESS_CACHE:
            self._analyses = {}
        guess = self._guess(form)
        fields = self._analyses[form] = (guess.memorised, guess.scores, _flat(guess.lemmas))
        return fields

    def _guess(self, form: str) -> Analysis:
        """A new form's analysis: its ending's, mixed with its compound head's where it has one.

        The head decides among the tags it allows; the ending's other tags stay possible at
        ENDING_WEIGHT, so that capitalisation and context can still make a lower-case word with
        a noun head an adjective ("liturgische"), or a capitalised one a name ("Burgenland").
        """
        ending = self._by_ending(form)
        head = compound(form, self._known, self._particles)
        if head is None:
            return ending
        top = max(score for _, score in head.scores)
        total = math.log(sum(math.exp(score - top) for _, score in head.scores)) + top
        scores = [(tag, score - total) for tag, score in head.scores]
        lemmas = dict(head.lemmas)
        weight = math.log(ENDING_WEIGHT)
        for tag, score in ending.scores:
            if tag not in lemmas:
                scores.append((tag, score + weight))
                lemmas[tag] = ending.lemmas[tag]
        return Analysis(False, tuple(scores), lemmas)

    def _by_ending(self, form: str) -> Analysis:
        key = guesser_key(form)
        guess = None
        # an ending tells something only when a stem stays before it ("Sung" is no "-ung" noun)
        for k in range(min(len(key), len(form) - MIN_STEM), -1, -1):
            guess = self._guesser.get(key[len(key) - k :])
            if guess is not None:
                break
        if guess is None:
            return Analysis(False, (("NN", 0.0),), {"NN": (form[:1].upper() + form[1:], "")})
        lemmas = {}
        for tag, _ in guess.scores:
            cut, add = guess.rules[tag]
            lemma = (form[: len(form) - cut] if cut else form) + add
            if not lemma:
                lemma = form
            if tag == "VVPP":
                lemma = self._without_ge(lemma)
            if tag in CAPITALISED:
                lemma = lemma[:1].upper() + lemma[1:]
            lemmas[tag] = (lemma, "")
        return Analysis(False, guess.scores, lemmas)

    def _without_ge(self, lemma: str) -> str:
        """A participle's infinitive lacks its "ge", also after a particle: "gesickern" ->
        "sickern", "abgeschirmen" -> "abschirmen" (endings give the rest of the lemma)."""
        if lemma.startswith("ge") and len(lemma) > 5:
            return lemma[2:]
        for i in range(2, min(len(lemma) - 5, 8)):
            if lemma[i : i + 2] == "ge" and lemma[:i] in self._particles:
                return lemma[:i] + lemma[i + 2 :]
        return lemma

    def _emission(self, word: str, mode: int) -> _Emission:
        """HanTa's conditional emission scores of a word in a capitalisation context: the tag
        numbers (best first), their scores, and the word's lemma and mood by tag.

        mode 0: the sentence's first word (capitalisation says nothing); 1: lower case; 2: upper.
        """
        key = (word, mode)
        found = self._emissions.get(key)
        if found is not None:
            return found
        memorised, scores, lemmas = self._fields(normalize(word))
        offset = self._offset[mode]
        index = self._index
        # best first; a stable sort keeps the analysis's order among equal scores
        scored = [(index[t], s + offset[t]) for t, s in scores if t in offset]
        scored.sort(key=_SCORE, reverse=True)
        if scored and not memorised:
            limit = scored[0][1] - CUTOFF
            scored = [pair for pair in scored if pair[1] >= limit]
        result = (tuple([t for t, _ in scored]), tuple([s for _, s in scored]), lemmas)
        if len(self._emissions) > 4 * GUESS_CACHE:
            self._emissions = {}
        self._emissions[key] = result
        return result

    # -- tagging --------------------------------------------------------------------------------

    def _viterbi(self, sentences: Sequence[Sequence[str]]) -> tuple[list[int], list[_Lemmas]]:
        """The most likely tag sequence of each sentence (HanTa's Viterbi search, compiled:
        `chronik.kernels.beam_viterbi_batch`, one call for all), as tag numbers, and each word's
        lemma and mood by tag: the sentences' words one after another."""
        emissions = self._emissions
        lemmas = []
        tags: list[int] = []
        scores: list[float] = []
        offsets = [0]
        for words in sentences:
            for index, word in enumerate(words):
                mode = (2 if word[:1].isupper() else 1) if index else 0
                found = emissions.get((word, mode))
                if found is None:
                    found = self._emission(word, mode)
                tags.extend(found[0])
                scores.extend(found[1])
                lemmas.append(found[2])
                offsets.append(len(tags))
        out = np.zeros(len(lemmas), dtype=np.int64)
        if lemmas:
            kernels.beam_viterbi_batch(
                np.array(tags, dtype=np.int64),
                np.array(scores, dtype=np.float64),
                np.array(offsets, dtype=np.int64),
                np.array([len(words) for words in sentences], dtype=np.int64),
                self._trans,
                self._start,
                self._end,
                self._nn,
                self._width,
                BEAM,
                out,
            )
        return out.tolist(), lemmas

    def tags(self, words: Sequence[str]) -> list[str]:
        """The most likely STTS tag sequence of one sentence (HanTa's Viterbi search)."""
        names = self._names
        return [names[tag] for tag in self._viterbi([words])[0]]

    def annotate(self, words: Sequence[str]) -> list[tuple[str, str, str]]:
        """Tag, lemma and mood ("" unless a finite verb) of each word of one sentence."""
        return self.annotate_batch([words])[0]

    def annotate_batch(
        self, sentences: Sequence[Sequence[str]]
    ) -> list[list[tuple[str, str, str]]]:
        """`annotate` for each of several sentences (one search call for all: an article's)."""
        names = self._names
        tags, lemmas = self._viterbi(sentences)
        out = []
        k = 0
        for words in sentences:
            out.append([_triple(w, names[tags[k + j]], lemmas[k + j]) for j, w in enumerate(words)])
            k += len(words)
        return out

    def tag(self, words: Sequence[str]) -> list[TaggedWord]:
        """Tag, lemma and mood of each word of one sentence."""
        return [TaggedWord(*triple) for triple in self.annotate(words)]


def _triple(word: str, tag: str, flat: _Lemmas) -> tuple[str, str, str]:
    """Tag, lemma and mood of a word tagged `tag`, from its lemmas and moods by tag (`flat`)."""
    for j in range(0, len(flat), 3):
        if flat[j] == tag:
            lemma, verb_mood = flat[j + 1], flat[j + 2]
            break
    else:
        lemma, verb_mood = word, ""
    if lemma == '"':
        lemma = word.lower()  # HanTa reads `` and '' as '"' but lemmatises them as they are
    if tag in FINITE:
        return (tag, lemma, verb_mood or mood(word, lemma))
    return (tag, lemma, "")


@cache
def german_tagger() -> GermanTagger:
    """The process's tagger (its model files are read once)."""
    return GermanTagger()
