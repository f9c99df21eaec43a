"""Corpus runs with users' actor dictionaries (`chronik run --actors`): the workers code actors
with them, every article keeps the dictionaries' fingerprint, and a database is never silently
mixed with articles analysed under other dictionaries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chronik import corpus
from chronik.store import Store
from tests.test_corpus_cli import invoke

TEXT = (
    "Zwackelmann droht Russland mit Sanktionen\n"
    "Der Minister Quirin Zwackelmann drohte Russland am Mittwoch in Wien mit neuen Sanktionen. "
    "Die Regierung in Moskau wies das zurück.\n"
)
OTHER = (
    "Polen kritisiert Russland\n"
    "Der Außenminister von Polen warf Russland am Montag vor, das Völkerrecht zu verletzen.\n"
)


def write_dictionary(path: Path, country: str = "AUT") -> Path:
    path.write_text(
        "name,aliases,country,sector,kind,role,start,end\n"
        f"Quirin Zwackelmann,Zwackelmann,{country},GOV,person,minister,2020-01-01,\n",
        "utf-8",
    )
    return path


def write_articles(path: Path, texts: list[str]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for n, text in enumerate(texts):
            record = {"id": f"t{n}", "text": text, "published": "2023-09-15", "source": "Blatt"}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def threat_actor(db: Path) -> tuple[str, str | None]:
    """(country, KB id) of the source of the stored THREATEN event."""
    with Store(db, read_only=True) as store:
        rows = store.query(
            "SELECT DISTINCT actor1_country, actor1_kb_id FROM event_mentions "
            "WHERE type = 'THREATEN'"
        )
    assert len(rows) == 1, rows
    return rows[0]


def table_counts(db: Path) -> dict[str, int]:
    with Store(db, read_only=True) as store:
        return {
            table: store.query(f"SELECT count(*) FROM {table}")[0][0]
            for table in ("documents", "doc_events", "event_mentions", "actors", "doc_bands")
        }


def test_corpus_actors_worker_processes_code_with_the_dictionary(tmp_path: Path) -> None:
    dictionary = write_dictionary(tmp_path / "people.csv")
    source = write_articles(tmp_path / "a.jsonl", [TEXT])
    db = tmp_path / "e.duckdb"
    stats = corpus.run([source], db=db, workers=1, actors=[dictionary])
    assert stats.stored == 1 and stats.failed == 0
    assert threat_actor(db) == ("AUT", "user:quirin-zwackelmann")
    fingerprint = corpus.dictionaries_fingerprint([dictionary])
    assert len(fingerprint) == 16
    with Store(db, read_only=True) as store:
        assert store.query("SELECT actor_dictionaries FROM documents") == [(fingerprint,)]
        assert store.query("SELECT actor_dictionaries FROM runs") == [(fingerprint,)]


def test_corpus_actors_other_dictionaries_are_refused_or_reanalysed(tmp_path: Path) -> None:
    dictionary = write_dictionary(tmp_path / "people.csv")
    source = write_articles(tmp_path / "a.jsonl", [TEXT, OTHER])
    db = tmp_path / "e.duckdb"
    corpus.run([source], db=db, workers=0)
    assert threat_actor(db)[0] == "RUS"  # the built-in guess: the country the article is about
    before = table_counts(db)

    # the same articles with a dictionary: the stored ones would be coded otherwise
    with pytest.raises(corpus.DictionariesChanged, match="--reanalyse") as refused:
        corpus.run([source], db=db, workers=0, actors=[dictionary])
    assert refused.value.exit_code == 2
    assert "2 stored articles" in str(refused.value)
    assert table_counts(db) == before and threat_actor(db)[0] == "RUS"

    # --reanalyse: every stored article again, from its stored text (no inputs needed)
    stats = corpus.run([], db=db, workers=0, actors=[dictionary], reanalyse=True)
    assert (stats.reanalysed, stats.stored, stats.failed) == (2, 0, 0)
    assert threat_actor(db) == ("AUT", "user:quirin-zwackelmann")
    assert table_counts(db) == before  # replaced, not added
    with Store(db, read_only=True) as store:
        assert store.dictionaries_used() == {corpus.dictionaries_fingerprint([dictionary]): 2}

    # the same dictionary (content, not file name) again: nothing to do
    renamed = tmp_path / "copy.csv"
    renamed.write_bytes(dictionary.read_bytes())
    stats = corpus.run([source], db=db, workers=0, actors=[renamed])
    assert (stats.skipped, stats.stored, stats.reanalysed) == (2, 0, 0)

    # another version of the dictionary, or none, is refused again
    changed = write_dictionary(tmp_path / "people2.csv", country="CHE")
    with pytest.raises(corpus.DictionariesChanged):
        corpus.run([source], db=db, workers=0, actors=[changed])
    with pytest.raises(corpus.DictionariesChanged, match="no actor dictionaries"):
        corpus.run([source], db=db, workers=0)


def test_corpus_actors_cli_run_options(tmp_path: Path) -> None:
    dictionary = write_dictionary(tmp_path / "people.csv")
    source = write_articles(tmp_path / "a.jsonl", [TEXT])
    db = tmp_path / "e.duckdb"
    args = ("run", str(source), "--db", str(db), "--workers", "0", "--quiet")
    assert invoke(*args).exit_code == 0

    refused = invoke(*args, "--actors", str(dictionary))
    assert refused.exit_code == 2
    assert "analysed with other actor dictionaries" in refused.stderr

    missing = invoke(*args, "--actors", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 2 and "does not exist" in missing.stderr

    result = invoke(
        "run", "--db", str(db), "--workers", "0", "--actors", str(dictionary), "--reanalyse"
    )
    assert result.exit_code == 0, result.output
    assert "re-analysed" in result.stderr
    assert threat_actor(db)[0] == "AUT"
