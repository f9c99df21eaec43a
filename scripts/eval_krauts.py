"""Score time expressions on KRAUTS (German news, TimeML TIMEX3 gold): Chronik and HeidelTime.

KRAUTS (Strötgen et al., LREC 2018; CC BY-NC 4.0) ships 192 gold documents and, beside them, the
output of HeidelTime for the same documents. This script reads both from the archive in
`shared/data/krauts/`, runs Chronik's time expression rules (`chronik.timex`) on each document's
text with its creation date, and scores system against gold:

- gold expressions without a text span (empty TIMEX3 anchors) are left out;
- a system expression matches a gold one when their character spans overlap, one to one
  (maximum matching); relaxed P/R/F1 count these matches, strict F1 only identical spans;
- value F1 counts the matches whose TimeML values are equal strings.

KRAUTS is for evaluation only: the rules are written from general German, not from its documents.

    .venv/bin/python scripts/eval_krauts.py [--archive PATH] [--by-corpus] [--json]
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import tarfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from chronik import timex
from chronik.evaluate import max_matching

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "data" / "krauts" / "KRAUTS.tar.xz"
_TAG = re.compile(r"<(/?)TIMEX3\b([^>]*?)(/?)>|<[^>]+>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True, slots=True)
class Expression:
    start: int
    end: int
    value: str | None
    type: str = ""


@dataclass(slots=True)
class TimeMLDoc:
    name: str
    corpus: str
    dct: date | None
    text: str
    timexes: list[Expression] = field(default_factory=list)


def parse_timeml(source: str, name: str, corpus: str) -> TimeMLDoc:
    """The plain text inside <TEXT> and its TIMEX3 spans (offsets into that text)."""
    dct_match = re.search(r"<DCT>.*?value=\"(\d{4}-\d{2}-\d{2})", source, re.S)
    dct = date.fromisoformat(dct_match.group(1)) if dct_match else None
    body = re.search(r"<TEXT>(.*)</TEXT>", source, re.S)
    if body is None:
        raise ValueError(f"{name}: no <TEXT> element")
    raw = body.group(1)
    parts: list[str] = []
    length = 0
    open_tags: list[tuple[int, dict[str, str]]] = []
    timexes: list[Expression] = []
    position = 0
    for m in _TAG.finditer(raw):
        chunk = html.unescape(raw[position : m.start()])
        parts.append(chunk)
        length += len(chunk)
        position = m.end()
        if m.group(0).startswith("<TIMEX3") or m.group(0).startswith("</TIMEX3"):
            closing, attrs, empty = m.group(1), m.group(2), m.group(3)
            if empty:
                continue  # an anchor without text
            if closing:
                start, attributes = open_tags.pop()
                if length > start:
                    timexes.append(
                        Expression(
                            start, length, attributes.get("value"), attributes.get("type", "")
                        )
                    )
            else:
                open_tags.append((length, dict(_ATTR.findall(attrs))))
    parts.append(html.unescape(raw[position:]))
    return TimeMLDoc(name, corpus, dct, "".join(parts), sorted(timexes, key=lambda t: t.start))


def load(archive: Path) -> tuple[list[TimeMLDoc], dict[str, TimeMLDoc]]:
    """Gold documents, and HeidelTime's output by document name."""
    gold: list[TimeMLDoc] = []
    heideltime: dict[str, TimeMLDoc] = {}
    with tarfile.open(archive) as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            if not member.name.endswith(".tml"):
                continue
            folder = Path(member.name).parent.name
            if folder.endswith("_raw-text"):
                continue
            handle = tar.extractfile(member)
            if handle is None:
                continue
            source = handle.read().decode("utf-8")
            name = Path(member.name).stem
            if folder.endswith("_Heideltime"):
                corpus = folder.removesuffix("_Heideltime")
                heideltime[f"{corpus}/{name}"] = parse_timeml(source, name, corpus)
            else:
                gold.append(parse_timeml(source, name, folder))
    return gold, heideltime


def _overlap(a: Expression, b: Expression) -> bool:
    return a.start < b.end and b.start < a.end


@dataclass(slots=True)
class Counts:
    system: int = 0
    gold: int = 0
    relaxed: int = 0
    strict: int = 0
    value: int = 0

    def add(self, system: list[Expression], gold: list[Expression]) -> None:
        self.system += len(system)
        self.gold += len(gold)
        for i, j in sorted(max_matching(system, gold, _overlap).items()):
            s, g = system[i], gold[j]
            self.relaxed += 1
            self.strict += (s.start, s.end) == (g.start, g.end)
            self.value += s.value is not None and s.value == g.value

    def prf(self, hits: int) -> tuple[float, float, float]:
        p = hits / self.system if self.system else 0.0
        r = hits / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def as_dict(self) -> dict[str, float | int]:
        rp, rr, rf = self.prf(self.relaxed)
        sf = self.prf(self.strict)[2]
        vp, vr, vf = self.prf(self.value)
        return {
            "system": self.system,
            "gold": self.gold,
            "relaxed_p": round(rp, 3),
            "relaxed_r": round(rr, 3),
            "relaxed_f1": round(rf, 3),
            "strict_f1": round(sf, 3),
            "value_p": round(vp, 3),
            "value_r": round(vr, 3),
            "value_f1": round(vf, 3),
        }


def chronik_expressions(doc: TimeMLDoc) -> list[Expression]:
    return [Expression(t.start, t.end, t.value, t.type) for t in timex.extract(doc.text, doc.dct)]


def heideltime_expressions(doc: TimeMLDoc, output: TimeMLDoc | None) -> list[Expression]:
    if output is None:
        return []
    if output.text != doc.text:
        raise ValueError(f"{doc.corpus}/{doc.name}: HeidelTime's text differs from the gold text")
    return output.timexes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=ARCHIVE)
    parser.add_argument("--by-corpus", action="store_true", help="also score each sub-corpus")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    if not args.archive.is_file():
        print(f"KRAUTS archive not found: {args.archive}", file=sys.stderr)
        return 2
    gold_docs, heideltime = load(args.archive)
    timex.grammar("de")
    results: dict[str, dict[str, Counts]] = {"chronik": {}, "heideltime": {}}
    seconds = 0.0
    for doc in gold_docs:
        started = time.perf_counter()
        ours = chronik_expressions(doc)
        seconds += time.perf_counter() - started
        theirs = heideltime_expressions(doc, heideltime.get(f"{doc.corpus}/{doc.name}"))
        for system, found in (("chronik", ours), ("heideltime", theirs)):
            for key in ("all", doc.corpus) if args.by_corpus else ("all",):
                results[system].setdefault(key, Counts()).add(found, doc.timexes)
    report = {
        "documents": len(gold_docs),
        "chronik_seconds_per_document": round(seconds / max(1, len(gold_docs)), 5),
        **{
            system: {key: counts.as_dict() for key, counts in by_key.items()}
            for system, by_key in results.items()
        },
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(
        f"KRAUTS: {report['documents']} documents; Chronik "
        f"{report['chronik_seconds_per_document'] * 1000:.2f} ms per document"
    )
    header = f"{'system':<12}{'subset':<24}{'P':>7}{'R':>7}{'F1':>7}{'strict':>8}{'value F1':>10}"
    print(header)
    for system in ("chronik", "heideltime"):
        for key, counts in results[system].items():
            d = counts.as_dict()
            print(
                f"{system:<12}{key:<24}{d['relaxed_p']:>7.3f}{d['relaxed_r']:>7.3f}"
                f"{d['relaxed_f1']:>7.3f}{d['strict_f1']:>8.3f}{d['value_f1']:>10.3f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
