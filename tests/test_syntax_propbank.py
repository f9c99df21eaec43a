"""Who did what to whom against Universal PropBank German: the clause analysis keeps its floor
(A0 and A1 heads of verbal predicates together, F1 >= 0.60 on dev; see docs/syntax.md)."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache

import pytest

from tests.conftest import DATA, ROOT, require_shared

FLOOR = 0.60


@cache
def _eval_module():
    spec = importlib.util.spec_from_file_location(
        "eval_propbank", ROOT / "scripts" / "eval_propbank.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    # its dataclasses look their module up by name while the module is being run
    sys.modules["eval_propbank"] = module
    spec.loader.exec_module(module)
    return module


def _f1(tally, key: str) -> float:
    tp, fp, fn = tally.tp[key], tally.fp[key], tally.fn[key]
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


@pytest.mark.gold
def test_syntax_propbank_dev_a0_a1_heads_keep_the_floor() -> None:
    path = require_shared(DATA / "up_german_srl" / "dev.conllu.xz")
    module = _eval_module()
    sentences = list(module.read_conllu(path, propbank=True))
    tally, info, _, _ = module.evaluate_up("dev", sentences, 0)
    assert info["predicates"] > 1000
    assert _f1(tally, "both") >= FLOOR, tally.line("both")


def test_syntax_propbank_passive_maps_subject_to_a1_and_agent_to_a0() -> None:
    module = _eval_module()
    from chronik import syntax
    from chronik.document import Document
    from chronik.pipeline import build

    doc = build("de", ["chronik.tokenize.v1", "chronik.tag.v1"])(
        Document(text="Der Pilot wurde von der Polizei festgenommen.")
    )
    (clause,) = syntax.analyze(doc)
    roles = module.predicted_roles(clause, clause.main_verb, doc.tokens, {}, {}).roles
    assert doc.tokens[roles["A1"]].text == "Pilot"
    assert doc.tokens[roles["A0"]].text == "Polizei"
