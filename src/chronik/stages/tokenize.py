"""Sentences and tokens.

Each line of the article is a paragraph (the first non-empty one is the headline); sentences never
cross a line break. SoMaJo splits and tokenizes within a paragraph; its offsets are shifted to the
article.
"""

from __future__ import annotations

import re
from functools import cache

from somajo import SoMaJo

from chronik.document import Document, Sentence, Token
from chronik.registry import Stage, stage

_LINE = re.compile(r"[^\n]+")
_SOMAJO_MODEL = {"de": "de_CMC", "en": "en_PTB"}


@cache
def _tokenizer(language: str) -> SoMaJo:
    return SoMaJo(_SOMAJO_MODEL[language], split_camel_case=False, character_offsets=True)


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each non-blank line."""
    return [(m.start(), m.group()) for m in _LINE.finditer(text) if m.group().strip()]


@stage("chronik.tokenize.v1", assigns=("sentences", "tokens"), languages=("de", "en"))
def make_tokenizer(language: str) -> Stage:
    tokenizer = _tokenizer(language)

    def tokenize(doc: Document) -> Document:
        for para_index, (base, para) in enumerate(paragraphs(doc.text)):
            for tokens in tokenizer.tokenize_text([para]):
                if not tokens:
                    continue
                sent_index = len(doc.sentences)
                token_start = len(doc.tokens)
                for tok in tokens:
                    start, end = tok.character_offset
                    doc.tokens.append(
                        Token(
                            i=len(doc.tokens),
                            text=doc.text[base + start : base + end],
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
