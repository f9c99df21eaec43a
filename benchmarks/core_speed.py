"""Speed of the German core and of the whole pipeline, on one core.

    .venv/bin/python benchmarks/core_speed.py [--corpus PATH.jsonl] [--articles N] [--no-pipeline]

Reads SpkAtt-2023 articles (../shared/data/spkatt2023/train/corpus.jsonl by default; its
test_blind/corpus.jsonl holds articles the tagger's lexicon was not built from), loads the models
once (timed apart), then runs over the articles twice in one fresh process: the first pass is cold
(the per-process memo of word forms is empty, as at the start of a corpus run), the second warm.
Times are the process's CPU time (one core's work, unaffected by other processes sharing the
machine). Words are the text's runs of word characters (`\\w+`), as in
benchmarks/pipeline_speed.py.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import re
import time
from collections.abc import Callable
from pathlib import Path

from chronik.document import Document, Metadata
from chronik.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "spkatt2023" / "train" / "corpus.jsonl"
CORE = ["chronik.tokenize.v1", "chronik.tag.v1"]
#: the whole German core: tokens and tags, names (rules + statistical NER) and clauses
FULL_CORE = [*CORE, "chronik.entities.v1", "chronik.clauses.v1"]
_WORD = re.compile(r"\w+")


def load(corpus: Path, limit: int) -> list[str]:
    texts = []
    with corpus.open(encoding="utf-8") as handle:
        for line in handle:
            texts.append(json.loads(line)["text"])
            if len(texts) >= limit:
                break
    return texts


def timed_pass(run: Callable[[Document], Document], texts: list[str]) -> float:
    # CPU time of this process: what one core spends, whatever else the machine runs
    start = time.process_time()
    for text in texts:
        run(Document(text=text, meta=Metadata(language="de")))
    return time.process_time() - start


def report(label: str, seconds: float, articles: int, words: int) -> None:
    print(
        f"  {label:<5} {seconds:6.2f} s  {articles / seconds:7.1f} articles/s  "
        f"{words / seconds:>9,.0f} words/s  {seconds / articles * 1000:6.2f} ms/article"
    )


def measure(stages: list[str] | None, corpus: Path, limit: int) -> tuple[float, float, float]:
    """Load time, cold pass and warm pass of a pipeline, in the calling (fresh) process."""
    texts = load(corpus, limit)
    start = time.process_time()
    run = build("de", stages)
    loaded = time.process_time() - start
    return loaded, timed_pass(run, texts), timed_pass(run, texts)


def main() -> None:
    parser = argparse.ArgumentParser(description="Speed of the German core and pipeline.")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--articles", type=int, default=700)
    parser.add_argument("--no-pipeline", action="store_true", help="time the core only")
    args = parser.parse_args()
    texts = load(args.corpus, args.articles)
    words = sum(len(_WORD.findall(text)) for text in texts)
    print(f"{len(texts)} articles, {words:,} words ({args.corpus})")
    runs = [
        ("tokenize + tag", CORE),
        ("German core (tokenize + tag + entities + clauses)", FULL_CORE),
    ]
    if not args.no_pipeline:
        runs.append(("whole pipeline", None))
    # each measurement in a fresh process, so that "cold" means no memo of an earlier run
    context = multiprocessing.get_context("spawn")
    for name, stages in runs:
        with context.Pool(1) as pool:
            loaded, cold, warm = pool.apply(measure, (stages, args.corpus, args.articles))
        print(f"{name}: models loaded in {loaded:.2f} s")
        report("cold", cold, len(texts), words)
        report("warm", warm, len(texts), words)


if __name__ == "__main__":
    main()
