"""Part-of-speech and lemma accuracy of the German tagger on Universal Dependencies treebanks.

    .venv/bin/python scripts/eval_ud.py [--tagger chronik|hanta] [--data ../shared/data]

Tags the gold tokens of UD German GSD test and PUD sentence by sentence (the treebank's surface
tokens, not Chronik's tokenizer) and compares:

- STTS (the XPOS column) on GSD; GSD writes 'PAV' for the pronominal adverb HanTa calls 'PROAV',
  and HanTa's NNA and NNI (nominalised adjectives and infinitives) count as STTS NN.
  PUD's XPOS column is not STTS (it uses Google's tags: DT, VBC, IN ...), so on PUD only UPOS is
  compared.
- UPOS, from each STTS tag through one fixed table: the UPOS the tag most often has in GSD dev
  (never test). Where UD splits a word that STTS keeps whole (AUX vs VERB for 'haben' as a main
  verb), the table's single answer is what is scored.
- Lemmas, exactly and ignoring case.

UD splits contractions into syntactic words ("zum" -> "zu dem", a multiword token); the tagger sees
the surface token ("zum", APPRART). Accuracy is over the words whose surface form is their own
token; the multiword tokens are reported apart: correct when tagged APPRART and UD's words are
APPR + ART.
"""

from __future__ import annotations

import argparse
import lzma
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
GSD_DEV = "ud_german_gsd/de_gsd-ud-dev.conllu.xz"
SETS = {
    "GSD test": "ud_german_gsd/de_gsd-ud-test.conllu.xz",
    "PUD test": "ud_german_pud/de_pud-ud-test.conllu.xz",
}
#: HanTa's names for STTS tags: PROAV is GSD's PAV; its NNA (nominalised adjective) and NNI
#: (nominalised infinitive) are STTS NN
_SAME_TAG = {"PROAV": "PAV", "NNA": "NN", "NNI": "NN"}

Tagger = Callable[[list[str]], list[tuple[str, str]]]


@dataclass
class Token:
    surface: str
    #: (form, UPOS, XPOS, lemma) of each syntactic word; one unless a multiword token
    words: list[tuple[str, str, str, str]] = field(default_factory=list)


def read_conllu(path: Path) -> Iterator[list[Token]]:
    tokens: list[Token] = []
    span_end = 0
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        for raw in handle:
            line = raw.rstrip("\n")
            if not line:
                if tokens:
                    yield tokens
                tokens, span_end = [], 0
                continue
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            if "." in cols[0]:
                continue
            if "-" in cols[0]:
                _, last = cols[0].split("-")
                tokens.append(Token(cols[1]))
                span_end = int(last)
                continue
            word = (cols[1], cols[3], cols[4], cols[2])
            if span_end and int(cols[0]) <= span_end:
                tokens[-1].words.append(word)
            else:
                tokens.append(Token(cols[1], [word]))
    if tokens:
        yield tokens


def upos_table(path: Path) -> dict[str, str]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for sentence in read_conllu(path):
        for token in sentence:
            if len(token.words) == 1:
                _, upos, xpos, _ = token.words[0]
                counts[xpos][upos] += 1
    table = {xpos: c.most_common(1)[0][0] for xpos, c in counts.items()}
    table.setdefault("PROAV", table.get("PAV", "ADV"))
    return table


def chronik_tagger() -> Tagger:
    from chronik.tagger import german_tagger

    tagger = german_tagger()

    def tag(words: list[str]) -> list[tuple[str, str]]:
        return [(t.pos, t.lemma) for t in tagger.tag(words)]

    return tag


def hanta_tagger() -> Tagger:
    from functools import lru_cache

    from HanTa import HanoverTagger

    from chronik.tagger import stts

    tagger = HanoverTagger.HanoverTagger("morphmodel_ger.pgz")
    tagger.analyze_forward = lru_cache(maxsize=None)(tagger.analyze_forward)
    tagger._analyze = lru_cache(maxsize=None)(tagger._analyze)

    def tag(words: list[str]) -> list[tuple[str, str]]:
        return [(stts(raw), lemma) for _, lemma, raw in tagger.tag_sent(words, taglevel=1)]

    return tag


def evaluate(path: Path, tag: Tagger, table: dict[str, str], stts: bool) -> dict[str, float]:
    c: Counter[str] = Counter()
    confusions: Counter[tuple[str, str]] = Counter()
    start = time.perf_counter()
    for sentence in read_conllu(path):
        predicted = tag([t.surface for t in sentence])
        for token, (pos, lemma) in zip(sentence, predicted, strict=True):
            if len(token.words) != 1:
                c["mwt"] += 1
                gold = [w[2] for w in token.words]
                c["mwt_ok"] += pos == "APPRART" and gold == ["APPR", "ART"]
                continue
            _, upos, xpos, gold_lemma = token.words[0]
            c["words"] += 1
            if stts:
                ok = _SAME_TAG.get(pos, pos) == xpos
                c["xpos"] += ok
                if not ok:
                    confusions[(xpos, pos)] += 1
            c["upos"] += table.get(pos, "X") == upos
            c["lemma"] += lemma == gold_lemma
            c["lemma_ci"] += lemma.lower() == gold_lemma.lower()
    seconds = time.perf_counter() - start
    words = c["words"]
    result = {
        "words": words,
        "upos": c["upos"] / words,
        "lemma": c["lemma"] / words,
        "lemma_ci": c["lemma_ci"] / words,
        "mwt": c["mwt"],
        "mwt_ok": c["mwt_ok"] / max(c["mwt"], 1),
        "seconds": seconds,
    }
    if stts:
        result["xpos"] = c["xpos"] / words
        result["confusions"] = confusions.most_common(8)  # type: ignore[assignment]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="German tagger accuracy on UD GSD test and PUD.")
    parser.add_argument("--tagger", choices=("chronik", "hanta"), default="chronik")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    table = upos_table(args.data / GSD_DEV)
    tag = chronik_tagger() if args.tagger == "chronik" else hanta_tagger()
    for name, rel in SETS.items():
        r = evaluate(args.data / rel, tag, table, stts=name.startswith("GSD"))
        stts = f"STTS {r['xpos']:.2%}  " if "xpos" in r else ""
        print(
            f"{args.tagger} {name}: {r['words']:,} words  {stts}UPOS {r['upos']:.2%}  "
            f"lemma {r['lemma']:.2%} (ignoring case {r['lemma_ci']:.2%})  "
            f"contractions {r['mwt_ok']:.2%} of {r['mwt']}  ({r['seconds']:.1f} s)"
        )
        if "confusions" in r:
            print("  most frequent (gold, tagged):", r["confusions"])


if __name__ == "__main__":
    main()
