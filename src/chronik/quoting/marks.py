"""Quotation marks: which stretches of an article stand in quotes.

German news uses „…“, »…«, «…» (Swiss) and ‚…‘, English-style “…”, and plain ASCII "…" where
an editor or a corpus lost the typographic marks. A quotation may run over several sentences and
lines ("one sentence per line" corpora, quotes over paragraphs). The scanner pairs marks with a
stack; a mark that both opens and closes (" and ') is decided by the characters around it, so
apostrophes ("geht's") are not taken for quotes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

#: a quotation that finds no closing mark ends with its line, unless a mark closes it within
#: this many characters (quotes over several lines close eventually; a lost mark never does)
MAX_OPEN_CHARS = 3000


@dataclass(frozen=True, slots=True)
class Quotation:
    """A top-level quotation: `start` is the opening mark, `end` is after the closing mark."""

    start: int
    end: int
    #: False when no closing mark was found and the quotation was ended at its line's end
    closed: bool = True

    @property
    def inner_start(self) -> int:
        return self.start + 1

    @property
    def inner_end(self) -> int:
        return self.end - 1 if self.closed else self.end


@dataclass(frozen=True, slots=True)
class QuotationMarks:
    """The marks of a language, ready for scanning."""

    closers: Mapping[str, frozenset[str]]
    pattern: re.Pattern[str]

    @classmethod
    def build(cls, marks: Mapping[str, frozenset[str]]) -> QuotationMarks:
        chars = set(marks) | {c for closing in marks.values() for c in closing}
        return cls(marks, re.compile("[" + re.escape("".join(sorted(chars))) + "]"))


_SYMMETRIC = frozenset({'"', "'"})
#: marks that double as apostrophes inside words ("geht's", "geht’s")
_APOSTROPHES = frozenset({"'", "’"})


def _opens(text: str, i: int) -> bool:
    """An ambiguous mark opens when it stands before a word and after a space or a bracket."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{-–—/:") and not after.isspace()


def _closes(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if text[i] in _APOSTROPHES and before.isalnum() and after.isalnum():
        return False
    return not (text[i] in _SYMMETRIC and before.isspace())


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _paragraph_start(text: str, i: int) -> bool:
    line_start = text.rfind("\n", 0, i) + 1
    return text[line_start:i].strip() == ""


def find_quotations(text: str, marks: QuotationMarks) -> list[Quotation]:
    """The top-level quotations of `text` in order; nested quotes belong to their outer one."""
    stack: list[tuple[str, int]] = []
    found: list[Quotation] = []

    def close_unfinished(limit: int) -> None:
        # a quotation still open at `limit` lost its closing mark: end it with its line
        if stack:
            start = stack[0][1]
            end = min(_line_end(text, start), limit)
            stack.clear()
            if end > start + 1:
                found.append(Quotation(start, end, closed=False))

    for match in marks.pattern.finditer(text):
        i = match.start()
        char = match.group()
        if stack and stack[0][1] + MAX_OPEN_CHARS < i:
            close_unfinished(i)
        level = None
        for candidate in range(len(stack) - 1, -1, -1):
            if char in marks.closers.get(stack[candidate][0], ()):
                level = candidate
                break
        if level is not None and not _closes(text, i):
            level = None
        if level is not None:
            if level == 0:
                found.append(Quotation(stack[0][1], i + 1))
            del stack[level:]
            continue
        if char not in marks.closers or (char in _SYMMETRIC and not _opens(text, i)):
            continue
        if stack and stack[-1][0] == char:
            if _paragraph_start(text, i):
                # German quotes over paragraphs reopen each paragraph without closing
                continue
            if len(stack) == 1:
                close_unfinished(i)
        stack.append((char, i))
    close_unfinished(len(text))
    found.sort(key=lambda q: q.start)
    return found
