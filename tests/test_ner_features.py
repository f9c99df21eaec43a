"""NER features (chronik.ner.features): organisation cues, their runs, character n-grams."""

from __future__ import annotations

from chronik.ner.features import (
    _org_runs,
    context_features,
    default_lexicons,
    read_org_cues,
    word_features,
)


def test_ner_org_cues_file_has_the_kinds() -> None:
    cues = read_org_cues()
    assert cues["gmbh"] == "legal"
    assert cues["verlag"] == "head"
    assert cues["fc"] == "club"
    assert set(cues.values()) == {"legal", "head", "noun", "club"}


def test_ner_org_cue_kinds() -> None:
    lex = default_lexicons((), org_cues=True)
    assert lex.org_cue("AG") == "legal"
    assert lex.org_cue("Verlag") == "head"
    # a compound ending in a head noun, but not in a whole-word-only noun
    assert lex.org_cue("Landesbank") == "headc"
    assert lex.org_cue("Rat") == "noun"
    assert lex.org_cue("Landrat") is None
    # club words count only capitalised
    assert lex.org_cue("Real") == "club"
    assert lex.org_cue("real") is None
    assert default_lexicons().org_cue("AG") is None


def test_ner_org_runs_span_the_capitalised_name() -> None:
    lex = default_lexicons((), org_cues=True)
    text = "Die Deutsche Bank AG und der Verein für Socialpolitik sowie FC Bayern München"
    words = text.split(" ")
    assert _org_runs(words, lex) == [(0, 3), (6, 8), (10, 12)]
    feats = context_features(words, ["-"] * len(words), lex=lex)
    assert "orun:B" in feats[10] and "orun:I" in feats[12]
    assert not any(f.startswith("orun") for f in feats[4])


def test_ner_word_features_with_org_cue_and_char_ngrams() -> None:
    plain = word_features("Kowalski", default_lexicons())
    assert not any(f.startswith("g:") for f in plain.own)
    grams = word_features("Kowalski", default_lexicons((), char_ngrams=4)).own
    assert {"g:<ko", "g:ski>", "g:lski"} <= set(grams)
    assert not any(len(f) > 6 for f in grams if f.startswith("g:"))
    assert "org:head" in word_features("Verlag", default_lexicons((), org_cues=True)).near


def test_ner_saved_model_reads_its_feature_groups(tmp_path) -> None:
    """A model file that declares organisation cues and character n-grams computes them at
    inference: a weight on one n-gram alone marks a word ending in it."""
    from chronik.ner import predict
    from chronik.ner.model import load, save

    labels = ["O", "U-PER", "U-ORG"]
    state = {("bias", "O"): 1.0, ("0|g:ski>", "U-PER"): 5.0, ("0|org:legal", "U-ORG"): 5.0}
    path = tmp_path / "tiny.npz"
    meta = {"org_cues": True, "char_ngrams": 4, "pos": False}
    save(path, labels, state, {}, None, meta)
    crf = load(path)
    assert crf.lexicons.char_ngrams == 4 and crf.lexicons.org_cues
    spans = predict(["Kowalski", "und", "Meyer", "AG"], crf=crf, scores=False)
    assert [(s.start, s.label) for s in spans] == [(0, "PER"), (3, "ORG")]
