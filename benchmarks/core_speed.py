"""Speed of the German core and of the whole pipeline, on one core.

    .venv/bin/python benchmarks/core_speed.py [--corpus PATH.jsonl] [--articles N]
        [--warm-up PATH.csv.xz] [--no-pipeline] [--repeat N] [--no-freeze]

Reads SpkAtt-2023 articles (../shared/data/spkatt2023/train/corpus.jsonl by default; its
test_blind/corpus.jsonl holds articles the tagger's lexicon was not built from). Each measurement
runs in a fresh process, which loads the models (timed apart) and, as corpus and Spark workers
do, exempts them from the cycle collector (`chronik.pipeline.freeze_loaded`; `--no-freeze`: not),
and then:

- cold: runs over the articles once, with every per-process memo of word forms empty, as at the
  start of a corpus run; then warm: over the same articles again (every form met before);
- steady (a second fresh process): first runs over other articles, untimed (the 1,028 10kGNAD
  derStandard articles by default, `--warm-up`), then over the articles, timed: a corpus run
  after its first thousand articles, meeting new articles with memos of earlier ones.

Times are the process's CPU time (one core's work), in total and per stage. Words are the text's
runs of word characters (`\\w+`), as in benchmarks/pipeline_speed.py.

The machine's speed varies from run to run by up to a third, with every stage slower together
(other work on the host), so each measurement is repeated in `--repeat` fresh processes (3 by
default): each pass prints the median run, its stages, and the range of all runs.
"""

from __future__ import annotations

import argparse
import csv
import json
import lzma
import multiprocessing
import re
import time
from collections import defaultdict
from pathlib import Path

from chronik import compiled
from chronik.document import Document, Metadata
from chronik.pipeline import Pipeline, build, freeze_loaded

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
DEFAULT_CORPUS = DATA / "spkatt2023" / "train" / "corpus.jsonl"
DEFAULT_WARM_UP = DATA / "10kgnad" / "test.csv.xz"
CORE = ["chronik.tokenize.v1", "chronik.tag.v1"]
#: the whole German core: tokens and tags, names (rules + statistical NER) and clauses
FULL_CORE = [*CORE, "chronik.entities.v1", "chronik.clauses.v1"]
_WORD = re.compile(r"\w+")


def load(corpus: Path, limit: int | None = None) -> list[str]:
    """Article texts of a JSONL corpus ("text") or of 10kGNAD's CSV (label;'text')."""
    texts = []
    if corpus.name.endswith(".csv.xz"):
        with lzma.open(corpus, "rt", encoding="utf-8") as handle:
            texts = [row[1] for row in csv.reader(handle, delimiter=";", quotechar="'") if row]
    else:
        with corpus.open(encoding="utf-8") as handle:
            texts = [json.loads(line)["text"] for line in handle if line.strip()]
    return texts[:limit] if limit else texts


def installed() -> str:
    """Whether the core runs compiled (setup.py) or as Python, as a benchmark should say."""
    kinds = list(compiled.status().values())
    return ", ".join(f"{kinds.count(k)} {k}" for k in ("compiled", "python") if k in kinds)


def timed_pass(run: Pipeline, texts: list[str]) -> dict[str, float]:
    """CPU seconds per stage over `texts` (what one core spends, whatever else runs)."""
    spent: dict[str, float] = defaultdict(float)
    for text in texts:
        doc = Document(text=text, meta=Metadata(language="de"))
        for info, stage in run.stages:
            start = time.process_time()
            doc = stage(doc)
            spent[info.name] += time.process_time() - start
    return dict(spent)


def measure(
    stages: list[str] | None, texts: list[str], warm_up: list[str], freeze: bool = True
) -> tuple[float, dict[str, dict[str, float]]]:
    """Load time and the timed passes of a pipeline, in the calling (fresh) process; `freeze`:
    after loading, as corpus workers do (`chronik.pipeline.freeze_loaded`)."""
    start = time.process_time()
    run = build("de", stages)
    if freeze:
        freeze_loaded()
    loaded = time.process_time() - start
    if warm_up:
        timed_pass(run, warm_up)
        return loaded, {"steady": timed_pass(run, texts)}
    return loaded, {"cold": timed_pass(run, texts), "warm": timed_pass(run, texts)}


def report(label: str, runs: list[dict[str, float]], articles: int, words: int) -> None:
    """The median run of a pass (words/s and per stage) and the range over all runs."""
    ordered = sorted(runs, key=lambda spent: sum(spent.values()))
    spent = ordered[(len(ordered) - 1) // 2]
    seconds = sum(spent.values())
    print(
        f"  {label:<6} {seconds:6.2f} s  {articles / seconds:7.1f} articles/s  "
        f"{words / seconds:>9,.0f} words/s  {seconds / articles * 1000:6.2f} ms/article"
    )
    if len(spent) > 1:
        parts = ", ".join(
            f"{name.removeprefix('chronik.').removesuffix('.v1')} {s / articles * 1000:.2f}"
            for name, s in spent.items()
        )
        print(f"         ms/article by stage: {parts}")
    if len(runs) > 1:
        rates = [f"{words / sum(run.values()):,.0f}" for run in ordered]
        print(f"         {len(runs)} runs, words/s best to worst: {', '.join(rates)}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Speed of the German core and pipeline.")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--articles", type=int, default=700)
    parser.add_argument(
        "--warm-up",
        type=Path,
        default=DEFAULT_WARM_UP,
        help="other articles run before the steady pass ('' for none)",
    )
    parser.add_argument("--no-pipeline", action="store_true", help="time the core only")
    parser.add_argument(
        "--repeat", type=int, default=3, help="fresh processes per measurement (median reported)"
    )
    parser.add_argument(
        "--no-freeze",
        action="store_true",
        help="leave the loaded models to the cycle collector (corpus workers freeze them)",
    )
    args = parser.parse_args()
    texts = load(args.corpus, args.articles)
    warm_up = load(args.warm_up) if str(args.warm_up) and args.warm_up.is_file() else []
    words = sum(len(_WORD.findall(text)) for text in texts)
    print(f"{len(texts)} articles, {words:,} words ({args.corpus})")
    print(f"core modules: {installed()}")
    if warm_up:
        print(f"steady: after {len(warm_up)} other articles ({args.warm_up})")
    runs = [
        ("tokenize + tag", CORE),
        ("German core (tokenize + tag + entities + clauses)", FULL_CORE),
    ]
    if not args.no_pipeline:
        runs.append(("whole pipeline", None))
    # each measurement in a fresh process, so that "cold" means no memo of an earlier run
    context = multiprocessing.get_context("spawn")
    for name, stages in runs:
        passes: dict[str, list[dict[str, float]]] = defaultdict(list)
        loads = []
        for _ in range(max(1, args.repeat)):
            for before in ([], warm_up) if warm_up else ([],):
                with context.Pool(1) as pool:
                    loaded, timed = pool.apply(measure, (stages, texts, before, not args.no_freeze))
                for label, spent in timed.items():
                    passes[label].append(spent)
                if not before:
                    loads.append(loaded)
        print(f"{name}: models loaded in {sorted(loads)[(len(loads) - 1) // 2]:.2f} s")
        for label in ("cold", "steady", "warm"):
            if label in passes:
                report(label, passes[label], len(texts), words)


if __name__ == "__main__":
    main()
