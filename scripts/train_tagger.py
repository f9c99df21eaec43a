"""Build the German tagger's model files in `src/chronik/models/` by distilling HanTa.

HanTa (Wartena 2019) tags a sentence with a second-order hidden Markov model whose emission
probabilities come from a morphological analysis of each word form. That analysis is what makes
it slow (milliseconds per new form). This script runs it once, offline, for every word form of a
German corpus and writes what the tagger needs to reproduce HanTa's choices without it:

- `de_hmm.json.gz`: HanTa's tag-trigram transition log-probabilities, its per-tag capitalisation
  and tag-prior terms (copied from the model, tag names written as STTS: 'VV(FIN)' -> 'VVFIN');
- `de_lexicon.tsv.gz`: per lower-case word form, HanTa's candidate tags with their analysis
  log-probabilities, the lemma HanTa gives the form under each tag, and the mood of finite verbs;
- `de_guesser.tsv.gz`: for forms the lexicon lacks, the tag distribution and lemma rule of each
  word ending, estimated on the lexicon's morphologically analysed (not memorised) forms.

Word forms come from HanTa's own memorised forms and from the tokens of these corpora in
../shared/data (never from UD GSD test or PUD, which evaluate the tagger, nor from the held-out
SpkAtt test_blind and 10kGNAD texts, which measure its agreement with HanTa and its speed):
SpkAtt-2023 train articles (Wikinews, CC BY 2.5), GermEval 2014 dev (CC BY 4.0), German Europarl
NER train and dev (European Parliament proceedings) and UD German GSD dev (CC BY-SA 4.0). The test
splits of the NER sets are left out too, so that the NER figures on them see no word form the
tagger was built from.

    .venv/bin/python scripts/train_tagger.py [--data ../shared/data] [--workers 2]

Takes about ten minutes on two cores. CI never runs it; the committed files are what the tagger
loads.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import lzma
import math
import multiprocessing
import pickle
import time
from collections import Counter, defaultdict
from pathlib import Path

from HanTa import HanoverTagger

from chronik.document import Document
from chronik.pipeline import build
from chronik.tagger import (
    FINITE,
    MAX_WORD,
    Analysis,
    compound,
    guesser_key,
    mood,
    normalize,
    stts,
)

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "src" / "chronik" / "models"
DEFAULT_DATA = ROOT.parent / "shared" / "data"
#: analysis log-probabilities this far below a form's best can never survive HanTa's cutoff of 5
#: after the capitalisation and prior terms (which span less than 25) are added
KEEP_BELOW_BEST = 30.0
#: HanTa drops a non-memorised form's tags more than this below its best (after the terms)
CUTOFF = 5.0
#: a guesser's ending or lemma rule needs this many lexicon forms behind it
MIN_SUPPORT = 2
#: an ending's tag distribution is smoothed with this many forms' worth of the shorter ending's
PRIOR_WEIGHT = 2.0
#: tags less likely than this after an ending are not offered
MIN_GUESS = 0.01

#: HanTa's states before the first and after the last word, which its tag table leaves unnamed
_PSEUDO = {0: "EMPTY", 1: "START", 2: "END"}
#: analyses of earlier runs (HanTa's output for a form never changes); not committed
CACHE = ROOT / "build" / "tagger-analyses.pkl.gz"

_tagger: HanoverTagger.HanoverTagger | None = None

#: a lower-case form, whether HanTa memorised it, and its candidates (STTS tag, score, lemma)
Analysed = tuple[str, bool, list[tuple[str, float, str]]]


def conll_sentences(path: Path, column: int, skip_ranges: bool) -> list[list[str]]:
    sentences: list[list[str]] = []
    current: list[str] = []
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        for raw in handle:
            line = raw.rstrip("\n")
            if not line:
                if current:
                    sentences.append(current)
                current = []
                continue
            if line.startswith("#"):
                continue
            parts = line.split("\t")
            if skip_ranges and ("-" in parts[0] or "." in parts[0]):
                continue
            current.append(parts[column])
    if current:
        sentences.append(current)
    return sentences


def corpus_sentences(data: Path) -> list[list[str]]:
    """Token lists of the lexicon's corpora; running text goes through Chronik's tokenizer."""
    tokenize = build("de", ["chronik.tokenize.v1"])
    sentences: list[list[str]] = []
    with (data / "spkatt2023" / "train" / "corpus.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            doc = tokenize(Document(text=json.loads(line)["text"]))
            for index in range(len(doc.sentences)):
                sentences.append([t.text for t in doc.sentence_tokens(index)])
    sentences += conll_sentences(data / "germeval2014_ner" / "NER-de-dev.tsv.xz", 1, False)
    for name in ("train.tsv.xz", "dev.tsv.xz"):
        sentences += conll_sentences(data / "europarl_ner_de" / name, 0, False)
    sentences += conll_sentences(data / "ud_german_gsd" / "de_gsd-ud-dev.conllu.xz", 1, True)
    return sentences


def _init_worker() -> None:
    global _tagger
    _tagger = HanoverTagger.HanoverTagger("morphmodel_ger.pgz")


def _candidates(
    tagger: HanoverTagger.HanoverTagger, raw: list[tuple[int, float]], cached: bool
) -> list[tuple[int, float]]:
    """The tags of `raw` that HanTa's sentence tagger can choose in any capitalisation context."""
    raw = [(t, p) for t, p in raw if t != HanoverTagger.UNKNOWN]
    if not raw:
        return []
    best = max(p for _, p in raw)
    raw = [(t, p) for t, p in raw if p >= best - KEEP_BELOW_BEST]
    if cached:
        return raw
    keep: set[int] = set()
    for variant in (None, False, True):
        scored = [
            (t, p - tagger.LP_wtag[t] + (0.0 if variant is None else tagger.LP_case_t[t][variant]))
            for t, p in raw
        ]
        top = max(p for _, p in scored)
        keep.update(t for t, p in scored if p >= top - CUTOFF)
    return [(t, p) for t, p in raw if t in keep]


def analyse(form: str) -> tuple[str, bool, list[tuple[str, float, str]]]:
    """HanTa's candidate tags of a lower-case form, each with log-probability and lemma."""
    tagger = _tagger
    assert tagger is not None
    cached = form in tagger.cache
    raw = tagger.cache[form] if cached else tagger.analyze_forward(form)
    entries = []
    for tag, lp in _candidates(tagger, list(raw), cached):
        lemma = tagger._analyze(form, tag, taglevel=1)[0]
        entries.append((stts(tagger.int2tag[tag]), round(lp, 3), lemma))
    return form, cached, entries


def write_hmm(tagger: HanoverTagger.HanoverTagger, path: Path) -> None:
    def name(tag: int) -> str:
        return _PSEUDO.get(tag) or stts(tagger.int2tag[tag])

    transitions = {
        f"{name(a)} {name(b)}": {name(c): round(lp, 4) for c, lp in following.items()}
        for (a, b), following in tagger.LP_trans_word.items()
    }
    model = {
        "source": "HanTa 1.2.1 morphmodel_ger.pgz (LGPL-3.0-or-later)",
        "transitions": transitions,
        "capitalisation": {
            name(t): [round(v[False], 4), round(v[True], 4)] for t, v in tagger.LP_case_t.items()
        },
        "prior": {name(t): round(v, 4) for t, v in tagger.LP_wtag.items()},
    }
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as handle:
        json.dump(model, handle, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def write_lexicon(analyses: list[Analysed], path: Path) -> None:
    """One line per form; finite verbs get their mood (from ablaut's paradigm of the lemma)."""
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as handle:
        handle.write("# form\tmemorised\ttag lp lemma [mood] per candidate; LGPL-3.0 (HanTa)\n")
        for form, cached, entries in sorted(analyses):
            if not entries:
                continue
            cells = [
                f"{tag} {lp} {lemma}" + (f" {mood(form, lemma)}" if tag in FINITE else "")
                for tag, lp, lemma in entries
            ]
            handle.write(f"{form}\t{int(cached)}\t" + "\t".join(cells) + "\n")


def lemma_rule(form: str, lemma: str) -> str | None:
    """'cut+add': the lemma is the form without its last `cut` characters plus `add`."""
    lemma = lemma.lower()
    common = 0
    for a, b in zip(form, lemma, strict=False):
        if a != b:
            break
        common += 1
    if common < 2:
        return None
    return f"{len(form) - common}+{lemma[common:]}"


def write_guesser(analyses: list[Analysed], path: Path) -> None:
    """Per word ending (up to GUESSER_SUFFIX characters): tag distribution and lemma rule per tag.

    Learnt from the forms that would reach the guesser if they were new: forms HanTa analysed
    rather than memorised, and that the compound rule cannot read from a known head. Each
    ending's distribution is smoothed towards the next shorter ending's (PRIOR_WEIGHT forms'
    worth), so that an ending seen a few times does not decide alone.
    """
    lexicon = {
        form: Analysis(
            cached, tuple((t, lp) for t, lp, _ in entries), {t: (m, "") for t, _, m in entries}
        )
        for form, cached, entries in analyses
        if entries
    }
    particles = {f for f, a in lexicon.items() if any(t == "PTKVZ" for t, _ in a.scores)}
    mass: dict[str, Counter[str]] = defaultdict(Counter)
    forms_with: Counter[str] = Counter()
    rules: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for form, cached, entries in analyses:
        if cached or not entries or compound(form, lexicon.get, particles) is not None:
            continue
        top = max(lp for _, lp, _ in entries)
        weights = {tag: math.exp(lp - top) for tag, lp, _ in entries}
        total = sum(weights.values())
        key = guesser_key(form)
        for k in range(len(key) + 1):
            suffix = key[len(key) - k :]
            forms_with[suffix] += 1
            for tag, weight in weights.items():
                mass[suffix][tag] += weight / total
            for tag, _, lemma in entries:
                rule = lemma_rule(form, lemma)
                if rule is not None:
                    rules[(suffix, tag)][rule] += 1
    smoothed: dict[str, dict[str, float]] = {}
    chosen: dict[tuple[str, str], str] = {}
    for suffix in sorted(forms_with, key=len):
        shorter = smoothed.get(suffix[1:], {}) if suffix else {}
        n = forms_with[suffix]
        tags = set(mass[suffix]) | set(shorter)
        smoothed[suffix] = {
            t: (mass[suffix][t] + PRIOR_WEIGHT * shorter.get(t, 0.0)) / (n + PRIOR_WEIGHT)
            if suffix
            else mass[suffix][t] / n
            for t in tags
        }
        for tag in tags:
            counted = rules.get((suffix, tag))
            if counted and counted.most_common(1)[0][1] >= MIN_SUPPORT:
                chosen[(suffix, tag)] = counted.most_common(1)[0][0]
            else:
                chosen[(suffix, tag)] = chosen.get((suffix[1:], tag), "0+") if suffix else "0+"
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as handle:
        handle.write("# suffix\tforms\ttag logp rule per tag; LGPL-3.0 (derived from HanTa)\n")
        for suffix in sorted(smoothed):
            if forms_with[suffix] < MIN_SUPPORT:
                continue
            cells = [
                f"{tag} {math.log(p):.3f} {chosen[(suffix, tag)]}"
                for tag, p in sorted(smoothed[suffix].items(), key=lambda x: -x[1])
                if p >= MIN_GUESS
            ]
            handle.write(f"{suffix or '^'}\t{forms_with[suffix]}\t" + "\t".join(cells) + "\n")


def held_out_sentences(data: Path, articles: int) -> list[list[str]]:
    """SpkAtt test_blind and the first 10kGNAD articles: texts the lexicon was not built from."""
    tokenize = build("de", ["chronik.tokenize.v1"])
    texts = [
        json.loads(line)["text"]
        for line in (data / "spkatt2023" / "test_blind" / "corpus.jsonl").open(encoding="utf-8")
    ]
    with lzma.open(data / "10kgnad" / "test.csv.xz", "rt", encoding="utf-8") as handle:
        texts += [
            row[1]
            for row, _ in zip(
                csv.reader(handle, delimiter=";", quotechar="'"), range(articles), strict=False
            )
        ]
    sentences = []
    for text in texts:
        doc = tokenize(Document(text=text))
        for index in range(len(doc.sentences)):
            words = [t.text for t in doc.sentence_tokens(index)]
            if all(len(w) <= MAX_WORD for w in words):
                sentences.append(words)
    return sentences


def check(data: Path, articles: int) -> None:
    """Agreement of the distilled tagger with HanTa on held-out news, for known and new forms."""
    from functools import lru_cache

    from chronik.tagger import GermanTagger

    hanta = HanoverTagger.HanoverTagger("morphmodel_ger.pgz")
    hanta.analyze_forward = lru_cache(maxsize=None)(hanta.analyze_forward)
    hanta._analyze = lru_cache(maxsize=None)(hanta._analyze)
    tagger = GermanTagger()
    counts: Counter[str] = Counter()
    confusions: Counter[tuple[str, str]] = Counter()
    for words in held_out_sentences(data, articles):
        ours = tagger.tag(words)
        theirs = hanta.tag_sent(words, taglevel=1)
        for word, mine, (_, lemma, raw) in zip(words, ours, theirs, strict=True):
            kind = "known" if tagger.known(normalize(word)) else "new"
            tag = stts(raw)
            counts[kind] += 1
            counts[f"{kind}_tag"] += mine.pos == tag
            counts[f"{kind}_lemma"] += mine.lemma == lemma
            if mine.pos != tag:
                confusions[(tag, mine.pos)] += 1
    total = counts["known"] + counts["new"]
    print(f"held-out agreement with HanTa over {total:,} tokens:")
    for kind in ("known", "new"):
        n = counts[kind]
        print(
            f"  {kind:<5} forms: {n:,} tokens ({n / total:.1%}); "
            f"tag {counts[kind + '_tag'] / n:.2%}, lemma {counts[kind + '_lemma'] / n:.2%}"
        )
    tags = counts["known_tag"] + counts["new_tag"]
    lemmas = counts["known_lemma"] + counts["new_lemma"]
    print(f"  all: tag {tags / total:.2%}, lemma {lemmas / total:.2%}")
    print("  most frequent (HanTa, ours):", confusions.most_common(10))


def main() -> None:
    parser = argparse.ArgumentParser(description="Distil HanTa into Chronik's tagger models.")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--fresh", action="store_true", help="ignore analyses of earlier runs")
    parser.add_argument(
        "--check", action="store_true", help="only measure agreement with HanTa on held-out news"
    )
    parser.add_argument("--articles", type=int, default=150, help="10kGNAD articles for --check")
    args = parser.parse_args()
    if args.check:
        check(args.data, args.articles)
        return
    start = time.perf_counter()
    tagger = HanoverTagger.HanoverTagger("morphmodel_ger.pgz")
    sentences = corpus_sentences(args.data)
    counts = Counter(normalize(w) for s in sentences for w in s if len(w) <= MAX_WORD)
    forms = sorted(set(counts) | set(tagger.cache))
    forms = [f for f in forms if f and len(f) <= MAX_WORD]
    print(f"{len(sentences):,} sentences, {len(counts):,} corpus forms, {len(forms):,} forms")
    done: dict[str, Analysed] = {}
    if CACHE.exists() and not args.fresh:
        with gzip.open(CACHE, "rb") as handle:
            done = pickle.load(handle)
    todo = [f for f in forms if f not in done]
    with multiprocessing.get_context("fork").Pool(args.workers, _init_worker) as pool:
        for result in pool.imap_unordered(analyse, todo, chunksize=200):
            done[result[0]] = result
    CACHE.parent.mkdir(exist_ok=True)
    with gzip.open(CACHE, "wb") as handle:
        pickle.dump(done, handle)
    analyses = [(f, done[f][1], [e[:3] for e in done[f][2]]) for f in forms]
    print(f"analysed in {time.perf_counter() - start:.0f} s")
    MODELS.mkdir(exist_ok=True)
    write_hmm(tagger, MODELS / "de_hmm.json.gz")
    write_lexicon(analyses, MODELS / "de_lexicon.tsv.gz")
    write_guesser(analyses, MODELS / "de_guesser.tsv.gz")
    for name in ("de_hmm.json.gz", "de_lexicon.tsv.gz", "de_guesser.tsv.gz"):
        print(f"{name}: {(MODELS / name).stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
