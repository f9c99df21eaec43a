"""The PySpark job (local mode): its Parquet output equals the DuckDB path's export."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from chronik import corpus, export
from chronik.store import Store
from tests.test_corpus import story, write_corpus

pytest.importorskip("pyspark", reason="PySpark is not installed (pip install -e '.[dev]')")
if shutil.which("java") is None:
    pytest.skip("Spark needs Java (17) on the PATH", allow_module_level=True)

#: columns that say when a row was written, not what it says
VOLATILE = {"events": ["date_added"], "documents": ["added"]}


def read(folder: Path, table: str) -> tuple[list[str], list[tuple]]:
    files = f"{folder}/{table}/*/*.parquet"
    exclude = ", ".join(VOLATILE.get(table, []))
    star = f"* EXCLUDE ({exclude})" if exclude else "*"
    relation = duckdb.sql(
        f"SELECT {star} FROM read_parquet('{files}', hive_partitioning = true, "
        "union_by_name = true)"
    )
    columns = sorted(relation.columns)
    quoted = ", ".join(f'"{c}"' for c in columns)
    rows = duckdb.sql(f"SELECT {quoted} FROM relation ORDER BY ALL").fetchall()
    return columns, rows


def test_spark_job_equals_the_duckdb_path(tmp_path: Path) -> None:
    from chronik import spark

    source = write_corpus(tmp_path / "corpus.jsonl", range(200), days=7)
    long_text = (
        story(7)
        + " "
        + " ".join(
            f"Weitere Gespräche sollen in den kommenden Wochen folgen, hieß es, Runde {n}."
            for n in range(6)
        )
    )
    with source.open("a", encoding="utf-8") as handle:
        for record in (
            {"id": "lang", "text": long_text, "source": "Blatt", "published": "2023-09-14"},
            {"id": "kopie", "text": long_text + " (dpa)", "source": "Echo"},
            {"id": "gleich", "text": story(5), "source": "Echo"},
        ):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        handle.write("{kaputt\n")

    db = tmp_path / "e.duckdb"
    stats = corpus.run([source], db=db, workers=0)
    assert (stats.duplicates, stats.skipped, stats.failed) == (1, 1, 1)
    with Store(db, read_only=True) as store:
        export.write_parquet(store, tmp_path / "duckdb")

    counts = spark.run_job([str(source)], str(tmp_path / "spark"), master="local[2]")
    assert counts["documents"] == 202 and counts["failures"] == 1

    for table in ("events", "event_mentions", "quotes", "actors", "documents"):
        expected = read(tmp_path / "duckdb", table)
        actual = read(tmp_path / "spark", table)
        assert actual[0] == expected[0], f"{table}: other columns"
        assert len(actual[1]) == len(expected[1]), f"{table}: other row counts"
        assert actual[1] == expected[1], f"{table}: other rows"
    assert counts["events"] > 50


def test_spark_actors_dictionaries_reach_the_executors(tmp_path: Path) -> None:
    from chronik import spark
    from tests.test_corpus_actors import TEXT, write_articles, write_dictionary

    dictionary = write_dictionary(tmp_path / "people.csv")
    source = write_articles(tmp_path / "a.jsonl", [TEXT])
    counts = spark.run_job(
        [str(source)], str(tmp_path / "out"), master="local[1]", actors=[dictionary]
    )
    assert counts["documents"] == 1
    actors = duckdb.sql(
        f"SELECT name, country, kb_id FROM read_parquet('{tmp_path}/out/actors/*/*.parquet')"
    ).fetchall()
    assert ("Quirin Zwackelmann", "AUT", "user:quirin-zwackelmann") in actors
    fingerprint = duckdb.sql(
        f"SELECT actor_dictionaries FROM read_parquet('{tmp_path}/out/documents/*/*.parquet')"
    ).fetchall()
    assert fingerprint == [(corpus.dictionaries_fingerprint([dictionary]),)]
