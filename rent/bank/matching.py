"""Who paid what: each transaction of a statement matched to a person (and month).

In order: a reference code in the text (`KK2510ADAM`: sure), then the payer's name (accents
and case ignored, also the aliases the treasurer added) together with an amount that is open
(sure when one person and the amount fit), else suggestions for the treasurer. Outgoing
payments and those already imported are listed, not matched. No database: the caller passes
the people, their open months and the keys already imported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from rent.bank.readers import Transaction
from rent.reference import code_for, find_codes, plain

MATCHED, SUGGESTED, UNMATCHED, OUTGOING, ALREADY = (
    "matched",
    "suggested",
    "unmatched",
    "outgoing",
    "already",
)


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    code_part: str  # the person's part of the reference code (rent.reference)
    aliases: tuple[str, ...] = ()
    open_months: tuple[tuple[date, Decimal], ...] = ()  # oldest first: (rent month, left)

    def names(self) -> list[str]:
        full = plain(self.name)
        found = [full, *(plain(alias) for alias in self.aliases if alias.strip())]
        first = full.split(" ")[0]
        if len(first) >= 3:
            found.append(first)
        return found

    def open_amounts(self) -> set[Decimal]:
        """What would settle something: one month, the oldest months together, or all."""
        amounts, running = set(), Decimal(0)
        for _month, left in self.open_months:
            amounts.add(left)
            running += left
            amounts.add(running)
        return amounts


@dataclass
class Match:
    transaction: Transaction
    status: str
    person_id: int | None = None
    for_month: date | None = None
    reason: str = ""
    suggestions: list[int] = field(default_factory=list)
    reference: str = ""


def _words(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", plain(text)) + " "


def match_transactions(
    transactions: Iterable[Transaction], people: list[Person], known_keys: set[str]
) -> list[Match]:
    by_part = {person.code_part.upper(): person for person in people}
    name_index = [
        (_words(name), person) for person in people for name in person.names() if name.strip()
    ]
    amounts = {person.id: person.open_amounts() for person in people}
    return [_match(t, by_part, name_index, amounts, people, known_keys) for t in transactions]


def _match(transaction, by_part, name_index, amounts, people, known_keys) -> Match:
    if transaction.key in known_keys:
        return Match(transaction, ALREADY)
    if not transaction.incoming:
        return Match(transaction, OUTGOING)
    words = f"{transaction.text} {transaction.counterpart}"
    for month, part in find_codes(words):
        person = by_part.get(part)
        if person is not None:
            code = code_for(part, month)
            return Match(transaction, MATCHED, person.id, month, "reference", reference=code)
    said = _words(words)
    named: list[Person] = []
    for name, person in name_index:
        if name in said and person not in named:
            named.append(person)
    fitting = [person for person in named if transaction.amount in amounts[person.id]]
    if len(named) == 1 and fitting:
        return Match(transaction, MATCHED, named[0].id, reason="name_amount")
    if named:
        return Match(
            transaction, SUGGESTED, reason="name", suggestions=[person.id for person in named]
        )
    by_amount = [person.id for person in people if transaction.amount in amounts[person.id]]
    if by_amount:
        return Match(transaction, SUGGESTED, reason="amount", suggestions=by_amount)
    return Match(transaction, UNMATCHED)
