"""Compiled loops (numba) of the two searches of the German core (internal).

- the tagger's beam Viterbi over HanTa's trigram model (`chronik.tagger`): `beam_viterbi_batch`;
- the NER model's Viterbi and forward-backward over BILOU labels (`chronik.ner.model`):
  `viterbi`, `path_marginals`; and its emission scores: the sums of a new word form's
  feature weights, `segment_sums`, the additions of weight rows to tokens, `add_rows` and
  `add_window`, and the part-of-speech features' weights, `tag_scores`.

Written in Python, each step of such a search is a few dictionary or numpy operations on tiny
data, whose overhead is most of the time (the CRF's decoding took ~3 ms per article in numpy, the
tagger's search ~1.7 ms in pure Python); compiled, they take a fraction of that. The functions
are compiled on first use and cached beside this module (`cache=True`); `prepare` compiles them
when a model loads. Each reproduces its Python original exactly: the same float operations in
the same order, and ties broken the same way.

NER arrays: `scores` tokens x labels (float32, the sentences of an article concatenated),
`starts` and `lengths` per sentence (int64), `trans` labels x labels (score of label j after
label i).
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


@njit(cache=True, nogil=True)
def segment_sums(blocks: np.ndarray, ids: np.ndarray, lengths: np.ndarray, out: np.ndarray) -> None:
    """Write into `out[s]` the sum of the blocks `blocks[ids[k]]` of segment s (the `lengths[s]`
    ids after those of the segments before it), added one after another in the order of `ids`;
    zero for a segment of no ids. One dictionary lookup per feature of a new word form, and one
    call for all of an article's new forms (`np.add.reduceat` over a gather of rows cost ~10 us
    per form)."""
    offsets, labels = blocks.shape[1], blocks.shape[2]
    k = 0
    for s in range(lengths.shape[0]):
        if lengths[s] == 0:
            for o in range(offsets):
                for j in range(labels):
                    out[s, o, j] = 0.0
            continue
        first = ids[k]
        for o in range(offsets):
            for j in range(labels):
                out[s, o, j] = blocks[first, o, j]
        for m in range(k + 1, k + lengths[s]):
            row = ids[m]
            for o in range(offsets):
                for j in range(labels):
                    out[s, o, j] += blocks[row, o, j]
        k += lengths[s]


@njit(cache=True, nogil=True)
def add_rows(scores: np.ndarray, tokens: np.ndarray, rows: np.ndarray, weights: np.ndarray) -> None:
    """Add `weights[rows[m]]` to `scores[tokens[m]]` for each m, in order (`np.add.at`)."""
    for m in range(tokens.shape[0]):
        t, r = tokens[m], rows[m]
        for j in range(scores.shape[1]):
            scores[t, j] += weights[r, j]


@njit(cache=True, nogil=True)
def add_window(
    scores: np.ndarray, table: np.ndarray, rows: np.ndarray, sentence_of: np.ndarray
) -> None:
    """Add to each token's scores the weights of the words around it as seen from it: the word
    at offset k - w // 2 (w = `table.shape[1]`) contributes `table[rows[that word], k]`, for k
    ascending, where that word is in the same sentence (`sentence_of`)."""
    n, width, labels = rows.shape[0], table.shape[1], scores.shape[1]
    half = width // 2
    for t in range(n):
        for k in range(width):
            source = t + k - half
            if source < 0 or source >= n or sentence_of[source] != sentence_of[t]:
                continue
            r = rows[source]
            for j in range(labels):
                scores[t, j] += table[r, k, j]


@njit(cache=True, nogil=True)
def tag_scores(
    ids: np.ndarray,
    starts: np.ndarray,
    lengths: np.ndarray,
    start: int,
    end: int,
    tables: tuple[np.ndarray, ...],
    out: np.ndarray,
) -> None:
    """Write into `out` each token's summed part-of-speech feature weights (the CRF's
    `_tag_scores`): `ids` are the tokens' tag ids, `start`/`end` the ids of the marks before and
    after a sentence, `tables` (bias, first, p0, m1, p1, m1p0, p0p1, m2, p2) the weights of the
    tag, of the tags one and two before and after it and of the pairs, added in this order (the
    sentence's first token's `first` last), as numpy added them table by table."""
    bias, first, p0, m1, p1, m1p0, p0p1, m2, p2 = tables
    labels = bias.shape[0]
    for s in range(starts.shape[0]):
        a, n = starts[s], lengths[s]
        for k in range(n):
            i = a + k
            t0 = ids[i]
            b1 = ids[i - 1] if k >= 1 else start
            b2 = ids[i - 2] if k >= 2 else start
            a1 = ids[i + 1] if k + 1 < n else end
            a2 = ids[i + 2] if k + 2 < n else end
            for j in range(labels):
                v = bias[j]
                v += p0[t0, j]
                v += m1[b1, j]
                v += p1[a1, j]
                v += m1p0[b1, t0, j]
                v += p0p1[t0, a1, j]
                v += m2[b2, j]
                v += p2[a2, j]
                if k == 0:
                    v += first[j]
                out[i, j] = v


def prepare() -> None:
    """Compile every loop (or load it from numba's cache) now: the tagger and the NER model call
    it when they load, so that no document pays for it. Compiled code depends on the argument
    types only, so tiny arguments do."""
    scores = np.zeros((1, 1), dtype=np.float32)
    trans = np.zeros((1, 1), dtype=np.float32)
    one = np.ones(1, dtype=np.int64)
    zero = np.zeros(1, dtype=np.int64)
    viterbi(scores, zero, one, trans, np.zeros(1, dtype=np.int64))
    path_marginals(scores, zero, one, trans, zero, np.ones(1, dtype=np.bool_), np.ones(1))
    blocks = np.zeros((1, 1, 1), dtype=np.float32)
    segment_sums(blocks, zero, one, np.zeros((1, 1, 1), np.float32))
    add_rows(scores, zero, zero, scores)
    add_window(scores, blocks, zero, zero)
    vector = np.zeros(1, dtype=np.float32)
    tag_scores(
        zero,
        zero,
        one,
        0,
        0,
        (vector, vector, scores, scores, scores, blocks, blocks, scores, scores),
        scores,
    )
    beam_viterbi_batch(
        zero,
        np.zeros(1),
        np.array([0, 1], dtype=np.int64),
        one,
        np.zeros((1, 1)),
        0,
        0,
        0,
        1,
        1,
        zero,
    )


@njit(cache=True, nogil=True)
def beam_viterbi_batch(
    tags: np.ndarray,
    emitted: np.ndarray,
    offsets: np.ndarray,
    counts: np.ndarray,
    trans: np.ndarray,
    start: int,
    end: int,
    fallback: int,
    width: int,
    beam: int,
    out: np.ndarray,
) -> None:
    """The tagger's search (`GermanTagger._viterbi`, HanTa's) over the sentences of an article in
    one call: sentence s is the next `counts[s]` words. Word k's candidate tags and emission
    scores are `tags[offsets[k]:offsets[k + 1]]` (best first) and the same slice of `emitted`; a
    state is previous tag * width + tag, `trans[state, tag]` the transition score. Writes each
    word's tag into `out`. The search's work arrays are made once.

    As in the Python search: the states of a step are kept in the order they are first reached,
    a state's score is replaced only by a strictly better one, the states more than 1.0 below
    the beam's (`beam` + 1)-th best are not continued, a word without candidates continues the
    best state with `fallback`, and of equal final scores the first state wins.
    """
    cap = width * width
    longest = 0
    for s in range(counts.shape[0]):
        longest = max(longest, counts[s])
    # (`where` is all -1 again after each step, so after each sentence)
    where = np.full(cap, -1, dtype=np.int64)
    prev_states = np.empty(cap, dtype=np.int64)
    prev_scores = np.empty(cap, dtype=np.float64)
    row_states = np.empty(cap, dtype=np.int64)
    row_scores = np.empty(cap, dtype=np.float64)
    # every step's states and where each came from, for the way back
    history = np.empty((longest, cap), dtype=np.int64)
    backs = np.empty((longest, cap), dtype=np.int64)
    sizes = np.empty(longest, dtype=np.int64)
    w0 = 0  # the sentence's first word
    for s in range(counts.shape[0]):
        words = counts[s]
        prev_states[0] = start
        prev_scores[0] = 0.0
        m = 1
        for k in range(words):
            first, last = offsets[w0 + k], offsets[w0 + k + 1]
            bound = -1e6
            if m > beam:
                bound = np.sort(prev_scores[:m])[m - beam - 1] - 1
            n = 0
            for p in range(m):
                score = prev_scores[p]
                if score < bound:
                    continue
                state = prev_states[p]
                # the successors' states start from this state's last tag, moved to the front
                base = (state % width) * width
                for c in range(first, last):
                    tag = tags[c]
                    total = score + trans[state, tag] + emitted[c]
                    new = base + tag
                    q = where[new]
                    if q < 0:
                        where[new] = n
                        row_states[n] = new
                        row_scores[n] = total
                        backs[k, n] = state
                        n += 1
                    elif total > row_scores[q]:
                        row_scores[q] = total
                        backs[k, q] = state
            if n == 0:
                tag = tags[first] if last > first else fallback
                best = 0
                for p in range(1, m):
                    if prev_scores[p] > prev_scores[best]:
                        best = p
                row_states[0] = (prev_states[best] % width) * width + tag
                row_scores[0] = prev_scores[best]
                backs[k, 0] = prev_states[best]
                n = 1
            for q in range(n):
                where[row_states[q]] = -1
                history[k, q] = row_states[q]
                prev_states[q] = row_states[q]
                prev_scores[q] = row_scores[q]
            sizes[k] = n
            m = n
        best = 0
        for p in range(1, m):
            if prev_scores[p] + trans[prev_states[p], end] > (
                prev_scores[best] + trans[prev_states[best], end]
            ):
                best = p
        state = prev_states[best]
        for k in range(words - 1, -1, -1):
            out[w0 + k] = state % width
            for q in range(sizes[k]):
                if history[k, q] == state:
                    state = backs[k, q]
                    break
        w0 += words
