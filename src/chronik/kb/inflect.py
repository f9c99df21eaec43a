"""German inflection of names, adjectives and demonyms for the knowledge base.

News text uses names in all four cases ("Russlands", "des Iran", "den Niederlanden", "der
Vereinigten Arabischen Emirate"); a gazetteer that only knows the nominative misses a large share
of mentions. These rules generate the surface forms once, when the data files are built or
loaded, so matching stays a plain dictionary lookup. Internal module: not a stable API.
"""

from __future__ import annotations

#: endings after which German names take no genitive -s ("des Tschad", "von Paris")
_NO_GENITIVE_S = ("s", "ß", "x", "z", "ce")
_ADJECTIVE_ENDINGS = ("e", "en", "er", "es", "em")


def genitive_s(word: str) -> str | None:
    """'Russland' -> 'Russlands'; None where German uses no -s ('Paris', 'Belarus')."""
    if not word or not word[-1].isalpha() or word.lower().endswith(_NO_GENITIVE_S):
        return None
    return word + "s"


def _weak_adjectives(name: str) -> str | None:
    """'Vereinigte Arabische Emirate' -> 'Vereinigten Arabischen Emirate' (after an article)."""
    words = name.split()
    if len(words) < 2:
        return None
    changed = False
    for i, word in enumerate(words[:-1]):
        if word[:1].isupper() and word.endswith("e") and len(word) > 4:
            words[i] = word + "n"
            changed = True
        elif word[:1].isupper() and word.endswith("er") and len(word) > 5:
            # strong masculine ("Deutscher Bundestag") -> weak ("des Deutschen Bundestags")
            words[i] = word[:-1] + "n"
            changed = True
    return " ".join(words) if changed else None


def name_forms(name: str, article: str = "n") -> list[str]:
    """Surface forms of a proper name with the given article class.

    `article`: "n" (no article, neuter: "Russland", "Russlands"), "m" (der Irak: "Irak", "Iraks"),
    "mn" (article optional: like "m"), "f" (die Ukraine: no -s), "pl" (die USA, die Niederlande:
    dative plural "Niederlanden").
    """
    forms = [name]
    weak = _weak_adjectives(name)
    if weak:
        forms.append(weak)
    for base in list(forms):
        head = base.rsplit(" ", 1)[-1]
        # "Russische Föderation" is feminine whatever the country's article class
        adjectival_neuter = article == "n" and weak is not None
        if (
            article in ("n", "m", "mn")
            and head[:1].isupper()
            and " von " not in base
            and not adjectival_neuter
        ):
            gen = genitive_s(head)
            if gen:
                forms.append(base[: len(base) - len(head)] + gen)
        if article == "pl" and head.endswith("e") and not head.isupper():
            forms.append(base + "n")
    return _unique(forms)


def adjective_forms(stem: str) -> list[str]:
    """'russisch' -> russisch, russische, russischen, russischer, russisches, russischem."""
    stem = stem.lower()
    return _unique([stem, *(stem + ending for ending in _ADJECTIVE_ENDINGS)])


def demonym_forms(spec: list[str]) -> list[str]:
    """All forms from the masculine singular ('Russe' -> Russen, Russin, Russinnen) plus extras.

    A first item ending in '*' is a nominalised adjective ('Deutsche*' -> Deutsche, Deutscher,
    Deutschen).
    """
    if not spec:
        return []
    first, extra = spec[0], spec[1:]
    forms: list[str] = []
    if first.endswith("*"):
        stem = first[:-1].removesuffix("e")
        forms += [stem + ending for ending in _ADJECTIVE_ENDINGS]
    elif first.endswith("e"):
        # Russe, Russen, Russin, Russinnen
        forms += [first, first + "n", first[:-1] + "in", first[:-1] + "innen"]
    elif first.endswith("er"):
        # Amerikaner, Amerikanern, Amerikanerin, Amerikanerinnen
        forms += [first, first + "n", first + "s", first + "in", first + "innen"]
    elif first.endswith("i"):
        # Israeli, Israelis, Israelin
        forms += [first, first + "s", first + "n"]
    else:
        # Ungar, Ungarn, Ungarin
        forms += [first, first + "n", first + "in", first + "innen"]
    for item in extra:
        forms += demonym_forms([item]) if not item.endswith(("in", "innen", "s")) else [item]
    return _unique(forms)


def city_forms(name: str) -> list[str]:
    """'Moskau' -> Moskau, Moskaus; 'Paris' -> Paris."""
    head = name.rsplit(" ", 1)[-1]
    gen = genitive_s(head)
    forms = [name]
    if gen and head[:1].isupper():
        forms.append(name[: len(name) - len(head)] + gen)
    return forms


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))
