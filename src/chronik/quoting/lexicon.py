"""The speech lexicon of a language: cue verbs, prepositions, nouns and quotation marks.

Loaded once per language from `lang/<code>/speech.yaml` into a `SpeechLexicon`. Verb forms are
generated from each lemma's paradigm (ablaut), so the data file lists only infinitives; a
separable verb's detached stem ("teilte" of "mitteilen") is indexed with the particle it needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from chronik.errors import DataError

POSITIONS = frozenset({"before", "after", "wie"})


@dataclass(frozen=True, slots=True)
class VerbCue:
    """A verb that introduces reported speech ("sagen", "mitteilen")."""

    lemma: str
    #: speech, writing, thought or impersonal ("hieß es")
    verb_class: str
    positions: frozenset[str]
    #: words one of which must stand in the clause ("geht davon aus, dass")
    correlates: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class VerbForm:
    """One inflected form of a cue verb; `particle` is the detached prefix the form needs."""

    cue: VerbCue
    particle: str | None = None
    #: a finite form ("sagte"); participles and infinitives are not
    finite: bool = True


@dataclass(frozen=True, slots=True)
class PrepositionCue:
    """A preposition that attributes a clause to the noun phrase it governs ("laut Polizei")."""

    word: str
    #: "before": precedes the speaker (laut X); "after": follows it (X zufolge)
    position: str
    #: attributes only when it governs a speech noun ("nach Angaben der Polizei")
    needs_noun: bool = False


@dataclass(frozen=True, slots=True)
class SpeechLexicon:
    language: str
    verbs: Mapping[str, VerbCue]
    #: lower-cased form -> the cue verbs it can be a form of
    forms: Mapping[str, tuple[VerbForm, ...]]
    prepositions: Mapping[str, PrepositionCue]
    #: endings of speech nouns, lower-case ("angabe" matches "Polizeiangaben")
    nouns: tuple[str, ...]
    #: endings of nouns whose content follows as a clause ("die Forderung, ... zu ...")
    message_nouns: tuple[str, ...]
    #: endings of nouns naming people or bodies that speak ("Regierungssprecher")
    speaker_nouns: tuple[str, ...]
    so_cue: frozenset[str]
    #: sentence adverbs that attribute their sentence to a source named before ("Demnach")
    report_adverbs: frozenset[str]
    complementizers: frozenset[str]
    adverbial_openers: frozenset[str]
    pronouns: frozenset[str]
    reportative_modals: frozenset[str]
    continuation_window: int
    #: opening mark -> the marks that close it
    quotation_marks: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def verb_forms(self, text: str, lemma: str) -> tuple[VerbForm, ...]:
        """The cue verbs a token may be, by its form and by the tagger's lemma."""
        found = self.forms.get(text.lower(), ())
        by_lemma = self.verbs.get(lemma.lower())
        if by_lemma is not None and all(f.cue is not by_lemma for f in found):
            found = (*found, VerbForm(by_lemma, None, False))
        return found

    def is_speech_noun(self, lemma: str, text: str) -> bool:
        return lemma.lower().endswith(self.nouns) or text.lower().endswith(self.nouns)

    def is_speaker_noun(self, lemma: str) -> bool:
        return lemma.lower().endswith(self.speaker_nouns)

    def is_message_noun(self, lemma: str) -> bool:
        return lemma.lower().endswith(self.message_nouns)


def _words(raw: Any, key: str) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(w, str) for w in raw):
        raise DataError(f"speech lexicon: {key!r} must be a list of words")
    return [w.strip() for w in raw if w.strip()]


def _paradigm_forms(lemma: str) -> list[tuple[str, str | None, bool]]:
    """(form, detached particle, finite) for the forms of `lemma` news uses."""
    import ablaut

    try:
        paradigm = ablaut.conjugate(lemma)
    except (ValueError, RuntimeError, KeyError):
        return [(lemma, None, False)]
    out: list[tuple[str, str | None, bool]] = []
    for tense in (paradigm.present, paradigm.preterite, paradigm.konjunktiv1, paradigm.konjunktiv2):
        for form in tense:
            parts = form.split()
            out.append((parts[0], parts[1] if len(parts) > 1 else None, True))
    for form in (paradigm.infinitive, paradigm.past_participle, paradigm.zu_infinitive):
        parts = form.split()
        if len(parts) == 1:
            out.append((parts[0], None, False))
        elif parts[0] == "zu":
            out.append((parts[1], None, False))
    particles = {p for _, p, _ in out if p}
    if particles:
        # participles and infinitives written apart ("bekannt gegeben") need the particle too
        prefix = next(iter(particles))
        for form in (paradigm.past_participle, paradigm.infinitive):
            if form.startswith(prefix) and len(form) > len(prefix):
                out.append((form[len(prefix) :], prefix, False))
    return out


def build_lexicon(language: str, data: Mapping[str, Any]) -> SpeechLexicon:
    """A `SpeechLexicon` from the parsed data file (see `lang/de/speech.yaml`)."""
    correlates = {
        lemma: frozenset(_words(words, f"correlates.{lemma}"))
        for lemma, words in (data.get("correlates") or {}).items()
    }
    verbs: dict[str, VerbCue] = {}
    for verb_class, spec in (data.get("verb_classes") or {}).items():
        positions = frozenset(spec.get("positions") or POSITIONS)
        if not positions <= POSITIONS:
            raise DataError(f"speech lexicon: unknown positions {sorted(positions - POSITIONS)}")
        for lemma in _words(spec.get("lemmas"), f"verb_classes.{verb_class}.lemmas"):
            verbs.setdefault(
                lemma, VerbCue(lemma, verb_class, positions, correlates.get(lemma, frozenset()))
            )
    forms: dict[str, list[VerbForm]] = {}
    for cue in verbs.values():
        for form, particle, finite in _paradigm_forms(cue.lemma):
            entry = VerbForm(cue, particle, finite)
            bucket = forms.setdefault(form.lower(), [])
            if entry not in bucket:
                bucket.append(entry)
    prepositions = {}
    for word, spec in (data.get("prepositions") or {}).items():
        position = spec.get("position", "before")
        if position not in {"before", "after"}:
            raise DataError(f"speech lexicon: preposition {word!r} has position {position!r}")
        prepositions[word] = PrepositionCue(word, position, bool(spec.get("noun", False)))
    marks = {
        opening: frozenset(_words(closing, f"quotation_marks.{opening}"))
        for opening, closing in (data.get("quotation_marks") or {}).items()
    }
    return SpeechLexicon(
        language=language,
        verbs=verbs,
        forms={form: tuple(entries) for form, entries in forms.items()},
        prepositions=prepositions,
        nouns=tuple(sorted({w.lower() for w in _words(data.get("nouns", []), "nouns")})),
        message_nouns=tuple(
            sorted({w.lower() for w in _words(data.get("message_nouns", []), "message_nouns")})
        ),
        speaker_nouns=tuple(
            sorted({w.lower() for w in _words(data.get("speaker_nouns", []), "speaker_nouns")})
        ),
        so_cue=frozenset(_words(data.get("so_cue", []), "so_cue")),
        report_adverbs=frozenset(_words(data.get("report_adverbs", []), "report_adverbs")),
        complementizers=frozenset(_words(data.get("complementizers", []), "complementizers")),
        adverbial_openers=frozenset(_words(data.get("adverbial_openers", []), "adverbial_openers")),
        pronouns=frozenset(_words(data.get("pronouns", []), "pronouns")),
        reportative_modals=frozenset(
            _words(data.get("reportative_modals", []), "reportative_modals")
        ),
        continuation_window=int(data.get("continuation_window", 3)),
        quotation_marks=marks,
    )


@cache
def load_lexicon(language: str) -> SpeechLexicon:
    """The speech lexicon of `language`, read from `lang/<language>/speech.yaml` once."""
    path = resources.files("chronik").joinpath(f"lang/{language}/speech.yaml")
    if not path.is_file():
        raise DataError(
            f"no speech lexicon for language {language!r} (lang/{language}/speech.yaml)"
        )
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except yaml.YAMLError as exc:
        raise DataError(f"lang/{language}/speech.yaml is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise DataError(f"lang/{language}/speech.yaml must hold a mapping")
    return build_lexicon(language, data)
