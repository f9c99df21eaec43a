"""Konjunktiv detection on the reported speech of SpkAtt-2023: precision and recall of the mood.

    .venv/bin/python scripts/eval_mood.py [--tagger chronik|hanta] [--data ../shared/data]

Gold (`scripts/eval_mood_gold.tsv`, labelled by hand): the quotes of the SpkAtt-2023 training
articles whose corpus form is 'Indirect' and whose text occurs verbatim in the article, shuffled
with random.Random(2023) in the order of the sorted gold files, and taken from the start until
they held 200 finite verbs (168 quotes). Each quote was tokenised with Chronik's tokenizer and
every finite verb in it labelled with the mood its form shows in context:

- subj1: a Konjunktiv I form distinct from the indicative of its person ("sei", "habe" of a third
  person singular, "müsse", "befinde");
- subj2: a Konjunktiv II form distinct from the preterite ("hätten", "wären", "könnte", "würde",
  "befänden");
- ind: everything else, including forms the indicative shares with a Konjunktiv ("sie haben",
  "sollten", "wollten" in reported speech: their mood cannot be seen in the form).

Non-finite tokens (infinitives, participles, adjectives) are not finite verbs; a tagger that gives
them a mood makes a false positive. Each article is run through tokenize and tag as in the
pipeline, and the quote's tokens are found by their character offsets.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from chronik.document import Document
from chronik.pipeline import build
from chronik.tagger import FINITE, mood

ROOT = Path(__file__).resolve().parents[1]
GOLD = Path(__file__).resolve().with_name("eval_mood_gold.tsv")
DEFAULT_DATA = ROOT.parent / "shared" / "data"
MOODS = ("subj1", "subj2")


def read_gold(path: Path) -> dict[tuple[str, int], dict[int, str]]:
    gold: dict[tuple[str, int], dict[int, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        doc, quote, token, _, label = line.split("\t")
        labels = gold.setdefault((doc, int(quote)), {})
        if token != "-":
            labels[int(token)] = label
    return gold


def hanta_core():
    """tokenize + HanTa as the tag stage ran it before the distilled tagger (for comparison)."""
    from functools import lru_cache

    from HanTa import HanoverTagger

    from chronik.tagger import stts

    tagger = HanoverTagger.HanoverTagger("morphmodel_ger.pgz")
    tagger.analyze_forward = lru_cache(maxsize=None)(tagger.analyze_forward)
    tagger._analyze = lru_cache(maxsize=None)(tagger._analyze)
    tokenize = build("de", ["chronik.tokenize.v1"])

    def run(doc: Document) -> Document:
        doc = tokenize(doc)
        for index in range(len(doc.sentences)):
            tokens = doc.sentence_tokens(index)
            for token, (_, lemma, raw) in zip(
                tokens, tagger.tag_sent([t.text for t in tokens]), strict=True
            ):
                token.pos, token.lemma = stts(raw), lemma
                if token.pos in FINITE:
                    token.morph["Mood"] = mood(token.text, lemma)
        return doc

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description="Konjunktiv detection in SpkAtt indirect quotes.")
    parser.add_argument("--tagger", choices=("chronik", "hanta"), default="chronik")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    root = args.data / "spkatt2023" / "train"
    gold = read_gold(GOLD)
    tokenize = build("de", ["chronik.tokenize.v1"])
    core = (
        build("de", ["chronik.tokenize.v1", "chronik.tag.v1"])
        if args.tagger == "chronik"
        else hanta_core()
    )
    counts: Counter[str] = Counter()
    errors = []
    for doc_id in sorted({d for d, _ in gold}):
        record = json.loads((root / "gold" / f"{doc_id}.json").read_text(encoding="utf-8"))
        text = (root / "articles" / f"{doc_id}.txt").read_text(encoding="utf-8")
        doc = core(Document(text=text))
        by_start = {t.start: t for t in doc.tokens}
        for (gold_doc, quote), labels in gold.items():
            if gold_doc != doc_id:
                continue
            quote_text = record["quotes"][quote]["text"]
            base = text.find(quote_text)
            for index, token in enumerate(tokenize(Document(text=quote_text)).tokens):
                tagged = by_start.get(base + token.start)
                predicted = tagged.morph.get("Mood", "") if tagged is not None else ""
                expected = labels.get(index, "")
                counts["finite_gold"] += bool(expected)
                counts["finite_tagged"] += bool(predicted)
                counts["finite_both"] += bool(expected) and bool(predicted)
                counts["mood_ok"] += bool(expected) and predicted == expected
                for label in MOODS:
                    counts[f"{label}_gold"] += expected == label
                    counts[f"{label}_tagged"] += predicted == label
                    counts[f"{label}_both"] += expected == label and predicted == label
                if predicted != expected and (expected or predicted):
                    errors.append(
                        f"{doc_id} {quote} {token.text}: {expected or '-'} tagged "
                        f"{predicted or '-'} ({tagged.pos if tagged else '?'})"
                    )
    print(f"{args.tagger}: {len(gold)} quotes, {counts['finite_gold']} finite verbs (gold)")
    for label in ("finite", *MOODS):
        both, tagged, expected = (counts[f"{label}_{k}"] for k in ("both", "tagged", "gold"))
        p = both / tagged if tagged else 0.0
        r = both / expected if expected else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(
            f"  {label:<7} P {p:.3f} ({both}/{tagged})  R {r:.3f} ({both}/{expected})  F1 {f:.3f}"
        )
    accuracy = counts["mood_ok"] / counts["finite_gold"]
    print(f"  mood accuracy over gold finite verbs: {accuracy:.3f}")
    for line in errors:
        print("  error:", line)


if __name__ == "__main__":
    main()
