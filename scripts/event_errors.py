"""Error analysis of the events stage on a gold folder (development tool, not part of the library).

Runs the pipeline on each gold article and prints, per article, the system's event tuples, the
missed gold tuples and the false positives, then pooled scores, a confusion table of event types
(gold type -> system type for tuples whose dyad matched but whose type did not) and misses per
gold type.

While the actors stage assigns no mentions, `--stub-actors` builds rough mentions from the
knowledge base files (country names, adjectives, capitals, IGOs, institutions, people) so the coder
can be measured on its own; figures with stub actors are not the pipeline's figures.

    .venv/bin/python scripts/event_errors.py /work/shared/gold/dev [--stub-actors] [--quiet]
    .venv/bin/python scripts/event_errors.py --text FILE [--stub-actors]   # show events of a text
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from functools import cache
from pathlib import Path

import yaml

from chronik.api import analyze
from chronik.document import Actor, Document, Mention
from chronik.evaluate import (
    SYMMETRIC,
    Report,
    _gold_event_tuples,
    _system_event_tuples,
    load_gold,
    score_article,
)

KB = Path(__file__).resolve().parents[1] / "src" / "chronik" / "kb"


@cache
def _stub_lexicon() -> tuple[re.Pattern[str], dict[str, tuple[str, str, str, str, str]]]:
    """surface form -> (actor id, name, country, sector, via)."""
    forms: dict[str, tuple[str, str, str, str, str]] = {}

    def add(form: str, value: tuple[str, str, str, str, str]) -> None:
        if len(form) >= 2 and form not in forms:
            forms[form] = value

    countries = yaml.safe_load((KB / "countries.yaml").read_text("utf-8")) or []
    for c in countries:
        code = c["code"]
        val = (f"c_{code}", c["name"], code, "GOV", "name")
        for f in c.get("forms", []) + c.get("names", []):
            add(f, val)
        for f in c.get("capital_forms", []):
            add(f, (f"c_{code}", c["name"], code, "GOV", "metonym"))
        for f in c.get("adjectives", []):
            add(f, (f"c_{code}", c["name"], code, "GOV", "adjective"))
        for f in c.get("demonyms", []):
            add(f, (f"p_{code}", c["name"], code, "CVL", "name"))
    for name in ("igos.yaml", "institutions.yaml"):
        path = KB / name
        if not path.exists():
            continue
        for entry in yaml.safe_load(path.read_text("utf-8")) or []:
            if entry.get("ambiguous") or not entry.get("country"):
                continue
            val = (
                f"i_{entry['id']}",
                entry["names"][0],
                entry["country"],
                entry.get("sector") or "GOV",
                "name",
            )
            for n in entry["names"]:
                add(n, val)
                if entry.get("gender") in {"m", "n"}:
                    add(n + "s", val)
    path = KB / "people.yaml"
    if path.exists():
        for p in yaml.safe_load(path.read_text("utf-8")) or []:
            roles = p.get("roles") or []
            if not roles:
                continue
            role = roles[-1]
            val = (f"h_{p['id']}", p["name"], role["country"], role.get("sector") or "GOV", "name")
            for n in p.get("names", []) + p.get("short", []):
                add(n, val)
                add(n + "s", val)
    names = sorted(forms, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w])")
    return pattern, forms


def stub_actors(doc: Document) -> Document:
    """Rough actor mentions from the knowledge base (development only)."""
    pattern, forms = _stub_lexicon()
    actors: dict[str, Actor] = {}
    for m in pattern.finditer(doc.text):
        actor_id, name, country, sector, via = forms[m.group(1)]
        kind = "person" if actor_id.startswith("h_") else "state"
        if actor_id.startswith("i_"):
            kind = "organization"
        actors.setdefault(actor_id, Actor(actor_id, name, kind, country, sector))  # type: ignore[arg-type]
        sent = doc.sentence_at(m.start())
        doc.mentions.append(Mention(actor_id, m.group(1), m.start(), m.end(), sent or 0, via))
    doc.actors = list(actors.values())
    return doc


def run(text: str, published: str | None, doc_id: str, stub: bool) -> Document:
    if not stub:
        return analyze(text, published=published, id=doc_id, language="de")
    doc = analyze(text, published=published, id=doc_id, language="de")
    if doc.mentions:
        return doc
    from chronik.registry import get_stage

    stage = get_stage("chronik.events.v1").factory("de")
    doc = stub_actors(doc)
    return stage(doc)


def show_events(doc: Document, out=sys.stdout) -> None:
    country = {a.id: a.country for a in doc.actors}
    for e in doc.events:
        src = ",".join(f"{country.get(a)}" for a in e.source)
        tgt = ",".join(f"{country.get(a)}" for a in e.target)
        sent = doc.sentence_text(e.sentence)
        print(
            f"  {e.id} {e.type:<9} {src:>9} -> {tgt:<9} neg={int(e.negated)} {e.modality:<12} "
            f"[{e.trigger.text}] {sent[:110]}",
            file=out,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="?", type=Path)
    parser.add_argument("--text", type=Path)
    parser.add_argument("--stub-actors", action="store_true")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    if args.text:
        doc = run(args.text.read_text("utf-8"), None, args.text.stem, args.stub_actors)
        show_events(doc)
        return 0
    report = Report()
    confusion: Counter[tuple[str, str]] = Counter()
    missed_types: Counter[str] = Counter()
    fp_types: Counter[str] = Counter()
    for item in load_gold(args.gold):
        doc = run(item.text, item.published, item.id, args.stub_actors)
        output = doc.to_dict()
        scores = score_article(output, item.gold)
        report.add(item.id, scores)
        system = _system_event_tuples(output)
        required, optional = _gold_event_tuples(item.gold)

        def matches(s, g) -> bool:
            same = (s[1], s[2]) == (g.source, g.target) or (
                s[0] in SYMMETRIC and (s[1], s[2]) == (g.target, g.source)
            )
            return s[0] in g.types and same and s[3] == g.negated

        missed = [g for g in required if not any(matches(s, g) for s in system)]
        false = [s for s in system if not any(matches(s, g) for g in [*required, *optional])]
        for g in missed:
            missed_types["/".join(sorted(g.types))] += 1
            for s in system:
                if {s[1], s[2]} == {g.source, g.target} and s[0] not in g.types:
                    confusion[("/".join(sorted(g.types)), s[0])] += 1
        for s in false:
            fp_types[s[0]] += 1
        if args.quiet:
            continue
        ev = scores["events"]
        print(f"== {item.id}  tp={ev.tp} fp={ev.fp} fn={ev.fn}")
        show_events(doc)
        for g in missed:
            print(f"  MISS {'/'.join(sorted(g.types))} {g.source}->{g.target} neg={g.negated}")
        for s in false:
            print(f"  FP   {s[0]} {s[1]}->{s[2]} neg={s[3]}")
    print("scores:")
    for name in ("events", "dyads", "pairs"):
        print(f"  {name:<7} {report.scores[name].as_dict()}")
    print("missed gold types:", dict(missed_types.most_common()))
    print("false-positive types:", dict(fp_types.most_common()))
    print("confusion (gold -> system, same pair):", dict(confusion.most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
