"""The compiled loops (chronik.kernels) against brute force and the Python search."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from chronik import kernels


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


def _python_beam_search(
    candidates: list[list[tuple[int, float]]],
    trans: np.ndarray,
    width: int,
    start: int,
    end: int,
    fallback: int,
    beam: int,
) -> list[int]:
    """HanTa's search as chronik.tagger ran it in Python: states in the order first reached,
    replaced only by strictly better scores, a beam 1.0 below the (beam + 1)-th best."""
    previous = {start: 0.0}
    pointers = []
    for cands in candidates:
        bound = sorted(previous.values())[-beam - 1] - 1 if len(previous) > beam else -1e6
        row: dict[int, float] = {}
        back: dict[int, int] = {}
        for state, score in previous.items():
            if score < bound:
                continue
            for tag, emitted in cands:
                total = score + float(trans[state, tag]) + emitted
                new = (state % width) * width + tag
                if new not in row or total > row[new]:
                    row[new] = total
                    back[new] = state
        if not row:
            tag = cands[0][0] if cands else fallback
            best = max(previous, key=previous.__getitem__)
            row = {(best % width) * width + tag: previous[best]}
            back = {(best % width) * width + tag: best}
        pointers.append(back)
        previous = row
    state = max(previous, key=lambda s: previous[s] + float(trans[s, end]))
    result = []
    for back in reversed(pointers):
        result.append(state % width)
        state = back[state]
    return result[::-1]


@pytest.mark.parametrize("seed", range(20))
def test_kernels_beam_viterbi_equals_the_python_search(seed: int) -> None:
    rng = np.random.default_rng(seed)
    width, beam = 6, 3
    # coarse scores, so that ties happen and must be broken as in Python
    trans = rng.integers(-4, 1, size=(width * width, width)).astype(np.float64)
    candidates = []
    for _ in range(int(rng.integers(1, 9))):
        k = int(rng.integers(0, 4))
        tags = rng.choice(width, size=k, replace=False)
        candidates.append([(int(t), float(rng.integers(-3, 1))) for t in tags])
    expected = _python_beam_search(candidates, trans, width, 0, 1, 2, beam)
    flat = [pair for cands in candidates for pair in cands]
    offsets = np.cumsum([0] + [len(c) for c in candidates]).astype(np.int64)
    out = np.zeros(len(candidates), dtype=np.int64)
    kernels.beam_viterbi_batch(
        np.array([t for t, _ in flat], dtype=np.int64),
        np.array([s for _, s in flat], dtype=np.float64),
        offsets,
        np.array([len(candidates)], dtype=np.int64),  # one sentence
        trans,
        0,
        1,
        2,
        width,
        beam,
        out,
    )
    assert out.tolist() == expected


@pytest.mark.parametrize("seed", range(3))
def test_kernels_beam_viterbi_batch_equals_sentence_by_sentence(seed: int) -> None:
    rng = np.random.default_rng(seed)
    width, beam = 6, 3
    trans = rng.integers(-4, 1, size=(width * width, width)).astype(np.float64)
    sentences = []
    for _ in range(5):
        sentence = []
        for _ in range(int(rng.integers(0, 9))):  # (an empty sentence too, now and then)
            tags = rng.choice(width, size=int(rng.integers(0, 4)), replace=False)
            sentence.append([(int(t), float(rng.integers(-3, 1))) for t in tags])
        sentences.append(sentence)
    expected = [_python_beam_search(s, trans, width, 0, 1, 2, beam) if s else [] for s in sentences]
    words = [cands for s in sentences for cands in s]
    flat = [pair for cands in words for pair in cands]
    counts = np.array([len(s) for s in sentences], dtype=np.int64)
    out = np.full(len(words), -1, dtype=np.int64)
    kernels.beam_viterbi_batch(
        np.array([t for t, _ in flat], dtype=np.int64),
        np.array([s for _, s in flat], dtype=np.float64),
        np.cumsum([0] + [len(c) for c in words]).astype(np.int64),
        counts,
        trans,
        0,
        1,
        2,
        width,
        beam,
        out,
    )
    assert out.tolist() == [tag for tags in expected for tag in tags]


@pytest.mark.parametrize("seed", range(3))
def test_ner_kernels_segment_sums_add_in_order(seed: int) -> None:
    rng = np.random.default_rng(seed)
    blocks = rng.normal(size=(30, 5, 4)).astype(np.float32)
    # (a segment of no ids: a word form none of whose features the model knows)
    lengths = [1, 7, 0, 3, 12, 0]
    ids = rng.integers(0, 30, size=sum(lengths))
    out = np.full((len(lengths), 5, 4), np.nan, dtype=np.float32)
    kernels.segment_sums(blocks, ids.astype(np.int64), np.array(lengths, dtype=np.int64), out)
    first = 0
    for s, n in enumerate(lengths):
        if n == 0:
            assert not out[s].any()
            continue
        expected = blocks[ids[first]].copy()
        for k in ids[first + 1 : first + n]:
            expected += blocks[k]
        first += n
        # bit for bit: the same float32 additions in the same order
        assert np.array_equal(out[s], expected)


def test_ner_kernels_add_rows_equal_add_at() -> None:
    rng = np.random.default_rng(7)
    weights = rng.normal(size=(10, 4)).astype(np.float32)
    scores = rng.normal(size=(6, 4)).astype(np.float32)
    tokens = np.array([0, 3, 3, 5, 0, 3], dtype=np.int64)
    rows = np.array([1, 9, 2, 2, 4, 9], dtype=np.int64)
    expected = scores.copy()
    np.add.at(expected, tokens, weights[rows])
    kernels.add_rows(scores, tokens, rows, weights)
    assert np.array_equal(scores, expected)


def test_ner_kernels_add_window_stays_in_the_sentence() -> None:
    rng = np.random.default_rng(8)
    table = rng.normal(size=(7, 5, 3)).astype(np.float32)
    rows = np.array([4, 0, 6, 6, 2, 1, 3], dtype=np.int64)
    sentence_of = np.array([0, 0, 0, 1, 1, 1, 1], dtype=np.int64)
    scores = np.zeros((7, 3), dtype=np.float32)
    kernels.add_window(scores, table, rows, sentence_of)
    for t in range(7):
        expected = np.zeros(3, dtype=np.float32)
        for k, offset in enumerate(range(-2, 3)):
            source = t + offset
            if 0 <= source < 7 and sentence_of[source] == sentence_of[t]:
                expected += table[rows[source], k]
        assert np.array_equal(scores[t], expected)
    # the first token of the second sentence sees nothing of the first sentence
    assert np.array_equal(scores[3], table[rows[3], 2] + table[rows[4], 3] + table[rows[5], 4])


@pytest.mark.parametrize("seed", range(3))
def test_ner_kernels_tag_scores_add_as_numpy_does(seed: int) -> None:
    rng = np.random.default_rng(seed)
    size, labels = 6, 5
    single = [rng.normal(size=(size, labels)).astype(np.float32) for _ in range(4)]
    pairs = [rng.normal(size=(size, size, labels)).astype(np.float32) for _ in range(2)]
    bias, first = (rng.normal(size=labels).astype(np.float32) for _ in range(2))
    p0, m1, p1, m2 = single[0], single[1], single[2], single[3]
    p2 = rng.normal(size=(size, labels)).astype(np.float32)
    m1p0, p0p1 = pairs
    lengths = np.array([1, 2, 7, 3], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    ids = rng.integers(0, size - 2, size=int(lengths.sum())).astype(np.int64)
    start, end = size - 2, size - 1
    out = np.full((len(ids), labels), np.nan, dtype=np.float32)
    tables = (bias, first, p0, m1, p1, m1p0, p0p1, m2, p2)
    kernels.tag_scores(ids, starts, lengths, start, end, tables, out)
    # numpy, table by table, with two marks on either side of each sentence
    padded = np.concatenate(
        [[start, start, *ids[a : a + n], end, end] for a, n in zip(starts, lengths, strict=True)]
    )
    where = np.concatenate(
        [np.arange(n) + 2 + a + 4 * s for s, (a, n) in enumerate(zip(starts, lengths, strict=True))]
    )
    b2, b1, t0, a1, a2 = (padded[where + d] for d in (-2, -1, 0, 1, 2))
    expected = np.empty_like(out)
    expected[:] = bias
    expected += p0[t0]
    expected += m1[b1]
    expected += p1[a1]
    expected += m1p0[b1, t0]
    expected += p0p1[t0, a1]
    expected += m2[b2]
    expected += p2[a2]
    expected[starts] += first
    # bit for bit: the same float32 additions in the same order
    assert np.array_equal(out, expected)
