"""Quotes: direct, indirect and mixed reported speech, attributed to speakers.

The rules live in `chronik.quoting`; the cue words in `lang/<code>/speech.yaml`. This stage finds
the quotes and links each speaker's words to an actor through the mentions of the actors stage.
"""

from __future__ import annotations

from bisect import bisect_left

from chronik.document import Document, Mention, Quote
from chronik.quoting.extract import QuoteFinder
from chronik.quoting.lexicon import load_lexicon
from chronik.registry import Stage, stage

#: mention kinds, best first, when several mentions lie in a speaker's words
_VIA_RANK = {"name": 0, "role": 1, "metonym": 2, "adjective": 3, "pronoun": 4}


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
    finder = QuoteFinder(load_lexicon(language))

    def quotes(doc: Document) -> Document:
        doc.quotes = finder(doc)
        link_speakers(doc, doc.quotes)
        return doc

    return quotes


def link_speakers(doc: Document, quotes: list[Quote]) -> None:
    """Set `Quote.speaker` to the actor of the mention inside the speaker's words.

    A quote whose speaker is a pronoun without a mention ("sagte er") takes the actor of the
    quote before it, the usual antecedent in news."""
    mentions = sorted(doc.mentions, key=lambda m: m.start)
    starts = [m.start for m in mentions]
    previous_actor: str | None = None
    for quote in sorted(quotes, key=lambda q: q.start):
        span = quote.speaker_span
        if span is not None and quote.speaker is None:
            quote.speaker = _best_mention(mentions, starts, span.start, span.end)
            if quote.speaker is None and span.text.lower() in {"er", "sie"}:
                quote.speaker = previous_actor
        if quote.speaker is not None:
            previous_actor = quote.speaker


def _best_mention(mentions: list[Mention], starts: list[int], start: int, end: int) -> str | None:
    best: tuple[int, int, int] | None = None
    actor = None
    k = bisect_left(starts, start)
    # a mention may begin a little before the speaker's words ("der Kreml-Sprecher")
    for mention in mentions[max(0, k - 4) : bisect_left(starts, end)]:
        overlap = min(end, mention.end) - max(start, mention.start)
        if overlap <= 0:
            continue
        key = (_VIA_RANK.get(mention.via, 5), -overlap, mention.start)
        if best is None or key < best:
            best, actor = key, mention.actor
    return actor
