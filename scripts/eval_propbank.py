"""Who did what to whom: Chronik's clause analysis against Universal PropBank German (and UD).

    .venv/bin/python scripts/eval_propbank.py [--split dev|test|both] [--data ../shared/data]
                                              [--errors N] [--ud]

For each sentence of UP German (UD German-GSD dev/test with PropBank senses and A0/A1/... on the
head words of arguments) a Document is built from the gold surface tokens (gold tokenisation; a
multiword token such as "zum" stays one token, as Chronik's tokenizer would leave it), tagged by
the tag stage, and analysed by `chronik.syntax`. Each verbal predicate (UPOS VERB or AUX) is mapped
to the clause whose lexical verb it is (`Clause.main_verb`), else to the clause whose verb complex
holds it; a predicate in no clause's verb complex gets no arguments.

The clause's arguments map onto PropBank roles by their head tokens (`Argument.head`: the noun,
pronoun or name that heads the phrase; the common noun in "Präsident Wladimir Putin"; the first
conjunct of a coordination; the relative pronoun itself, which UP labels like UD):

- active clause: subject -> A0; the accusative object (the one that cannot be dative, else the
  last that can be accusative) -> A1, else the head of a complement clause (dass/ob/w-clause, an
  infinitive that is no purpose clause, reported speech; the predicative word of a copula clause);
- copula (`sein`, `werden`, `bleiben` as lexical verb, or as the predicate whose clause has a
  participle: "bin begeistert") and `sein` + participle (perfect of an unaccusative, stative
  passive): subject -> A1 (be.01, become.01 have no A0);
- passive: the grammatical subject -> A1, the `von`/`durch` agent -> A0;
- a subjectless infinitival clause: its `controller` -> A0 (A1 in a copula or passive reading);
- a coordinated clause's inherited subject is not scored either way (UP labels it for about a
  third of such verbs).

Scores are precision / recall / F1 of (predicate, role, head token) triples for A0, A1 and both,
and both for the news part of the split (dev s501-, test s302-; the rest are reviews).
Unaccusative verbs whose subject PropBank labels A1 ("kommen", come.01) count as errors of this
mapping: the clause analysis does not know verb classes. `role-blind` scores the same heads with
the A0/A1 label ignored, which measures argument finding alone.

With `--ud`, a second view on UD German-GSD test (the current release, heads and relations):
finite-verb identification (`Clause.finite` against words with VerbForm=Fin) and clause subjects
(a clause with a verb whose subject phrase holds an `nsubj`/`nsubj:pass` word whose governor lies
in the clause; UD 2 heads names by their first word, so the phrase, not its head, is matched;
inherited subjects left out).
"""

from __future__ import annotations

import argparse
import lzma
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from chronik import syntax
from chronik.document import Document, Metadata, Sentence, Token
from chronik.registry import get_stage

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
UP = "up_german_srl/{split}.conllu.xz"
UD = "ud_german_gsd/de_gsd-ud-{split}.conllu.xz"
COPULAS = frozenset({"sein", "werden", "bleiben"})
ROLES = ("A0", "A1")


@dataclass
class Word:
    id: int
    form: str
    upos: str
    xpos: str
    feats: str
    head: int
    deprel: str
    pred: bool = False
    frame: str = ""
    args: list[str] = field(default_factory=list)
    #: index of the surface token that holds this word
    token: int = 0


@dataclass
class GoldSentence:
    id: str
    surface: list[str]
    words: list[Word]


def read_conllu(path: Path, propbank: bool) -> Iterator[GoldSentence]:
    """Sentences of a CoNLL-U file; with `propbank`, columns 9+ are IS_PRED, FRAME, arguments."""
    sent_id = ""
    surface: list[str] = []
    words: list[Word] = []
    span_end = 0
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        for raw in handle:
            line = raw.rstrip("\n")
            if not line:
                if words:
                    yield GoldSentence(sent_id, surface, words)
                sent_id, surface, words, span_end = "", [], [], 0
                continue
            if line.startswith("#"):
                if "sent_id" in line:
                    sent_id = line.split("=", 1)[-1].split()[-1]
                continue
            cols = line.split("\t")
            if "." in cols[0]:
                continue
            if "-" in cols[0]:
                # a multiword token ("zum" = "zu dem"): one surface token for its words
                span_end = int(cols[0].split("-")[1])
                surface.append(cols[1])
                continue
            word = Word(
                id=int(cols[0]),
                form=cols[1],
                upos=cols[3],
                xpos=cols[4],
                feats=cols[5],
                head=int(cols[6]) if cols[6].isdigit() else 0,
                deprel=cols[7],
            )
            if propbank:
                word.pred = cols[8] == "Y"
                word.frame = cols[9]
                word.args = cols[10:]
            if word.id > span_end:
                surface.append(word.form)
            word.token = len(surface) - 1
            words.append(word)
    if words:
        yield GoldSentence(sent_id, surface, words)


def build_document(sentences: list[GoldSentence]) -> Document:
    """One Document per split, one Sentence per gold sentence, tokens as the treebank has them."""
    parts: list[str] = []
    tokens: list[Token] = []
    sents: list[Sentence] = []
    offset = 0
    for index, sent in enumerate(sentences):
        first = len(tokens)
        start = offset
        for form in sent.surface:
            tokens.append(Token(len(tokens), form, offset, offset + len(form), index))
            parts.append(form)
            offset += len(form) + 1
        sents.append(Sentence(start, offset - 1, first, len(tokens), index))
        parts[-1] += "\n"
    text = " ".join(parts).replace("\n ", "\n")
    doc = Document(text=text, meta=Metadata(id="eval", language="de"))
    doc.sentences = sents
    doc.tokens = tokens
    # the joined text puts each token where its offsets say (one space or newline between)
    assert all(text[t.start : t.end] == t.text for t in tokens)
    return doc


def tag(doc: Document) -> Document:
    return get_stage("chronik.tag.v1").factory("de")(doc)


@dataclass
class Tally:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)

    def add(self, role: str, keys: tuple[str, ...], tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        for key in (role, *keys):
            self.tp[key] += tp
            self.fp[key] += fp
            self.fn[key] += fn

    def line(self, key: str) -> str:
        tp, fp, fn = self.tp[key], self.fp[key], self.fn[key]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return f"{key:12s} P {p:.3f}  R {r:.3f}  F1 {f:.3f}   (tp {tp}, fp {fp}, fn {fn})"


def _head(arg: syntax.Argument) -> int:
    # UP, like UD, labels the relative pronoun itself ("die" in "..., die den Vertrag ablehnt")
    return arg.head


def _accusative(clause: syntax.Clause) -> syntax.Argument | None:
    objects = [a for a in clause.objects if a.role == "obj"]
    strict = [a for a in objects if "acc" in a.cases and "dat" not in a.cases]
    if strict:
        return strict[0]
    acc = [a for a in objects if "acc" in a.cases]
    if acc:
        return acc[-1]
    return objects[-1] if objects else None


#: introducers of subordinate clauses that are a verb's complement ("sagte, dass ...")
COMPLEMENTISERS = frozenset(
    {"dass", "daß", "ob", "wie", "was", "wer", "warum", "weshalb", "wieso", "wann", "wo"}
)


def _clause_head(clause: syntax.Clause) -> int | None:
    """The word UD makes the head of a clause: its lexical verb, or the predicative word of a
    copula clause."""
    if clause.lemma in COPULAS:
        preds = [a.head for a in clause.objects if a.role == "pred"] + clause.predicates
        if preds:
            return min(preds)
    return clause.main_verb


def _complement(clause: syntax.Clause, children: list[syntax.Clause]) -> int | None:
    """The head of the clause's content clause: a dass/ob/w-clause, an infinitive that is not a
    purpose, a reported main clause."""
    for child in children:
        if child.kind == "sub" and child.introducer not in COMPLEMENTISERS:
            continue
        if child.kind == "inf" and child.introducer is not None:
            continue
        if child.kind == "rel" or child.embedding in {"condition", "purpose"}:
            continue
        if child.kind == "main" and child.embedding not in {"speech", "claim", "belief", "hope"}:
            continue
        return _clause_head(child)
    return None


@dataclass
class Prediction:
    roles: dict[str, int] = field(default_factory=dict)
    #: heads left out of the score on both sides (a subject shared by coordinated verbs)
    unscored: set[int] = field(default_factory=set)


def predicted_roles(
    clause: syntax.Clause,
    predicate: int,
    tokens: list[Token],
    children: dict[int, list[syntax.Clause]],
    by_index: dict[int, syntax.Clause],
) -> Prediction:
    """A0 and A1 heads of `predicate` in `clause` under the mapping in the module docstring."""
    out = Prediction()
    subject = clause.subject or clause.controller
    if subject is not None and clause.elided_subject:
        # "X lobte Y und verwies auf Z": UP labels the shared subject for some coordinated verbs
        # only; it is scored neither way
        out.unscored.add(_head(subject))
        subject = None
    if clause.voice == "passive" and predicate == clause.main_verb:
        if subject is not None:
            out.roles["A1"] = _head(subject)
        if clause.agent is not None:
            out.roles["A0"] = clause.agent.head
        return out
    main = tokens[clause.main_verb] if clause.main_verb is not None else None
    copula = clause.lemma in COPULAS or (
        predicate != clause.main_verb and tokens[predicate].lemma.lower() in COPULAS
    )
    # "ist angekommen", "ist eingerichtet": a sein-perfect or a stative passive has no agent
    theme = copula or ("sein" in clause.auxiliaries and main is not None and main.pos == "VVPP")
    if subject is not None:
        out.roles["A1" if theme else "A0"] = _head(subject)
    if copula:
        return out
    obj = _accusative(clause)
    if obj is not None:
        out.roles.setdefault("A1", _head(obj))
    else:
        head = _complement(clause, children.get(clause.index, []))
        if head is not None:
            out.roles.setdefault("A1", head)
    return out


def clause_of(clauses: list[syntax.Clause], token: int) -> syntax.Clause | None:
    for clause in clauses:
        if clause.main_verb == token:
            return clause
    for clause in clauses:
        if token in clause.verbs:
            return clause
    return None


#: the first news sentence of each split (UD German-GSD README: dev s1-s500 and test s1-s301 are
#: reviews, the rest news)
NEWS_FROM = {"dev": 501, "test": 302}


def _news(split: str, sent_id: str) -> bool:
    number = sent_id.split("/")[0].rsplit("-s", 1)[-1]
    return number.isdigit() and int(number) >= NEWS_FROM[split]


def evaluate_up(
    split: str, sentences: list[GoldSentence], errors: int
) -> tuple[Tally, Counter[str], list[str], float]:
    doc = build_document(sentences)
    start = time.perf_counter()
    tag(doc)
    clauses = syntax.analyze(doc, "de")
    seconds = time.perf_counter() - start
    per_sentence: dict[int, list[syntax.Clause]] = {}
    for clause in clauses:
        per_sentence.setdefault(clause.sentence, []).append(clause)
    by_index = {c.index: c for c in clauses}
    children: dict[int, list[syntax.Clause]] = {}
    for clause in clauses:
        if clause.parent is not None:
            children.setdefault(clause.parent, []).append(clause)
    tally = Tally()
    info: Counter[str] = Counter()
    shown: list[str] = []
    for index, sent in enumerate(sentences):
        base = doc.sentences[index].token_start
        preds = [w for w in sent.words if w.pred]
        for column, pred in enumerate(preds):
            if pred.upos not in {"VERB", "AUX"}:
                continue
            info["predicates"] += 1
            gold: dict[str, set[int]] = {r: set() for r in ROLES}
            for w in sent.words:
                label = w.args[column] if column < len(w.args) else "_"
                if label in ROLES:
                    gold[label].add(base + w.token)
            clause = clause_of(per_sentence.get(index, []), base + pred.token)
            if clause is None:
                info["predicate in no clause"] += 1
                prediction = Prediction()
            else:
                prediction = predicted_roles(
                    clause, base + pred.token, doc.tokens, children, by_index
                )
            system = prediction.roles
            for role in ROLES:
                gold[role] -= prediction.unscored
            wrong: list[str] = []
            keys = ("both", "both (news)") if _news(split, sent.id) else ("both",)
            for role in ROLES:
                got = system.get(role)
                for head in gold[role]:
                    hit = head == got
                    tally.add(role, keys, tp=int(hit), fn=int(not hit))
                    if not hit:
                        wrong.append(f"missed {role}={doc.tokens[head].text}")
                if got is not None and got not in gold[role]:
                    tally.add(role, keys, fp=1)
                    wrong.append(f"wrong {role}={doc.tokens[got].text}")
            gold_heads = gold["A0"] | gold["A1"]
            system_heads = set(system.values())
            tally.tp["role-blind"] += len(gold_heads & system_heads)
            tally.fp["role-blind"] += len(system_heads - gold_heads)
            tally.fn["role-blind"] += len(gold_heads - system_heads)
            if wrong and len(shown) < errors:
                words = " ".join(
                    f"{t.text}/{t.pos}" for t in doc.tokens[base : doc.sentences[index].token_end]
                )
                lemma = clause.lemma if clause is not None else "-"
                shown.append(f"{sent.id} {pred.form} ({pred.frame}; {lemma}): {', '.join(wrong)}")
                shown.append(f"    {words}")
    info["tokens"] = len(doc.tokens)
    return tally, info, shown, seconds


def evaluate_ud(sentences: list[GoldSentence]) -> Tally:
    doc = build_document(sentences)
    tag(doc)
    clauses = syntax.analyze(doc, "de")
    tally = Tally()
    finite_gold: set[int] = set()
    subj_gold: dict[int, int] = {}  # subject token -> governor token
    for index, sent in enumerate(sentences):
        base = doc.sentences[index].token_start
        by_id = {w.id: w for w in sent.words}
        for w in sent.words:
            if "VerbForm=Fin" in w.feats:
                finite_gold.add(base + w.token)
            if w.deprel in {"nsubj", "nsubj:pass"} and w.head in by_id:
                subj_gold[base + w.token] = base + by_id[w.head].token
    finite_system = {c.finite for c in clauses if c.finite is not None}
    tally.tp["finite"] = len(finite_gold & finite_system)
    tally.fp["finite"] = len(finite_system - finite_gold)
    tally.fn["finite"] = len(finite_gold - finite_system)
    found: set[int] = set()
    for clause in clauses:
        subject = clause.subject
        if subject is None or clause.elided_subject or not clause.verbs:
            continue
        # the phrase holds the UD subject word (UD 2 heads a name by its first word, "Robert
        # Musil"; the first conjunct heads a coordination) and the clause holds its governor
        words = [
            t
            for t in range(subject.token_start, subject.token_end)
            if t in subj_gold and subj_gold[t] in clause.tokens and t not in found
        ]
        if words:
            tally.tp["nsubj"] += 1
            found.add(words[0])
        else:
            tally.fp["nsubj"] += 1
    tally.fn["nsubj"] = len(set(subj_gold) - found)
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--split", choices=["dev", "test", "both"], default="both")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--errors", type=int, default=0, help="print the first N wrong predicates")
    parser.add_argument("--ud", action="store_true", help="also score against UD GSD test")
    args = parser.parse_args()
    splits = ["dev", "test"] if args.split == "both" else [args.split]
    for split in splits:
        sentences = list(read_conllu(args.data / UP.format(split=split), propbank=True))
        tally, info, shown, seconds = evaluate_up(split, sentences, args.errors)
        print(
            f"UP German {split}: {len(sentences)} sentences, {info['predicates']} verbal "
            f"predicates ({info['predicate in no clause']} in no clause), "
            f"tagged and analysed in {seconds:.1f} s"
        )
        for key in ("A0", "A1", "both", "role-blind", "both (news)"):
            print("  " + tally.line(key))
        for line in shown:
            print(line)
    if args.ud:
        sentences = list(read_conllu(args.data / UD.format(split="test"), propbank=False))
        tally = evaluate_ud(sentences)
        print(f"UD German-GSD test: {len(sentences)} sentences")
        for key in ("finite", "nsubj"):
            print("  " + tally.line(key))


if __name__ == "__main__":
    main()
