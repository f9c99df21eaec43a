"""The tagger's output for a sentence does not depend on what the process tagged before."""

from __future__ import annotations

from chronik.tagger import GermanTagger


def test_tag_guessed_forms_are_never_taken_for_known_ones() -> None:
    tagger = GermanTagger()
    form = "quarkplexgrund"
    assert not tagger.known(form)
    tagger.analysis(form)  # caches a guess
    assert tagger._known(form) is None


def test_tag_same_sentence_same_tags_whatever_came_before() -> None:
    sentence = ["Die", "Quarkplexgrundbehörde", "erstattete", "Anzeige", "."]
    fresh = GermanTagger()
    before = fresh.tag(sentence)
    used = GermanTagger()
    used.tag(["Der", "Quarkplexgrund", "und", "die", "Behörde", "erstatteten", "nichts", "."])
    used.tag(["Quarkplexgrundbehördes", "Zeugen", "schwiegen", "."])
    assert used.tag(sentence) == before
