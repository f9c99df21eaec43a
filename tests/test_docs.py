"""Documentation that can fall out of date is checked: the CLI reference and the stage list."""

from __future__ import annotations

import importlib.util

from chronik.registry import registered
from tests.conftest import ROOT


def _cli_reference_module():
    spec = importlib.util.spec_from_file_location(
        "cli_reference", ROOT / "scripts" / "cli_reference.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_cli_reference_is_generated_from_the_cli() -> None:
    expected = _cli_reference_module().reference()
    actual = (ROOT / "docs" / "cli.md").read_text("utf-8")
    assert actual == expected, "docs/cli.md is stale: run python scripts/cli_reference.py"


def test_docs_every_registered_stage_is_documented() -> None:
    architecture = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    missing = [name for name in registered() if f"`{name}`" not in architecture]
    assert not missing, f"stages not described in docs/architecture.md: {missing}"
