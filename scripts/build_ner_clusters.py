"""Word clusters for the NER model from fastText vectors (build time only; needs gensim).

fastText skip-gram vectors (gensim 4.4.0) are trained on unlabelled German text; because a
fastText vector is built from a word's character n-grams as well, rare word forms (names!) get
a vector too. Every word form of the text is then put in a cluster at three granularities by
spherical k-means (1024 clusters over the words, then 256 and 64 over those clusters' centres,
so the coarse clusters nest like Brown-cluster prefixes). Output: `word<TAB>c1024 c256 c64`, one
lower-case word form a line, for `scripts/train_ner.py --clusters FILE`.

Text (`--corpus`):
- `open` (default; licences allow a shipped model): SpkAtt Wikinews texts, train and blind test
  (CC BY 2.5), UD German GSD dev+test (CC BY-SA 4.0) and PUD (CC BY-SA 3.0), the GermEval 2014
  development set (CC BY 4.0), German Europarl NER train+dev;
- `all`: also 10kGNAD, REDEWIEDERGABE and KRAUTS (non-commercial licences: for measuring only,
  never for a shipped model).
Never the GermEval 2014 test set or Europarl test.

    .venv/bin/python scripts/build_ner_clusters.py --out /tmp/clusters.tsv [--corpus all]
"""

from __future__ import annotations

import argparse
import csv
import json
import lzma
import re
import sys
import tarfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "scripts"))
from train_ner import ud_texts  # noqa: E402

_TOKEN = re.compile(r"\w+(?:[-.'’]\w+)*|[^\w\s]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„\"])|\n+")


def _column_texts(path: Path, word_col: int) -> Iterator[str]:
    words: list[str] = []
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                if words:
                    yield " ".join(words)
                    words = []
            elif not (line.startswith("#") and "\t" not in line):
                words.append(line.rstrip("\n").split("\t")[word_col])
    if words:
        yield " ".join(words)


def open_texts() -> Iterator[str]:
    for folder in ("train", "test_blind"):
        with (DATA / "spkatt2023" / folder / "corpus.jsonl").open(encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)["text"]
    yield from ud_texts()
    yield from _column_texts(DATA / "germeval2014_ner" / "NER-de-dev.tsv.xz", 1)
    for split in ("train", "dev"):
        yield from _column_texts(DATA / "europarl_ner_de" / f"{split}.tsv.xz", 0)


def non_commercial_texts() -> Iterator[str]:
    with lzma.open(DATA / "10kgnad" / "test.csv.xz", "rt", encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter=";", quotechar="'"):
            if len(row) > 1:
                yield row[1]
    with tarfile.open(DATA / "redewiedergabe" / "main_tsv.tar.xz", "r:xz") as tar:
        for member in tar.getmembers():
            if member.isfile() and "rwk_" in member.name:
                lines = tar.extractfile(member).read().decode("utf-8").splitlines()[1:]
                yield " ".join(line.split("\t", 1)[0] for line in lines)
    with tarfile.open(DATA / "krauts" / "KRAUTS.tar.xz", "r:xz") as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name.endswith(".tml"):
                raw = tar.extractfile(member).read().decode("utf-8", "replace")
                yield re.sub(r"<[^>]+>", " ", raw)


def sentences(corpus: str) -> list[list[str]]:
    texts = list(open_texts())
    if corpus == "all":
        texts += list(non_commercial_texts())
    out = []
    for text in texts:
        for part in _SENTENCE.split(text):
            words = [w.lower() for w in _TOKEN.findall(part)]
            if len(words) > 2:
                out.append(words)
    return out


def kmeans(x: np.ndarray, k: int, weights: np.ndarray, seed: int, rounds: int = 15) -> np.ndarray:
    """Spherical k-means (rows of `x` unit length); returns each row's cluster."""
    rng = np.random.default_rng(seed)
    centres = x[rng.choice(len(x), k, replace=False, p=weights / weights.sum())].copy()
    assign = np.zeros(len(x), dtype=np.int64)
    for _ in range(rounds):
        for start in range(0, len(x), 8192):
            assign[start : start + 8192] = (x[start : start + 8192] @ centres.T).argmax(axis=1)
        sums = np.zeros_like(centres)
        np.add.at(sums, assign, x * weights[:, None])
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        empty = norms[:, 0] == 0
        centres = np.where(empty[:, None], centres, sums / np.maximum(norms, 1e-9))
    return assign


def main() -> None:
    from gensim.models import FastText

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--corpus", choices=("open", "all"), default="open")
    parser.add_argument("--dims", type=int, default=100)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--sizes", default="1024,256,64")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    sents = sentences(args.corpus)
    freq = Counter(w for s in sents for w in s)
    tokens = sum(freq.values())
    print(f"{len(sents)} sentences, {tokens} tokens, {len(freq)} forms", file=sys.stderr)
    model = FastText(
        sentences=sents,
        vector_size=args.dims,
        window=5,
        min_count=2,
        sg=1,
        min_n=3,
        max_n=6,
        epochs=args.epochs,
        workers=2,
        seed=args.seed,
    )
    vocab = [w for w, _ in freq.most_common() if any(c.isalpha() for c in w)]
    vectors = np.stack([model.wv[w] for w in vocab]).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
    weights = np.log1p(np.array([freq[w] for w in vocab], dtype=np.float64))
    sizes = [int(s) for s in args.sizes.split(",")]
    assign = kmeans(vectors, sizes[0], weights, args.seed)
    labels = [assign]
    # coarser levels cluster the finest clusters' centres, so that they nest
    centres = np.zeros((sizes[0], vectors.shape[1]), dtype=np.float32)
    np.add.at(centres, assign, vectors)
    mass = np.bincount(assign, weights=weights, minlength=sizes[0]) + 1e-9
    centres /= np.linalg.norm(centres, axis=1, keepdims=True) + 1e-9
    for size in sizes[1:]:
        labels.append(kmeans(centres, size, mass, args.seed)[assign])
    names = "abcdefgh"
    with args.out.open("w", encoding="utf-8") as out:
        for i, word in enumerate(vocab):
            ids = " ".join(f"{names[k]}{int(lab[i])}" for k, lab in enumerate(labels))
            out.write(f"{word}\t{ids}\n")
    print(f"{len(vocab)} words -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
