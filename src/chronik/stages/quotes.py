"""Placeholder for the quotes stage (assigns nothing yet)."""

from __future__ import annotations

from chronik.document import Document
from chronik.registry import Stage, stage


@stage(
    "chronik.quotes.v1",
    requires=(
        "pos",
        "actors",
        "mentions",
    ),
    assigns=("quotes",),
    languages=("de",),
)
def make_quotes(language: str) -> Stage:
    def quotes(doc: Document) -> Document:
        return doc

    return quotes
