"""The people knowledge base (src/chronik/kb/people.yaml) is well-formed and its key facts hold.

The file is read with a plain safe YAML loader on purpose: these tests check the data itself,
independent of the loader that turns it into typed objects, so a broken file fails here with a
precise message.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path
from typing import Any

import pycountry
import pytest
import yaml

from chronik.contract import SECTORS

PEOPLE = Path(__file__).resolve().parents[1] / "src" / "chronik" / "kb" / "people.yaml"

ROLES = {
    "head_of_state",
    "head_of_government",
    "foreign_minister",
    "defence_minister",
    "interior_minister",
    "finance_minister",
    "minister",
    "spokesperson",
    "military_chief",
    "intelligence_chief",
    "central_bank_governor",
    "party_leader",
    "opposition_leader",
    "igo_head",
    "judge",
    "legislator",
    "other",
}
# IGO: international organisations (contract); XKX: Kosovo, the user-assigned code in common use.
EXTRA_COUNTRIES = {"IGO", "XKX"}
PERSON_KEYS = {"id", "name", "names", "short", "gender", "roles"}
ROLE_KEYS = {"country", "sector", "role", "title", "start", "end"}
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Offices a country fills with one person at a time; acting holders may overlap a suspended one.
SINGLE_OFFICES = ("head_of_state", "head_of_government", "foreign_minister", "defence_minister")
ACTING_RE = re.compile(r"^(?:Amtierende|Kommissarische|Interims)")
# States the knowledge base must cover (the brief's G20 and conflict/news states).
COVERED = (
    "ARG",
    "AUS",
    "BRA",
    "CAN",
    "CHN",
    "FRA",
    "DEU",
    "IND",
    "IDN",
    "ITA",
    "JPN",
    "KOR",
    "MEX",
    "RUS",
    "SAU",
    "ZAF",
    "TUR",
    "GBR",
    "USA",
    "UKR",
    "BLR",
    "PRK",
    "IRN",
    "ISR",
    "PSE",
    "SYR",
    "IRQ",
    "AFG",
    "PAK",
    "LBN",
    "EGY",
    "YEM",
    "LBY",
    "SDN",
    "SSD",
    "ETH",
    "SOM",
    "NGA",
    "MLI",
    "COD",
    "VEN",
    "CUB",
    "GEO",
    "ARM",
    "AZE",
    "SRB",
    "XKX",
    "POL",
    "HUN",
    "ESP",
    "NLD",
    "BEL",
    "AUT",
    "CHE",
    "SWE",
    "FIN",
    "NOR",
    "DNK",
    "GRC",
    "MDA",
    "KAZ",
    "MMR",
    "TWN",
    "QAT",
    "ARE",
    "JOR",
)


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


@pytest.fixture(scope="module")
def people() -> list[dict[str, Any]]:
    # The C loader is the same safe loader, only faster; fall back where libyaml is absent.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(PEOPLE.read_text(encoding="utf-8"), Loader=loader)
    assert isinstance(data, list), "people.yaml must be a YAML list"
    return data


def _holders(people: list[dict[str, Any]], country: str, role: str, day: dt.date) -> list[str]:
    """Ids of the people holding `role` for `country` on `day` (start inclusive, end exclusive)."""
    found = []
    for person in people:
        for r in person["roles"]:
            start, end = _date(r["start"]), _date(r["end"])
            if (
                r["country"] == country
                and r["role"] == role
                and start is not None
                and start <= day
                and (end is None or day < end)
            ):
                found.append(person["id"])
    return found


def test_kb_people_records_have_exactly_the_documented_keys(people: list[dict[str, Any]]) -> None:
    assert len(people) >= 600
    for person in people:
        assert set(person) == PERSON_KEYS, person.get("id")
        assert isinstance(person["roles"], list) and person["roles"], person["id"]
        for r in person["roles"]:
            assert set(r) == ROLE_KEYS, (person["id"], r)


def test_kb_people_ids_are_unique_lowercase_ascii(people: list[dict[str, Any]]) -> None:
    ids = Counter(p["id"] for p in people)
    assert [i for i, n in ids.items() if n > 1] == []
    assert [i for i in ids if not ID_RE.match(str(i))] == []


def test_kb_people_names_short_forms_and_gender(people: list[dict[str, Any]]) -> None:
    for person in people:
        names, short = person["names"], person["short"]
        assert isinstance(names, list) and names, person["id"]
        assert all(isinstance(n, str) and n.strip() == n and n for n in names), person["id"]
        assert person["name"] in names, person["id"]
        assert isinstance(short, list) and short, person["id"]
        assert all(isinstance(s, str) and s.strip() == s and s for s in short), person["id"]
        assert person["gender"] in ("m", "f"), person["id"]


def test_kb_people_no_two_people_share_a_full_name(people: list[dict[str, Any]]) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for person in people:
        for name in person["names"]:
            owners[name.casefold()].add(person["id"])
    shared = {name: ids for name, ids in owners.items() if len(ids) > 1}
    assert shared == {}


def test_kb_people_roles_use_valid_codes_and_dates(people: list[dict[str, Any]]) -> None:
    for person in people:
        for r in person["roles"]:
            where = (person["id"], r)
            country = r["country"]
            assert country in EXTRA_COUNTRIES or pycountry.countries.get(alpha_3=country), where
            assert r["sector"] in SECTORS, where
            assert r["role"] in ROLES, where
            assert isinstance(r["title"], str) and r["title"].strip(), where
            start, end = _date(r["start"]), _date(r["end"])
            assert start is not None, where
            assert dt.date(1900, 1, 1) <= start <= dt.date.today(), where
            assert end is None or start <= end, where


def test_kb_people_single_offices_do_not_overlap(people: list[dict[str, Any]]) -> None:
    spans: dict[tuple[str, str], list[tuple[dt.date, dt.date, str]]] = defaultdict(list)
    for person in people:
        for r in person["roles"]:
            if r["role"] in SINGLE_OFFICES and r["country"] != "IGO":
                if ACTING_RE.match(r["title"]):
                    continue
                start = _date(r["start"])
                end = _date(r["end"]) or dt.date.max
                assert start is not None
                spans[(r["country"], r["role"])].append((start, end, person["id"]))
    overlaps = []
    for key, items in spans.items():
        items.sort()
        for (_s1, e1, a), (s2, _e2, b) in pairwise(items):
            if s2 < e1:
                overlaps.append((key, a, b, str(s2)))
    assert overlaps == []


def test_kb_people_every_listed_state_has_a_leader_today(people: list[dict[str, Any]]) -> None:
    day = dt.date(2024, 6, 1)
    missing = [
        c
        for c in COVERED
        if not _holders(people, c, "head_of_state", day)
        and not _holders(people, c, "head_of_government", day)
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("country", "role", "day", "expected"),
    [
        ("USA", "head_of_state", "2010-06-01", "barack-obama"),
        ("USA", "head_of_state", "2003-03-20", "george-w-bush"),
        ("USA", "foreign_minister", "2014-01-01", "john-kerry"),
        ("DEU", "head_of_government", "2010-06-01", "angela-merkel"),
        ("DEU", "head_of_government", "2023-09-15", "olaf-scholz"),
        ("DEU", "defence_minister", "2016-01-01", "ursula-von-der-leyen"),
        ("RUS", "head_of_state", "2023-09-15", "vladimir-putin"),
        ("RUS", "head_of_state", "2010-06-01", "dmitry-medvedev"),
        ("RUS", "foreign_minister", "2015-01-01", "sergey-lavrov"),
        ("UKR", "head_of_state", "2023-09-15", "volodymyr-zelensky"),
        ("PRK", "head_of_state", "2023-09-15", "kim-jong-un"),
        ("CHN", "head_of_state", "2015-01-01", "xi-jinping"),
        ("FRA", "head_of_state", "2015-01-01", "francois-hollande"),
        ("GBR", "head_of_government", "2020-01-01", "boris-johnson"),
        ("ISR", "head_of_government", "2020-01-01", "benjamin-netanyahu"),
        ("TUR", "head_of_state", "2020-01-01", "recep-tayyip-erdogan"),
        ("JPN", "head_of_government", "2015-01-01", "shinzo-abe"),
        ("IND", "head_of_government", "2015-01-01", "narendra-modi"),
    ],
)
def test_kb_people_spot_checks_find_exactly_the_office_holder(
    people: list[dict[str, Any]], country: str, role: str, day: str, expected: str
) -> None:
    assert _holders(people, country, role, dt.date.fromisoformat(day)) == [expected]
