"""Choose how the entities stage merges the NER model's names with the rules' (GermEval dev).

The packaged NER model is trained on all of GermEval dev, so dev figures of the stage as shipped
are optimistic. This script scores the stage (`chronik.entities.v1`) with a cross-validation fold
model instead (`scripts/train_ner.py --cv 2 --fold K --fold-dir DIR` writes DIR/foldK.npz) on the
dev sentences that model held out (sentence i belongs to fold i % cv), for each merge policy of
`Recognizer._merge`, plus the rules alone. Tags are those of new text (train_ner.heldout_tagger),
for the rules and the model alike. GermEval test is not read.

Scoring as in scripts/eval_germeval.py: outer layer, PER/LOC/ORG, strict spans; an entity inside
a single token (the name in a compound) is GermEval's *part class and is left out.

Run: .venv/bin/python scripts/select_entity_merge.py --folds DIR [--cv 2] [--policy P ...]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

from chronik.ner.corpus import TYPES, read_germeval
from chronik.ner.model import load
from chronik.registry import get_stage
from chronik.stages.entities import Recognizer
from chronik.tagger import normalize

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "scripts"))

from eval_germeval import document  # noqa: E402
from train_ner import corpora, heldout_tagger  # noqa: E402

POLICIES = (
    "rules",
    "model+rules@0.0",
    "model+rules@0.7",
    "model+rules@0.8",
    "kb+model+rules@0.7",
    "kb+model+rules@0.8",
    "dict+model+rules@0.7",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=Path, required=True, help="folder with foldK.npz")
    parser.add_argument("--cv", type=int, default=2)
    parser.add_argument("--policy", action="append", help="policies to score (default: all)")
    args = parser.parse_args()
    sentences = read_germeval(DATA / "germeval2014_ner" / "NER-de-dev.tsv.xz")
    tagged = corpora()["germeval_dev"]
    crfs = {int(p.stem[4:]): load(p) for p in sorted(args.folds.glob("fold*.npz"))}
    lexicon = heldout_tagger()._lexicon  # internal: the form -> analysis table
    for crf in crfs.values():
        if crf.lexicons.known is not None:
            crf.lexicons = replace(crf.lexicons, known=lambda w: normalize(w) in lexicon)
    tag = get_stage("chronik.tag.v1").factory("de")
    policies = args.policy or list(POLICIES)
    recognizers = {
        (policy, fold): (
            Recognizer("de", model=None)
            if policy == "rules"
            else Recognizer("de", model=crf, merge=policy)
        )
        for policy in policies
        for fold, crf in crfs.items()
    }
    counts = {p: {t: Counter() for t in (*TYPES, "all")} for p in policies}
    scored = 0
    for i, (sentence, new_text) in enumerate(zip(sentences, tagged, strict=True)):
        fold = i % args.cv
        if fold not in crfs:
            continue
        scored += 1
        doc = tag(document(sentence.words))
        for token, pos in zip(doc.tokens, new_text.pos, strict=True):
            token.pos = pos
        starts = {t.start: t.i for t in doc.tokens}
        ends = {t.end: t.i for t in doc.tokens}
        gold = set(sentence.spans)
        for policy in policies:
            found = recognizers[policy, fold](doc)
            system = {
                (starts[e.start], ends[e.end], e.type)
                for e in found
                if e.type in TYPES and e.start in starts and e.end in ends
            }
            for kind in TYPES:
                s = {x for x in system if x[2] == kind}
                g = {x for x in gold if x[2] == kind}
                for key in (kind, "all"):
                    counts[policy][key]["tp"] += len(s & g)
                    counts[policy][key]["fp"] += len(s - g)
                    counts[policy][key]["fn"] += len(g - s)
    print(f"GermEval dev, {scored} held-out sentences, folds {sorted(crfs)} of {args.cv}")
    for policy in policies:
        line = []
        for key in ("all", *TYPES):
            c = counts[policy][key]
            p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
            r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            line.append(f"{key} {f:.3f}" if key != "all" else f"P {p:.3f} R {r:.3f} F1 {f:.3f}")
        print(f"{policy:22} " + "  ".join(line))


if __name__ == "__main__":
    main()
