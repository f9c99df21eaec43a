"""The clause analysis on hand-tagged sentences: the tagger errors `chronik.syntax` mends (a
quotation mark tagged as foreign material, a clause-final particle tagged as an article, a
finite verb in -t tagged as a participle) and a main clause interrupted by a relative clause,
independent of the tagger."""

from __future__ import annotations

from chronik import syntax
from chronik.document import Document, Metadata, Sentence, Token


def tagged(*words: tuple[str, str, str]) -> Document:
    """One sentence of (text, STTS tag, lemma) tokens, separated by single spaces."""
    tokens: list[Token] = []
    offset = 0
    for i, (text, pos, lemma) in enumerate(words):
        tokens.append(Token(i, text, offset, offset + len(text), 0, pos, lemma))
        offset += len(text) + 1
    text = " ".join(w[0] for w in words)
    doc = Document(text=text, meta=Metadata(language="de"))
    doc.tokens = tokens
    doc.sentences = [Sentence(0, len(text), 0, len(tokens))]
    return doc


def test_syntax_mending_quotation_mark_tagged_fm_is_no_noun() -> None:
    doc = tagged(
        ("Die", "ART", "die"),
        ("Regierung", "NN", "Regierung"),
        ("lobte", "VVFIN", "loben"),
        ("„", "FM", "„"),
        ("Fortschritte", "NN", "Fortschritt"),
        ("“", "FM", "“"),
        (".", "$.", "."),
    )
    (clause,) = syntax.analyze(doc)
    assert clause.subject is not None and clause.subject.text == "Die Regierung"
    assert [a.text for a in clause.objects] == ["Fortschritte"]
    assert doc.tokens[3].pos == "FM"  # mended on a copy, not in the document


def test_syntax_mending_clause_final_particle_joins_the_lemma() -> None:
    doc = tagged(
        ("Der", "ART", "der"),
        ("Minister", "NN", "Minister"),
        ("räumte", "VVFIN", "räumen"),
        ("Fehler", "NN", "Fehler"),
        ("ein", "ART", "ein"),
        (".", "$.", "."),
    )
    (clause,) = syntax.analyze(doc)
    assert clause.lemma == "einräumen"
    assert clause.verbs == [2, 4]
    assert clause.subject is not None and clause.subject.text == "Der Minister"


def test_syntax_mending_participle_before_dass_is_the_finite_verb() -> None:
    doc = tagged(
        ("Die", "ART", "die"),
        ("Regierung", "NN", "Regierung"),
        ("befürchtet", "VVPP", "befürchten"),
        (",", "$,", ","),
        ("dass", "KOUS", "dass"),
        ("es", "PPER", "es"),
        ("regnet", "VVFIN", "regnen"),
        (".", "$.", "."),
    )
    main, sub = syntax.analyze(doc)
    assert main.finite == 2 and main.voice == "active"
    assert sub.kind == "sub" and sub.parent == main.index and sub.embedding == "fear"


def test_syntax_mending_interrupted_main_clause_keeps_both_parts() -> None:
    doc = tagged(
        ("Der", "ART", "der"),
        ("Präsident", "NN", "Präsident"),
        (",", "$,", ","),
        ("der", "PRELS", "der"),
        ("gestern", "ADV", "gestern"),
        ("ankam", "VVFIN", "ankommen"),
        (",", "$,", ","),
        ("lobte", "VVFIN", "loben"),
        ("die", "ART", "die"),
        ("Gastgeber", "NN", "Gastgeber"),
        (".", "$.", "."),
    )
    found = syntax.analyze(doc)
    main = next(c for c in found if c.kind == "main")
    rel = next(c for c in found if c.kind == "rel")
    # (the comma before the second part stays, as between two parts of a coordination)
    assert main.tokens == [0, 1, 6, 7, 8, 9] and main.lemma == "loben"
    assert main.subject is not None and main.subject.text == "Der Präsident"
    assert rel.tokens == [3, 4, 5] and rel.parent == main.index
