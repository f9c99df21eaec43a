"""GermEval 2014 / Europarl figures of the NER model, alone and merged with the rule-based entities.

Scoring as in scripts/eval_germeval.py: outer layer, PER/LOC/ORG, strict spans (sentence, first
token, last token, type); a rule-based entity inside a single token (GermEval's *part classes) is
left out. The rule-based entities come from running the tag and entities stages on a one-sentence
Document of the data set's own tokens; the model sees the same tokens and tags.

Merges (`--merge`, all printed when omitted):
- model: the model alone; rules: the entities stage alone;
- rules+model: rule spans first, then every model span that overlaps no rule span;
- model+rules: model spans first, then every rule span that overlaps no model span;
- model+rules@T: as model+rules, but a model span scoring below T gives way to an overlapping
  rule span.

On the dev split, `--predictions FILE` (from `scripts/train_ner.py --cv K --predictions FILE`)
stands in for the packaged model, whose training set includes GermEval dev.

Run: .venv/bin/python scripts/eval_ner.py --split test [--merge NAME] [--speed]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from chronik.ner import model, predict, predict_batch
from chronik.ner.corpus import TYPES, read_europarl, read_germeval
from chronik.ner.model import load
from chronik.registry import get_stage
from chronik.tagger import normalize

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"

sys.path.insert(0, str(ROOT / "scripts"))
from eval_germeval import document  # noqa: E402  (a GermEval sentence as a Document)

SpanT = tuple[int, int, str]
ScoredSpan = tuple[int, int, str, float]


def overlaps(a: tuple, b: tuple) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def fill(first: list, second: list) -> list:
    """`first`, plus each span of `second` that overlaps none of `first`."""
    return list(first) + [s for s in second if not any(overlaps(s, f) for f in first)]


def merge(name: str, rules: list[SpanT], found: list[ScoredSpan]) -> set[SpanT]:
    plain = [(a, b, k) for a, b, k, _ in found]
    if name == "model":
        return set(plain)
    if name == "rules":
        return set(rules)
    if name == "rules+model":
        return {s[:3] for s in fill(rules, plain)}
    if name == "model+rules":
        return {s[:3] for s in fill(plain, rules)}
    if name.startswith("model+rules:"):
        kinds = set(name.split(":", 1)[1].split(","))
        return {s[:3] for s in fill(plain, [r for r in rules if r[2] in kinds])}
    if name.startswith("model/rules-type"):
        # the model's spans; where a rule found the very same span, the rule's type; then
        # (after "+") the rule spans of the given types that overlap no model span
        typed = {(a, b): k for a, b, k in rules}
        spans = [(a, b, typed.get((a, b), k)) for a, b, k in plain]
        if "+" in name:
            kinds = set(name.split("+", 1)[1].split(","))
            spans = fill(spans, [r for r in rules if r[2] in kinds])
        return set(spans)
    if name.startswith("model+rules@"):
        threshold = float(name.split("@", 1)[1])
        strong = [s for s in found if s[3] >= threshold]
        weak = [s for s in found if s[3] < threshold]
        kept = fill(fill([s[:3] for s in strong], rules), [s[:3] for s in weak])
        return {s[:3] for s in kept}
    raise SystemExit(f"unknown merge {name}")


MERGES = (
    "model",
    "rules",
    "rules+model",
    "model+rules",
    "model+rules:LOC",
    "model+rules:PER",
    "model+rules:LOC,PER",
    "model/rules-type",
    "model/rules-type+LOC",
    "model+rules@0.6",
    "model+rules@0.7",
    "model+rules@0.8",
    "model+rules@0.9",
)


def prf(c: Counter[str]) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=("test", "dev", "europarl-test"))
    parser.add_argument("--merge", action="append", help="merge(s) to score (default: all)")
    parser.add_argument("--predictions", type=Path, help="held-out model spans (dev, JSON)")
    parser.add_argument("--folds", type=Path, help="dev: fold models foldK.npz of a CV")
    parser.add_argument("--cv", type=int, default=2, help="dev: the CV's number of folds")
    parser.add_argument("--o-bias", type=float, help="override the model's O bias")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--errors", type=Path, help="write the chosen merge's errors here")
    parser.add_argument("--speed", action="store_true", help="time predict() per 400 words")
    args = parser.parse_args()
    if args.split == "europarl-test":
        sentences = read_europarl(DATA / "europarl_ner_de" / "test.tsv.xz")
    else:
        sentences = read_germeval(DATA / "germeval2014_ner" / f"NER-de-{args.split}.tsv.xz")
    if args.limit:
        sentences = sentences[: args.limit]
    held = json.loads(args.predictions.read_text("utf-8")) if args.predictions else None
    merges = args.merge or list(MERGES)
    tag = get_stage("chronik.tag.v1").factory("de")
    entities = get_stage("chronik.entities.v1").factory("de", statistical=False)  # the rules alone
    # sentence i of GermEval dev is held out by the model of fold i % cv
    crfs = {}
    if args.folds:
        crfs = {int(p.stem[4:]): load(p) for p in args.folds.glob("fold*.npz")}
        keep = [i for i in range(len(sentences)) if i % args.cv in crfs]
        # the fold models saw their training folds tagged as new text (train_ner.heldout_tagger):
        # the held-out fold gets the same tags
        from train_ner import corpora, heldout_tagger

        tagged = corpora()["germeval_dev"]
        if any(c.lexicons.known is not None for c in crfs.values()):
            lexicon = heldout_tagger()._lexicon  # internal: the form -> analysis table
            for c in crfs.values():
                c.lexicons = replace(c.lexicons, known=lambda w: normalize(w) in lexicon)
        for s, t in zip(sentences, tagged, strict=True):
            s.pos = t.pos
        sentences = [sentences[i] for i in keep]
        folds_of = [i % args.cv for i in keep]
    crf = model() if held is None and not crfs else None
    if args.o_bias is not None:
        for c in [crf, *crfs.values()]:
            if c is not None:
                c.o_bias = args.o_bias
    counts = {m: {t: Counter() for t in (*TYPES, "all")} for m in merges}
    errors: list[str] = []
    all_pos: list[list[str]] = []
    for n, s in enumerate(sentences):
        doc = entities(tag(document(s.words)))
        pos = s.pos or [t.pos for t in doc.tokens]
        all_pos.append(pos)
        starts = {t.start: t.i for t in doc.tokens}
        ends = {t.end: t.i for t in doc.tokens}
        rules = [
            (starts[e.start], ends[e.end], e.type)
            for e in doc.entities
            if e.type in TYPES and e.start in starts and e.end in ends
        ]
        if held is not None:
            found = [(a, b, k, 1.0) for a, b, k in held[n]]
        elif crfs:
            spans = predict(s.words, pos, crf=crfs[folds_of[n]])
            found = [(x.start, x.end, x.label, x.score) for x in spans]
        else:
            found = [(x.start, x.end, x.label, x.score) for x in predict(s.words, pos, crf=crf)]
        gold = set(s.spans)
        for m in merges:
            system = merge(m, rules, found)
            for kind in TYPES:
                sk = {x for x in system if x[2] == kind}
                gk = {x for x in gold if x[2] == kind}
                for key in (kind, "all"):
                    counts[m][key]["tp"] += len(sk & gk)
                    counts[m][key]["fp"] += len(sk - gk)
                    counts[m][key]["fn"] += len(gk - sk)
            if args.errors and m == merges[0]:
                line = " ".join(s.words)
                errors += [
                    f"FP {k}\t{' '.join(s.words[a : b + 1])}\t|| {line}"
                    for a, b, k in sorted(system - gold)
                ]
                errors += [
                    f"FN {k}\t{' '.join(s.words[a : b + 1])}\t|| {line}"
                    for a, b, k in sorted(gold - system)
                ]
    print(f"{args.split}: {len(sentences)} sentences")
    for m in merges:
        row = []
        for key in ("all", *TYPES):
            p, r, f = prf(counts[m][key])
            row.append(f"{key} P {p:.3f} R {r:.3f} F1 {f:.3f}")
        print(f"{m:16} " + " | ".join(row))
    if args.errors:
        args.errors.write_text("\n".join(errors) + "\n", encoding="utf-8")
    if args.speed:
        speed(sentences, all_pos)


def speed(sentences: list, all_pos: list[list[str]]) -> None:
    """predict_batch() per article of >= 400 words (consecutive sentences), CPU time: once with
    an empty word cache, once warm (as in a corpus run)."""
    crf = model()
    articles: list[list[int]] = [[]]
    words = 0
    for i, s in enumerate(sentences):
        articles[-1].append(i)
        words += len(s.words)
        if words >= 400:
            articles.append([])
            words = 0
    articles = [a for a in articles if a]
    total = sum(len(s.words) for s in sentences)
    for label in ("cold", "warm"):
        if label == "cold":
            crf.clear_cache()
        started = time.process_time()
        for article in articles:
            predict_batch(
                [sentences[i].words for i in article], [all_pos[i] for i in article], crf=crf
            )
        elapsed = time.process_time() - started
        print(
            f"speed ({label} word cache): {total / elapsed:,.0f} words/s, "
            f"{elapsed / len(articles) * 1000:.1f} ms per 400-word article "
            f"({len(articles)} articles, CPU time)",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
