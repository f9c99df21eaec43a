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
    \s*+
    (?:
      (?P<plain>[^\W\d_]++(?![\w.'’&+@:/-]))
    | (?P<url>(?:https?://|www\.)[^\s<>"“”„»«]+[^\s<>"“”„»«.,;:!?)\]'’]
             |[\w-]++(?:\.[\w-]++)*\.(?:de|at|ch|com|org|net|eu|info|gov|int|uk|fr|ru)\b)
    | (?P<email>[\w.+-]++@[\w-]+(?:\.[\w-]+)+)
    | (?P<compound>\d[\d.,]*+-[^\W\d_][\w'’&-]*)
    | (?P<number>\d+(?:[.,:/]\d+)*)
    | (?P<dotted>(?:[^\W\d_]{1,3}\.){2,})
    | (?P<word>[^\W_](?:[\w'’&-]*[^\W_])?-?)
    | (?P<ellipsis>\.{2,}|…)
    | (?P<punct>[^\w\s])
    )
    """,
    re.VERBOSE,
)
# Speed without a change of tokens: most tokens are a run of letters before a space or a comma,
# and `plain` takes them at once. Such a run is what `word` would take, and none of the
# alternatives before `word` could match there: each needs a digit, a period, '@' or ':' in the
# run or right after it. The possessive quantifiers (`++`, `*+`) cannot give back a character
# the next element could use (none of them takes '.', '@' or '-' respectively), so they only
# spare the regex engine the hopeless backtracking through every letter of every word. The
# whitespace before a token is part of the match (no token starts with whitespace), so that the
# search does not try every alternative at every space; the token is the group that matched.
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
    last = 0  # where the previous token ends
    for match in _TOKEN.finditer(para):
        start, end = match.span(match.lastindex or 0)
        if start < last:
            continue  # the period a previous token took
        if end < n and para[end] == ".":
            kind = match.lastgroup
            if kind == "word" or kind == "number":
                text = para[start:end]
                following = _next_word(para, end + 1)
                if kind == "word":
                    # "Dr." / "z.B." style abbreviations, and single capitals as initials
                    if text + "." in data.abbreviations or (len(text) == 1 and text.isupper()):
                        end += 1
                elif len(text) <= 2 or text.count(".") >= 1:
                    # ordinals and day-month dates: "13. September", "am 13.9. in Berlin"
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
        last = end
    return spans


#: the last characters of the tokens that can end a sentence (see _TERMINAL)
_ENDS = frozenset(".!?…")


def split_sentences(texts: list[str], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Token index ranges [i, j) of the sentences of a paragraph, from its tokens' texts and
    spans."""
    sentences: list[tuple[int, int]] = []
    begin = 0
    count = len(texts)
    terminals = [
        i
        for i, text in enumerate(texts)
        if text[-1] in _ENDS
        and (text in _TERMINAL or (text[-1] != "…" and text.strip(".!?") == ""))
    ]
    for i in terminals:
        j = i + 1
        # closing quotes and brackets glued to the terminal belong to the sentence (they are
        # no terminals themselves: the next terminal comes after them)
        while j < count and texts[j] in _CLOSING and spans[j][0] == spans[j - 1][1]:
            j += 1
        if j >= count:
            break
        nxt = texts[j]
        if nxt[0].isupper() or nxt[0].isdigit() or nxt in _OPENING:
            sentences.append((begin, j))
            begin = j
    if begin < count:
        sentences.append((begin, count))
    return sentences


@stage("chronik.tokenize.v1", assigns=("sentences", "tokens"), languages=("de", "en"))
def make_tokenizer(language: str) -> Stage:
    data = tokenizer_data(language)

    def tokenize(doc: Document) -> Document:
        tokens = doc.tokens
        sentences = doc.sentences
        add = tokens.append
        i = len(tokens)
        for para_index, (base, para) in enumerate(paragraphs(doc.text)):
            spans = tokenize_paragraph(para, data)
            texts = [para[start:end] for start, end in spans]
            for first, last in split_sentences(texts, spans):
                sent_index = len(sentences)
                token_start = i
                for k in range(first, last):
                    start, end = spans[k]
                    add(Token(i, texts[k], base + start, base + end, sent_index))
                    i += 1
                sentences.append(
                    Sentence(
                        start=base + spans[first][0],
                        end=base + spans[last - 1][1],
                        token_start=token_start,
                        token_end=i,
                        paragraph=para_index,
                    )
                )
        return doc

    return tokenize
