"""Analysing the articles of files and corpora, one result per article, in input order."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from chronik.api import analyze
from chronik.document import Document
from chronik.errors import ChronikError
from chronik.reader import Article, ReadFailure, read

if TYPE_CHECKING:
    from chronik.kb import KnowledgeBase


@dataclass(frozen=True, slots=True)
class Outcome:
    """One article's result: its `Document`, or the reason it failed."""

    origin: str
    id: str | None
    document: Document | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.document is not None


def analyze_article(
    article: Article,
    *,
    published: str | None = None,
    language: str | None = None,
    knowledge: KnowledgeBase | None = None,
) -> Document:
    """Analyse an `Article`; `published` and `language` fill in what the article lacks."""
    return analyze(
        article.text,
        published=article.published or published,
        language=article.language or language,
        title=article.title,
        id=article.id,
        url=article.url,
        source=article.source,
        knowledge=knowledge,
    )


def process(
    inputs: Iterable[str | Path],
    *,
    published: str | None = None,
    language: str | None = None,
    knowledge: KnowledgeBase | None = None,
) -> Iterator[Outcome]:
    """Analyse every article of the inputs (files, folders, corpora).

    Raises `MissingInputError` before anything is analysed when a path does not exist; every
    other problem becomes a failed `Outcome` and the remaining articles are still analysed."""
    for item in read(inputs):
        if isinstance(item, ReadFailure):
            yield Outcome(origin=item.origin, id=item.id, error=item.reason)
            continue
        try:
            doc = analyze_article(item, published=published, language=language, knowledge=knowledge)
        except ChronikError as exc:
            yield Outcome(origin=item.origin, id=item.id, error=str(exc))
        else:
            yield Outcome(origin=item.origin, id=item.id, document=doc)
