"""The corpus commands of `chronik`: run, export, query, spark. Thin wrappers over
`chronik.corpus`, `chronik.export`, `chronik.query` and `chronik.spark`; `register(app)` adds
them to the main command.

Exit codes: 0 success; 1 some articles failed (the rest are stored); 2 usage errors and missing
paths; 3 the database cannot be used (locked, full disk, not a Chronik database); 130
interrupted.
"""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from chronik.cli_options import LanguageOption, PublishedOption
from chronik.errors import ChronikError

DB_HELP = "The event database (DuckDB file)."

err = Console(stderr=True)


def _fail(message: str, code: int) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _fail(f"{option} {value!r} is not an ISO date such as 2023-09-15", 2) from None


# --- run -----------------------------------------------------------------------------------------


def run_command(
    inputs: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Articles: .txt, .html, .jsonl(.gz) corpora, WARC files (.warc, .warc.gz), "
            "RSS/Atom feeds (.rss, .atom, .xml), folders of these.",
            show_default=False,
        ),
    ] = None,
    db: Annotated[Path, typer.Option("--db", help=DB_HELP)] = Path("chronik.duckdb"),
    workers: Annotated[
        int | None,
        typer.Option(
            help="Worker processes analysing articles (default: one per core; 0: analyse in "
            "this process)."
        ),
    ] = None,
    published: PublishedOption = None,
    language: LanguageOption = None,
    retry_failed: Annotated[
        bool,
        typer.Option(
            "--retry-failed",
            help="Analyse articles that failed before again (stored ones without inputs).",
        ),
    ] = False,
    actors: Annotated[
        list[Path] | None,
        typer.Option(
            "--actors",
            help="Extra actor dictionaries (CSV or PETRARCH .actors files), merged with the "
            "built-in knowledge base; may be repeated. A database keeps to the dictionaries "
            "its articles were analysed with (see --reanalyse).",
        ),
    ] = None,
    reanalyse: Annotated[
        bool,
        typer.Option(
            "--reanalyse",
            help="Analyse stored articles that were analysed with other --actors dictionaries "
            "again with this run's, replacing their rows (without it such a run is refused).",
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Analyse a corpus into the event database; stored articles are skipped, so a run that
    was stopped can simply be started again."""
    from chronik import corpus
    from chronik.api import parse_published
    from chronik.errors import InputError
    from chronik.kb import KnowledgeBaseError
    from chronik.store import StoreError

    if not inputs and not retry_failed and not reanalyse:
        raise _fail(
            "give the inputs to analyse (or --retry-failed to retry failures, --reanalyse to "
            "analyse stored articles with other --actors)",
            2,
        )
    for dictionary in actors or []:
        if not dictionary.is_file():
            raise _fail(f"actor dictionary {dictionary} does not exist", 2)
    options = {"actors": list(actors or []), "reanalyse": reanalyse}
    try:
        if published is not None:
            parse_published(published)
        from chronik.sources import expand

        expand(inputs or [])
    except InputError as exc:
        raise _fail(str(exc), 2) from None

    progress_bar = None if quiet or not err.is_terminal else _progress_bar()
    try:
        if progress_bar is None:
            stats = corpus.run(
                inputs or [],
                db=db,
                workers=workers,
                published=published,
                language=language,
                retry_failed=retry_failed,
                **options,
            )
        else:
            with progress_bar as bar:
                task = bar.add_task("analysing", total=None)

                def update(stats: corpus.RunStats, read: object) -> None:
                    bar.update(
                        task,
                        total=getattr(read, "total_bytes", 0) or None,
                        completed=getattr(read, "done_bytes", 0),
                        description=(
                            f"{stats.stored} stored · {stats.skipped} skipped · "
                            f"{stats.failed} failed · {stats.rate:.1f} articles/s"
                        ),
                    )

                stats = corpus.run(
                    inputs or [],
                    db=db,
                    workers=workers,
                    published=published,
                    language=language,
                    retry_failed=retry_failed,
                    on_progress=update,
                    **options,
                )
    except StoreError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    except KnowledgeBaseError as exc:
        raise _fail(str(exc), 2) from None
    except ChronikError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    _summary(stats, db)
    if stats.failed:
        for reason in stats.failures[:5]:
            err.print(f"[bold red]failed:[/] {reason}", highlight=False, soft_wrap=True)
        more = stats.failed - min(5, len(stats.failures))
        if more > 0:
            err.print(f"... and {more} more (see the failures table)", highlight=False)
        raise typer.Exit(1)


def _progress_bar():  # type: ignore[no-untyped-def]
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    )


def _summary(stats, db: Path) -> None:  # type: ignore[no-untyped-def]
    table = Table(title=f"run into {db}", title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    for label, value in (
        ("articles read", stats.articles),
        ("stored (analysed)", stats.stored),
        ("re-analysed (other --actors)", stats.reanalysed),
        ("already stored (skipped)", stats.skipped),
        ("syndicated copies", stats.duplicates),
        ("failed", stats.failed),
        ("failed before (not retried)", stats.previously_failed),
        ("events", stats.events),
        ("quotes", stats.quotes),
        ("seconds", f"{stats.elapsed:.1f}"),
        ("articles/s", f"{stats.rate:.1f}"),
    ):
        table.add_row(label, str(value))
    err.print(table)


# --- export --------------------------------------------------------------------------------------


class ExportFormat(StrEnum):
    gdelt = "gdelt"
    plover = "plover"
    parquet = "parquet"
    csv = "csv"


def export_command(
    export_format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            help="gdelt: GDELT 2.0 event table (61 tab-separated columns); plover: PLOVER JSON "
            "Lines (POLECAT fields); parquet: a folder of datasets partitioned by date; csv: "
            "events.csv, quotes.csv, actors.csv in a folder.",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="File (gdelt, plover; default stdout) or folder (parquet, csv)."
        ),
    ] = None,
    db: Annotated[Path, typer.Option("--db", help=DB_HELP)] = Path("chronik.duckdb"),
    start: Annotated[
        str | None, typer.Option("--from", help="First day (ISO) of the events.")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day (ISO) of the events.")] = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Write into a non-empty output folder.")
    ] = False,
) -> None:
    """Export the event database as GDELT, PLOVER, Parquet or CSV."""
    from chronik import export
    from chronik.store import Store

    period = export.Period(_day(start, "--from"), _day(end, "--to"))
    if export_format in (ExportFormat.parquet, ExportFormat.csv) and output is None:
        raise _fail(f"--format {export_format.value} writes a folder: give it with --output", 2)
    try:
        with Store(db, read_only=True) as store:
            if export_format is ExportFormat.parquet:
                assert output is not None
                counts = export.write_parquet(store, output, period=period, overwrite=overwrite)
                err.print(_counts(counts, output), highlight=False)
            elif export_format is ExportFormat.csv:
                assert output is not None
                counts = export.write_csv(store, output, period=period, overwrite=overwrite)
                err.print(_counts(counts, output), highlight=False)
            else:
                handle = sys.stdout if output is None else output.open("w", encoding="utf-8")
                try:
                    if export_format is ExportFormat.gdelt:
                        written, left = export.write_gdelt(export.event_rows(store, period), handle)
                        note = f" ({left} negated or undated events left out)" if left else ""
                        err.print(f"{written} GDELT events{note}", highlight=False)
                    else:
                        written = export.write_plover(store, handle, period)
                        err.print(f"{written} PLOVER events", highlight=False)
                finally:
                    if output is not None:
                        handle.close()
    except ChronikError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    except OSError as exc:
        raise _fail(f"{output}: cannot write ({exc.strerror or exc})", 1) from None


def _counts(counts: dict[str, int], output: Path) -> str:
    return f"{output}: " + ", ".join(f"{table} {n}" for table, n in counts.items())


# --- query ---------------------------------------------------------------------------------------


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


FormatOption = Annotated[OutputFormat, typer.Option("--format", help="table (rich), csv or json.")]
FromOption = Annotated[str | None, typer.Option("--from", help="First day (ISO).")]
ToOption = Annotated[str | None, typer.Option("--to", help="Last day (ISO).")]
DbOption = Annotated[Path, typer.Option("--db", help=DB_HELP)]

query_app = typer.Typer(
    help="Ask the event database: events, dyads, quotes.",
    no_args_is_help=True,
    add_completion=False,
)


def _show(result, output_format: OutputFormat, title: str) -> None:  # type: ignore[no-untyped-def]
    if output_format is OutputFormat.json:
        sys.stdout.write(result.to_json() + "\n")
        return
    if output_format is OutputFormat.csv:
        sys.stdout.write(result.to_csv())
        return
    table = Table(title=f"{title}: {len(result.rows)}", title_justify="left")
    for column in result.columns:
        table.add_column(column, overflow="fold")
    for row in result.rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    Console().print(table)


def _query(run):  # type: ignore[no-untyped-def]
    from chronik.store import Store

    def wrapped(db: Path):  # type: ignore[no-untyped-def]
        try:
            with Store(db, read_only=True) as store:
                return run(store)
        except ChronikError as exc:
            raise _fail(str(exc), exc.exit_code) from None

    return wrapped


@query_app.command("events")
def query_events(
    actor: Annotated[
        str | None,
        typer.Option(help="Either side: a country (RUS), actor code (RUSGOV), KB id or name."),
    ] = None,
    source: Annotated[str | None, typer.Option(help="The acting side (as --actor).")] = None,
    target: Annotated[str | None, typer.Option(help="The side acted upon (as --actor).")] = None,
    event_type: Annotated[
        str | None, typer.Option("--type", help="PLOVER type (THREATEN) or CAMEO code (13).")
    ] = None,
    start: FromOption = None,
    end: ToOption = None,
    negated: Annotated[bool, typer.Option("--negated", help="Include negated events.")] = False,
    limit: Annotated[int, typer.Option(help="At most this many events.")] = 100,
    output_format: FormatOption = OutputFormat.table,
    db: DbOption = Path("chronik.duckdb"),
) -> None:
    """Events aggregated over articles, newest first."""
    from chronik import query

    first, last = _day(start, "--from"), _day(end, "--to")
    result = _query(
        lambda store: query.events(
            store,
            actor=actor,
            source=source,
            target=target,
            event_type=event_type,
            start=first,
            end=last,
            include_negated=negated,
            limit=limit,
        )
    )(db)
    _show(result, output_format, "events")


@query_app.command("dyads")
def query_dyads(
    start: FromOption = None,
    end: ToOption = None,
    by: Annotated[str | None, typer.Option(help="Count per day, week, month or year.")] = None,
    negated: Annotated[bool, typer.Option("--negated", help="Include negated events.")] = False,
    output_format: FormatOption = OutputFormat.table,
    db: DbOption = Path("chronik.duckdb"),
) -> None:
    """Events per source-target pair and quad class."""
    from chronik import query

    first, last = _day(start, "--from"), _day(end, "--to")
    result = _query(
        lambda store: query.dyads(store, start=first, end=last, by=by, include_negated=negated)
    )(db)
    _show(result, output_format, "dyads")


@query_app.command("quotes")
def query_quotes(
    speaker: Annotated[
        str | None, typer.Option(help="Part of the speaker's name (Putin) or a KB id.")
    ] = None,
    start: FromOption = None,
    end: ToOption = None,
    limit: Annotated[int, typer.Option(help="At most this many quotes.")] = 100,
    output_format: FormatOption = OutputFormat.table,
    db: DbOption = Path("chronik.duckdb"),
) -> None:
    """Attributed quotes, newest first."""
    from chronik import query

    first, last = _day(start, "--from"), _day(end, "--to")
    result = _query(
        lambda store: query.quotes(store, speaker=speaker, start=first, end=last, limit=limit)
    )(db)
    _show(result, output_format, "quotes")


# --- spark ---------------------------------------------------------------------------------------


def spark_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="JSONL(.gz) or WARC files or folders, any path Spark reads (file://, hdfs://, "
            "s3a://), then the OUTPUT folder last.",
            show_default=False,
        ),
    ],
    master: Annotated[
        str | None,
        typer.Option(help="Spark master, e.g. local[2]; default: spark-submit's or local[*]."),
    ] = None,
    published: PublishedOption = None,
    language: LanguageOption = None,
    partitions: Annotated[
        int | None, typer.Option(help="Partitions to analyse in (default: Spark's).")
    ] = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace an existing OUTPUT folder.")
    ] = False,
    actors: Annotated[
        list[Path] | None,
        typer.Option(
            "--actors",
            help="Extra actor dictionaries (CSV or PETRARCH .actors files, local), read here "
            "and shipped to the executors; may be repeated.",
        ),
    ] = None,
) -> None:
    """Analyse a corpus with PySpark into Parquet datasets of the export schema."""
    if len(inputs) < 2:
        raise _fail("give at least one INPUT and the OUTPUT folder", 2)
    for dictionary in actors or []:
        if not dictionary.is_file():
            raise _fail(f"actor dictionary {dictionary} does not exist", 2)
    try:
        from chronik import spark
    except ImportError:
        raise _fail("PySpark is not installed: pip install 'chronik[spark]'", 2) from None
    try:
        counts = spark.run_job(
            inputs[:-1],
            inputs[-1],
            master=master,
            published=published,
            language=language,
            partitions=partitions,
            overwrite=overwrite,
            actors=list(actors or []),
        )
    except ChronikError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    err.print(_counts(counts, Path(inputs[-1])), highlight=False)


def register(app: typer.Typer) -> None:
    """Add the corpus commands to the `chronik` command."""
    app.command("run")(run_command)
    app.command("export")(export_command)
    app.add_typer(query_app, name="query")
    app.command("spark")(spark_command)
