from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from chronik.errors import InputError, MissingInputError
from chronik.reader import Article, ReadFailure, decode, expand, read


def test_reader_text_file_id_is_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "putin-sotschi.txt"
    path.write_text("Putin trifft Lukaschenko\nPutin traf Lukaschenko in Sotschi.\n", "utf-8")
    (article,) = list(read([path]))
    assert isinstance(article, Article)
    assert article.id == "putin-sotschi"
    assert article.text.startswith("Putin trifft")


def test_reader_missing_path_raises() -> None:
    with pytest.raises(MissingInputError):
        expand([Path("/nonexistent/article.txt")])


def test_reader_empty_and_binary_files_fail_with_a_reason(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", "utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    results = list(read([empty, binary]))
    assert all(isinstance(r, ReadFailure) for r in results)
    assert "empty" in results[0].reason
    assert "binary" in results[1].reason


def test_reader_decodes_latin1() -> None:
    text = "Außenminister Müller äußerte sich über die Lage in Köln und Düsseldorf."
    assert decode(text.encode("cp1252"), "x.txt") == text


def test_reader_decode_rejects_empty() -> None:
    with pytest.raises(InputError, match="empty"):
        decode(b"", "x.txt")


def test_reader_jsonl_broken_line_is_reported_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "Putin traf Kim.", "published": "2023-09-13"}),
        '{"id": "b", "text": "kaputt',
        json.dumps({"id": "c", "text": ""}),
        json.dumps({"id": "d", "text": "Scholz reiste nach Paris."}),
    ]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    results = list(read([path]))
    assert [type(r).__name__ for r in results] == [
        "Article",
        "ReadFailure",
        "ReadFailure",
        "Article",
    ]
    assert "line 2" in results[1].reason
    assert "line 3" in results[2].reason
    assert results[0].published == "2023-09-13"


def test_reader_gzipped_jsonl_and_truncation(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl.gz"
    data = gzip.compress(
        (json.dumps({"id": "a", "text": "Scholz reiste nach Paris."}) + "\n").encode() * 50
    )
    path.write_bytes(data)
    assert sum(isinstance(r, Article) for r in read([path])) == 50
    path.write_bytes(data[: len(data) // 2])
    results = list(read([path]))
    assert isinstance(results[-1], ReadFailure)
    assert "cannot read" in results[-1].reason


def test_reader_folder_is_expanded_in_order(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("B\nText b.", "utf-8")
    (tmp_path / "a.txt").write_text("A\nText a.", "utf-8")
    (tmp_path / "notes.md").write_text("ignored", "utf-8")
    assert [r.id for r in read([tmp_path])] == ["a", "b"]


def test_reader_html_takes_title_and_text(tmp_path: Path) -> None:
    body = " ".join(["Die Regierung in Berlin kritisierte Moskau am Mittwoch scharf."] * 8)
    html = (
        "<html><head><title>Berlin kritisiert Moskau</title>"
        '<meta property="article:published_time" content="2023-09-15"></head>'
        f"<body><article><h1>Berlin kritisiert Moskau</h1><p>{body}</p></article></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(html, "utf-8")
    (article,) = list(read([path]))
    assert isinstance(article, Article)
    assert article.title == "Berlin kritisiert Moskau"
    assert "Regierung in Berlin" in article.text
    assert article.published == "2023-09-15"
