"""Queries: events by actor/type/date, dyad counts, quotes by speaker."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from chronik import query, store
from chronik.reader import Article
from chronik.store import Store
from tests.test_store import ADDED, THREAT, contract_doc, rows_for

PUTIN_TEXT = (
    "Putin droht der Ukraine\n"
    "Putin drohte der Ukraine am Montag mit Vergeltung.\n"
    "Man werde nicht zögern, sagte Putin."
)


def putin_rows() -> store.ArticleRows:
    threat = {
        "type": "THREATEN",
        "cameo": "138",
        "source": ["putin"],
        "target": ["usa"],
        "trigger": "drohte",
        "date": "2023-09-11",
    }
    doc = contract_doc(PUTIN_TEXT, [threat], doc_id="p", source="Kurier")
    speaker = next(a["id"] for a in doc["actors"] if a["name"] == "Wladimir Putin")
    begin = PUTIN_TEXT.index("Man werde")
    doc["quotes"] = [
        {
            "id": "q1",
            "text": "Man werde nicht zögern",
            "start": begin,
            "end": begin + len("Man werde nicht zögern"),
            "kind": "indirect",
            "speaker": speaker,
            "speaker_text": "Putin",
            "cue": "sagte",
            "sentence": 2,
        }
    ]
    article = Article(id="p", text=PUTIN_TEXT, origin="p.txt", source="Kurier")
    return store.article_rows(article, doc, doc_key=store.content_key(PUTIN_TEXT), added=ADDED)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "q.duckdb"
    with Store(path) as writer:
        writer.write(
            [
                rows_for(
                    "USA drohen Russland\nDie USA drohen Russland mit Konsequenzen.",
                    [{**THREAT, "trigger": "drohen"}],
                ),
                rows_for(
                    "Russland schließt Abkommen\nRussland unterzeichnete am 2. August ein "
                    "Abkommen mit Nordkorea.",
                    [
                        {
                            "type": "AGREE",
                            "cameo": "057",
                            "source": ["rus"],
                            "target": ["prk"],
                            "trigger": "unterzeichnete",
                            "date": "2023-08-02",
                            "goldstein": 8.0,
                        },
                        {
                            "type": "AGREE",
                            "cameo": "057",
                            "source": ["rus"],
                            "target": ["usa"],
                            "trigger": "Abkommen",
                            "negated": True,
                        },
                    ],
                    origin="b.txt",
                ),
                putin_rows(),
            ]
        )
    store_ = Store(path, read_only=True)
    yield store_
    store_.close()


def test_query_events_by_actor_type_and_date(db: Store) -> None:
    result = query.events(db, actor="RUS", event_type="THREATEN", start=date(2023, 9, 1))
    rows = result.dicts()
    assert [(r["day"], r["source"], r["target"]) for r in rows] == [
        (date(2023, 9, 15), "USAGOV", "RUSGOV"),
        (date(2023, 9, 11), "RUSGOV", "USAGOV"),
    ]
    assert query.events(db, source="RUS", event_type="13").dicts()[0]["cameo"] == "138"
    assert query.events(db, actor="Putin").dicts()[0]["source_name"] == "Wladimir Putin"
    assert len(query.events(db, actor="RUS", end=date(2023, 8, 31)).rows) == 1
    # negated events only on request
    assert len(query.events(db, target="USA", event_type="AGREE").rows) == 0
    assert len(query.events(db, target="USA", event_type="AGREE", include_negated=True).rows) == 1
    with pytest.raises(query.QueryError, match="unknown event type"):
        query.events(db, event_type="THREATENS")


def test_query_dyads_by_month(db: Store) -> None:
    rows = query.dyads(db, by="month").dicts()
    assert {
        (r["period"], r["source"], r["target"], r["quad_class"], r["events"]) for r in rows
    } == {
        (date(2023, 9, 1), "USA", "RUS", 3, 1),
        (date(2023, 9, 1), "RUS", "USA", 3, 1),
        (date(2023, 8, 1), "RUS", "PRK", 1, 1),
    }
    totals = query.dyads(db, start=date(2023, 9, 1)).dicts()
    assert sum(r["events"] for r in totals) == 2 and "period" not in totals[0]
    with pytest.raises(query.QueryError):
        query.dyads(db, by="fortnight")


def test_query_quotes_by_speaker(db: Store) -> None:
    result = query.quotes(db, speaker="putin")
    assert [(r["speaker"], r["text"], r["kind"]) for r in result.dicts()] == [
        ("Wladimir Putin", "Man werde nicht zögern", "indirect")
    ]
    assert query.quotes(db, speaker="Merkel").rows == []
    assert json.loads(result.to_json())[0]["cue"] == "sagte"
    assert result.to_csv().splitlines()[0] == "published,speaker,country,kind,cue,text,source"
