"""What a name resolves to in the actor knowledge base on a date (for `chronik actors lookup`).

A name may be a person, a state (in any inflected form), a capital or government metonym, an
institution or an international organisation; a role word ("Bundeskanzler") resolves to the
people who held that office on the date.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from chronik import kb


@dataclass(frozen=True, slots=True)
class Resolution:
    via: str
    id: str
    name: str
    kind: str | None
    country: str | None
    sector: str | None
    role: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def resolve(name: str, *, on: date | None = None, language: str = "de") -> list[Resolution]:
    """Everything `name` may denote on `on` (today's office holders when `on` is None)."""
    found = [
        Resolution(m.kind, m.id, m.name, m.actor_kind, m.country, m.sector, m.role)
        for m in kb.lookup(name, on=on, language=language)
    ]
    word = kb.role_words(language).get(name)
    if word is not None and word.role is not None:
        countries = [word.country, *word.alternatives] if word.country else []
        for code in countries:
            for person in kb.holders(code, word.role, on):
                role = person.role_on(on)
                found.append(
                    Resolution(
                        f"role word '{word.word}'",
                        person.id,
                        person.name,
                        "person",
                        role.country if role else code,
                        role.sector if role else word.sector,
                        role.role if role else word.role,
                    )
                )
    return found
