"""Every error Chronik raises on purpose derives from :class:`ChronikError`.

Messages tell the user what went wrong and what to do about it; the CLI prints them as they are.
Third-party exceptions are translated into these at the boundary where they occur.
"""

from __future__ import annotations


class ChronikError(Exception):
    """Base class of Chronik's own errors."""

    exit_code: int = 1


class InputError(ChronikError):
    """An input (file, corpus line, text) cannot be read or is not an article."""

    exit_code = 1


class MissingInputError(InputError):
    """A path given on the command line does not exist."""

    exit_code = 2


class TooLargeError(InputError):
    """An article is larger than the configured limit."""


class UnsupportedLanguageError(InputError):
    """The text is in a language Chronik has no pipeline for."""


class PipelineError(ChronikError):
    """The pipeline configuration is inconsistent (unknown stage, unmet requirement)."""


class DataError(ChronikError):
    """A language or knowledge data file is missing or malformed."""
