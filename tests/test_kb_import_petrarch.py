"""Importing PETRARCH/TABARI actor and agent dictionaries (chronik.kb.importers)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from chronik.kb import KnowledgeBase
from chronik.kb.importers import (
    cameo_codebook,
    load_dictionary,
    read_petrarch_actors,
    read_petrarch_agents,
)
from tests.conftest import DATA, require_shared

# A small dictionary in the format of the Phoenix files, written for this test: a country with
# synonyms and cities, people with dated codes (YYMMDD and YYYYMMDD, "<" and ">"), an undated
# default, inline codes, comments in both styles, an IGO organ, an armed group with a
# parenthesised acronym, a null code and an unknown code.
SAMPLE = """\
# test dictionary
NORDLANDIA_  [NLD]
+NORDLAND_
+AMSTERVILLE_  # a city of the country

HANS_BEISPIELMANN_  ; CountryInfo.txt
+BEISPIELMANN_
+PRESIDENT_HANS_BEISPIELMANN_
\t[NLDELI 700101-991231]
\t[NLDGOV 20000101-20091231]
\t[NLDGOV >150601]
\t[NLDELI]

GRETA_MUSTERFRAU_  [DEUGOV <101231] [IGOUNO >110101]

WORLD_HEALTH_BOARD_\t[IGOUNOHLHWHO] # an organ of the UN
HOLY_FIGHTERS_FRONT_(HFF)_ [IMGMUSHFF]  # kkl 21 Mar 13
+FIGHTERS_OF_THE_FRONT_
NOBODY_IN_PARTICULAR_ [---]
ZORK_PEOPLES_ARMY_ [ZRKREB]
"""


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "Test.actors.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("code", "country", "sector", "state"),
    [
        ("RUSGOV", "RUS", "GOV", False),
        ("USAMIL", "USA", "MIL", False),
        ("USAMED", "USA", "JRN", False),  # CAMEO MED is the media
        ("FRAHLH", "FRA", "MED", False),  # CAMEO HLH is health
        ("IGOUNO", "IGO", "GOV", False),
        ("IGOUNOREFHCR", "IGO", "REF", False),
        ("AFG", "AFG", "GOV", True),
        ("TMP", "TLS", "GOV", True),
        ("KSV", "XKX", "GOV", True),
        ("NGOHRI", None, "SOC", False),
        ("IMGMUSALQ", None, "REB", False),
        ("MNCUSA", "USA", "BUS", False),
        ("MEAREB", None, "REB", False),
        ("NGOCHRPRO214", None, "SOC", False),
    ],
)
def test_kb_import_cameo_codes_decode_to_country_and_sector(
    code: str, country: str | None, sector: str | None, state: bool
) -> None:
    found = cameo_codebook().decode(code)
    assert found is not None
    assert (found.country, found.sector, found.state) == (country, sector, state)


@pytest.mark.parametrize("code", ["---", "XYZGOV", "", "RUSGO"])
def test_kb_import_cameo_null_and_unknown_codes_decode_to_none(code: str) -> None:
    assert cameo_codebook().decode(code) is None


def test_kb_import_petrarch_people_have_dated_roles(sample: Path) -> None:
    found = read_petrarch_actors(sample)
    people = {p.name: p for p in found.people}
    hans = people["Hans Beispielmann"]
    assert "Beispielmann" in hans.short
    assert hans.role_on(date(1980, 5, 1)).sector == "ELI"
    role = hans.role_on(date(2005, 1, 1))
    assert (role.country, role.sector) == ("NLD", "GOV")
    # the last day of a range counts ("or equal to"), the day after does not
    assert hans.role_on(date(2009, 12, 31)).sector == "GOV"
    assert hans.role_on(date(2012, 1, 1)).sector == "ELI"  # between ranges: the default
    assert hans.role_on(date(2020, 1, 1)).sector == "GOV"  # ">150601"
    greta = people["Greta Musterfrau"]
    assert greta.role_on(date(2010, 12, 31)).country == "DEU"
    assert greta.role_on(date(2011, 6, 1)).country == "IGO"


def test_kb_import_petrarch_states_organisations_and_warnings(sample: Path) -> None:
    found = read_petrarch_actors(sample)
    assert ("Amsterville", "NLD") in found.state_names
    assert ("Nordlandia", "NLD") in found.state_names
    orgs = {i.name: i for i in found.institutions}
    assert (orgs["World Health Board"].country, orgs["World Health Board"].sector) == (
        "IGO",
        "MED",
    )
    front = orgs["Holy Fighters Front"]
    assert front.country is None and front.sector == "REB"
    assert {"HFF", "Fighters of the Front"} <= set(front.names)
    assert "Nobody in Particular" not in orgs
    assert len(found.warnings) == 1 and "ZRKREB" in found.warnings[0]


def test_kb_import_merges_into_a_new_knowledge_base(sample: Path) -> None:
    base = KnowledgeBase.default()
    extended = base.extended([sample])
    best = extended.lookup("Hans Beispielmann", on=date(2005, 1, 1))[0]
    assert (best.kind, best.country, best.sector) == ("person", "NLD", "GOV")
    assert extended.lookup("HANS BEISPIELMANN", on=date(2005, 1, 1))[0].id == best.id
    assert extended.lookup("Amsterville")[0].country == "NLD"
    # the built-in knowledge base is unchanged
    assert base.lookup("Hans Beispielmann") == []
    assert extended.sources == (str(sample),)


def test_kb_import_agents_with_substitution_sets(tmp_path: Path) -> None:
    path = tmp_path / "Test.agents.txt"
    path.write_text(
        "!PERSON! = MAN, WOMAN\n"
        "CONGRESS!PERSON! {} [~LEG]\n"
        "FOREIGN_MINISTER [~GOVFRM] # jap\n"
        "POLICE {} [~COP]\n"
        "HUMAN_RIGHTS_BODY  [NGO~]\n"
        "ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~JUD]\n",
        encoding="utf-8",
    )
    agents = {a.phrase: a for a in read_petrarch_agents(path)}
    assert agents["congressman"].sector == "LEG" and "congresswoman" in agents
    assert agents["foreign minister"].sector == "GOV"
    assert agents["foreign minister"].plurals == ("foreign ministers",)
    assert agents["police"].plurals == () and agents["police"].sector == "COP"
    assert agents["human rights body"].sector == "SOC"
    assert agents["attorney general"].plurals == ("attorneys general",)


PETRARCH = DATA / "petrarch2_dictionaries" / "dictionaries"


@pytest.fixture(scope="module")
def phoenix() -> KnowledgeBase:
    folder = require_shared(PETRARCH)
    return KnowledgeBase.default().extended(
        [
            folder / "Phoenix.Countries.actors.txt.xz",
            folder / "Phoenix.International.actors.txt.xz",
            folder / "Phoenix.MilNonState.actors.txt",
        ]
    )


def test_kb_import_real_phoenix_dictionaries(phoenix: KnowledgeBase) -> None:
    putin = phoenix.lookup("VLADIMIR PUTIN", on=date(2005, 1, 1))[0]
    assert (putin.country, putin.sector) == ("RUS", "GOV")
    assert phoenix.lookup("Vladimir Putin", on=date(1995, 1, 1))[0].sector == "ELI"
    annan = phoenix.lookup("Kofi Annan", on=date(2000, 1, 1))[0]
    assert annan.country == "IGO"
    assert phoenix.lookup("Kabul")[0].country == "AFG"
    assert phoenix.lookup("Animal Liberation Front")[0].sector == "REB"
    # German names of the built-in data stay where the import has no entry of the same name
    assert phoenix.lookup("Russlands")[0].country == "RUS"


def test_kb_import_real_agents_file_has_sectors() -> None:
    agents = read_petrarch_agents(require_shared(PETRARCH) / "Phoenix.agents.txt")
    by_phrase = {a.phrase: a for a in agents}
    assert len(agents) > 2000
    assert by_phrase["ambassador"].sector == "GOV"
    assert sum(a.sector is not None for a in agents) / len(agents) > 0.9


def test_kb_import_load_dictionary_refuses_a_missing_file(tmp_path: Path) -> None:
    from chronik.kb import KnowledgeBaseError

    with pytest.raises(KnowledgeBaseError, match="does not exist"):
        load_dictionary(tmp_path / "absent.actors.txt")
