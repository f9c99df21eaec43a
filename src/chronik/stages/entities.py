"""Placeholder for the entities stage (assigns nothing yet)."""

from __future__ import annotations

from chronik.document import Document
from chronik.registry import Stage, stage


@stage(
    "chronik.entities.v1",
    requires=(
        "tokens",
        "pos",
    ),
    assigns=("entities",),
    languages=("de",),
)
def make_entities(language: str) -> Stage:
    def entities(doc: Document) -> Document:
        return doc

    return entities
