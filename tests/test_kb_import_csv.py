"""A user's own actors in CSV, merged with the built-in knowledge base and used by the pipeline."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from chronik.document import Document, Metadata
from chronik.kb import KnowledgeBase, KnowledgeBaseError
from chronik.kb.importers import read_actor_csv
from chronik.pipeline import build
from chronik.stages.actors import with_knowledge

CSV = """\
# my actors
name,aliases,country,sector,kind,role,start,end,title,gender,type
Olaf Testmann,Testmann,DEU,GOV,person,foreign_minister,2031-01-01,2033-06-01,Außenminister,m,
Olaf Testmann,,DEU,PTY,person,party_leader,2033-06-01,,Parteichef,m,
Bündnis Morgenrot,Morgenrot|BMR,DEU,PTY,organization,,,,,,
Nordwacht,,NORMIL,,group,,,,,,
Republik Nordland,Nordlandia,NOR,,state,,,,,,LOC
"""


@pytest.fixture
def user_csv(tmp_path: Path) -> Path:
    path = tmp_path / "actors.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_kb_import_csv_people_roles_and_organisations(user_csv: Path) -> None:
    found = read_actor_csv(user_csv)
    (olaf,) = found.people
    assert olaf.short == ("Testmann",) and olaf.gender == "m"
    assert olaf.role_on(date(2032, 1, 1)).role == "foreign_minister"
    assert olaf.role_on(date(2034, 1, 1)).sector == "PTY"
    orgs = {i.name: i for i in found.institutions}
    assert set(orgs["Bündnis Morgenrot"].names) == {"Bündnis Morgenrot", "Morgenrot", "BMR"}
    # a CAMEO code in the country column gives country and sector
    assert (orgs["Nordwacht"].country, orgs["Nordwacht"].sector, orgs["Nordwacht"].kind) == (
        "NOR",
        "MIL",
        "group",
    )
    assert ("Nordlandia", "NOR") in found.state_names


def test_kb_import_csv_office_holders_and_names_in_the_kb(user_csv: Path) -> None:
    knowledge = KnowledgeBase.default().extended([user_csv])
    assert [p.name for p in knowledge.holders("DEU", "foreign_minister", date(2032, 1, 1))] == [
        "Olaf Testmann"
    ]
    assert knowledge.lookup("Testmanns", on=date(2032, 1, 1))[0].role == "foreign_minister"
    assert knowledge.lookup("Nordlandia")[0].kind == "country"


def test_kb_import_csv_overrides_or_only_extends(tmp_path: Path) -> None:
    base = KnowledgeBase.default()
    assert base.lookup("Kreml")[0].country == "RUS"
    path = tmp_path / "override.csv"
    path.write_text(
        "name,aliases,country,sector,kind\nKreml,,RUS,SPY,organization\nNeuamt,,AUT,GOV,state\n",
        encoding="utf-8",
    )
    replaced = base.extended([path])
    assert (replaced.lookup("Kreml")[0].sector, replaced.lookup("Kreml")[0].kind) == (
        "SPY",
        "institution",
    )
    kept = base.extended([path], override=False)
    assert kept.lookup("Kreml")[0].sector == "GOV"
    assert kept.lookup("Neuamt")[0].country == "AUT"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("X,,XXX,GOV,organization,,,", "unknown country"),
        ("X,,DEU,GOVT,organization,,,", "not a PLOVER sector"),
        ("X,,DEU,GOV,person,kaiser,,", "unknown role"),
        ("X,,DEU,GOV,person,other,2020-13-01,", "not an ISO date"),
        ("X,,DEU,GOV,robot,,,", "kind must be"),
        (",,DEU,GOV,organization,,,", "empty name"),
    ],
)
def test_kb_import_csv_rejects_bad_rows_with_their_row_number(
    tmp_path: Path, row: str, message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("name,aliases,country,sector,kind,role,start,end\n" + row + "\n", "utf-8")
    with pytest.raises(KnowledgeBaseError, match=message) as caught:
        read_actor_csv(path)
    assert "row 2" in str(caught.value)


def test_kb_import_csv_needs_a_name_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("actor,country\nX,DEU\n", "utf-8")
    with pytest.raises(KnowledgeBaseError, match="name"):
        read_actor_csv(path)


def test_kb_import_pipeline_links_imported_actors(user_csv: Path) -> None:
    base = build(
        "de",
        ["chronik.tokenize.v1", "chronik.tag.v1", "chronik.entities.v1", "chronik.actors.v1"],
    )
    pipe = with_knowledge(base, KnowledgeBase.default().extended([user_csv]))
    text = (
        "Außenminister Olaf Testmann warnte am Montag vor neuen Zöllen. "
        "Testmann sagte, der Bündnis Morgenrot werde nicht nachgeben."
    )
    doc = pipe(Document(text=text, meta=Metadata(published=date(2032, 3, 1))))
    actors = {a.name: a for a in doc.actors}
    olaf = actors["Olaf Testmann"]
    assert (olaf.country, olaf.sector, olaf.role) == ("DEU", "GOV", "foreign_minister")
    assert olaf.kb_id == "user:olaf-testmann"
    assert actors["Bündnis Morgenrot"].sector == "PTY"
    # the same text with the built-in knowledge base knows neither by name
    plain = base(Document(text=text, meta=Metadata(published=date(2032, 3, 1))))
    assert all(a.kb_id is None or not a.kb_id.startswith("user:") for a in plain.actors)
    assert all(a.sector != "PTY" for a in plain.actors)


def test_kb_import_knowledge_pipeline_is_built_once_per_knowledge_base(user_csv: Path) -> None:
    from chronik.stages.actors import knowledge_pipeline

    knowledge = KnowledgeBase.default().extended([user_csv])
    pipe = knowledge_pipeline("de", knowledge)
    assert knowledge_pipeline("de", knowledge) is pipe
    assert knowledge_pipeline("de", KnowledgeBase.default()) is not pipe
    meta = Metadata(published=date(2032, 3, 1))
    doc = pipe(Document(text="Am Montag warnte Olaf Testmann vor Zöllen.", meta=meta))
    assert any(a.kb_id == "user:olaf-testmann" for a in doc.actors)
