from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from chronik.cli import app
from chronik.contract import validate

runner = CliRunner()
ARTICLE = (
    "Scholz trifft Macron in Paris\n"
    "Bundeskanzler Olaf Scholz ist am Mittwoch in Paris mit dem französischen Präsidenten "
    "Emmanuel Macron zusammengetroffen. „Wir stehen an der Seite der Ukraine“, sagte Scholz.\n"
)


def test_cli_process_jsonl_validates_and_keeps_input_order(tmp_path: Path) -> None:
    for name in ("b", "a"):
        (tmp_path / f"{name}.txt").write_text(ARTICLE, "utf-8")
    result = runner.invoke(
        app,
        [
            "process",
            str(tmp_path / "b.txt"),
            str(tmp_path / "a.txt"),
            "--format",
            "jsonl",
            "--published",
            "2023-09-15",
        ],
    )
    assert result.exit_code == 0, result.output
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["doc"]["id"] for o in objects] == ["b", "a"]
    for obj in objects:
        validate(obj)
        assert obj["doc"]["published"] == "2023-09-15"


def test_cli_process_missing_path_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["process", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_cli_process_broken_corpus_line_exits_1_and_keeps_the_rest(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        json.dumps({"id": "ok1", "text": ARTICLE})
        + "\n{broken\n"
        + json.dumps({"id": "ok2", "text": ARTICLE})
        + "\n",
        "utf-8",
    )
    result = runner.invoke(app, ["process", str(corpus), "--format", "jsonl"])
    assert result.exit_code == 1
    ids = [json.loads(line)["doc"]["id"] for line in result.stdout.splitlines()]
    assert ids == ["ok1", "ok2"]
    assert "line 2" in result.stderr
    assert "1 of 3 articles failed" in result.stderr


def test_cli_process_other_language_is_a_clear_failure(tmp_path: Path) -> None:
    path = tmp_path / "fr.txt"
    path.write_text(
        "Le président français\nLe président de la République a rencontré hier le chancelier "
        "allemand à Paris pour discuter de la guerre en Ukraine et des relations avec la Russie.",
        "utf-8",
    )
    result = runner.invoke(app, ["process", str(path), "--format", "jsonl"])
    assert result.exit_code == 1
    assert "'fr'" in result.stderr


def test_cli_process_table_report(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, "utf-8")
    result = runner.invoke(app, ["process", str(path), "--format", "table"])
    assert result.exit_code == 0, result.output
    for heading in ("Events", "Quotes", "Actors", "Times"):
        assert heading in result.stdout


def test_cli_process_output_file_json(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, "utf-8")
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["process", str(path), "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    validate(json.loads(out.read_text("utf-8")))


def test_cli_bad_published_date_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, "utf-8")
    result = runner.invoke(app, ["process", str(path), "--published", "gestern"])
    assert result.exit_code == 2
    assert "ISO date" in result.output


def test_cli_process_refuses_an_oversized_article_and_names_the_limit(tmp_path: Path) -> None:
    from chronik.api import MAX_CHARS

    path = tmp_path / "huge.txt"
    sentence = "Die Regierung in Berlin kritisierte Moskau scharf. "
    path.write_text("Schlagzeile\n" + sentence * (MAX_CHARS // len(sentence) + 10), "utf-8")
    good = tmp_path / "small.txt"
    good.write_text(ARTICLE, "utf-8")
    result = runner.invoke(app, ["process", str(path), str(good), "--format", "jsonl"])
    assert result.exit_code == 1
    assert f"{MAX_CHARS:,}" in result.stderr
    assert [json.loads(line)["doc"]["id"] for line in result.stdout.splitlines()] == ["small"]


def test_cli_actors_lookup_role_word_by_date() -> None:
    result = runner.invoke(
        app, ["actors", "lookup", "Bundeskanzler", "--date", "2005-06-01", "--json"]
    )
    assert result.exit_code == 0, result.output
    names = [m["name"] for m in json.loads(result.stdout) if m["country"] == "DEU"]
    assert names == ["Gerhard Schröder"]
    result = runner.invoke(
        app, ["actors", "lookup", "Bundeskanzler", "--date", "2010-06-01", "--json"]
    )
    names = [m["name"] for m in json.loads(result.stdout) if m["country"] == "DEU"]
    assert names == ["Angela Merkel"]


def test_cli_actors_lookup_inflected_state_and_unknown_name() -> None:
    result = runner.invoke(app, ["actors", "lookup", "Russlands", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["country"] == "RUS"
    result = runner.invoke(app, ["actors", "lookup", "Qwertzuiop"])
    assert result.exit_code == 1
    assert "no actor" in result.stderr


def test_cli_process_with_a_users_actor_dictionary(tmp_path: Path) -> None:
    dictionary = tmp_path / "actors.csv"
    dictionary.write_text(
        "name,aliases,country,sector,kind,role,start,end\n"
        "Quirin Zwackelmann,Zwackelmann,DEU,GOV,person,minister,2020-01-01,\n",
        "utf-8",
    )
    article = tmp_path / "a.txt"
    article.write_text(
        "Zwackelmann warnt Russland\nDer Minister Quirin Zwackelmann warnte Russland am "
        "Mittwoch vor Angriffen auf die Ukraine.\n",
        "utf-8",
    )
    result = runner.invoke(
        app,
        [
            "process",
            str(article),
            "--format",
            "json",
            "--published",
            "2023-09-15",
            "--actors",
            str(dictionary),
        ],
    )
    assert result.exit_code == 0, result.output
    actors = {a["name"]: a for a in json.loads(result.stdout)["actors"]}
    assert actors["Quirin Zwackelmann"]["country"] == "DEU"
    assert actors["Quirin Zwackelmann"]["kb_id"] == "user:quirin-zwackelmann"
