"""Non-state organisations of the knowledge base (kb/organisations.yaml): companies, media, NGOs,
unions, religious bodies, universities, agencies, sports clubs, bands."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import pytest
import yaml

from chronik import kb
from chronik.document import Document, Metadata
from chronik.pipeline import build

_KB = Path(kb.__file__).parent


def _names(path: Path) -> set[str]:
    out: set[str] = set()
    for row in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        if "extends" in row:
            continue
        for item in row.get("names") or ():
            out.update(str(n) for n in (item if isinstance(item, list) else [item]))
    return out


@pytest.fixture(scope="module")
def pipe():
    return build(
        "de",
        ["chronik.tokenize.v1", "chronik.tag.v1", "chronik.entities.v1", "chronik.actors.v1"],
    )


def run(pipe, text: str) -> Document:
    return pipe(Document(text=text, meta=Metadata(published=date(2024, 3, 1))))


def actor_of(doc: Document, text: str):
    for mention in doc.mentions:
        if mention.text == text:
            return doc.actor(mention.actor)
    raise AssertionError(f"no mention {text!r}: {[m.text for m in doc.mentions]}")


@pytest.mark.parametrize(
    ("form", "country", "sector"),
    [
        ("Hapag-Lloyd", "DEU", "BUS"),
        ("Novo Nordisk", "DNK", "BUS"),
        ("Deutschen Umwelthilfe", "DEU", "SOC"),
        ("IG BCE", "DEU", "LAB"),
        ("Robert Koch-Institut", "DEU", "GOV"),
        ("Max-Planck-Gesellschaft", "DEU", "EDU"),
        ("Zentralrat der Muslime", "DEU", "REL"),
        ("Borussia Dortmund", "DEU", "SOC"),
        ("Tages-Anzeiger", "CHE", "JRN"),
        ("Rolling Stones", "GBR", "CVL"),
    ],
)
def test_kb_organisations_have_country_and_sector(form: str, country: str, sector: str) -> None:
    best = kb.lookup(form)[0]
    assert (best.kind, best.entity_type, best.country, best.sector) == (
        "institution",
        "ORG",
        country,
        sector,
    )


@pytest.mark.parametrize(
    ("variant", "name"),
    [
        ("RKI", "Robert Koch-Institut"),
        ("BVB", "Borussia Dortmund"),
        ("Statistischen Bundesamt", "Destatis"),
        # `extends`: a longer form joins the entry of institutions.yaml, one organisation
        ("Volkswagen-Konzern", "Volkswagen"),
        ("Süddeutschen Zeitung", "Süddeutsche Zeitung"),
    ],
)
def test_kb_organisations_variants_are_one_organisation(variant: str, name: str) -> None:
    assert kb.lookup(variant)[0].id == kb.lookup(name)[0].id


def test_kb_organisations_repeat_no_name_of_other_files() -> None:
    # a name in two files would be two organisations; further names go through `extends`
    mine = _names(_KB / "organisations.yaml")
    others = _names(_KB / "institutions.yaml") | _names(_KB / "igos.yaml")
    assert not mine & others


def test_kb_organisations_extends_only_known_entries() -> None:
    rows = yaml.safe_load((_KB / "organisations.yaml").read_text(encoding="utf-8"))
    targets = {row["extends"] for row in rows if "extends" in row}
    known = {i.id for i in kb.institutions()}
    assert targets and targets <= known, sorted(targets - known)


def test_kb_organisations_names_are_unique() -> None:
    ids = _ids()
    mine = [i for i in kb.institutions() if i.id in ids]
    forms = [f for i in mine for f in i.forms]
    assert len(forms) == len(set(forms))


@cache
def _ids() -> frozenset[str]:
    out: set[str] = set()
    for row in yaml.safe_load((_KB / "organisations.yaml").read_text(encoding="utf-8")):
        if "id" not in row:
            continue
        if row.get("each"):
            for item in row["names"]:
                out.add(f"{row['id']}:{item[0] if isinstance(item, list) else item}")
        else:
            out.add(row["id"])
    return frozenset(out)


def test_kb_organisations_sectors_and_countries_are_valid() -> None:
    codes = {c.code for c in kb.countries()} | {"IGO", None}
    ids = _ids()
    mine = [i for i in kb.institutions() if i.id in ids]
    assert len(mine) > 1000
    for inst in mine:
        assert inst.sector in kb.SECTORS, inst.id
        assert inst.country in codes, inst.id


def test_kb_organisations_company_is_an_actor_with_country(pipe) -> None:
    doc = run(pipe, "Die Reederei Hapag-Lloyd kündigte am Montag an, neue Schiffe zu bestellen.")
    actor = actor_of(doc, "Hapag-Lloyd")
    assert (actor.kind, actor.country, actor.sector) == ("organization", "DEU", "BUS")


def test_kb_organisations_ngo_and_club_are_org_entities(pipe) -> None:
    doc = run(
        pipe,
        "Die Deutsche Umwelthilfe verklagte die Bundesregierung. "
        "Borussia Dortmund gewann am Samstag in Leverkusen.",
    )
    found = {(e.text, e.type) for e in doc.entities}
    assert {("Deutsche Umwelthilfe", "ORG"), ("Borussia Dortmund", "ORG")} <= found
    ngo = actor_of(doc, "Deutsche Umwelthilfe")
    assert (ngo.country, ngo.sector) == ("DEU", "SOC")


def test_kb_organisations_common_words_stay_unknown() -> None:
    # names that are also ordinary German words or given names are deliberately absent
    for word in ("Post", "Bahn", "Puma", "Linde", "Welt", "Zeit", "Stern", "Spiegel", "Lotte"):
        assert not [m for m in kb.lookup(word) if m.id in _ids()], word
