"""Which language an article is written in."""

from __future__ import annotations

import re

import simplemma

#: languages the detector chooses between; Chronik refuses the ones it has no pipeline for
CANDIDATES = ("de", "en", "fr", "es", "it", "nl", "pl", "pt", "ru", "tr", "uk", "sv", "da", "cs")
#: the language assumed for text too short or too unusual to tell
DEFAULT = "de"
_WORD = re.compile(r"[^\W\d_]{2,}")


def detect_language(text: str, *, sample: int = 2000) -> str:
    """ISO 639-1 code of the text's language, by simplemma's dictionary coverage."""
    head = text[:sample]
    if len(_WORD.findall(head)) < 5:
        return DEFAULT
    scores = simplemma.langdetect(head, lang=CANDIDATES)
    best, score = scores[0]
    if best == "unk" or score < 0.3:
        return DEFAULT
    return best
