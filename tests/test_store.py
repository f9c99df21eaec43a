"""The event database: rows from contract JSON, stable keys, aggregation, the one writer."""

from __future__ import annotations

import errno
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from chronik import store
from chronik.reader import Article
from chronik.store import Failure, Store, StoreFullError, StoreLockedError, StoreSchemaError

ADDED = datetime(2024, 1, 2, 3, 4, 5)

ACTORS = {
    "usa": {"name": "USA", "kind": "state", "country": "USA", "sector": "GOV"},
    "rus": {"name": "Russland", "kind": "state", "country": "RUS", "sector": "GOV"},
    "putin": {
        "name": "Wladimir Putin",
        "kind": "person",
        "country": "RUS",
        "sector": "GOV",
        "role": "head_of_state",
        "kb_id": "vladimir-putin",
    },
    "prk": {"name": "Nordkorea", "kind": "state", "country": "PRK", "sector": "GOV"},
}


def contract_doc(
    text: str,
    events: list[dict[str, Any]],
    *,
    doc_id: str = "a",
    published: str | None = "2023-09-15",
    source: str | None = "Tagesblatt",
    url: str | None = None,
    quotes: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A contract object built by hand: `events` name actors by the keys of ACTORS and their
    trigger by a word of `text`."""
    actors: dict[str, dict[str, Any]] = {}

    def actor_id(name: str) -> str:
        if name not in actors:
            record = {"role": None, "kb_id": None, **ACTORS[name]}
            actors[name] = {"id": f"a{len(actors) + 1}", **record}
        return actors[name]["id"]

    sentences = []
    start = 0
    for line in text.split("\n"):
        sentences.append({"start": start, "end": start + len(line)})
        start += len(line) + 1
    out_events = []
    for n, spec in enumerate(events, start=1):
        begin = text.index(spec["trigger"])
        trigger = {"text": spec["trigger"], "start": begin, "end": begin + len(spec["trigger"])}
        sentence = next(i for i, s in enumerate(sentences) if s["start"] <= begin < s["end"])
        out_events.append(
            {
                "id": f"ev{n}",
                "type": spec["type"],
                "mode": None,
                "source": [actor_id(a) for a in spec.get("source", [])],
                "target": [actor_id(a) for a in spec.get("target", [])],
                "negated": spec.get("negated", False),
                "modality": spec.get("modality", "asserted"),
                "date": spec.get("date"),
                "date_text": None,
                "location": spec.get("location"),
                "sentence": sentence,
                "trigger": trigger,
                "confidence": 0.6,
                "cameo": spec["cameo"],
                "goldstein": spec.get("goldstein", -4.0),
                "mentions": [{"sentence": sentence, "trigger": trigger}],
            }
        )
    return {
        "chronik": "1",
        "doc": {
            "id": doc_id,
            "title": text.split("\n")[0],
            "language": "de",
            "published": published,
            "url": url,
            "source": source,
        },
        "sentences": sentences,
        "entities": [],
        "actors": list(actors.values()),
        "events": out_events,
        "quotes": quotes or [],
        "times": [],
        "places": [],
    }


THREAT = {"type": "THREATEN", "cameo": "130", "source": ["usa"], "target": ["rus"]}
TEXT_A = "USA drohen Russland\nDie USA drohen Russland mit Konsequenzen."
TEXT_B = "Washington droht Moskau\nDie Regierung in Washington droht Russland."


def rows_for(
    text: str, events: list[dict[str, Any]], *, origin: str = "a.txt", **kwargs: Any
) -> store.ArticleRows:
    doc = contract_doc(text, events, **kwargs)
    article = Article(id=doc["doc"]["id"], text=text, origin=origin, source=kwargs.get("source"))
    return store.article_rows(article, doc, doc_key=store.content_key(text), added=ADDED)


def test_store_keys_are_derived_from_content() -> None:
    first = rows_for(TEXT_A, [{**THREAT, "trigger": "drohen"}])
    again = rows_for(TEXT_A, [{**THREAT, "trigger": "drohen"}])
    other = rows_for(TEXT_B, [{**THREAT, "trigger": "droht"}])
    assert first.doc_key == store.content_key(TEXT_A + "  ")
    uid = first.tables["doc_events"][0]["event_uid"]
    assert uid == again.tables["doc_events"][0]["event_uid"]
    assert uid != other.tables["doc_events"][0]["event_uid"]
    # the same event (type, actors, day) reported by two articles has one event key
    assert (
        first.tables["event_mentions"][0]["event_key"]
        == other.tables["event_mentions"][0]["event_key"]
    )


def test_store_event_key_depends_on_day_and_actors() -> None:
    base = rows_for(TEXT_A, [{**THREAT, "trigger": "drohen"}])
    later = rows_for(TEXT_A, [{**THREAT, "trigger": "drohen", "date": "2023-09-16"}])
    swapped = rows_for(TEXT_A, [{**THREAT, "trigger": "drohen", "source": ["rus"]}])
    keys = {r.tables["event_mentions"][0]["event_key"] for r in (base, later, swapped)}
    assert len(keys) == 3
    assert later.tables["event_mentions"][0]["day"] == "2023-09-16"
    assert base.tables["event_mentions"][0]["day"] == "2023-09-15"


def test_store_joint_sources_expand_into_dyads_once_per_actor_code() -> None:
    event = {**THREAT, "trigger": "drohen", "source": ["usa"], "target": ["rus", "putin", "prk"]}
    rows = rows_for(TEXT_A, [event])
    dyads = {(r["actor1_key"], r["actor2_key"]) for r in rows.tables["event_mentions"]}
    # Putin and Russia are both RUSGOV: one dyad, one mention
    assert dyads == {("USAGOV", "RUSGOV"), ("USAGOV", "PRKGOV")}
    assert len(rows.tables["event_mentions"]) == 2


def test_store_hypothetical_events_stay_with_the_article_but_are_no_events() -> None:
    rows = rows_for(TEXT_A, [{**THREAT, "trigger": "drohen", "modality": "hypothetical"}])
    assert len(rows.tables["doc_events"]) == 1
    assert rows.tables["event_mentions"] == []


def test_store_write_aggregates_articles_and_sources(tmp_path: Path) -> None:
    a = rows_for(TEXT_A, [{**THREAT, "trigger": "drohen"}], source="Tagesblatt")
    b = rows_for(TEXT_B, [{**THREAT, "trigger": "droht"}], source="Abendpost", origin="b.txt")
    c_text = "Drohung gegen Russland\nAuch heute drohen die USA Russland."
    c = rows_for(c_text, [{**THREAT, "trigger": "drohen"}], source="Tagesblatt", origin="c.txt")
    with Store(tmp_path / "e.duckdb") as db:
        db.write([a, b])
        db.write([c])
        events = db.query_dicts("SELECT * FROM events")
        counts = db.counts()
    assert len(events) == 1
    event = events[0]
    assert (event["num_articles"], event["num_sources"], event["num_mentions"]) == (3, 2, 3)
    assert event["quad_class"] == 3
    assert event["rep"]["actor1_name"] == "USA"
    assert counts.documents == 3 and counts.events == 1 and counts.doc_events == 3


def test_store_reopens_and_keeps_rows(tmp_path: Path) -> None:
    path = tmp_path / "e.duckdb"
    with Store(path) as db:
        db.write([rows_for(TEXT_A, [{**THREAT, "trigger": "drohen"}])])
    with Store(path, read_only=True) as db:
        assert db.stored([store.content_key(TEXT_A), "nope"]) == {store.content_key(TEXT_A)}
        assert db.counts().mentions == 1


def test_store_full_disk_rolls_back_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "e.duckdb"
    with Store(path) as db:
        db.write([rows_for(TEXT_A, [{**THREAT, "trigger": "drohen"}])])
    calls = []
    original = Store._stage

    def full(self: Store, staged: Path, rows: Any) -> None:
        calls.append(staged.name)
        if staged.name.startswith("event_mentions"):
            raise OSError(errno.ENOSPC, "No space left on device")
        original(self, staged, rows)

    monkeypatch.setattr(Store, "_stage", full)
    with Store(path) as db, pytest.raises(StoreFullError, match="disk is full"):
        db.write([rows_for(TEXT_B, [{**THREAT, "trigger": "droht"}], origin="b.txt")])
    # documents, actors and doc_events were inserted before the failure, then rolled back
    assert calls[:3] == ["documents.jsonl", "actors.jsonl", "doc_events.jsonl"]
    monkeypatch.setattr(Store, "_stage", original)
    with Store(path) as db:
        counts = db.counts()
        assert (counts.documents, counts.doc_events, counts.mentions) == (1, 1, 1)
        db.write([rows_for(TEXT_B, [{**THREAT, "trigger": "droht"}], origin="b.txt")])
        assert db.counts().documents == 2


def test_store_locked_by_another_process(tmp_path: Path) -> None:
    path = tmp_path / "e.duckdb"
    with Store(path):
        pass
    holder = textwrap.dedent(
        f"""
        import sys, duckdb
        con = duckdb.connect({str(path)!r})
        print("ready", flush=True)
        sys.stdin.read()
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        with pytest.raises(StoreLockedError, match="in use by another process"):
            Store(path)
    finally:
        proc.communicate("", timeout=30)


def test_store_refuses_a_foreign_duckdb_file(tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE sales (x INTEGER)")
    con.close()
    with pytest.raises(StoreSchemaError, match="not a Chronik event database"):
        Store(path)


def test_store_failures_count_attempts_and_clear_on_success(tmp_path: Path) -> None:
    rows = rows_for(TEXT_A, [{**THREAT, "trigger": "drohen"}])
    failure = Failure(rows.doc_key, "a.txt", "kaputt", "analyse", "a", payload="{}")
    with Store(tmp_path / "e.duckdb") as db:
        db.write([], [failure])
        db.write([], [failure])
        assert [(f["reason"], f["attempts"]) for f in db.failures()] == [("kaputt", 2)]
        db.write([rows])
        assert db.failures() == []


def test_store_minhash_finds_near_identical_texts() -> None:
    body = " ".join(
        f"Der Minister {n} sprach am Morgen in der Hauptstadt über die Lage im Land."
        for n in range(8)
    )
    edited = "Eilmeldung\n" + body.replace("am Morgen", "am Vormittag", 1) + " (dpa)"
    other = " ".join(
        f"Die Mannschaft {n} gewann das Spiel im Stadion vor vielen Zuschauern deutlich."
        for n in range(8)
    )
    sig_body, sig_edited, sig_other = (store.minhash(t) for t in (body, edited, other))
    assert sig_body is not None and sig_edited is not None and sig_other is not None
    assert store.minhash(body) == sig_body
    assert store.similarity(sig_body, sig_edited) >= store.NEAR_JACCARD
    assert set(store.minhash_bands(sig_body)) & set(store.minhash_bands(sig_edited))
    assert store.similarity(sig_body, sig_other) < 0.2
    assert not set(store.minhash_bands(sig_body)) & set(store.minhash_bands(sig_other))
    assert store.minhash("Zu kurz für einen Vergleich.") is None
    assert store.norm_key("Die USA, drohen!") == store.norm_key("die usa drohen")


def test_store_replaced_article_rows_take_the_place_of_the_old(tmp_path: Path) -> None:
    with Store(tmp_path / "e.duckdb") as db:
        db.write([rows_for(TEXT_A, [{**THREAT, "trigger": "drohen"}])])
        again = rows_for(TEXT_A, [{**THREAT, "source": ["prk"], "trigger": "drohen"}])
        again.replaces = True
        db.write([again])
        counts = db.counts()
        assert (counts.documents, counts.doc_events, counts.mentions) == (1, 1, 1)
        assert db.query("SELECT actor1_country FROM event_mentions") == [("PRK",)]
        assert db.query("SELECT count(*) FROM doc_bands")[0][0] == 0  # a short text: no bands


def test_store_upgrades_a_schema_1_database_in_place(tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "e.duckdb"
    with Store(path) as db:
        db.write([rows_for(TEXT_A, [{**THREAT, "trigger": "drohen"}])])
    # what schema 1 lacked
    con = duckdb.connect(str(path))
    con.execute("ALTER TABLE documents DROP COLUMN actor_dictionaries")
    con.execute("ALTER TABLE runs DROP COLUMN actor_dictionaries")
    con.execute("ALTER TABLE event_mentions DROP COLUMN actor1_geo_name")
    con.execute("UPDATE chronik_meta SET value = '1' WHERE key = 'schema'")
    con.close()
    with pytest.raises(StoreSchemaError, match="upgrade it in place"):
        Store(path, read_only=True)
    with Store(path) as db:
        assert db.counts().mentions == 1
        assert db.query("SELECT actor_dictionaries FROM documents") == [(None,)]
        assert db.query("SELECT actor1_geo_name FROM event_mentions") == [(None,)]
        assert db.query("SELECT rep.actor1_geo_name FROM events") == [(None,)]
        # articles of schema 1 were analysed without users' dictionaries
        assert db.analysed_with_other_dictionaries("") == []
        assert db.analysed_with_other_dictionaries("abc") == [store.content_key(TEXT_A)]
    with Store(path, read_only=True) as db:
        assert db.query("SELECT value FROM chronik_meta")[0][0] == store.SCHEMA_VERSION
