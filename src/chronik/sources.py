"""Reading corpora for corpus runs: what `chronik.reader` reads (.txt, .html, .jsonl, .jsonl.gz,
folders), plus WARC files (e.g. CC-NEWS crawls) and RSS/Atom feed files.

Articles are streamed one at a time, never a whole corpus in memory. As in `chronik.reader`,
nothing is dropped silently: an unreadable file, a corrupt WARC record or a truncated .gz yields a
`ReadFailure` with the reason (articles before the damage are still yielded). `ReadProgress`
counts the bytes consumed so a progress bar can show an ETA for a streamed corpus.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from chronik import reader
from chronik.errors import InputError, MissingInputError
from chronik.reader import Article, ReadFailure, ReadResult

WARC_SUFFIXES = (".warc", ".warc.gz")
FEED_SUFFIXES = (".rss", ".atom", ".xml")
SUFFIXES = reader.SUFFIXES + WARC_SUFFIXES + FEED_SUFFIXES

WARC_TYPES = frozenset(
    (
        "warcinfo",
        "response",
        "resource",
        "request",
        "metadata",
        "revisit",
        "conversion",
        "continuation",
    )
)
#: WARC records whose HTTP payload is larger than this are not articles (videos, archives)
MAX_RECORD_BYTES = 5_000_000


@dataclass(slots=True)
class ReadProgress:
    """Bytes of the inputs consumed so far, out of their total size on disk."""

    total_bytes: int = 0
    done_bytes: int = 0
    files_done: int = 0


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def _stem(path: Path) -> str:
    suffix = _suffix(path)
    name = path.name
    return name[: -len(suffix)] if name.lower().endswith(suffix) else path.stem


def expand(inputs: Iterable[str | Path]) -> list[Path]:
    """The input paths with folders replaced by the readable files inside them (sorted).

    Raises `MissingInputError` for a path that does not exist and `InputError` for a folder
    with nothing to read."""
    files: list[Path] = []
    for item in inputs:
        path = Path(item)
        if not path.exists():
            raise MissingInputError(f"{path}: no such file or folder")
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and _suffix(p) in SUFFIXES)
            if not found:
                raise InputError(f"{path}: the folder holds no {', '.join(SUFFIXES)} files")
            files.extend(found)
        else:
            files.append(path)
    return files


def read(
    inputs: Iterable[str | Path], progress: ReadProgress | None = None
) -> Iterator[ReadResult]:
    """Every article of the inputs in input order, or a `ReadFailure` in its place."""
    files = expand(inputs)
    if progress is not None:
        progress.total_bytes = sum(_size(p) for p in files)
    for path in files:
        start = progress.done_bytes if progress is not None else 0
        suffix = _suffix(path)
        if suffix in WARC_SUFFIXES:
            yield from read_warc(path, progress)
        elif suffix in reader.JSONL_SUFFIXES:
            yield from read_jsonl(path, progress)
        elif suffix in FEED_SUFFIXES:
            yield from read_feed(path)
        else:
            # .txt, .html and anything else named explicitly: one article per file
            yield from reader.read([path])
        if progress is not None:
            progress.done_bytes = start + _size(path)
            progress.files_done += 1


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _open_stream(path: Path) -> tuple[IO[bytes], IO[bytes]]:
    """The raw file and the stream to read (decompressed for .gz)."""
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    if path.name.lower().endswith(".gz"):
        return raw, gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    return raw, raw


def _damage(path: Path, exc: BaseException, where: str) -> str:
    if isinstance(exc, EOFError):
        what = "the compressed file is truncated"
    elif isinstance(exc, (gzip.BadGzipFile, zlib.error)):
        what = "the compressed file is corrupt"
    else:
        what = "the file cannot be read"
    return f"{path}: {what} {where} ({exc}); the articles before it were read"


# --- JSON Lines ----------------------------------------------------------------------------------


def read_jsonl(path: Path, progress: ReadProgress | None = None) -> Iterator[ReadResult]:
    """A JSON Lines corpus (optionally gzipped), one article per line."""
    try:
        raw, stream = _open_stream(path)
    except InputError as exc:
        yield ReadFailure(str(path), str(exc))
        return
    base = progress.done_bytes if progress is not None else 0
    number = 0
    with raw:
        try:
            for number, line in enumerate(stream, start=1):
                if progress is not None:
                    progress.done_bytes = base + raw.tell()
                if not line.strip():
                    continue
                # the same origin as an article of this line, so a fixed line clears its failure
                origin = f"{path}: line {number}"
                try:
                    record = json.loads(line.decode("utf-8-sig"))
                    yield reader.article_from_record(record, origin)
                except UnicodeDecodeError:
                    yield ReadFailure(origin, f"{origin} is not valid UTF-8")
                except json.JSONDecodeError as exc:
                    yield ReadFailure(
                        origin, f"{path}: line {number} is not valid JSON ({exc.msg})"
                    )
                except InputError as exc:
                    yield ReadFailure(origin, str(exc))
        except (OSError, EOFError, zlib.error) as exc:
            yield ReadFailure(
                f"{path}: line {number + 1}", _damage(path, exc, f"after line {number}")
            )


# --- WARC ----------------------------------------------------------------------------------------


def read_warc(path: Path, progress: ReadProgress | None = None) -> Iterator[ReadResult]:
    """The HTML pages of a WARC file (`response` records, and `resource` records of HTML),
    their article text extracted with trafilatura. The WARC-Target-URI is the article's URL; its
    publication date is the page's own (from its metadata), else the record's WARC-Date.

    A corrupt record ends the file with a `ReadFailure` naming its offset (WARC has no way to
    find the next record after a damaged one in a compressed file)."""
    try:
        raw = path.open("rb")
    except OSError as exc:
        yield ReadFailure(str(path), f"{path}: cannot read the file ({exc.strerror or exc})")
        return
    with raw:
        yield from read_warc_stream(raw, str(path), progress)


def read_warc_stream(
    raw: IO[bytes], name: str, progress: ReadProgress | None = None
) -> Iterator[ReadResult]:
    """`read_warc` for an open, seekable binary stream named `name` (origins are name@offset)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    base = progress.done_bytes if progress is not None else 0
    records = ArchiveIterator(raw)
    # where the next record starts: a damaged record is named by its offset
    offset = 0
    try:
        for record in records:
            if record.rec_type not in WARC_TYPES or record.length is None:
                start = records.get_record_offset()
                why = f"record type {record.rec_type[:20]!r} with length {record.length}"
                yield ReadFailure(f"{name}@{start}", _corrupt(name, start, why))
                return
            item = _warc_article(name, record, records)
            start = records.get_record_offset()
            if getattr(record.raw_stream, "limit", 0):
                # fewer bytes than its Content-Length: the file ends inside this record
                yield ReadFailure(f"{name}@{start}", _corrupt(name, start, "it is truncated"))
                return
            offset = start + records.get_record_length()
            if progress is not None:
                progress.done_bytes = base + raw.tell()
            if item is not None:
                yield item
        # warcio stops quietly at a record it cannot parse: bytes left over are damage
        raw.seek(offset)
        if raw.read(256).strip():
            yield ReadFailure(f"{name}@{offset}", _corrupt(name, offset, "it cannot be parsed"))
    except (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError) as exc:
        yield ReadFailure(f"{name}@{offset}", _corrupt(name, offset, str(exc).strip()))


def _corrupt(path: str, offset: int, why: str) -> str:
    return (
        f"{path}: a corrupt WARC record at offset {offset} ({why}); the records before it "
        "were read, the rest of the file is skipped"
    )


def _warc_article(path: str, record: Any, records: Any) -> ReadResult | None:
    kind = record.rec_type
    if kind not in ("response", "resource"):
        return None
    headers = record.rec_headers
    url = headers.get_header("WARC-Target-URI")
    if kind == "response":
        http = record.http_headers
        if http is None:
            return None
        status = http.get_statuscode()
        if status and not status.startswith("2"):
            return None
        mime = (http.get_header("Content-Type") or "").lower()
    else:
        mime = (headers.get_header("Content-Type") or "").lower()
    if mime and "html" not in mime:
        return None
    payload = record.content_stream().read(MAX_RECORD_BYTES + 1)
    # the offset is known only once the record is read (warcio reads to its end to find it)
    origin = f"{path}@{records.get_record_offset()}"
    record_id = headers.get_header("WARC-Record-ID") or url or origin
    article_id = record_id.strip("<>").removeprefix("urn:uuid:")
    if len(payload) > MAX_RECORD_BYTES:
        return ReadFailure(origin, f"{origin}: the page is larger than {MAX_RECORD_BYTES:,} bytes")
    warc_date = headers.get_header("WARC-Date")
    try:
        return article_from_html(
            payload, origin=origin, article_id=article_id, url=url, published=warc_date
        )
    except InputError as exc:
        return ReadFailure(origin, str(exc), id=article_id)


def article_from_html(
    payload: bytes,
    *,
    origin: str,
    article_id: str,
    url: str | None = None,
    published: str | None = None,
) -> Article:
    """An article from an HTML page (as `chronik.reader` reads .html files); `url` and
    `published` fill in what the page's metadata lacks."""
    import trafilatura

    html = reader.decode(payload, origin)
    result = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    extracted = result.as_dict() if hasattr(result, "as_dict") else result
    if not extracted or not (extracted.get("text") or "").strip():
        raise InputError(f"{origin}: no article text found in the HTML page")
    title = (extracted.get("title") or "").strip() or None
    body = extracted["text"].strip()
    # the headline is the first line; the extracted text often starts with it already
    text = body if not title or body.startswith(title) else f"{title}\n{body}"
    return Article(
        id=article_id,
        text=text,
        origin=origin,
        title=title,
        published=extracted.get("date") or (published[:10] if published else None),
        url=url or extracted.get("url"),
        source=extracted.get("sitename") or extracted.get("hostname"),
        language=extracted.get("language"),
    )


# --- RSS and Atom --------------------------------------------------------------------------------


def read_feed(path: Path) -> Iterator[ReadResult]:
    """The entries of an RSS or Atom feed file: title, link, date and the entry's content (or
    its summary) as text. Feeds often carry a teaser only; the article is what the feed holds."""
    import feedparser

    try:
        data = reader._read_bytes(path)  # the reader's size limit and messages
    except InputError as exc:
        yield ReadFailure(str(path), str(exc), id=_stem(path))
        return
    feed = feedparser.parse(data)
    if not feed.entries:
        problem = f" ({feed.bozo_exception})" if feed.get("bozo") else ""
        yield ReadFailure(
            str(path), f"{path}: not an RSS or Atom feed, or a feed without entries{problem}"
        )
        return
    source = (feed.feed.get("title") or "").strip() or None
    language = (feed.feed.get("language") or "")[:2].lower() or None
    for number, entry in enumerate(feed.entries, start=1):
        origin = f"{path}#{number}"
        title = (entry.get("title") or "").strip()
        html = ""
        if entry.get("content"):
            html = entry.content[0].get("value") or ""
        html = html or entry.get("summary") or ""
        body = _html_text(html)
        if not title and not body:
            yield ReadFailure(origin, f"{origin}: the feed entry has neither title nor text")
            continue
        parsed = entry.get("published_parsed") or entry.get("updated_parsed")
        published = (
            f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}" if parsed else None
        )
        yield Article(
            id=str(entry.get("id") or entry.get("link") or f"{_stem(path)}-{number}"),
            text=f"{title}\n{body}" if title and body else (title or body),
            origin=origin,
            title=title or None,
            published=published,
            url=entry.get("link"),
            source=source,
            language=language,
        )


_BLOCK = re.compile(r"<\s*(?:br|/p|/div|/h\d|/li)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_BLANKS = re.compile(r"[ \t\r\f\v]+")


def _html_text(fragment: str) -> str:
    """The text of a feed entry's HTML fragment (a teaser, not a page: no boilerplate to cut)."""
    text = html.unescape(_TAG.sub(" ", _BLOCK.sub("\n", fragment)))
    lines = (_BLANKS.sub(" ", line).strip() for line in text.split("\n"))
    return " ".join(line for line in lines if line)
