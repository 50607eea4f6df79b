"""The month saves itself when it can (`manage.py save_coming_month`, daily by a timer).

On RENT_AUTOSAVE_DAY of each month, the config month whose rent is due next (on the 27th) is
saved through the same service as the admin's "Spara" (rent.ledger.finalize.finalize_month), when
its bills are complete and nothing needs a decision. Otherwise the treasurer gets an email
that says what is missing, in the service's own words: the electricity not entered (only an
estimate), a new amount for someone who has already paid, a negative rent, no tenants. A month
that already has a saved version is left as it is (the treasurer saved it; the admin shows
what changed since).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from rent.engine.months import add_months, config_month_due_next
from rent.engine.occupancy import UnknownRoommateError
from rent.engine.split import RentInputError
from rent.ledger.finalize import FinalizeError, PaidChangesError, finalize_month
from rent.ledger.month_rent import current_calculation

SAVED_BY = "save_coming_month"


@dataclass
class AutosaveOutcome:
    config_month: date
    saved_version: int | None = None
    already_saved: bool = False
    missing: list[str] = field(default_factory=list)
    told: list[str] = field(default_factory=list)  # the treasurers' addresses emailed


def save_coming_month(*, today: date, dry_run: bool = False) -> AutosaveOutcome:
    """Save the coming month, or tell the treasurer what stops it. Atomic per attempt: a
    refused save writes nothing (finalize_month's transaction)."""
    config_month = config_month_due_next(today)
    outcome = AutosaveOutcome(config_month=config_month)
    current = current_calculation(config_month)
    if current is not None:
        outcome.already_saved, outcome.saved_version = True, current.version
        return outcome
    with translation.override(settings.LANGUAGE_CODE):
        if dry_run:
            outcome.missing = _what_stops(config_month)
            return outcome
        try:
            result = finalize_month(
                config_month=config_month,
                title=gettext("Saved automatically"),
                saved_by=SAVED_BY,
            )
        except PaidChangesError as error:
            outcome.missing = [error.message]
        except (FinalizeError, RentInputError, UnknownRoommateError) as error:
            outcome.missing = [error.message]
        else:
            outcome.saved_version = result.calculation.version
            return outcome
        outcome.told = _tell_the_treasurer(config_month, outcome.missing, today)
    return outcome


def _what_stops(config_month: date) -> list[str]:
    """What a save would refuse, without saving (a dry run)."""
    from django.db import transaction

    class _Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            finalize_month(config_month=config_month, saved_by=SAVED_BY)
            raise _Rollback
    except _Rollback:
        return []
    except (FinalizeError, RentInputError, UnknownRoommateError) as error:
        return [error.message]


def _tell_the_treasurer(config_month: date, missing: list[str], today: date) -> list[str]:
    from household.roles import household_members, is_treasurer

    month = date_format(add_months(config_month, 1), "F Y")
    subject = gettext("The rent for %(month)s could not be saved automatically") % {"month": month}
    path = reverse("admin:rent_month_rent", args=[f"{config_month:%Y-%m}"])
    url = settings.SITE_URL.rstrip("/") + path
    body = "\n".join(
        [
            gettext("The rent for %(month)s was not saved, because:") % {"month": month},
            *(f"- {line}" for line in missing),
            "",
            gettext("Fix it and save the month here: %(url)s") % {"url": url},
            "",
            "Kimonokittens",
        ]
    )
    recipients = [
        user.email for user in household_members(on=today) if is_treasurer(user) and user.email
    ]
    if recipients:
        send_mail(subject, body, None, recipients)
    return recipients
