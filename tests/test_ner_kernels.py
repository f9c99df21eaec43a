"""The compiled decoding loops of the NER model (chronik.ner.kernels) against brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from chronik.ner import kernels


def _sequences(length: int, labels: int) -> list[tuple[int, ...]]:
    return list(itertools.product(range(labels), repeat=length))


def _score(scores: np.ndarray, trans: np.ndarray, path: tuple[int, ...]) -> float:
    total = float(scores[0, path[0]])
    for t in range(1, len(path)):
        total += float(trans[path[t - 1], path[t]]) + float(scores[t, path[t]])
    return total


@pytest.mark.parametrize("seed", range(5))
def test_ner_kernels_viterbi_and_marginals_equal_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    labels, lengths = 3, [4, 1, 5]
    scores = rng.normal(size=(sum(lengths), labels)).astype(np.float32)
    trans = rng.normal(size=(labels, labels)).astype(np.float32)
    starts = np.array([0, 4, 5], dtype=np.int64)
    sizes = np.array(lengths, dtype=np.int64)
    paths = np.zeros(len(scores), dtype=np.int64)
    kernels.viterbi(scores, starts, sizes, trans, paths)
    probs = np.full(len(scores), -1.0)
    needed = np.array([True, True, False])
    kernels.path_marginals(scores, starts, sizes, trans, paths, needed, probs)
    for s, (first, n) in enumerate(zip(starts, sizes, strict=True)):
        sentence = scores[first : first + n]
        candidates = _sequences(int(n), labels)
        totals = np.array([_score(sentence, trans, c) for c in candidates])
        best = candidates[int(totals.argmax())]
        assert tuple(paths[first : first + n]) == best
        if not needed[s]:
            assert (probs[first : first + n] == -1.0).all()
            continue
        weights = np.exp(totals - totals.max())
        weights /= weights.sum()
        for t in range(n):
            expected = sum(w for w, c in zip(weights, candidates, strict=True) if c[t] == best[t])
            assert probs[first + t] == pytest.approx(expected, abs=1e-5)
