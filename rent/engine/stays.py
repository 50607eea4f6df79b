"""A tenant's stay: the phone number they are reached on, and where they are in their stay.

Framework-free rules. The status is never stored: it follows from the dates that move it
(interested on, signed on, moved in, notice given on, moved out), so it cannot disagree with them.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

import phonenumbers

from rent.errors import RentError

# Numbers written without a country code are Swedish (070-123 45 67).
DEFAULT_REGION = "SE"


class PhoneError(RentError, ValueError):
    """Not a phone number that can be reached; the message says why."""


def normalize_phone(text: str) -> str:
    """A phone number as typed (`070-123 45 67`, `+46 70 123 45 67`, `0046701234567`) in E.164
    (`+46701234567`); empty stays empty. Raises PhoneError for anything else."""
    text = (text or "").strip()
    if not text:
        return ""
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException as error:
        raise PhoneError("phone_unparsable", text=text) from error
    if not phonenumbers.is_valid_number(number):
        raise PhoneError("phone_invalid", text=text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_mobile(e164: str) -> bool:
    """Can take an SMS (a mobile number, or one whose kind the numbering plan leaves open)."""
    if not e164:
        return False
    kind = phonenumbers.number_type(phonenumbers.parse(e164))
    return kind in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


class StayStatus(StrEnum):
    INTERESTED = "interested"
    SIGNED = "signed"
    LIVING_HERE = "living_here"
    LEAVING = "leaving"
    MOVED_OUT = "moved_out"


def has_moved_in(
    *, start_date: date | None, interested_on: date | None, signed_on: date | None, on: date
) -> bool:
    """Lives here from `start_date`; without one, a person recorded only as interested or
    signed has not moved in yet, anyone else (the old system's rows) always lived here."""
    if start_date is not None:
        return start_date <= on
    return interested_on is None and signed_on is None


def stay_status(
    *,
    interested_on: date | None = None,
    signed_on: date | None = None,
    start_date: date | None = None,
    notice_given_on: date | None = None,
    departure_date: date | None = None,
    on: date,
) -> StayStatus:
    """Where a person is in their stay on day `on`, from the dates that move it.

    interested → signed (a contract, or a moving-in day agreed) → living here (from the
    moving-in day) → leaving (notice given, or a moving-out day set) → moved out (after the
    last day lived here).
    """
    if departure_date is not None and departure_date < on:
        return StayStatus.MOVED_OUT
    if not has_moved_in(
        start_date=start_date, interested_on=interested_on, signed_on=signed_on, on=on
    ):
        signed = (signed_on is not None and signed_on <= on) or start_date is not None
        return StayStatus.SIGNED if signed else StayStatus.INTERESTED
    if departure_date is not None or (notice_given_on is not None and notice_given_on <= on):
        return StayStatus.LEAVING
    return StayStatus.LIVING_HERE


class PersonnummerError(RentError, ValueError):
    """Not a Swedish personnummer or samordningsnummer; the message says why."""


PERSONNUMMER = re.compile(r"^(?P<century>\d{2})?(?P<body>\d{6})(?P<sep>[-+]?)(?P<serial>\d{4})$")


def normalize_personnummer(text: str, *, today: date | None = None) -> str:
    """A personnummer (or samordningsnummer: the day plus 60) as typed, `YYMMDD-XXXX`,
    `YYYYMMDDXXXX`, ..., in one form: `YYYYMMDD-XXXX`. Empty stays empty.

    The check digit (Luhn, python-stdnum) and the date must be right. Without a century the
    person is under 100 (`-`) or 100 or over (`+`), as the Tax Agency writes it.
    """
    from stdnum import luhn

    text = "".join((text or "").split())
    if not text:
        return ""
    match = PERSONNUMMER.match(text)
    if not match:
        raise PersonnummerError("personnummer_form", text=text)
    body, serial = match["body"], match["serial"]
    if not luhn.is_valid(body + serial):
        raise PersonnummerError("personnummer_check_digit", text=text)
    month, day = int(body[2:4]), int(body[4:6])
    if day > 60:  # a samordningsnummer
        day -= 60
    today = today or date.today()  # noqa: DTZ011 (a calendar day is enough here)
    if match["century"]:
        year = int(match["century"] + body[:2])
    else:
        year = (today.year // 100) * 100 + int(body[:2])
        if year > today.year:
            year -= 100
        if match["sep"] == "+":
            year -= 100
    try:
        date(year, month, day)
    except ValueError:
        raise PersonnummerError("personnummer_birth_date", text=text) from None
    return f"{year:04d}{body[2:]}-{serial}"
