"""The library's entry point: `analyze` one article."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from chronik.document import Document, Metadata
from chronik.errors import InputError, TooLargeError, UnsupportedLanguageError
from chronik.language import detect_language
from chronik.pipeline import SUPPORTED_LANGUAGES, Pipeline, default_pipeline

if TYPE_CHECKING:
    from chronik.kb import KnowledgeBase

#: articles longer than this are refused; news articles are rarely above 50,000 characters
MAX_CHARS = 1_000_000


def parse_published(value: str | date | None) -> date | None:
    """A publication date from an ISO date or datetime string (or a date)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise InputError(
            f"publication date {value!r} is not an ISO date such as 2023-09-15"
        ) from None


#: pipelines built for knowledge bases with imported dictionaries, by the knowledge base's id
#: (the knowledge base is kept with its pipeline, so that the id stays its own); internal
_knowledge_pipelines: dict[int, tuple[KnowledgeBase, Pipeline]] = {}


def _pipeline(language: str, knowledge: KnowledgeBase | None) -> Pipeline:
    if knowledge is None:
        return default_pipeline(language)
    key = id(knowledge)
    found = _knowledge_pipelines.get(key)
    if found is None or found[0] is not knowledge:
        from chronik.stages.actors import knowledge_pipeline

        found = (knowledge, knowledge_pipeline(language, knowledge))
        _knowledge_pipelines[key] = found
    return found[1]


def headline(text: str) -> str | None:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return None


def analyze(
    text: str,
    *,
    published: str | date | None = None,
    language: str | None = None,
    title: str | None = None,
    id: str = "doc",
    url: str | None = None,
    source: str | None = None,
    knowledge: KnowledgeBase | None = None,
) -> Document:
    """Analyse one article and return its `Document` with every layer of the contract.

    `text` is the article as read: the first non-empty line is the headline. `published` anchors
    relative dates ("am Mittwoch"); without it they stay unresolved. `language` is detected when
    not given; a language without a pipeline raises `UnsupportedLanguageError`. `knowledge` is an
    actor knowledge base with imported dictionaries (`KnowledgeBase.default().extended(paths)`);
    the built-in one is used when it is None.
    """
    if not isinstance(text, str):
        raise InputError(f"text must be a str, not {type(text).__name__}")
    if len(text) > MAX_CHARS:
        raise TooLargeError(
            f"article {id!r} has {len(text):,} characters; the limit is {MAX_CHARS:,}. "
            "Split it into articles or shorten it."
        )
    if "\x00" in text:
        raise InputError(f"article {id!r} contains NUL bytes: it looks like a binary file")
    lang = language or detect_language(text)
    if lang not in SUPPORTED_LANGUAGES:
        raise UnsupportedLanguageError(
            f"article {id!r} is in language {lang!r}; Chronik analyses: "
            + ", ".join(SUPPORTED_LANGUAGES)
        )
    meta = Metadata(
        id=id,
        title=title if title is not None else headline(text),
        language=lang,
        published=parse_published(published),
        url=url,
        source=source,
    )
    doc = Document(text=text, meta=meta)
    return _pipeline(lang, knowledge)(doc)
