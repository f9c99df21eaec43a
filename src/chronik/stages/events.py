"""The events stage: PLOVER events from clauses, event patterns and actor mentions.

Reads the tokens (with tags), the actors and their mentions, times, places and quotes; assigns
`doc.events`. The work is done by `chronik.syntax` (clauses) and `chronik.coding` (patterns and
coder); the patterns are `lang/<code>/events.yaml`.
"""

from __future__ import annotations

from chronik import syntax
from chronik.coding import cameo_tables, code_events, load_patterns
from chronik.document import Document
from chronik.registry import Stage, stage


@stage(
    "chronik.events.v1",
    requires=(
        "pos",
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
        clauses = syntax.analyze(doc, language)
        doc.events = code_events(doc, clauses, patterns, tables, lex)
        return doc

    return events
