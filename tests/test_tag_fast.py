"""The distilled German tagger (chronik.tagger): HanTa's choices, guesses for new words, mood."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from chronik.document import Document
from chronik.pipeline import build
from chronik.tagger import Analysis, compound, german_tagger, mood, stts


@pytest.fixture(scope="module")
def core():
    return build("de", ["chronik.tokenize.v1", "chronik.tag.v1"])


@pytest.fixture(scope="module")
def hanta():
    """HanTa itself, which the tagger distils (only the training script needs it installed)."""
    module = pytest.importorskip("HanTa.HanoverTagger")
    return module.HanoverTagger("morphmodel_ger.pgz")


def _tags(core, text: str) -> dict[str, tuple[str, str, str]]:
    doc = core(Document(text=text))
    return {t.text: (t.pos, t.lemma, t.morph.get("Mood", "")) for t in doc.tokens}


def test_tag_brackets_and_quotes_are_stts_other_punctuation(core) -> None:
    tags = _tags(core, "Die Partei (SPD) sagte: „Nein.“")
    assert tags["("][0] == "$("
    assert tags[")"][0] == "$("
    assert tags["."][0] == "$."


def test_tag_separable_verb_final_konjunktiv(core) -> None:
    assert mood("ausgehe", "ausgehen") == "subj1"
    assert mood("ausgeht", "ausgehen") == "ind"
    assert mood("ausginge", "ausgehen") == "subj2"
    tags = _tags(core, "Er sagte, dass die Regierung von einem Erfolg ausgehe.")
    assert tags["ausgehe"] == ("VVFIN", "ausgehen", "subj1")
    assert tags["sagte"][2] == "ind"


def test_tag_mood_only_on_finite_verbs(core) -> None:
    doc = core(Document(text="Die Minister seien nach Berlin gereist, um zu verhandeln."))
    moods = {t.text: t.morph.get("Mood") for t in doc.tokens}
    assert moods["seien"] == "subj1"
    assert moods["gereist"] is None
    assert moods["verhandeln"] is None


def test_tag_new_compound_takes_its_heads_tag_and_lemma(core) -> None:
    tagger = german_tagger()
    assert not tagger.known("quarkbrötchenverkäuferinnen")
    tags = _tags(core, "Die Quarkbrötchenverkäuferinnen streikten am Montag.")
    assert tags["Quarkbrötchenverkäuferinnen"][:2] == ("NN", "Quarkbrötchenverkäuferin")


def test_tag_compound_rule_with_particles_and_zu() -> None:
    lexicon = {
        "schleppen": Analysis(
            False,
            (("VVINF", -9.0), ("VVFIN", -9.5)),
            {"VVINF": ("schleppen", ""), "VVFIN": ("schleppen", "")},
        ),
        "schleppte": Analysis(False, (("VVFIN", -9.0),), {"VVFIN": ("schleppen", "")}),
        "händlerin": Analysis(False, (("NN", -10.0),), {"NN": ("Händlerin", "")}),
    }
    particles = {"weg", "ab"}
    infinitive = compound("wegzuschleppen", lexicon.get, particles)
    assert infinitive is not None
    assert infinitive.lemmas["VVIZU"][0] == "wegschleppen"
    finite = compound("abschleppte", lexicon.get, particles)
    assert finite is not None and finite.lemmas["VVFIN"][0] == "abschleppen"
    noun = compound("obsthändlerin", lexicon.get, particles)
    assert noun is not None and noun.lemmas == {"NN": ("Obsthändlerin", "")}
    # verbs need a particle before them: "obst" is none
    assert compound("obstschleppte", lexicon.get, particles) is None


def test_tag_unknown_capitalised_word_after_names_stays_a_name(core) -> None:
    tags = _tags(core, "Das sagte der Vizeminister Park Sung Min am Freitag.")
    assert tags["Sung"][0] == "NE"


def test_tag_model_files_stay_small() -> None:
    models = Path(str(resources.files("chronik").joinpath("models")))
    total = sum(path.stat().st_size for path in models.iterdir())
    assert 0 < total <= 15_000_000


@pytest.mark.parametrize(
    "sentence",
    [
        "Der russische Präsident Wladimir Putin hat am Mittwoch Kim Jong Un empfangen .",
        "Die Regierung in Berlin kündigte an , die Sanktionen gegen Moskau zu verschärfen .",
        "Nach Angaben der Polizei seien bei dem Anschlag zwölf Menschen getötet worden .",
        "Ob die Gespräche fortgesetzt werden , ist noch unklar , sagte ein Sprecher .",
    ],
)
def test_tag_agrees_with_hanta_on_news(hanta, sentence: str) -> None:
    words = sentence.split()
    expected = [(stts(raw), lemma) for _, lemma, raw in hanta.tag_sent(words)]
    assert [(t.pos, t.lemma) for t in german_tagger().tag(words)] == expected


def test_tag_memos_hold_nothing_the_cycle_collector_tracks(core) -> None:
    import gc

    # known forms, a guessed compound and a new name, in both capitalisations
    _tags(core, "Die Ministrantenregistratur der Quandtlux AG verhandelte gestern in Berlin.")
    tagger = german_tagger()
    assert tagger._emissions and tagger._analyses
    # a tuple of strings and numbers is untracked when a collection finds it so (one level of
    # nesting per collection, at worst)
    for _ in range(4):
        gc.collect()
    memos = [*tagger._emissions.values(), *tagger._analyses.values()]
    assert not [value for value in memos if gc.is_tracked(value)]
    # and the memo still gives lemmas and analyses
    assert tagger.analysis("ministrantenregistratur").lemmas["NN"][0] == "Ministrantenregistratur"
