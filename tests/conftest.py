"""Shared fixtures; tests that need ../shared skip with a reason where it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLE = SHARED / "examples" / "kim-putin-2023-09-15.de.txt"
GOLD_DEV = SHARED / "gold" / "dev"
DATA = SHARED / "data"


def require_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"needs {path} (the shared/ folder beside the repository is absent)")
    return path


@pytest.fixture(scope="session")
def example_text() -> str:
    return require_shared(EXAMPLE).read_text(encoding="utf-8")
