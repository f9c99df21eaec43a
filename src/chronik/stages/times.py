"""Time expressions, placed on the calendar relative to the publication date.

The rules live in `chronik.timex` (patterns in `lang/<code>/time_rules.yaml`, words in
`lang/<code>/time.yaml`). Every expression found becomes a `TimeExpression`; its `value` is the
contract's ISO date, `YYYY-MM` or `YYYY`, or None for durations ("drei Tage lang"), frequencies,
vague references ("damals") and anything relative when the article has no publication date.
"""

from __future__ import annotations

from chronik import timex
from chronik.document import Document, TimeExpression
from chronik.registry import Stage, stage


@stage("chronik.times.v1", requires=("tokens",), assigns=("times",), languages=("de", "en"))
def make_times(language: str) -> Stage:
    timex.grammar(language)  # load and compile the rules once, here, not per document

    def times(doc: Document) -> Document:
        bounds = [(s.start, s.end) for s in doc.sentences] or None
        found = timex.extract(doc.text, doc.meta.published, language, bounds)
        doc.times = []
        for expression in found:
            sentence = doc.sentence_at(expression.start)
            doc.times.append(
                TimeExpression(
                    text=expression.text,
                    start=expression.start,
                    end=expression.end,
                    sentence=sentence if sentence is not None else 0,
                    value=expression.calendar_value,
                    type=expression.type,
                    timeml=expression.value,
                )
            )
        return doc

    return times
