"""The clauses stage: German clause analysis as a shared layer (`doc.clauses`).

Each sentence is cut into clauses with their verb complex, subject, objects, negation, mood and
embedding by `chronik.syntax` (rules over the tagger's STTS tags and lemmas). The stage runs after
the names are known (entities, actor mentions), so that adjacent names of different actors stay
apart ("Putin USA warnen"); without them it still works, on tags alone. Later stages (events,
and anything else that needs who did what to whom) read `doc.clauses` instead of analysing the
sentences again.
"""

from __future__ import annotations

from chronik import syntax
from chronik.document import Document
from chronik.registry import Stage, stage


@stage("chronik.clauses.v1", requires=("pos",), assigns=("clauses",), languages=("de",))
def make_clauses(language: str) -> Stage:
    # loaded once here, so that a missing or broken data file fails when the pipeline is built
    syntax.lexicon(language)

    def clauses(doc: Document) -> Document:
        doc.clauses = syntax.analyze(doc, language)
        return doc

    return clauses
