"""The NER model at inference: a linear-chain CRF's weights, scored with numpy, decoded by compiled
loops (`chronik.kernels`).

The weights are trained by CRFsuite (scripts/train_ner.py) and exported to one `.npz` file, so
inference needs numpy and numba only. A sentence's emission scores are the sum of its tokens'
feature weights, in the order `chronik.ner.features.sentence_features` lists them (a test checks
it): the features of a word form (`word_features`) are summed once per form and offset and kept
in one array, so a word met before costs one dictionary access; the part-of-speech features are
tables indexed by tag ids; the span features are summed per article. Decoding is Viterbi over
BILOU labels; a span's score is the mean marginal probability of its labels (forward-backward)."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import numpy as np

from chronik import kernels
from chronik.errors import ChronikError
from chronik.ner.embed import WordClusters, lexicon_text, read_lexicon, word_clusters
from chronik.ner.features import (
    WINDOW,
    Lexicons,
    default_lexicons,
    span_feature_pairs,
    window_groups,
    word_features,
)
from chronik.tagger import german_tagger, normalize

#: the packaged model, relative to the chronik package
MODEL_FILE = "models/ner-de.npz"
#: word forms whose summed feature weights are kept per process (a corpus run meets new names
#: forever, so the cache is cleared when full)
WORD_CACHE = 200_000
_OFFSETS = frozenset(str(offset) for offset in WINDOW)


class NerModelError(ChronikError):
    """The NER model file is missing or malformed; reinstall chronik or rebuild it with
    scripts/train_ner.py."""


@dataclass(frozen=True, slots=True)
class _TagWeights:
    """The weights of `tag_features` as tables indexed by tag ids: a row per tag (or pair of
    tags) and label; the id one past the last tag stands for any tag the model has no feature
    of (a zero row, as an unknown attribute has)."""

    ids: dict[str, int]
    start: int
    end: int
    bias: np.ndarray
    first: np.ndarray
    p0: np.ndarray
    m1: np.ndarray
    p1: np.ndarray
    m2: np.ndarray
    p2: np.ndarray
    m1p0: np.ndarray
    p0p1: np.ndarray

    @property
    def arrays(self) -> tuple[np.ndarray, ...]:
        """The tables in the order `kernels.tag_scores` adds them."""
        return (
            self.bias,
            self.first,
            self.p0,
            self.m1,
            self.p1,
            self.m1p0,
            self.p0p1,
            self.m2,
            self.p2,
        )

    @classmethod
    def build(cls, attributes: dict[str, int], weights: np.ndarray) -> _TagWeights:
        single = ("P0", "P-1", "P+1", "P-2", "P+2")
        pairs = ("P-1P0", "P0P+1")
        names = {"<s>", "</s>"}
        for name in attributes:
            kind, colon, value = name.partition(":")
            if colon and kind in single:
                names.add(value)
            elif colon and kind in pairs:
                names.update(value.split("_"))
        ids = {tag: i for i, tag in enumerate(sorted(names))}
        size, labels = len(ids) + 1, weights.shape[1]
        zero = np.zeros(labels, dtype=weights.dtype)

        def row(name: str) -> np.ndarray:
            index = attributes.get(name)
            return zero if index is None else weights[index]

        one = {kind: np.zeros((size, labels), dtype=weights.dtype) for kind in single}
        two = {kind: np.zeros((size, size, labels), dtype=weights.dtype) for kind in pairs}
        for tag, i in ids.items():
            for kind in single:
                one[kind][i] = row(f"{kind}:{tag}")
            for other, j in ids.items():
                for kind in pairs:
                    two[kind][i, j] = row(f"{kind}:{tag}_{other}")
        return cls(
            ids=ids,
            start=ids["<s>"],
            end=ids["</s>"],
            bias=row("bias").copy(),
            first=row("first").copy(),
            p0=one["P0"],
            m1=one["P-1"],
            p1=one["P+1"],
            m2=one["P-2"],
            p2=one["P+2"],
            m1p0=two["P-1P0"],
            p0p1=two["P0P+1"],
        )


@dataclass(frozen=True, slots=True)
class _WordWeights:
    """The weights of the word features (`window_features`) as blocks, one per feature without
    its offset prefix ("w:berlin"): the feature's weights as seen from each offset of WINDOW,
    zero where the model has no such feature. A feature the model does not know has no block
    (it would add nothing)."""

    #: feature without its "<offset>|" prefix -> block
    ids: dict[str, int]
    #: features x len(WINDOW) x labels
    blocks: np.ndarray

    @classmethod
    def build(cls, attributes: dict[str, int], weights: np.ndarray) -> _WordWeights:
        ids: dict[str, int] = {}
        blocks, offsets, rows = [], [], []
        for name, row in attributes.items():
            prefix, bar, rest = name.partition("|")
            if bar and prefix in _OFFSETS:
                blocks.append(ids.setdefault(rest, len(ids)))
                offsets.append(WINDOW.index(int(prefix)))
                rows.append(row)
        table = np.zeros((len(ids), len(WINDOW), weights.shape[1]), dtype=np.float32)
        table[blocks, offsets] = weights[rows]
        return cls(ids, table)


@dataclass(slots=True)
class CrfModel:
    """Feature weights of a linear-chain CRF over BIO labels."""

    labels: tuple[str, ...]
    #: feature string -> row of `weights`
    attributes: dict[str, int]
    #: (features + 1) x labels; the last row is zero (a feature the model does not know)
    weights: np.ndarray
    #: labels x labels: score of label j following label i
    transitions: np.ndarray
    lexicons: Lexicons
    #: subtracted from the O label's emission scores: trades precision for recall (tuned on
    #: held-out data, stored in the model file)
    o_bias: float = 0.0
    #: whether the model was trained with part-of-speech features (else tags are ignored)
    uses_pos: bool = True
    #: whether the model has the conjunction features of `context_features`
    conjunctions: bool = False
    #: word form -> its row of `_word_table`
    _word_cache: dict[str, int] = field(default_factory=dict)
    #: each cached word form's summed feature weights from each offset (`_word_rows`)
    _word_table: np.ndarray = field(default_factory=lambda: np.empty((0, 0, 0), np.float32))
    #: the part-of-speech feature weights as tables (`_tag_scores`), built by `prepare`
    _tags: _TagWeights | None = None
    #: the word features' weights from each offset (`_WordWeights`), built by `prepare`
    _words: _WordWeights | None = None

    def __post_init__(self) -> None:
        # the compiled decoding adds transitions to float32 emission scores
        self.transitions = np.ascontiguousarray(self.transitions, dtype=np.float32)

    def prepare(self) -> None:
        """Build the weight tables inference reads (`_WordWeights`, `_TagWeights`; about 0.1 s)
        now rather than on the first document: model loaders call it."""
        self._tables()

    def _tables(self) -> tuple[_WordWeights, _TagWeights]:
        """The weight tables, built on first use (a model read by `load` alone)."""
        if self._words is None:
            self._words = _WordWeights.build(self.attributes, self.weights)
        if self._tags is None:
            self._tags = _TagWeights.build(self.attributes, self.weights)
        return self._words, self._tags

    def _word_rows(self, words: Sequence[str]) -> np.ndarray:
        """The rows of `_word_table` that hold each word's summed feature weights as seen from
        each offset (len(WINDOW) x labels); word forms not cached are computed together
        (`kernels.segment_sums`)."""
        cache = self._word_cache
        missing = [w for w in dict.fromkeys(words) if w not in cache]
        if missing:
            if len(cache) + len(missing) > WORD_CACHE:
                # full: start again with this article's forms (all of them, cached or not)
                self.clear_cache()
                missing = list(dict.fromkeys(words))
            if self.lexicons.embed is not None:
                # the new capitalised forms' vectors in one encoder call
                self.lexicons.embed.prime(missing)
            table = self._tables()[0]
            blocks = table.ids
            ids: list[int] = []
            lengths: list[int] = []
            for word in missing:
                # every feature the token sees of itself, in order: its block holds the
                # weights from each offset, zero where a neighbour does not see it; a feature
                # the model does not know adds nothing (a zero block) and is left out
                known = 0
                for feature in window_groups(word_features(word, self.lexicons), 0):
                    block = blocks.get(feature)
                    if block is not None:
                        ids.append(block)
                        known += 1
                lengths.append(known)
            used = len(cache)
            if used + len(missing) > len(self._word_table):
                # grow by doubling: rows of words met before keep their place
                size = max(2 * len(self._word_table), used + len(missing))
                grown = np.empty((size, len(WINDOW), len(self.labels)), dtype=np.float32)
                if used:
                    grown[:used] = self._word_table[:used]
                self._word_table = grown
            kernels.segment_sums(
                table.blocks,
                np.array(ids, dtype=np.int64),
                np.array(lengths, dtype=np.int64),
                self._word_table[used : used + len(missing)],
            )
            for k, word in enumerate(missing, used):
                cache[word] = k
        return np.array([cache[w] for w in words], dtype=np.int64)

    def clear_cache(self) -> None:
        """Forget the word forms met so far (their rows are computed again when met)."""
        self._word_cache.clear()

    def _tag_scores(self, pos: Sequence[str], firsts: Sequence[int]) -> np.ndarray:
        """The summed weights of every token's part-of-speech features (`tag_features`) for the
        concatenated tags `pos` of sentences starting at `firsts`: one lookup table per feature
        (a tag, or a pair of tags, to a row), added in the order of `tag_features`, as
        `sentence_features` lists them (a compiled loop, `kernels.tag_scores`)."""
        tables = self._tables()[1]
        ids = tables.ids
        unknown = len(ids)
        n = len(pos)
        starts = np.array(firsts, dtype=np.int64)
        lengths = np.diff(starts, append=n)
        scores = np.empty((n, len(self.labels)), dtype=np.float32)
        kernels.tag_scores(
            np.array([ids.get(t, unknown) for t in pos], dtype=np.int64),
            starts,
            lengths,
            tables.start,
            tables.end,
            tables.arrays,
            scores,
        )
        return scores

    def emissions(self, sentences: Sequence[tuple[Sequence[str], Sequence[str]]]) -> np.ndarray:
        """Emission scores of the tokens of all `sentences` ((words, tags) pairs), concatenated:
        total tokens x labels."""
        attributes = self.attributes
        tags: list[str] = []
        extra_tokens: list[int] = []
        extra_ids: list[int] = []
        words: list[str] = []
        firsts: list[int] = []
        lasts: list[int] = []
        for sent_words, sent_pos in sentences:
            if not self.uses_pos:
                sent_pos = ["-"] * len(sent_words)
            base = len(words)
            firsts.append(base)
            words.extend(sent_words)
            lasts.append(len(words) - 1)
            tags.extend(sent_pos)
            at, names = span_feature_pairs(sent_words, sent_pos, self.conjunctions, self.lexicons)
            for k in range(len(at)):
                # (a feature the model does not know adds nothing: left out)
                row = attributes.get(names[k])
                if row is not None:
                    extra_tokens.append(base + at[k])
                    extra_ids.append(row)
        scores = self._tag_scores(tags, firsts)
        # in order, so that each token's weights are summed as in `sentence_features`
        kernels.add_rows(
            scores,
            np.array(extra_tokens, dtype=np.int64),
            np.array(extra_ids, dtype=np.int64),
            self.weights,
        )
        rows = self._word_rows(words)
        sentence_of = np.repeat(np.arange(len(firsts)), np.subtract(lasts, firsts) + 1)
        kernels.add_window(scores, self._word_table, rows, sentence_of)
        for offset, index in ((-1, firsts), (1, lasts)):
            row = attributes.get(f"{offset}|pad")
            if row is not None:
                scores[index] += self.weights[row]
        if self.o_bias:
            scores[:, self.labels.index("O")] -= self.o_bias
        return scores

    def decode(
        self,
        scores: np.ndarray,
        lengths: Sequence[int],
        marginals: bool = True,
        *,
        names_only: bool = False,
    ) -> tuple[list[list[int]], list[list[float]]]:
        """Viterbi paths and (optionally) each path label's marginal probability, for a batch
        of sentences whose emission rows are concatenated in `scores` (compiled loops,
        `chronik.kernels`). `names_only`: the probabilities of a sentence without a name
        (all "O") are not computed (all 1.0)."""
        sizes = np.asarray(lengths, dtype=np.int64)
        starts = np.zeros(len(sizes), dtype=np.int64)
        np.cumsum(sizes[:-1], out=starts[1:])
        scores = np.ascontiguousarray(scores, dtype=np.float32)
        flat = np.zeros(len(scores), dtype=np.int64)
        kernels.viterbi(scores, starts, sizes, self.transitions, flat)
        probs = np.ones(len(scores))
        if marginals:
            named = flat != self.labels.index("O") if names_only else np.ones(len(flat), bool)
            if len(sizes) and sizes.min() > 0:
                # whether some label of each sentence is not "O" (the sentences are not empty)
                needed = np.logical_or.reduceat(named, starts)
            else:
                needed = np.array(
                    [named[a : a + n].any() for a, n in zip(starts, sizes, strict=True)], dtype=bool
                )
            if needed.any():
                kernels.path_marginals(scores, starts, sizes, self.transitions, flat, needed, probs)
        bounds = [*starts.tolist(), len(flat)]
        path_list, prob_list = flat.tolist(), probs.tolist()
        return (
            [path_list[bounds[k] : bounds[k] + size] for k, size in enumerate(lengths)],
            [prob_list[bounds[k] : bounds[k] + size] for k, size in enumerate(lengths)],
        )


def tagger_knows(word: str) -> bool:
    """Whether chronik's tagger has the word form in its lexicon (else it guesses its tag)."""
    return german_tagger().known(normalize(word))


def load(path: Path | str | None = None) -> CrfModel:
    """The CRF stored at `path` (default: the packaged German model)."""
    if path is None:
        path = Path(str(resources.files("chronik").joinpath(MODEL_FILE)))
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(bytes(data["meta"]).decode("utf-8"))
            names = bytes(data["attributes"]).decode("utf-8").split("\n")
            weights = data["weights"].astype(np.float32)
            transitions = data["transitions"].astype(np.float32)
            clusters_raw = bytes(data["clusters"]).decode("utf-8") if "clusters" in data else ""
            centroids = {p: data["emb_" + p] for p in meta.get("embeddings", ())}
            embed_lexicon = (
                bytes(data["emb_lexicon"]).decode("utf-8") if "emb_lexicon" in data else None
            )
    except (OSError, KeyError, ValueError) as exc:
        raise NerModelError(f"cannot read the NER model {path}: {exc}") from exc
    labels = tuple(meta["labels"])
    if weights.shape != (len(names), len(labels)) or transitions.shape != (
        len(labels),
        len(labels),
    ):
        raise NerModelError(f"the NER model {path} has inconsistent shapes")
    clusters = tuple(read_lexicon(clusters_raw).items())
    weights = np.vstack([weights, np.zeros((1, len(labels)), dtype=np.float32)])
    lexicons = default_lexicons(
        clusters,
        bool(meta.get("kb_first_names", False)),
        bool(meta.get("org_cues", False)),
        int(meta.get("char_ngrams", 0)),
    )
    if meta.get("unknown_words"):
        lexicons = replace(lexicons, known=tagger_knows)
    if embed_lexicon is not None:
        lexicons = replace(lexicons, embed=WordClusters((), read_lexicon(embed_lexicon)))
    elif centroids:
        lexicons = replace(lexicons, embed=word_clusters(centroids))
    return CrfModel(
        labels=labels,
        attributes={name: i for i, name in enumerate(names)},
        weights=weights,
        transitions=transitions,
        lexicons=lexicons,
        o_bias=float(meta.get("o_bias", 0.0)),
        uses_pos=bool(meta.get("pos", True)),
        conjunctions=bool(meta.get("conjunctions", False)),
    )


def save(
    path: Path,
    labels: Sequence[str],
    state_features: dict[tuple[str, str], float],
    transitions: dict[tuple[str, str], float],
    clusters: dict[str, tuple[str, ...]] | None = None,
    meta: dict | None = None,
    embeddings: dict[str, np.ndarray] | None = None,
    embed_lexicon: dict[str, tuple[str, ...]] | None = None,
) -> None:
    """Write CRFsuite's weights (as `Tagger.info()` gives them) in the packaged format, with the
    word-vector centroids of `embeddings` (prefix -> k x 512; stored as float16)."""
    label_index = {label: i for i, label in enumerate(labels)}
    names = sorted({attr for attr, _ in state_features})
    row = {name: i for i, name in enumerate(names)}
    weights = np.zeros((len(names), len(labels)), dtype=np.float32)
    for (attr, label), weight in state_features.items():
        weights[row[attr], label_index[label]] = weight
    trans = np.zeros((len(labels), len(labels)), dtype=np.float32)
    for (a, b), weight in transitions.items():
        trans[label_index[a], label_index[b]] = weight
    cluster_text = lexicon_text(clusters or {})
    arrays: dict[str, np.ndarray] = {
        "meta": np.frombuffer(
            json.dumps(
                {"labels": list(labels), **(meta or {}), "embeddings": list(embeddings or {})}
            ).encode("utf-8"),
            dtype=np.uint8,
        ),
        "attributes": np.frombuffer("\n".join(names).encode("utf-8"), dtype=np.uint8),
        "weights": weights.astype(np.float16),
        "transitions": trans,
        "clusters": np.frombuffer(cluster_text.encode("utf-8"), dtype=np.uint8),
    }
    for prefix, centroids in (embeddings or {}).items():
        arrays["emb_" + prefix] = np.asarray(centroids, dtype=np.float16)
    if embed_lexicon is not None:
        arrays["emb_lexicon"] = np.frombuffer(lexicon_text(embed_lexicon).encode(), np.uint8)
    buffer = io.BytesIO()
    # numpy's stubs read the arrays as its `allow_pickle` flag
    np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
    path.write_bytes(buffer.getvalue())
