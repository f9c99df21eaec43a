"""PLOVER event coding: event patterns as data, the clause-based coder, PLOVER/CAMEO tables."""

from chronik.coding.coder import code_events
from chronik.coding.patterns import (
    PLOVER_TYPES,
    SYMMETRIC_TYPES,
    CameoTables,
    EventPatterns,
    Sense,
    cameo_tables,
    load_patterns,
)

__all__ = [
    "PLOVER_TYPES",
    "SYMMETRIC_TYPES",
    "CameoTables",
    "EventPatterns",
    "Sense",
    "cameo_tables",
    "code_events",
    "load_patterns",
]
