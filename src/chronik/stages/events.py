"""The events stage: PLOVER events from clauses, event patterns and actor mentions.

Reads the clauses (`doc.clauses`, from `chronik.clauses.v1`), the actors and their mentions,
times, places and quotes; assigns `doc.events`. The work is done by `chronik.coding` (patterns and
coder); the patterns are `lang/<code>/events.yaml`. A document that has not been through the
clauses stage is analysed here with `chronik.syntax`, so the stage also runs in pipelines without
it.
"""

from __future__ import annotations

from chronik import syntax
from chronik.coding import EventPatterns, cameo_tables, code_events, load_patterns
from chronik.document import Document
from chronik.registry import Stage, stage

# the clause layer's stage is registered with the events stage that reads it
from chronik.stages import clauses as _clauses  # noqa: F401


@stage(
    "chronik.events.v1",
    requires=(
        "pos",
        "clauses",
        "actors",
        "mentions",
        "times",
        "places",
        "quotes",
    ),
    assigns=("events",),
    languages=("de",),
)
def make_events(language: str) -> Stage:
    patterns = load_patterns(language)
    tables = cameo_tables()
    lex = syntax.lexicon(language)

    def events(doc: Document) -> Document:
        if not doc.mentions:
            doc.events = []
            return doc
        wanted = _sentences_to_analyse(doc, patterns)
        if doc.clauses:
            # the shared layer: the same clauses, so the same events as analysing them here
            chosen = set(wanted)
            clauses = [c for c in doc.clauses if c.sentence in chosen]
        else:
            clauses = syntax.analyze(doc, language, wanted)
        doc.events = code_events(doc, clauses, patterns, tables, lex)
        return doc

    return events


def _sentences_to_analyse(doc: Document, patterns: EventPatterns) -> list[int]:
    """Sentences that can hold an event: those naming an actor, and those with a verb that can be
    coded without one (an agentless agreement after a meeting). When the actors stage resolves no
    pronouns the coder falls back on the last subject, so every sentence is analysed."""
    if not any(m.via == "pronoun" for m in doc.mentions):
        return list(range(len(doc.sentences)))
    wanted = {m.sentence for m in doc.mentions}
    for index in range(len(doc.sentences)):
        if index in wanted:
            continue
        if any(t.lemma.lower() in patterns.symmetric_verbs for t in doc.sentence_tokens(index)):
            wanted.add(index)
    return sorted(wanted)
