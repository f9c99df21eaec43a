"""Placeholder for the actors stage (assigns nothing yet)."""

from __future__ import annotations

from chronik.document import Document
from chronik.registry import Stage, stage


@stage(
    "chronik.actors.v1",
    requires=("entities",),
    assigns=(
        "actors",
        "mentions",
    ),
    languages=("de",),
)
def make_actors(language: str) -> Stage:
    def actors(doc: Document) -> Document:
        return doc

    return actors
