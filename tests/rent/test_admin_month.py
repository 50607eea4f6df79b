"""The two month pages of the admin: "Månadens kostnader" and "Månadens hyra".

The saved version is what the page opens on; values are bound to people (tenant ids), never
to positions; a page opened before something changed saves nothing; money is typed the
Swedish way; errors are plain Swedish, and nothing is shown to copy while input is wrong.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from rent.engine.config import CONFIG_KEYS
from rent.engine.split import split_rent
from rent.formatting import format_kronor
from rent.ledger.finalize import finalize_month
from rent.ledger.inputs import effective_config
from rent.ledger.month_rent import rounding_notes
from rent.ledger.payments import record_payment
from rent.models import RentCalculation, RentConfig, RentLedger
from tests.admin_helpers import MONTH, C, R, client_for, messages_of
from tests.builders import make_ledger_row, make_tenant, set_config
from tests.page_text import visible_text

# The household, the treasurer and a member (tests/admin_helpers.py).
pytest_plugins = ["tests.admin_helpers"]

pytestmark = pytest.mark.django_db


def costs_url(month=MONTH):
    return reverse("admin:rent_month_costs", kwargs={"month": month})


def rent_url(month=MONTH):
    return reverse("admin:rent_month_rent", kwargs={"month": month})


def costs_data(**values):
    config = effective_config(C)
    data = {key: str(config.values[key]) for key in CONFIG_KEYS}
    data.update({key: str(value) for key, value in values.items()})
    return data


def rent_form_data(response, **changes):
    """The form as the page shows it, with `changes` (field name → value) applied."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else str(value)
    data.update(changes)
    return data


def days_field(tenant):
    return f"days_{tenant.pk}"


def adjustment_field(tenant):
    return f"adjustment_{tenant.pk}"


def shown_days(response) -> dict[str, str]:
    return {row["resident"].name: row["days"].value() for row in response.context["rows"]}


# Which month opens, and how months are named ------------------------------------------------


def test_the_index_links_the_month_pages_and_the_balances(client, treasurer):
    client_for(client, treasurer)
    page = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:rent_month_costs") in page
    assert reverse("admin:rent_month_rent") in page
    assert reverse("admin:rent_balances") in page


@pytest.mark.parametrize(
    ("today", "month"),
    [
        (date(2026, 11, 1), "2026-11"),
        (date(2026, 11, 27), "2026-11"),  # due today: still this month's
        (date(2026, 11, 28), "2026-12"),
        (date(2026, 11, 30), "2026-12"),  # the rent for January is due next
        (date(2026, 12, 30), "2027-01"),
    ],
)
def test_a_month_page_without_a_month_opens_the_month_due_next(
    client, treasurer, monkeypatch, today, month
):
    monkeypatch.setattr(timezone, "localdate", lambda: today)
    client_for(client, treasurer)
    for name in ("admin:rent_month_costs", "admin:rent_month_rent"):
        response = client.get(reverse(name))
        assert response["Location"] == reverse(name, kwargs={"month": month})
    picked = client.get(reverse("admin:rent_month_rent") + "?month=2024-10")
    assert picked["Location"] == reverse("admin:rent_month_rent", kwargs={"month": "2024-10"})


def test_headings_use_swedish_month_names(client, household, treasurer):
    client_for(client, treasurer)
    page = client.get(rent_url()).content.decode()
    assert "Månadens hyra: hyran för oktober 2025" in page
    assert "hyran för oktober 2025, betalas senast 27 september" in page
    assert "2025-09</" not in page and "27:e" not in page
    costs = client.get(costs_url()).content.decode()
    assert "Månadens kostnader: hyran för oktober 2025" in costs


def test_a_banner_names_an_earlier_due_month_that_was_never_saved(
    client, household, treasurer, monkeypatch
):
    finalize_month(config_month=date(2025, 9, 1))
    monkeypatch.setattr(timezone, "localdate", lambda: date(2025, 11, 30))
    client_for(client, treasurer)
    response = client.get(rent_url("2025-12"))
    banner = response.content.decode()
    # October's and November's config months (the rent for November and December) are due
    # and were never saved.
    assert "Hyran för november 2025 (betalas senast 27 oktober) har aldrig sparats." in banner
    assert "Hyran för december 2025 (betalas senast 27 november) har aldrig sparats." in banner
    assert rent_url("2025-11") in banner and rent_url("2025-10") in banner
    finalize_month(config_month=date(2025, 10, 1), force=True)
    finalize_month(config_month=date(2025, 11, 1), force=True)
    assert "har aldrig sparats" not in client.get(rent_url("2025-12")).content.decode()


BAD_MONTHS = ["0001-01", "9999-12", "2025-13", "2025-00", "garbage", "2025-1x", "-1-01"]


@pytest.mark.parametrize("month", BAD_MONTHS)
def test_bad_months_in_urls_are_404_never_500(client, household, treasurer, month):
    client_for(client, treasurer)
    for url in (costs_url(month), rent_url(month)):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"save": "1"}).status_code == 404, url
    picker = client.get(reverse("admin:rent_month_rent") + f"?month={month}")
    assert picker.status_code == 404


@pytest.mark.parametrize("month", BAD_MONTHS)
@pytest.mark.parametrize("command", ["calculate_rent", "finalize_rent"])
def test_bad_months_in_commands_are_a_clear_error(household, command, month):
    with pytest.raises(CommandError, match="not a month"):
        call_command(command, f"--month={month}")


@pytest.mark.parametrize("month", ["1900-01", "2999-12"])
def test_the_first_and_last_supported_months_open(client, household, treasurer, month):
    client_for(client, treasurer)
    assert client.get(costs_url(month)).status_code == 200
    assert client.get(rent_url(month)).status_code == 200


# The month's costs ---------------------------------------------------------------------------


def test_the_costs_page_prefills_every_key_with_its_value_and_source(client, treasurer):
    set_config("kallhyra", 25000, date(2025, 1, 1))
    set_config("el", 2000, date(2024, 10, 1))  # a year before October: the projection
    set_config("gas", 550, C)
    client_for(client, treasurer)
    response = client.get(costs_url("2025-10"))
    rows = {
        field.name: (field.value(), source.label)
        for field, source in response.context["form"].rows()
    }
    assert rows["kallhyra"] == (Decimal("25000"), "från 2025-01")
    assert rows["bredband"] == (Decimal("400"), "standardvärde")
    assert rows["el"] == (Decimal("2000"), "uppskattad från 2024-10")
    assert rows["gas"] == (Decimal("0"), "standardvärde")
    page = response.content.decode()
    assert 'name="kallhyra" value="25 000,00"' in page
    assert 'inputmode="decimal"' in page and 'type="number"' not in page


def test_saving_the_costs_twice_makes_no_duplicates(client, treasurer):
    client_for(client, treasurer)
    data = costs_data(el="2 424,50", gas="550", kallhyra="24530")
    assert client.post(costs_url(), data).status_code == 302
    rows = dict(RentConfig.objects.filter(period=C).values_list("key", "value"))
    # Only what differs from what the month would use anyway is stored.
    assert rows == {"el": Decimal("2424.50"), "gas": Decimal("550")}
    response = client.post(costs_url(), costs_data())
    assert response.status_code == 302
    assert RentConfig.objects.filter(period=C).count() == 2
    assert messages_of(response)[-1] == "Inget ändrades."


def test_saving_the_costs_updates_and_removes_this_months_rows(client, treasurer):
    set_config("el", 2000, C)
    set_config("kallhyra", 24000, C)
    client_for(client, treasurer)
    client.post(costs_url(), costs_data(el="2100", kallhyra=""))
    rows = dict(RentConfig.objects.filter(period=C).values_list("key", "value"))
    assert rows == {"el": Decimal("2100")}
    assert RentConfig.objects.get(key="el", period=C).history.first().history_user == treasurer


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("3312", Decimal("3312")),
        ("3312,00", Decimal("3312")),
        ("3 312,50", Decimal("3312.50")),
        ("3312.50", Decimal("3312.50")),
        ("3 312 kr", Decimal("3312")),
        ("3\u00a0312,5", Decimal("3312.50")),
    ],
)
def test_the_costs_page_accepts_money_typed_the_swedish_way(client, treasurer, typed, stored):
    client_for(client, treasurer)
    assert client.post(costs_url(), costs_data(el=typed)).status_code == 302
    assert RentConfig.objects.get(key="el", period=C).value == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("two thousand", "el: skriv ett belopp i kronor"),
        ("1.234", "el: högst två decimaler"),
        ("3312,005", "el: högst två decimaler"),
        ("1.234,50", "el: skriv ett belopp i kronor"),
        ("33 12", "el: skriv ett belopp i kronor"),
        ("1e30", "el: skriv ett belopp i kronor"),
        ("9999999999999", "el: för stort"),
        ("-5", "el: får inte vara negativt"),
    ],
)
def test_the_costs_page_refuses_bad_money_with_a_message_naming_the_field(
    client, treasurer, typed, message
):
    client_for(client, treasurer)
    response = client.post(costs_url(), costs_data(el=typed))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"el"}
    assert form.errors["el"][0].startswith(message), form.errors["el"]
    page = response.content.decode()
    assert "Rätta felen nedan." in page
    assert 'aria-invalid="true"' in page
    assert not RentConfig.objects.exists()


@pytest.mark.parametrize("key", ["kallhyra", "bredband", "vattenavgift", "va", "larm", "gas"])
def test_bills_and_fees_refuse_negatives(client, treasurer, key):
    client_for(client, treasurer)
    response = client.post(costs_url(), costs_data(**{key: "-100"}))
    assert set(response.context["form"].errors) == {key}
    assert not RentConfig.objects.exists()


@pytest.mark.parametrize("key", ["saldo_innan", "extra_in"])
def test_the_previous_balance_and_extra_income_may_be_negative(client, treasurer, key):
    client_for(client, treasurer)
    assert client.post(costs_url(), costs_data(**{key: "-1 250,50"})).status_code == 302
    assert RentConfig.objects.get(key=key, period=C).value == Decimal("-1250.50")


# The month's rent: what it shows -------------------------------------------------------------


def test_the_rent_page_shows_the_split_sources_and_message(client, household, treasurer):
    client_for(client, treasurer)
    response = client.get(rent_url())
    assert response.status_code == 200
    breakdown = response.context["breakdown"]
    assert list(breakdown.split.rents) == ["Adam", "Bea", "Cissi"]
    page = response.content.decode()
    assert "denna månad" in page and "standardvärde" in page
    assert "*Hyran för oktober 2025* ska betalas innan 27 sep" in page
    assert 'id="copy-message"' in page and 'id="save-month"' in page
    assert "Månadens hyra har inte sparats än" in page
    assert shown_days(response) == {"Adam": "31", "Bea": "31", "Cissi": "22"}


def test_the_page_explains_in_plain_words(client, household, treasurer):
    set_config("drift_rakning", 2612, C)
    client_for(client, treasurer)
    page = client.get(rent_url()).content.decode()
    lowered = page.lower()
    assert "vikt" not in lowered and "debiteras" not in lowered
    assert page.count('id="total"') == 1
    # The quarterly invoice replaces the three monthly fees: each shown once, struck out.
    assert page.count("ersatt denna månad av kvartalsfakturan") == 3
    assert "Avrundat till hela kronor." in page
    assert reverse("handbook:page", args=["hur-hyran-raknas"]) in page


def test_the_rounding_is_explained_per_person():
    split = split_rent(
        {"Alva": {}, "Bo": {}, "Cy": {}},
        {"kallhyra": 100, "bredband": 0, "vattenavgift": 0, "va": 0, "larm": 0},
    )
    # 100 / 3 = 33.33 each: one krona is added to the first so the total adds up; the
    # spread (1 kr) is under 10 kr, so everyone pays the highest.
    assert rounding_notes(split) == [
        "Beloppen skilde sig med mindre än 10 kr, så alla betalar det högsta (34 kr)."
    ]
    split = split_rent(
        {"Alva": {"room_adjustment": 50}, "Bo": {}, "Cy": {}},
        {"kallhyra": 1000, "bredband": 0, "vattenavgift": 0, "va": 0, "larm": 0},
    )
    # 366.67 + 316.67 + 316.67 round to 1001: the largest decimal part gives a krona back.
    assert split.rents == {"Alva": 366, "Bo": 317, "Cy": 317}
    assert rounding_notes(split) == ["Alva betalar 1 kr mindre så att summan stämmer."]


# The month's rent: the saved version ---------------------------------------------------------


def test_reopening_shows_the_saved_days_and_saving_again_makes_no_version(
    client, household, treasurer
):
    client_for(client, treasurer)
    adam = household["adam"]
    page = client.get(rent_url())
    saved = client.post(rent_url(), rent_form_data(page, **{days_field(adam): "15", "save": "1"}))
    version = saved.context["result"].calculation
    assert version.inputs["overrides"] == {"Adam": {"days": 15}}
    ledger_before = dict(
        RentLedger.objects.filter(rent_month=R).values_list("tenant__name", "amount_due")
    )

    reopened = client.get(rent_url())
    assert shown_days(reopened)["Adam"] == "15"
    assert reopened.context["comparison"].differs is False
    html = reopened.content.decode()
    assert "Sparad version 1" in html and "av kassor" in html
    assert "Adam: " in reopened.context["breakdown"].message
    assert "15 dagars boende" in reopened.context["breakdown"].message
    rents = [row["share"].amount for row in reopened.context["rows"]]
    assert rents == [int(amount) for amount in version.ordered_results().values()]

    again = client.post(rent_url(), rent_form_data(reopened, save="1"))
    assert again.status_code == 302
    assert messages_of(again) == ["Inget har ändrats: version 1 gäller fortfarande."]
    assert RentCalculation.objects.filter(config_month=C).count() == 1
    assert (
        dict(RentLedger.objects.filter(rent_month=R).values_list("tenant__name", "amount_due"))
        == ledger_before
    )


def test_the_page_says_what_changed_since_the_saved_version(client, household, treasurer):
    finalize_month(config_month=C, saved_by=treasurer)
    set_config("el", 3000, C)
    adam = household["adam"]
    adam.departure_date = date(2025, 10, 15)
    adam.save()
    client_for(client, treasurer)
    response = client.get(rent_url())
    comparison = response.context["comparison"]
    assert comparison.changes == ["el 2 424 → 3 000 kr", "Adam flyttar ut 15/10"]
    page = response.content.decode()
    assert "el 2 424 → 3 000 kr; Adam flyttar ut 15/10" in page
    saved = RentCalculation.objects.get(config_month=C).ordered_results()
    rows = {row["resident"].name: row for row in response.context["rows"]}
    assert rows["Adam"]["saved"] == saved["Adam"]
    assert rows["Adam"]["share"].amount != saved["Adam"]
    assert page.count('class="amount saved-amount"') == 3


def test_saving_a_change_after_someone_paid_asks_to_confirm(client, household, treasurer):
    finalize_month(config_month=C, saved_by=treasurer)
    adam_row = RentLedger.objects.get(rent_month=R, tenant=household["adam"])

    record_payment(tenant=household["adam"], amount=adam_row.amount_due, paid_on=C, for_month=R)
    set_config("el", 3000, C)
    client_for(client, treasurer)
    page = client.get(rent_url())
    asked = client.post(rent_url(), rent_form_data(page, save="1"))
    changes = asked.context["paid_changes"]
    assert [change.name for change in changes] == ["Adam"]
    new_amount = page.context["breakdown"].split.rents["Adam"]
    assert changes[0].paid == adam_row.amount_due
    assert changes[0].new_amount == new_amount
    assert changes[0].difference == new_amount - adam_row.amount_due
    html = asked.content.decode()
    assert 'id="confirm-paid"' in html and 'name="confirm_paid"' in html
    assert format_kronor(adam_row.amount_due) in html and format_kronor(new_amount) in html
    assert RentCalculation.objects.filter(config_month=C).count() == 1

    confirmed = client.post(rent_url(), rent_form_data(page, save="1", confirm_paid="1"))
    assert confirmed.context["result"].calculation.version == 2
    adam_row.refresh_from_db()
    assert adam_row.amount_due == new_amount


# The month's rent: values bound to people ----------------------------------------------------


def test_a_tenant_added_between_opening_and_saving_saves_nothing(client, household, treasurer):
    """Bea gets 10 days; meanwhile "Aaron" is added (he sorts first). Nothing may be saved,
    and never Adam with Bea's 10 days."""
    client_for(client, treasurer)
    page = client.get(rent_url())
    data = rent_form_data(page, **{days_field(household["bea"]): "10", "save": "1"})
    make_tenant("Aaron")
    response = client.post(rent_url(), data)
    assert response.status_code == 302
    assert "Något har ändrats sedan du öppnade sidan" in messages_of(response)[0]
    assert not RentCalculation.objects.exists()
    assert not RentLedger.objects.exists()
    # Opened again, the form knows Aaron; Bea's 10 days stay Bea's.
    page = client.get(rent_url())
    data = rent_form_data(page, **{days_field(household["bea"]): "10", "save": "1"})
    client.post(rent_url(), data)
    days = dict(RentLedger.objects.filter(rent_month=R).values_list("tenant__name", "days_stayed"))
    assert days == {
        "Aaron": Decimal("31"),
        "Adam": Decimal("31"),
        "Bea": Decimal("10"),
        "Cissi": Decimal("22"),
    }


def test_a_bill_changed_between_opening_and_saving_saves_nothing(client, household, treasurer):
    client_for(client, treasurer)
    page = client.get(rent_url())
    set_config("el", 2600, C)
    response = client.post(rent_url(), rent_form_data(page, save="1"))
    assert response.status_code == 302
    assert not RentCalculation.objects.exists()
    assert "Något har ändrats" in messages_of(response)[0]


def test_a_version_saved_elsewhere_in_between_makes_the_page_reload(client, household, treasurer):
    client_for(client, treasurer)
    page = client.get(rent_url())
    finalize_month(config_month=C)
    response = client.post(rent_url(), rent_form_data(page, save="1", title="x"))
    assert response.status_code == 302
    assert RentCalculation.objects.get(config_month=C).title == ""


def test_overrides_apply_to_this_month_only(client, household, treasurer):
    client_for(client, treasurer)
    bea, cissi = household["bea"], household["cissi"]
    page = client.get(rent_url())
    changes = {days_field(cissi): "15,5", adjustment_field(bea): "0"}
    preview = client.post(rent_url(), rent_form_data(page, **changes))
    assert preview.context["overrides"] == {
        "Bea": {"room_adjustment": Decimal("0")},
        "Cissi": {"days": Decimal("15.5")},
    }
    assert not RentCalculation.objects.exists()
    saved = client.post(rent_url(), rent_form_data(page, **{days_field(cissi): "15,5"}, save="1"))
    calculation = saved.context["result"].calculation
    assert calculation.inputs["roommates"]["Cissi"]["days"] == 15.5
    assert RentLedger.objects.get(rent_month=R, tenant__name="Cissi").days_stayed == Decimal("15.5")
    cissi.refresh_from_db()
    assert cissi.start_date == date(2025, 10, 10)


# The month's rent: errors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("40", "Adam: mellan 1 och 31 dagar (månaden har 31)."),
        ("0", "Adam: mellan 1 och 31 dagar (månaden har 31)."),
        ("-3", "Adam: mellan 1 och 31 dagar (månaden har 31)."),
        ("tre", "Dagar för Adam: skriv ett antal dagar, t.ex. 31 eller 15,5."),
    ],
)
def test_impossible_days_are_a_field_error_and_nothing_is_shown_to_copy(
    client, household, treasurer, days, message
):
    client_for(client, treasurer)
    page = client.get(rent_url())
    response = client.post(
        rent_url(), rent_form_data(page, **{days_field(household["adam"]): days}, save="1")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Rätta felen nedan." in html and 'aria-invalid="true"' in html
    assert response.context["breakdown"] is None
    assert 'id="rent-message"' not in html and 'id="copy-message"' not in html
    assert "Invalid days" not in html
    assert not RentCalculation.objects.exists()


@pytest.mark.parametrize("typed", ["1e30", "9999999999999", "-9999999999999", "1,234,5"])
def test_an_impossible_room_adjustment_is_a_form_error_not_a_500(
    client, household, treasurer, typed
):
    client_for(client, treasurer)
    page = client.get(rent_url())
    response = client.post(
        rent_url(), rent_form_data(page, **{adjustment_field(household["bea"]): typed}, save="1")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors[adjustment_field(household["bea"])]
    assert errors[0].startswith("Rumsjustering för Bea:")
    assert not RentCalculation.objects.exists()


def test_a_title_over_200_characters_is_an_error_on_the_page(client, household, treasurer):
    client_for(client, treasurer)
    page = client.get(rent_url())
    response = client.post(rent_url(), rent_form_data(page, title="x" * 201, save="1"))
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert "Rätta felen nedan." in response.content.decode()
    assert not RentCalculation.objects.exists()


def test_a_month_with_projected_electricity_asks_for_confirmation(client, household, treasurer):
    RentConfig.objects.filter(key="el").delete()
    set_config("el", 1800, date(2024, 9, 1))
    client_for(client, treasurer)
    page = client.get(rent_url())
    assert "uppskattad" in page.content.decode()
    asked = client.post(rent_url(), rent_form_data(page, save="1"))
    assert asked.status_code == 200
    assert asked.context["confirm_projected"]
    html = asked.content.decode()
    assert 'name="force"' in html and "--force" not in html and "force (" not in html
    assert not RentCalculation.objects.exists()
    confirmed = client.post(rent_url(), rent_form_data(page, save="1", force="1"))
    assert confirmed.context["result"].calculation.version == 1


def test_a_missing_electricity_bill_is_shown_missing_never_as_zero(client, household, treasurer):
    RentConfig.objects.filter(key="el").delete()
    client_for(client, treasurer)
    response = client.get(costs_url())
    page = response.content.decode()
    assert 'name="el" value=' not in page and 'placeholder="saknas"' in page
    assert 'data-source="missing"' in page and "uppskattad" not in page
    shown = {field.name: field.value() for field, _source in response.context["form"].rows()}
    assert shown["el"] is None
    untouched = {name: "" if value is None else str(value) for name, value in shown.items()}
    client.post(costs_url(), untouched)  # saved without looking: no bill invented
    assert not RentConfig.objects.filter(key="el").exists()
    # Saving the month charges no electricity only after the explicit choice.
    rent_page = client.get(rent_url())
    asked = client.post(rent_url(), rent_form_data(rent_page, save="1"))
    assert asked.context["confirm_projected"] and "saknas" in asked.context["confirm_projected"]
    assert not RentCalculation.objects.exists()
    # A 0 typed on purpose is the bill.
    client.post(costs_url(), {**untouched, "el": "0"})
    assert RentConfig.objects.get(key="el", period=C).value == 0


def test_a_member_sees_the_saved_month_without_inputs(client, household, member):
    finalize_month(config_month=C)
    client_for(client, member)
    response = client.get(rent_url())
    html = response.content.decode()
    assert 'id="save-month"' not in html and '<input type="text"' not in html
    assert "Sparad version 1" in html


def test_the_month_form_is_kept_per_right_to_save_and_shows_a_write_at_once(
    client, household, treasurer, member
):
    """The unbound form is rendered once per data version, day, language, address and right
    to save (month_rent.html): the member never gets the treasurer's inputs from the cache, a
    bill entered shows at the next reading, and each reader's form has their own CSRF token."""
    client_for(client, treasurer)
    first = client.get(rent_url())
    assert '<input type="text"' in first.content.decode()
    again = client.get(rent_url()).content.decode()
    form = again[again.index('id="month-rent-form"') :]
    assert form.index('name="csrfmiddlewaretoken"') < form.index("</form>")
    client_for(client, member)
    assert '<input type="text"' not in client.get(rent_url()).content.decode()

    client_for(client, treasurer)
    before = visible_text(client.get(rent_url()).content.decode())
    set_config("el", "9999", C)
    after = visible_text(client.get(rent_url()).content.decode())
    assert after != before and "9 999 kr" in after


def test_the_month_page_shows_each_persons_balance_from_the_ledger(client, household, treasurer):
    make_ledger_row(household["adam"], C, amount_due=Decimal("6140"), amount_paid=Decimal("6846"))
    make_ledger_row(household["bea"], C, amount_due=Decimal("5000"), amount_paid=Decimal("1000"))
    client_for(client, treasurer)
    response = client.get(rent_url())
    balances = {row["resident"].name: row["balance"] for row in response.context["rows"]}
    assert balances == {"Adam": Decimal("-706"), "Bea": Decimal("4000"), "Cissi": Decimal("0")}
    html = response.content.decode()
    text = visible_text(html)
    assert "saldo 706 kr tillgodo" in text and "saldo 4 000 kr" in text


def test_the_message_shows_each_roommates_reference_code(client, household, treasurer):
    client_for(client, treasurer)
    html = client.get(rent_url()).content.decode()
    assert 'id="references"' in html
    assert "Adam <strong>KK2510ADAM</strong>" in html and "KK2510BEA" in html
