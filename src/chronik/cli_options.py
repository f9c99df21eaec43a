"""Options that several CLI commands share (one wording, one default)."""

from __future__ import annotations

from typing import Annotated

import typer

PublishedOption = Annotated[
    str | None,
    typer.Option(help="Publication date (ISO) for articles whose input lacks one."),
]
LanguageOption = Annotated[
    str | None, typer.Option(help="Language code, e.g. de; detected when not given.")
]
