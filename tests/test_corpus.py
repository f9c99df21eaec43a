"""Corpus runs: idempotence, syndicated copies, failures and retries, workers, crashes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from chronik import corpus
from chronik.errors import ChronikError, MissingInputError
from chronik.store import Store

ROOT = Path(__file__).resolve().parents[1]

# (nominative, dative, capital)
STATES = [
    ("Russland", "Russland", "Moskau"),
    ("die Ukraine", "der Ukraine", "Kiew"),
    ("China", "China", "Peking"),
    ("Frankreich", "Frankreich", "Paris"),
    ("Polen", "Polen", "Warschau"),
    ("Japan", "Japan", "Tokio"),
    ("Nordkorea", "Nordkorea", "Pjöngjang"),
    ("Südkorea", "Südkorea", "Seoul"),
    ("die Türkei", "der Türkei", "Ankara"),
    ("Iran", "Iran", "Teheran"),
]
TITLES = ["Präsident", "Außenminister", "Regierungschef"]
STORIES = [
    (
        "{A} droht {b_dat} mit Sanktionen",
        "Die Regierung in {a_cap} hat {b_dat} am Mittwoch mit neuen Sanktionen gedroht.",
    ),
    (
        "{A} und {b} vereinbaren Zusammenarbeit",
        "{A} und {b} haben am Dienstag in {b_cap} ein Abkommen über eine engere Zusammenarbeit "
        "unterzeichnet.",
    ),
    (
        "{A} kritisiert {b}",
        "Der {title} von {a_bare} warf {b_dat} am Montag vor, das Völkerrecht zu verletzen.",
    ),
    (
        "{A} schickt Hilfe nach {b_bare}",
        "{A} hat am Donnerstag Hilfsgüter nach {b_bare} geschickt, teilte das Außenministerium "
        "in {a_cap} mit.",
    ),
    (
        "Treffen in {b_cap}",
        "Der {title} von {a_bare} traf am Freitag in {b_cap} seinen Amtskollegen aus {b_bare}.",
    ),
]


def story(i: int) -> str:
    """A short German news item; items i and i + 10 report the same event in other words."""
    a, _, a_cap = STATES[i % len(STATES)]
    b, b_dat, b_cap = STATES[(i * 3 + 1) % len(STATES)]
    headline, body = STORIES[i % len(STORIES)]
    fields = {
        "A": a[0].upper() + a[1:],
        "b": b,
        "b_dat": b_dat,
        "a_cap": a_cap,
        "b_cap": b_cap,
        "a_bare": a.removeprefix("die "),
        "b_bare": b.removeprefix("die "),
        "title": TITLES[i % len(TITLES)],
    }
    closing = (
        f"Das berichtete die Nachrichtenagentur am Abend (Meldung {i})."
        if i % 20 < 10
        else f"Die Zeitung meldete dies in ihrer Ausgabe (Nummer {i})."
    )
    return f"{headline.format(**fields)}\n{body.format(**fields)} {closing}"


def write_corpus(path: Path, numbers: Iterable[int], *, days: int = 1, **extra: Any) -> Path:
    """Stories as JSON Lines; with `days` > 1 they are published over that many days from
    2023-09-01 (so the same story on two days is two events)."""
    with path.open("w", encoding="utf-8") as handle:
        for i in numbers:
            published = (
                "2023-09-15" if days == 1 else (date(2023, 9, 1) + timedelta(i % days)).isoformat()
            )
            record = {"id": f"m{i}", "text": story(i), "published": published, **extra}
            record.setdefault("source", "Agentur" if i // 10 % 2 else "Zeitung")
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored row that does not depend on when or from where it was stored."""
    queries = {
        "documents": "SELECT doc_key, article_id, duplicate_of FROM documents ORDER BY doc_key",
        "doc_events": "SELECT * FROM doc_events ORDER BY event_uid",
        "event_mentions": (
            "SELECT * EXCLUDE (added) FROM event_mentions ORDER BY event_uid, event_key, mention"
        ),
        "quotes": "SELECT * FROM quotes ORDER BY quote_uid",
        "actors": "SELECT * FROM actors ORDER BY doc_key, actor_id",
        "events": "SELECT * EXCLUDE (rep, date_added) FROM events ORDER BY event_key",
    }
    with Store(db, read_only=True) as store:
        return {name: store.query(sql) for name, sql in queries.items()}


def test_corpus_run_is_idempotent(tmp_path: Path) -> None:
    source = write_corpus(tmp_path / "a.jsonl", range(12))
    db = tmp_path / "e.duckdb"
    stats = corpus.run([source], db=db, workers=0)
    assert (stats.articles, stats.stored, stats.failed) == (12, 12, 0)
    assert stats.events > 0 and stats.mentions > 0
    before = snapshot(db)
    again = corpus.run([source, source], db=db, workers=0)
    assert (again.stored, again.skipped, again.analysed) == (0, 24, 0)
    assert snapshot(db) == before


def test_corpus_events_reported_twice_aggregate(tmp_path: Path) -> None:
    # items 0 and 10 tell the same story (same actors, type and day) in different words
    db = tmp_path / "e.duckdb"
    corpus.run([write_corpus(tmp_path / "a.jsonl", [0, 10])], db=db, workers=0)
    with Store(db, read_only=True) as store:
        rows = store.query(
            "SELECT type, actor1_key, actor2_key, num_articles, num_sources FROM events "
            "WHERE type = 'THREATEN'"
        )
    assert rows == [("THREATEN", "RUSGOV", "UKRGOV", 2, 2)]


def test_corpus_syndicated_copies_count_once(tmp_path: Path) -> None:
    text = story(3)
    long_text = (
        text
        + " "
        + " ".join(
            f"Weitere Hilfslieferungen sollen in den kommenden Wochen folgen, Teil {n}."
            for n in range(6)
        )
    )
    copies = [
        {"id": "orig", "text": long_text, "source": "Zeitung"},
        # the same words, other punctuation and case
        {"id": "copy", "text": long_text.replace(",", "").upper(), "source": "Blatt"},
        # near-identical: an agency tag appended
        {"id": "near", "text": long_text + " (dpa)", "source": "Kurier"},
        # the very same text again
        {"id": "same", "text": long_text, "source": "Echo"},
    ]
    path = tmp_path / "s.jsonl"
    path.write_text(
        "".join(json.dumps({**c, "published": "2023-09-15"}) + "\n" for c in copies),
        encoding="utf-8",
    )
    db = tmp_path / "e.duckdb"
    stats = corpus.run([path], db=db, workers=0)
    assert (stats.stored, stats.duplicates, stats.skipped) == (1, 2, 1)
    with Store(db, read_only=True) as store:
        docs = dict(store.query("SELECT article_id, duplicate_of FROM documents"))
        original = store.query("SELECT doc_key FROM documents WHERE article_id = 'orig'")[0][0]
        articles = store.query("SELECT max(num_articles), max(num_sources) FROM events")[0]
    assert docs == {"orig": None, "copy": original, "near": original}
    assert articles == (1, 1)


def test_corpus_failures_are_kept_and_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_corpus(tmp_path / "a.jsonl", range(4))
    broken = tmp_path / "kaputt.jsonl"
    broken.write_text("{nicht json\n", encoding="utf-8")
    db = tmp_path / "e.duckdb"
    from chronik import process

    real = process.analyze_article

    def flaky(article, **kwargs):  # type: ignore[no-untyped-def]
        if article.id == "m2":
            raise ChronikError("the tagger ran out of patience")
        return real(article, **kwargs)

    monkeypatch.setattr(process, "analyze_article", flaky)
    stats = corpus.run([source, broken], db=db, workers=0)
    assert (stats.stored, stats.failed) == (3, 2)
    with Store(db, read_only=True) as store:
        reasons = {f["stage"]: f["reason"] for f in store.failures()}
    assert "out of patience" in reasons["analyse"]
    assert "line 1 is not valid JSON" in reasons["read"]

    # without --retry-failed the failed article is not analysed again
    monkeypatch.setattr(process, "analyze_article", real)
    stats = corpus.run([source], db=db, workers=0)
    assert (stats.stored, stats.previously_failed, stats.skipped) == (0, 1, 3)
    # --retry-failed without inputs: the stored text is analysed again
    stats = corpus.run([], db=db, workers=0, retry_failed=True)
    assert (stats.stored, stats.retried, stats.failed) == (1, 1, 0)
    with Store(db, read_only=True) as store:
        assert [f["stage"] for f in store.failures()] == ["read"]
        assert store.counts().documents == 4


def test_corpus_missing_input_fails_before_anything(tmp_path: Path) -> None:
    db = tmp_path / "e.duckdb"
    with pytest.raises(MissingInputError):
        corpus.run([tmp_path / "fehlt.jsonl"], db=db, workers=0)
    assert not db.exists()


def test_corpus_worker_processes_store_what_inline_stores(tmp_path: Path) -> None:
    source = write_corpus(tmp_path / "a.jsonl", range(20))
    seen: list[int] = []
    stats = corpus.run(
        [source],
        db=tmp_path / "w.duckdb",
        workers=2,
        on_progress=lambda s, p: seen.append(s.stored),
    )
    assert (stats.stored, stats.failed) == (20, 0)
    assert seen and seen[-1] == 20
    corpus.run([source], db=tmp_path / "i.duckdb", workers=0)
    assert snapshot(tmp_path / "w.duckdb") == snapshot(tmp_path / "i.duckdb")


RUNNER = """
import sys
from chronik import corpus
def report(stats, progress):
    print(f"stored {stats.stored}", flush=True)
corpus.run([sys.argv[1]], db=sys.argv[2], workers=1, on_progress=report, batch_articles=3)
print("finished", flush=True)
"""


def test_corpus_killed_run_resumes_with_every_article_once(tmp_path: Path) -> None:
    total = 60
    source = write_corpus(tmp_path / "a.jsonl", range(total))
    db = tmp_path / "k.duckdb"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([*sys.path])}
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(RUNNER), str(source), str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    killed_at = None
    deadline = time.monotonic() + 240
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("stored ") and int(line.split()[1]) >= 6:
            killed_at = int(line.split()[1])
            # the whole group: the run and its worker, as a crash or `kill -9` would
            os.killpg(proc.pid, signal.SIGKILL)
            break
        assert time.monotonic() < deadline, "the run did not make progress"
    proc.wait(timeout=60)
    assert killed_at is not None and killed_at < total, proc.stderr.read() if proc.stderr else ""
    assert proc.returncode == -signal.SIGKILL

    with Store(db) as store:
        partial = store.query("SELECT count(*) FROM documents")[0][0]
    assert killed_at <= partial < total
    stats = corpus.run([source], db=db, workers=0)
    assert stats.skipped == partial and stats.stored == total - partial
    corpus.run([source], db=tmp_path / "clean.duckdb", workers=0)
    assert snapshot(db) == snapshot(tmp_path / "clean.duckdb")


def test_corpus_locked_database_is_a_clear_error(tmp_path: Path) -> None:
    from chronik.store import StoreLockedError

    db = tmp_path / "e.duckdb"
    with Store(db):
        pass
    holder = (
        f"import sys, duckdb\ncon = duckdb.connect({str(db)!r})\n"
        "print('ready', flush=True)\nsys.stdin.read()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        with pytest.raises(StoreLockedError):
            corpus.run([write_corpus(tmp_path / "a.jsonl", range(2))], db=db, workers=0)
    finally:
        proc.communicate("", timeout=30)


def test_corpus_run_reads_warc_and_feeds(tmp_path: Path) -> None:
    from tests.test_sources import RSS, page, write_warc

    crawl = tmp_path / "crawl.warc.gz"
    write_warc(
        crawl,
        [
            ("https://zeitung.example/politik/1", page("Minister beraten"), "text/html"),
            ("https://zeitung.example/politik/2", page("Gespräche vertagt"), "text/html"),
        ],
    )
    (tmp_path / "feed.rss").write_text(RSS, encoding="utf-8")
    db = tmp_path / "e.duckdb"
    stats = corpus.run([tmp_path], db=db, workers=0)
    assert (stats.articles, stats.failed) == (4, 0)
    with Store(db, read_only=True) as store:
        rows = store.query("SELECT url, outlet, published FROM documents ORDER BY url")
    assert [r[0] for r in rows] == [
        "https://tagesblatt.example/1",
        "https://tagesblatt.example/2",
        "https://zeitung.example/politik/1",
        "https://zeitung.example/politik/2",
    ]
    assert rows[0][1] == "Tagesblatt Politik" and str(rows[0][2]) == "2023-09-15"
    # the two crawled pages share their boilerplate paragraphs: the second is a near copy
    assert stats.duplicates == 1


def test_corpus_near_copies_of_articles_stored_by_an_earlier_run(tmp_path: Path) -> None:
    long_text = (
        story(4)
        + " "
        + " ".join(
            f"Die Gespräche sollen in den kommenden Wochen fortgesetzt werden, Runde {n}."
            for n in range(6)
        )
    )
    first = tmp_path / "a.jsonl"
    first.write_text(json.dumps({"id": "orig", "text": long_text}) + "\n", encoding="utf-8")
    later = tmp_path / "b.jsonl"
    later.write_text(json.dumps({"id": "near", "text": long_text + " (AFP)"}) + "\n", "utf-8")
    db = tmp_path / "e.duckdb"
    assert corpus.run([first], db=db, workers=0, published="2023-09-15").stored == 1
    # the MinHash bands of the stored article are in the database: the next run finds it
    stats = corpus.run([later], db=db, workers=0, published="2023-09-15")
    assert (stats.stored, stats.duplicates) == (0, 1)
    with Store(db, read_only=True) as store:
        assert store.query("SELECT count(*) FROM doc_bands")[0][0] == 2 * 16
