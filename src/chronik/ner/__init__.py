"""Statistical German NER: PER, LOC and ORG names in a tokenised sentence.

A linear-chain CRF (trained by scripts/train_ner.py on German Europarl NER and the GermEval 2014
development set; see docs/ner.md) over word, affix, shape, word-cluster, part-of-speech and
knowledge-base features. It marks outer names only, as GermEval 2014 does: "Olaf Scholz" in
"Bundeskanzler Olaf Scholz", not the country in "US-Präsident".

    from chronik import ner
    ner.predict(["Bundeskanzler", "Olaf", "Scholz", "reist", "nach", "Sotschi", "."])
    # [NerSpan(start=1, end=2, label='PER', score=0.98), NerSpan(start=5, end=5, ...)]

`predict` takes one sentence's tokens (and their STTS tags, when a tagger has run; else it tags
them itself) and returns spans as token offsets, `end` inclusive. `predict_document` runs it over
every sentence of a `Document` whose tokens are tagged and returns character-offset spans.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from chronik import kernels
from chronik.document import Document, init_args
from chronik.ner.corpus import TYPES, tags_to_spans
from chronik.ner.model import CrfModel, NerModelError, load

__all__ = [
    "DocumentSpan",
    "NerModelError",
    "NerSpan",
    "model",
    "predict",
    "predict_batch",
    "predict_document",
]


_IOB = {"B-": "B-", "I-": "I-", "L-": "I-", "U-": "B-", "O": "O"}


@dataclass(frozen=True, slots=True, init=False)
class NerSpan:
    """A name as token offsets into the sentence: `start` to `end` inclusive."""

    start: int
    end: int
    label: str
    #: the model's mean marginal probability of the span's labels (0..1)
    score: float

    # An __init__ of its own: compiled, the one dataclass writes runs as Python and costs five
    # times as much; and what pickle calls to rebuild one.
    def __init__(self, start: int, end: int, label: str, score: float) -> None:
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "score", score)

    def __reduce__(self) -> tuple[type[NerSpan], tuple[object, ...]]:
        return (NerSpan, init_args(self))


@dataclass(frozen=True, slots=True, init=False)
class DocumentSpan:
    """A name in a Document: token indices into `Document.tokens` (`end` inclusive) and character
    offsets into `Document.text` (`char_end` exclusive)."""

    start: int
    end: int
    label: str
    score: float
    char_start: int
    char_end: int
    sentence: int

    # (an __init__ of its own, as NerSpan's)
    def __init__(
        self,
        start: int,
        end: int,
        label: str,
        score: float,
        char_start: int,
        char_end: int,
        sentence: int,
    ) -> None:
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "score", score)
        object.__setattr__(self, "char_start", char_start)
        object.__setattr__(self, "char_end", char_end)
        object.__setattr__(self, "sentence", sentence)

    def __reduce__(self) -> tuple[type[DocumentSpan], tuple[object, ...]]:
        return (DocumentSpan, init_args(self))


def _packaged_model() -> CrfModel:
    crf = load()
    crf.prepare()
    kernels.prepare()
    return crf


#: the packaged German model, loaded once per process (its weight tables and compiled decoding
#: loops too); not a decorated `def`: compiled, that would find the submodule of the same name
model = cache(_packaged_model)


def _tag(words: Sequence[str]) -> list[str]:
    from chronik.tagger import MAX_WORD, german_tagger

    short = [w if len(w) <= MAX_WORD else "Xx" for w in words]
    return [t.pos for t in german_tagger().tag(short)]


def predict(
    tokens: Sequence[str],
    pos: Sequence[str] | None = None,
    *,
    crf: CrfModel | None = None,
    scores: bool = True,
) -> list[NerSpan]:
    """PER/LOC/ORG spans of one sentence's tokens, in order.

    `pos`: the tokens' STTS tags (as the tag stage assigns them); tagged here when None.
    `scores=False` skips the forward-backward pass (every score 1.0).
    """
    return predict_batch([tokens], [pos], crf=crf, scores=scores)[0]


def predict_batch(
    sentences: Sequence[Sequence[str]],
    pos: Sequence[Sequence[str] | None] | None = None,
    *,
    crf: CrfModel | None = None,
    scores: bool = True,
) -> list[list[NerSpan]]:
    """`predict` for several sentences at once (an article's): one numpy pass over all, which is
    several times faster than sentence by sentence."""
    crf = crf or model()
    tags_per = list(pos) if pos is not None else [None] * len(sentences)
    if len(tags_per) != len(sentences):
        raise ValueError("pos must have one tag list per sentence")
    batch = []
    for words, tags in zip(sentences, tags_per, strict=True):
        if tags is None:
            tags = _tag(words) if words and crf.uses_pos else ["-"] * len(words)
        elif len(tags) != len(words):
            raise ValueError("pos must have one tag per token")
        batch.append((words, tags))
    todo = [i for i, (words, _) in enumerate(batch) if words]
    out: list[list[NerSpan]] = [[] for _ in sentences]
    if not todo:
        return out
    emissions = crf.emissions([batch[i] for i in todo])
    lengths = [len(batch[i][0]) for i in todo]
    paths, probs = crf.decode(emissions, lengths, marginals=scores, names_only=True)
    # BILOU models: a span's last (L-) and only (U-) token read as I- and B-
    iob = [_IOB.get(label[:2], "") + label[2:] for label in crf.labels]
    outside = crf.labels.index("O")
    for i, path, prob in zip(todo, paths, probs, strict=True):
        if path.count(outside) == len(path):
            continue  # most sentences have no name
        tags = [iob[j] for j in path]
        out[i] = [
            NerSpan(start, end, label, round(sum(prob[start : end + 1]) / (end - start + 1), 4))
            for start, end, label in tags_to_spans(tags)
            if label in TYPES
        ]
    return out


def predict_document(doc: Document, *, crf: CrfModel | None = None) -> list[DocumentSpan]:
    """`predict` over every sentence of a tokenised (and, best, tagged) Document."""
    sentences = [doc.sentence_tokens(i) for i in range(len(doc.sentences))]
    words = [[t.text for t in tokens] for tokens in sentences]
    pos = [[t.pos for t in tokens] if all(t.pos for t in tokens) else None for tokens in sentences]
    out: list[DocumentSpan] = []
    for index, (tokens, spans) in enumerate(
        zip(sentences, predict_batch(words, pos, crf=crf), strict=True)
    ):
        for span in spans:
            first, last = tokens[span.start], tokens[span.end]
            out.append(
                DocumentSpan(first.i, last.i, span.label, span.score, first.start, last.end, index)
            )
    return out
