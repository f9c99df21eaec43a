"""Chronik: political event data and attributed quotes from news articles."""

from chronik.api import analyze
from chronik.document import Document

__all__ = ["Document", "analyze"]
__version__ = "0.1.0"
