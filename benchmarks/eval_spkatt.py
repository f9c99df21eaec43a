"""Quote detection and attribution on SpkAtt-2023 (German Wikinews), by the contract's scorer.

    .venv/bin/python benchmarks/eval_spkatt.py                 # all 700 train articles
    .venv/bin/python benchmarks/eval_spkatt.py --split even    # development half
    .venv/bin/python benchmarks/eval_spkatt.py --split odd     # held-out half
    .venv/bin/python benchmarks/eval_spkatt.py --dev           # the project's dev gold
    .venv/bin/python benchmarks/eval_spkatt.py --split even --errors 40   # error samples

The 18 SpkAtt articles that are also in the development gold (`shared/gold/dev`) are left out
of the even and odd halves, so that development on SpkAtt never looks at the dev gold. Figures
are pooled over articles (micro-averaged); the breakdown by gold kind scores the required gold
quotes of one kind with all others made optional. `--quotes-only` runs tokenizer, tagger and the
quote finder alone (no entities or actors: speakers are not linked) to iterate quickly.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from chronik.api import analyze
from chronik.evaluate import Score, evaluate, load_gold, score_quotes, texts_overlap

ROOT = Path(__file__).resolve().parents[1]
SPKATT = ROOT.parent / "shared" / "data" / "spkatt2023" / "train"
DEV_GOLD = ROOT.parent / "shared" / "gold" / "dev"


def article_ids(split: str) -> list[str]:
    dev = {p.stem for p in DEV_GOLD.glob("*.json")}
    ids = []
    for path in sorted((SPKATT / "gold").glob("*.json")):
        number = int(path.stem.rsplit("-", 1)[-1])
        if split == "all":
            ids.append(path.stem)
        elif path.stem in dev:
            continue
        elif (split == "even") == (number % 2 == 0):
            ids.append(path.stem)
    return ids


def quotes_only_analyzer() -> Any:
    from chronik.document import Document, Metadata
    from chronik.pipeline import build
    from chronik.quoting.extract import QuoteFinder
    from chronik.quoting.lexicon import load_lexicon

    pipe = build("de", ["chronik.tokenize.v1", "chronik.tag.v1"])
    finder = QuoteFinder(load_lexicon("de"))

    def run(text: str, published: str | None, article_id: str) -> dict[str, Any]:
        doc = pipe(Document(text=text, meta=Metadata(id=article_id, language="de")))
        doc.quotes = finder(doc)
        return doc.to_dict()

    return run


def with_kind(gold: dict[str, Any], kind: str) -> dict[str, Any]:
    """Gold with only the required quotes of `kind` required; the rest optional."""
    quotes = []
    for q in gold.get("quotes", []):
        q = dict(q)
        if q.get("kind") != kind:
            q["optional"] = True
        quotes.append(q)
    return {**gold, "quotes": quotes}


def error_samples(output: dict[str, Any], gold: dict[str, Any]) -> list[str]:
    lines = []
    system = output.get("quotes", [])
    for g in gold.get("quotes", []):
        if g.get("optional"):
            continue
        if not any(texts_overlap(s["text"], g["text"]) for s in system):
            lines.append(f"  MISS [{g.get('kind')}] {g.get('speaker')} | {g['text']}")
    for s in system:
        if not any(texts_overlap(s["text"], g["text"]) for g in gold.get("quotes", [])):
            cue = s.get("cue")
            lines.append(f"  FP   [{s['kind']}] {s.get('speaker_text')} ({cue}) | {s['text']}")
    return lines


def run_spkatt(args: argparse.Namespace) -> dict[str, Any]:
    ids = article_ids(args.split)
    if args.limit:
        ids = ids[: args.limit]
    if args.quotes_only:
        run = quotes_only_analyzer()
    else:

        def run(text: str, published: str | None, article_id: str) -> dict[str, Any]:
            doc = analyze(text, published=published, language="de", id=article_id)
            return doc.to_dict()

    pooled = {"quotes": Score(), "attribution": Score()}
    by_kind = {k: {"quotes": Score(), "attribution": Score()} for k in ("direct", "indirect")}
    errors: list[str] = []
    elapsed = 0.0
    for article_id in ids:
        gold = json.loads((SPKATT / "gold" / f"{article_id}.json").read_text("utf-8"))
        text = (SPKATT / "articles" / f"{article_id}.txt").read_text("utf-8")
        started = time.perf_counter()
        output = run(text, gold["doc"].get("published"), article_id)
        elapsed += time.perf_counter() - started
        for name, score in score_quotes(output, gold).items():
            pooled[name].add(score)
        for kind, scores in by_kind.items():
            for name, score in score_quotes(output, with_kind(gold, kind)).items():
                scores[name].add(score)
        if args.errors and len(errors) < args.errors * 4:
            samples = error_samples(output, gold)
            if samples:
                errors.append(f"== {article_id}")
                errors.extend(samples)
    return {
        "split": args.split,
        "articles": len(ids),
        "seconds_per_article": round(elapsed / max(1, len(ids)), 4),
        "scores": {name: score.as_dict() for name, score in pooled.items()},
        "by_gold_kind": {
            kind: {name: score.as_dict() for name, score in scores.items()}
            for kind, scores in by_kind.items()
        },
        "errors": errors,
    }


def run_dev() -> dict[str, Any]:
    report = evaluate(load_gold(DEV_GOLD))
    return {
        "articles": len(report.articles),
        "scores": {name: report.scores[name].as_dict() for name in ("quotes", "attribution")},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("all", "even", "odd"), default="all")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    parser.add_argument("--dev", action="store_true", help="score the dev gold instead")
    parser.add_argument("--quotes-only", action="store_true", help="skip entities and actors")
    parser.add_argument("--errors", type=int, default=0, help="print error samples")
    args = parser.parse_args(argv)
    if not SPKATT.is_dir():
        sys.stderr.write(f"needs {SPKATT} (the shared data folder)\n")
        return 2
    result = run_dev() if args.dev else run_spkatt(args)
    errors = result.pop("errors", [])
    sys.stdout.write(json.dumps(result, indent=1) + "\n")
    if errors:
        sys.stdout.write("\n".join(errors) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
