"""Chronik: political event data and attributed quotes from news articles."""

from chronik import compiled

# before anything imports a compiled module (chronik.compiled: an edited source wins)
compiled.use_sources_if_stale()

from chronik.api import analyze  # noqa: E402
from chronik.document import Document  # noqa: E402

__all__ = ["Document", "analyze"]
__version__ = "0.1.0"
