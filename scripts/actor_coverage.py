"""Actor coverage and speed of chronik.entities.v1 + chronik.actors.v1 on real German news.

Coverage: the share of proper-noun tokens (STTS NE) that end up inside an entity linked to an
actor with a country. Speed: milliseconds per article for the two stages alone, after loading.
Articles: the first N SpkAtt-2023 Wikinews training articles (sorted by id), with their dates.

Share: with --share, the CPU time of every stage of the default pipeline on the same articles
(best of three passes), and the share of entities + actors in it.

Run: .venv/bin/python scripts/actor_coverage.py [--limit 50] [--show 0] [--share]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from chronik.api import parse_published
from chronik.document import Document, Metadata
from chronik.pipeline import build, default_pipeline
from chronik.registry import get_stage

CORPUS = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "spkatt2023"
    / "train"
    / "corpus.jsonl"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--show", type=int, default=0, help="print unlinked NE tokens of N docs")
    parser.add_argument("--share", action="store_true", help="CPU share of each pipeline stage")
    args = parser.parse_args()
    rows = [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines() if line.strip()]
    rows = sorted(rows, key=lambda r: r["id"])[: args.limit]
    if args.share:
        stage_shares(rows)
        return
    before = build("de", ["chronik.tokenize.v1", "chronik.tag.v1"])
    recognize = get_stage("chronik.entities.v1").factory("de")
    link = get_stage("chronik.actors.v1").factory("de")
    # load the knowledge base, gazetteer and caches before timing
    link(recognize(before(Document(text=rows[0]["text"]))))
    ne_total = ne_linked = ne_place = words = 0
    elapsed = 0.0
    unlinked: list[str] = []
    for n, row in enumerate(rows):
        meta = Metadata(id=row["id"], published=parse_published(row.get("published")))
        doc = before(Document(text=row["text"], meta=meta))
        started = time.perf_counter()
        doc = link(recognize(doc))
        elapsed += time.perf_counter() - started
        words += len(doc.tokens)
        linked_spans = [
            (e.start, e.end)
            for e in doc.entities
            if e.actor is not None and (a := doc.actor(e.actor)) is not None and a.country
        ]
        place_spans = [(e.start, e.end) for e in doc.entities if e.type == "LOC" and not e.actor]
        for token in doc.tokens:
            if token.pos != "NE":
                continue
            ne_total += 1
            if any(s <= token.start and token.end <= e for s, e in linked_spans):
                ne_linked += 1
            elif any(s <= token.start and token.end <= e for s, e in place_spans):
                ne_place += 1
            elif n < args.show:
                unlinked.append(token.text)
    print(f"{len(rows)} articles, {words} tokens")
    share = ne_linked / max(ne_total, 1)
    print(f"NE tokens linked to an actor with a country: {ne_linked}/{ne_total} = {share:.3f}")
    share = ne_place / max(ne_total, 1)
    print(f"NE tokens in a place that is no actor (in Berlin): {ne_place}/{ne_total} = {share:.3f}")
    per_doc = 1000 * elapsed / len(rows)
    per_400 = 1000 * elapsed / max(words, 1) * 400
    print(f"entities+actors: {per_doc:.1f} ms/article, {per_400:.1f} ms per 400 tokens")
    if unlinked:
        print("unlinked:", " ".join(unlinked))


def stage_shares(rows: list[dict]) -> None:
    pipe = default_pipeline("de")

    def run(row: dict, spent: dict[str, float]) -> None:
        meta = Metadata(id=row["id"], published=parse_published(row.get("published")))
        doc = Document(text=row["text"], meta=meta)
        for info, proc in pipe.stages:
            started = time.process_time()
            doc = proc(doc)
            spent[info.name] += time.process_time() - started

    for row in rows[:5]:
        run(row, defaultdict(float))
    best: dict[str, float] = {}
    for _ in range(3):
        spent: dict[str, float] = defaultdict(float)
        for row in rows:
            run(row, spent)
        best = dict(spent) if not best else {k: min(best[k], v) for k, v in spent.items()}
    total = sum(best.values())
    for name, seconds in best.items():
        print(f"{name:24} {1000 * seconds / len(rows):6.2f} ms/article {seconds / total:6.1%}")
    linking = best["chronik.entities.v1"] + best["chronik.actors.v1"]
    print(
        f"entities+actors: {linking / total:.1%} of {1000 * total / len(rows):.1f} ms/article "
        f"(CPU time, best of 3 passes over {len(rows)} articles)"
    )


if __name__ == "__main__":
    main()
