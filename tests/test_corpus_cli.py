"""The corpus commands (run, export, query) through the CLI, as `register(app)` adds them."""

from __future__ import annotations

import errno
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from chronik.cli_corpus import register
from chronik.store import Store
from tests.test_corpus import write_corpus


def make_app() -> typer.Typer:
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

    @app.command()
    def version() -> None:
        """A second command, so sub-commands are addressed by name as in `chronik`."""

    register(app)
    return app


runner = CliRunner()


def invoke(*args: str) -> Any:
    return runner.invoke(make_app(), list(args), catch_exceptions=False)


@pytest.fixture
def corpus_db(tmp_path: Path) -> Path:
    db = tmp_path / "e.duckdb"
    source = write_corpus(tmp_path / "a.jsonl", range(15))
    result = invoke("run", str(source), "--db", str(db), "--workers", "0")
    assert result.exit_code == 0, result.output
    return db


def test_corpus_cli_run_prints_a_summary(corpus_db: Path, tmp_path: Path) -> None:
    source = tmp_path / "a.jsonl"
    result = invoke("run", str(source), "--db", str(corpus_db), "--workers", "0")
    assert result.exit_code == 0
    assert "already stored (skipped)" in result.stderr and "15" in result.stderr


def test_corpus_cli_run_usage_errors(tmp_path: Path) -> None:
    db = tmp_path / "e.duckdb"
    missing = invoke("run", str(tmp_path / "fehlt.jsonl"), "--db", str(db))
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    nothing = invoke("run", "--db", str(db))
    assert nothing.exit_code == 2
    assert not db.exists()


def test_corpus_cli_run_reports_failures_with_exit_1(tmp_path: Path) -> None:
    source = write_corpus(tmp_path / "a.jsonl", range(2))
    with source.open("a", encoding="utf-8") as handle:
        handle.write("{kaputt\n")
    result = invoke("run", str(source), "--db", str(tmp_path / "e.duckdb"), "--workers", "0")
    assert result.exit_code == 1
    assert "line 3 is not valid JSON" in result.stderr


def test_corpus_cli_full_disk_leaves_the_database_intact(
    corpus_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(self: Store, staged: Path, rows: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with Store(corpus_db, read_only=True) as db:
        before = db.counts()
    monkeypatch.setattr(Store, "_stage", full)
    more = write_corpus(tmp_path / "b.jsonl", range(15, 20))
    result = invoke("run", str(more), "--db", str(corpus_db), "--workers", "0")
    assert result.exit_code == 3 and "disk is full" in result.stderr
    with Store(corpus_db, read_only=True) as db:
        assert db.counts() == before


def test_corpus_cli_locked_database(corpus_db: Path, tmp_path: Path) -> None:
    holder = (
        f"import sys, duckdb\ncon = duckdb.connect({str(corpus_db)!r})\n"
        "print('ready', flush=True)\nsys.stdin.read()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        source = tmp_path / "a.jsonl"
        result = invoke("run", str(source), "--db", str(corpus_db), "--workers", "0")
        assert result.exit_code == 3 and "in use by another process" in result.stderr
        query = invoke("query", "events", "--db", str(corpus_db))
        assert query.exit_code == 3
    finally:
        proc.communicate("", timeout=30)


def test_corpus_cli_export_formats(corpus_db: Path, tmp_path: Path) -> None:
    gdelt = tmp_path / "events.tsv"
    result = invoke("export", "--format", "gdelt", "--db", str(corpus_db), "-o", str(gdelt))
    assert result.exit_code == 0, result.stderr
    lines = gdelt.read_text("utf-8").splitlines()
    assert lines and all(len(line.split("\t")) == 61 for line in lines)

    plover = invoke("export", "--format", "plover", "--db", str(corpus_db), "--from", "2023-09-01")
    records = [json.loads(line) for line in plover.stdout.splitlines()]
    assert records and all(r["mentions"] for r in records)

    for fmt in ("parquet", "csv"):
        out = tmp_path / fmt
        done = invoke("export", "--format", fmt, "--db", str(corpus_db), "-o", str(out))
        assert done.exit_code == 0, done.stderr
        assert any(out.rglob(f"*.{fmt}"))
        again = invoke("export", "--format", fmt, "--db", str(corpus_db), "-o", str(out))
        assert again.exit_code == 1 and "--overwrite" in again.stderr
    folderless = invoke("export", "--format", "csv", "--db", str(corpus_db))
    assert folderless.exit_code == 2


def test_corpus_cli_queries(corpus_db: Path) -> None:
    events = invoke(
        "query", "events", "--db", str(corpus_db), "--actor", "RUS", "--type", "THREATEN",
        "--from", "2023-09-01", "--format", "json",
    )  # fmt: skip
    assert events.exit_code == 0, events.stderr
    rows = json.loads(events.stdout)
    assert rows and all(r["type"] == "THREATEN" for r in rows)
    assert all("RUS" in (r["source"] + r["target"]) for r in rows)

    dyads = invoke("query", "dyads", "--db", str(corpus_db), "--by", "week", "--format", "csv")
    assert dyads.stdout.splitlines()[0].startswith("period,source,target,quad_class,events")

    table = invoke("query", "quotes", "--db", str(corpus_db), "--speaker", "niemand")
    assert table.exit_code == 0 and "quotes: 0" in table.stdout

    bad = invoke("query", "events", "--db", str(corpus_db), "--from", "gestern")
    assert bad.exit_code == 2 and "not an ISO date" in bad.stderr
    missing = invoke("query", "events", "--db", str(corpus_db.with_name("fehlt.duckdb")))
    assert missing.exit_code == 3 and "no such database" in missing.stderr
