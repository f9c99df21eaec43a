"""Part of speech, lemma and the mood of finite verbs (German).

STTS tags and lemmas as HanTa (the Hanover Tagger) gives them, from `chronik.tagger`: HanTa's own
tagging model run over a lexicon of its precomputed analyses, with a guesser for the forms the
lexicon lacks (see docs/german-core.md). Finite verbs get `morph["Mood"]`: 'subj1' for a form
only the Konjunktiv I has ("verletze", "seien"), 'subj2' for the Konjunktiv II ("würde",
"wäre"), else 'ind'.
"""

from __future__ import annotations

from chronik.document import Document
from chronik.registry import Stage, stage
from chronik.tagger import MAX_WORD, german_tagger, mood, stts

__all__ = ["MAX_WORD", "make_tagger", "mood", "stts"]

#: stands in for tokens longer than MAX_WORD, which are tagged XY without analysis
_PLACEHOLDER = "Xx"


@stage("chronik.tag.v1", requires=("tokens",), assigns=("pos",), languages=("de",))
def make_tagger(language: str) -> Stage:
    tagger = german_tagger()

    def tag(doc: Document) -> Document:
        tokens = doc.tokens
        sentences = [tokens[s.token_start : s.token_end] for s in doc.sentences]
        sentences = [sentence for sentence in sentences if sentence]
        # all sentences in one call (one compiled search for the article)
        batch = [
            [t.text if len(t.text) <= MAX_WORD else _PLACEHOLDER for t in s] for s in sentences
        ]
        for sentence_tokens, triples in zip(sentences, tagger.annotate_batch(batch), strict=True):
            for token, (pos, lemma, verb_mood) in zip(sentence_tokens, triples, strict=True):
                if len(token.text) > MAX_WORD:
                    token.pos, token.lemma = "XY", token.text
                    continue
                token.pos = pos
                token.lemma = lemma
                if verb_mood:
                    token.morph["Mood"] = verb_mood
        return doc

    return tag
