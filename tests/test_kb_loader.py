"""The actor knowledge base: countries, institutions, IGOs, roles, people loaded and indexed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pycountry
import pytest

from chronik import kb


def test_kb_every_iso_code_has_a_country() -> None:
    codes = {c.code for c in kb.countries()}
    assert {c.alpha_3 for c in pycountry.countries} <= codes
    assert "XKX" in codes


@pytest.mark.parametrize(
    ("form", "code", "kind"),
    [
        ("Russlands", "RUS", "country"),
        ("Nordkoreas", "PRK", "country"),
        ("USA", "USA", "country"),
        ("Vereinigten Staaten", "USA", "country"),
        ("Iran", "IRN", "country"),
        ("Niederlanden", "NLD", "country"),
        ("Vereinigten Arabischen Emirate", "ARE", "country"),
        ("Moskaus", "RUS", "capital"),
        ("Pjöngjang", "PRK", "capital"),
        ("Peking", "CHN", "capital"),
        ("Kyjiw", "UKR", "capital"),
        ("Kreml", "RUS", "institution"),
        ("Weißen Haus", "USA", "institution"),
        ("Pentagon", "USA", "institution"),
        ("Yonhap", "KOR", "institution"),
        ("Hisbollah", "LBN", "institution"),
    ],
)
def test_kb_lookup_resolves_inflected_forms(form: str, code: str, kind: str) -> None:
    best = kb.lookup(form)[0]
    assert (best.country, best.kind) == (code, kind)


@pytest.mark.parametrize(
    "form", ["UN-Sicherheitsrats", "Sicherheitsrat", "Vereinten Nationen", "NATO", "EU-Kommission"]
)
def test_kb_igos_have_country_igo(form: str) -> None:
    assert kb.lookup(form)[0].country == "IGO"


def test_kb_ngos_have_no_country() -> None:
    match = kb.lookup("Amnesty International")[0]
    assert match.country is None and match.sector == "SOC"


@pytest.mark.parametrize(
    ("adjective", "code"),
    [("russische", "RUS"), ("südkoreanischen", "KOR"), ("US-amerikanischer", "USA")],
)
def test_kb_adjectives_name_their_country(adjective: str, code: str) -> None:
    assert kb.name_index().adjectives[adjective.lower()][0].country == code


def test_kb_demonyms_name_their_country() -> None:
    assert kb.name_index().demonyms["Russinnen"][0].country == "RUS"
    assert kb.name_index().demonyms["Amerikanern"][0].country == "USA"


def test_kb_role_compound_heads() -> None:
    roles = kb.role_words("de")
    modifier, word = roles.head("Kreml-Sprecher")
    assert modifier == "Kreml" and word.role == "spokesperson"
    modifier, word = roles.head("Polizeisprecher")
    assert roles.prefix(modifier).sector == "COP"
    assert roles.head("Außenministerin")[1].feminine
    soldiers = roles.head("Soldaten")[1]
    assert soldiers.plural or soldiers.number_ambiguous
    assert roles.head("Truppen")[1].plural
    assert roles.head("Vorrat") is None


PEOPLE_YAML = """
- id: anna-beispiel
  name: Anna Beispiel
  names: [Anna Beispiel]
  short: [Beispiel]
  gender: f
  roles:
    - {country: AUT, sector: GOV, role: foreign_minister, title: Außenministerin,
       start: 2001-01-01, end: 2005-01-01}
    - {country: IGO, sector: GOV, role: igo_head, title: Generalsekretärin,
       start: 2006-01-01, end: null}
"""


def test_kb_load_people_reads_roles_by_date(tmp_path: Path) -> None:
    path = tmp_path / "people.yaml"
    path.write_text(PEOPLE_YAML, encoding="utf-8")
    (anna,) = kb.load_people(path)
    assert anna.role_on(date(2003, 5, 1)).country == "AUT"
    assert anna.role_on(date(2010, 5, 1)).country == "IGO"
    # between two offices: the most recent one before the date
    assert anna.role_on(date(2005, 6, 1)).role == "foreign_minister"
    assert anna.role_on(None).role == "igo_head"


def test_kb_load_people_tolerates_absent_file(tmp_path: Path) -> None:
    assert kb.load_people(tmp_path / "missing.yaml") == ()


def test_kb_people_resolve_by_date() -> None:
    if not kb.people():
        pytest.skip("kb/people.yaml is absent")
    putin = kb.lookup("Putin", on=date(2010, 1, 1))[0]
    assert putin.id == "vladimir-putin" and putin.role == "head_of_government"
    assert kb.lookup("Wladimir Putins", on=date(2023, 9, 15))[0].role == "head_of_state"
    holders = kb.holders("RUS", "head_of_state", date(2023, 9, 15))
    assert [p.id for p in holders] == ["vladimir-putin"]
