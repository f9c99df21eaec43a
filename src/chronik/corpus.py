"""Corpus runs: stream the articles of many files into the event database.

The parent process reads the inputs, keys each article by a hash of its text, and skips what the
database already holds (or what failed before, unless `retry_failed`) before any analysis.
Syndicated copies (the same words, or a near-identical text) are stored as pointers to the first
copy without analysis. The rest go to N worker processes (each builds the pipeline once) and
come back as rows, which the parent alone writes, a batch of whole articles per transaction. A
run killed at any point leaves whole articles only; running it again stores the rest.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from chronik import sources, store
from chronik.errors import ChronikError, UnsupportedLanguageError
from chronik.reader import Article, ReadFailure, ReadResult
from chronik.store import ArticleRows, Failure, Store

if TYPE_CHECKING:
    from chronik.kb import ActorDictionary, KnowledgeBase

#: articles keyed and looked up in the database together
CHUNK = 64
#: a batch is committed when it holds this many articles or is this old (seconds)
BATCH_ARTICLES = 32
BATCH_SECONDS = 2.0
#: tasks queued per worker, so workers never wait for the parent and memory stays bounded
QUEUE_PER_WORKER = 4

DEFAULT_DB = "chronik.duckdb"
#: failure reasons kept in `RunStats.failures` (all are in the database's failures table)
MAX_REASONS = 50


class RunInterrupted(ChronikError):
    """The run was interrupted; what was stored stays stored."""

    exit_code = 130


class DictionariesChanged(ChronikError):
    """The database holds articles analysed with other actor dictionaries than this run's."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class Dictionaries:
    """The users' actor dictionaries of a run (`--actors`), read once in the parent and sent
    to the workers; `fingerprint` names their contents ('' for none: the built-in knowledge
    base only). It is stored with every analysed article."""

    paths: tuple[str, ...] = ()
    dictionaries: tuple[ActorDictionary, ...] = ()
    fingerprint: str = ""

    @staticmethod
    def load(paths: Sequence[str | Path]) -> Dictionaries:
        """Read the dictionaries (CSV or PETRARCH/TABARI, as `chronik process --actors`);
        raises `KnowledgeBaseError` for a missing or unreadable file."""
        if not paths:
            return Dictionaries()
        from chronik.kb.importers import load_dictionary

        loaded = tuple(load_dictionary(path) for path in paths)
        return Dictionaries(tuple(str(p) for p in paths), loaded, dictionaries_fingerprint(paths))

    def knowledge(self) -> KnowledgeBase | None:
        if not self.dictionaries:
            return None
        from chronik.kb import KnowledgeBase

        # as `chronik process --actors`: imported entries add names, never replace built-ins
        return KnowledgeBase.default().extended(self.dictionaries, override=False)


def dictionaries_fingerprint(paths: Sequence[str | Path]) -> str:
    """A hash of the dictionaries' contents, in order (the order decides which entry wins a
    name); '' for none. The same files under other names give the same fingerprint."""
    if not paths:
        return ""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
    return digest.hexdigest()[:16]


@dataclass(slots=True)
class RunStats:
    """What one run did; `articles` counts everything read (articles and read failures)."""

    articles: int = 0
    stored: int = 0
    skipped: int = 0
    duplicates: int = 0
    failed: int = 0
    previously_failed: int = 0
    retried: int = 0
    #: stored articles analysed again with this run's actor dictionaries (`reanalyse`)
    reanalysed: int = 0
    events: int = 0
    mentions: int = 0
    quotes: int = 0
    actors: int = 0
    analysed: int = 0
    started: float = field(default_factory=time.monotonic)
    elapsed: float = 0.0
    failures: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Articles analysed per second."""
        return self.analysed / self.elapsed if self.elapsed > 0 else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "articles": self.articles,
            "stored": self.stored,
            "skipped": self.skipped,
            "duplicates": self.duplicates,
            "failed": self.failed,
            "previously_failed": self.previously_failed,
            "retried": self.retried,
            "reanalysed": self.reanalysed,
            "events": self.events,
            "mentions": self.mentions,
            "quotes": self.quotes,
            "actors": self.actors,
            "seconds": round(self.elapsed, 2),
            "articles_per_second": round(self.rate, 2),
        }


ProgressCallback = Callable[[RunStats, sources.ReadProgress], None]


# --- the worker side -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Task:
    doc_key: str
    article: Article
    published: str | None
    language: str | None
    signature: list[int] | None = None
    #: fingerprint of the actor dictionaries to analyse with ('' for none)
    dictionaries: str = ""
    #: the article is stored (analysed with other dictionaries): replace its rows
    replaces: bool = False


#: the knowledge base of each set of dictionaries this process analyses with, by fingerprint
#: (set by the worker initializer; a process-local cache like the pipeline's)
_knowledge: dict[str, KnowledgeBase | None] = {"": None}


def _init_worker(
    language: str | None, dictionaries: Dictionaries | None = None, owned: bool = False
) -> None:
    """Build the pipeline once per worker process, before its first article (with the
    users' actor dictionaries merged into the knowledge base, when there are any). `owned`: the
    process is Chronik's own (a pool or Spark worker), whose loaded models the cycle collector
    may then skip (`pipeline.freeze_loaded`)."""
    from chronik.pipeline import default_pipeline, freeze_loaded

    if dictionaries is not None and dictionaries.fingerprint not in _knowledge:
        _knowledge[dictionaries.fingerprint] = dictionaries.knowledge()
    with contextlib.suppress(ChronikError):
        default_pipeline(language or "de")
        if dictionaries is not None and dictionaries.fingerprint:
            from chronik.api import _pipeline

            _pipeline(language or "de", _knowledge[dictionaries.fingerprint])
    if owned:
        freeze_loaded()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def analyse(task: _Task) -> ArticleRows | Failure:
    """Analyse one article into its rows, or the reason it failed (never raises)."""
    from chronik.process import analyze_article

    article = task.article
    try:
        knowledge = _knowledge.get(task.dictionaries)
        if task.dictionaries and knowledge is None:
            raise ChronikError("the actor dictionaries were not sent to this worker process")
        doc = analyze_article(
            article, published=task.published, language=task.language, knowledge=knowledge
        )
        rows = store.article_rows(
            article,
            doc.to_dict(),
            doc_key=task.doc_key,
            added=_now(),
            signature=task.signature,
            actor_dictionaries=task.dictionaries,
            mentions=[{"actor": m.actor, "start": m.start, "end": m.end} for m in doc.mentions],
        )
        rows.replaces = task.replaces
        return rows
    except UnsupportedLanguageError as exc:
        # not an error to retry, and no text to keep: a crawl holds many such pages
        return Failure(task.doc_key, article.origin, str(exc), "language", article.id)
    except ChronikError as exc:
        reason = str(exc)
    except Exception as exc:  # a defect on one article must not end a run of millions
        reason = f"internal error while analysing: {type(exc).__name__}: {exc}"
    return Failure(
        task.doc_key, article.origin, reason, "analyse", article.id, store.article_payload(article)
    )


class _InlineExecutor(Executor):
    """Analysis in the calling process (workers=0): for debugging and small runs."""

    def __init__(self, language: str | None, dictionaries: Dictionaries) -> None:
        _init_worker(language, dictionaries)

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _executor(workers: int, language: str | None, dictionaries: Dictionaries) -> Executor:
    if workers == 0:
        return _InlineExecutor(language, dictionaries)
    # spawn: a clean interpreter per worker (no forked DuckDB connection or threads); the
    # dictionaries travel pickled, once per worker
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(language, dictionaries, True),
    )


# --- the parent: dedupe, dispatch, write ---------------------------------------------------------


class _Copies:
    """Documents of this run not yet committed (copies included), for copy detection: each
    maps to the first copy of its text."""

    def __init__(self) -> None:
        self.by_norm: dict[str, str] = {}
        self.by_band: dict[int, dict[str, tuple[list[int], str]]] = {}
        self.keys: dict[str, tuple[str, list[int] | None]] = {}

    def add(self, doc_key: str, norm: str, signature: list[int] | None, first: str) -> None:
        self.by_norm.setdefault(norm, first)
        self.keys[doc_key] = (norm, signature)
        if signature is not None:
            for band in store.minhash_bands(signature):
                self.by_band.setdefault(band, {})[doc_key] = (signature, first)

    def discard(self, doc_key: str) -> None:
        found = self.keys.pop(doc_key, None)
        if found is None:
            return
        norm, signature = found
        if self.by_norm.get(norm) == doc_key:
            del self.by_norm[norm]
        if signature is not None:
            for band in store.minhash_bands(signature):
                bucket = self.by_band.get(band)
                if bucket is not None:
                    bucket.pop(doc_key, None)
                    if not bucket:
                        del self.by_band[band]

    def find(self, norm: str, signature: list[int] | None) -> str | None:
        if norm in self.by_norm:
            return self.by_norm[norm]
        if signature is None:
            return None
        for band in store.minhash_bands(signature):
            for other, first in self.by_band.get(band, {}).values():
                if store.similarity(signature, other) >= store.NEAR_JACCARD:
                    return first
        return None


class _Run:
    def __init__(
        self,
        db: Store,
        *,
        workers: int,
        published: str | None,
        language: str | None,
        retry_failed: bool,
        on_progress: ProgressCallback | None,
        batch_articles: int,
        dictionaries: Dictionaries,
    ) -> None:
        self.db = db
        self.dictionaries = dictionaries
        self.batch_articles = batch_articles
        self.workers = workers
        self.published = published
        self.language = language
        self.retry_failed = retry_failed
        self.on_progress = on_progress
        self.stats = RunStats()
        self.progress = sources.ReadProgress()
        self.pending: dict[Future, _Task] = {}
        self.inflight: set[str] = set()
        self.copies = _Copies()
        self.rows: list[ArticleRows] = []
        self.failures: list[Failure] = []
        self.resolved: list[str] = []
        self.last_flush = time.monotonic()
        self.executor: Executor | None = None

    # -- the loop

    def execute(
        self,
        items: Iterable[ReadResult],
        retries: list[Article],
        replacements: Iterable[Article] = (),
    ) -> RunStats:
        self.executor = _executor(self.workers, self.language, self.dictionaries)
        limit = max(1, self.workers) * QUEUE_PER_WORKER
        try:
            for chunk in _chunks(_chain(replacements, retries, items), CHUNK):
                for task in self._triage(chunk):
                    while len(self.pending) >= limit:
                        self._collect(block=True)
                    self._submit(task)
                self._collect(block=False)
                self._maybe_flush()
            while self.pending:
                self._collect(block=True)
                self._maybe_flush()
            self._flush()
        except KeyboardInterrupt:
            self._shutdown(cancel=True)
            self._collect(block=False)
            self._flush()
            raise RunInterrupted(
                f"interrupted: {self.stats.stored} articles stored in this run. Run the same "
                "command again to continue; stored articles are skipped."
            ) from None
        finally:
            self._shutdown(cancel=True)
        self.stats.elapsed = time.monotonic() - self.stats.started
        self._report()
        return self.stats

    def _shutdown(self, *, cancel: bool) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=cancel)
            self.executor = None

    def _submit(self, task: _Task) -> None:
        assert self.executor is not None
        try:
            future = self.executor.submit(analyse, task)
        except BrokenProcessPool:
            self._worker_died()
            assert self.executor is not None
            future = self.executor.submit(analyse, task)
        self.pending[future] = task
        self.inflight.add(task.doc_key)

    def _triage(self, chunk: list[tuple[ReadResult, str]]) -> Iterator[_Task]:
        """Skip what is stored (or failed before), store copies, yield what to analyse."""
        keyed: list[tuple[Article, str, bool]] = []
        for item, kind in chunk:
            if kind == REPLACE:
                # stored, analysed with other dictionaries: analyse again, replace its rows
                assert isinstance(item, Article)
                key = store.content_key(item.text)
                if key in self.inflight:
                    continue
                self.inflight.add(key)
                yield self._task(key, item, None, replaces=True)
                continue
            self.stats.articles += 1
            if isinstance(item, ReadFailure):
                self._note_failure(item.reason)
                key = store.read_failure_key(item.origin)
                self.failures.append(Failure(key, item.origin, item.reason, "read", item.id))
                continue
            keyed.append((item, store.content_key(item.text), kind == RETRY))
        if not keyed:
            return
        keys = [key for _, key, _ in keyed]
        stored = self.db.stored(keys)
        failed = self.db.failed(keys)
        fresh: list[tuple[Article, str, str, list[int] | None]] = []
        seen: set[str] = set()
        for article, key, retry in keyed:
            if key in stored or key in self.inflight or key in seen:
                self.stats.skipped += 1
                self.resolved.append(article.origin)
                continue
            if key in failed and not (retry or self.retry_failed):
                self.stats.previously_failed += 1
                continue
            if key in failed:
                self.stats.retried += 1
            seen.add(key)
            fresh.append((article, key, store.norm_key(article.text), store.minhash(article.text)))
        bands = [band for f in fresh if f[3] is not None for band in store.minhash_bands(f[3])]
        by_norm, near = self.db.find_copies([f[2] for f in fresh], bands)
        for article, key, norm, signature in fresh:
            self.inflight.add(key)
            original = (
                by_norm.get(norm) or _near(signature, near) or self.copies.find(norm, signature)
            )
            self.copies.add(key, norm, signature, original or key)
            if original is not None:
                self.stats.duplicates += 1
                self.rows.append(
                    store.duplicate_rows(
                        article, doc_key=key, of=original, added=_now(), signature=signature
                    )
                )
                continue
            yield self._task(key, article, signature)

    def _task(
        self, key: str, article: Article, signature: list[int] | None, *, replaces: bool = False
    ) -> _Task:
        return _Task(
            key,
            article,
            self.published,
            self.language,
            signature,
            self.dictionaries.fingerprint,
            replaces,
        )

    def _collect(self, *, block: bool) -> None:
        if not self.pending:
            return
        done, _ = wait(
            list(self.pending), timeout=None if block else 0, return_when=FIRST_COMPLETED
        )
        for future in done:
            task = self.pending.pop(future)
            try:
                result = future.result()
            except BrokenProcessPool:
                self.pending[future] = task
                self._worker_died()
                return
            self._record(task, result)

    def _record(self, task: _Task, result: ArticleRows | Failure) -> None:
        self.stats.analysed += 1
        if isinstance(result, Failure):
            self._note_failure(result.reason)
            self.failures.append(result)
        else:
            self.rows.append(result)

    def _note_failure(self, reason: str) -> None:
        self.stats.failed += 1
        if len(self.stats.failures) < MAX_REASONS:
            self.stats.failures.append(reason)

    def _worker_died(self) -> None:
        """A worker process died (killed, out of memory): every article it may have held is
        recorded as failed (retryable) and the pool is started again."""
        reason = "the worker process analysing it died (out of memory or killed?)"
        for task in self.pending.values():
            article = task.article
            self._record(
                task,
                Failure(
                    task.doc_key,
                    article.origin,
                    reason,
                    "analyse",
                    article.id,
                    store.article_payload(article),
                ),
            )
        self.pending.clear()
        self._shutdown(cancel=True)
        self.executor = _executor(self.workers, self.language, self.dictionaries)

    def _maybe_flush(self) -> None:
        waiting = len(self.rows) + len(self.failures)
        if waiting >= self.batch_articles or (
            waiting and time.monotonic() - self.last_flush >= BATCH_SECONDS
        ):
            self._flush()
        elif self.on_progress is not None:
            self._report()

    def _flush(self) -> None:
        if self.rows or self.failures or self.resolved:
            self.db.write(self.rows, self.failures, resolved_origins=self.resolved)
        for article in self.rows:
            self.inflight.discard(article.doc_key)
            self.copies.discard(article.doc_key)
            if article.replaces:
                self.stats.reanalysed += 1
            elif article.tables.get("documents", [{}])[0].get("duplicate_of") is None:
                self.stats.stored += 1
                self.stats.events += article.count("doc_events")
                self.stats.mentions += article.count("event_mentions")
                self.stats.quotes += article.count("quotes")
                self.stats.actors += article.count("actors")
        for failure in self.failures:
            self.inflight.discard(failure.failure_key)
            self.copies.discard(failure.failure_key)
        self.rows, self.failures, self.resolved = [], [], []
        self.last_flush = time.monotonic()
        self._report()

    def _report(self) -> None:
        if self.on_progress is not None:
            self.stats.elapsed = time.monotonic() - self.stats.started
            self.on_progress(self.stats, self.progress)


def _near(signature: list[int] | None, near: list[tuple[list[int], str]]) -> str | None:
    if signature is None:
        return None
    for other, canonical in near:
        if store.similarity(signature, other) >= store.NEAR_JACCARD:
            return canonical
    return None


#: where an item of a run comes from: stored articles analysed with other actor dictionaries
#: (`reanalyse`), earlier failures (`retry_failed`), the inputs
REPLACE, RETRY, READ = "replace", "retry", "read"


def _chain(
    replacements: Iterable[Article], retries: list[Article], items: Iterable[ReadResult]
) -> Iterator[tuple[ReadResult, str]]:
    for article in replacements:
        yield article, REPLACE
    for article in retries:
        yield article, RETRY
    for item in items:
        yield item, READ


def _stored(db: Store, keys: list[str]) -> Iterator[Article]:
    """The stored articles of `keys`, fetched a chunk at a time (a corpus may hold millions)."""
    for start in range(0, len(keys), CHUNK):
        yield from db.stored_articles(keys[start : start + CHUNK])


def _chunks(items: Iterable[tuple[ReadResult, str]], size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def run(
    inputs: Iterable[str | Path],
    *,
    db: str | Path = DEFAULT_DB,
    workers: int | None = None,
    published: str | None = None,
    language: str | None = None,
    retry_failed: bool = False,
    on_progress: ProgressCallback | None = None,
    batch_articles: int = BATCH_ARTICLES,
    actors: Sequence[str | Path] = (),
    reanalyse: bool = False,
) -> RunStats:
    """Analyse every article of `inputs` into the event database `db`.

    `workers`: analysing processes (default: one per core; 0 analyses in this process).
    `published` / `language` fill in what an article lacks. With `retry_failed`, articles that
    failed before are analysed again: those stored with their text, and those in `inputs`.
    `batch_articles`: articles per transaction (fewer: less lost work on a crash, slower).
    `actors`: users' actor dictionaries (CSV or PETRARCH/TABARI files, as `chronik process
    --actors`) merged into the knowledge base of every worker. Each analysed article keeps the
    fingerprint of the dictionaries it was analysed with; a database holding articles analysed
    with other dictionaries is refused (`DictionariesChanged`) unless `reanalyse`, which analyses
    those stored articles again (from their stored text) and replaces their rows.

    Raises `MissingInputError` before anything is done when an input does not exist, and a
    `StoreError` (locked, full disk, ...) when the database cannot be written; every batch
    committed before stays committed."""
    inputs = list(inputs)
    paths = sources.expand(inputs) if inputs else []
    workers = default_workers() if workers is None else workers
    if workers < 0:
        raise ChronikError(f"--workers must be 0 or more, not {workers}")
    dictionaries = Dictionaries.load(actors)
    started = _now()
    with Store(db) as database:
        others = database.analysed_with_other_dictionaries(dictionaries.fingerprint)
        if others and not reanalyse:
            raise DictionariesChanged(_mixed_message(database, dictionaries, len(others)))
        retries = (
            [store.article_from_payload(f["payload"]) for f in database.failures(with_payload=True)]
            if retry_failed
            else []
        )
        job = _Run(
            database,
            workers=workers,
            published=published,
            language=language,
            retry_failed=retry_failed,
            on_progress=on_progress,
            batch_articles=max(1, batch_articles),
            dictionaries=dictionaries,
        )
        items = sources.read(paths, job.progress) if paths else iter(())
        stats = job.execute(items, retries, _stored(database, others))
        database.record_run(
            {
                "run_id": f"{started:%Y%m%dT%H%M%S}-{os.getpid()}",
                "started": started,
                "finished": _now(),
                "inputs": "\n".join(str(p) for p in inputs),
                "workers": workers,
                "articles_read": stats.articles,
                "articles_stored": stats.stored,
                "skipped": stats.skipped,
                "duplicates": stats.duplicates,
                "failures": stats.failed,
                "actor_dictionaries": dictionaries.fingerprint,
            }
        )
    return stats


def _mixed_message(database: Store, dictionaries: Dictionaries, count: int) -> str:
    used = {
        fp or "none (built-in knowledge base)": n for fp, n in database.dictionaries_used().items()
    }
    described = ", ".join(f"{fp}: {n}" for fp, n in used.items())
    this = (
        f"the actor dictionaries {', '.join(dictionaries.paths)} (fingerprint "
        f"{dictionaries.fingerprint})"
        if dictionaries.fingerprint
        else "no actor dictionaries"
    )
    return (
        f"{database.path}: {count} stored articles were analysed with other actor dictionaries "
        f"than this run's {this} (stored articles by dictionaries' fingerprint: {described}). "
        "Mixing them would code the same actor differently across articles. Run with the same "
        "--actors files as before, use another --db, or add --reanalyse to analyse the stored "
        "articles again with these dictionaries (their rows are replaced)."
    )
