"""Serialisation of a `Document` to the output contract and its JSON Schema."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from chronik.document import CONTRACT_VERSION, Document, Span


def _span(span: Span | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {"text": span.text, "start": span.start, "end": span.end}


def document_to_dict(doc: Document) -> dict[str, Any]:
    meta = doc.meta
    return {
        "chronik": CONTRACT_VERSION,
        "doc": {
            "id": meta.id,
            "title": meta.title,
            "language": meta.language,
            "published": meta.published.isoformat() if meta.published else None,
            "url": meta.url,
            "source": meta.source,
        },
        "sentences": [{"start": s.start, "end": s.end} for s in doc.sentences],
        "entities": [
            {
                "id": e.id,
                "text": e.text,
                "type": e.type,
                "start": e.start,
                "end": e.end,
                "sentence": e.sentence,
                "actor": e.actor,
            }
            for e in doc.entities
        ],
        "actors": [
            {
                "id": a.id,
                "name": a.name,
                "kind": a.kind,
                "country": a.country,
                "sector": a.sector,
                "role": a.role,
                "kb_id": a.kb_id,
            }
            for a in doc.actors
        ],
        "events": [
            {
                "id": ev.id,
                "type": ev.type,
                "mode": ev.mode,
                "source": list(ev.source),
                "target": list(ev.target),
                "negated": ev.negated,
                "modality": ev.modality,
                "date": ev.date,
                "date_text": ev.date_text,
                "location": (
                    None
                    if ev.location is None
                    else {
                        "name": ev.location.name,
                        "country": ev.location.country,
                        "lat": ev.location.lat,
                        "lon": ev.location.lon,
                    }
                ),
                "sentence": ev.sentence,
                "trigger": _span(ev.trigger),
                "confidence": round(ev.confidence, 3),
                "cameo": ev.cameo,
                "goldstein": ev.goldstein,
                "mentions": [
                    {"sentence": m.sentence, "trigger": _span(m.trigger)} for m in ev.mentions
                ],
            }
            for ev in doc.events
        ],
        "quotes": [
            {
                "id": q.id,
                "text": q.text,
                "start": q.start,
                "end": q.end,
                "kind": q.kind,
                "speaker": q.speaker,
                "speaker_text": q.speaker_text,
                "cue": q.cue.text if q.cue else None,
                "cue_span": _span(q.cue),
                "speaker_span": _span(q.speaker_span),
                "sentence": q.sentence,
            }
            for q in doc.quotes
        ],
        "times": [
            {
                "text": t.text,
                "start": t.start,
                "end": t.end,
                "value": t.value,
                "sentence": t.sentence,
            }
            for t in doc.times
        ],
        "places": [
            {
                "id": p.id,
                "name": p.name,
                "text": p.text,
                "start": p.start,
                "end": p.end,
                "sentence": p.sentence,
                "country": p.country,
                "lat": p.lat,
                "lon": p.lon,
                "gazetteer_id": p.gazetteer_id,
                "feature": p.feature,
            }
            for p in doc.places
        ],
    }


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of one output object."""
    text = resources.files("chronik").joinpath("schema/chronik.schema.json").read_text("utf-8")
    return json.loads(text)


def validate(obj: dict[str, Any]) -> None:
    """Raise `jsonschema.ValidationError` unless `obj` satisfies the contract's schema."""
    import jsonschema

    jsonschema.validate(obj, schema())


def _enum(name: str) -> tuple[str, ...]:
    return tuple(v for v in schema()["$defs"][name]["enum"] if v is not None)


#: the PLOVER event types of the contract, in the schema's order
PLOVER_TYPES = _enum("plover_type")
#: the PLOVER sector codes of the contract
SECTORS = frozenset(_enum("sector"))
