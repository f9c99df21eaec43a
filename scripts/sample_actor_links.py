"""Draw a random sample of actor mentions for checking by hand, and score the checked sample.

draw:  run tokenize..actors on SpkAtt-2023 training articles (the development gold's articles
       left out), pick N mentions at random (fixed seed) and write them as TSV with their
       sentence, the linked actor and empty verdict columns.
score: re-run the pipeline on the sampled articles, find each sampled mention again (same
       characters, else the mention overlapping them), and print the error rates of the
       verdicts. With --update the current link is written to the after_* columns; where it
       equals the drawn link the verdicts are copied, else after_*_ok stay empty (or keep the
       verdicts given for that same link before) and must be filled by hand.

Verdict columns (filled by hand): country_ok, sector_ok, actor_ok = y | n | - (not applicable:
a group has no single actor to be right about, a mention that is no actor at all gets n for
actor_ok and - for the rest); note says what is wrong.

Run:
  .venv/bin/python scripts/sample_actor_links.py draw --out docs/actors-sample-2026-11.tsv
  .venv/bin/python scripts/sample_actor_links.py score docs/actors-sample-2026-11.tsv [--update]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from pathlib import Path

from chronik.api import parse_published
from chronik.document import Document, Metadata
from chronik.pipeline import build

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "data" / "spkatt2023" / "train" / "corpus.jsonl"
GOLD = SHARED / "gold" / "dev"
STAGES = ["chronik.tokenize.v1", "chronik.tag.v1", "chronik.entities.v1", "chronik.actors.v1"]
SEED = 20261128
COLUMNS = [
    "article",
    "start",
    "end",
    "mention",
    "via",
    "actor",
    "kind",
    "country",
    "sector",
    "role",
    "country_ok",
    "sector_ok",
    "actor_ok",
    "note",
    "after_mention",
    "after_actor",
    "after_kind",
    "after_country",
    "after_sector",
    "after_country_ok",
    "after_sector_ok",
    "after_actor_ok",
    "after_note",
    "sentence",
]
VERDICTS = ("country_ok", "sector_ok", "actor_ok")
LINK = ("actor", "kind", "country", "sector")


def articles() -> list[dict]:
    gold_ids = {p.stem for p in GOLD.glob("*.json")}
    gold_ids |= {json.loads(p.read_text("utf-8"))["doc"].get("id", "") for p in GOLD.glob("*.json")}
    rows = [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines() if line.strip()]
    return sorted((r for r in rows if r["id"] not in gold_ids), key=lambda r: r["id"])


def analyse(pipe, row: dict) -> Document:
    meta = Metadata(id=row["id"], published=parse_published(row.get("published")))
    return pipe(Document(text=row["text"], meta=meta))


def record(doc: Document, mention) -> dict[str, str]:
    actor = doc.actor(mention.actor)
    sent = doc.sentences[mention.sentence]
    return {
        "article": doc.meta.id,
        "start": str(mention.start),
        "end": str(mention.end),
        "mention": mention.text,
        "via": mention.via,
        "actor": actor.name if actor else "",
        "kind": actor.kind if actor else "",
        "country": (actor.country or "") if actor else "",
        "sector": (actor.sector or "") if actor else "",
        "role": (actor.role or "") if actor else "",
        "sentence": " ".join(doc.text[sent.start : sent.end].split()),
    }


def draw(args: argparse.Namespace) -> None:
    rng = random.Random(SEED)
    rows = articles()
    rng.shuffle(rows)
    pipe = build("de", STAGES)
    pool: list[dict[str, str]] = []
    for row in rows[: args.articles]:
        doc = analyse(pipe, row)
        pool += [record(doc, m) for m in doc.mentions]
    sample = sorted(rng.sample(pool, args.n), key=lambda r: (r["article"], int(r["start"])))
    with open(args.out, "w", encoding="utf-8", newline="") as out:
        out.write(
            f"# {args.n} actor mentions drawn at random (seed {SEED}) from {len(pool)} mentions "
            f"of {args.articles} SpkAtt-2023 training articles (dev gold left out), checked by "
            "hand.\n# country_ok/sector_ok/actor_ok: y | n | - (not applicable); see "
            "scripts/sample_actor_links.py.\n"
        )
        writer = csv.DictWriter(out, COLUMNS, delimiter="\t", extrasaction="ignore")
        writer.writeheader()
        for item in sample:
            writer.writerow({**item, **dict.fromkeys(VERDICTS, ""), "note": ""})


def read_sample(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text("utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def rates(rows: list[dict[str, str]], prefix: str = "") -> dict[str, tuple[int, int]]:
    out = {}
    for column in VERDICTS:
        judged = [r.get(prefix + column, "") for r in rows]
        judged = [v for v in judged if v in ("y", "n")]
        out[column] = (judged.count("n"), len(judged))
    return out


def score(args: argparse.Namespace) -> None:
    comments = [
        line for line in args.sample.read_text("utf-8").splitlines() if line.startswith("#")
    ]
    rows = read_sample(args.sample)
    wanted = {r["article"] for r in rows}
    pipe = build("de", STAGES)
    now: dict[str, list[dict[str, str]]] = {}
    for row in articles():
        if row["id"] in wanted:
            doc = analyse(pipe, row)
            now[row["id"]] = [record(doc, m) for m in doc.mentions]
    changed = 0
    for r in rows:
        start, end = int(r["start"]), int(r["end"])
        found = [
            m for m in now.get(r["article"], []) if (m["start"], m["end"]) == (r["start"], r["end"])
        ]
        found = found or [
            m for m in now.get(r["article"], []) if int(m["start"]) < end and start < int(m["end"])
        ]
        item = found[0] if found else None
        after = tuple(item[k] for k in LINK) if item else ("(none)", "", "", "")
        if after != tuple(r[k] for k in LINK):
            changed += 1
            print(f"changed: {r['article']} {r['mention']!r}: {[r[k] for k in LINK]} -> {after}")
        if not args.update:
            continue
        before_after = tuple(r.get("after_" + k, "") for k in LINK)
        r["after_mention"] = item["mention"] if item else ""
        for k, v in zip(LINK, after, strict=True):
            r["after_" + k] = v
        if after == tuple(r[k] for k in LINK):
            for column in VERDICTS:
                r["after_" + column] = r[column]
            r["after_note"] = r["note"]
        elif after != before_after:
            for column in VERDICTS:
                r["after_" + column] = ""
            r["after_note"] = ""
    for label, prefix in (("drawn", ""), ("now", "after_")):
        for column, (wrong, judged) in rates(rows, prefix).items():
            share = wrong / judged if judged else 0.0
            print(f"{label} {column}: {wrong} wrong of {judged} judged = error rate {share:.3f}")
    print(f"{changed} of {len(rows)} sampled mentions link differently now")
    if args.update:
        with open(args.sample, "w", encoding="utf-8", newline="") as out:
            out.write("\n".join(comments) + "\n")
            writer = csv.DictWriter(out, COLUMNS, delimiter="\t", extrasaction="ignore")
            writer.writeheader()
            for r in rows:
                writer.writerow({c: r.get(c, "") for c in COLUMNS})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("draw")
    d.add_argument("--out", type=Path, required=True)
    d.add_argument("--n", type=int, default=100)
    d.add_argument("--articles", type=int, default=120)
    s = sub.add_parser("score")
    s.add_argument("sample", type=Path)
    s.add_argument("--update", action="store_true", help="write the current links and verdicts")
    args = parser.parse_args()
    if not CORPUS.is_file():
        sys.exit(f"needs {CORPUS}")
    if args.command == "draw":
        draw(args)
    else:
        score(args)


if __name__ == "__main__":
    main()
