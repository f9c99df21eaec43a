"""Features of the NER model: what a word looks like, what it is in the knowledge base (internal).

A token's features are of two sorts, so that inference can cache most of the work per word form:

- word features, which depend on one word form only (lower case, affixes, shape, word cluster,
  given name, role word), seen from the token itself and from up to two tokens on either side,
  each with the offset in its name ("-1|w:bundeskanzler");
- context features, which depend on the sentence: part-of-speech tags of the token and its
  neighbours, and the spans of the sentence that the knowledge base (`chronik.kb`) and the
  gazetteer (`chronik.gazetteer`) know as names ("kb:B-PER", "gz:I-city").

Training (scripts/train_ner.py) and inference (`chronik.ner.model`) both call this module, so the
two cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from chronik import gazetteer, kb

#: offsets of the neighbouring words whose features a token sees, and which groups it sees
WINDOW = (-2, -1, 0, 1, 2)
#: longest name (in tokens) looked up in the gazetteer
GAZETTEER_NGRAM = 3
#: where in a sentence the knowledge base and gazetteer are consulted: capitalised tokens only
_CAPITAL = re.compile(r"^[A-ZÄÖÜ]")
_SHAPE_MAP = str.maketrans(
    {
        **{c: "X" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜÀÁÂÉÈÊÇÑØÅŠŽČ"},
        **{c: "x" for c in "abcdefghijklmnopqrstuvwxyzäöüßàáâéèêçñøåšžčıłś"},
        **{c: "d" for c in "0123456789"},
    }
)
_REPEATS = re.compile(r"(.)\1+")
#: tags a one-word knowledge-base name must have ("-": the model uses no tags)
_NOMINAL = frozenset({"NE", "NN", "FM", "XY", "ADJA", "ADJD", "TRUNC", "-"})
#: organisation cue words (legal forms, head nouns, club words), relative to the chronik package
ORG_CUES_FILE = "lang/de/ner_org_cues.tsv"
#: lower-case words that may stand inside an organisation's name between capitalised words
#: ("Verein für Socialpolitik", "Procter & Gamble", "Bank of America")
_ORG_INNER = frozenset({"für", "der", "des", "und", "&", "-", "of", "the", "and", "de", "la", "du"})


def shape(word: str) -> str:
    """'Olaf' -> 'Xx', 'UN-Beschlüsse' -> 'X-Xx', '2014' -> 'd', 'G7' -> 'Xd'."""
    return _REPEATS.sub(r"\1", word.translate(_SHAPE_MAP))[:8]


@dataclass(frozen=True, slots=True)
class WordFeatures:
    """The features of one word form, by how far away a token may see them."""

    #: seen from offsets -2..+2
    core: tuple[str, ...]
    #: seen from offsets -1..+1
    near: tuple[str, ...]
    #: seen by the token itself only
    own: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Lexicons:
    """Word lists the features consult: word clusters (from unlabelled news), given names, role
    words of the knowledge base."""

    clusters: dict[str, tuple[str, ...]]
    first_names: frozenset[str]
    roles: kb.RoleLexicon
    #: whether the tagger's lexicon knows a word form: a capitalised form it does not know is
    #: likely a name (None: the model has no such feature)
    known: Callable[[str], bool] | None = None
    #: organisation cues: lower-case word -> kind (legal, head, noun, club); empty: no such
    #: features
    org_cues: Mapping[str, str] = field(default_factory=dict)
    #: the "head" cues, which also match as the end of a compound ("Landesbank")
    org_heads: frozenset[str] = frozenset()
    #: longest character n-gram of a word form that is a feature of its own (0: none): n-grams
    #: inside a word ("ows", "ijk") say what language a name comes from
    char_ngrams: int = 0

    def org_cue(self, word: str) -> str | None:
        """The organisation cue kind of a word form: "legal" ("AG"), "head" ("Verlag"),
        "headc" (a compound ending in a head: "Landesbank"), "noun" ("Rat"), "club" ("FC")."""
        if not self.org_cues:
            return None
        lower = word.lower()
        kind = self.org_cues.get(lower)
        if kind == "club" and not word[:1].isupper():
            return None
        if kind is not None or not word[:1].isupper():
            return kind
        heads = self.org_heads
        for i in range(3, len(lower) - 3):
            if lower[i:] in heads:
                return "headc"
        return None


def read_org_cues() -> dict[str, str]:
    """The packaged organisation cues (`ORG_CUES_FILE`): lower-case word -> kind."""
    text = resources.files("chronik").joinpath(ORG_CUES_FILE).read_text(encoding="utf-8")
    cues = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            word, _, kind = line.partition("\t")
            cues[word.strip()] = kind.strip()
    return cues


@cache
def default_lexicons(
    clusters: tuple[tuple[str, tuple[str, ...]], ...] = (),
    kb_first_names: bool = False,
    org_cues: bool = False,
    char_ngrams: int = 0,
) -> Lexicons:
    """The lexicons of a model; `kb_first_names`: the first words of the knowledge base's
    multi-word person names count as given names too ("Nayib", "Benazir"); `org_cues`: the
    organisation cue words of `ORG_CUES_FILE`; `char_ngrams`: see `Lexicons`."""
    names = set(kb.first_names("de"))
    if kb_first_names:
        for person in kb.people():
            for name in person.names:
                first = name.split(" ", 1)[0]
                if " " in name and len(first) > 2 and first.isalpha() and first[0].isupper():
                    names.add(first)
    cues = read_org_cues() if org_cues else {}
    heads = frozenset(w for w, kind in cues.items() if kind == "head")
    return Lexicons(
        dict(clusters),
        frozenset(names),
        kb.role_words("de"),
        org_cues=cues,
        org_heads=heads,
        char_ngrams=char_ngrams,
    )


def word_features(word: str, lex: Lexicons) -> WordFeatures:
    lower = word.lower()
    sh = shape(word)
    core = ["w:" + lower]
    for cluster in lex.clusters.get(lower, ("none",)):
        core.append("c:" + cluster)
    near = ["sh:" + sh, "s3:" + lower[-3:]]
    if word in lex.first_names:
        near.append("fn")
    if lex.known is not None and word[:1].isupper() and not lex.known(word):
        near.append("unk")
    org = lex.org_cue(word)
    if org is not None:
        near.append("org:" + org)
    if lex.roles.get(word) is not None:
        near.append("role")
    elif word[:1].isupper() and lex.roles.head(word) is not None:
        near.append("rolehead")
    own = [
        "p2:" + lower[:2],
        "p3:" + lower[:3],
        "p4:" + lower[:4],
        "s2:" + lower[-2:],
        "s4:" + lower[-4:],
        "s5:" + lower[-5:],
        "len:" + str(min(len(word), 12)),
    ]
    if lex.char_ngrams:
        padded = f"<{lower}>"
        grams = {
            padded[i : i + n]
            for n in range(3, lex.char_ngrams + 1)
            for i in range(len(padded) - n + 1)
        }
        own.extend("g:" + g for g in sorted(grams))
    if "-" in word[1:-1]:
        first, _, last = word.partition("-")
        own.append("h1:" + first.lower())
        own.append("h2:" + last.rsplit("-", 1)[-1].lower())
    return WordFeatures(tuple(core), tuple(near), tuple(own))


def window_features(feats: WordFeatures, offset: int) -> list[str]:
    """The features of a word as seen from the token `offset` positions away (-2..+2)."""
    if offset == 0:
        groups = (*feats.core, *feats.near, *feats.own)
    elif offset in (-1, 1):
        groups = (*feats.core, *feats.near)
    else:
        groups = feats.core
    prefix = f"{offset}|"
    return [prefix + f for f in groups]


Match = tuple[int, int, str]


def _longest_matches(n: int, match_at: Callable[[int], Match | None]) -> list[Match]:
    """Left to right over `n` tokens: where `match_at(i)` finds a span starting at token i (its
    longest), take it and go on after its end."""
    spans = []
    i = 0
    while i < n:
        found = match_at(i)
        if found:
            spans.append(found)
            i = found[1] + 1
        else:
            i += 1
    return spans


def _kb_spans(words: Sequence[str], pos: Sequence[str]) -> list[Match]:
    """Longest-match spans of knowledge-base names with their NER type (PER/LOC/ORG) and, for
    people, whether the whole name or a short name ("Das", "Song") matched. A one-word match
    must be tagged as a noun, name or foreign word: "Das" the article is not Tarun Das."""
    index = kb.name_index("de")

    def match_at(i: int) -> Match | None:
        forms = index.first.get(words[i]) if _CAPITAL.match(words[i]) else None
        for form in forms or ():
            parts = form.split(" ")
            if words[i : i + len(parts)] != parts:
                continue
            if len(parts) == 1 and pos[i] not in _NOMINAL:
                continue
            matches = [m for m in index.forms[form] if m.entity_type]
            if matches:
                kinds = sorted({m.entity_type for m in matches})
                short = all(m.kind == "person_short" for m in matches)
                return (i, i + len(parts) - 1, "/".join(kinds) + ("s" if short else ""))
        return None

    return _longest_matches(len(words), match_at)


def _gazetteer_spans(words: Sequence[str]) -> list[Match]:
    """Longest-match spans of places (up to three tokens, capitalised start)."""
    n = len(words)

    def match_at(i: int) -> Match | None:
        if not (_CAPITAL.match(words[i]) and len(words[i]) > 1):
            return None
        for size in range(min(GAZETTEER_NGRAM, n - i), 0, -1):
            if size > 1 and not _CAPITAL.match(words[i + size - 1]):
                continue
            entries = gazetteer.lookup(" ".join(words[i : i + size]))
            if entries:
                top = entries[0]
                flag = "amb" if top.ambiguous_common_word or top.ambiguous_person_name else ""
                return (i, i + size - 1, top.feature + flag)
        return None

    return _longest_matches(n, match_at)


def _org_runs(words: Sequence[str], lex: Lexicons) -> list[tuple[int, int]]:
    """Runs of capitalised words (with "für", "&", ... inside) that contain an organisation
    cue: "Deutsche Bank AG", "Verein für Socialpolitik", "FC Bayern München"."""
    cues = [lex.org_cue(w) for w in words]
    if not any(cues):
        return []
    capital = [bool(_CAPITAL.match(w)) or c == "legal" for w, c in zip(words, cues, strict=True)]
    runs = []
    i, n = 0, len(words)
    while i < n:
        if not capital[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and (
            capital[j + 1] or (words[j + 1] in _ORG_INNER and j + 2 < n and capital[j + 2])
        ):
            j += 1
        if j > i and any(cues[i : j + 1]):
            runs.append((i, j))
        i = j + 1
    return runs


def context_features(
    words: Sequence[str],
    pos: Sequence[str],
    conjunctions: bool = False,
    lex: Lexicons | None = None,
) -> list[list[str]]:
    """The sentence-dependent features of each token. `conjunctions`: also pairs of the
    neighbours' words with a capitalised token's shape and tag ("in" + "Xx"), which a linear
    model cannot build from its parts. `lex` with organisation cues: runs of capitalised words
    with a cue in them."""
    n = len(words)
    lowers = [w.lower() for w in words] if conjunctions else []
    padded = ["<s>", "<s>", *pos, "</s>", "</s>"]
    out: list[list[str]] = []
    for i in range(n):
        p_prev, p, p_next = padded[i + 1], padded[i + 2], padded[i + 3]
        feats = [
            "bias",
            "P0:" + p,
            "P-1:" + p_prev,
            "P+1:" + p_next,
            "P-1P0:" + p_prev + "_" + p,
            "P0P+1:" + p + "_" + p_next,
            "P-2:" + padded[i],
            "P+2:" + padded[i + 4],
        ]
        if i == 0:
            feats.append("first")
        if i >= 1 and words[i - 1] in ("„", '"', "“", "«", "»", "(", "‚"):
            feats.append("after_open")
        if conjunctions and words[i][:1].isupper():
            sh = shape(words[i])
            before = lowers[i - 1] if i else "<s>"
            before2 = lowers[i - 2] if i > 1 else "<s>"
            after = lowers[i + 1] if i + 1 < n else "</s>"
            feats += [
                f"c-1:{before}_{sh}",
                f"c+1:{sh}_{after}",
                f"c-2-1:{before2}_{before}",
                f"cP:{p}_{sh}",
            ]
        out.append(feats)
    if lex is not None and lex.org_cues:
        for start, end in _org_runs(words, lex):
            out[start].append("orun:B")
            for i in range(start + 1, end + 1):
                out[i].append("orun:I")
    for source, spans in (("kb", _kb_spans(words, pos)), ("gz", _gazetteer_spans(words))):
        for start, end, kind in spans:
            out[start].append(f"{source}:B-{kind}")
            for i in range(start + 1, end + 1):
                out[i].append(f"{source}:I-{kind}")
            if end + 1 < n:
                out[end + 1].append(f"{source}:after")
    return out


def sentence_features(
    words: Sequence[str], pos: Sequence[str], lex: Lexicons, conjunctions: bool = False
) -> list[list[str]]:
    """All features of each token as strings (for training; inference caches word parts)."""
    per_word = [word_features(w, lex) for w in words]
    out = context_features(words, pos, conjunctions, lex)
    n = len(words)
    for i in range(n):
        for offset in WINDOW:
            j = i + offset
            if 0 <= j < n:
                out[i].extend(window_features(per_word[j], offset))
            elif offset in (-1, 1):
                out[i].append(f"{offset}|pad")
    return out
