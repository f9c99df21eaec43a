"""Pipelines: the named stages of one language, checked and run in order."""

from __future__ import annotations

import gc
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from chronik.document import Document
from chronik.errors import PipelineError, UnsupportedLanguageError
from chronik.registry import Stage, StageInfo, get_stage

SUPPORTED_LANGUAGES = ("de",)


@dataclass(slots=True)
class Pipeline:
    language: str
    stages: list[tuple[StageInfo, Stage]] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [info.name for info, _ in self.stages]

    def __call__(self, doc: Document) -> Document:
        for info, proc in self.stages:
            result = proc(doc)
            if not isinstance(result, Document):
                raise PipelineError(
                    f"stage {info.name!r} returned {type(result).__name__}, not a Document"
                )
            doc = result
            doc.stages.append(info.name)
        return doc


def check_order(infos: list[StageInfo]) -> None:
    """Raise `PipelineError` when a stage requires a layer no earlier stage assigns."""
    available: set[str] = set()
    for info in infos:
        missing = [layer for layer in info.requires if layer not in available]
        if missing:
            raise PipelineError(
                f"stage {info.name!r} requires {', '.join(missing)}, which no earlier stage assigns"
            )
        available.update(info.assigns)


def pipeline_config(language: str) -> list[str]:
    """The stage names of a language's default pipeline (`lang/<code>/pipeline.toml`)."""
    path = resources.files("chronik").joinpath(f"lang/{language}/pipeline.toml")
    if language not in SUPPORTED_LANGUAGES or not path.is_file():
        supported = ", ".join(SUPPORTED_LANGUAGES)
        raise UnsupportedLanguageError(
            f"no pipeline for language {language!r}; Chronik analyses: {supported}"
        )
    config = tomllib.loads(path.read_text("utf-8"))
    return list(config["pipeline"]["stages"])


def build(language: str, stage_names: list[str] | None = None) -> Pipeline:
    names = stage_names if stage_names is not None else pipeline_config(language)
    infos = [get_stage(name) for name in names]
    check_order(infos)
    pipe = Pipeline(language)
    for info in infos:
        if info.languages is not None and language not in info.languages:
            raise PipelineError(f"stage {info.name!r} does not support language {language!r}")
        pipe.stages.append((info, info.factory(language)))
    return pipe


@cache
def default_pipeline(language: str) -> Pipeline:
    """The language's default pipeline, built once per process."""
    return build(language)


def freeze_loaded() -> None:
    """Exempt every object alive now from Python's cycle collector (`gc.freeze`), for a process
    that has built its pipeline and from then on only analyses articles: the loaded models and
    dictionaries (about 220,000 objects) are never garbage, yet each full collection walks them
    (about 0.1 s each, a few every thousand articles). Called by the processes Chronik owns
    (corpus and Spark workers, the benchmarks), never by the library on its own: it changes
    the collector for the whole process."""
    gc.collect()
    gc.freeze()
