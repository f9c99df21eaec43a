"""Places: countries, regions, cities and sites with coordinates (placeholder interface).

`lookup(name, language)` returns the candidate places a name may denote, best first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Feature = Literal["country", "region", "city", "site"]


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    id: str
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    feature: Feature
    population: int = 0


def lookup(name: str, language: str = "de") -> list[GazetteerEntry]:
    """Candidate places for `name` (as written, inflected forms included), best first."""
    return []
