"""Placeholder for the events stage (assigns nothing yet)."""

from __future__ import annotations

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
    def events(doc: Document) -> Document:
        return doc

    return events
