"""Placeholder for the places stage (assigns nothing yet)."""

from __future__ import annotations

from chronik.document import Document
from chronik.registry import Stage, stage


@stage("chronik.places.v1", requires=("entities",), assigns=("places",), languages=("de",))
def make_places(language: str) -> Stage:
    def places(doc: Document) -> Document:
        return doc

    return places
