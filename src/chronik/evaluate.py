"""Scoring by the rules of the output contract (`shared/contract/README.md`).

Per article, then pooled over all articles (micro-averaged): events (and the looser dyad and
pair figures), quote detection and attribution, entities and times. System output is the
contract's JSON object (`Document.to_dict()`); gold is the contract's gold format.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chronik.errors import InputError

SYMMETRIC = frozenset({"CONSULT", "COOPERATE", "AGREE"})
FUNCTION_WORDS = frozenset(
    {
        "der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "eines", "einem",
        "einen", "und", "von", "laut", "nach", "angaben",
        "the", "a", "an", "and", "of", "according", "to",
    }
)  # fmt: skip
PRONOUNS = frozenset(
    {
        "er", "sie", "es", "ihm", "ihn", "ihr", "ihnen", "man", "wir", "ich", "du",
        "he", "she", "it", "they", "him", "her", "them", "we", "i", "you",
    }
)  # fmt: skip
_WORD = re.compile(r"\w+")
METRICS = ("events", "dyads", "pairs", "quotes", "attribution", "entities", "times")


@dataclass(slots=True)
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass(slots=True)
class Report:
    scores: dict[str, Score] = field(default_factory=lambda: {m: Score() for m in METRICS})
    articles: dict[str, dict[str, Score]] = field(default_factory=dict)

    def add(self, article_id: str, scores: dict[str, Score]) -> None:
        self.articles[article_id] = scores
        for name, score in scores.items():
            self.scores[name].add(score)

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": len(self.articles),
            "scores": {name: score.as_dict() for name, score in self.scores.items()},
            "per_article": {
                aid: {name: s.as_dict() for name, s in scores.items()}
                for aid, scores in self.articles.items()
            },
        }


def max_matching(
    left: list[Any], right: list[Any], edge: Callable[[Any, Any], bool]
) -> dict[int, int]:
    """Maximum bipartite matching (augmenting paths); returns {left index: right index}."""
    adjacency = [[j for j, r in enumerate(right) if edge(item, r)] for item in left]
    match_right: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in adjacency[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in match_right or augment(match_right[j], seen):
                match_right[j] = i
                return True
        return False

    for i in range(len(left)):
        augment(i, set())
    return {i: j for j, i in match_right.items()}


def _score_matching(
    system: list[Any],
    gold_required: list[Any],
    gold_optional: list[Any],
    edge: Callable[[Any, Any], bool],
) -> Score:
    """TP: matches to required gold; FP: system items matching no gold at all (matches that
    only reach optional gold are ignored); FN: required gold left unmatched."""
    matched = max_matching(system, gold_required, edge)
    tp = len(matched)
    fp = 0
    for i, item in enumerate(system):
        if i in matched:
            continue
        if any(edge(item, g) for g in gold_optional):
            continue
        fp += 1
    return Score(tp=tp, fp=fp, fn=len(gold_required) - tp)


# --- events ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _GoldTuple:
    types: frozenset[str]
    source: str
    target: str
    negated: bool


def _system_event_tuples(output: dict[str, Any]) -> set[tuple[str, str, str, bool]]:
    country = {a["id"]: a.get("country") for a in output.get("actors", [])}
    tuples: set[tuple[str, str, str, bool]] = set()
    for ev in output.get("events", []):
        if ev.get("modality") == "hypothetical":
            continue
        for s in ev.get("source", []):
            for t in ev.get("target", []):
                cs, ct = country.get(s), country.get(t)
                if cs and ct:
                    tuples.add((ev["type"], cs, ct, bool(ev.get("negated"))))
    return tuples


def _gold_event_tuples(gold: dict[str, Any]) -> tuple[list[_GoldTuple], list[_GoldTuple]]:
    required: set[_GoldTuple] = set()
    optional: set[_GoldTuple] = set()
    for ev in gold.get("events", []):
        types = ev["type"] if isinstance(ev["type"], list) else [ev["type"]]
        for s in ev.get("source", []):
            for t in ev.get("target", []):
                item = _GoldTuple(frozenset(types), s, t, bool(ev.get("negated")))
                (optional if ev.get("optional") else required).add(item)
    return sorted(required, key=repr), sorted(optional - required, key=repr)


def score_events(output: dict[str, Any], gold: dict[str, Any]) -> dict[str, Score]:
    system = sorted(_system_event_tuples(output))
    required, optional = _gold_event_tuples(gold)

    def same_dyad(sys: tuple[str, str, str, bool], g: _GoldTuple, symmetric: bool) -> bool:
        forward = sys[1] == g.source and sys[2] == g.target
        reverse = symmetric and sys[1] == g.target and sys[2] == g.source
        return forward or reverse

    def event_edge(sys: tuple[str, str, str, bool], g: _GoldTuple) -> bool:
        if sys[0] not in g.types or sys[3] != g.negated:
            return False
        return same_dyad(sys, g, sys[0] in SYMMETRIC)

    # dyads: type ignored; direction and negation kept (reversal allowed for symmetric gold)
    dyads = sorted({(s, t, neg) for _, s, t, neg in system})
    dyad_types: dict[tuple[str, str, bool], set[str]] = {}
    for typ, s, t, neg in system:
        dyad_types.setdefault((s, t, neg), set()).add(typ)

    def dyad_edge(sys: tuple[str, str, bool], g: _GoldTuple) -> bool:
        if sys[2] != g.negated:
            return False
        forward = sys[0] == g.source and sys[1] == g.target
        symmetric = bool(g.types & SYMMETRIC) and bool(dyad_types[sys] & SYMMETRIC)
        return forward or (symmetric and sys[0] == g.target and sys[1] == g.source)

    # pairs: type, direction and negation ignored
    pairs = sorted({frozenset((s, t)) for _, s, t, _ in system}, key=sorted)

    def unique_pairs(items: list[_GoldTuple]) -> list[frozenset[str]]:
        return sorted({frozenset((g.source, g.target)) for g in items}, key=sorted)

    gold_pairs = unique_pairs(required)
    optional_pairs = [p for p in unique_pairs(optional) if p not in set(gold_pairs)]

    def unique_dyads(items: list[_GoldTuple]) -> list[_GoldTuple]:
        merged: dict[tuple[str, str, bool], set[str]] = {}
        for g in items:
            merged.setdefault((g.source, g.target, g.negated), set()).update(g.types)
        return [_GoldTuple(frozenset(v), k[0], k[1], k[2]) for k, v in sorted(merged.items())]

    gold_dyads = unique_dyads(required)
    required_keys = {(g.source, g.target, g.negated) for g in gold_dyads}
    optional_dyads = [
        g for g in unique_dyads(optional) if (g.source, g.target, g.negated) not in required_keys
    ]
    return {
        "events": _score_matching(system, required, optional, event_edge),
        "dyads": _score_matching(dyads, gold_dyads, optional_dyads, dyad_edge),
        "pairs": _score_matching(pairs, gold_pairs, optional_pairs, lambda a, b: a == b),
    }


# --- quotes ----------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text or "")]


def texts_overlap(a: str, b: str) -> bool:
    """The shared word tokens make up at least half of the longer text."""
    wa, wb = Counter(words(a)), Counter(words(b))
    longer = max(sum(wa.values()), sum(wb.values()))
    if longer == 0:
        return False
    shared = sum((wa & wb).values())
    return shared * 2 >= longer


def _content_words(text: str) -> set[str]:
    out = set()
    for word in _WORD.findall(text or ""):
        if word.lower() in FUNCTION_WORDS:
            continue
        if len(word) >= 3 or (len(word) >= 2 and word.isupper()):
            out.add(word.lower())
    return out


def speaker_matches(gold_speakers: list[str], system_names: list[str], speaker_text: str) -> bool:
    gold_words = {w.lower() for s in gold_speakers for w in _WORD.findall(s)}
    if gold_words and gold_words <= PRONOUNS:
        said = {w.lower() for w in _WORD.findall(speaker_text or "")}
        return bool(gold_words & said)
    gold_content = (
        set().union(*(_content_words(s) for s in gold_speakers)) if gold_speakers else set()
    )
    system_content = set().union(*(_content_words(s) for s in [*system_names, speaker_text]))
    return bool(gold_content & system_content)


def score_quotes(output: dict[str, Any], gold: dict[str, Any]) -> dict[str, Score]:
    names = {a["id"]: a.get("name") or "" for a in output.get("actors", [])}
    system = [
        (q.get("text") or "", [names.get(q.get("speaker"), "")], q.get("speaker_text") or "")
        for q in output.get("quotes", [])
    ]

    def gold_items(optional: bool) -> list[tuple[str, list[str]]]:
        items = []
        for q in gold.get("quotes", []):
            if bool(q.get("optional")) != optional:
                continue
            speakers = q.get("speaker") or []
            speakers = [speakers] if isinstance(speakers, str) else list(speakers)
            items.append((q.get("text") or "", speakers))
        return items

    required, optional = gold_items(False), gold_items(True)

    def detect_edge(sys: tuple[str, list[str], str], g: tuple[str, list[str]]) -> bool:
        return texts_overlap(sys[0], g[0])

    def attribution_edge(sys: tuple[str, list[str], str], g: tuple[str, list[str]]) -> bool:
        return texts_overlap(sys[0], g[0]) and speaker_matches(g[1], sys[1], sys[2])

    return {
        "quotes": _score_matching(system, required, optional, detect_edge),
        "attribution": _score_matching(system, required, optional, attribution_edge),
    }


# --- entities and times ----------------------------------------------------------------------


def _set_score(system: set[Any], gold: set[Any]) -> Score:
    tp = len(system & gold)
    return Score(tp=tp, fp=len(system) - tp, fn=len(gold) - tp)


def score_entities(output: dict[str, Any], gold: dict[str, Any]) -> Score:
    system = {(e["text"].lower(), e["type"]) for e in output.get("entities", [])}
    expected = {(e["text"].lower(), e["type"]) for e in gold.get("entities", [])}
    return _set_score(system, expected)


def score_times(output: dict[str, Any], gold: dict[str, Any]) -> Score:
    system = {t["value"] for t in output.get("times", []) if t.get("value")}
    expected = {t["value"] for t in gold.get("times", []) if t.get("value")}
    return _set_score(system, expected)


def score_article(output: dict[str, Any], gold: dict[str, Any]) -> dict[str, Score]:
    scores = score_events(output, gold)
    scores.update(score_quotes(output, gold))
    if "entities" in gold:
        scores["entities"] = score_entities(output, gold)
    if "times" in gold:
        scores["times"] = score_times(output, gold)
    return scores


# --- running over a gold folder ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldArticle:
    id: str
    gold: dict[str, Any]
    text: str
    published: str | None
    language: str | None


def load_gold(gold_dir: Path) -> Iterator[GoldArticle]:
    """The gold files of a folder, each with its article text (`doc.file`, relative to it)."""
    if not gold_dir.is_dir():
        raise InputError(f"gold folder {gold_dir} does not exist")
    files = sorted(gold_dir.glob("*.json"))
    if not files:
        raise InputError(f"gold folder {gold_dir} holds no .json gold files")
    for path in files:
        gold = json.loads(path.read_text("utf-8"))
        meta = gold.get("doc", {})
        article = (path.parent / meta["file"]).resolve()
        if not article.is_file():
            raise InputError(f"{path.name}: article file {article} does not exist")
        yield GoldArticle(
            id=meta.get("id", path.stem),
            gold=gold,
            text=article.read_text("utf-8"),
            published=meta.get("published"),
            language=meta.get("language"),
        )


def evaluate(articles: Iterable[GoldArticle]) -> Report:
    """Run the pipeline on each gold article and score it."""
    from chronik.api import analyze

    report = Report()
    for item in articles:
        doc = analyze(item.text, published=item.published, language=item.language, id=item.id)
        report.add(item.id, score_article(doc.to_dict(), item.gold))
    return report
