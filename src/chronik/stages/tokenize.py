"""Sentences and tokens.

Each line of the article is a paragraph (the first non-empty one is the headline); sentences never
cross a line break. Within a paragraph, one compiled regular expression finds the tokens, and the
periods that belong to abbreviations ("z.B.", "Dr."), initials ("George W. Bush") and ordinals
("am 13. September") are kept on their token, so that only sentence-final punctuation splits.
Abbreviations and month names are language data (`lang/<code>/tokenizer.yaml`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from chronik.document import Document, Sentence, Token
from chronik.errors import DataError
from chronik.registry import Stage, stage

_LINE = re.compile(r"[^\n]+")
_TOKEN = re.compile(
    r"""
      (?P<url>(?:https?://|www\.)[^\s<>"“”„»«]+[^\s<>"“”„»«.,;:!?)\]'’]
             |[\w-]+(?:\.[\w-]+)*\.(?:de|at|ch|com|org|net|eu|info|gov|int|uk|fr|ru)\b)
    | (?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)
    | (?P<compound>\d[\d.,]*-[^\W\d_][\w'’&-]*)
    | (?P<number>\d+(?:[.,:/]\d+)*)
    | (?P<dotted>(?:[^\W\d_]{1,3}\.){2,})
    | (?P<word>[^\W_](?:[\w'’&-]*[^\W_])?-?)
    | (?P<ellipsis>\.{2,}|…)
    | (?P<punct>[^\w\s])
    """,
    re.VERBOSE,
)
_NEXT_WORD = re.compile(r"\s*(\S+)")
_TERMINAL = frozenset({".", "!", "?", "...", "…", "?!", "!?"})
_CLOSING = frozenset({"“", "”", '"', "»", "«", "’", "'", ")", "]", "‘"})
_OPENING = frozenset({"„", "“", '"', "»", "«", "‚", "‘", "(", "[", "-", "–", "—", "'"})


@dataclass(frozen=True, slots=True)
class TokenizerData:
    abbreviations: frozenset[str]
    months: frozenset[str]
    ordinal_context: frozenset[str]


@cache
def tokenizer_data(language: str) -> TokenizerData:
    path = resources.files("chronik").joinpath(f"lang/{language}/tokenizer.yaml")
    if not path.is_file():
        raise DataError(f"no tokenizer data for language {language!r} ({path})")
    data = yaml.safe_load(path.read_text("utf-8"))
    return TokenizerData(
        abbreviations=frozenset(str(a) for a in data.get("abbreviations", [])),
        months=frozenset(str(m) for m in data.get("months", [])),
        ordinal_context=frozenset(str(w) for w in data.get("ordinal_context", [])),
    )


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each non-blank line."""
    return [(m.start(), m.group()) for m in _LINE.finditer(text) if m.group().strip()]


def _next_word(para: str, pos: int) -> str:
    """The word-like text that starts after the whitespace at `pos`."""
    match = _NEXT_WORD.match(para, pos)
    return match.group(1) if match else ""


def tokenize_paragraph(para: str, data: TokenizerData) -> list[tuple[int, int]]:
    """(start, end) of each token in `para`."""
    spans: list[tuple[int, int]] = []
    n = len(para)
    for match in _TOKEN.finditer(para):
        start, end = match.span()
        if spans and start < spans[-1][1]:
            continue  # the period a previous token took
        kind = match.lastgroup
        if end < n and para[end] == "." and kind in ("word", "number"):
            text = para[start:end]
            following = _next_word(para, end + 1)
            if kind == "word":
                # "Dr." / "z.B." style abbreviations, and single capitals as initials
                if text + "." in data.abbreviations or (len(text) == 1 and text.isupper()):
                    end += 1
            elif len(text) <= 2 or text.count(".") >= 1:
                # ordinals and day-month dates: "13. September", "am 13.9. in Berlin", "2. Liga"
                bare = following.rstrip(".,;:!?")
                previous = para[spans[-1][0] : spans[-1][1]] if spans else ""
                if following and (
                    bare in data.months
                    or following in data.months
                    or following[0].islower()
                    or following[0].isdigit()
                    or (len(text) <= 3 and previous in data.ordinal_context)
                ):
                    end += 1
        spans.append((start, end))
    return spans


def split_sentences(para: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Token index ranges [i, j) of the sentences of a paragraph."""
    sentences: list[tuple[int, int]] = []
    begin = 0
    i = 0
    count = len(spans)
    while i < count:
        text = para[spans[i][0] : spans[i][1]]
        if text in _TERMINAL or (text.endswith((".", "!", "?")) and text.strip(".!?") == ""):
            j = i + 1
            # closing quotes and brackets glued to the terminal belong to the sentence
            while (
                j < count
                and para[spans[j][0] : spans[j][1]] in _CLOSING
                and (spans[j][0] == spans[j - 1][1])
            ):
                j += 1
            if j >= count:
                break
            nxt = para[spans[j][0] : spans[j][1]]
            if nxt[0].isupper() or nxt[0].isdigit() or nxt in _OPENING:
                sentences.append((begin, j))
                begin = j
            i = j
            continue
        i += 1
    if begin < count:
        sentences.append((begin, count))
    return sentences


@stage("chronik.tokenize.v1", assigns=("sentences", "tokens"), languages=("de", "en"))
def make_tokenizer(language: str) -> Stage:
    data = tokenizer_data(language)

    def tokenize(doc: Document) -> Document:
        for para_index, (base, para) in enumerate(paragraphs(doc.text)):
            spans = tokenize_paragraph(para, data)
            for first, last in split_sentences(para, spans):
                sent_index = len(doc.sentences)
                token_start = len(doc.tokens)
                for start, end in spans[first:last]:
                    doc.tokens.append(
                        Token(
                            i=len(doc.tokens),
                            text=para[start:end],
                            start=base + start,
                            end=base + end,
                            sentence=sent_index,
                        )
                    )
                doc.sentences.append(
                    Sentence(
                        start=doc.tokens[token_start].start,
                        end=doc.tokens[-1].end,
                        token_start=token_start,
                        token_end=len(doc.tokens),
                        paragraph=para_index,
                    )
                )
        return doc

    return tokenize
