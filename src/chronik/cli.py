"""The `chronik` command: thin wrappers over the library's functions.

Exit codes: 0 when every article was analysed, 1 when some failed, 2 for usage errors and
missing paths.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.table import Table

from chronik.cli_corpus import register as register_corpus_commands
from chronik.cli_options import LanguageOption, PublishedOption
from chronik.errors import ChronikError, MissingInputError

app = typer.Typer(
    help="Chronik: political event data and attributed quotes from news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


def _fail(message: str, code: int) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


@app.command()
def process(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="Articles: .txt (first line is the headline), .html, .jsonl corpora, folders."
        ),
    ],
    published: PublishedOption = None,
    language: LanguageOption = None,
    output_format: Annotated[
        Format | None,
        typer.Option(
            "--format",
            help="table: a readable report (default on a terminal); json; jsonl: one contract "
            "object per article (default otherwise).",
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
    actors: Annotated[
        list[Path] | None,
        typer.Option(
            "--actors",
            help="Extra actor dictionaries (CSV or PETRARCH .actors files), merged with the "
            "built-in knowledge base; may be repeated.",
        ),
    ] = None,
) -> None:
    """Analyse articles: events, quotes, actors, times and places."""
    from chronik.api import parse_published
    from chronik.process import process as run

    knowledge = None
    try:
        if actors:
            from chronik.kb import KnowledgeBase

            knowledge = KnowledgeBase.default().extended(actors, override=False)
        if published is not None:
            parse_published(published)
        # expand paths first so a missing path fails before any work (exit code 2)
        from chronik.reader import expand

        expand(inputs)
    except MissingInputError as exc:
        raise _fail(str(exc), 2) from None
    except ChronikError as exc:
        raise _fail(str(exc), 2) from None

    fmt = output_format or (
        Format.table if output is None and sys.stdout.isatty() else Format.jsonl
    )
    failures = 0
    total = 0
    handle: TextIO = sys.stdout if output is None else output.open("w", encoding="utf-8")
    console = Console(file=handle) if fmt is Format.table else None
    collected: list[dict[str, Any]] = []
    try:
        for outcome in run(inputs, published=published, language=language, knowledge=knowledge):
            total += 1
            if outcome.document is None:
                failures += 1
                err.print(f"[bold red]failed:[/] {outcome.error}", highlight=False, soft_wrap=True)
                continue
            if console is not None:
                from chronik.report import document_report

                console.print(document_report(outcome.document))
                console.print()
            elif fmt is Format.jsonl:
                handle.write(json.dumps(outcome.document.to_dict(), ensure_ascii=False) + "\n")
                handle.flush()
            else:
                collected.append(outcome.document.to_dict())
        if fmt is Format.json:
            payload: Any = collected[0] if len(collected) == 1 and total == 1 else collected
            handle.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    finally:
        if output is not None:
            handle.close()
    if failures:
        err.print(f"{failures} of {total} articles failed.", highlight=False)
        raise typer.Exit(1)


@app.command("eval")
def evaluate_command(
    gold_dir: Annotated[Path, typer.Argument(help="A folder of gold .json files.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Score the pipeline on gold annotations by the contract's rules."""
    from chronik.evaluate import evaluate, load_gold

    if not gold_dir.exists():
        raise _fail(f"{gold_dir}: no such folder", 2)
    try:
        report = evaluate(load_gold(gold_dir))
    except ChronikError as exc:
        raise _fail(str(exc), 1) from None
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
        return
    table = Table(title=f"{gold_dir} — {len(report.articles)} articles", title_justify="left")
    for column in ("figure", "P", "R", "F1", "tp", "fp", "fn"):
        table.add_column(column, justify="left" if column == "figure" else "right")
    for name, score in report.scores.items():
        table.add_row(
            name,
            f"{score.precision:.3f}",
            f"{score.recall:.3f}",
            f"{score.f1:.3f}",
            str(score.tp),
            str(score.fp),
            str(score.fn),
        )
    Console().print(table)


register_corpus_commands(app)

actors_app = typer.Typer(help="The actor knowledge base.", no_args_is_help=True)
app.add_typer(actors_app, name="actors")


@actors_app.command("lookup")
def actors_lookup(
    name: Annotated[str, typer.Argument(help="A name, inflected form, adjective or role word.")],
    on: Annotated[
        str | None,
        typer.Option("--date", help="The date whose office holders count (ISO); default today."),
    ] = None,
    language: Annotated[str, typer.Option(help="Language of the name.")] = "de",
    as_json: Annotated[bool, typer.Option("--json", help="Print the matches as JSON.")] = False,
) -> None:
    """Show what a name resolves to in the actor knowledge base on a date."""
    from chronik.actor_lookup import resolve
    from chronik.api import parse_published

    try:
        day = parse_published(on)
        matches = resolve(name, on=day, language=language)
    except ChronikError as exc:
        raise _fail(str(exc), 2) from None
    if as_json:
        typer.echo(json.dumps([m.as_dict() for m in matches], ensure_ascii=False, indent=2))
        return
    if not matches:
        err.print(f"no actor in the knowledge base for {name!r}", highlight=False)
        raise typer.Exit(1)
    table = Table(title=f"{name!r}" + (f" on {day.isoformat()}" if day else ""))
    for column in ("via", "id", "name", "kind", "country", "sector", "role"):
        table.add_column(column)
    for m in matches:
        table.add_row(
            m.via, m.id, m.name, m.kind or "", m.country or "", m.sector or "", m.role or ""
        )
    Console().print(table)


def main() -> None:
    try:
        app()
    except ChronikError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False)
        sys.exit(exc.exit_code)
