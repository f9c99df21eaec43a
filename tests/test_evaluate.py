from __future__ import annotations

from chronik.evaluate import score_events, score_quotes, score_times, speaker_matches, texts_overlap

ACTORS = [
    {"id": "a1", "name": "USA", "country": "USA"},
    {"id": "a2", "name": "Russland", "country": "RUS"},
    {"id": "a3", "name": "Wladimir Putin", "country": "RUS"},
    {"id": "a4", "name": "Kim Jong Un", "country": "PRK"},
    {"id": "a5", "name": "Unbekannter", "country": None},
]


def _event(typ, source, target, negated=False, modality="asserted"):
    return {
        "type": typ,
        "source": source,
        "target": target,
        "negated": negated,
        "modality": modality,
    }


def _gold_event(types, source, target, negated=False, optional=False):
    return {
        "type": types,
        "source": source,
        "target": target,
        "negated": negated,
        "optional": optional,
    }


def test_evaluate_events_match_by_type_list_and_countries() -> None:
    output = {"actors": ACTORS, "events": [_event("THREATEN", ["a1"], ["a2"])]}
    gold = {"events": [_gold_event(["THREATEN", "ACCUSE"], ["USA"], ["RUS"])]}
    scores = score_events(output, gold)
    assert (scores["events"].tp, scores["events"].fp, scores["events"].fn) == (1, 0, 0)


def test_evaluate_events_negation_must_agree_but_pairs_ignore_it() -> None:
    output = {"actors": ACTORS, "events": [_event("AGREE", ["a3"], ["a4"], negated=False)]}
    gold = {"events": [_gold_event(["AGREE"], ["RUS"], ["PRK"], negated=True)]}
    scores = score_events(output, gold)
    assert scores["events"].tp == 0 and scores["events"].fp == 1 and scores["events"].fn == 1
    assert scores["pairs"].tp == 1


def test_evaluate_symmetric_types_match_reversed() -> None:
    output = {"actors": ACTORS, "events": [_event("CONSULT", ["a4"], ["a3"])]}
    gold = {"events": [_gold_event(["CONSULT"], ["RUS"], ["PRK"])]}
    assert score_events(output, gold)["events"].tp == 1
    output = {"actors": ACTORS, "events": [_event("ACCUSE", ["a2"], ["a1"])]}
    gold = {"events": [_gold_event(["ACCUSE"], ["USA"], ["RUS"])]}
    assert score_events(output, gold)["events"].tp == 0


def test_evaluate_hypothetical_and_countryless_events_are_not_scored() -> None:
    output = {
        "actors": ACTORS,
        "events": [
            _event("ASSAULT", ["a2"], ["a1"], modality="hypothetical"),
            _event("ASSAULT", ["a5"], ["a1"]),
        ],
    }
    scores = score_events(output, {"events": []})
    assert scores["events"].fp == 0


def test_evaluate_optional_gold_neither_rewards_nor_punishes() -> None:
    output = {"actors": ACTORS, "events": [_event("ASSAULT", ["a2"], ["a1"])]}
    gold = {"events": [_gold_event(["ASSAULT"], ["RUS"], ["USA"], optional=True)]}
    s = score_events(output, gold)["events"]
    assert (s.tp, s.fp, s.fn) == (0, 0, 0)


def test_evaluate_each_gold_tuple_matches_once() -> None:
    output = {
        "actors": ACTORS,
        "events": [_event("THREATEN", ["a1"], ["a2"]), _event("ACCUSE", ["a1"], ["a2"])],
    }
    gold = {"events": [_gold_event(["THREATEN", "ACCUSE"], ["USA"], ["RUS"])]}
    s = score_events(output, gold)["events"]
    assert (s.tp, s.fp, s.fn) == (1, 1, 0)


def test_evaluate_quote_overlap_is_half_of_the_longer() -> None:
    assert texts_overlap(
        "Wir stellen für niemanden eine Bedrohung dar",
        "„Wir stellen für niemanden eine Bedrohung dar“, sagte er",
    )
    assert not texts_overlap("Wir stellen", "Wir stellen für niemanden eine Bedrohung dar")


def test_evaluate_speaker_content_words_and_pronouns() -> None:
    assert speaker_matches(["Dmitri Peskow", "Kreml-Sprecher"], ["Dmitri Peskow"], "Peskow")
    assert not speaker_matches(["Dmitri Peskow"], ["Wladimir Putin"], "der Präsident")
    assert speaker_matches(["er"], [""], "sagte er")
    assert not speaker_matches(["er"], ["Putin"], "Putin")
    assert not speaker_matches(["der Sprecher"], ["die Sprecherin"], "die")


def test_evaluate_quotes_attribution_needs_the_speaker() -> None:
    output = {
        "actors": ACTORS,
        "quotes": [
            {
                "text": "Wir stellen für niemanden eine Bedrohung dar",
                "speaker": "a3",
                "speaker_text": "er",
            }
        ],
    }
    gold = {
        "quotes": [
            {
                "text": "Wir stellen für niemanden eine Bedrohung dar",
                "speaker": ["Wladimir Putin"],
                "optional": False,
            }
        ]
    }
    scores = score_quotes(output, gold)
    assert scores["quotes"].tp == 1 and scores["attribution"].tp == 1
    output["quotes"][0]["speaker"] = "a1"
    scores = score_quotes(output, gold)
    assert scores["quotes"].tp == 1 and scores["attribution"].tp == 0


def test_evaluate_times_compare_unique_values() -> None:
    output = {"times": [{"value": "2023-09-13"}, {"value": "2023-09-13"}, {"value": None}]}
    gold = {"times": [{"value": "2023-09-13"}, {"value": "2023-09-14"}, {"value": None}]}
    s = score_times(output, gold)
    assert (s.tp, s.fp, s.fn) == (1, 0, 1)
