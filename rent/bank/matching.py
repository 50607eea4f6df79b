"""Who paid what: each transaction of a statement matched to a person (and month).

In order: a reference code in the text (`KK2510ADAM`: sure), then the payer's name (accents
and case ignored, also the aliases the treasurer added) together with an amount that is open
(sure when one person and the amount fit), else suggestions for the treasurer. Outgoing
payments and those already imported are listed, not matched. A line whose person already has
a payment recorded by hand of the same amount, a few days apart or with the same reference,
is that payment ("already recorded"): it is linked to it, never recorded again. No database:
the caller passes the people, their open months, the keys already imported and the payments
recorded without a bank line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from rent.bank.readers import Transaction
from rent.ledger.reference import code_for, find_codes, plain


class MatchStatus(StrEnum):
    """How a statement line was matched. The first four are stored as they are
    (rent.models.BankTransactionStatus has the same values); a line already imported or
    already recorded by hand is only reported."""

    MATCHED = "matched"
    SUGGESTED = "suggested"
    UNMATCHED = "unmatched"
    OUTGOING = "outgoing"
    ALREADY = "already"
    RECORDED = "recorded"


# How far apart the bank's date and a payment recorded by hand may be for the two to be one
# payment (a transfer takes a few banking days; the treasurer may record it a day or two late).
SAME_PAYMENT_DAYS = 5


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    code_part: str  # the person's part of the reference code (rent.ledger.reference)
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


@dataclass(frozen=True)
class Recorded:
    """A payment already recorded without a bank line (by hand, or a member's confirmed
    "I have paid")."""

    id: int
    person_id: int
    amount: Decimal
    paid_on: date
    reference: str = ""


def same_payment(recorded: Recorded, person_id: int, amount: Decimal, booked_on: date,
                 reference: str) -> bool:  # fmt: skip
    """The same person and amount, and the dates a few days apart or the same reference."""
    if recorded.person_id != person_id or recorded.amount != amount:
        return False
    if reference and recorded.reference.upper() == reference.upper():
        return True
    return abs((recorded.paid_on - booked_on).days) <= SAME_PAYMENT_DAYS


@dataclass
class Match:
    transaction: Transaction
    status: str
    person_id: int | None = None
    for_month: date | None = None
    reason: str = ""
    suggestions: list[int] = field(default_factory=list)
    reference: str = ""
    payment_id: int | None = None  # RECORDED: the payment it already is


def _words(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", plain(text)) + " "


def match_transactions(
    transactions: Iterable[Transaction],
    people: list[Person],
    known_keys: set[str],
    recorded: Iterable[Recorded] = (),
) -> list[Match]:
    by_part = {person.code_part.upper(): person for person in people}
    name_index = [
        (_words(name), person) for person in people for name in person.names() if name.strip()
    ]
    amounts = {person.id: person.open_amounts() for person in people}
    matches = [_match(t, by_part, name_index, amounts, people, known_keys) for t in transactions]
    # Indexed by person and amount: a statement's lines are compared with the few payments
    # that could be them, never with every payment.
    unlinked: dict[tuple[int, Decimal], list[Recorded]] = {}
    for payment in sorted(recorded, key=lambda r: (r.paid_on, r.id)):
        unlinked.setdefault((payment.person_id, payment.amount), []).append(payment)
    for match in matches:
        _link_recorded(match, unlinked)
    return matches


def _link_recorded(match: Match, unlinked: dict[tuple[int, Decimal], list[Recorded]]) -> None:
    """A matched or suggested line that is a payment already recorded becomes RECORDED, linked
    to it (each recorded payment is one line at most)."""
    if match.status == MatchStatus.MATCHED:
        candidates = [match.person_id]
    elif match.status == MatchStatus.SUGGESTED:
        candidates = match.suggestions
    else:
        return
    t = match.transaction
    found = [
        (person_id, recorded)
        for person_id in candidates
        for recorded in unlinked.get((person_id, t.amount), ())
        if same_payment(recorded, person_id, t.amount, t.booked_on, match.reference)
    ]
    people = {person_id for person_id, _recorded in found}
    if len(people) != 1:
        return  # none, or several people could have paid it: the treasurer decides
    person_id, recorded = found[0]
    unlinked[(person_id, t.amount)].remove(recorded)
    match.status, match.person_id, match.payment_id = MatchStatus.RECORDED, person_id, recorded.id
    match.reference = match.reference or recorded.reference


def _match(transaction, by_part, name_index, amounts, people, known_keys) -> Match:
    if transaction.key in known_keys:
        return Match(transaction, MatchStatus.ALREADY)
    if not transaction.incoming:
        return Match(transaction, MatchStatus.OUTGOING)
    words = f"{transaction.text} {transaction.counterpart}"
    for month, part in find_codes(words):
        person = by_part.get(part)
        if person is not None:
            code = code_for(part, month)
            return Match(
                transaction, MatchStatus.MATCHED, person.id, month, "reference", reference=code
            )
    said = _words(words)
    named: list[Person] = []
    for name, person in name_index:
        if name in said and person not in named:
            named.append(person)
    fitting = [person for person in named if transaction.amount in amounts[person.id]]
    if len(named) == 1 and fitting:
        return Match(transaction, MatchStatus.MATCHED, named[0].id, reason="name_amount")
    if named:
        return Match(
            transaction,
            MatchStatus.SUGGESTED,
            reason="name",
            suggestions=[person.id for person in named],
        )
    by_amount = [person.id for person in people if transaction.amount in amounts[person.id]]
    if by_amount:
        return Match(transaction, MatchStatus.SUGGESTED, reason="amount", suggestions=by_amount)
    return Match(transaction, MatchStatus.UNMATCHED)
