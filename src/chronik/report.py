"""A readable report of one analysed article, as Rich renderables (the CLI prints them)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from chronik.document import Actor, Document


def _actor_label(doc: Document, actor_ids: list[str]) -> str:
    labels = []
    for actor_id in actor_ids:
        actor = doc.actor(actor_id)
        if actor is None:
            continue
        labels.append(_short(actor))
    return ", ".join(labels) or "—"


def _short(actor: Actor) -> str:
    code = "/".join(part for part in (actor.country, actor.sector) if part)
    return f"{actor.name} ({code})" if code else actor.name


def events_table(doc: Document) -> Table:
    table = Table(title=f"Events ({len(doc.events)})", title_justify="left")
    for column, style in (
        ("#", "dim"),
        ("date", "cyan"),
        ("source", "bold"),
        ("type", "magenta"),
        ("target", "bold"),
        ("place", ""),
        ("status", "yellow"),
    ):
        table.add_column(column, style=style or None, overflow="fold")
    for number, ev in enumerate(doc.events, start=1):
        status = [ev.modality] if ev.modality != "asserted" else []
        if ev.negated:
            status.insert(0, "NOT")
        table.add_row(
            str(number),
            ev.date or "",
            _actor_label(doc, ev.source),
            ev.type,
            _actor_label(doc, ev.target),
            ev.location.name if ev.location else "",
            " ".join(status) or "asserted",
        )
    return table


def evidence(doc: Document) -> Text:
    """Each event's trigger in a window of its sentence, numbered as in the events table."""
    lines = Text()
    for number, ev in enumerate(doc.events, start=1):
        lines.append(f"{number:>3} ", style="dim")
        lines.append_text(_window(doc, ev.sentence, ev.trigger.start, ev.trigger.end))
        lines.append("\n")
    return lines


def _window(doc: Document, sentence: int, start: int, end: int, context: int = 50) -> Text:
    sent = doc.sentences[sentence]
    left = max(sent.start, start - context)
    right = min(sent.end, end + context)
    text = Text("…" if left > sent.start else "")
    text.append(doc.text[left:start].replace("\n", " "))
    text.append(doc.text[start:end], style="bold underline")
    text.append(doc.text[end:right].replace("\n", " "))
    if right < sent.end:
        text.append("…")
    return text


def quotes_table(doc: Document) -> Table:
    table = Table(title=f"Quotes ({len(doc.quotes)})", title_justify="left", expand=True)
    table.add_column("speaker", style="bold", overflow="fold")
    table.add_column("kind", style="yellow")
    table.add_column("cue", style="magenta")
    table.add_column("text", overflow="fold")
    for quote in doc.quotes:
        actor = doc.actor(quote.speaker)
        speaker = _short(actor) if actor else (quote.speaker_text or "?")
        if actor and quote.speaker_text and quote.speaker_text not in actor.name:
            speaker += f" ← “{quote.speaker_text}”"
        table.add_row(speaker, quote.kind, quote.cue.text if quote.cue else "", quote.text)
    return table


def actors_table(doc: Document) -> Table:
    table = Table(title=f"Actors ({len(doc.actors)})", title_justify="left")
    for column in ("name", "kind", "country", "sector", "role", "mentions"):
        table.add_column(column)
    counts: dict[str, int] = {}
    for mention in doc.mentions:
        counts[mention.actor] = counts.get(mention.actor, 0) + 1
    for actor in doc.actors:
        table.add_row(
            actor.name,
            actor.kind,
            actor.country or "",
            actor.sector or "",
            actor.role or "",
            str(counts.get(actor.id, 0)),
        )
    return table


def times_table(doc: Document) -> Table:
    table = Table(title=f"Times ({len(doc.times)})", title_justify="left")
    table.add_column("text")
    table.add_column("value", style="cyan")
    for t in doc.times:
        table.add_row(t.text, t.value or "—")
    return table


def document_report(doc: Document) -> RenderableType:
    meta = doc.meta
    header = Text.assemble(
        (meta.title or meta.id, "bold"),
        "\n",
        (
            f"{meta.id} · {meta.language or '?'} · published "
            f"{meta.published.isoformat() if meta.published else 'unknown'} · "
            f"{len(doc.sentences)} sentences",
            "dim",
        ),
    )
    return Group(
        header,
        events_table(doc),
        evidence(doc),
        quotes_table(doc),
        actors_table(doc),
        times_table(doc),
    )
