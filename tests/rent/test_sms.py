"""Rent reminders by SMS: the payday schedule, the 46elks client against a local server that
records the requests, opt-out, and never twice, over a simulated month."""

import base64
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from rent.models import SmsKind, SmsLog
from rent.reminders.sms import (
    ConsoleSms,
    FortySixElks,
    SmsError,
    payday,
    send_rent_sms,
    sms_backend,
    sms_kinds_for,
)
from tests.builders import make_ledger_row, make_payment, make_tenant
from tests.refusals import refused
from tests.sms_server import RecordingSmsServer

NOVEMBER = date(2025, 11, 1)  # the rent month due on 27 October 2025


@pytest.mark.parametrize(
    ("month", "day"),
    [
        (date(2025, 9, 1), date(2025, 9, 25)),  # a Thursday
        (date(2025, 10, 1), date(2025, 10, 24)),  # the 25th is a Saturday: Friday the 24th
        (date(2026, 1, 1), date(2026, 1, 23)),  # the 25th is a Sunday: Friday the 23rd
        (date(2025, 5, 1), date(2025, 5, 23)),  # the 25th is a Sunday
    ],
)
def test_payday_is_the_25th_or_the_weekday_before(month, day):
    assert payday(month) == day


def test_the_schedule_is_payday_and_the_due_day():
    assert sms_kinds_for(date(2025, 10, 24)) == [SmsKind.PAYDAY]
    assert sms_kinds_for(date(2025, 10, 25)) == []
    assert sms_kinds_for(date(2025, 10, 27)) == [SmsKind.DUE]
    assert sms_kinds_for(date(2025, 10, 28)) == []


def test_the_backend_comes_from_sms_url(settings):
    assert isinstance(sms_backend("console://"), ConsoleSms)
    elks = sms_backend("46elks://u1234:s%C3%A4kert@api.46elks.com")
    assert isinstance(elks, FortySixElks)
    assert elks.endpoint == "https://api.46elks.com/a1/sms"
    assert elks.authorization == "Basic " + base64.b64encode("u1234:säkert".encode()).decode()
    with refused(SmsError, "sms_url_credentials", "API_USERNAME:API_PASSWORD"):
        sms_backend("46elks://api.46elks.com")
    with refused(SmsError, "sms_url_unknown", "okänd sort 'twilio'") as raised:
        sms_backend("twilio://x:y@example.org")
    assert str(raised.value) == "SMS_URL: unknown kind 'twilio' (console:// or 46elks://...)"
    settings.SMS_URL = "console://"
    assert isinstance(sms_backend(), ConsoleSms)


def owing(name, phone="070-111 11 11", **fields):
    tenant = make_tenant(name, phone=phone, **fields)
    tenant.full_clean()  # the phone in E.164, as the admin stores it
    tenant.save()
    make_ledger_row(tenant, rent_month=NOVEMBER, amount_due=Decimal("7045"))
    return tenant


@pytest.fixture
def elks(settings):
    with RecordingSmsServer() as server:
        settings.SMS_URL = f"46elks+http://u1234:secret@127.0.0.1:{server.port}"
        settings.SMS_FROM = "Kimonokitt"
        settings.RENT_SWISH_NUMBER = "123 456 78 90"
        yield server


@pytest.mark.django_db
def test_one_sms_goes_to_46elks_as_its_api_documents(elks):
    owing("Adam Svensson", phone="070-111 11 11")
    outcome = send_rent_sms(today=date(2025, 10, 24))
    assert outcome.sent == [(SmsKind.PAYDAY, "Adam Svensson", "+46701111111")]
    [request] = elks.requests
    assert request["path"] == "/a1/sms"
    assert request["authorization"] == "Basic " + base64.b64encode(b"u1234:secret").decode()
    assert request["content_type"] == "application/x-www-form-urlencoded"
    fields = request["fields"]
    assert (fields["from"], fields["to"]) == ("Kimonokitt", "+46701111111")
    assert fields["message"].splitlines() == [
        "Hej Adam! Lön idag! Hyran för november ska vara betald senast 27/10: 7 045 kr.",
        "Märk betalningen KK2511ADAM.",
        "Swisha: https://app.swish.nu/1/p/sw/?sw=1234567890&amt=7045.00&cur=SEK&msg=KK2511ADAM&src=qr",
    ]
    log = SmsLog.objects.get()
    assert (log.phone, log.kind, log.rent_month, log.amount, log.provider_id) == (
        "+46701111111", SmsKind.PAYDAY, NOVEMBER, Decimal("7045"), "s1",
    )  # fmt: skip
    assert log.message == fields["message"]
    assert "\u00a0" not in fields["message"]  # plain spaces: the SMS alphabet (GSM 03.38)


@pytest.mark.django_db
def test_a_refused_send_logs_nothing_and_the_next_run_sends_it(elks):
    owing("Adam")
    elks.status = 401
    outcome = send_rent_sms(today=date(2025, 10, 27))
    assert outcome.sent == [] and outcome.failed[0].startswith("Adam: 46elks answered 401")
    assert not SmsLog.objects.exists()
    elks.status = 200
    assert send_rent_sms(today=date(2025, 10, 27)).sent == [(SmsKind.DUE, "Adam", "+46701111111")]
    assert len(elks.requests) == 2 and SmsLog.objects.count() == 1


def test_what_46elks_refuses_is_named_by_a_code_and_said_in_english_for_the_report(elks):
    """The provider's refusals are coded (rent.errors): the report reads the English sentence
    (str), a page would read the message in its language."""
    backend = sms_backend()
    elks.status = 401
    with refused(SmsError, "sms_refused", "46elks svarade 401 för \\+46701111111") as raised:
        backend.send(to="+46701111111", message="Hej")
    assert raised.value.params == {
        "status": 401,
        "to": "+46701111111",
        "detail": "API access requires Basic HTTP authentication",
    }
    assert str(raised.value).startswith("46elks answered 401 for +46701111111: API access")
    elks.status, elks.answer = 200, b"<html>maintenance</html>"
    with refused(SmsError, "sms_not_json", "något annat än JSON") as raised:
        backend.send(to="+46701111111", message="Hej")
    assert raised.value.params == {"body": "<html>maintenance</html>"}
    with RecordingSmsServer() as server:
        port = server.port  # closed when the block ends: nothing listens there any more
    with refused(SmsError, "sms_unreachable", "gick inte att nå"):
        sms_backend(f"46elks+http://u:p@127.0.0.1:{port}").send(to="+46701111111", message="Hej")


@pytest.mark.django_db
def test_an_unreachable_provider_is_said_in_words_by_the_command(settings):
    owing("Adam")
    with RecordingSmsServer() as server:
        port = server.port  # closed when the block ends: nothing listens there any more
    settings.SMS_URL = f"46elks+http://u:p@127.0.0.1:{port}"
    with pytest.raises(CommandError, match="1 SMS failed"):
        call_command("send_rent_sms", "--date", "2025-10-27", stdout=StringIO(), stderr=StringIO())
    assert not SmsLog.objects.exists()


@pytest.mark.django_db
def test_a_simulated_month_who_got_what_when_and_nothing_twice(elks):
    """October 2025: payday is Friday the 24th (the 25th is a Saturday), the due day the 27th."""
    owing("Adam")  # never pays
    eva = owing("Eva", phone="+46 70 222 22 22")  # pays on the 25th, after payday's SMS
    owing("Bea", sms_reminders=False)  # turned SMS off
    owing("Dan", phone="")  # no phone
    owing("Fia", phone="08-123 456 78")  # a landline takes no SMS
    paid = owing("Gus", phone="0703333333")
    make_payment(paid, "7045", paid_on=date(2025, 10, 1), for_month=NOVEMBER)  # paid early
    credit = owing("Hel", phone="0704444444")
    make_payment(credit, "7045", paid_on=date(2025, 9, 1))  # credit from before
    late = owing("Ivo", phone="0705555555")  # October is still unpaid too: one amount for both
    make_ledger_row(late, rent_month=date(2025, 10, 1), amount_due=Decimal("7045"))
    day, got = date(2025, 10, 1), []
    while day.month == 10:
        if day == date(2025, 10, 25):
            make_payment(eva, "7045", paid_on=day, for_month=NOVEMBER)
        for _round in range(2):  # the timer's run and a retry: the retry sends nothing
            got += [(day.day, kind, name) for kind, name, _phone in send_rent_sms(today=day).sent]
        day += timedelta(days=1)
    assert got == [
        (24, SmsKind.PAYDAY, "Adam"),
        (24, SmsKind.PAYDAY, "Eva"),
        (24, SmsKind.PAYDAY, "Ivo"),
        (27, SmsKind.DUE, "Adam"),
        (27, SmsKind.DUE, "Ivo"),
    ]
    assert [r["fields"]["to"] for r in elks.requests] == [
        "+46701111111", "+46702222222", "+46705555555", "+46701111111", "+46705555555",
    ]  # fmt: skip
    assert SmsLog.objects.count() == 5
    # The email reminders' one amount: Ivo's balance through November, with November's code.
    ivo = SmsLog.objects.filter(tenant=late)
    assert {log.amount for log in ivo} == {Decimal("14090")}
    assert all(
        "Hyran för oktober-november ska vara betald senast 27/10: 14 090 kr." in log.message
        and "KK2511IVO" in log.message
        for log in ivo
    )
    print("\nday  kind    to                       amount")
    for log in SmsLog.objects.order_by("sent_on", "kind", "phone"):
        print(f"{log.sent_on}  {log.kind:<7} {log.tenant.name:<5} {log.phone}  {log.amount} kr")


@pytest.mark.django_db
def test_the_dry_run_lists_and_sends_nothing(elks):
    owing("Adam")
    out = StringIO()
    call_command("send_rent_sms", "--date", "2025-10-24", "--dry-run", stdout=out)
    assert "2025-10-24: would send payday to Adam (+46701111111)" in out.getvalue()
    assert elks.requests == [] and not SmsLog.objects.exists()
