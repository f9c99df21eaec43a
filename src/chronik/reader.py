"""Reading articles from files: plain text, HTML, JSON Lines corpora and folders of these.

Reading never stops at a bad article: each input yields either an `Article` or a `ReadFailure`
with the reason (a broken JSONL line names its line number), so nothing is silently dropped.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chronik.errors import InputError, MissingInputError

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES
#: files larger than this are refused before reading (a corpus file is read line by line)
MAX_FILE_BYTES = 20_000_000


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    text: str
    origin: str
    title: str | None = None
    published: str | None = None
    url: str | None = None
    source: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class ReadFailure:
    origin: str
    reason: str
    id: str | None = None


ReadResult = Article | ReadFailure


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def _stem(path: Path) -> str:
    name = path.name
    suffix = _suffix(path)
    return name[: -len(suffix)] if name.lower().endswith(suffix) else path.stem


def expand(inputs: Iterable[str | Path]) -> list[Path]:
    """Input paths with folders replaced by the readable files inside them (sorted).

    Raises `MissingInputError` for a path that does not exist."""
    files: list[Path] = []
    for item in inputs:
        path = Path(item)
        if not path.exists():
            raise MissingInputError(f"{path}: no such file or folder")
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and _suffix(p) in SUFFIXES)
            if not found:
                raise InputError(
                    f"{path}: the folder holds no {', '.join(SUFFIXES)} files to analyse"
                )
            files.extend(found)
        else:
            files.append(path)
    return files


def decode(data: bytes, origin: str) -> str:
    """Text from bytes: UTF-8 (with or without BOM), else the encoding charset-normalizer finds.

    Raises `InputError` for empty or binary content."""
    if not data.strip():
        raise InputError(f"{origin}: the file is empty")
    if b"\x00" in data[:8192]:
        raise InputError(f"{origin}: this is a binary file, not a text article")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(
            f"{origin}: the text is not UTF-8 and its encoding cannot be detected; "
            "convert it to UTF-8"
        )
    return str(best)


def read_text_file(path: Path) -> Article:
    data = _read_bytes(path)
    text = decode(data, str(path))
    return Article(id=_stem(path), text=text, origin=str(path))


def read_html_file(path: Path) -> Article:
    import trafilatura

    html = decode(_read_bytes(path), str(path))
    result = trafilatura.bare_extraction(html, with_metadata=True)
    extracted = result.as_dict() if hasattr(result, "as_dict") else result
    if not extracted or not (extracted.get("text") or "").strip():
        raise InputError(f"{path}: no article text found in the HTML page")
    title = (extracted.get("title") or "").strip() or None
    body = extracted["text"].strip()
    text = f"{title}\n{body}" if title else body
    return Article(
        id=_stem(path),
        text=text,
        origin=str(path),
        title=title,
        published=extracted.get("date"),
        url=extracted.get("url"),
        source=extracted.get("sitename") or extracted.get("hostname"),
        language=extracted.get("language"),
    )


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                f"{path}: {size:,} bytes is larger than the limit of {MAX_FILE_BYTES:,} bytes "
                "for one article; put many articles into a .jsonl corpus instead"
            )
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc


def article_from_record(record: Any, origin: str) -> Article:
    """An `Article` from one JSONL object with `id`, `text` and optional metadata."""
    if not isinstance(record, dict):
        raise InputError(f"{origin}: expected a JSON object, found {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{origin}: the object has no non-empty 'text'")
    article_id = record.get("id")
    if article_id is None or str(article_id).strip() == "":
        raise InputError(f"{origin}: the object has no 'id'")

    def optional(key: str) -> str | None:
        value = record.get(key)
        return None if value is None else str(value)

    return Article(
        id=str(article_id),
        text=text,
        origin=origin,
        title=optional("title"),
        published=optional("published"),
        url=optional("url"),
        source=optional("source"),
        language=optional("language"),
    )


def read_jsonl_file(path: Path) -> Iterator[ReadResult]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                origin = f"{path}:{number}"
                if not raw.strip():
                    continue
                try:
                    line = raw.decode("utf-8-sig")
                    yield article_from_record(json.loads(line), f"{path}: line {number}")
                except UnicodeDecodeError:
                    yield ReadFailure(origin, f"{path}: line {number} is not valid UTF-8")
                except json.JSONDecodeError as exc:
                    reason = f"{path}: line {number} is not valid JSON ({exc.msg})"
                    yield ReadFailure(origin, reason)
                except InputError as exc:
                    yield ReadFailure(origin, str(exc))
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield ReadFailure(str(path), f"{path}: cannot read the corpus to its end ({exc})")


def read(inputs: Iterable[str | Path]) -> Iterator[ReadResult]:
    """Every article of the inputs, in input order, or a failure in its place."""
    for path in expand(inputs):
        suffix = _suffix(path)
        try:
            if suffix in JSONL_SUFFIXES:
                yield from read_jsonl_file(path)
            elif suffix in HTML_SUFFIXES:
                yield read_html_file(path)
            else:
                yield read_text_file(path)
        except InputError as exc:
            yield ReadFailure(str(path), str(exc), id=_stem(path))
