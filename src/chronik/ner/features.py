"""Features of the NER model: what a word looks like, what it is in the knowledge base (internal).

A token's features are of two sorts, so that inference can cache most of the work per word form:

- word features, which depend on one word form only (lower case, affixes, shape, word cluster,
  word-vector cluster, given name, role word), seen from the token itself and from up to two
  tokens on either side, each with the offset in its name ("-1|w:bundeskanzler");
- context features, which depend on the sentence: part-of-speech tags of the token and its
  neighbours, and the spans of the sentence that the knowledge base (`chronik.kb`) and the
  gazetteer (`chronik.gazetteer`) know as names ("kb:B-PER", "gz:I-city").

Training (scripts/train_ner.py) and inference (`chronik.ner.model`) both call this module, so the
two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from chronik import gazetteer, kb
from chronik.ner.embed import WordClusters

#: offsets of the neighbouring words whose features a token sees, and which groups it sees
WINDOW = (-2, -1, 0, 1, 2)
#: longest name (in tokens) looked up in the gazetteer
GAZETTEER_NGRAM = 3
#: where in a sentence the knowledge base and gazetteer are consulted: tokens starting with one of
#: these capitals only
_CAPITAL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜ")
#: a character's class in a word's shape (a character not here is its own class)
_SHAPE_KIND: dict[str, str] = {
    **{c: "X" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜÀÁÂÉÈÊÇÑØÅŠŽČ"},
    **{c: "x" for c in "abcdefghijklmnopqrstuvwxyzäöüßàáâéèêçñøåšžčıłś"},
    **{c: "d" for c in "0123456789"},
}
#: tags a one-word knowledge-base name must have ("-": the model uses no tags)
_NOMINAL = frozenset({"NE", "NN", "FM", "XY", "ADJA", "ADJD", "TRUNC", "-"})
#: organisation cue words (legal forms, head nouns, club words), relative to the chronik package
ORG_CUES_FILE = "lang/de/ner_org_cues.tsv"
#: word forms (names) whose organisation cue (gazetteer feature) is remembered per process
_MEMO_SIZE = 200_000
#: tokens that open a quotation or parenthesis: a name often follows
_OPENING = frozenset({"„", '"', "“", "«", "»", "(", "‚"})
#: lower-case words that may stand inside an organisation's name between capitalised words
#: ("Verein für Socialpolitik", "Procter & Gamble", "Bank of America")
_ORG_INNER = frozenset({"für", "der", "des", "und", "&", "-", "of", "the", "and", "de", "la", "du"})


@lru_cache(maxsize=100_000)
def shape(word: str) -> str:
    """'Olaf' -> 'Xx', 'UN-Beschlüsse' -> 'X-Xx', '2014' -> 'd', 'G7' -> 'Xd': the classes of
    the word's characters, a run of one class as one, the first eight runs."""
    kinds: list[str] = []
    last = ""
    for char in word:
        kind = _SHAPE_KIND.get(char, char)
        if kind != last:
            kinds.append(kind)
            if len(kinds) == 8:
                break
            last = kind
    return "".join(kinds)


@dataclass(frozen=True, slots=True, init=False)
class WordFeatures:
    """The features of one word form, by how far away a token may see them."""

    #: seen from offsets -2..+2
    core: tuple[str, ...]
    #: seen from offsets -1..+1
    near: tuple[str, ...]
    #: seen by the token itself only
    own: tuple[str, ...]

    # compiled, an __init__ of its own costs a fifth of the one dataclass writes (which runs as
    # Python)
    def __init__(self, core: tuple[str, ...], near: tuple[str, ...], own: tuple[str, ...]) -> None:
        object.__setattr__(self, "core", core)
        object.__setattr__(self, "near", near)
        object.__setattr__(self, "own", own)


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
    #: nearest word-vector centroids of a capitalised form (`chronik.ner.embed`); None: no such
    #: features
    embed: WordClusters | None = None

    #: org_cue per word form (a corpus run meets new forms forever: cleared when full)
    _org_memo: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    def org_cue(self, word: str) -> str | None:
        """The organisation cue kind of a word form: "legal" ("AG"), "head" ("Verlag"),
        "headc" (a compound ending in a head: "Landesbank"), "noun" ("Rat"), "club" ("FC")."""
        if not self.org_cues:
            return None
        memo = self._org_memo
        if word in memo:
            return memo[word]
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        found = memo[word] = self._org_cue(word)
        return found

    def _org_cue(self, word: str) -> str | None:
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
    if lex.embed is not None:
        near.extend(lex.embed.features(word))
    if lex.roles.words.get(word) is not None:  # (`RoleLexicon.get`, without a call to Python)
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
        size = len(padded)
        grams = {
            padded[i : i + n] for n in range(3, lex.char_ngrams + 1) for i in range(size - n + 1)
        }
        own.extend(["g:" + g for g in sorted(grams)])
    if "-" in word[1:-1]:
        first, _, last = word.partition("-")
        own.append("h1:" + first.lower())
        own.append("h2:" + last.rsplit("-", 1)[-1].lower())
    return WordFeatures(tuple(core), tuple(near), tuple(own))


def window_features(feats: WordFeatures, offset: int) -> list[str]:
    """The features of a word as seen from the token `offset` positions away (-2..+2)."""
    prefix = f"{offset}|"
    return [prefix + f for f in window_groups(feats, offset)]


def window_groups(feats: WordFeatures, offset: int) -> tuple[str, ...]:
    """The features a token sees of a word `offset` positions away, without the offset."""
    if offset == 0:
        return (*feats.core, *feats.near, *feats.own)
    if offset in (-1, 1):
        return (*feats.core, *feats.near)
    return feats.core


Match = tuple[int, int, str]


def _longest_matches(starts: Iterable[int], match_at: Callable[[int], Match | None]) -> list[Match]:
    """Left to right over the tokens where a name may start (`starts`, ascending): where
    `match_at(i)` finds a span starting at token i (its longest), take it and go on after its
    end."""
    spans = []
    resume = 0
    for i in starts:
        if i < resume:
            continue
        found = match_at(i)
        if found:
            spans.append(found)
            resume = found[1] + 1
    return spans


def _capitalised(words: Sequence[str]) -> list[int]:
    """The positions of the capitalised tokens: only there may a known name start."""
    return [i for i, word in enumerate(words) if word[:1] in _CAPITAL]


def _kb_spans(
    words: Sequence[str], pos: Sequence[str], starts: Sequence[int] | None = None
) -> list[Match]:
    """Longest-match spans of knowledge-base names with their NER type (PER/LOC/ORG) and, for
    people, whether the whole name or a short name ("Das", "Song") matched. A one-word match
    must be tagged as a noun, name or foreign word: "Das" the article is not Tarun Das."""
    index = kb.name_index("de")

    def match_at(i: int) -> Match | None:
        for form in index.first.get(words[i], ()):
            parts = form.split(" ")
            if words[i : i + len(parts)] != parts:
                continue
            if len(parts) == 1 and pos[i] not in _NOMINAL:
                continue
            matches = [m for m in index.forms[form] if m.entity_type]
            if matches:
                kinds = sorted({m.entity_type for m in matches if m.entity_type})
                short = all(m.kind == "person_short" for m in matches)
                return (i, i + len(parts) - 1, "/".join(kinds) + ("s" if short else ""))
        return None

    return _longest_matches(_capitalised(words) if starts is None else starts, match_at)


def _gazetteer_spans(words: Sequence[str], starts: Sequence[int] | None = None) -> list[Match]:
    """Longest-match spans of places (up to three tokens, capitalised start and end)."""
    n = len(words)

    def match_at(i: int) -> Match | None:
        word = words[i]
        if len(word) < 2:
            return None
        # most words start no name of several words: their n-grams are not looked up
        if gazetteer.may_start_name(word):
            for size in range(min(GAZETTEER_NGRAM, n - i), 1, -1):
                if words[i + size - 1][:1] in _CAPITAL:
                    found = _gazetteer_feature(" ".join(words[i : i + size]))
                    if found is not None:
                        return (i, i + size - 1, found)
        found = _gazetteer_feature(word)
        return None if found is None else (i, i, found)

    return _longest_matches(_capitalised(words) if starts is None else starts, match_at)


#: `_gazetteer_feature` per name: the same capitalised words recur in every article, and each
#: lookup normalises its text (a corpus run meets new names forever: cleared when full)
_GAZETTEER_MEMO: dict[str, str | None] = {}


def _gazetteer_feature(name: str) -> str | None:
    """The feature class of the best place called `name` ("city", "countryamb"), if any."""
    memo = _GAZETTEER_MEMO
    if name in memo:
        return memo[name]
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
    entries = gazetteer.lookup(name)
    found = None
    if entries:
        top = entries[0]
        amb = top.ambiguous_common_word or top.ambiguous_person_name
        found = top.feature + ("amb" if amb else "")
    memo[name] = found
    return found


def _org_runs(words: Sequence[str], lex: Lexicons) -> list[tuple[int, int]]:
    """Runs of capitalised words (with "für", "&", ... inside) that contain an organisation
    cue: "Deutsche Bank AG", "Verein für Socialpolitik", "FC Bayern München"."""
    cues = [lex.org_cue(w) for w in words]
    if not any(cues):
        return []
    capital = [w[:1] in _CAPITAL or c == "legal" for w, c in zip(words, cues, strict=True)]
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


def tag_features(window: Sequence[str], first: bool) -> list[str]:
    """The part-of-speech features of a token, from the tags of the five tokens around it
    (`window`: two before, its own, two after; "<s>"/"</s>" beyond the sentence), and whether it
    opens the sentence. Inference caches them per window."""
    p_prev2, p_prev, p, p_next, p_next2 = window
    feats = [
        "bias",
        "P0:" + p,
        "P-1:" + p_prev,
        "P+1:" + p_next,
        "P-1P0:" + p_prev + "_" + p,
        "P0P+1:" + p + "_" + p_next,
        "P-2:" + p_prev2,
        "P+2:" + p_next2,
    ]
    if first:
        feats.append("first")
    return feats


def padded_tags(pos: Sequence[str]) -> list[str]:
    """The tags with two boundary marks on either side: token i's window is [i:i + 5]."""
    return ["<s>", "<s>", *pos, "</s>", "</s>"]


def context_features(
    words: Sequence[str],
    pos: Sequence[str],
    conjunctions: bool = False,
    lex: Lexicons | None = None,
) -> list[list[str]]:
    """The sentence-dependent features of each token: `tag_features`, then those of
    `span_features`."""
    padded = padded_tags(pos)
    rest = span_features(words, pos, conjunctions, lex)
    return [tag_features(padded[i : i + 5], i == 0) + rest[i] for i in range(len(words))]


def span_features(
    words: Sequence[str],
    pos: Sequence[str],
    conjunctions: bool = False,
    lex: Lexicons | None = None,
) -> list[list[str]]:
    """The sentence-dependent features of each token other than its tags (`span_feature_pairs`,
    as one list per token)."""
    out: list[list[str]] = [[] for _ in words]
    for i, feature in zip(*span_feature_pairs(words, pos, conjunctions, lex), strict=True):
        out[i].append(feature)
    return out


def span_feature_pairs(
    words: Sequence[str],
    pos: Sequence[str],
    conjunctions: bool = False,
    lex: Lexicons | None = None,
) -> tuple[list[int], list[str]]:
    """The sentence-dependent features other than tags, as (token positions, features): after an
    opening quote; with `conjunctions`, pairs of the neighbours' words with a capitalised token's
    shape and tag ("in" + "Xx"), which a linear model cannot build from its parts; with
    organisation cues in `lex`, runs of capitalised words with a cue in them; and the spans the
    knowledge base and the gazetteer know. A token's features come in this order (inference sums
    them in it)."""
    n = len(words)
    at: list[int] = []
    names: list[str] = []
    for i in range(1, n):
        if words[i - 1] in _OPENING:
            at.append(i)
            names.append("after_open")
    if conjunctions:
        for i in range(n):
            if not words[i][:1].isupper():
                continue
            sh = shape(words[i])
            before = words[i - 1].lower() if i else "<s>"
            before2 = words[i - 2].lower() if i > 1 else "<s>"
            after = words[i + 1].lower() if i + 1 < n else "</s>"
            at += (i, i, i, i)
            names += (
                f"c-1:{before}_{sh}",
                f"c+1:{sh}_{after}",
                f"c-2-1:{before2}_{before}",
                f"cP:{pos[i]}_{sh}",
            )
    if lex is not None and lex.org_cues:
        for start, end in _org_runs(words, lex):
            at.extend(range(start, end + 1))
            names.append("orun:B")
            names.extend(["orun:I"] * (end - start))
    starts = _capitalised(words)
    for source, spans in (
        ("kb", _kb_spans(words, pos, starts)),
        ("gz", _gazetteer_spans(words, starts)),
    ):
        for start, end, kind in spans:
            at.extend(range(start, end + 1))
            names.append(f"{source}:B-{kind}")
            names.extend([f"{source}:I-{kind}"] * (end - start))
            if end + 1 < n:
                at.append(end + 1)
                names.append(f"{source}:after")
    return at, names


def sentence_features(
    words: Sequence[str], pos: Sequence[str], lex: Lexicons, conjunctions: bool = False
) -> list[list[str]]:
    """All features of each token as strings (for training; inference caches word parts)."""
    if lex.embed is not None:
        lex.embed.prime(words)
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
