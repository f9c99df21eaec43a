"""Places precision on a hand-checked sample of LOC mentions from the SpkAtt-2023 articles.

Three modes:

- draw: run the pipeline (`chronik.analyze`) on the SpkAtt training articles, collect every LOC
  entity mention, draw a reproducible random sample (fixed seed) and write it as a TSV with the
  mention, an excerpt of its sentence and the place the stage resolved it to (or none). The
  columns `kind` and `gold` are left empty for a person to fill in:
  kind = place | person | notplace; gold = the gazetteer id of the right place (`iso:RUS`,
  `gn:524901`, `kb:krim`, several separated by `|` where more than one is right), `=XXX` when
  only the country can be told (ISO3; a resolution in that country counts as right), `?` for a
  real place the gazetteer lacks (a village), or empty when no resolution can be expected (a
  street, a building, "Westen", a fragment of a name cut by the entity recogniser).
- score: re-run the pipeline on the sample's articles, resolve the same mentions again (by
  their character offsets) and score them against the hand-filled columns; `--write` updates the
  file's `resolution` and `verdict` columns. Verdicts: correct, wrong (resolved, not to the
  right place), missed (a place the gazetteer should resolve, left unresolved), fp (a person or
  not-a-place resolved as a place), none (rightly unresolved).
- persons: over the first N articles, count places whose text a PER entity of the same article
  also names, and places whose text is a known person's surname or a first name.

Run:
    .venv/bin/python scripts/sample_places.py draw --out docs/places-sample-2026-11.tsv
    .venv/bin/python scripts/sample_places.py score docs/places-sample-2026-11.tsv [--write]
    .venv/bin/python scripts/sample_places.py draw --out docs/places-heldout-2026-11.tsv \
        --size 100 --seed 20261102 --exclude docs/places-sample-2026-11.tsv
    .venv/bin/python scripts/sample_places.py persons --limit 300
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import chronik
from chronik.document import Document, Entity, Place

CORPUS = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "spkatt2023"
    / "train"
    / "corpus.jsonl"
)
SEED = 20261101
SAMPLE_SIZE = 200
COLUMNS = [
    "doc",
    "start",
    "end",
    "mention",
    "sentence",
    "resolution",
    "kind",
    "gold",
    "verdict",
    "note",
]
_KINDS = ("place", "person", "notplace")


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    text: str
    published: str | None


def articles(limit: int | None = None, ids: Iterable[str] | None = None) -> list[Article]:
    if not CORPUS.exists():
        sys.exit(f"needs {CORPUS}")
    rows = [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines() if line.strip()]
    rows.sort(key=lambda r: r["id"])
    if ids is not None:
        wanted = set(ids)
        rows = [r for r in rows if r["id"] in wanted]
    found = [Article(r["id"], r["text"], r.get("published")) for r in rows]
    return found[:limit] if limit else found


def analysed(items: list[Article]) -> Iterator[Document]:
    for article in items:
        yield chronik.analyze(article.text, published=article.published, id=article.id)


def excerpt(doc: Document, entity: Entity, width: int = 110) -> str:
    """The mention's sentence, cut to `width` characters each side, the mention in [[ ]]."""
    sentence = doc.sentences[entity.sentence] if entity.sentence < len(doc.sentences) else None
    start, end = (sentence.start, sentence.end) if sentence else (0, len(doc.text))
    before = doc.text[max(start, entity.start - width) : entity.start]
    after = doc.text[entity.end : min(end, entity.end + width)]
    text = f"{before}[[{doc.text[entity.start : entity.end]}]]{after}"
    return " ".join(text.split())


def describe(place: Place | None) -> str:
    if place is None:
        return "-"
    coords = f"{place.lat:.2f},{place.lon:.2f}" if place.lat is not None else "?"
    return (
        f"{place.name} | {place.country or '-'} | {coords} | {place.gazetteer_id} | "
        f"{place.feature or '-'}"
    )


def place_at(doc: Document, start: int, end: int) -> Place | None:
    return next((p for p in doc.places if p.start == start and p.end == end), None)


def draw(out: Path, size: int, seed: int, exclude: Path | None = None) -> None:
    """Draw `size` LOC mentions; those of the sample `exclude` are left out (a held-out draw)."""
    taken = {(r["doc"], r["start"]) for r in read_rows(exclude)} if exclude else set()
    mentions: list[dict[str, str]] = []
    for doc in analysed(articles()):
        for entity in doc.entities:
            if entity.type != "LOC" or (doc.meta.id, str(entity.start)) in taken:
                continue
            mentions.append(
                {
                    "doc": doc.meta.id,
                    "start": str(entity.start),
                    "end": str(entity.end),
                    "mention": entity.text,
                    "sentence": excerpt(doc, entity),
                    "resolution": describe(place_at(doc, entity.start, entity.end)),
                    "kind": "",
                    "gold": "",
                    "verdict": "",
                    "note": "",
                }
            )
    sample = random.Random(seed).sample(mentions, min(size, len(mentions)))
    sample.sort(key=lambda row: (row["doc"], int(row["start"])))
    write_rows(out, sample)
    print(f"{len(mentions)} LOC mentions; {len(sample)} drawn (seed {seed}) -> {out}")


def read_rows(path: Path) -> list[dict[str, str]]:
    lines = path.read_text("utf-8").splitlines()
    body = [line for line in lines if not line.startswith("#")]
    return list(csv.DictReader(body, delimiter="\t", quoting=csv.QUOTE_NONE))


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    header = [line for line in _comments(path)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        for line in header:
            handle.write(line + "\n")
        # plain tab-separated lines: quotes in a sentence stay as they are
        handle.write("\t".join(COLUMNS) + "\n")
        for row in rows:
            fields = (" ".join(row.get(k, "").split("\t")).replace("\n", " ") for k in COLUMNS)
            handle.write("\t".join(fields) + "\n")


def _comments(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [line for line in path.read_text("utf-8").splitlines() if line.startswith("#")]


def verdict(row: dict[str, str], place: Place | None) -> str:
    kind = row["kind"].strip()
    if kind not in _KINDS:
        raise SystemExit(f"{row['doc']} {row['mention']}: kind {kind!r} is not one of {_KINDS}")
    if kind != "place":
        return "none" if place is None else "fp"
    golds = [g.strip() for g in row["gold"].split("|") if g.strip()]
    if place is None:
        return "missed" if golds else "none"
    for gold in golds:
        if gold.startswith("="):
            if place.country == gold[1:]:
                return "correct"
        elif place.gazetteer_id == gold:
            return "correct"
    return "wrong"


def score(path: Path, write: bool) -> None:
    rows = read_rows(path)
    docs = {doc.meta.id: doc for doc in analysed(articles(ids={r["doc"] for r in rows}))}
    verdicts: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    changed = 0
    for row in rows:
        place = place_at(docs[row["doc"]], int(row["start"]), int(row["end"]))
        resolution = describe(place)
        if resolution != row["resolution"]:
            changed += 1
            print(f"changed: {row['mention']!r}: {row['resolution']} -> {resolution}")
        row["resolution"] = resolution
        row["verdict"] = verdict(row, place)
        verdicts[row["verdict"]] += 1
        kinds[row["kind"]] += 1
    resolved = sum(1 for r in rows if r["resolution"] != "-")
    persons_resolved = sum(1 for r in rows if r["kind"] == "person" and r["resolution"] != "-")
    notplace_resolved = sum(1 for r in rows if r["kind"] == "notplace" and r["resolution"] != "-")
    places = kinds["place"]
    print(f"sample: {len(rows)} LOC mentions; kinds: {dict(kinds)}; verdicts: {dict(verdicts)}")
    print(
        f"precision (correct / resolved): {verdicts['correct']}/{resolved} = "
        f"{verdicts['correct'] / max(resolved, 1):.3f}"
    )
    print(f"coverage (resolved / sample): {resolved}/{len(rows)} = {resolved / len(rows):.3f}")
    print(
        f"recall on places (correct / real places): {verdicts['correct']}/{places} = "
        f"{verdicts['correct'] / max(places, 1):.3f}"
    )
    print(f"person names resolved as places: {persons_resolved} (of {kinds['person']})")
    print(f"not-a-place mentions resolved: {notplace_resolved} (of {kinds['notplace']})")
    if changed:
        print(f"{changed} resolutions changed since the file was written")
    if write:
        write_rows(path, rows)


_WORD = re.compile(r"\w+")


def persons(limit: int) -> None:
    from chronik import kb

    surnames = {short for person in kb.people() for short in person.short if " " not in short} | {
        person.name.rsplit(" ", 1)[-1] for person in kb.people()
    }
    first = set(kb.first_names("de"))
    same_article: list[tuple[str, str, str]] = []
    known: list[tuple[str, str, str]] = []
    total = 0
    for doc in analysed(articles(limit)):
        person_words = {
            w for e in doc.entities if e.type == "PER" for w in _WORD.findall(e.text) if len(w) > 2
        }
        for place in doc.places:
            total += 1
            # the whole name, also in the genitive ("Hendersons")
            forms = {place.text, place.text[:-1] if place.text.endswith("s") else place.text}
            if forms & person_words:
                same_article.append((doc.meta.id, place.text, describe(place)))
            elif forms & (surnames | first):
                known.append((doc.meta.id, place.text, describe(place)))
    print(f"{limit} articles, {total} places")
    print(f"places named like a PER entity of the same article: {len(same_article)}")
    for row in same_article:
        print("  ", *row, sep="\t")
    print(f"places whose text is a known surname or first name: {len(known)}")
    for row in known:
        print("  ", *row, sep="\t")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p_draw = commands.add_parser("draw")
    p_draw.add_argument("--out", type=Path, required=True)
    p_draw.add_argument("--size", type=int, default=SAMPLE_SIZE)
    p_draw.add_argument("--seed", type=int, default=SEED)
    p_draw.add_argument("--exclude", type=Path, help="a sample whose mentions to leave out")
    p_score = commands.add_parser("score")
    p_score.add_argument("path", type=Path)
    p_score.add_argument("--write", action="store_true")
    p_persons = commands.add_parser("persons")
    p_persons.add_argument("--limit", type=int, default=300)
    args = parser.parse_args()
    if args.command == "draw":
        draw(args.out, args.size, args.seed, args.exclude)
    elif args.command == "score":
        score(args.path, args.write)
    else:
        persons(args.limit)


if __name__ == "__main__":
    main()
