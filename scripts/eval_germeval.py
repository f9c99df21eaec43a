"""NER figures of chronik.entities.v1 on GermEval 2014 (outer layer, PER/LOC/ORG, strict spans).

Each GermEval sentence becomes a one-sentence Document with the data set's own tokens (so spans
compare token for token); the tagger and the entities stage run on it. Gold and system spans
compare as (sentence, first token, last token, type); OTH and the *deriv / *part classes are not
scored, and a system entity inside a single token (the name in a compound, "UN" in
"UN-Beschlüsse") corresponds to GermEval's *part classes and is left out. Nothing is trained.

Run: .venv/bin/python scripts/eval_germeval.py [--split test|dev] [--limit N] [--errors FILE]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from chronik.document import Document, Sentence, Token
from chronik.ner.corpus import TYPES, read_germeval
from chronik.registry import get_stage

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "germeval2014_ner"


def document(words: list[str]) -> Document:
    tokens, offset = [], 0
    for i, word in enumerate(words):
        tokens.append(Token(i=i, text=word, start=offset, end=offset + len(word), sentence=0))
        offset += len(word) + 1
    text = " ".join(words)
    doc = Document(text=text, tokens=tokens)
    doc.sentences = [Sentence(start=0, end=len(text), token_start=0, token_end=len(tokens))]
    return doc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=("test", "dev"))
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--errors", type=Path, help="write false positives/negatives here")
    args = parser.parse_args()
    sentences = read_germeval(DATA / f"NER-de-{args.split}.tsv.xz")
    if args.limit:
        sentences = sentences[: args.limit]
    tag = get_stage("chronik.tag.v1").factory("de")
    entities = get_stage("chronik.entities.v1").factory("de")
    counts: dict[str, Counter[str]] = {t: Counter() for t in (*TYPES, "all")}
    errors: list[str] = []
    started = time.perf_counter()
    for sentence in sentences:
        words = sentence.words
        doc = entities(tag(document(words)))
        starts = {t.start: t.i for t in doc.tokens}
        ends = {t.end: t.i for t in doc.tokens}
        system = set()
        for e in doc.entities:
            if e.type in TYPES and e.start in starts and e.end in ends:
                system.add((starts[e.start], ends[e.end], e.type))
        gold = set(sentence.spans)
        for kind in TYPES:
            s = {x for x in system if x[2] == kind}
            g = {x for x in gold if x[2] == kind}
            for key in (kind, "all"):
                counts[key]["tp"] += len(s & g)
                counts[key]["fp"] += len(s - g)
                counts[key]["fn"] += len(g - s)
        if args.errors:
            for a, b, kind in sorted(system - gold):
                errors.append(f"FP {kind}\t{' '.join(words[a : b + 1])}\t|| {' '.join(words)}")
            for a, b, kind in sorted(gold - system):
                errors.append(f"FN {kind}\t{' '.join(words[a : b + 1])}\t|| {' '.join(words)}")
    elapsed = time.perf_counter() - started
    print(f"GermEval 2014 {args.split}: {len(sentences)} sentences in {elapsed:.1f}s")
    for key, c in counts.items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{key:4} P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (tp {c['tp']} fp {c['fp']} fn {c['fn']})")
    if args.errors:
        args.errors.write_text("\n".join(errors) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
