"""Reading NER corpora in column format into sentences with PER/LOC/ORG spans (internal).

Two formats are read:

- GermEval 2014 (NoSta-D): `index  token  outer-BIO  inner-BIO`; the outer layer is used, and
  only PER, LOC and ORG count (OTH and the *deriv/*part classes are no entity here, as in
  `scripts/eval_germeval.py`);
- German Europarl NER (Faruqui & Padó): `token  lemma  STTS  chunk  NER` with IOB1 tags
  ("I-PER" opens a name after "O"); MISC is dropped.
"""

from __future__ import annotations

import lzma
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

TYPES = ("PER", "LOC", "ORG")
#: other classes a model may learn so that they are not taught as "no name"; never output
EXTRA_TYPES = ("OTH", "MISC")

#: an entity as token offsets: first token, last token (inclusive), type
Span = tuple[int, int, str]


@dataclass(slots=True)
class Sentence:
    words: list[str]
    spans: list[Span] = field(default_factory=list)
    pos: list[str] = field(default_factory=list)
    #: where the sentence comes from, for training ("X": another language, scripts/train_ner.py)
    domain: str = ""


def _open(path: Path) -> Iterable[str]:
    if path.suffix == ".xz":
        with lzma.open(path, "rt", encoding="utf-8") as handle:
            yield from handle
    else:
        with path.open(encoding="utf-8") as handle:
            yield from handle


def tags_to_spans(tags: Sequence[str], types: Sequence[str] = TYPES) -> list[Span]:
    """IOB1 or IOB2 tags -> spans; an I- tag after another type or after O opens a span."""
    spans: list[Span] = []
    start: int | None = None
    kind: str | None = None
    for i, tag in enumerate([*tags, "O"]):
        if tag.startswith("I-") and kind == tag[2:]:
            continue
        if start is not None and kind is not None and kind in types:
            spans.append((start, i - 1, kind))
        start, kind = (i, tag[2:]) if tag[:2] in ("B-", "I-") else (None, None)
    return spans


def spans_to_tags(length: int, spans: Iterable[Span]) -> list[str]:
    """Spans -> IOB2 tags (B- opens every span)."""
    tags = ["O"] * length
    for start, end, kind in spans:
        tags[start] = "B-" + kind
        for i in range(start + 1, end + 1):
            tags[i] = "I-" + kind
    return tags


def read_columns(
    path: Path, word_col: int, tag_col: int, types: Sequence[str] = TYPES
) -> list[Sentence]:
    """Blank-line separated sentences; '#' lines are comments; spans of `types` only."""
    sentences: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    for line in _open(path):
        line = line.rstrip("\n")
        if not line.strip():
            if words:
                sentences.append(Sentence(words, tags_to_spans(tags, types)))
                words, tags = [], []
            continue
        if line.startswith("#") and "\t" not in line:
            continue
        cols = line.split("\t")
        words.append(cols[word_col])
        tags.append(cols[tag_col])
    if words:
        sentences.append(Sentence(words, tags_to_spans(tags, types)))
    return sentences


def read_germeval(path: Path, types: Sequence[str] = TYPES) -> list[Sentence]:
    return read_columns(path, 1, 2, types)


def read_europarl(path: Path, types: Sequence[str] = TYPES) -> list[Sentence]:
    return read_columns(path, 0, 4, types)
