"""GDELT's Actor1Geo / Actor2Geo: the place mentioned closest to each actor in the article."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chronik import export, store
from chronik.reader import Article
from chronik.store import Store
from tests.test_store import ADDED

TEXT = (
    "Streit um Gaslieferungen\n"
    "Kremlchef Wladimir Putin warnte am Mittwoch in Moskau vor Konsequenzen. "
    "Der ukrainische Präsident Wolodymyr Selenskyj, der sich in Kiew aufhielt, "
    "wies die Drohung zurück.\n"
)
PLACES = {
    "Moskau": ("city", "RUS", 55.7522, 37.6156, "gn:524901"),
    "Kiew": ("city", "UKR", 50.4547, 30.5238, "gn:703448"),
    "Ukraine": ("country", "UKR", 50.45, 30.52, "iso:UKR"),
}
PUTIN = {"id": "a1", "name": "Wladimir Putin", "kind": "person", "country": "RUS"}
SELENSKYJ = {"id": "a2", "name": "Wolodymyr Selenskyj", "kind": "person", "country": "UKR"}
UKRAINE = {"id": "a2", "name": "Ukraine", "kind": "state", "country": "UKR"}


def span(text: str, word: str, after: int = 0) -> dict[str, int]:
    start = text.index(word, after)
    return {"start": start, "end": start + len(word)}


def article_doc(
    text: str,
    actors: list[tuple[dict[str, Any], str, int]],
    places: list[tuple[str, int]],
) -> dict[str, Any]:
    """A contract object by hand: the first actor threatens the second (trigger `warnte`);
    `actors`: (actor, the word naming it, where to look for the word from); `places`: (place,
    where to look for its name from)."""
    trigger = {"text": "warnte", **span(text, "warnte")}
    headline = text.index("\n")
    coded = [{"sector": "GOV", "role": None, "kb_id": None, **a} for a, _, _ in actors]
    entities = [
        {"id": f"e{n}", "text": word, "type": "PER", "sentence": 1, "actor": actor["id"],
         **span(text, word, after)}
        for n, (actor, word, after) in enumerate(actors, 1)
    ]  # fmt: skip
    place_rows = []
    for n, (name, after) in enumerate(places, 1):
        feature, country, lat, lon, gazetteer = PLACES[name]
        place_rows.append(
            {"id": f"p{n}", "name": name, "text": name, "sentence": 1, "feature": feature,
             "country": country, "lat": lat, "lon": lon, "gazetteer_id": gazetteer,
             **span(text, name, after)}
        )  # fmt: skip
    event = {
        "id": "ev1", "type": "THREATEN", "mode": None, "source": [coded[0]["id"]],
        "target": [a["id"] for a in coded[1:]], "negated": False, "modality": "asserted",
        "date": None, "date_text": None, "location": None, "sentence": 1, "trigger": trigger,
        "confidence": 0.7, "cameo": "130", "goldstein": -4.4,
        "mentions": [{"sentence": 1, "trigger": trigger}],
    }  # fmt: skip
    return {
        "chronik": "1",
        "doc": {"id": "g", "title": text[:headline], "language": "de",
                "published": "2023-09-15", "url": None, "source": "Blatt"},
        "sentences": [{"start": 0, "end": headline}, {"start": headline + 1, "end": len(text)}],
        "entities": entities,
        "actors": coded,
        "events": [event],
        "quotes": [],
        "times": [],
        "places": place_rows,
    }  # fmt: skip


def gdelt_fields(tmp_path: Path, text: str, doc: dict[str, Any], **kwargs: Any) -> dict[str, str]:
    article = Article(id="g", text=text, origin="g.txt")
    rows = store.article_rows(article, doc, doc_key=store.content_key(text), added=ADDED, **kwargs)
    tmp_path.mkdir(parents=True, exist_ok=True)
    with Store(tmp_path / "e.duckdb") as db:
        db.write([rows])
        records = [export.gdelt_record(row) for row in export.event_rows(db)]
    assert len(records) == 1 and records[0] is not None
    return dict(zip(export.GDELT_COLUMNS, records[0], strict=True))


def geo(fields: dict[str, str], prefix: str, *names: str) -> list[str]:
    return [fields[f"{prefix}_{name}"] for name in names]


def test_export_actor_geo_is_the_place_nearest_each_actor(tmp_path: Path) -> None:
    doc = article_doc(
        TEXT, [(PUTIN, "Putin", 0), (SELENSKYJ, "Selenskyj", 0)], [("Moskau", 0), ("Kiew", 0)]
    )
    fields = gdelt_fields(tmp_path, TEXT, doc)
    assert fields["Actor1Code"] == "RUSGOV" and fields["Actor2Code"] == "UKRGOV"
    assert geo(fields, "Actor1Geo", "Type", "FullName", "CountryCode", "ADM1Code") == [
        "4",
        "Moskau, Russia",
        "RS",
        "RS",
    ]
    assert geo(fields, "Actor1Geo", "Lat", "Long", "FeatureID") == ["55.7522", "37.6156", "524901"]
    assert geo(fields, "Actor2Geo", "Type", "FullName", "CountryCode", "FeatureID") == [
        "4",
        "Kiew, Ukraine",
        "UP",
        "703448",
    ]
    # the event itself has no location
    assert geo(fields, "ActionGeo", "Type", "FullName") == ["0", ""]


def test_export_actor_geo_empty_without_places(tmp_path: Path) -> None:
    doc = article_doc(TEXT, [(PUTIN, "Putin", 0), (SELENSKYJ, "Selenskyj", 0)], [])
    fields = gdelt_fields(tmp_path, TEXT, doc)
    for prefix in ("Actor1Geo", "Actor2Geo"):
        assert geo(fields, prefix, "Type", "FullName", "CountryCode", "Lat", "FeatureID") == [
            "0",
            "",
            "",
            "",
            "",
        ]


def test_export_actor_geo_passes_over_the_other_actors_mention(tmp_path: Path) -> None:
    # the only place is the target itself: no place of Putin's; the target's is its own name
    text = "Drohung\nKremlchef Wladimir Putin warnte die Ukraine vor Konsequenzen.\n"
    doc = article_doc(text, [(PUTIN, "Putin", 0), (UKRAINE, "Ukraine", 0)], [("Ukraine", 0)])
    fields = gdelt_fields(tmp_path, text, doc)
    assert geo(fields, "Actor1Geo", "Type", "FullName") == ["0", ""]
    assert geo(fields, "Actor2Geo", "Type", "FullName", "CountryCode", "FeatureID") == [
        "1",
        "Ukraine",
        "UP",
        "UP",
    ]


def test_export_actor_geo_uses_the_actor_mention_nearest_the_trigger(tmp_path: Path) -> None:
    # Putin is named far from the trigger (next to Kiew) and referred to by "Kremlchef" next
    # to it (next to Moskau): the mention at the trigger decides, when the mentions are given
    text = (
        "Putin besuchte Kiew 2010\n"
        "Putin war damals in Kiew zu Gast. Heute warnte der Kremlchef in Moskau die Ukraine.\n"
    )
    doc = article_doc(text, [(PUTIN, "Putin", 10)], [("Kiew", 30), ("Moskau", 0)])
    names_only = gdelt_fields(tmp_path / "names", text, doc)
    assert names_only["Actor1Geo_FullName"] == "Kiew, Ukraine"
    role = {"actor": "a1", **span(text, "Kremlchef")}
    with_role = gdelt_fields(tmp_path / "role", text, doc, mentions=[role])
    assert with_role["Actor1Geo_FullName"] == "Moskau, Russia"
