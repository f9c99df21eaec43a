"""What the quote rules remember across sentences: the speakers of earlier quotes and speech
acts, and the stretches of text already quoted. Internal to `chronik.quoting`."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from chronik.document import Document, Quote, Span


@dataclass(slots=True)
class SpeechAct:
    """A cue verb with a speaker but no message in its sentence ("X berichtete von ...");
    reported speech in the sentences after it is that speaker's."""

    offset: int
    sentence: int
    speaker: tuple[int, int]


class SpeakerMemory:
    """The quotes and speech acts of an article in order, to carry a speaker to the reported
    speech that follows without a cue of its own."""

    def __init__(self, doc: Document, quotes: list[Quote], acts: list[SpeechAct]) -> None:
        self.doc = doc
        self.items: list[tuple[int, int, Quote | SpeechAct]] = []
        for quote in quotes:
            self.add(quote)
        for act in acts:
            self.items.append((act.offset, act.sentence, act))
        self.items.sort(key=lambda item: item[0])

    def add(self, quote: Quote) -> None:
        last = self.doc.sentence_at(max(quote.start, quote.end - 1))
        entry = (quote.end, quote.sentence if last is None else last, quote)
        position = bisect_right([item[0] for item in self.items], quote.end)
        self.items.insert(position, entry)

    def remove(self, quote: Quote) -> None:
        self.items = [item for item in self.items if item[2] is not quote]

    def recent(self, offset: int, sentence: int, window: int) -> Quote | SpeechAct | None:
        """The latest quote or speech act before `offset` within `window` sentences."""
        k = bisect_left([item[0] for item in self.items], offset + 1)
        if k == 0:
            return None
        _, last_sentence, item = self.items[k - 1]
        if sentence - last_sentence > window:
            return None
        return item

    def speaker_before(self, offset: int, sentence: int, window: int) -> Quote | SpeechAct | None:
        """The latest quote or speech act with a speaker before `offset`, if the reported
        speech since it is unbroken (gaps of at most `window` sentences)."""
        k = bisect_left([item[0] for item in self.items], offset + 1)
        current = sentence
        for _, last_sentence, item in reversed(self.items[:k]):
            if current - last_sentence > window:
                return None
            if isinstance(item, SpeechAct) or item.speaker_text is not None:
                return item
            current = item.sentence
        return None

    def last_sentence(self, item: Quote | SpeechAct) -> int:
        if isinstance(item, SpeechAct):
            return item.sentence
        last = self.doc.sentence_at(max(item.start, item.end - 1))
        return item.sentence if last is None else last

    def carry(self, quote: Quote, offset: int, sentence: int, window: int) -> None:
        item = self.speaker_before(offset, sentence, window)
        if isinstance(item, Quote):
            quote.speaker = item.speaker
            quote.speaker_text = item.speaker_text
            quote.speaker_span = item.speaker_span
        elif isinstance(item, SpeechAct):
            s, e = item.speaker
            quote.speaker_text = self.doc.text[s:e]
            quote.speaker_span = Span(quote.speaker_text, s, e)


class Coverage:
    """Character ranges already taken by quotes, for overlap tests."""

    def __init__(self, quotes: list[Quote]) -> None:
        self.ranges = sorted((q.start, q.end) for q in quotes)
        self.starts = [r[0] for r in self.ranges]
        self.reach = []
        furthest = -1
        for _, end in self.ranges:
            furthest = max(furthest, end)
            self.reach.append(furthest)

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect_left(self.starts, end)
        return k > 0 and self.reach[k - 1] > start
