"""Rent reminders by SMS, the second channel beside email (`manage.py send_rent_sms`, daily).

The schedule knows Swedish paydays: salaries come on the 25th, or the weekday before when the
25th falls on a Saturday or Sunday. On payday, and on the due day (the 27th), everyone who owes
something through the coming rent month gets one SMS with what they owe (the email reminders'
one amount: rent.reminders.emails.owing, their balance through that month), the reference code and a
Swish link that fills both in. A person who turned SMS
off, or has no mobile number, gets none. SmsLog holds each send, one per person, kind and rent
month: a second run, or a retry, sends nothing again; a send that fails leaves no log row.

The backend comes from SMS_URL, like EMAIL_URL: `console://` prints; `46elks://USER:PASSWORD@
api.46elks.com` posts to 46elks' documented API (POST /a1/sms, basic auth, form fields from,
to, message). `46elks+http://...` is the same over plain HTTP, for a local test server.
"""

from __future__ import annotations

import base64
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction

from rent.engine.months import DUE_DAY, add_months
from rent.engine.stays import is_mobile
from rent.errors import RentError
from rent.formatting import format_kronor
from rent.models import SmsKind, SmsLog, Tenant

PAYDAY = 25
TIMEOUT_SECONDS = 15


class SmsError(RentError):
    """The provider refused or could not be reached, or SMS_URL names none: a code
    (rent.errors), the English sentence in the command's report."""


class ConsoleSms:
    """Prints each message (the default: nothing leaves the machine)."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, *, to: str, message: str) -> str:
        self.stream.write(f"SMS to {to} from {settings.SMS_FROM}:\n{message}\n\n")
        return ""


class FortySixElks:
    """46elks' HTTP API: POST {base}/a1/sms with basic auth and the form fields from, to,
    message; the answer is JSON with the message's `id`."""

    def __init__(self, *, base_url: str, username: str, password: str):
        self.endpoint = base_url.rstrip("/") + "/a1/sms"
        credentials = f"{username}:{password}".encode()
        self.authorization = "Basic " + base64.b64encode(credentials).decode("ascii")

    def send(self, *, to: str, message: str) -> str:
        data = urllib.parse.urlencode({"from": settings.SMS_FROM, "to": to, "message": message})
        request = urllib.request.Request(
            self.endpoint,
            data=data.encode("utf-8"),
            method="POST",
            headers={
                "Authorization": self.authorization,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                body = response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace")[:200]
            raise SmsError("sms_refused", status=error.code, to=to, detail=detail) from None
        except (urllib.error.URLError, TimeoutError) as error:
            raise SmsError("sms_unreachable", reason=str(error)) from None
        try:
            return str(json.loads(body).get("id", ""))
        except (ValueError, AttributeError):
            raise SmsError("sms_not_json", body=body[:200]) from None


def sms_backend(url: str | None = None):
    """The backend SMS_URL names."""
    url = settings.SMS_URL if url is None else url
    # A URL's scheme may not start with a digit, so "46elks" is split off by hand.
    scheme, _, rest = url.partition("://")
    parts = urllib.parse.urlsplit("//" + rest)
    if scheme == "console":
        return ConsoleSms()
    if scheme in ("46elks", "46elks+http"):
        if not parts.username or not parts.password or not parts.hostname:
            raise SmsError("sms_url_credentials")
        protocol = "http" if scheme == "46elks+http" else "https"
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        return FortySixElks(
            base_url=f"{protocol}://{host}",
            username=urllib.parse.unquote(parts.username),
            password=urllib.parse.unquote(parts.password),
        )
    raise SmsError("sms_url_unknown", kind=scheme)


def payday(month: date) -> date:
    """The Swedish payday of `month`: the 25th, or the weekday before when it is a weekend."""
    day = month.replace(day=PAYDAY)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def sms_kinds_for(today: date) -> list[str]:
    kinds = []
    if today == payday(today):
        kinds.append(SmsKind.PAYDAY)
    if today.day == DUE_DAY:
        kinds.append(SmsKind.DUE)
    return kinds


def swish_link(*, amount: Decimal, message: str) -> str:
    """A link that opens Swish with the number, amount and message filled in."""
    number = "".join(c for c in settings.RENT_SWISH_NUMBER if c.isdigit())
    query = urllib.parse.urlencode(
        {"sw": number, "amt": f"{amount:.2f}", "cur": "SEK", "msg": message, "src": "qr"}
    )
    return f"https://app.swish.nu/1/p/sw/?{query}"


def sms_text(
    *, kind: str, name: str, amount: Decimal, reference: str, rent_month: date, earliest=None
) -> str:
    """The message (Swedish, the SMS alphabet). `earliest`: the oldest open month the amount
    covers, when it is earlier than `rent_month` (a month already late)."""
    first = name.split(" ")[0]
    due = add_months(rent_month, -1).replace(day=DUE_DAY)
    opening = "Lön idag!" if kind == SmsKind.PAYDAY else "Sista dagen idag!"
    months = _month_name(rent_month)
    if earliest is not None and earliest < rent_month:
        months = f"{_month_name(earliest)}-{months}"  # a hyphen: GSM 03.38 has no dash
    lines = [
        f"Hej {first}! {opening} Hyran för {months} ska vara betald "
        f"senast {due.day}/{due.month}: {_gsm(format_kronor(amount))}.",
        f"Märk betalningen {reference}.",
    ]
    if settings.RENT_SWISH_NUMBER:
        lines.append(f"Swisha: {swish_link(amount=amount, message=reference)}")
    return "\n".join(lines)


def _gsm(text: str) -> str:
    """Plain spaces: a no-break space is outside the SMS alphabet (GSM 03.38) and would make
    the message UCS-2, half as many characters per part."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december"]  # fmt: skip


def _month_name(month: date) -> str:
    return MONTHS[month.month - 1]


@dataclass
class SmsOutcome:
    sent: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, name, phone)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def send_rent_sms(*, today: date, dry_run: bool = False, backend=None) -> SmsOutcome:
    """Today's SMS reminders: once per person, kind and coming rent month.

    Who and how much come from the email reminders' selection (rent.reminders.emails.owing: each
    person's one balance through the coming month, its open months and their reference), so
    both channels always name the same amount.
    """
    from rent.reminders.emails import owing

    outcome = SmsOutcome()
    kinds = sms_kinds_for(today)
    if not kinds:
        return outcome
    backend = backend or (None if dry_run else sms_backend())
    rent_month = add_months(today.replace(day=1), 1)
    reminders = list(owing(through=rent_month).values())
    details = Tenant.objects.in_bulk([reminder.tenant.pk for reminder in reminders])
    for kind in kinds:
        done = set(
            SmsLog.objects.filter(kind=kind, rent_month=rent_month).values_list("tenant", flat=True)
        )
        for reminder in reminders:
            tenant = details[reminder.tenant.pk]
            if tenant.pk in done:
                continue
            if not tenant.sms_reminders:
                outcome.skipped.append(f"{tenant.name}: SMS off")
                continue
            if not is_mobile(tenant.phone):
                outcome.skipped.append(f"{tenant.name}: no mobile number")
                continue
            text = sms_text(kind=kind, name=tenant.name, amount=reminder.amount,
                            reference=reminder.reference, rent_month=rent_month,
                            earliest=reminder.months[0])  # fmt: skip
            if dry_run:
                outcome.sent.append((kind, tenant.name, tenant.phone))
                continue
            try:
                _send_once(backend, tenant, kind, rent_month, today, reminder.amount, text)
            except SmsError as error:
                outcome.failed.append(f"{tenant.name}: {error}")
                continue
            except IntegrityError:
                continue  # another run logged it first: it was sent there
            outcome.sent.append((kind, tenant.name, tenant.phone))
    return outcome


def _send_once(backend, tenant, kind, rent_month, today, amount, text) -> None:
    """The log row and the send go together: a send that fails leaves no row (next run tries
    again); the unique row makes a second run, or a concurrent one, send nothing."""
    with transaction.atomic():
        log = SmsLog.objects.create(
            tenant=tenant, phone=tenant.phone, kind=kind, rent_month=rent_month, sent_on=today,
            amount=amount, message=text,
        )  # fmt: skip
        log.provider_id = backend.send(to=tenant.phone, message=text)[:64]
        log.save(update_fields=["provider_id"])
