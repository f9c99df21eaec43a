"""Work of the German core counted in instructions, which the machine's load does not change.

    .venv/bin/python benchmarks/core_instructions.py [--articles N] [--corpus PATH.jsonl]
        [--no-freeze]

CPU time on a shared machine varies by half between runs minutes apart (see
benchmarks/core_speed.py), so a change of a few per cent cannot show in timings. This benchmark
runs the German core (tokenize, tag, entities with the CRF, clauses) under valgrind's callgrind,
which counts the instructions the process executes: the same code on the same articles gives the
same count (up to the cycle collector's timing), whatever else the host runs.

A fresh process loads the models (not counted), freezes them as corpus workers do
(`chronik.pipeline.freeze_loaded`; `--no-freeze`: not), analyses one short text (not counted),
and then, with counting switched on (`callgrind_control -i on`), makes one cold pass over the
first N articles (100 by default; callgrind runs Python about 50 times slower), then exits
without the interpreter's teardown (freeing every loaded object: the counts in
docs/german-core.md made before the compiled core include it). It prints the instructions in
all and per word (`\\w+` runs, as benchmarks/core_speed.py counts them), and whether the core's
modules ran compiled.

Needs valgrind (with callgrind_control) on the PATH.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from core_speed import _WORD, DEFAULT_CORPUS, installed, load  # (this folder: benchmarks/)

#: the analysing process: loads, says READY, waits for the go file, makes the pass, says DONE
#: and exits at once
_CHILD = """
import os, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[5])
from core_speed import FULL_CORE, load
from chronik.document import Document, Metadata
from chronik.pipeline import build, freeze_loaded

corpus, articles, freeze, go = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4]
texts = load(Path(corpus), articles)
run = build("de", FULL_CORE)
if freeze:
    freeze_loaded()
run(Document(text="Angela Merkel traf Emmanuel Macron in Paris.", meta=Metadata(language="de")))
print("READY", os.getpid(), flush=True)
while not os.path.exists(go):
    time.sleep(0.1)
for text in texts:
    run(Document(text=text, meta=Metadata(language="de")))
print("DONE", flush=True)
os._exit(0)  # the interpreter's teardown (freeing every loaded model) is not the pass's work
"""


def count(corpus: Path, articles: int, freeze: bool) -> int:
    """Instructions of one cold pass over the first `articles` articles of `corpus`."""
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        sys.exit("valgrind with callgrind_control is needed (Debian: apt install valgrind)")
    with tempfile.TemporaryDirectory() as tmp:
        out, go = Path(tmp) / "callgrind.out", Path(tmp) / "go"
        child = subprocess.Popen(
            [
                "valgrind",
                "--tool=callgrind",
                "--instr-atstart=no",
                f"--callgrind-out-file={out}",
                sys.executable,
                "-c",
                _CHILD,
                str(corpus),
                str(articles),
                "1" if freeze else "0",
                str(go),
                str(Path(__file__).resolve().parent),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert child.stdout is not None
        line = child.stdout.readline()
        if not line.startswith("READY"):
            child.kill()
            sys.exit(f"the analysing process did not start: {line!r}")
        pid = line.split()[1]
        subprocess.run(["callgrind_control", "-i", "on", pid], check=True, capture_output=True)
        go.touch()
        started = time.monotonic()
        child.wait()
        if child.returncode != 0:
            sys.exit(f"the analysing process failed (exit {child.returncode})")
        print(f"  counted pass: {time.monotonic() - started:.0f} s under callgrind", flush=True)
        for row in out.read_text().splitlines():
            if row.startswith("totals:"):
                return int(row.split()[1])
    sys.exit("callgrind wrote no totals")


def main() -> None:
    parser = argparse.ArgumentParser(description="Instructions of the German core's cold pass.")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--no-freeze", action="store_true", help="leave the models unfrozen")
    args = parser.parse_args()
    texts = load(args.corpus, args.articles)
    words = sum(len(_WORD.findall(text)) for text in texts)
    print(f"{len(texts)} articles, {words:,} words ({args.corpus})", flush=True)
    print(f"core modules: {installed()}", flush=True)
    total = count(args.corpus, len(texts), not args.no_freeze)
    print(f"German core, cold pass: {total:,} instructions, {total / words:,.0f} per word")


if __name__ == "__main__":
    main()
