"""English time expressions: the language-independent engine with lang/en/time*.yaml."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chronik import timex
from chronik.document import Document, Metadata, Sentence
from chronik.registry import get_stage

FRIDAY = date(2023, 9, 15)


def found(sentence: str, dct: date | None = FRIDAY) -> list[tuple[str, str | None]]:
    return [(t.text, t.value) for t in timex.extract(sentence, dct, "en")]


@pytest.mark.parametrize(
    ("sentence", "expression", "value"),
    [
        ("Kim arrived on September 13, 2023, in Vladivostok.", "September 13, 2023", "2023-09-13"),
        ("The summit took place on 13 September 2023.", "13 September 2023", "2023-09-13"),
        ("On Sept. 13 the two leaders met.", "Sept. 13", "2023-09-13"),
        ("The riot of Jan. 6, 2021 shocked the nation.", "Jan. 6, 2021", "2021-01-06"),
        ("On Wednesday, Sept. 13, they met.", "Wednesday, Sept. 13", "2023-09-13"),
        ("He was born on the 5th of May 1960.", "5th of May 1960", "1960-05-05"),
        ("In 2023 the war continued.", "2023", "2023"),
        ("After the fall of Kabul in August 2021 the Taliban ruled.", "August 2021", "2021-08"),
        ("The vote was held in May.", "May", "2023-05"),
        ("Putin met Kim yesterday.", "yesterday", "2023-09-14"),
        ("The leaders met on Wednesday.", "Wednesday", "2023-09-13"),
        ("Putin will visit Pyongyang on Wednesday.", "Wednesday", "2023-09-20"),
        ("They met last Friday.", "last Friday", "2023-09-08"),
        ("Last week the talks failed.", "Last week", "2023-W36"),
        ("Elections will be held next month.", "next month", "2023-10"),
        ("Prices rose this year.", "this year", "2023"),
        ("The plant was built two years ago.", "two years ago", "2021"),
        ("He resigned a week ago.", "a week ago", "2023-W36"),
        ("In two weeks the vote will take place.", "two weeks", "2023-W39"),
        ("He spoke on Wednesday evening.", "Wednesday evening", "2023-09-13TEV"),
        ("Shots were heard last night.", "last night", "2023-09-14TNI"),
        ("The minister arrived this morning.", "this morning", "2023-09-15TMO"),
        ("Earlier this month, he resigned.", "Earlier this month", "2023-09"),
        ("Prices fell late last year.", "late last year", "2022"),
        ("Inflation will fall by the end of the year.", "the end of the year", "2023"),
        ("It shrank in the third quarter of 2022.", "the third quarter of 2022", "2022-Q3"),
        ("Growth slowed in the first half of 2023.", "the first half of 2023", "2023-H1"),
        ("Troops withdrew in the 1990s.", "the 1990s", "199"),
        ("It was built early in the 20th century.", "the 20th century", "19"),
        ("They will meet in mid-September.", "mid-September", "2023-09"),
        ("Protests spread over the weekend.", "the weekend", "2023-W37-WE"),
        ("Christmas Day 2022 was quiet.", "Christmas Day 2022", "2022-12-25"),
        ("The day before yesterday he left.", "The day before yesterday", "2023-09-13"),
        ("The ceasefire began at 8 p.m. local time.", "8 p.m.", "2023-09-15T20:00"),
        ("The talks ended at 10:30.", "10:30", "2023-09-15T10:30"),
    ],
)
def test_times_en_values(sentence: str, expression: str, value: str) -> None:
    assert (expression, value) in found(sentence)


@pytest.mark.parametrize(
    ("sentence", "expression", "timeml", "kind"),
    [
        ("The fighting lasted three days.", "three days", "P3D", "DURATION"),
        ("It has been going on for years.", "years", "PXY", "DURATION"),
        ("The past week was calm.", "The past week", "P1W", "DURATION"),
        ("It was a three-day visit.", "three-day", "P3D", "DURATION"),
        ("In the coming weeks, talks will resume.", "the coming weeks", "PXW", "DURATION"),
        ("He visits every Monday.", "every Monday", "XXXX-WXX-1", "SET"),
        ("The paper appears daily.", "daily", "P1D", "SET"),
        ("Talks are currently stalled.", "currently", "PRESENT_REF", "DATE"),
        ("They will resume soon.", "soon", "FUTURE_REF", "DATE"),
        ("He left several years ago.", "several years ago", "PAST_REF", "DATE"),
    ],
)
def test_times_en_timeml_types(sentence: str, expression: str, timeml: str, kind: str) -> None:
    by_text = {t.text: t for t in timex.extract(sentence, FRIDAY, "en")}
    assert by_text[expression].value == timeml
    assert by_text[expression].type == kind
    assert by_text[expression].calendar_value is None


@pytest.mark.parametrize(
    "sentence",
    [
        "Theresa May said she would resign.",
        "After the fall of Kabul the Taliban ruled.",
        "He served a second term.",
        "The march was peaceful. Some 2000 people marched.",
        "The next day he left.",
        "In the second half the team scored twice.",
    ],
)
def test_times_en_words_that_are_not_times(sentence: str) -> None:
    assert found(sentence) == []


def test_times_en_anchored_to_the_last_date() -> None:
    text = "The treaty was signed on March 3, 2020. Two days later the parliament ratified it."
    assert ("Two days later", "2020-03-05") in found(text)


def test_times_en_relative_expressions_need_a_publication_date() -> None:
    assert found("Putin met Kim yesterday, on September 13, 2023.", None) == [
        ("yesterday", None),
        ("September 13, 2023", "2023-09-13"),
    ]


def test_times_en_stage_fills_document() -> None:
    stage = get_stage("chronik.times.v1").factory("en")
    text = "Kim meets Putin\n\nOn Wednesday Kim met Putin. Yesterday he left."
    doc = Document(
        text,
        Metadata(published=FRIDAY, language="en"),
        sentences=[Sentence(0, 15), Sentence(17, 43), Sentence(44, len(text))],
    )
    stage(doc)
    assert [(t.text, t.value, t.sentence, t.type) for t in doc.times] == [
        ("Wednesday", "2023-09-13", 1, "DATE"),
        ("Yesterday", "2023-09-14", 2, "DATE"),
    ]


@settings(max_examples=100, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("On May 13, 2023 yesterday years ago the last week .,\n0123456789pm:")
        ),
        max_size=200,
    )
)
def test_times_en_offsets_always_inside_text(text: str) -> None:
    for t in timex.extract(text, FRIDAY, "en"):
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start : t.end] == t.text
