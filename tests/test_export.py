"""Exports: GDELT 2.0 event table, PLOVER JSON Lines, Parquet by date, CSV."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from chronik import corpus, export
from chronik.store import Store
from tests.conftest import EXAMPLE, require_shared
from tests.test_store import THREAT, rows_for

TEXT_C = "Russland weist Vorwürfe zurück\nRussland wies die Vorwürfe der USA am Dienstag zurück."


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    """Three articles by hand: one threat reported twice (two outlets), one rejection on
    another day."""
    located = {"name": "Moskau", "country": "RUS", "lat": 55.7522, "lon": 37.6156}
    rejection = {
        "type": "REJECT",
        "cameo": "120",
        "source": ["rus"],
        "target": ["usa"],
        "trigger": "wies",
        "date": "2023-09-12",
        "location": located,
    }
    path = tmp_path / "e.duckdb"
    with Store(path) as db:
        db.write(
            [
                rows_for(
                    "USA drohen Russland\nDie USA drohen Russland mit Konsequenzen.",
                    [{**THREAT, "trigger": "drohen"}],
                    source="Tagesblatt",
                    url="https://tagesblatt.example/1",
                ),
                rows_for(
                    "Washington droht Moskau\nDie Regierung in Washington droht Russland.",
                    [{**THREAT, "trigger": "droht"}],
                    source="Abendpost",
                    origin="b.txt",
                ),
                rows_for(TEXT_C, [rejection], source="Abendpost", origin="c.txt"),
            ]
        )
    return path


def load_gdelt(path: Path) -> list[tuple[Any, ...]]:
    """Read a file as GDELT's own event table: 61 tab-separated columns with the codebook's
    types (DuckDB refuses a file that does not fit)."""
    columns = ", ".join(f"'{name}': '{kind}'" for name, kind in export.GDELT_TYPES.items())
    return duckdb.sql(
        f"SELECT * FROM read_csv('{path}', delim = '\t', header = false, quote = '', "
        f"escape = '', columns = {{{columns}}}, auto_detect = false, strict_mode = true)"
    ).fetchall()


def test_export_gdelt_columns_follow_the_codebook(small_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.gdelt.tsv"
    with Store(small_db, read_only=True) as db, out.open("w", encoding="utf-8") as handle:
        written, skipped = export.write_gdelt(export.event_rows(db), handle)
    assert (written, skipped) == (2, 0)
    assert all(len(line.split("\t")) == 61 for line in out.read_text("utf-8").splitlines())
    rows = {row[26]: dict(zip(export.GDELT_COLUMNS, row, strict=True)) for row in load_gdelt(out)}
    threat, rejection = rows["130"], rows["120"]
    assert threat["SQLDATE"] == 20230915 and threat["MonthYear"] == 202309
    assert threat["Actor1Code"] == "USAGOV" and threat["Actor2Code"] == "RUSGOV"
    assert threat["Actor1CountryCode"] == "USA" and threat["Actor1Type1Code"] == "GOV"
    assert threat["EventBaseCode"] == "130" and threat["EventRootCode"] == "13"
    assert threat["QuadClass"] == 3 and threat["GoldsteinScale"] == -4.0
    assert (threat["NumMentions"], threat["NumSources"], threat["NumArticles"]) == (2, 2, 2)
    assert threat["SOURCEURL"] == "https://tagesblatt.example/1"
    assert threat["ActionGeo_Type"] == 0 and threat["AvgTone"] is None
    assert threat["DATEADDED"] == 20240102030405
    assert rejection["SQLDATE"] == 20230912
    assert (rejection["ActionGeo_Type"], rejection["ActionGeo_CountryCode"]) == (4, "RS")
    assert rejection["ActionGeo_FullName"] == "Moskau, Russia"
    assert rejection["ActionGeo_Lat"] == pytest.approx(55.7522)
    assert rejection["SOURCEURL"] == "c.txt"


def gdelt_row(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(export.EVENT_COLUMN_NAMES)
    row.update(
        event_id=7,
        event_key="0" * 32,
        day=date(2023, 9, 15),
        type="AGREE",
        cameo="057",
        goldstein=8.0,
        quad_class=1,
        negated=False,
        actor1_key="ROUGOV",
        actor1_name="Rumänien",
        actor1_country="ROU",
        actor1_sector="GOV",
        actor2_key="IGOGOV",
        actor2_name="Vereinte Nationen",
        actor2_country="IGO",
        actor2_sector="GOV",
        location_name="Texas",
        location_country="USA",
        location_feature="region",
        location_lat=31.0,
        location_lon=-100.0,
        location_gazetteer_id="gn:4736286",
        num_mentions=1,
        num_sources=1,
        num_articles=1,
        is_root=True,
        date_added=datetime(2023, 9, 15, 12, 0, 0),
        source_url="https://x.example/a\tb",
    )
    row.update(changes)
    return row


def test_export_gdelt_record_codes_and_geography() -> None:
    record = export.gdelt_record(gdelt_row())
    assert record is not None and len(record) == 61
    fields = dict(zip(export.GDELT_COLUMNS, record, strict=True))
    assert fields["Actor1Code"] == "ROMGOV" and fields["Actor1CountryCode"] == "ROM"
    assert fields["Actor2Code"] == "IGOGOV" and fields["Actor2CountryCode"] == ""
    assert fields["ActionGeo_Type"] == "2" and fields["ActionGeo_CountryCode"] == "US"
    assert fields["ActionGeo_FeatureID"] == "4736286"
    assert fields["FractionDate"] == "2023.7808"
    assert fields["SOURCEURL"] == "https://x.example/a b"
    # what GDELT cannot hold is left out: a negated event, an event without a day
    assert export.gdelt_record(gdelt_row(negated=True)) is None
    assert export.gdelt_record(gdelt_row(day=None)) is None
    assert export.cameo_type("JRN") == "MED" and export.cameo_type("MED") == "HLH"


def test_export_plover_records_keep_every_mention(small_db: Path) -> None:
    out = io.StringIO()
    with Store(small_db, read_only=True) as db:
        assert export.write_plover(db, out) == 2
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    threat = next(r for r in records if r["event"] == "THREATEN")
    assert threat["source"][0]["code"] == "USA" and threat["target"][0]["code"] == "RUS"
    assert threat["quad_code"] == "VERBAL CONFLICT" and threat["num_articles"] == 2
    assert {m["outlet"] for m in threat["mentions"]} == {"Tagesblatt", "Abendpost"}
    assert all(m["evidence"] and m["trigger"] in m["evidence"] for m in threat["mentions"])
    rejection = next(r for r in records if r["event"] == "REJECT")
    assert rejection["date"] == "2023-09-12" and rejection["eventLoc"]["placeName"] == "Moskau"


def test_export_parquet_is_partitioned_by_date(small_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "parquet"
    with Store(small_db, read_only=True) as db:
        counts = export.write_parquet(db, out)
    assert counts["events"] == 2 and counts["documents"] == 3
    partitions = sorted(p.name for p in (out / "events").iterdir())
    assert partitions == ["date=2023-09-12", "date=2023-09-15"]
    rows = duckdb.sql(
        f"SELECT date, type, num_articles, event_id FROM read_parquet('{out}/events/*/*.parquet', "
        "hive_partitioning = true) ORDER BY date"
    ).fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (date(2023, 9, 12), "REJECT", 1),
        (date(2023, 9, 15), "THREATEN", 2),
    ]
    assert all(isinstance(r[3], int) and r[3] > 0 for r in rows)
    with (
        Store(small_db, read_only=True) as db,
        pytest.raises(export.ExportError, match="not empty"),
    ):
        export.write_parquet(db, out)


def test_export_csv_tables(small_db: Path, tmp_path: Path) -> None:
    with Store(small_db, read_only=True) as db:
        counts = export.write_csv(db, tmp_path / "csv", period=export.Period(date(2023, 9, 13)))
    assert counts == {"events": 1, "quotes": 0, "actors": 6}
    header = (tmp_path / "csv" / "events.csv").read_text("utf-8").splitlines()[0]
    assert header.split(",") == list(export.EVENT_COLUMN_NAMES)


def test_export_gdelt_of_the_example_article_loads_as_gdelt(tmp_path: Path) -> None:
    example = require_shared(EXAMPLE)
    db = tmp_path / "e.duckdb"
    corpus.run([example], db=db, workers=0, published="2023-09-15")
    out = tmp_path / "example.gdelt.tsv"
    with Store(db, read_only=True) as store, out.open("w", encoding="utf-8") as handle:
        written, _ = export.write_gdelt(export.event_rows(store), handle)
    rows = [dict(zip(export.GDELT_COLUMNS, r, strict=True)) for r in load_gdelt(out)]
    assert written == len(rows) >= 3
    for row in rows:
        assert 20230901 <= row["SQLDATE"] <= 20230915
        assert row["QuadClass"] in (1, 2, 3, 4)
        assert row["EventCode"].startswith(row["EventRootCode"])
        assert len(row["EventRootCode"]) == 2 and row["EventRootCode"].isdigit()
        assert row["SOURCEURL"].endswith("kim-putin-2023-09-15.de.txt")
    # the headline's warning: the USA (verbal conflict) towards Russia
    assert any(
        r["Actor1Code"] == "USAGOV" and r["Actor2CountryCode"] == "RUS" and r["QuadClass"] == 3
        for r in rows
    )
