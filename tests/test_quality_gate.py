"""The quality gate: scores on the development gold may not fall below the pinned floors.

Floors live in tests/quality_floors.json; scripts/floors.py raises them, and lowers one only
with a recorded reason.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chronik.evaluate import Report, evaluate, load_gold
from tests.conftest import ROOT, require_shared

CONFIG = json.loads((ROOT / "tests" / "quality_floors.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def report() -> Report:
    gold = require_shared((ROOT / CONFIG["gold"]).resolve())
    return evaluate(load_gold(Path(gold)))


@pytest.mark.gold
@pytest.mark.parametrize("figure", sorted(CONFIG["floors"]))
def test_quality_gate_dev_gold_f1_not_below_floor(report: Report, figure: str) -> None:
    floor = CONFIG["floors"][figure]
    score = report.scores[figure]
    assert score.f1 >= floor, (
        f"{figure} F1 {score.f1:.3f} fell below its floor {floor:.2f} "
        f"(P {score.precision:.3f}, R {score.recall:.3f}); see tests/quality_floors.json"
    )


def test_quality_gate_lowered_floors_carry_a_reason() -> None:
    for change in CONFIG["changes"]:
        assert change["to"] < change["from"]
        assert len(change["reason"]) >= 20, change
