"""A sentence's tokens as the quote rules see them: with the quotation each token stands in
and with nouns the tagger missed tagged as nouns. Internal to `chronik.quoting`."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

from chronik.document import Token
from chronik.quoting.marks import Quotation

FINITE = frozenset({"VVFIN", "VAFIN", "VMFIN"})
VERB = frozenset({"VVFIN", "VAFIN", "VMFIN", "VVPP", "VAPP", "VMPP", "VVINF", "VAINF", "VVIZU"})
#: tags that can stand in a noun phrase
NP_TAGS = frozenset(
    {"ART", "ADJA", "NN", "NE", "TRUNC", "FM", "XY", "CARD", "PIAT", "PIDAT", "PDAT", "PPOSAT"}
)
NP_HEADS = frozenset({"NN", "NE", "FM", "XY", "TRUNC"})
NP_MODIFIERS = frozenset({"ADJA", "ADJD", "CARD", "PIAT", "PIDAT", "PPOSAT", "PDAT"})
CLAUSE_PUNCT = frozenset({",", ":", ";", "–", "—"})
SENTENCE_END = frozenset({".", "!", "?", "…"})


class TaggedSentence:
    """One sentence's tokens, with the top-level quotation each token stands in (-1: none)."""

    __slots__ = ("in_quote", "index", "quotations", "tokens")

    def __init__(
        self, index: int, tokens: list[Token], in_quote: list[int], quotations: list[Quotation]
    ) -> None:
        self.index = index
        self.tokens = tokens
        self.in_quote = in_quote
        self.quotations = quotations

    def __len__(self) -> int:
        return len(self.tokens)

    def outside(self, k: int) -> bool:
        return self.in_quote[k] < 0

    def punct(self, k: int, marks: frozenset[str]) -> bool:
        return self.in_quote[k] < 0 and self.tokens[k].text in marks

    def quotation(self, k: int) -> Quotation | None:
        q = self.in_quote[k]
        return self.quotations[q] if q >= 0 else None

    def opens_quotation(self, k: int) -> bool:
        quotation = self.quotation(k)
        return quotation is not None and quotation.start == self.tokens[k].start

    def quotation_after(self, offset: int, text: str) -> Quotation | None:
        """The quotation that opens at `offset` or after whitespace following it."""
        while offset < len(text) and text[offset].isspace():
            offset += 1
        k = bisect_left(self.quotations, offset, key=lambda q: q.start)
        if k < len(self.quotations) and self.quotations[k].start == offset:
            return self.quotations[k]
        return None

    def skip_quotation(self, k: int) -> int:
        q = self.in_quote[k]
        while k < len(self.tokens) and self.in_quote[k] == q:
            k += 1
        return k

    def next_punct(self, k: int) -> int:
        while k < len(self.tokens) and not self.punct(k, CLAUSE_PUNCT | SENTENCE_END):
            k += 1
        return k

    def has_finite(self, lo: int, hi: int) -> bool:
        return any(
            self.tokens[k].pos in FINITE and self.in_quote[k] < 0
            for k in range(max(0, lo), min(hi, len(self.tokens)))
        )

    def has_reported_mood(self, lo: int, hi: int) -> bool:
        return any(
            self.tokens[k].morph.get("Mood") in {"subj1", "subj2"} and self.in_quote[k] < 0
            for k in range(max(0, lo), min(hi, len(self.tokens)))
        )

    def end_offset(self, start: int) -> int:
        """The end of the sentence's last word from `start` on: without the final full stop,
        and without an opening mark that belongs to the next sentence."""
        last = len(self.tokens) - 1
        while last > start and (
            self.punct(last, SENTENCE_END | CLAUSE_PUNCT) or self.opens_quotation(last)
        ):
            last -= 1
        return self.tokens[last].end


#: a web site as a name ("t-online.de", "tagesschau.de")
_DOMAIN = re.compile(r"[\w-]+(\.[\w-]+)*\.(de|com|org|net|at|ch|eu|info|uk|fr|ru)$", re.I)


def retag(tokens: list[Token]) -> list[Token]:
    """The sentence's tokens, with nouns the tagger read otherwise tagged as nouns: "NNA"
    (a nominalised adjective: "Jugendliche"), a capitalised "adjective" that no noun follows
    ("auf der documenta-Homepage") and a web site ("t-online.de") as a name. Changed tokens
    are copies; the document keeps its tags."""
    for k, tok in enumerate(tokens):
        if "." in tok.text and _DOMAIN.match(tok.text):
            tokens[k] = replace(tok, pos="NE")
        elif tok.pos == "NNA":
            tokens[k] = replace(tok, pos="NN")
        elif tok.pos == "ADJA" and k > 0:
            last_part = tok.text.rsplit("-", 1)[-1]
            nxt = tokens[k + 1].pos if k + 1 < len(tokens) else ""
            if last_part[:1].isupper() and nxt not in {"NN", "NE", "ADJA", "NNA", "TRUNC", "CARD"}:
                tokens[k] = replace(tok, pos="NN")
    return tokens


def token_quotations(tokens: list[Token], quotations: list[Quotation]) -> list[int]:
    """For each token, the index of the quotation it stands in (its marks included), or -1."""
    marks = [-1] * len(tokens)
    if not quotations:
        return marks
    starts = [tok.start for tok in tokens]
    for index, quotation in enumerate(quotations):
        first = bisect_left(starts, quotation.start)
        last = bisect_left(starts, quotation.end)
        marks[first:last] = [index] * (last - first)
    return marks


def char_span(sent: TaggedSentence, tokens: tuple[int, int]) -> tuple[int, int]:
    return (sent.tokens[tokens[0]].start, sent.tokens[tokens[1] - 1].end)
