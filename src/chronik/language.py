"""Which language an article is written in.

Counts the most frequent function words of each language (`lang/common/language_profiles.yaml`)
in the first paragraphs: fast and reliable on running news text.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml

#: the language assumed for text too short or too unusual to tell
DEFAULT = "de"
#: fewer function-word hits than this and the text is too short to tell
MIN_HITS = 4
_WORD = re.compile(r"[^\W\d_]+")


@cache
def profiles() -> dict[str, frozenset[str]]:
    path = resources.files("chronik").joinpath("lang/common/language_profiles.yaml")
    data = yaml.safe_load(path.read_text("utf-8"))
    return {lang: frozenset(str(w).lower() for w in words) for lang, words in data.items()}


def language_scores(text: str, *, sample: int = 3000) -> dict[str, int]:
    """Function-word hits per language in the first `sample` characters."""
    words = [w.lower() for w in _WORD.findall(text[:sample])]
    return {lang: sum(w in vocab for w in words) for lang, vocab in profiles().items()}


def detect_language(text: str, *, sample: int = 3000) -> str:
    """ISO 639-1 code of the text's language; `DEFAULT` when the text is too short to tell."""
    scores = language_scores(text, sample=sample)
    best = max(scores, key=lambda lang: scores[lang])
    if scores[best] < MIN_HITS:
        return DEFAULT
    return best
