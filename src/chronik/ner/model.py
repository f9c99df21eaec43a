"""The NER model at inference: a linear-chain CRF's weights, scored and decoded with numpy.

The weights are trained by CRFsuite (scripts/train_ner.py) and exported to one `.npz` file, so
inference needs numpy only. A sentence's emission scores are the sum of its tokens' feature
weights; the features of a word form (`chronik.ner.features.word_features`) are summed once per
form and offset and cached, so a word met before costs one dictionary access. Decoding is Viterbi
over BIO labels; a span's score is the model's marginal probability of its first label, averaged
with the probabilities of its continuation labels (forward-backward).
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import numpy as np

from chronik.errors import ChronikError
from chronik.ner.features import (
    WINDOW,
    Lexicons,
    context_features,
    default_lexicons,
    window_features,
    word_features,
)

#: the packaged model, relative to the chronik package
MODEL_FILE = "models/ner-de.npz"
#: word forms whose summed feature weights are kept per process (a corpus run meets new names
#: forever, so the cache is cleared when full)
WORD_CACHE = 200_000


class NerModelError(ChronikError):
    """The NER model file is missing or malformed; reinstall chronik or rebuild it with
    scripts/train_ner.py."""


@dataclass(slots=True)
class CrfModel:
    """Feature weights of a linear-chain CRF over BIO labels."""

    labels: tuple[str, ...]
    #: feature string -> row of `weights`
    attributes: dict[str, int]
    #: (features + 1) x labels; the last row is zero (for features the model does not know)
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
    _word_cache: dict[str, np.ndarray] = field(default_factory=dict)

    def _word_rows(self, words: Sequence[str]) -> np.ndarray:
        """len(words) x len(WINDOW) x labels: each word's summed feature weights as seen from
        each offset; word forms not cached are computed together in one gather."""
        cache = self._word_cache
        missing = [w for w in dict.fromkeys(words) if w not in cache]
        if missing:
            if len(cache) + len(missing) > WORD_CACHE:
                cache.clear()
            unknown = len(self.attributes)
            get = self.attributes.get
            flat: list[int] = []
            lengths: list[int] = []
            for word in missing:
                feats = word_features(word, self.lexicons)
                for offset in WINDOW:
                    ids = [get(f, unknown) for f in window_features(feats, offset)]
                    flat.extend(ids)
                    lengths.append(len(ids))
            starts = np.zeros(len(lengths), dtype=np.intp)
            np.cumsum(lengths[:-1], out=starts[1:])
            rows = np.add.reduceat(self.weights[flat], starts, axis=0)
            rows = rows.reshape(len(missing), len(WINDOW), len(self.labels))
            for word, row in zip(missing, rows, strict=True):
                cache[word] = row
        return np.stack([cache[w] for w in words])

    def emissions(self, sentences: Sequence[tuple[Sequence[str], Sequence[str]]]) -> np.ndarray:
        """Emission scores of the tokens of all `sentences` ((words, tags) pairs), concatenated:
        total tokens x labels."""
        unknown = len(self.attributes)
        get = self.attributes.get
        flat: list[int] = []
        lengths: list[int] = []
        words: list[str] = []
        firsts: list[int] = []
        lasts: list[int] = []
        for sent_words, sent_pos in sentences:
            if not self.uses_pos:
                sent_pos = ["-"] * len(sent_words)
            firsts.append(len(words))
            words.extend(sent_words)
            lasts.append(len(words) - 1)
            for feats in context_features(sent_words, sent_pos, self.conjunctions, self.lexicons):
                flat.extend([get(f, unknown) for f in feats])
                lengths.append(len(feats))
        n = len(words)
        starts = np.zeros(n, dtype=np.intp)
        np.cumsum(lengths[:-1], out=starts[1:])
        scores = np.add.reduceat(self.weights[flat], starts, axis=0)
        per_word = self._word_rows(words)
        sentence_of = np.repeat(np.arange(len(firsts)), np.subtract(lasts, firsts) + 1)
        positions = np.arange(n)
        for k, offset in enumerate(WINDOW):
            if offset == 0:
                scores += per_word[:, k]
                continue
            source = positions + offset
            inside = (source >= 0) & (source < n)
            inside[inside] &= sentence_of[source[inside]] == sentence_of[inside]
            # the token at `source` seen from `positions` (offset k)
            scores[inside] += per_word[source[inside], k]
        for offset, index in ((-1, firsts), (1, lasts)):
            row = get(f"{offset}|pad")
            if row is not None:
                scores[index] += self.weights[row]
        if self.o_bias:
            scores[:, self.labels.index("O")] -= self.o_bias
        return scores

    def decode(
        self, scores: np.ndarray, lengths: Sequence[int], marginals: bool = True
    ) -> tuple[list[list[int]], list[list[float]]]:
        """Viterbi paths and (optionally) each path label's marginal probability, for a batch
        of sentences whose emission rows are concatenated in `scores`."""
        batch, longest, labels = len(lengths), max(lengths), len(self.labels)
        padded = np.zeros((batch, longest, labels), dtype=np.float32)
        mask = np.zeros((batch, longest), dtype=bool)
        offset = 0
        for b, length in enumerate(lengths):
            padded[b, :length] = scores[offset : offset + length]
            mask[b, :length] = True
            offset += length
        trans = self.transitions
        back = np.zeros((batch, longest, labels), dtype=np.intp)
        identity = np.broadcast_to(np.arange(labels), (batch, labels))
        best = padded[:, 0].copy()
        for t in range(1, longest):
            cand = best[:, :, None] + trans[None]
            arg = cand.argmax(axis=1)
            new = np.take_along_axis(cand, arg[:, None, :], axis=1)[:, 0] + padded[:, t]
            active = mask[:, t, None]
            best = np.where(active, new, best)
            back[:, t] = np.where(active, arg, identity)
        last = best.argmax(axis=1)
        paths_arr = np.empty((batch, longest), dtype=np.intp)
        paths_arr[:, -1] = last
        rows = np.arange(batch)
        for t in range(longest - 1, 0, -1):
            paths_arr[:, t - 1] = back[rows, t, paths_arr[:, t]]
        paths = [paths_arr[b, :length].tolist() for b, length in enumerate(lengths)]
        if not marginals:
            return paths, [[1.0] * length for length in lengths]
        post = self._marginals(padded, mask)
        probs = np.take_along_axis(post, paths_arr[:, :, None], axis=2)[:, :, 0]
        return paths, [probs[b, :length].tolist() for b, length in enumerate(lengths)]

    def _marginals(self, padded: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """batch x tokens x labels: label probabilities (scaled forward-backward); padding
        positions carry the distribution through unchanged."""
        longest = padded.shape[1]
        emit = np.exp(padded - padded.max(axis=2, keepdims=True))
        emit[~mask] = 1.0
        trans = np.exp(self.transitions - self.transitions.max())
        alpha = np.empty_like(emit)
        beta = np.empty_like(emit)
        alpha[:, 0] = emit[:, 0] / emit[:, 0].sum(axis=1, keepdims=True)
        for t in range(1, longest):
            a = (alpha[:, t - 1] @ trans) * emit[:, t]
            a /= a.sum(axis=1, keepdims=True)
            alpha[:, t] = np.where(mask[:, t, None], a, alpha[:, t - 1])
        beta[:, -1] = 1.0
        for t in range(longest - 2, -1, -1):
            b = (emit[:, t + 1] * beta[:, t + 1]) @ trans.T
            b /= b.sum(axis=1, keepdims=True)
            # past a sentence's end, beta stays uniform
            beta[:, t] = np.where(mask[:, t + 1, None], b, 1.0)
        post = alpha * beta
        return post / post.sum(axis=2, keepdims=True)


def tagger_knows(word: str) -> bool:
    """Whether chronik's tagger has the word form in its lexicon (else it guesses its tag)."""
    from chronik.tagger import german_tagger, normalize

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
    except (OSError, KeyError, ValueError) as exc:
        raise NerModelError(f"cannot read the NER model {path}: {exc}") from exc
    labels = tuple(meta["labels"])
    if weights.shape != (len(names), len(labels)) or transitions.shape != (
        len(labels),
        len(labels),
    ):
        raise NerModelError(f"the NER model {path} has inconsistent shapes")
    clusters = tuple(
        (word, tuple(rest.split(" ")))
        for word, _, rest in (line.partition("\t") for line in clusters_raw.splitlines())
    )
    weights = np.vstack([weights, np.zeros((1, len(labels)), dtype=np.float32)])
    lexicons = default_lexicons(
        clusters,
        bool(meta.get("kb_first_names", False)),
        bool(meta.get("org_cues", False)),
        int(meta.get("char_ngrams", 0)),
    )
    if meta.get("unknown_words"):
        lexicons = replace(lexicons, known=tagger_knows)
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
) -> None:
    """Write CRFsuite's weights (as `Tagger.info()` gives them) in the packaged format."""
    label_index = {label: i for i, label in enumerate(labels)}
    names = sorted({attr for attr, _ in state_features})
    row = {name: i for i, name in enumerate(names)}
    weights = np.zeros((len(names), len(labels)), dtype=np.float32)
    for (attr, label), weight in state_features.items():
        weights[row[attr], label_index[label]] = weight
    trans = np.zeros((len(labels), len(labels)), dtype=np.float32)
    for (a, b), weight in transitions.items():
        trans[label_index[a], label_index[b]] = weight
    cluster_text = "\n".join(f"{w}\t{' '.join(c)}" for w, c in sorted((clusters or {}).items()))
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        meta=np.frombuffer(
            json.dumps({"labels": list(labels), **(meta or {})}).encode("utf-8"), dtype=np.uint8
        ),
        attributes=np.frombuffer("\n".join(names).encode("utf-8"), dtype=np.uint8),
        weights=weights.astype(np.float16),
        transitions=trans,
        clusters=np.frombuffer(cluster_text.encode("utf-8"), dtype=np.uint8),
    )
    path.write_bytes(buffer.getvalue())
