"""Part of speech, lemma and the mood of finite verbs (German).

HanTa (Hannover Tagger) gives STTS tags and lemmas. The mood of a finite verb comes from comparing
the form with the verb's paradigm from ablaut: a form of the Konjunktiv I that is not also an
indicative third-person form ("verletze", "seien", "habe") marks reported speech; a Konjunktiv II
form that is not also a preterite ("würde", "müsste", "wäre") marks the hypothetical.
"""

from __future__ import annotations

from functools import cache, lru_cache

import ablaut
from HanTa import HanoverTagger

from chronik.document import Document
from chronik.registry import Stage, stage

_FINITE = {"VVFIN", "VAFIN", "VMFIN"}
#: HanTa's analysis of an unknown word grows with the cube of its length; longer tokens (URLs,
#: garbage, ornaments) are tagged as XY without asking it
MAX_WORD = 64
_PLACEHOLDER = "Xx"


#: distinct word forms whose analyses are kept per process (about 1 KB each)
ANALYSIS_CACHE = 200_000


@cache
def _hanta() -> HanoverTagger.HanoverTagger:
    tagger = HanoverTagger.HanoverTagger("morphmodel_ger.pgz")
    # HanTa analyses each word form anew in every sentence, and that analysis is most of its
    # time; memoising it per form makes tagging a corpus about ten times faster with the same
    # output.
    tagger.analyze_forward = lru_cache(maxsize=ANALYSIS_CACHE)(tagger.analyze_forward)
    tagger._analyze = lru_cache(maxsize=ANALYSIS_CACHE)(tagger._analyze)
    return tagger


def stts(tag: str) -> str:
    """HanTa writes some STTS tags with brackets: 'VV(FIN)' -> 'VVFIN', 'ADJ(A)' -> 'ADJA'."""
    return tag.replace("(", "").replace(")", "")


@lru_cache(maxsize=65536)
def mood(form: str, lemma: str) -> str:
    """'subj1', 'subj2' or 'ind' for a finite German verb form of `lemma`."""
    form = form.lower()
    if form in {"würde", "würden", "würdest", "würdet"}:
        return "subj2"
    try:
        paradigm = ablaut.conjugate(lemma)
    except (ValueError, RuntimeError):
        return "ind"
    present = {f.split()[0] for f in paradigm.present}
    preterite = {f.split()[0] for f in paradigm.preterite}
    konj1 = {f.split()[0] for f in paradigm.konjunktiv1}
    konj2 = {f.split()[0] for f in paradigm.konjunktiv2}
    # first person singular present equals the Konjunktiv I third person ("verletze"); news
    # rarely speaks in the first person outside quotations, so the Konjunktiv reading wins.
    indicative_3rd = {paradigm.present[2].split()[0], paradigm.present[5].split()[0]}
    if (
        form in konj1
        and form not in indicative_3rd
        and form not in present - {paradigm.present[0].split()[0]}
    ):
        return "subj1"
    if form in konj2 and form not in preterite:
        return "subj2"
    return "ind"


@stage("chronik.tag.v1", requires=("tokens",), assigns=("pos",), languages=("de",))
def make_tagger(language: str) -> Stage:
    tagger = _hanta()

    def tag(doc: Document) -> Document:
        for index in range(len(doc.sentences)):
            tokens = doc.sentence_tokens(index)
            if not tokens:
                continue
            words = [t.text if len(t.text) <= MAX_WORD else _PLACEHOLDER for t in tokens]
            tagged = tagger.tag_sent(words, taglevel=1)
            for token, (_, lemma, raw_tag) in zip(tokens, tagged, strict=True):
                if len(token.text) > MAX_WORD:
                    token.pos, token.lemma = "XY", token.text
                    continue
                token.pos = stts(raw_tag)
                token.lemma = lemma
                if token.pos in _FINITE:
                    token.morph["Mood"] = mood(token.text, lemma)
        return doc

    return tag
