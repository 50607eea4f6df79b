"""Errors in plain Swedish: every constraint has a message about the person's data, no page
shows a constraint's name, the rent engine's refusals are translated, and a refused request
is a Swedish page in the admin's look."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from rent.models import CoOwnedItem, RentConfig, RentLedger, Tenant
from tests.admin_helpers import MONTH, C, R, client_for, make_member, tenant_form
from tests.builders import make_ledger_row, make_tenant, set_config

# The household, the treasurer and a member (tests/admin_helpers.py).
pytest_plugins = ["tests.admin_helpers"]

pytestmark = pytest.mark.django_db


def all_constraints():
    for model in apps.get_app_config("rent").get_models():
        for constraint in model._meta.constraints:
            yield model, constraint


def constraint_names() -> list[str]:
    return [constraint.name for _model, constraint in all_constraints()]


@pytest.mark.parametrize(
    ("model", "constraint"), list(all_constraints()), ids=lambda value: getattr(value, "name", "")
)
def test_every_constraint_has_its_own_swedish_message(model, constraint):
    message = constraint.violation_error_message
    assert message != constraint.default_violation_error_message, constraint.name
    with translation.override("en"):
        english = str(message)
    with translation.override("sv"):
        swedish = str(message)
    assert swedish != english, constraint.name
    assert constraint.name not in swedish


def post_admin(client, model_name, data, pk=None):
    if pk is None:
        url = reverse(f"admin:rent_{model_name}_add")
    else:
        url = reverse(f"admin:rent_{model_name}_change", args=[pk])
    return client.post(url, {**data, "_save": "Spara"})


def assert_refused_in_swedish(response, message):
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    for name in constraint_names():
        assert name not in html, name
    assert "överträds" not in html


def test_a_second_tenant_with_the_same_name_is_refused_in_words(client, household, treasurer):
    client_for(client, treasurer)
    response = post_admin(client, "tenant", tenant_form(name="ADAM"))
    assert_refused_in_swedish(response, "En annan hyresgäst har redan det här namnet")
    assert Tenant.objects.filter(name__iexact="adam").count() == 1


def test_a_second_tenant_with_the_same_email_is_refused_in_words(client, household, treasurer):
    client_for(client, treasurer)
    response = post_admin(client, "tenant", tenant_form(name="Ada", email="ADAM@example.com"))
    assert_refused_in_swedish(response, "En annan hyresgäst har redan den här e-postadressen.")


def test_moving_out_before_moving_in_is_refused_in_words(client, household, treasurer):
    client_for(client, treasurer)
    data = tenant_form(name="Dora", start_date="2025-10-10", departure_date="2025-10-01")
    response = post_admin(client, "tenant", data)
    assert_refused_in_swedish(
        response, "Utflyttningsdagen måste vara samma dag som eller efter inflyttningsdagen."
    )


def test_a_second_config_row_for_the_same_month_is_refused_in_words(client, household, treasurer):
    client_for(client, treasurer)
    response = post_admin(client, "rentconfig", {"key": "el", "value": "1", "period": "2025-09-01"})
    assert_refused_in_swedish(response, "Den här kostnaden har redan ett värde för den månaden")
    assert RentConfig.objects.filter(key="el", period=C).count() == 1


def test_a_config_month_not_on_the_first_is_refused_in_words(client, household, treasurer):
    client_for(client, treasurer)
    response = post_admin(
        client, "rentconfig", {"key": "gas", "value": "1", "period": "2025-09-15"}
    )
    assert_refused_in_swedish(response, "Räkningsmånaden måste vara den första dagen i en månad.")


LEDGER = {
    "amount_due": "100",
    "amount_paid": "0",
    "paid_on": "",
    "days_stayed": "",
    "room_adjustment": "",
    "calculation": "",
}


def test_a_second_ledger_row_for_the_same_month_is_refused_in_words(client, household, treasurer):
    make_ledger_row(household["adam"], R)
    client_for(client, treasurer)
    data = {**LEDGER, "tenant": household["adam"].pk, "rent_month": "2025-10-01"}
    response = post_admin(client, "rentledger", data)
    assert_refused_in_swedish(response, "Hyresgästen har redan en rad i reskontran för den månaden")
    assert RentLedger.objects.count() == 1


def test_a_ledger_month_not_on_the_first_is_refused_in_words(client, household, treasurer):
    client_for(client, treasurer)
    data = {**LEDGER, "tenant": household["adam"].pk, "rent_month": "2025-10-05"}
    response = post_admin(client, "rentledger", data)
    assert_refused_in_swedish(response, "Hyresmånaden måste vara den första dagen i en månad.")


def test_the_rent_engines_refusals_are_in_swedish_on_the_month_page(client, treasurer):
    client_for(client, treasurer)
    html = client.get(reverse("admin:rent_month_rent", kwargs={"month": MONTH})).content.decode()
    assert "Ingen bor här den hyresmånaden, så det finns inget att fördela." in html
    assert "No roommates provided" not in html


def test_an_impossible_bill_stored_earlier_is_explained_not_a_500(client, household, treasurer):
    RentConfig.objects.filter(key="el").update(value=Decimal("-5"))  # bypassing the forms
    client_for(client, treasurer)
    response = client.get(reverse("admin:rent_month_rent", kwargs={"month": MONTH}))
    assert response.status_code == 200
    assert "el får inte vara negativt." in response.content.decode()


def test_a_refused_request_is_a_swedish_page_in_the_admins_look(client, household):
    member = make_member(household)
    client_for(client, member)
    response = client.get(reverse("admin:rent_tenant_add"))
    assert response.status_code == 403
    html = response.content.decode()
    assert 'data-testid="forbidden"' in html and "Inte tillåtet" in html
    assert "Din inloggning får inte göra det här." in html
    assert 'id="site-name"' in html  # the admin's header
    assert "403 Forbidden" not in html


def test_item_and_tenant_money_errors_never_show_constraint_names(client, household, treasurer):
    make_tenant("Eva")
    set_config("gas", 1, date(2025, 8, 1))
    client_for(client, treasurer)
    response = client.post(
        reverse("admin:rent_coowneditem_add"),
        {
            "name": "Lampa",
            "value": "-1",
            "rent_coowneditem_owners-TOTAL_FORMS": "0",
            "rent_coowneditem_owners-INITIAL_FORMS": "0",
            "_save": "Spara",
        },
    )
    assert_refused_in_swedish(response, "Värde: får inte vara negativt.")
    assert not CoOwnedItem.objects.exists()
