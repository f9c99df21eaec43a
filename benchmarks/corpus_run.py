"""Corpus-run throughput and memory: `chronik run` with 1 and 2 workers and the Spark job in
local[1] and local[2], on the ~1,900 real German articles in ../shared/data.

    python benchmarks/corpus_run.py [--limit N] [--configs run1,run2,spark1,spark2] [--json OUT]

The corpus: SpkAtt-2023 train (700) and test_blind (148) Wikinews articles, and the 10kGNAD test
split (1,028 derStandard articles, no dates). It is written once as JSON Lines to a temporary
folder; each configuration runs on a fresh database or output folder. Figures: articles/s over
the whole run (worker start and pipeline loading included) and after the first article was
stored ("steady"), and the peak resident memory (VmHWM) of the parent and of every worker
process, sampled from /proc.
"""

from __future__ import annotations

import argparse
import csv
import json
import lzma
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def corpus_records() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for split in ("train", "test_blind"):
        path = DATA / "spkatt2023" / split / "corpus.jsonl"
        with path.open(encoding="utf-8") as handle:
            records.extend(json.loads(line) for line in handle if line.strip())
    with lzma.open(DATA / "10kgnad" / "test.csv.xz", "rt", encoding="utf-8") as handle:
        for number, (_label, text) in enumerate(csv.reader(handle, delimiter=";", quotechar="'")):
            records.append({"id": f"10kgnad-{number}", "text": text, "source": "derStandard"})
    return records


class PeakMemory:
    """Samples VmHWM (peak RSS) of this process's descendants every `interval` seconds."""

    def __init__(self, interval: float = 0.5) -> None:
        self.interval = interval
        self.peaks: dict[int, tuple[str, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            for pid in _descendants(os.getpid()):
                peak = _vm_hwm(pid)
                if peak:
                    name = _command(pid)
                    old = self.peaks.get(pid, ("", 0))[1]
                    self.peaks[pid] = (name, max(old, peak))

    def workers(self, kind: str, *, at_least_kb: int = 20_000) -> list[int]:
        """Peak kB of the descendant processes whose command line contains `kind` (leaving
        out helpers too small to hold a pipeline: Spark's daemon, a resource tracker)."""
        return [kb for name, kb in self.peaks.values() if kind in name and kb >= at_least_kb]


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _descendants(pid: int) -> list[int]:
    tree, found, todo = _children(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _vm_hwm(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _command(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def _self_peak_kb() -> int:
    return _vm_hwm(os.getpid())


def run_duckdb(corpus: Path, workdir: Path, workers: int) -> dict[str, Any]:
    from chronik import corpus as corpus_run

    first: list[float] = []

    def progress(stats: Any, read: Any) -> None:
        if stats.stored and not first:
            first.append(time.monotonic())
            first.append(stats.stored)

    db = workdir / f"run{workers}.duckdb"
    start = time.monotonic()
    with PeakMemory() as memory:
        stats = corpus_run.run([corpus], db=db, workers=workers, on_progress=progress)
    wall = time.monotonic() - start
    steady = (
        (stats.analysed - first[1]) / (start + wall - first[0])
        if first and start + wall > first[0]
        else None
    )
    worker_kb = memory.workers("spawn_main")
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        aggregated = con.execute("SELECT count(*) FROM events").fetchone()
    return {
        "config": f"chronik run --workers {workers}",
        "articles": stats.articles,
        "analysed": stats.analysed,
        "failed": stats.failed,
        # events per article, and after aggregation across articles (as Spark's count)
        "article_events": stats.events,
        "events": aggregated[0] if aggregated else None,
        "quotes": stats.quotes,
        "seconds": round(wall, 1),
        "articles_per_s": round(stats.analysed / wall, 1),
        "steady_articles_per_s": round(steady, 1) if steady else None,
        "peak_rss_mb_per_worker": [round(kb / 1024) for kb in worker_kb],
        "peak_rss_mb_parent": round(_self_peak_kb() / 1024),
    }


def run_spark(corpus: Path, workdir: Path, cores: int) -> dict[str, Any]:
    from chronik import spark

    out = workdir / f"spark{cores}"
    start = time.monotonic()
    with PeakMemory() as memory:
        counts = spark.run_job([str(corpus)], str(out), master=f"local[{cores}]")
    wall = time.monotonic() - start
    analysed = counts["documents"] + counts["failures"]
    python_kb = memory.workers("pyspark.daemon")
    jvm_kb = memory.workers("org.apache.spark.deploy.SparkSubmit")
    return {
        "config": f"chronik spark --master local[{cores}]",
        "articles": analysed,
        "article_events": counts["event_mentions"],
        "events": counts["events"],
        "quotes": counts["quotes"],
        "seconds": round(wall, 1),
        "articles_per_s": round(analysed / wall, 1),
        "peak_rss_mb_per_worker": [round(kb / 1024) for kb in python_kb],
        "peak_rss_mb_jvm": [round(kb / 1024) for kb in jvm_kb],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="Use the first N articles.")
    parser.add_argument("--configs", default="run1,run2,spark1,spark2")
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"needs {DATA}", file=sys.stderr)
        return 2
    records = corpus_records()[: args.limit]
    workdir = Path(tempfile.mkdtemp(prefix="chronik-bench-"))
    results = []
    try:
        corpus = workdir / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        load = os.getloadavg()
        print(f"{len(records)} articles; load average {load[0]:.1f} on {os.cpu_count()} cores")
        for config in args.configs.split(","):
            if config.startswith("run"):
                result = run_duckdb(corpus, workdir, int(config[3:]))
            else:
                result = run_spark(corpus, workdir, int(config[5:]))
            result["load_average_after"] = round(os.getloadavg()[0], 1)
            results.append(result)
            print(json.dumps(result), flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
