"""Stages are registered by name (`chronik.quotes.v1`) and assembled into pipelines by config.

A stage factory takes the language code and returns a callable that takes a `Document`, adds its
layer and returns the same `Document`. Each registration declares the layers the stage requires
and the layers it assigns, so a pipeline's order can be checked before any text is processed.
Chronik's own stages register through the same decorator a plugin would use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from chronik.document import Document
from chronik.errors import PipelineError

#: the layers of a Document a stage can require or assign
LAYERS = frozenset(
    {
        "sentences",
        "tokens",
        "pos",
        "entities",
        "actors",
        "mentions",
        "times",
        "places",
        "quotes",
        "events",
        "clauses",
    }
)


class Stage(Protocol):
    def __call__(self, doc: Document) -> Document: ...


StageFactory = Callable[[str], Stage]


@dataclass(frozen=True, slots=True)
class StageInfo:
    name: str
    factory: StageFactory
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    languages: tuple[str, ...] | None


_stages: dict[str, StageInfo] = {}


def stage(
    name: str,
    *,
    requires: tuple[str, ...] = (),
    assigns: tuple[str, ...] = (),
    languages: tuple[str, ...] | None = None,
) -> Callable[[StageFactory], StageFactory]:
    """Register a stage factory under `name`."""
    unknown = (set(requires) | set(assigns)) - LAYERS
    if unknown:
        raise PipelineError(f"stage {name!r} names unknown layers: {sorted(unknown)}")

    def register(factory: StageFactory) -> StageFactory:
        _stages[name] = StageInfo(name, factory, requires, assigns, languages)
        return factory

    return register


def get_stage(name: str) -> StageInfo:
    _load_builtin_stages()
    try:
        return _stages[name]
    except KeyError:
        known = ", ".join(sorted(_stages))
        raise PipelineError(f"unknown stage {name!r}; registered stages: {known}") from None


def registered() -> list[str]:
    _load_builtin_stages()
    return sorted(_stages)


def _load_builtin_stages() -> None:
    # Importing the modules runs their @stage decorators; done lazily so that importing chronik
    # stays cheap and side-effect free.
    import chronik.stages  # noqa: F401
