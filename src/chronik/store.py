"""The event database: its schema, the rows one analysed article adds, and the one writer.

This module owns the DuckDB connection. Reads may come from anywhere (`Store.query`), but every
write goes through `Store.write`, which stores a batch of articles in one transaction: an
article's rows are never split across transactions, so a run killed at any moment leaves each
article either fully stored or absent, and the next run stores what is missing.

Keys are derived from content, never from order or chance:

- `doc_key`: a hash of the article text (whitespace-normalised), so the same text read twice
  (or from two files) is stored once;
- `event_uid`: one event of one article: doc_key + type + negation + actors + trigger offsets;
- `event_key`: one real-world event as GDELT counts it: CAMEO code, type, negation, the two
  actors (by country + sector, else knowledge-base id, else name) and the day. Every article
  reporting it adds mentions to the same key; `events` (a view) aggregates them with
  NumArticles / NumSources / NumMentions.

Syndicated copies (the same text up to case and punctuation, or a near-identical text by
SimHash) are stored as documents pointing at the first copy (`duplicate_of`) and are not
analysed, so they count once.

The row builders (`article_rows`, `duplicate_row`, ...) are pure functions of the article and
its contract JSON, shared by the DuckDB path and the Spark job so both produce the same rows.
"""

from __future__ import annotations

import errno
import hashlib
import itertools
import json
import re
import shutil
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from chronik.errors import ChronikError
from chronik.reader import Article

SCHEMA_VERSION = "3"
#: older schemas a writer upgrades in place: every change since was an added column (old rows
#: hold NULL there) or a redefined `events` view
UPGRADABLE_SCHEMAS = ("1", "2")

#: texts of fewer words are compared exactly only (up to case and punctuation): a few shared
#: phrases would make short texts look alike
NEAR_MIN_WORDS = 50
#: near-identical texts share this fraction of their word 3-shingles (Jaccard, estimated by
#: MinHash); syndicated copies differ by a headline, an agency tag or a cut last paragraph
NEAR_JACCARD = 0.8
MINHASH_PERMUTATIONS = 64
#: locality-sensitive hashing: 16 bands of 4 values; texts of Jaccard 0.8 share a band with
#: probability 1 - (1 - 0.8**4)**16 > 0.9999, texts of Jaccard 0.3 with probability 0.12
MINHASH_BANDS = 16
_MINHASH_PRIME = (1 << 31) - 1

#: CAMEO root code -> GDELT QuadClass (1 verbal cooperation, 2 material cooperation,
#: 3 verbal conflict, 4 material conflict)
_QUAD_BY_ROOT = {
    **dict.fromkeys(("01", "02", "03", "04", "05"), 1),
    **dict.fromkeys(("06", "07", "08"), 2),
    **dict.fromkeys(("09", "10", "11", "12", "13"), 3),
    **dict.fromkeys(("14", "15", "16", "17", "18", "19", "20"), 4),
}


class StoreError(ChronikError):
    """The event database cannot be opened, read or written."""

    exit_code = 3


class StoreLockedError(StoreError):
    """Another process holds the event database open for writing."""


class StoreFullError(StoreError):
    """The disk is full (or over quota) while writing the event database."""


class StoreSchemaError(StoreError):
    """The database file is not a Chronik event database of this version."""


# --- the schema --------------------------------------------------------------------------------

#: a place as the event rows hold it (the event location, an actor's place)
GEO_FIELDS = (
    ("name", "VARCHAR"),
    ("country", "VARCHAR"),
    ("lat", "DOUBLE"),
    ("lon", "DOUBLE"),
    ("feature", "VARCHAR"),
    ("gazetteer_id", "VARCHAR"),
)

#: table -> ordered (column, DuckDB type); the Spark job and the exports derive their schemas
#: from this one definition
TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "documents": (
        ("doc_key", "VARCHAR"),
        ("article_id", "VARCHAR"),
        ("origin", "VARCHAR"),
        ("title", "VARCHAR"),
        ("language", "VARCHAR"),
        ("published", "DATE"),
        ("url", "VARCHAR"),
        ("source", "VARCHAR"),
        ("outlet", "VARCHAR"),
        ("chars", "INTEGER"),
        ("norm_key", "VARCHAR"),
        ("minhash", "INTEGER[]"),
        ("duplicate_of", "VARCHAR"),
        ("text", "VARCHAR"),
        ("added", "TIMESTAMP"),
        # the fingerprint of the users' actor dictionaries (`chronik run --actors`) the article
        # was analysed with: '' for the built-in knowledge base only (NULL: schema 1, the same)
        ("actor_dictionaries", "VARCHAR"),
    ),
    "actors": (
        ("doc_key", "VARCHAR"),
        ("actor_id", "VARCHAR"),
        ("actor_key", "VARCHAR"),
        ("name", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("country", "VARCHAR"),
        ("sector", "VARCHAR"),
        ("role", "VARCHAR"),
        ("kb_id", "VARCHAR"),
        ("published", "DATE"),
    ),
    "doc_events": (
        ("event_uid", "VARCHAR"),
        ("doc_key", "VARCHAR"),
        ("local_id", "VARCHAR"),
        ("type", "VARCHAR"),
        ("mode", "VARCHAR"),
        ("cameo", "VARCHAR"),
        ("goldstein", "DOUBLE"),
        ("quad_class", "INTEGER"),
        ("negated", "BOOLEAN"),
        ("modality", "VARCHAR"),
        ("date", "VARCHAR"),
        ("day", "DATE"),
        ("date_text", "VARCHAR"),
        ("source_ids", "VARCHAR[]"),
        ("target_ids", "VARCHAR[]"),
        ("location_name", "VARCHAR"),
        ("location_country", "VARCHAR"),
        ("location_lat", "DOUBLE"),
        ("location_lon", "DOUBLE"),
        ("sentence", "INTEGER"),
        ("trigger_text", "VARCHAR"),
        ("trigger_start", "INTEGER"),
        ("trigger_end", "INTEGER"),
        ("confidence", "DOUBLE"),
        ("evidence", "VARCHAR"),
    ),
    # one row per mention of one dyad (source actor x target actor) of one article's event: the
    # evidence of the aggregated `events`, denormalised so that aggregation is one GROUP BY
    "event_mentions": (
        ("event_key", "VARCHAR"),
        ("event_uid", "VARCHAR"),
        ("doc_key", "VARCHAR"),
        ("mention", "INTEGER"),
        ("type", "VARCHAR"),
        ("mode", "VARCHAR"),
        ("cameo", "VARCHAR"),
        ("goldstein", "DOUBLE"),
        ("quad_class", "INTEGER"),
        ("negated", "BOOLEAN"),
        ("modality", "VARCHAR"),
        ("day", "DATE"),
        ("actor1_key", "VARCHAR"),
        ("actor1_name", "VARCHAR"),
        ("actor1_country", "VARCHAR"),
        ("actor1_sector", "VARCHAR"),
        ("actor1_kb_id", "VARCHAR"),
        ("actor2_key", "VARCHAR"),
        ("actor2_name", "VARCHAR"),
        ("actor2_country", "VARCHAR"),
        ("actor2_sector", "VARCHAR"),
        ("actor2_kb_id", "VARCHAR"),
        ("location_name", "VARCHAR"),
        ("location_country", "VARCHAR"),
        ("location_lat", "DOUBLE"),
        ("location_lon", "DOUBLE"),
        ("location_feature", "VARCHAR"),
        ("location_gazetteer_id", "VARCHAR"),
        ("sentence", "INTEGER"),
        ("trigger_text", "VARCHAR"),
        ("trigger_start", "INTEGER"),
        ("trigger_end", "INTEGER"),
        ("evidence", "VARCHAR"),
        ("confidence", "DOUBLE"),
        ("is_root", "BOOLEAN"),
        ("published", "DATE"),
        ("outlet", "VARCHAR"),
        ("url", "VARCHAR"),
        ("language", "VARCHAR"),
        ("title", "VARCHAR"),
        ("origin", "VARCHAR"),
        ("added", "TIMESTAMP"),
        # the place mentioned closest to each actor's mention (GDELT's Actor1Geo/Actor2Geo)
        *(
            (f"{actor}_geo_{name}", kind)
            for actor in ("actor1", "actor2")
            for name, kind in GEO_FIELDS
        ),
    ),
    "quotes": (
        ("quote_uid", "VARCHAR"),
        ("doc_key", "VARCHAR"),
        ("local_id", "VARCHAR"),
        ("text", "VARCHAR"),
        ("start", "INTEGER"),
        ("end", "INTEGER"),
        ("kind", "VARCHAR"),
        ("speaker_id", "VARCHAR"),
        ("speaker_name", "VARCHAR"),
        ("speaker_country", "VARCHAR"),
        ("speaker_sector", "VARCHAR"),
        ("speaker_kb_id", "VARCHAR"),
        ("speaker_text", "VARCHAR"),
        ("cue", "VARCHAR"),
        ("sentence", "INTEGER"),
        ("published", "DATE"),
    ),
    "places": (
        ("doc_key", "VARCHAR"),
        ("place_id", "VARCHAR"),
        ("name", "VARCHAR"),
        ("text", "VARCHAR"),
        ("start", "INTEGER"),
        ("end", "INTEGER"),
        ("sentence", "INTEGER"),
        ("country", "VARCHAR"),
        ("lat", "DOUBLE"),
        ("lon", "DOUBLE"),
        ("gazetteer_id", "VARCHAR"),
        ("feature", "VARCHAR"),
    ),
    # the MinHash bands of each document: the index for finding near-identical copies
    "doc_bands": (
        ("band", "BIGINT"),
        ("doc_key", "VARCHAR"),
    ),
    "times": (
        ("doc_key", "VARCHAR"),
        ("n", "INTEGER"),
        ("text", "VARCHAR"),
        ("start", "INTEGER"),
        ("end", "INTEGER"),
        ("sentence", "INTEGER"),
        ("value", "VARCHAR"),
    ),
}

#: article rows are written in this order (documents first, so a reader never sees an orphan)
ARTICLE_TABLES = (
    "documents",
    "actors",
    "doc_events",
    "event_mentions",
    "quotes",
    "places",
    "times",
    # the MinHash index: a later run finds near-identical copies of stored articles through it
    "doc_bands",
)

_DDL = """
CREATE TABLE IF NOT EXISTS chronik_meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS failures (
    failure_key VARCHAR PRIMARY KEY,
    origin VARCHAR,
    article_id VARCHAR,
    stage VARCHAR,
    reason VARCHAR,
    attempts INTEGER,
    first_failed TIMESTAMP,
    last_failed TIMESTAMP,
    payload VARCHAR
);
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,
    started TIMESTAMP,
    finished TIMESTAMP,
    inputs VARCHAR,
    workers INTEGER,
    articles_read BIGINT,
    articles_stored BIGINT,
    skipped BIGINT,
    duplicates BIGINT,
    failures BIGINT,
    actor_dictionaries VARCHAR
);
"""
#: columns added to `runs` since schema 1 (for the upgrade)
_RUNS_ADDED = (("actor_dictionaries", "VARCHAR"),)

#: the aggregated events: one row per event_key over every non-duplicate article's mentions.
#: The representative mention (earliest publication, then doc_key, then offset) gives the
#: actors' names, the location and the source URL, as GDELT takes them from the first article.
EVENTS_VIEW = """
CREATE OR REPLACE VIEW events AS
SELECT
    event_key,
    any_value(type) AS type,
    any_value(cameo) AS cameo,
    any_value(quad_class) AS quad_class,
    any_value(negated) AS negated,
    any_value(day) AS day,
    any_value(actor1_key) AS actor1_key,
    any_value(actor2_key) AS actor2_key,
    {rep} AS rep,
    count(*) AS num_mentions,
    count(DISTINCT outlet) AS num_sources,
    count(DISTINCT doc_key) AS num_articles,
    bool_or(is_root) AS is_root,
    max(confidence) AS confidence,
    min(published) AS first_published,
    min(added) AS date_added
FROM event_mentions
GROUP BY event_key
"""

#: fields of the representative mention, in order
REP_FIELDS = (
    "mode",
    "goldstein",
    "modality",
    "actor1_name",
    "actor1_country",
    "actor1_sector",
    "actor1_kb_id",
    "actor2_name",
    "actor2_country",
    "actor2_sector",
    "actor2_kb_id",
    "location_name",
    "location_country",
    "location_lat",
    "location_lon",
    "location_feature",
    "location_gazetteer_id",
    *(f"{actor}_geo_{name}" for actor in ("actor1", "actor2") for name, _ in GEO_FIELDS),
    "url",
    "origin",
    "outlet",
    "language",
    "title",
    "doc_key",
    "event_uid",
    "trigger_text",
    "evidence",
)
REP_ORDER = ("published", "doc_key", "trigger_start", "event_uid")


def _rep_sql() -> str:
    fields = ", ".join(f"'{name}': {name}" for name in REP_FIELDS)
    # a missing publication date sorts last (Spark and DuckDB order NULLs in structs apart)
    order = ", ".join(
        f"'{name}': coalesce({name}, DATE '9999-12-31')"
        if name == "published"
        else f"'{name}': {name}"
        for name in REP_ORDER
    )
    return f"min_by({{{fields}}}, {{{order}}})"


# --- keys ----------------------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def _digest(*parts: object) -> str:
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:32]


def content_key(text: str) -> str:
    """The article's key: a hash of its text with whitespace runs collapsed (NFC)."""
    normal = _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:32]


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text).casefold())


def norm_key(text: str) -> str:
    """A hash of the text's words (case and punctuation ignored): syndicated copies match."""
    return hashlib.sha256(" ".join(_words(text)).encode("utf-8")).hexdigest()[:32]


@cache
def _permutations() -> tuple[Any, Any]:
    """The MinHash hash functions (a * x + b) mod p, fixed once and for all: keys must not
    change between runs or machines."""
    import numpy as np

    seeds = [
        int.from_bytes(hashlib.sha256(f"chronik-minhash-{i}".encode()).digest()[:8], "big")
        for i in range(2 * MINHASH_PERMUTATIONS)
    ]
    a = np.array([1 + s % (_MINHASH_PRIME - 1) for s in seeds[::2]], dtype=np.uint64)
    b = np.array([s % _MINHASH_PRIME for s in seeds[1::2]], dtype=np.uint64)
    return a, b


def minhash(text: str) -> list[int] | None:
    """The MinHash signature of the text's word 3-shingles, or None for a short text."""
    import numpy as np

    words = _words(text)
    if len(words) < NEAR_MIN_WORDS:
        return None
    shingles = {" ".join(words[i : i + 3]) for i in range(len(words) - 2)}
    values = np.fromiter(
        (
            int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=4).digest(), "big")
            for s in shingles
        ),
        dtype=np.uint64,
        count=len(shingles),
    )
    a, b = _permutations()
    # a < 2^31 and values < 2^32: the products fit in 64 bits
    hashed = (a[:, None] * values[None, :] + b[:, None]) % np.uint64(_MINHASH_PRIME)
    return [int(v) for v in hashed.min(axis=1)]


def minhash_bands(signature: Sequence[int]) -> list[int]:
    """One key per band of the signature (signed 64-bit, to fit BIGINT)."""
    rows = len(signature) // MINHASH_BANDS
    bands = []
    for band in range(MINHASH_BANDS):
        chunk = ",".join(str(v) for v in signature[band * rows : (band + 1) * rows])
        digest = hashlib.blake2b(f"{band}:{chunk}".encode(), digest_size=8).digest()
        bands.append(int.from_bytes(digest, "big", signed=True))
    return bands


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """The Jaccard similarity of two texts as their MinHash signatures estimate it."""
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def event_id_number(event_key: str) -> int:
    """GDELT's integer GLOBALEVENTID, taken from the stable event key (60 bits, positive)."""
    return int(event_key[:15], 16)


def quad_class(cameo: str | None) -> int | None:
    if not cameo:
        return None
    return _QUAD_BY_ROOT.get(cameo[:2])


def actor_key(actor: Mapping[str, Any] | None) -> str | None:
    """How an actor is matched across articles: country + sector (GDELT's actor code), else its
    knowledge-base id, else its name."""
    if actor is None:
        return None
    country = actor.get("country")
    if country:
        return f"{country}{actor.get('sector') or ''}"
    if actor.get("kb_id"):
        return f"kb:{actor['kb_id']}"
    return f"name:{str(actor.get('name') or '').casefold()}"


def _actor_identity(actor: Mapping[str, Any] | None) -> str:
    if actor is None:
        return ""
    return "|".join(str(actor.get(k) or "") for k in ("kb_id", "country", "sector", "kind", "name"))


def parse_day(value: Any) -> date | None:
    """An ISO date from a string (date or datetime), or None when it is not one."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if len(text) < 10:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def outlet_of(source: str | None, url: str | None) -> str:
    """The outlet an article counts for in NumSources: its source, else its URL's host."""
    if source and source.strip():
        return source.strip()
    if url:
        host = urlsplit(url).hostname
        if host:
            return host.removeprefix("www.")
    return "unknown"


# --- rows of one article -------------------------------------------------------------------------

Row = dict[str, Any]


@dataclass(slots=True)
class ArticleRows:
    """Every row one analysed article adds, by table."""

    doc_key: str
    origin: str
    tables: dict[str, list[Row]] = field(default_factory=dict)
    #: the article is stored already (analysed with other actor dictionaries): its rows are
    #: replaced by these in the same transaction
    replaces: bool = False

    def count(self, table: str) -> int:
        return len(self.tables.get(table, ()))


def _timestamp(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def document_row(
    article: Article,
    *,
    doc_key: str,
    published: date | None,
    language: str | None,
    title: str | None,
    duplicate_of: str | None,
    added: datetime,
    signature: list[int] | None = None,
    actor_dictionaries: str | None = "",
) -> Row:
    return {
        "doc_key": doc_key,
        "article_id": article.id,
        "origin": article.origin,
        "title": title,
        "language": language,
        "published": _iso(published),
        "url": article.url,
        "source": article.source,
        "outlet": outlet_of(article.source, article.url),
        "chars": len(article.text),
        "norm_key": norm_key(article.text),
        "minhash": signature,
        "duplicate_of": duplicate_of,
        "text": article.text,
        "added": _timestamp(added),
        "actor_dictionaries": actor_dictionaries,
    }


def _bands_rows(doc_key: str, signature: list[int] | None) -> list[Row]:
    if signature is None:
        return []
    return [{"band": band, "doc_key": doc_key} for band in minhash_bands(signature)]


def duplicate_rows(
    article: Article,
    *,
    doc_key: str,
    of: str,
    added: datetime,
    signature: list[int] | None = None,
) -> ArticleRows:
    """A syndicated copy: a document row pointing at the first copy, nothing analysed.
    (Its bands are indexed too, so that a later copy of the copy finds the first one.)"""
    row = document_row(
        article,
        doc_key=doc_key,
        published=parse_day(article.published),
        language=article.language,
        title=article.title,
        duplicate_of=of,
        added=added,
        signature=signature,
        actor_dictionaries=None,  # not analysed
    )
    return ArticleRows(
        doc_key,
        article.origin,
        {"documents": [row], "doc_bands": _bands_rows(doc_key, signature)},
    )


def _sentence_text(doc: Mapping[str, Any], text: str, index: int | None) -> str | None:
    sentences = doc.get("sentences") or []
    if index is None or not 0 <= index < len(sentences):
        return None
    sent = sentences[index]
    return text[sent["start"] : sent["end"]]


def article_rows(
    article: Article,
    doc: Mapping[str, Any],
    *,
    doc_key: str,
    added: datetime,
    signature: list[int] | None = None,
    actor_dictionaries: str = "",
    mentions: Iterable[Mapping[str, Any]] = (),
) -> ArticleRows:
    """The rows of an analysed article, from its contract JSON (`Document.to_dict()`).
    `signature`: the text's `minhash`, when already computed; `actor_dictionaries`: the
    fingerprint of the users' actor dictionaries it was analysed with ('' for none);
    `mentions`: the actors' mentions (`actor`, `start`, `end`: `Document.mentions`, which the
    contract leaves out; role nouns and pronouns among them) besides the named entities."""
    if signature is None:
        signature = minhash(article.text)
    meta = doc["doc"]
    text = article.text
    published = parse_day(meta.get("published"))
    outlet = outlet_of(meta.get("source"), meta.get("url"))
    actors = {a["id"]: a for a in doc.get("actors") or []}
    places = {p["name"]: p for p in doc.get("places") or []}
    geo = _ActorPlaces(doc, mentions)
    tables: dict[str, list[Row]] = {name: [] for name in ARTICLE_TABLES}
    tables["documents"].append(
        document_row(
            article,
            doc_key=doc_key,
            published=published,
            language=meta.get("language"),
            title=meta.get("title"),
            duplicate_of=None,
            added=added,
            signature=signature,
            actor_dictionaries=actor_dictionaries,
        )
    )
    tables["doc_bands"] = _bands_rows(doc_key, signature)
    for actor in actors.values():
        tables["actors"].append(
            {
                "doc_key": doc_key,
                "actor_id": actor["id"],
                "actor_key": actor_key(actor),
                "name": actor.get("name"),
                "kind": actor.get("kind"),
                "country": actor.get("country"),
                "sector": actor.get("sector"),
                "role": actor.get("role"),
                "kb_id": actor.get("kb_id"),
                "published": _iso(published),
            }
        )
    for event in doc.get("events") or []:
        _event_rows(
            event,
            tables,
            doc_key,
            text,
            doc,
            actors,
            places,
            published,
            outlet,
            article.origin,
            _timestamp(added),
            geo,
        )
    for quote in doc.get("quotes") or []:
        speaker = actors.get(quote.get("speaker") or "")
        tables["quotes"].append(
            {
                "quote_uid": _digest(doc_key, "quote", quote["start"], quote["end"]),
                "doc_key": doc_key,
                "local_id": quote["id"],
                "text": quote["text"],
                "start": quote["start"],
                "end": quote["end"],
                "kind": quote.get("kind"),
                "speaker_id": quote.get("speaker"),
                "speaker_name": speaker.get("name") if speaker else None,
                "speaker_country": speaker.get("country") if speaker else None,
                "speaker_sector": speaker.get("sector") if speaker else None,
                "speaker_kb_id": speaker.get("kb_id") if speaker else None,
                "speaker_text": quote.get("speaker_text"),
                "cue": quote.get("cue"),
                "sentence": quote.get("sentence"),
                "published": _iso(published),
            }
        )
    for place in doc.get("places") or []:
        tables["places"].append(
            {
                "doc_key": doc_key,
                "place_id": place["id"],
                "name": place.get("name"),
                "text": place.get("text"),
                "start": place.get("start"),
                "end": place.get("end"),
                "sentence": place.get("sentence"),
                "country": place.get("country"),
                "lat": place.get("lat"),
                "lon": place.get("lon"),
                "gazetteer_id": _str_or_none(place.get("gazetteer_id")),
                "feature": place.get("feature"),
            }
        )
    for n, time in enumerate(doc.get("times") or []):
        tables["times"].append(
            {
                "doc_key": doc_key,
                "n": n,
                "text": time.get("text"),
                "start": time.get("start"),
                "end": time.get("end"),
                "sentence": time.get("sentence"),
                "value": time.get("value"),
            }
        )
    return ArticleRows(doc_key, article.origin, tables)


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


#: sentences up to this index (the headline and the lead) make an event a GDELT root event
ROOT_SENTENCES = 2


def _event_rows(
    event: Mapping[str, Any],
    tables: dict[str, list[Row]],
    doc_key: str,
    text: str,
    doc: Mapping[str, Any],
    actors: Mapping[str, Mapping[str, Any]],
    places: Mapping[str, Mapping[str, Any]],
    published: date | None,
    outlet: str,
    origin: str,
    added: str,
    geo: _ActorPlaces,
) -> None:
    trigger = event.get("trigger") or {}
    sources = [actors.get(i) for i in event.get("source") or []]
    targets = [actors.get(i) for i in event.get("target") or []]
    event_uid = _digest(
        doc_key,
        event["type"],
        event.get("negated"),
        ",".join(sorted(_actor_identity(a) for a in sources)),
        ",".join(sorted(_actor_identity(a) for a in targets)),
        trigger.get("start"),
        trigger.get("end"),
    )
    day = parse_day(event.get("date")) or published
    cameo = event.get("cameo")
    location = event.get("location") or {}
    place = places.get(location.get("name") or "", {})
    sentence = event.get("sentence")
    tables["doc_events"].append(
        {
            "event_uid": event_uid,
            "doc_key": doc_key,
            "local_id": event["id"],
            "type": event["type"],
            "mode": event.get("mode"),
            "cameo": cameo,
            "goldstein": event.get("goldstein"),
            "quad_class": quad_class(cameo),
            "negated": bool(event.get("negated")),
            "modality": event.get("modality"),
            "date": event.get("date"),
            "day": _iso(day),
            "date_text": event.get("date_text"),
            "source_ids": list(event.get("source") or []),
            "target_ids": list(event.get("target") or []),
            "location_name": location.get("name"),
            "location_country": location.get("country"),
            "location_lat": location.get("lat"),
            "location_lon": location.get("lon"),
            "sentence": sentence,
            "trigger_text": trigger.get("text"),
            "trigger_start": trigger.get("start"),
            "trigger_end": trigger.get("end"),
            "confidence": event.get("confidence"),
            "evidence": _sentence_text(doc, text, sentence),
        }
    )
    # a hypothetical event did not happen: it stays with its article but is no GDELT event
    if event.get("modality") == "hypothetical":
        return
    mentions = event.get("mentions") or [{"sentence": sentence, "trigger": trigger}]
    is_root = any(
        m.get("sentence") is not None and m["sentence"] <= ROOT_SENTENCES for m in mentions
    )
    dyads: set[tuple[str | None, str | None]] = set()
    for actor1, actor2 in itertools.product(sources or [None], targets or [None]):
        key1, key2 = actor_key(actor1), actor_key(actor2)
        # two actors of one code (Putin and Russia: RUSGOV) are one dyad, mentioned once
        if (key1, key2) in dyads:
            continue
        dyads.add((key1, key2))
        event_key = _digest(
            "event", cameo, event["type"], bool(event.get("negated")), key1, key2, _iso(day)
        )
        for number, mention in enumerate(mentions):
            span = mention.get("trigger") or {}
            tables["event_mentions"].append(
                {
                    "event_key": event_key,
                    "event_uid": event_uid,
                    "doc_key": doc_key,
                    "mention": number,
                    "type": event["type"],
                    "mode": event.get("mode"),
                    "cameo": cameo,
                    "goldstein": event.get("goldstein"),
                    "quad_class": quad_class(cameo),
                    "negated": bool(event.get("negated")),
                    "modality": event.get("modality"),
                    "day": _iso(day),
                    **_actor_columns("actor1", actor1, key1),
                    **_actor_columns("actor2", actor2, key2),
                    "location_name": location.get("name"),
                    "location_country": location.get("country"),
                    "location_lat": location.get("lat"),
                    "location_lon": location.get("lon"),
                    "location_feature": place.get("feature"),
                    "location_gazetteer_id": _str_or_none(place.get("gazetteer_id")),
                    "sentence": mention.get("sentence"),
                    "trigger_text": span.get("text"),
                    "trigger_start": span.get("start"),
                    "trigger_end": span.get("end"),
                    "evidence": _sentence_text(doc, text, mention.get("sentence")),
                    "confidence": event.get("confidence"),
                    "is_root": is_root,
                    "published": _iso(published),
                    "outlet": outlet,
                    "url": doc["doc"].get("url"),
                    "language": doc["doc"].get("language"),
                    "title": doc["doc"].get("title"),
                    "origin": origin,
                    "added": added,
                    **geo.columns("actor1", actor1, actor2, span),
                    **geo.columns("actor2", actor2, actor1, span),
                }
            )


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Characters between two spans (0 when they overlap or touch)."""
    return max(0, b[0] - a[1], a[0] - b[1])


class _ActorPlaces:
    """The place most closely associated with an actor in one event mention, as GDELT codes
    Actor1Geo/Actor2Geo: the actor's mention nearest the trigger, then the place mentioned
    nearest that mention (by characters; ties: the earlier place). A place that is a mention
    of the other actor of the dyad is passed over ("Putin droht der Ukraine": Ukraine is the
    target, not where Putin is). No place in the article: no geography."""

    def __init__(self, doc: Mapping[str, Any], mentions: Iterable[Mapping[str, Any]]) -> None:
        spans: dict[str, set[tuple[int, int]]] = {}
        for item in (*(doc.get("entities") or []), *mentions):
            actor = item.get("actor")
            if actor and item.get("start") is not None and item.get("end") is not None:
                spans.setdefault(actor, set()).add((item["start"], item["end"]))
        self.spans = {actor: sorted(found) for actor, found in spans.items()}
        self.places = sorted(
            (
                ((p["start"], p["end"]), p)
                for p in doc.get("places") or []
                if p.get("start") is not None and p.get("end") is not None
            ),
            key=lambda item: item[0],
        )

    def place(
        self,
        actor: Mapping[str, Any] | None,
        other: Mapping[str, Any] | None,
        trigger: Mapping[str, Any],
    ) -> Mapping[str, Any] | None:
        if actor is None or not self.places:
            return None
        spans = self.spans.get(actor.get("id") or "")
        if not spans:
            return None
        anchor = spans[0]
        if trigger.get("start") is not None and trigger.get("end") is not None:
            at = (trigger["start"], trigger["end"])
            anchor = min(spans, key=lambda span: (_gap(span, at), span))
        taken = set(self.spans.get(other.get("id") or "", ())) if other is not None else set()
        best: tuple[int, int] | None = None
        found = None
        for span, place in self.places:
            if span in taken:
                continue
            rank = (_gap(anchor, span), span[0])
            if best is None or rank < best:
                best, found = rank, place
        return found

    def columns(
        self,
        prefix: str,
        actor: Mapping[str, Any] | None,
        other: Mapping[str, Any] | None,
        trigger: Mapping[str, Any],
    ) -> Row:
        place = self.place(actor, other, trigger) or {}
        return {
            f"{prefix}_geo_name": place.get("name"),
            f"{prefix}_geo_country": place.get("country"),
            f"{prefix}_geo_lat": place.get("lat"),
            f"{prefix}_geo_lon": place.get("lon"),
            f"{prefix}_geo_feature": place.get("feature"),
            f"{prefix}_geo_gazetteer_id": _str_or_none(place.get("gazetteer_id")),
        }


def _actor_columns(prefix: str, actor: Mapping[str, Any] | None, key: str | None) -> Row:
    actor = actor or {}
    return {
        f"{prefix}_key": key,
        f"{prefix}_name": actor.get("name"),
        f"{prefix}_country": actor.get("country"),
        f"{prefix}_sector": actor.get("sector"),
        f"{prefix}_kb_id": actor.get("kb_id"),
    }


# --- failures ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Failure:
    """An article that could not be read or analysed; `payload` lets `--retry-failed` retry it
    without the input files (None when nothing was read)."""

    failure_key: str
    origin: str
    reason: str
    stage: str
    article_id: str | None = None
    payload: str | None = None


def article_payload(article: Article) -> str:
    return json.dumps(
        {
            "id": article.id,
            "text": article.text,
            "origin": article.origin,
            "title": article.title,
            "published": article.published,
            "url": article.url,
            "source": article.source,
            "language": article.language,
        },
        ensure_ascii=False,
    )


def article_from_payload(payload: str) -> Article:
    data = json.loads(payload)
    return Article(**data)


def read_failure_key(origin: str) -> str:
    """A failure that has no text (an unreadable file or record) is keyed by where it was."""
    return _digest("read", origin)


# --- the store ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Counts:
    documents: int
    duplicates: int
    events: int
    doc_events: int
    mentions: int
    quotes: int
    actors: int
    failures: int


def _translate(exc: BaseException, path: Path, action: str) -> StoreError:
    """A DuckDB or OS error as a message that says what to do."""
    message = str(exc)
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StoreFullError(
            f"{path}: the disk is full while {action}; the transaction was rolled back and the "
            "database holds every article stored before. Free space and run again."
        )
    lowered = message.lower()
    if "no space left" in lowered or "disk full" in lowered or "quota" in lowered:
        return StoreFullError(
            f"{path}: the disk is full while {action}; free space and run again ({message})"
        )
    if "lock" in lowered and ("conflicting" in lowered or "could not set lock" in lowered):
        return StoreLockedError(
            f"{path}: the database is in use by another process (a running `chronik run`?). "
            "Wait for it to finish or use another --db file."
        )
    return StoreError(f"{path}: cannot use the event database while {action}: {message}")


class Store:
    """The event database. Open it once per process; the writing process holds a lock on it.

    Use as a context manager. `read_only=True` opens an existing database for queries (several
    readers may share it when no writer holds it)."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        import duckdb

        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreError(f"{self.path}: no such database; create it with `chronik run`")
        try:
            if not read_only:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._con = duckdb.connect(str(self.path), read_only=read_only)
        except (duckdb.Error, OSError) as exc:
            raise _translate(exc, self.path, "opening it") from None
        self._staging = self.path.with_name(self.path.name + ".staging")
        try:
            if read_only:
                self._check_schema()
            else:
                self._create()
                shutil.rmtree(self._staging, ignore_errors=True)
        except StoreError:
            self._con.close()
            raise
        except (duckdb.Error, OSError) as exc:
            self._con.close()
            raise _translate(exc, self.path, "preparing it") from None

    # -- lifecycle

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._con.close()
        if not self.read_only:
            shutil.rmtree(self._staging, ignore_errors=True)

    def _schema_version(self) -> str | None:
        tables = {
            r[0] for r in self._con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
        }
        if "chronik_meta" not in tables:
            raise StoreSchemaError(f"{self.path}: not a Chronik event database")
        version = self._con.execute(
            "SELECT value FROM chronik_meta WHERE key = 'schema'"
        ).fetchone()
        return None if version is None else version[0]

    def _check_schema(self, *, upgrade: bool = False) -> None:
        version = self._schema_version()
        if version == SCHEMA_VERSION:
            return
        if version in UPGRADABLE_SCHEMAS:
            if upgrade:
                self._upgrade()
                return
            raise StoreSchemaError(
                f"{self.path}: event database schema {version!r}, this Chronik reads schema "
                f"{SCHEMA_VERSION!r}; write to it once to upgrade it in place "
                f"(`chronik run --retry-failed --db {self.path}`)"
            )
        raise StoreSchemaError(
            f"{self.path}: event database schema {version!r}, this Chronik reads schema "
            f"{SCHEMA_VERSION!r}; write a new database"
        )

    def _upgrade(self) -> None:
        """Add the columns added since the database's schema (old rows hold NULL there) and
        redefine the `events` view, in one transaction."""
        con = self._con
        present: dict[str, set[str]] = {}
        for table, column in con.execute(
            "SELECT table_name, column_name FROM duckdb_columns()"
        ).fetchall():
            present.setdefault(table, set()).add(column)
        con.execute("BEGIN")
        try:
            wanted = {**TABLES, "runs": _RUNS_ADDED}
            for table, columns in wanted.items():
                for name, kind in columns:
                    if name not in present.get(table, set()):
                        con.execute(f'ALTER TABLE {table} ADD COLUMN "{name}" {kind}')
            con.execute(EVENTS_VIEW.format(rep=_rep_sql()))
            con.execute("UPDATE chronik_meta SET value = ? WHERE key = 'schema'", [SCHEMA_VERSION])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def _create(self) -> None:
        con = self._con
        existing = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if existing and "chronik_meta" not in existing:
            raise StoreSchemaError(
                f"{self.path}: this DuckDB file is not a Chronik event database; "
                "use another --db file"
            )
        if "chronik_meta" in existing:
            self._check_schema(upgrade=True)
            return
        con.execute("BEGIN")
        con.execute(_DDL)
        for table, columns in TABLES.items():
            cols = ", ".join(f'"{name}" {kind}' for name, kind in columns)
            key = ", PRIMARY KEY (doc_key)" if table == "documents" else ""
            con.execute(f"CREATE TABLE {table} ({cols}{key})")
        con.execute(EVENTS_VIEW.format(rep=_rep_sql()))
        con.execute("INSERT INTO chronik_meta VALUES ('schema', ?)", [SCHEMA_VERSION])
        con.execute("COMMIT")

    # -- reading

    def query(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        import duckdb

        try:
            return self._con.execute(sql, params or []).fetchall()
        except duckdb.Error as exc:
            raise _translate(exc, self.path, "reading it") from None

    def query_dicts(self, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        import duckdb

        try:
            cursor = self._con.execute(sql, params or [])
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        except duckdb.Error as exc:
            raise _translate(exc, self.path, "reading it") from None

    @property
    def connection(self) -> Any:
        """The DuckDB connection, for exports that let DuckDB write files (internal)."""
        return self._con

    def stored(self, keys: Iterable[str]) -> set[str]:
        """Those of `keys` whose documents are stored."""
        keys = list(set(keys))
        if not keys:
            return set()
        rows = self.query("SELECT doc_key FROM documents WHERE doc_key IN ?", [keys])
        return {r[0] for r in rows}

    def failed(self, keys: Iterable[str]) -> set[str]:
        keys = list(set(keys))
        if not keys:
            return set()
        rows = self.query("SELECT failure_key FROM failures WHERE failure_key IN ?", [keys])
        return {r[0] for r in rows}

    def find_copies(
        self, norm_keys: Iterable[str], bands: Iterable[int]
    ) -> tuple[dict[str, str], list[tuple[list[int], str]]]:
        """Stored documents that may be copies: {norm_key: first copy's doc_key}, and
        [(MinHash signature, first copy's doc_key)] of the documents sharing one of `bands`."""
        norm = list(set(norm_keys))
        by_norm: dict[str, str] = {}
        if norm:
            for key, canonical in self.query(
                "SELECT norm_key, coalesce(duplicate_of, doc_key) FROM documents "
                "WHERE norm_key IN ? ORDER BY added, doc_key",
                [norm],
            ):
                by_norm.setdefault(key, canonical)
        wanted = list(set(bands))
        near: list[tuple[list[int], str]] = []
        if wanted:
            near = [
                (list(signature), canonical)
                for signature, canonical in self.query(
                    "SELECT minhash, coalesce(duplicate_of, doc_key) FROM documents "
                    "WHERE doc_key IN (SELECT doc_key FROM doc_bands WHERE band IN ?) "
                    "ORDER BY added, doc_key",
                    [wanted],
                )
            ]
        return by_norm, near

    def analysed_with_other_dictionaries(self, fingerprint: str) -> list[str]:
        """Keys of the analysed articles whose actor dictionaries were not `fingerprint`
        (`''`: the built-in knowledge base only), in the order they were stored."""
        rows = self.query(
            "SELECT doc_key FROM documents WHERE duplicate_of IS NULL "
            "AND coalesce(actor_dictionaries, '') <> ? ORDER BY added, doc_key",
            [fingerprint],
        )
        return [r[0] for r in rows]

    def dictionaries_used(self) -> dict[str, int]:
        """{fingerprint: analysed articles} over the stored articles ('': built-in only)."""
        rows = self.query(
            "SELECT coalesce(actor_dictionaries, ''), count(*) FROM documents "
            "WHERE duplicate_of IS NULL GROUP BY ALL ORDER BY ALL"
        )
        return {fingerprint: count for fingerprint, count in rows}

    def stored_articles(self, keys: Sequence[str]) -> list[Article]:
        """The stored articles of `keys`, as they were read (to analyse them again)."""
        if not keys:
            return []
        rows = self.query_dicts(
            "SELECT doc_key, article_id, text, origin, title, published, url, source, language "
            "FROM documents WHERE doc_key IN ?",
            [list(keys)],
        )
        by_key = {row["doc_key"]: row for row in rows}
        return [
            Article(
                id=row["article_id"],
                text=row["text"],
                origin=row["origin"],
                title=row["title"],
                published=_iso(row["published"]),
                url=row["url"],
                source=row["source"],
                language=row["language"],
            )
            for key in keys
            if (row := by_key.get(key)) is not None
        ]

    def failures(self, *, with_payload: bool = False) -> list[dict[str, Any]]:
        sql = "SELECT * FROM failures"
        if with_payload:
            sql += " WHERE payload IS NOT NULL"
        return self.query_dicts(sql + " ORDER BY first_failed, failure_key")

    def counts(self) -> Counts:
        row = self.query(
            """SELECT
                (SELECT count(*) FROM documents WHERE duplicate_of IS NULL),
                (SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL),
                (SELECT count(DISTINCT event_key) FROM event_mentions),
                (SELECT count(*) FROM doc_events),
                (SELECT count(*) FROM event_mentions),
                (SELECT count(*) FROM quotes),
                (SELECT count(*) FROM actors),
                (SELECT count(*) FROM failures)"""
        )[0]
        return Counts(*row)

    # -- writing: the one writer

    def write(
        self,
        articles: Sequence[ArticleRows],
        failures: Sequence[Failure] = (),
        *,
        resolved_origins: Sequence[str] = (),
    ) -> None:
        """Store analysed articles and failures in ONE transaction (all or nothing).

        A stored article's earlier failure (by its key, or by its origin for read failures) is
        removed in the same transaction. On any error the transaction is rolled back and a
        `StoreError` raised: the database then holds exactly what it held before."""
        import duckdb

        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        if not articles and not failures:
            return
        con = self._con
        try:
            self._staging.mkdir(exist_ok=True)
            con.execute("BEGIN TRANSACTION")
            try:
                replaced = [a.doc_key for a in articles if a.replaces]
                if replaced:
                    for table in ARTICLE_TABLES:
                        con.execute(f"DELETE FROM {table} WHERE doc_key IN ?", [replaced])
                self._insert_articles(articles)
                keys = [a.doc_key for a in articles]
                origins = [*resolved_origins, *(a.origin for a in articles)]
                if keys:
                    con.execute("DELETE FROM failures WHERE failure_key IN ?", [keys])
                if origins:
                    con.execute(
                        "DELETE FROM failures WHERE stage = 'read' AND origin IN ?", [origins]
                    )
                self._insert_failures(failures)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        except (duckdb.Error, OSError) as exc:
            raise _translate(exc, self.path, "writing to it") from None
        finally:
            for staged in self._staging.glob("*.jsonl"):
                staged.unlink(missing_ok=True)

    def _insert_articles(self, articles: Sequence[ArticleRows]) -> None:
        # rows are staged as JSON Lines and bulk-read by DuckDB: about ten times faster than
        # binding parameters row by row
        for table in ARTICLE_TABLES:
            rows = [row for article in articles for row in article.tables.get(table, ())]
            if not rows:
                continue
            staged = self._staging / f"{table}.jsonl"
            self._stage(staged, rows)
            columns = TABLES[table]
            spec = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in columns) + "}"
            names = ", ".join(f'"{name}"' for name, _ in columns)
            self._con.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} FROM read_json(?, "
                f"format = 'newline_delimited', columns = {spec})",
                [str(staged)],
            )

    def _stage(self, path: Path, rows: Iterable[Row]) -> None:
        """Write the staged rows (a separate method so tests can simulate a full disk)."""
        with path.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False))
                handle.write("\n")

    def _insert_failures(self, failures: Sequence[Failure]) -> None:
        unique = {f.failure_key: f for f in failures}
        now = datetime.now(UTC).replace(tzinfo=None)
        for failure in unique.values():
            self._con.execute(
                """INSERT INTO failures VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)
                ON CONFLICT (failure_key) DO UPDATE SET
                    attempts = failures.attempts + 1,
                    reason = excluded.reason,
                    origin = excluded.origin,
                    last_failed = excluded.last_failed,
                    payload = coalesce(excluded.payload, failures.payload)""",
                [
                    failure.failure_key,
                    failure.origin,
                    failure.article_id,
                    failure.stage,
                    failure.reason,
                    now,
                    now,
                    failure.payload,
                ],
            )

    def record_run(self, run: Mapping[str, Any]) -> None:
        """Remember one run's figures (a separate small transaction after the run)."""
        import duckdb

        if self.read_only:
            return
        try:
            self._con.execute(
                "INSERT OR REPLACE INTO runs (run_id, started, finished, inputs, workers, "
                "articles_read, articles_stored, skipped, duplicates, failures, "
                "actor_dictionaries) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    run["run_id"],
                    run["started"],
                    run["finished"],
                    run["inputs"],
                    run["workers"],
                    run["articles_read"],
                    run["articles_stored"],
                    run["skipped"],
                    run["duplicates"],
                    run["failures"],
                    run.get("actor_dictionaries", ""),
                ],
            )
        except (duckdb.Error, OSError) as exc:
            raise _translate(exc, self.path, "writing to it") from None


def iter_rows(articles: Iterable[ArticleRows], table: str) -> Iterator[Row]:
    for article in articles:
        yield from article.tables.get(table, ())
