"""Questions to the event database: events by actor, type and date; dyad counts; quotes.

Each function returns a `Result` (column names and rows) that the CLI prints as a table, CSV
or JSON.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from chronik.contract import PLOVER_TYPES
from chronik.errors import ChronikError
from chronik.export import Period, events_sql
from chronik.store import Store

PERIODS = ("day", "week", "month", "year")


class QueryError(ChronikError):
    """A query's options do not make sense (an unknown event type, a bad period)."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class Result:
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def to_json(self) -> str:
        return json.dumps(self.dicts(), ensure_ascii=False, indent=2, default=str)

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows(["" if v is None else v for v in row] for row in self.rows)
        return out.getvalue()


def _result(store: Store, sql: str, params: Sequence[Any]) -> Result:
    cursor = store.connection.execute(sql, list(params))
    return Result(tuple(d[0] for d in cursor.description), cursor.fetchall())


def _actor_clause(prefix: str, value: str) -> tuple[str, list[Any]]:
    """An actor given as a country code (RUS), an actor code (RUSGOV), a knowledge-base id or
    part of a name."""
    text = value.strip()
    clause = (
        f"({prefix}_country = ? OR {prefix}_key = ? OR {prefix}_kb_id = ? OR {prefix}_name ILIKE ?)"
    )
    return clause, [text.upper(), text.upper(), text, f"%{text}%"]


def _event_type(value: str) -> tuple[str, list[Any]]:
    text = value.strip().upper()
    if text.isdigit():
        return "cameo LIKE ?", [f"{text}%"]
    if text not in PLOVER_TYPES:
        raise QueryError(
            f"unknown event type {value!r}: use a PLOVER type ({', '.join(PLOVER_TYPES)}) "
            "or a CAMEO code such as 13 or 130"
        )
    return "type = ?", [text]


def events(
    store: Store,
    *,
    actor: str | None = None,
    source: str | None = None,
    target: str | None = None,
    event_type: str | None = None,
    start: date | None = None,
    end: date | None = None,
    include_negated: bool = False,
    limit: int | None = 100,
) -> Result:
    """Events (aggregated over articles), newest first. `actor` matches either side; `source`
    and `target` match one side each."""
    base, params = events_sql(Period(start, end))
    clauses: list[str] = []
    if actor:
        first, p1 = _actor_clause("actor1", actor)
        second, p2 = _actor_clause("actor2", actor)
        clauses.append(f"({first} OR {second})")
        params += p1 + p2
    if source:
        clause, p = _actor_clause("actor1", source)
        clauses.append(clause)
        params += p
    if target:
        clause, p = _actor_clause("actor2", target)
        clauses.append(clause)
        params += p
    if event_type:
        clause, p = _event_type(event_type)
        clauses.append(clause)
        params += p
    if not include_negated:
        clauses.append("NOT negated")
    where = " AND ".join(clauses) or "TRUE"
    sql = f"""
        SELECT day, type, cameo, actor1_key AS source, actor1_name AS source_name,
               actor2_key AS target, actor2_name AS target_name, negated, num_articles,
               num_sources, num_mentions, location_name AS place, trigger_text AS trigger,
               source_url, event_id
        FROM ({base}) WHERE {where}
        ORDER BY day DESC NULLS LAST, num_articles DESC, event_key
    """
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return _result(store, sql, params)


def dyads(
    store: Store,
    *,
    start: date | None = None,
    end: date | None = None,
    by: str | None = None,
    include_negated: bool = False,
) -> Result:
    """Events per source-target country pair and quad class (1 verbal cooperation ... 4
    material conflict), optionally per day, week, month or year."""
    if by is not None and by not in PERIODS:
        raise QueryError(f"--by must be one of {', '.join(PERIODS)}, not {by!r}")
    where, params = Period(start, end).where("day")
    if not include_negated:
        where += " AND NOT negated"
    period = f"date_trunc('{by}', day)::DATE AS period, " if by else ""
    group = "period, " if by else ""
    sql = f"""
        SELECT {period}
               coalesce(rep.actor1_country, actor1_key, '') AS source,
               coalesce(rep.actor2_country, actor2_key, '') AS target,
               quad_class,
               count(*) AS events,
               sum(num_articles) AS articles,
               sum(num_mentions) AS mentions,
               round(avg(rep.goldstein), 2) AS goldstein
        FROM events WHERE {where}
        GROUP BY ALL
        ORDER BY {group}events DESC, source, target, quad_class
    """
    return _result(store, sql, params)


def quotes(
    store: Store,
    *,
    speaker: str | None = None,
    start: date | None = None,
    end: date | None = None,
    limit: int | None = 100,
) -> Result:
    """Quotes, newest first; `speaker` matches the speaker's name, the words naming them in
    the article, or their knowledge-base id."""
    where, params = Period(start, end).where("d.published")
    if speaker:
        where += " AND (q.speaker_name ILIKE ? OR q.speaker_text ILIKE ? OR q.speaker_kb_id = ?)"
        params += [f"%{speaker}%", f"%{speaker}%", speaker]
    sql = f"""
        SELECT d.published, q.speaker_name AS speaker, q.speaker_country AS country,
               q.kind, q.cue, q.text, coalesce(d.url, d.origin) AS source
        FROM quotes q JOIN documents d USING (doc_key)
        WHERE {where}
        ORDER BY d.published DESC NULLS LAST, q.doc_key, q.start
    """
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return _result(store, sql, params)
