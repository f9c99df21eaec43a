"""The quotes stage: speakers linked to actors through the actors stage's mentions."""

from __future__ import annotations

from chronik.document import Actor, Document, Mention, Metadata, Quote, Span
from chronik.pipeline import build
from chronik.registry import get_stage
from chronik.stages.quotes import link_speakers


def test_quotes_stage_is_registered_with_its_layers() -> None:
    info = get_stage("chronik.quotes.v1")
    assert info.assigns == ("quotes",)
    assert {"pos", "actors", "mentions"} <= set(info.requires)


def test_quotes_stage_links_speaker_to_mention_actor() -> None:
    text = "Titel\nMoskau verletze keine Sanktionen, sagte Kreml-Sprecher Dmitri Peskow."
    doc = build("de", ["chronik.tokenize.v1", "chronik.tag.v1"])(
        Document(text=text, meta=Metadata(language="de"))
    )
    start = text.index("Dmitri")
    doc.actors = [Actor("a1", "Dmitri Peskow", "person", "RUS", "GOV")]
    doc.mentions = [Mention("a1", "Dmitri Peskow", start, start + 13, 1, via="name")]
    stage = get_stage("chronik.quotes.v1").factory("de")
    stage(doc)
    assert len(doc.quotes) == 1
    assert doc.quotes[0].speaker == "a1"
    assert doc.quotes[0].speaker_text == "Kreml-Sprecher Dmitri Peskow"
    assert doc.quotes[0].id == "q1"


def test_quotes_pronoun_speaker_takes_the_actor_before_it() -> None:
    text = "Peskow sagte dies. Er sagte das."
    doc = Document(text=text, meta=Metadata(language="de"))
    doc.mentions = [Mention("a1", "Peskow", 0, 6, 0, via="name")]
    first = Quote("q1", "x", 7, 10, "indirect", 0, speaker_span=Span("Peskow", 0, 6))
    second = Quote("q2", "y", 23, 30, "indirect", 0, speaker_span=Span("Er", 19, 21))
    link_speakers(doc, [first, second])
    assert first.speaker == "a1"
    assert second.speaker == "a1"


def test_quotes_stage_without_mentions_keeps_speaker_text() -> None:
    text = "Titel\nDie Lage sei ernst, sagte der Bürgermeister."
    doc = build("de", ["chronik.tokenize.v1", "chronik.tag.v1"])(
        Document(text=text, meta=Metadata(language="de"))
    )
    get_stage("chronik.quotes.v1").factory("de")(doc)
    assert [(q.speaker, q.speaker_text) for q in doc.quotes] == [(None, "der Bürgermeister")]
