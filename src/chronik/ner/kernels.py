"""Compiled loops of the NER model's decoding (numba): Viterbi and forward-backward (internal).

A linear-chain CRF decodes each sentence in O(tokens x labels^2) steps. In numpy each step of
the recursion is a handful of calls on tiny arrays, whose overhead is most of the time (some
35 steps per sentence, ~3 ms per article); compiled, the whole article takes ~0.1 ms. The
functions are compiled on first use and cached beside this module (`cache=True`).

Arrays: `scores` tokens x labels (float32, the sentences of an article concatenated), `starts`
and `lengths` per sentence (int64), `trans` labels x labels (score of label j after label i).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def viterbi(
    scores: np.ndarray,
    starts: np.ndarray,
    lengths: np.ndarray,
    trans: np.ndarray,
    paths: np.ndarray,
) -> None:
    """Write the best label sequence of each sentence into `paths` (one label per token). Of
    equal scores the first label wins, in the maximum and on the way back."""
    labels = trans.shape[0]
    for s in range(starts.shape[0]):
        first, n = starts[s], lengths[s]
        if n == 0:
            continue
        best = np.empty((n, labels), dtype=np.float32)
        for j in range(labels):
            best[0, j] = scores[first, j]
        for t in range(1, n):
            for j in range(labels):
                top = best[t - 1, 0] + trans[0, j]
                for i in range(1, labels):
                    value = best[t - 1, i] + trans[i, j]
                    if value > top:
                        top = value
                best[t, j] = top + scores[first + t, j]
        last = 0
        for j in range(1, labels):
            if best[n - 1, j] > best[n - 1, last]:
                last = j
        paths[first + n - 1] = last
        # back along the path: the previous label is the one the maximum came from
        for t in range(n - 1, 0, -1):
            j = paths[first + t]
            previous = 0
            top = best[t - 1, 0] + trans[0, j]
            for i in range(1, labels):
                value = best[t - 1, i] + trans[i, j]
                if value > top:
                    top = value
                    previous = i
            paths[first + t - 1] = previous


@njit(cache=True, nogil=True)
def path_marginals(
    scores: np.ndarray,
    starts: np.ndarray,
    lengths: np.ndarray,
    trans: np.ndarray,
    paths: np.ndarray,
    needed: np.ndarray,
    probs: np.ndarray,
) -> None:
    """Write into `probs` the marginal probability of each token's label in `paths`, for the
    sentences where `needed` is true (scaled forward-backward; others are left as they are)."""
    labels = trans.shape[0]
    weights = np.exp(trans.astype(np.float64) - trans.max())
    for s in range(starts.shape[0]):
        first, n = starts[s], lengths[s]
        if n == 0 or not needed[s]:
            continue
        emit = np.empty((n, labels))
        for t in range(n):
            top = scores[first + t, 0]
            for j in range(1, labels):
                top = max(top, scores[first + t, j])
            for j in range(labels):
                emit[t, j] = np.exp(np.float64(scores[first + t, j]) - top)
        alpha = np.empty((n, labels))
        beta = np.empty((n, labels))
        total = emit[0].sum()
        for j in range(labels):
            alpha[0, j] = emit[0, j] / total
        for t in range(1, n):
            for j in range(labels):
                acc = 0.0
                for i in range(labels):
                    acc += alpha[t - 1, i] * weights[i, j]
                alpha[t, j] = acc * emit[t, j]
            alpha[t] /= alpha[t].sum()
        beta[n - 1] = 1.0
        for t in range(n - 2, -1, -1):
            for i in range(labels):
                acc = 0.0
                for j in range(labels):
                    acc += weights[i, j] * emit[t + 1, j] * beta[t + 1, j]
                beta[t, i] = acc
            beta[t] /= beta[t].sum()
        for t in range(n):
            norm = 0.0
            for j in range(labels):
                norm += alpha[t, j] * beta[t, j]
            label = paths[first + t]
            probs[first + t] = alpha[t, label] * beta[t, label] / norm


def prepare(labels: int) -> None:
    """Compile the loops (or load them from the cache) now, for `labels` labels: a model loader
    calls it, so that no document pays for it."""
    scores = np.zeros((1, labels), dtype=np.float32)
    trans = np.zeros((labels, labels), dtype=np.float32)
    one = np.ones(1, dtype=np.int64)
    start = np.zeros(1, dtype=np.int64)
    paths = np.zeros(1, dtype=np.int64)
    viterbi(scores, start, one, trans, paths)
    path_marginals(scores, start, one, trans, paths, np.ones(1, dtype=np.bool_), np.ones(1))
