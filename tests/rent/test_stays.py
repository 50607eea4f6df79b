"""A tenant's stay: phone numbers in E.164, and the status that follows from the stay's dates."""

from datetime import date

import pytest

from rent.engine.stays import (
    PersonnummerError,
    PhoneError,
    StayStatus,
    is_mobile,
    normalize_personnummer,
    normalize_phone,
    stay_status,
)
from rent.errors import RentError


@pytest.mark.parametrize(
    "typed",
    ["070-123 45 67", "0701234567", "+46 70 123 45 67", "0046701234567", " +46701234567 "],
)
def test_a_phone_number_is_kept_in_e164_however_it_is_typed(typed):
    assert normalize_phone(typed) == "+46701234567"


def test_a_foreign_number_keeps_its_country():
    assert normalize_phone("+47 412 34 567") == "+4741234567"


@pytest.mark.parametrize("typed", ["12", "070-123", "ring mig", "+46 70 123 45 67 89 12"])
def test_what_is_not_a_phone_number_is_refused(typed):
    with pytest.raises(PhoneError, match="phone number"):
        normalize_phone(typed)


def test_empty_stays_empty():
    assert normalize_phone("  ") == ""


def test_a_mobile_takes_sms_and_a_landline_does_not():
    assert is_mobile("+46701234567")
    assert not is_mobile(normalize_phone("08-123 456 78"))
    assert not is_mobile("")


DAY = date(2025, 9, 15)
S = StayStatus


@pytest.mark.parametrize(
    ("dates", "status"),
    [
        ({"interested_on": date(2025, 9, 1)}, S.INTERESTED),
        ({"interested_on": date(2025, 9, 1), "signed_on": date(2025, 9, 20)}, S.INTERESTED),
        ({"interested_on": date(2025, 9, 1), "signed_on": date(2025, 9, 10)}, S.SIGNED),
        ({"start_date": date(2025, 10, 1)}, S.SIGNED),
        ({"signed_on": date(2025, 9, 1), "start_date": DAY}, S.LIVING_HERE),
        ({}, S.LIVING_HERE),  # the old system's rows: no dates, always lived here
        ({"start_date": date(2024, 1, 1), "notice_given_on": date(2025, 9, 1)}, S.LEAVING),
        ({"start_date": date(2024, 1, 1), "notice_given_on": date(2025, 9, 16)}, S.LIVING_HERE),
        ({"start_date": date(2024, 1, 1), "departure_date": DAY}, S.LEAVING),
        ({"start_date": date(2024, 1, 1), "departure_date": date(2025, 9, 14)}, S.MOVED_OUT),
    ],
)  # fmt: skip
def test_the_status_follows_from_the_dates_that_move_it(dates, status):
    assert stay_status(**dates, on=DAY) == status


TODAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("880320-0016", "19880320-0016"),
        ("8803200016", "19880320-0016"),
        ("19880320-0016", "19880320-0016"),
        ("198803200016", "19880320-0016"),
        (" 880320 - 0016 ", "19880320-0016"),
        ("701063-2391", "19701063-2391"),  # a samordningsnummer: the day plus 60
        ("121212+1212", "19121212-1212"),  # "+": 100 or older
        ("121212-1212", "20121212-1212"),
    ],
)
def test_a_personnummer_is_kept_in_one_form(typed, kept):
    assert normalize_personnummer(typed, today=TODAY) == kept


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("880320-0018", "check digit"),
        ("881320-0014", "no valid date"),  # month 13 (its check digit is right)
        ("880320", "not a personnummer"),
        ("ÅÅMMDD-XXXX", "not a personnummer"),
    ],
)
def test_a_wrong_personnummer_is_refused(typed, why):
    with pytest.raises(PersonnummerError, match=why):
        normalize_personnummer(typed, today=TODAY)


@pytest.mark.parametrize(
    ("call", "text", "code"),
    [
        (normalize_phone, "ring mig", "phone_unparsable"),
        (normalize_phone, "+46 12", "phone_invalid"),
        (normalize_personnummer, "1990-01-01", "personnummer_form"),
        (normalize_personnummer, "19900101-0000", "personnummer_check_digit"),
        (normalize_personnummer, "19901341-0007", "personnummer_birth_date"),
    ],
)
def test_a_refused_phone_or_personnummer_is_a_coded_rent_error(call, text, code):
    """Pages and the import show `message` by code (rent.errors), never the English text."""
    with pytest.raises(RentError) as refused:
        call(text)
    assert (refused.value.code, refused.value.params) == (code, {"text": text})
    assert repr(text) in str(refused.value)
