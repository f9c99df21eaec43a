"""Time expressions: find them in a text and place them on the calendar (TimeML TIMEX3 values).

A small rule engine: the patterns (`lang/<code>/time_rules.yaml`) are regular expressions over
the text, built from the word lists of `lang/<code>/time.yaml` (months, weekdays, units,
relative adjectives); each rule names the kind of normalisation, a function below. Values follow
TimeML (as HeidelTime and the KRAUTS corpus write them): `2023-09-13`, `2023-09`, `2023`,
`2023-W37`, `2023-SU`, `199` (the 1990s), `2023-09-13T15:30`, `2023-09-13TEV`, durations `P3Y`,
`PXY`, sets `P1D`, `XXXX-WXX-1`, and `PRESENT_REF` / `PAST_REF` / `FUTURE_REF`.

Expressions relative to the publication date (`dct`) resolve against it: a weekday is the most
recent such day on or before it, unless the sentence speaks of the future; a month or a day
without a year is the nearest one; "vergangene Woche" is the ISO week before. The contract value
of an expression (`Timex.calendar_value`) reduces the TimeML value to an ISO date, `YYYY-MM` or
`YYYY`: a week becomes the month of its Thursday, a season or quarter its year; durations, sets
and vague references have none.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

import yaml

from chronik.errors import DataError

TimexType = str  # "DATE", "TIME", "DURATION", "SET"


@dataclass(frozen=True, slots=True)
class Timex:
    start: int
    end: int
    text: str
    type: TimexType
    #: TimeML value; None when it cannot be determined (no publication date, no anchor)
    value: str | None
    rule: str = ""

    @property
    def calendar_value(self) -> str | None:
        """The value the output contract allows: ISO date, `YYYY-MM`, `YYYY` or None."""
        return calendar_value(self.value) if self.type in ("DATE", "TIME") else None


_DAY_VALUE = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_MONTH_VALUE = re.compile(r"^(\d{4}-\d{2})$")
_YEAR_VALUE = re.compile(r"^(\d{4})(?:-(?:SP|SU|FA|WI|Q[1-4]|H[12]))?$")
#: "P3D", "PXY", "PT2H"; not "PAST_REF" or "PRESENT_REF"
_DURATION_VALUE = re.compile(r"^P(?:T?[\dX])")
_WEEK_VALUE = re.compile(r"^(\d{4})-W(\d{2})(?:-WE)?$")


def calendar_value(value: str | None) -> str | None:
    """Reduce a TimeML value to the contract's granularities (ISO date, YYYY-MM, YYYY)."""
    if not value:
        return None
    if m := _DAY_VALUE.match(value):
        return m.group(1)
    if m := _MONTH_VALUE.match(value):
        return m.group(1)
    if m := _YEAR_VALUE.match(value):
        return m.group(1)
    if m := _WEEK_VALUE.match(value):
        thursday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 4)
        return f"{thursday.year:04d}-{thursday.month:02d}"
    return None


# --------------------------------------------------------------------------------------------
# language data


@dataclass(frozen=True, slots=True)
class Unit:
    name: str
    timeml: str
    time: bool
    plural: bool


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    kind: str
    type: TimexType
    regex: re.Pattern[str]
    #: categories of trigger words ("month", "digit") one of which every match contains
    near: tuple[str, ...] = ()


@dataclass(slots=True)
class TimeLexicon:
    """The word lists of one language, keyed by the forms that occur in text."""

    months: dict[str, int] = field(default_factory=dict)
    weekdays: dict[str, int] = field(default_factory=dict)
    weekday_adverbs: dict[str, int] = field(default_factory=dict)
    day_words: dict[str, int] = field(default_factory=dict)
    day_adjectives: dict[str, int] = field(default_factory=dict)
    relative: dict[str, int] = field(default_factory=dict)
    relative_words: dict[str, tuple[str, int]] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    ordinals: dict[str, int] = field(default_factory=dict)
    duration_words: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, float] = field(default_factory=dict)
    vague: frozenset[str] = frozenset()
    decade_words: dict[str, int] = field(default_factory=dict)
    parts: dict[str, str] = field(default_factory=dict)
    part_suffixes: dict[str, str] = field(default_factory=dict)
    seasons: dict[str, str] = field(default_factory=dict)
    positions: dict[str, str] = field(default_factory=dict)
    holidays: dict[str, str] = field(default_factory=dict)
    references: dict[str, str] = field(default_factory=dict)
    sets: dict[str, str] = field(default_factory=dict)
    set_determiners: frozenset[str] = frozenset()
    year_cues: frozenset[str] = frozenset()
    not_year_after: frozenset[str] = frozenset()
    #: words after "X Tage ..." that anchor it to the last date mentioned -> +1 (later) or -1
    anchored_after: dict[str, int] = field(default_factory=dict)
    #: endings that make "90er" / "90s" a decade rather than a price or an age
    decade_ending: re.Pattern[str] = re.compile(r"(?!)")
    future_cues: frozenset[str] = frozenset()
    #: lower-case words (and adjective stems with their endings) that may be capitalised only
    #: at the start of a sentence: "Morgen" mid-sentence is the morning, not tomorrow
    lower_word: re.Pattern[str] = re.compile(r"(?!)")


@dataclass(frozen=True, slots=True)
class TimeGrammar:
    language: str
    lexicon: TimeLexicon
    rules: tuple[Rule, ...]
    future: re.Pattern[str]
    #: the words a time expression can contain (lower-cased) -> their categories; the rules
    #: run only near these (and near digits)
    triggers: dict[str, frozenset[str]]


def _read_yaml(path: str) -> Any:
    resource = resources.files("chronik").joinpath(path)
    try:
        return yaml.safe_load(resource.read_text("utf-8"))
    except FileNotFoundError:
        raise DataError(f"time data file {path} is missing") from None


def _lower_first(word: str) -> str:
    return word[:1].lower() + word[1:]


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of `words`, longest first; lower-case words also match capitalised."""
    parts = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        escaped = r"\s+".join(re.escape(piece) for piece in word.split())
        if word[:1].islower():
            escaped = f"[{word[0]}{word[0].upper()}]{escaped[len(re.escape(word[0])) :]}"
        parts.append(escaped)
    return "|".join(parts)


def _inflected(stems: Iterable[str]) -> str:
    """Adjective stems with their endings: 'vergangen' -> vergangen(e|en|er|es|em)."""
    return f"(?:{_alternation(stems)})(?:e[nmrs]?)?"


def _load_lexicon(data: dict[str, Any]) -> TimeLexicon:
    lex = TimeLexicon()
    for number, names in data["months"].items():
        for name in names:
            lex.months[name.lower()] = int(number)
    for number, names in data["weekdays"].items():
        for name in names:
            lex.weekdays[name.lower()] = int(number)
    for number, names in data["weekday_adverbs"].items():
        for name in names:
            lex.weekday_adverbs[name.lower()] = int(number)
    lex.day_words = {k.lower(): int(v) for k, v in data["day_words"].items()}
    lex.day_adjectives = {k.lower(): int(v) for k, v in data["day_adjectives"].items()}
    lex.relative = {k.lower(): int(v) for k, v in data["relative_adjectives"].items()}
    lex.relative_words = {k.lower(): (v[0], int(v[1])) for k, v in data["relative_words"].items()}
    for name, unit in data["units"].items():
        for plural, key in ((False, "singular"), (True, "plural")):
            for form in unit[key]:
                lex.units[form.lower()] = Unit(name, unit["timeml"], bool(unit.get("time")), plural)
    lex.ordinals = {k.lower(): int(v) for k, v in data["ordinals"].items()}
    lex.duration_words = {k.lower(): v for k, v in data["duration_words"].items()}
    lex.numbers = {k.lower(): float(v) for k, v in data["numbers"].items()}
    lex.vague = frozenset(v.lower() for v in data["vague_quantities"])
    lex.decade_words = {k.lower(): int(v) for k, v in data["decade_words"].items()}
    lex.parts = {k.lower(): v for k, v in data["parts_of_day"].items()}
    lex.part_suffixes = {k.lower(): v for k, v in data["part_suffixes"].items()}
    lex.parts.update({k.lower(): v for k, v in data["part_adverbs"].items()})
    lex.seasons = {k.lower(): v for k, v in data["seasons"].items()}
    lex.positions = {k.lower(): v for k, v in data["positions"].items()}
    lex.holidays = {_space(k.lower()): str(v) for k, v in data["holidays"].items()}
    lex.references = {
        _space(word.lower()): ref for ref, words in data["references"].items() for word in words
    }
    lex.sets = {k.lower(): v for k, v in data["sets"].items()}
    lex.set_determiners = frozenset(w.lower() for w in data["set_determiners"])
    lex.year_cues = frozenset(w.lower() for w in data["year_cues"])
    lex.not_year_after = frozenset(data["not_year_after"])
    lex.anchored_after = {k.lower(): int(v) for k, v in data["anchored_after"].items()}
    endings = "|".join(re.escape(e.lower()) for e in data["decade_endings"])
    lex.decade_ending = re.compile(f"(?:{endings})$" if endings else r"(?!)")
    lex.future_cues = frozenset(w.lower() for w in data["future_cues"])
    words = [*data["day_words"], *data["sets"], *data["duration_words"], *data["relative_words"]]
    words += [w.split()[0] for ws in data["references"].values() for w in ws]
    stems = [*data["relative_adjectives"], *data["day_adjectives"]]
    lex.lower_word = re.compile(
        f"(?:{_alternation(w for w in words if w[:1].islower())})"
        f"|(?:{_alternation(stems)})(?:e[nmrs]?)?"
    )
    return lex


def _space(text: str) -> str:
    return " ".join(text.split())


def _placeholders(data: dict[str, Any], lex: TimeLexicon) -> dict[str, str]:
    # abbreviations ("Sept", "Okt") are not the first name of a month and take a dot
    months_full = [
        n for names in data["months"].values() for i, n in enumerate(names) if not i or len(n) > 4
    ]
    abbreviations = [
        n for names in data["months"].values() for i, n in enumerate(names) if i and len(n) <= 4
    ]
    units = data["units"]
    date_units = [
        f
        for name, u in units.items()
        if not u.get("time") and name != "hour"
        for f in u["singular"]
    ]
    all_units = [f for u in units.values() for f in u["singular"] + u["plural"]]
    plural_units = [f for name, u in units.items() if not u.get("time") for f in u["plural"]]
    half_units = units["quarter"]["singular"] + units["halfyear"]["singular"]
    weekdays = [n for names in data["weekdays"].values() for n in names]
    weekday_adverbs = [n for names in data["weekday_adverbs"].values() for n in names]
    numbers = [str(k) for k in data["numbers"]]
    return {
        "day": r"(?P<{g}>0?[1-9]|[12]\d|3[01])",
        "mnum": r"(?P<{g}>0?[1-9]|1[0-2])",
        "year": r"(?P<{g}>1[0-9]{{3}}|20[0-9]{{2}})(?![\d])",
        "shortyear": r"(?P<{g}>\d{{2}})",
        "hour": r"(?P<{g}>[01]?\d|2[0-4])",
        "minute": r"(?P<{g}>[0-5]\d)",
        "month": f"(?P<{{g}}>{_alternation(months_full)}|(?:{_alternation(abbreviations)})\\.?)",
        "monthfull": f"(?P<{{g}}>{_alternation(months_full)})",
        "weekday": f"(?P<{{g}}>{_alternation(weekdays)})",
        "weekdayadverb": f"(?P<{{g}}>{_alternation(weekday_adverbs)})",
        "dayword": f"(?P<{{g}}>{_alternation(data['day_words'])})",
        "dayadj": f"(?P<{{g}}>{_inflected(data['day_adjectives'])})",
        "rel": f"(?P<{{g}}>{_inflected(data['relative_adjectives'])})",
        "relword": f"(?P<{{g}}>{_alternation(data['relative_words'])})",
        "unit": f"(?P<{{g}}>{_alternation(all_units)})",
        "dateunit": f"(?P<{{g}}>{_alternation(date_units)})",
        "unitplural": f"(?P<{{g}}>{_alternation(plural_units)})",
        "halfunit": f"(?P<{{g}}>{_alternation(half_units)})",
        "ordinal": f"(?P<{{g}}>{_inflected(data['ordinals'])})",
        "num": f"(?P<{{g}}>\\d+(?:,\\d+)?|{_alternation(numbers)})",
        "vague": f"(?P<{{g}}>{_alternation(data['vague_quantities'])})",
        "decadeword": f"(?P<{{g}}>{_alternation(data['decade_words'])})",
        "partword": f"(?P<{{g}}>{_alternation(data['parts_of_day'])})",
        "partsuffix": f"(?P<{{g}}>{_alternation(data['part_suffixes'])})",
        "season": f"(?P<{{g}}>{_alternation(data['seasons'])})",
        "pos": f"(?P<{{g}}>{_alternation(data['positions'])})",
        "holiday": f"(?P<{{g}}>{_alternation(data['holidays'])})",
        "ref": f"(?P<{{g}}>{_alternation(w for ws in data['references'].values() for w in ws)})",
        "setword": f"(?P<{{g}}>{_alternation(data['sets'])})",
        "setdet": f"(?P<{{g}}>{_alternation(data['set_determiners'])})",
        "durword": f"(?P<{{g}}>{_alternation(data['duration_words'])})",
        "anchorword": f"(?P<{{g}}>{_alternation(data['anchored_after'])})",
        "art": f"(?:(?P<{{g}}>{_alternation(data['articles'])})\\s+)?",
    }


_PLACEHOLDER = re.compile(r"\{([a-z]+)(\d?)\}")


def _compile(pattern: str, placeholders: dict[str, str], rule_id: str) -> re.Pattern[str]:
    def expand(m: re.Match[str]) -> str:
        name, index = m.group(1), m.group(2)
        if name not in placeholders:
            raise DataError(f"time rule {rule_id}: unknown placeholder {{{name}}}")
        return placeholders[name].format(g=name + index)

    body = _PLACEHOLDER.sub(expand, pattern)
    try:
        return re.compile(rf"(?<![\w]){body}(?![\w])")
    except re.error as exc:
        raise DataError(f"time rule {rule_id}: {exc}") from None


@cache
def grammar(language: str) -> TimeGrammar:
    """The time expression grammar of `language`, loaded once per process."""
    data = _read_yaml(f"lang/{language}/time.yaml")
    rules_data = _read_yaml(f"lang/{language}/time_rules.yaml")
    lex = _load_lexicon(data)
    placeholders = _placeholders(data, lex)
    rules = []
    for entry in rules_data["rules"]:
        kind = entry["kind"]
        if kind not in _NORMALISERS:
            raise DataError(f"time rule {entry['id']}: unknown kind {kind!r}")
        near = tuple(entry.get("near") or ())
        unknown = [n for n in near if n != "digit" and n not in placeholders]
        if not near or unknown:
            raise DataError(f"time rule {entry['id']}: 'near' must name placeholders or digit")
        rules.append(
            Rule(
                entry["id"],
                kind,
                entry["type"],
                _compile(entry["pattern"], placeholders, entry["id"]),
                near,
            )
        )
    future = re.compile(rf"(?<![\w])(?:{_alternation(data['future_cues'])})(?![\w])")
    categories = {n for rule in rules for n in rule.near}
    return TimeGrammar(language, lex, tuple(rules), future, _trigger_words(data, categories))


_ENDINGS = ("", "e", "en", "er", "es", "em")


def _trigger_words(data: dict[str, Any], categories: set[str]) -> dict[str, frozenset[str]]:
    """Lower-cased word -> the trigger categories (placeholder names) it belongs to."""

    def first_words(words: Iterable[Any]) -> set[str]:
        return {str(w).split()[0].lower() for w in words}

    def inflected(stems: Iterable[str]) -> set[str]:
        return {stem.lower() + ending for stem in stems for ending in _ENDINGS}

    units = data["units"]
    months = {n.lower() for names in data["months"].values() for n in names}
    weekdays = {n.lower() for names in data["weekdays"].values() for n in names}
    unit_forms = {f.lower() for u in units.values() for f in u["singular"] + u["plural"]}
    half = units["quarter"]["singular"] + units["halfyear"]["singular"]
    words: dict[str, set[str]] = {
        "month": months,
        "monthfull": months,
        # weekdays also start compounds: "Mittwochabend"
        "weekday": weekdays | {w + s for w in weekdays for s in data["part_suffixes"]},
        "weekdayadverb": {n.lower() for ns in data["weekday_adverbs"].values() for n in ns},
        "dayword": first_words(data["day_words"]),
        "dayadj": inflected(data["day_adjectives"]),
        "rel": inflected(data["relative_adjectives"]),
        "relword": first_words(data["relative_words"]),
        "unit": unit_forms,
        "dateunit": unit_forms,
        "unitplural": unit_forms,
        "halfunit": {f.lower() for f in half},
        "ordinal": inflected(data["ordinals"]),
        "vague": first_words(data["vague_quantities"]),
        "decadeword": first_words(data["decade_words"]),
        "partword": first_words(data["parts_of_day"]),
        "season": first_words(data["seasons"]),
        "pos": first_words(data["positions"]),
        "holiday": first_words(data["holidays"]),
        "ref": first_words(w for ws in data["references"].values() for w in ws),
        "setword": first_words(data["sets"]),
        "setdet": first_words(data["set_determiners"]),
        "durword": first_words(data["duration_words"]),
        "anchorword": first_words(data["anchored_after"]),
    }
    index: dict[str, set[str]] = {}
    for category in categories - {"digit"}:
        if category not in words:
            raise DataError(f"time rules: no trigger words for 'near: {category}'")
        for word in words[category]:
            index.setdefault(word, set()).add(category)
    return {word: frozenset(cats) for word, cats in index.items()}


# --------------------------------------------------------------------------------------------
# calendar arithmetic


def _week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _add_months(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _shift(dct: date, unit: str, n: int) -> str | None:
    """The TimeML value of the `unit` that lies `n` units from `dct` (n may be 0 or negative)."""
    if unit == "year":
        return f"{dct.year + n:04d}"
    if unit == "month":
        year, month = _add_months(dct, n)
        return f"{year:04d}-{month:02d}"
    if unit in ("week", "weekend"):
        value = _week(dct + timedelta(weeks=n))
        return value + "-WE" if unit == "weekend" else value
    if unit == "day":
        return (dct + timedelta(days=n)).isoformat()
    if unit == "decade":
        return f"{(dct.year // 10) + n:03d}"
    if unit == "century":
        return f"{(dct.year // 100) + n:02d}"
    if unit == "quarter":
        index = dct.year * 4 + (dct.month - 1) // 3 + n
        return f"{index // 4:04d}-Q{index % 4 + 1}"
    if unit == "halfyear":
        index = dct.year * 2 + (dct.month - 1) // 6 + n
        return f"{index // 2:04d}-H{index % 2 + 1}"
    return None


def easter(year: int) -> date:
    """Easter Sunday (Gregorian calendar; anonymous algorithm of Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


def _holiday(spec: str, year: int) -> date | None:
    if spec.startswith("easter"):
        return easter(year) + timedelta(days=int(spec[6:] or 0))
    month, day = spec.split("-")
    try:
        return date(year, int(month), int(day))
    except ValueError:
        return None


def _nearest_year(dct: date, month: int, day: int | None) -> int:
    """The year that puts month (and day) nearest to the publication date."""
    best, best_distance = dct.year, None
    for year in (dct.year - 1, dct.year, dct.year + 1):
        try:
            candidate = date(year, month, day or 15)
        except ValueError:
            continue
        distance = abs((candidate - dct).days)
        if best_distance is None or distance < best_distance:
            best, best_distance = year, distance
    return best


# --------------------------------------------------------------------------------------------
# normalisation


@dataclass(slots=True)
class _Context:
    """What a normaliser knows besides its match."""

    lex: TimeLexicon
    dct: date | None
    future: bool
    #: the last day-precise date mentioned before, to anchor times and "zwei Tage später"
    anchor: date | None
    text: str
    start: int


def _g(m: re.Match[str], name: str) -> str | None:
    try:
        value = m.group(name)
    except IndexError:
        return None
    return value


def _lower(value: str | None) -> str | None:
    return _space(value.lower()) if value else None


def _year(m: re.Match[str], ctx: _Context) -> int | None:
    if year := _g(m, "year"):
        return int(year)
    if year2 := _g(m, "shortyear"):
        short = int(year2)
        pivot = (ctx.dct.year % 100 + 10) if ctx.dct else 30
        return 2000 + short if short <= pivot else 1900 + short
    return None


def _rel_offset(m: re.Match[str], ctx: _Context, group: str = "rel") -> int | None:
    word = _lower(_g(m, group))
    if word is None:
        return None
    for stem, offset in ctx.lex.relative.items():
        if word.startswith(stem):
            return offset
    return None


def _number(word: str | None, lex: TimeLexicon) -> float | None:
    if word is None:
        return None
    text = word.lower().replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return lex.numbers.get(text)


def _fmt_number(n: float) -> str:
    return str(int(n)) if n == int(n) else f"{n:g}"


def _norm_date(m: re.Match[str], ctx: _Context) -> str | None:
    month_word = _g(m, "month") or _g(m, "monthfull")
    month = ctx.lex.months.get(month_word.lower().rstrip(".")) if month_word else None
    if month is None and (mnum := _g(m, "mnum")):
        month = int(mnum)
    if month is None:
        return None
    day = int(d) if (d := _g(m, "day")) else None
    year = _year(m, ctx)
    if year is None and (offset := _rel_offset(m, ctx)) is not None and ctx.dct:
        year = ctx.dct.year + offset
    if year is None:
        if ctx.dct is None:
            return f"XXXX-{month:02d}-{day:02d}" if day else f"XXXX-{month:02d}"
        year = _nearest_year(ctx.dct, month, day)
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _norm_year(m: re.Match[str], ctx: _Context) -> str | None:
    year = _g(m, "year")
    return f"{int(year):04d}" if year else None


def _norm_bare_year(m: re.Match[str], ctx: _Context) -> str | None:
    return _norm_year(m, ctx) if _plausible_year(m, ctx) else None


_WORD_BEFORE = re.compile(r"(\w+)\W*$")
_WORD_AFTER = re.compile(r"^\W*?(\w+)")


def _plausible_year(m: re.Match[str], ctx: _Context) -> bool:
    """A bare four-digit number is a year unless it counts something ("2000 Euro")."""
    after = _WORD_AFTER.match(ctx.text[m.end() : m.end() + 40])
    if after and after.group(1) in ctx.lex.not_year_after:
        return False
    before_text = ctx.text[max(0, m.start() - 30) : m.start()]
    if re.search(r"\d[.,]?\s*$", before_text) or re.search(r"[$€£]\s*$", before_text):
        return False
    before = _WORD_BEFORE.search(before_text)
    if _g(m, "pos") or (before and before.group(1).lower() in ctx.lex.year_cues):
        return True
    year = int(m.group("year"))
    # without a cue, only years of recent history, and not before a noun ("2000 Menschen")
    if after and after.group(1)[:1].isupper() and ctx.text[m.end() : m.end() + 1] == " ":
        return False
    return 1900 <= year <= 2099


def _norm_holiday(m: re.Match[str], ctx: _Context) -> str | None:
    spec = ctx.lex.holidays.get(_lower(_g(m, "holiday")) or "")
    if spec is None:
        return None
    year = _year(m, ctx)
    if year is None:
        if ctx.dct is None:
            return None
        candidates = [
            d
            for y in (ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1)
            if (d := _holiday(spec, y))
        ]
        found = min(candidates, key=lambda d: abs((d - ctx.dct).days))  # type: ignore[operator]
        return found.isoformat()
    found = _holiday(spec, year)
    return found.isoformat() if found else None


def _part(m: re.Match[str], ctx: _Context) -> str | None:
    word = _lower(_g(m, "partsuffix")) or _lower(_g(m, "partword"))
    if word is None:
        return None
    return ctx.lex.part_suffixes.get(word) or ctx.lex.parts.get(word)


def _norm_dayword(m: re.Match[str], ctx: _Context) -> str | None:
    word = _lower(_g(m, "dayword"))
    if word is not None:
        offset = ctx.lex.day_words.get(word)
    else:
        adjective = _lower(_g(m, "dayadj")) or ""
        offset = next(
            (v for stem, v in ctx.lex.day_adjectives.items() if adjective.startswith(stem)), None
        )
    if offset is None or ctx.dct is None:
        return None
    value = (ctx.dct + timedelta(days=offset)).isoformat()
    part = _part(m, ctx)
    return f"{value}T{part}" if part else value


def _norm_weekday(m: re.Match[str], ctx: _Context) -> str | None:
    weekday = ctx.lex.weekdays.get((_g(m, "weekday") or "").lower())
    if weekday is None or ctx.dct is None:
        return None
    rel = _rel_offset(m, ctx)
    week_rel = _rel_offset(m, ctx, "rel2")
    back = (ctx.dct.isoweekday() - weekday) % 7
    if week_rel is not None:
        monday = ctx.dct - timedelta(days=ctx.dct.isoweekday() - 1) + timedelta(weeks=week_rel)
        day = monday + timedelta(days=weekday - 1)
    elif rel is not None and rel > 0:
        day = ctx.dct + timedelta(days=(weekday - ctx.dct.isoweekday()) % 7 or 7)
    elif rel is None and ctx.future:
        # "am Sonntag soll ... werden" in a Sunday paper: that same day, or the next one
        day = ctx.dct + timedelta(days=(weekday - ctx.dct.isoweekday()) % 7)
    elif rel is not None and rel < 0:
        day = ctx.dct - timedelta(days=back or 7)
    else:
        day = ctx.dct - timedelta(days=back)
    part = _part(m, ctx)
    return f"{day.isoformat()}T{part}" if part else day.isoformat()


def _norm_weekend(m: re.Match[str], ctx: _Context) -> str | None:
    """ "am Wochenende": early in the week the one just past, later in the week the coming one."""
    if ctx.dct is None:
        return None
    back = 1 if ctx.dct.isoweekday() <= 2 and not ctx.future else 0
    return _shift(ctx.dct, "weekend", -back)


def _unit(m: re.Match[str], ctx: _Context, *groups: str) -> Unit | None:
    for group in groups:
        word = _lower(_g(m, group))
        if word is not None:
            return ctx.lex.units.get(word)
    return None


def _norm_relunit(m: re.Match[str], ctx: _Context) -> str | None:
    unit = _unit(m, ctx, "dateunit")
    if unit is None or ctx.dct is None:
        return None
    rel = _rel_offset(m, ctx)
    return _shift(ctx.dct, unit.name, rel if rel is not None else 0)


def _norm_relword(m: re.Match[str], ctx: _Context) -> str | None:
    entry = ctx.lex.relative_words.get(_lower(_g(m, "relword")) or "")
    if entry is None or ctx.dct is None:
        return None
    return _shift(ctx.dct, entry[0], entry[1])


def _quantity(m: re.Match[str], ctx: _Context) -> float | None:
    """The number of units, or None for a vague quantity ("einige")."""
    return _number(_g(m, "num"), ctx.lex)


def _norm_ago(m: re.Match[str], ctx: _Context) -> str | None:
    unit = _unit(m, ctx, "unit", "unitplural")
    n = _quantity(m, ctx)
    if unit is None or n is None or unit.time or n != int(n):
        return "PAST_REF"
    if ctx.dct is None:
        return None
    return _shift(ctx.dct, unit.name, -int(n))


def _norm_infuture(m: re.Match[str], ctx: _Context) -> str | None:
    if not ctx.future:
        # "in drei Jahren hat er ...": within, a duration; "in drei Jahren soll ...": a date
        return _norm_duration(m, ctx)
    unit = _unit(m, ctx, "unit")
    n = _quantity(m, ctx)
    if unit is None or n is None or n != int(n) or unit.time:
        return "FUTURE_REF"
    if ctx.dct is None:
        return None
    return _shift(ctx.dct, unit.name, int(n))


def _norm_anchored(m: re.Match[str], ctx: _Context) -> str | None:
    unit = _unit(m, ctx, "unit")
    n = _quantity(m, ctx)
    word = _lower(_g(m, "anchorword")) or ""
    if unit is None or n is None or unit.time or ctx.anchor is None or n != int(n):
        return None
    sign = ctx.lex.anchored_after.get(word, 1)
    return _shift(ctx.anchor, unit.name, sign * int(n))


def _norm_quarter(m: re.Match[str], ctx: _Context) -> str | None:
    unit = _unit(m, ctx, "halfunit")
    if unit is None and _g(m, "half"):
        # "the first half of 2023": "half" is no unit by itself ("half an hour")
        unit = next((u for u in ctx.lex.units.values() if u.name == "halfyear"), None)
    ordinal_word = _lower(_g(m, "ordinal")) or ""
    n = next((v for stem, v in ctx.lex.ordinals.items() if ordinal_word.startswith(stem)), None)
    if unit is None or n is None:
        return None
    year = _year(m, ctx)
    if year is None and ctx.dct is not None:
        year = ctx.dct.year + (_rel_offset(m, ctx) or 0)
    if year is None:
        return None
    letter = "Q" if unit.name == "quarter" else "H"
    return f"{year:04d}-{letter}{n}"


def _norm_season(m: re.Match[str], ctx: _Context) -> str | None:
    season = ctx.lex.seasons.get(_lower(_g(m, "season")) or "")
    if season is None:
        return None
    year = _year(m, ctx)
    if year is None and ctx.dct is not None:
        rel = _rel_offset(m, ctx, "rel2")
        if rel is not None:
            year = ctx.dct.year + rel
        else:
            rel = _rel_offset(m, ctx)
            middle = {"SP": 4, "SU": 7, "FA": 10, "WI": 1}[season]
            if rel is None or rel == 0:
                year = _nearest_year(ctx.dct, middle, None) if rel is None else ctx.dct.year
            else:
                # "im vergangenen Sommer": the last one that began before the publication date
                year = (
                    ctx.dct.year
                    if rel < 0 and ctx.dct.month > middle + 2
                    else ctx.dct.year + (rel if rel > 0 else -1)
                )
                if rel > 0 and ctx.dct.month < middle:
                    year = ctx.dct.year
    if year is None:
        return None
    return f"{year:04d}-{season}"


def _norm_decade(m: re.Match[str], ctx: _Context) -> str | None:
    if d4 := _g(m, "decade4"):
        return d4[:3]
    digit = None
    if d2 := _g(m, "decade2"):
        digit = int(d2) // 10
    elif word := _lower(_g(m, "decadeword")):
        digit = ctx.lex.decade_words.get(word)
    if digit is None:
        return None
    if not ctx.lex.decade_ending.search(m.group(0).lower()):
        # "die 90er" may be a price or an age; "die neunziger Jahre", "in den 90ern" are decades
        return None
    return f"19{digit}"


def _norm_century(m: re.Match[str], ctx: _Context) -> str | None:
    century = _g(m, "century")
    return f"{int(century) - 1:02d}" if century else None


def _norm_time(m: re.Match[str], ctx: _Context) -> str | None:
    hour = int(m.group("hour"))
    minute = int(_g(m, "minute") or 0)
    if hour > 24 or (hour == 24 and minute):
        return None
    if meridiem := _g(m, "ampm"):
        # "8 p.m." -> 20:00, "12 a.m." -> 00:00
        if hour > 12:
            return None
        hour = hour % 12 + (12 if meridiem[:1].lower() == "p" else 0)
    day = ctx.anchor or ctx.dct
    clock = f"T{hour:02d}:{minute:02d}"
    return f"{day.isoformat()}{clock}" if day else f"XXXX-XX-XX{clock}"


def _norm_part(m: re.Match[str], ctx: _Context) -> str | None:
    part = _part(m, ctx)
    day = ctx.anchor or ctx.dct
    if part is None or day is None:
        return None
    return f"{day.isoformat()}T{part}"


def _norm_duration(m: re.Match[str], ctx: _Context) -> str | None:
    unit = _unit(m, ctx, "unit", "unitplural")
    if unit is None:
        return None
    n = _quantity(m, ctx)
    if n is None and _g(m, "vague") is None and not unit.plural:
        n = 1  # "the past week": one week
    amount = "X" if n is None else _fmt_number(n)
    return f"PT{amount}{unit.timeml}" if unit.time else f"P{amount}{unit.timeml}"


def _norm_durword(m: re.Match[str], ctx: _Context) -> str | None:
    return ctx.lex.duration_words.get(_lower(_g(m, "durword")) or "")


def _norm_set(m: re.Match[str], ctx: _Context) -> str | None:
    if word := _lower(_g(m, "setword")):
        return ctx.lex.sets.get(word)
    if word := _lower(_g(m, "weekdayadverb")):
        return f"XXXX-WXX-{ctx.lex.weekday_adverbs[word]}"
    if word := _lower(_g(m, "weekday")):
        return f"XXXX-WXX-{ctx.lex.weekdays[word]}"
    unit = _unit(m, ctx, "unit")
    if unit is None:
        return None
    n = _quantity(m, ctx) or 1
    amount = _fmt_number(n)
    return f"PT{amount}{unit.timeml}" if unit.time else f"P{amount}{unit.timeml}"


def _norm_ref(m: re.Match[str], ctx: _Context) -> str | None:
    return ctx.lex.references.get(_lower(_g(m, "ref")) or "")


_NORMALISERS: dict[str, Callable[[re.Match[str], _Context], str | None]] = {
    "date": _norm_date,
    "year": _norm_year,
    "bareyear": _norm_bare_year,
    "holiday": _norm_holiday,
    "dayword": _norm_dayword,
    "weekday": _norm_weekday,
    "weekend": _norm_weekend,
    "relunit": _norm_relunit,
    "relword": _norm_relword,
    "ago": _norm_ago,
    "infuture": _norm_infuture,
    "anchored": _norm_anchored,
    "quarter": _norm_quarter,
    "season": _norm_season,
    "decade": _norm_decade,
    "century": _norm_century,
    "time": _norm_time,
    "part": _norm_part,
    "duration": _norm_duration,
    "durword": _norm_durword,
    "set": _norm_set,
    "ref": _norm_ref,
}

# --------------------------------------------------------------------------------------------
# extraction

_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"„“”«»»(\n]\s*|\n\s*)$")


@dataclass(slots=True)
class _Candidate:
    rule_index: int
    rule: Rule
    match: re.Match[str]
    start: int
    end: int


def _span(m: re.Match[str]) -> tuple[int, int]:
    if "span" in m.re.groupindex and m.group("span") is not None:
        return m.start("span"), m.end("span")
    return m.start(), m.end()


def _capitalised_ok(text: str, start: int, lex: TimeLexicon) -> bool:
    """A lower-case word written capitalised ("Morgen") must start a sentence to count."""
    word = re.match(r"\w+", text[start : start + 30])
    if word is None or not word.group(0)[:1].isupper():
        return True
    if not lex.lower_word.fullmatch(_lower_first(word.group(0))):
        return True
    return start == 0 or bool(_SENTENCE_START.search(text[max(0, start - 3) : start]))


def _sentence_bounds(text: str, sentences: list[tuple[int, int]] | None) -> list[tuple[int, int]]:
    if sentences:
        return sentences
    bounds, begin = [], 0
    for m in re.finditer(r"[.!?]\s+(?=[A-ZÄÖÜ\"„])|\n+", text):
        bounds.append((begin, m.end()))
        begin = m.end()
    bounds.append((begin, len(text)))
    return bounds


#: how far around a trigger word an expression may reach
_ZONE_MARGIN = 48
_SPACE = re.compile(r"\s")


_WORD = re.compile(r"\w+")
_DIGIT = frozenset({"digit"})


def _zones(text: str, gram: TimeGrammar) -> dict[str, list[tuple[int, int]]]:
    """Per trigger category, the stretches of text around its words, cut at whitespace and
    merged where they overlap."""
    zones: dict[str, list[tuple[int, int]]] = {}
    triggers = gram.triggers
    for m in _WORD.finditer(text):
        word = m.group()
        categories = _DIGIT if word[0].isdigit() else triggers.get(word.lower())
        if not categories:
            continue
        start = max(0, m.start() - _ZONE_MARGIN)
        if start:
            start = text.rfind(" ", 0, start) + 1
        space = _SPACE.search(text, m.end() + _ZONE_MARGIN)
        end = space.start() if space else len(text)
        for category in categories:
            spans = zones.setdefault(category, [])
            if spans and start <= spans[-1][1]:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
    return zones


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def extract(
    text: str,
    dct: date | None,
    language: str = "de",
    sentences: list[tuple[int, int]] | None = None,
) -> list[Timex]:
    """The time expressions of `text`, in text order, valued relative to `dct`.

    `sentences`: (start, end) of each sentence, for the tense of its verbs; split crudely if
    not given.
    """
    gram = grammar(language)
    candidates: list[_Candidate] = []
    zones = _zones(text, gram)
    for index, rule in enumerate(gram.rules):
        spans = [span for category in rule.near for span in zones.get(category, ())]
        if len(rule.near) > 1:
            spans = _merge(spans)
        for zone_start, zone_end in spans:
            for m in rule.regex.finditer(text, zone_start, zone_end):
                start, end = _span(m)
                if start == end:
                    continue
                candidates.append(_Candidate(index, rule, m, start, end))
    candidates.sort(
        key=lambda c: (c.match.start(), -(c.match.end() - c.match.start()), c.rule_index)
    )
    bounds = _sentence_bounds(text, sentences)
    found: list[Timex] = []
    taken_until = -1
    anchor: date | None = None
    sentence_index = 0
    future_cache: dict[int, bool] = {}
    for cand in candidates:
        if cand.start < taken_until:
            continue
        if not _capitalised_ok(text, cand.match.start(), gram.lexicon):
            continue
        while sentence_index < len(bounds) - 1 and bounds[sentence_index][1] <= cand.start:
            sentence_index += 1
        if sentence_index not in future_cache:
            s_start, s_end = bounds[sentence_index]
            future_cache[sentence_index] = bool(gram.future.search(text, s_start, s_end))
        ctx = _Context(gram.lexicon, dct, future_cache[sentence_index], anchor, text, cand.start)
        value = _NORMALISERS[cand.rule.kind](cand.match, ctx)
        if value is None and cand.rule.kind in ("bareyear", "decade", "date", "holiday"):
            # not a time expression after all ("2000 Euro"); let another rule try
            continue
        taken_until = cand.match.end()
        kind = cand.rule.type
        if kind == "DATE" and value and _DURATION_VALUE.match(value):
            kind = "DURATION"  # a normaliser that found a duration after all
        timex = Timex(cand.start, cand.end, text[cand.start : cand.end], kind, value, cand.rule.id)
        found.append(timex)
        if value and _DAY_VALUE.match(value) and cand.rule.type == "DATE":
            anchor = date.fromisoformat(value[:10])
    return found
