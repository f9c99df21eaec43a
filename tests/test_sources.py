"""Reading corpora for corpus runs: WARC, RSS/Atom, gzipped JSON Lines, and damaged inputs."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from chronik import sources
from chronik.errors import MissingInputError
from chronik.reader import Article, ReadFailure

PARAGRAPH = (
    "Der Außenminister traf am Mittwoch seinen Amtskollegen in der Hauptstadt. Beide Seiten "
    "sprachen über den Handel, die Sicherheit in der Region und neue Vereinbarungen. Nach dem "
    "Treffen sagte der Minister, man werde die Gespräche im kommenden Monat fortsetzen."
)


def page(title: str) -> bytes:
    body = "".join(f"<p>{PARAGRAPH} ({n})</p>" for n in range(3))
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}"
        "</article></body></html>"
    ).encode()


def write_warc(path: Path, pages: list[tuple[str, bytes, str]]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=path.name.endswith(".gz"))
        for url, payload, mime in pages:
            http = StatusAndHeaders("200 OK", [("Content-Type", mime)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(payload),
                http_headers=http,
                warc_headers_dict={"WARC-Date": "2023-09-15T08:00:00Z"},
            )
            writer.write_record(record)


def test_sources_warc_yields_html_pages_with_url_and_date(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(
        path,
        [
            ("https://www.example.de/politik/1", page("Minister treffen sich"), "text/html"),
            ("https://www.example.de/logo.png", b"\x89PNG....", "image/png"),
            ("https://www.example.de/politik/2", page("Gespräche gehen weiter"), "text/html"),
        ],
    )
    progress = sources.ReadProgress()
    items = list(sources.read([path], progress))
    assert all(isinstance(i, Article) for i in items), items
    assert [i.url for i in items] == [
        "https://www.example.de/politik/1",
        "https://www.example.de/politik/2",
    ]
    first = items[0]
    assert first.text.startswith("Minister treffen sich\n")
    assert "Außenminister traf am Mittwoch" in first.text
    assert first.published == "2023-09-15"
    assert "@" in first.origin and first.origin.startswith(str(path))
    assert progress.done_bytes == progress.total_bytes == path.stat().st_size


def test_sources_corrupt_warc_record_keeps_the_records_before(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    write_warc(
        path,
        [
            ("https://www.example.de/a", page("Erster Bericht"), "text/html"),
            ("https://www.example.de/b", page("Zweiter Bericht"), "text/html"),
        ],
    )
    data = path.read_bytes()
    second = data.index(b"WARC/1", 10)
    # the second record's header is damaged
    path.write_bytes(data[:second] + b"WARC/1.0\r\nWARC-Type: resp" + b"\x00garbage" * 20)
    items = list(sources.read([path]))
    assert isinstance(items[0], Article) and items[0].url == "https://www.example.de/a"
    failure = items[-1]
    assert isinstance(failure, ReadFailure)
    assert "corrupt WARC record at offset" in failure.reason
    assert failure.origin == f"{path}@{second}"


def test_sources_truncated_gzip_corpus_reports_the_damage(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": f"n{i}", "text": f"Meldung {i}\n{PARAGRAPH}"}, ensure_ascii=False)
        for i in range(40)
    ]
    data = gzip.compress(("\n".join(lines) + "\n").encode())
    path = tmp_path / "corpus.jsonl.gz"
    path.write_bytes(data[: len(data) * 2 // 3])
    items = list(sources.read([path]))
    articles = [i for i in items if isinstance(i, Article)]
    assert articles and articles[0].id == "n0" and len(articles) < 40
    assert isinstance(items[-1], ReadFailure)
    assert "truncated" in items[-1].reason


def test_sources_jsonl_lines_fail_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    good = json.dumps({"id": "x", "text": "Titel\nText.", "published": "2023-09-15"})
    path.write_text(f'{good}\nkein json\n{{"id": "y"}}\n', encoding="utf-8")
    items = list(sources.read([path]))
    assert isinstance(items[0], Article) and items[0].published == "2023-09-15"
    assert isinstance(items[1], ReadFailure) and "line 2 is not valid JSON" in items[1].reason
    assert isinstance(items[2], ReadFailure) and "no non-empty 'text'" in items[2].reason
    assert items[1].origin == f"{path}: line 2"


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Tagesblatt Politik</title><language>de-de</language>
<item><title>Kanzler reist nach Paris</title><link>https://tagesblatt.example/1</link>
<guid>tb-1</guid><pubDate>Fri, 15 Sep 2023 10:00:00 +0200</pubDate>
<description><![CDATA[<p>Der Kanzler trifft am Freitag den französischen Präsidenten.</p>]]>
</description></item>
<item><title>Streik bei der Bahn</title><link>https://tagesblatt.example/2</link>
<pubDate>Sat, 16 Sep 2023 09:00:00 +0200</pubDate>
<description>Die Gewerkschaft ruft zum Streik auf.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Abendpost</title>
<entry><title>Gipfel in Brüssel</title><id>urn:ap:7</id>
<link href="https://abendpost.example/7"/><updated>2023-09-14T18:00:00Z</updated>
<content type="html">&lt;p&gt;Die Regierungschefs beraten über den Haushalt.&lt;/p&gt;</content>
</entry></feed>"""


def test_sources_rss_and_atom_entries_are_articles(tmp_path: Path) -> None:
    (tmp_path / "politik.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "abend.atom").write_text(ATOM, encoding="utf-8")
    items = list(sources.read([tmp_path / "politik.rss", tmp_path / "abend.atom"]))
    assert all(isinstance(i, Article) for i in items), items
    first, second, atom = items
    assert first.id == "tb-1" and first.url == "https://tagesblatt.example/1"
    assert (
        first.text
        == "Kanzler reist nach Paris\nDer Kanzler trifft am Freitag den französischen Präsidenten."
    )
    assert first.published == "2023-09-15" and first.source == "Tagesblatt Politik"
    assert first.language == "de"
    assert second.id == "https://tagesblatt.example/2"
    assert atom.id == "urn:ap:7" and atom.published == "2023-09-14"
    assert atom.text.endswith("Die Regierungschefs beraten über den Haushalt.")


def test_sources_a_broken_feed_is_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "kaputt.xml"
    path.write_text("<html><body>Kein Feed</body></html>", encoding="utf-8")
    (item,) = list(sources.read([path]))
    assert isinstance(item, ReadFailure) and "not an RSS or Atom feed" in item.reason


def test_sources_unreadable_file_is_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "geheim.txt"
    path.write_text("Titel\nText.", encoding="utf-8")
    original = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self.name == "geheim.txt":
            raise PermissionError(13, "Permission denied")
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    (item,) = list(sources.read([path]))
    assert isinstance(item, ReadFailure) and "Permission denied" in item.reason


def test_sources_folders_and_missing_paths(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Titel\nText.", encoding="utf-8")
    (tmp_path / "b.warc").write_bytes(b"")
    (tmp_path / "notes.md").write_text("nicht lesen", encoding="utf-8")
    assert [p.name for p in sources.expand([tmp_path])] == ["a.txt", "b.warc"]
    with pytest.raises(MissingInputError):
        sources.expand([tmp_path / "fehlt.jsonl"])


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_sources_truncated_warc_is_a_failure(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    write_warc(
        path,
        [
            ("https://www.example.de/a", page("Erster Bericht"), "text/html"),
            ("https://www.example.de/b", page("Zweiter Bericht"), "text/html"),
        ],
    )
    data = path.read_bytes()
    path.write_bytes(data[:-200])
    items = list(sources.read([path]))
    assert [type(i) for i in items] == [Article, ReadFailure]
    assert "truncated" in items[1].reason
