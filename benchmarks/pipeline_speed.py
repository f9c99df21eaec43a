"""Speed of the pipeline and of each stage on real German news, in one process on one core.

    python benchmarks/pipeline_speed.py [--articles N] [--corpus PATH.jsonl]

Reads SpkAtt-2023 articles (../shared/data/spkatt2023/train/corpus.jsonl by default), builds the
default German pipeline once, runs it over the articles twice (the first pass warms the per-process
caches, as a long corpus run would) and prints articles/s and words/s of the whole pipeline and
each stage's share of the time. Times are CPU time of this process (`time.process_time`), so
that a machine shared with other work does not distort them; the wall-clock total is printed
beside it.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

from chronik.api import parse_published
from chronik.document import Document, Metadata
from chronik.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "spkatt2023" / "train" / "corpus.jsonl"
_WORD = re.compile(r"\w+")


def load(corpus: Path, limit: int) -> list[tuple[str, date | None]]:
    articles = []
    with corpus.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            articles.append((record["text"], parse_published(record.get("published"))))
            if len(articles) >= limit:
                break
    return articles


def run(articles: list[tuple[str, date | None]]) -> tuple[float, float, dict[str, float]]:
    """CPU seconds in all, wall seconds in all, and CPU seconds per stage."""
    pipe = build("de")
    per_stage: dict[str, float] = defaultdict(float)
    total = 0.0
    wall = time.perf_counter()
    for text, published in articles:
        doc = Document(text=text, meta=Metadata(language="de", published=published))
        for info, proc in pipe.stages:
            start = time.process_time()
            doc = proc(doc)
            elapsed = time.process_time() - start
            per_stage[info.name] += elapsed
            total += elapsed
    return total, time.perf_counter() - wall, per_stage


def main() -> None:
    parser = argparse.ArgumentParser(description="Pipeline speed on real German news.")
    parser.add_argument("--articles", type=int, default=700)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    articles = load(args.corpus, args.articles)
    words = sum(len(_WORD.findall(text)) for text, _ in articles)
    start = time.perf_counter()
    build("de")
    print(f"pipeline built in {time.perf_counter() - start:.2f} s (data loading, once per process)")
    for label in ("cold (first pass)", "warm (second pass)"):
        total, wall, per_stage = run(articles)
        print(
            f"{label}: {len(articles)} articles, {words:,} words in {total:.2f} s CPU "
            f"({wall:.2f} s wall): {len(articles) / total:.1f} articles/s, "
            f"{words / total:,.0f} words/s"
        )
        for name, seconds in per_stage.items():
            print(
                f"  {name:<24} {seconds / len(articles) * 1000:7.2f} ms/article "
                f"{seconds / total:6.1%}  {words / seconds:>12,.0f} words/s"
            )


if __name__ == "__main__":
    main()
