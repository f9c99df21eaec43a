"""Placeholder for the times stage (assigns nothing yet)."""

from __future__ import annotations

from chronik.document import Document
from chronik.registry import Stage, stage


@stage("chronik.times.v1", requires=("tokens",), assigns=("times",), languages=("de",))
def make_times(language: str) -> Stage:
    def times(doc: Document) -> Document:
        return doc

    return times
