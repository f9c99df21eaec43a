"""Chronik's built-in stages; importing this package registers them."""

from chronik.stages import (  # noqa: F401
    actors,
    clauses,
    entities,
    events,
    places,
    quotes,
    tag,
    times,
    tokenize,
)
