"""The packaged NER model (chronik.ner): loading, predictions on hand-written sentences, offsets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chronik import ner
from chronik.document import Document, Sentence, Token
from chronik.ner.corpus import spans_to_tags, tags_to_spans
from chronik.ner.features import shape


def _words(text: str) -> list[str]:
    return text.split(" ")


def _labelled(text: str) -> dict[str, str]:
    words = _words(text)
    return {" ".join(words[s.start : s.end + 1]): s.label for s in ner.predict(words)}


def test_ner_model_loads_from_package() -> None:
    crf = ner.model()
    assert "O" in crf.labels
    assert {label[2:] for label in crf.labels if label != "O"} == {"PER", "LOC", "ORG"}
    assert crf.weights.shape == (len(crf.attributes) + 1, len(crf.labels))


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        ("Bundeskanzler Olaf Scholz hat am Montag in Berlin gesprochen .", "Olaf Scholz", "PER"),
        ("Die Olympischen Spiele fanden 2014 in Sotschi statt .", "Sotschi", "LOC"),
        (
            "Die Vereinten Nationen forderten eine sofortige Waffenruhe .",
            "Vereinten Nationen",
            "ORG",
        ),
        ("Der Vorstand von Siemens traf sich am Dienstag in München .", "München", "LOC"),
        (
            "Außenministerin Annalena Baerbock reiste nach Kiew .",
            "Annalena Baerbock",
            "PER",
        ),
    ],
)
def test_ner_predicts_names(text: str, name: str, label: str) -> None:
    assert _labelled(text).get(name) == label


def test_ner_role_noun_is_not_part_of_the_name() -> None:
    found = _labelled("Bundeskanzler Olaf Scholz sagte , er sei zufrieden .")
    assert "Bundeskanzler Olaf Scholz" not in found
    assert "Bundeskanzler" not in found


def test_ner_sentence_without_names_has_none() -> None:
    assert ner.predict(_words("Es regnete den ganzen Tag , und niemand ging hinaus .")) == []


def test_ner_empty_sentence() -> None:
    assert ner.predict([]) == []


def test_ner_pos_must_match_tokens() -> None:
    with pytest.raises(ValueError):
        ner.predict(["Olaf", "Scholz"], ["NE"])


def test_ner_given_tags_are_used() -> None:
    words = _words("Bundeskanzler Olaf Scholz reiste nach Sotschi .")
    tags = ["NN", "NE", "NE", "VVFIN", "APPR", "NE", "$."]
    assert ner.predict(words, tags) == ner.predict(words)


def test_ner_scores_are_probabilities() -> None:
    spans = ner.predict(_words("Wladimir Putin empfing Kim Jong Un in Wladiwostok ."))
    assert spans
    assert all(0.0 < s.score <= 1.0 for s in spans)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Olaf",
                "Scholz",
                "in",
                "Berlin",
                "die",
                "UN",
                ",",
                ".",
                "sagte",
                "Müller",
                "GmbH",
                "Europäische",
                "Union",
                "und",
                "„",
                "“",
                "X-Y",
                "2023",
            ]
        ),
        min_size=1,
        max_size=25,
    )
)
def test_ner_spans_are_ordered_and_inside(words: list[str]) -> None:
    spans = ner.predict(words)
    last = -1
    for s in spans:
        assert last < s.start <= s.end < len(words)
        assert s.label in ("PER", "LOC", "ORG")
        last = s.end


def test_ner_document_offsets_point_at_the_name() -> None:
    text = "Kanzler Olaf Scholz traf in Paris Emmanuel Macron. Danach flog er nach Rom."
    pieces = [
        ("Kanzler", "NN"),
        ("Olaf", "NE"),
        ("Scholz", "NE"),
        ("traf", "VVFIN"),
        ("in", "APPR"),
        ("Paris", "NE"),
        ("Emmanuel", "NE"),
        ("Macron", "NE"),
        (".", "$."),
        ("Danach", "PAV"),
        ("flog", "VVFIN"),
        ("er", "PPER"),
        ("nach", "APPR"),
        ("Rom", "NE"),
        (".", "$."),
    ]
    tokens, offset = [], 0
    for i, (word, tag) in enumerate(pieces):
        start = text.index(word, offset)
        sentence = 0 if i < 9 else 1
        tokens.append(
            Token(i=i, text=word, start=start, end=start + len(word), sentence=sentence, pos=tag)
        )
        offset = start + len(word)
    doc = Document(text=text, tokens=tokens)
    doc.sentences = [
        Sentence(start=0, end=51, token_start=0, token_end=9),
        Sentence(start=52, end=len(text), token_start=9, token_end=15),
    ]
    spans = ner.predict_document(doc)
    found = {text[s.char_start : s.char_end]: (s.label, s.sentence) for s in spans}
    assert found.get("Olaf Scholz") == ("PER", 0)
    assert found.get("Rom") == ("LOC", 1)
    for s in spans:
        assert text[s.char_start : s.char_end].startswith(doc.tokens[s.start].text)
        assert text[s.char_start : s.char_end].endswith(doc.tokens[s.end].text)


def test_ner_tags_and_spans_round_trip() -> None:
    spans = [(0, 1, "PER"), (3, 3, "LOC"), (4, 6, "ORG")]
    tags = spans_to_tags(8, spans)
    assert tags[:5] == ["B-PER", "I-PER", "O", "B-LOC", "B-ORG"]
    assert tags_to_spans(tags) == spans
    # IOB1 (Europarl): an I- tag after O opens a span
    assert tags_to_spans(["O", "I-PER", "I-PER", "O", "I-LOC"]) == [(1, 2, "PER"), (4, 4, "LOC")]


def test_ner_shape() -> None:
    assert shape("Olaf") == "Xx"
    assert shape("UN-Beschlüsse") == "X-Xx"
    assert shape("2014") == "d"


def test_ner_batch_equals_sentence_by_sentence() -> None:
    sentences = [
        _words("Bundeskanzler Olaf Scholz traf Emmanuel Macron in Paris ."),
        [],
        _words("Die Europäische Union verhängte neue Sanktionen gegen Russland ."),
        _words("Siemens"),
    ]
    assert ner.predict_batch(sentences) == [ner.predict(s) for s in sentences]


def test_ner_one_word_kb_name_needs_a_nominal_tag() -> None:
    from chronik.ner.features import _kb_spans

    words = ["Das", "sagte", "Merkel", "in", "Berlin", "."]
    tags = ["PDS", "VVFIN", "NE", "APPR", "NE", "$."]
    starts = {start for start, _, _ in _kb_spans(words, tags)}
    assert 0 not in starts
    assert 4 in starts


def test_ner_packaged_model_uses_its_trained_features() -> None:
    crf = ner.model()
    assert crf.uses_pos and crf.conjunctions and crf.lexicons.known is not None
    # the name lexicon travels in the model file
    assert len(crf.lexicons.clusters) > 500
    # the merged ensemble's members: organisation cues and character n-grams
    assert crf.lexicons.org_cues and crf.lexicons.char_ngrams == 4
    assert any(a.startswith("0|g:") for a in crf.attributes)
    assert any(a.startswith("orun:") for a in crf.attributes)


_SENTENCES = [
    "Bundeskanzler Olaf Scholz traf in Berlin den Chef der Deutschen Bank AG .",
    "„ Wir lehnen das ab “ , sagte Kreml-Sprecher Dmitri Peskow am Montag in Moskau .",
    "Der FC Bayern München gewann gegen Borussia Dortmund .",
    "Ein kurzer Satz .",
]


def _sentence_batch(crf: ner.CrfModel) -> list[tuple[list[str], list[str]]]:
    from chronik.tagger import german_tagger

    tagger = german_tagger()
    return [(s.split(" "), tagger.tags(s.split(" "))) for s in _SENTENCES]


def test_ner_emissions_sum_the_training_features() -> None:
    """Inference caches and sums features its own way; the scores must stay those of the
    feature strings the model was trained on (`sentence_features`)."""
    import numpy as np

    from chronik.ner.features import sentence_features

    crf = ner.model()
    batch = _sentence_batch(crf)
    fast = crf.emissions(batch)
    rows = []
    for words, tags in batch:
        for feats in sentence_features(words, tags, crf.lexicons, crf.conjunctions):
            ids = [crf.attributes[f] for f in feats if f in crf.attributes]
            rows.append(crf.weights[ids].astype(np.float64).sum(axis=0))
    slow = np.array(rows)
    if crf.o_bias:
        slow[:, crf.labels.index("O")] -= crf.o_bias
    assert fast.shape == slow.shape
    assert np.allclose(fast, slow, atol=1e-3)


def test_ner_marginals_of_sentences_with_names_do_not_depend_on_the_others() -> None:
    crf = ner.model()
    batch = _sentence_batch(crf)
    scores = crf.emissions(batch)
    lengths = [len(words) for words, _ in batch]
    paths, full = crf.decode(scores, lengths)
    same_paths, partial = crf.decode(scores, lengths, names_only=True)
    outside = crf.labels.index("O")
    assert same_paths == paths
    assert any(label != outside for label in paths[0])
    assert all(label == outside for label in paths[3])
    for path, a, b in zip(paths, full, partial, strict=True):
        if any(label != outside for label in path):
            assert a == pytest.approx(b, abs=1e-6)
        else:
            assert b == [1.0] * len(path)
    assert all(0.0 < p <= 1.0 for probs in full for p in probs)


def test_ner_word_cache_full_keeps_the_results(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the word cache is full it starts again; words met before and new ones alike are
    scored as with an empty cache."""
    import importlib

    # the module, not the package's `model()` function of the same name
    model_module = importlib.import_module("chronik.ner.model")
    crf = model_module.load()
    first = _words("Bundeskanzler Olaf Scholz reist nach Sotschi .")
    second = _words("Olaf Scholz trifft in Moskau Wladimir Putin .")
    expected = ner.predict(second, crf=crf)
    crf.clear_cache()
    monkeypatch.setattr(model_module, "WORD_CACHE", len(set(first)) + 2)
    ner.predict(first, crf=crf)
    assert ner.predict(second, crf=crf) == expected
    # the second sentence overflowed the cache: it holds that sentence's forms alone
    assert len(crf._word_cache) == len(set(second)) < len(set(first) | set(second))
