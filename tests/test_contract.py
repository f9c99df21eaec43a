"""Every output satisfies the contract: the JSON Schema, and offsets that point into the text."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import chronik
from chronik.contract import validate
from chronik.errors import InputError


def assert_offsets_inside(obj: dict[str, Any], text: str) -> None:
    n = len(text)
    for sent in obj["sentences"]:
        assert 0 <= sent["start"] <= sent["end"] <= n
    spans: list[dict[str, Any]] = [*obj["entities"], *obj["quotes"], *obj["times"]]
    spans += [ev["trigger"] for ev in obj["events"]]
    spans += obj.get("places", [])
    for span in spans:
        assert 0 <= span["start"] <= span["end"] <= n, span
        assert text[span["start"] : span["end"]] == span["text"], span
    sentence_count = len(obj["sentences"])
    for key in ("entities", "quotes", "events", "times"):
        for item in obj[key]:
            if "sentence" in item:
                assert 0 <= item["sentence"] < sentence_count
    actor_ids = {a["id"] for a in obj["actors"]}
    for ev in obj["events"]:
        assert set(ev["source"]) <= actor_ids and set(ev["target"]) <= actor_ids
    for q in obj["quotes"]:
        assert q["speaker"] is None or q["speaker"] in actor_ids
    for e in obj["entities"]:
        assert e["actor"] is None or e["actor"] in actor_ids


def test_contract_example_article_validates(example_text: str) -> None:
    doc = chronik.analyze(example_text, published="2023-09-15", id="kim-putin")
    obj = doc.to_dict()
    validate(obj)
    assert_offsets_inside(obj, example_text)
    assert obj["doc"]["published"] == "2023-09-15"
    assert obj["doc"]["title"].startswith("Nach Treffen von Kim und Putin")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n\n",
        "„",
        "Er sagte: „",
        "»Nein«, sagte er. »",
        "1.1.1 .. ... 13.9. 31.2.2023 am 99. Mai",
        "Kim\nKim Kim Kim.\n",
        "X" * 5000,
        "Putin sagte, Moskau verletze keine Sanktionen laut laut zufolge zufolge.",
        "\t \u00a0\u200b Nordkorea\u2028Russland\r\nUSA",
    ],
)
def test_contract_odd_inputs_never_crash(text: str) -> None:
    obj = chronik.analyze(text, language="de", published="2023-09-15").to_dict()
    validate(obj)
    assert_offsets_inside(obj, text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.text(max_size=40),
            st.sampled_from(
                [
                    "Putin",
                    "sagte",
                    "„",
                    "“",
                    '"',
                    ",",
                    ".",
                    "\n",
                    "am Mittwoch",
                    "Moskau",
                    "nicht",
                    "warnte",
                    "vor",
                    "USA",
                    "Kreml-Sprecher",
                    "laut",
                    "ihm zufolge",
                    "seien",
                    "er",
                    "Nordkoreas",
                    "13. September 2023",
                    "gestern",
                    "Sanktionen",
                ]
            ),
        ),
        max_size=30,
    )
    .map(" ".join)
    .filter(lambda text: "\x00" not in text)  # NUL bytes are refused as binary, tested below
)
def test_contract_arbitrary_text_keeps_offsets_inside(text: str) -> None:
    obj = chronik.analyze(text, language="de", published="2023-09-15").to_dict()
    validate(obj)
    assert_offsets_inside(obj, text)


def test_contract_nul_bytes_are_refused_as_binary() -> None:
    with pytest.raises(InputError, match="binary"):
        chronik.analyze("Putin\x00sagte", language="de")
