"""Who may do what in the admin: anonymous visitors go to the login, the treasurer changes,
a member reads every page but changes nothing; the roles come from a data migration."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from household import roles
from rent.models import (
    BankTransaction,
    BankTransactionStatus,
    CoOwnedItem,
    RentCalculation,
    RentConfig,
    RentLedger,
    Tenant,
)
from tests.admin_helpers import MONTH, C, R, client_for, make_member, view_urls
from tests.builders import make_item, make_ledger_row
from tests.migration_helpers import migrated
from tests.people import make_treasurer

# The household, the treasurer and a member (tests/admin_helpers.py).
pytest_plugins = ["tests.admin_helpers"]

pytestmark = pytest.mark.django_db


def snapshot():
    """Every rent row, to show that a refused request changed nothing."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Tenant, RentConfig, RentCalculation, RentLedger, CoOwnedItem)
    }


def change_requests(household):
    """(method, url, data) for every kind of change a member must not make."""
    adam = household["adam"]
    row = make_ledger_row(adam, date(2025, 11, 1))
    item = make_item("Dammsugare")
    config = RentConfig.objects.get(key="el", period=C)
    return [
        ("get", reverse("admin:rent_tenant_add"), {}),
        ("post", reverse("admin:rent_tenant_change", args=[adam.pk]), {"name": "X"}),
        ("post", reverse("admin:rent_tenant_delete", args=[adam.pk]), {"post": "yes"}),
        ("get", reverse("admin:rent_rentconfig_add"), {}),
        ("post", reverse("admin:rent_rentconfig_change", args=[config.pk]), {"value": "1"}),
        ("get", reverse("admin:rent_rentledger_add"), {}),
        ("post", reverse("admin:rent_rentledger_change", args=[row.pk]), {"amount_paid": "1"}),
        ("get", reverse("admin:rent_coowneditem_add"), {}),
        ("post", reverse("admin:rent_coowneditem_change", args=[item.pk]), {"name": "X"}),
        ("post", reverse("admin:rent_month_costs", kwargs={"month": MONTH}), {"el": "1"}),
        ("post", reverse("admin:rent_month_rent", kwargs={"month": MONTH}), {"save": "1"}),
        ("get", reverse("admin:rent_tenant_import"), {}),
        ("post", reverse("admin:rent_rentconfig_delete", args=[config.pk]), {"post": "yes"}),
        ("post", reverse("admin:rent_rentledger_delete", args=[row.pk]), {"post": "yes"}),
        ("post", reverse("admin:rent_coowneditem_delete", args=[item.pk]), {"post": "yes"}),
        ("get", reverse("admin:rent_rentcalculation_add"), {}),
        (
            "post",
            reverse("admin:rent_rentledger_process_import"),
            {"import_file_name": "x.csv", "original_file_name": "x.csv", "format": "0"},
        ),
        ("get", reverse("admin:rent_coowneditem_import"), {}),
    ]


def test_anonymous_is_sent_to_the_login_from_every_page(client, household):
    for url in view_urls(household):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_anonymous_changes_go_to_the_login_and_change_nothing(client, household):
    requests = change_requests(household)
    before = snapshot()
    for method, url, data in requests:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("admin:login")), (method, url)
    assert snapshot() == before


def test_the_treasurer_opens_every_page_for_changes(client, household, treasurer):
    client_for(client, treasurer)
    adam = household["adam"]
    config = RentConfig.objects.get(key="el", period=C)
    row = make_ledger_row(adam, R)
    item = make_item("Soffa", owners=[adam])
    for model_name in ["tenant", "rentconfig", "rentledger", "coowneditem"]:
        for name in ["add", "import", "export"]:
            url = reverse(f"admin:rent_{model_name}_{name}")
            assert client.get(url).status_code == 200, url
    for model_name, pk in [
        ("tenant", adam.pk),
        ("rentconfig", config.pk),
        ("rentledger", row.pk),
        ("coowneditem", item.pk),
    ]:
        page = client.get(reverse(f"admin:rent_{model_name}_change", args=[pk])).content.decode()
        assert 'name="_save"' in page, model_name
        assert client.get(reverse(f"admin:rent_{model_name}_delete", args=[pk])).status_code == 200
    rent_page = client.get(reverse("admin:rent_month_rent", kwargs={"month": MONTH}))
    assert 'id="save-month"' in rent_page.content.decode()
    costs_page = client.get(reverse("admin:rent_month_costs", kwargs={"month": MONTH}))
    assert 'name="el"' in costs_page.content.decode()


@pytest.mark.parametrize("role", ["treasurer", "member", "superuser"])
def test_every_admin_page_opens_for_each_role(client, household, role, django_user_model):
    user = {
        "treasurer": make_treasurer,
        "member": lambda: make_member(household),
        "superuser": lambda: django_user_model.objects.create_superuser("root", "", "pw"),
    }[role]()
    client_for(client, user)
    for url in view_urls(household):
        assert client.get(url).status_code == 200, url


def test_a_member_can_view_but_gets_403_on_every_change(client, household, member):
    client_for(client, member)
    requests = change_requests(household)
    before = snapshot()
    for method, url, data in requests:
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (method, url)
    assert snapshot() == before


def test_a_member_sees_no_buttons_for_changes(client, household, member):
    client_for(client, member)
    page = client.get(reverse("admin:rent_rentledger_changelist")).content.decode()
    assert "paid_in_full_today" not in page
    assert reverse("admin:rent_rentledger_add") not in page
    assert reverse("admin:rent_rentledger_import") not in page
    rent_page = client.get(reverse("admin:rent_month_rent", kwargs={"month": MONTH}))
    assert 'id="save-month"' not in rent_page.content.decode()
    assert "Adam" in rent_page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_migrate_makes_the_two_roles_with_their_permissions():
    """No migration makes the roles: one post_migrate handler (household.apps) does, after
    every migrate, with what each app says its roles get."""
    Group.objects.all().delete()
    with migrated([("rent", "0002_history_of_changes")]):
        pass  # there and back: no migration makes the roles
    assert not Group.objects.filter(name__in=["Boende", "Kassör"]).exists()
    call_command("migrate", verbosity=0)

    def codenames(name):
        group = Group.objects.get(name=name)
        return {(p.content_type.app_label, p.codename) for p in group.permissions.all()}

    models = [
        "tenant",
        "rentconfig",
        "rentcalculation",
        "rentledger",
        "coowneditem",
        "payment",
        "paymentclaim",
        "banktransaction",
        "reminderlog",
        "room",
        "smslog",
    ]
    member = {("rent", f"view_{model}") for model in models}
    assert codenames("Boende") == member
    assert codenames("Kassör") == member | {
        ("rent", f"{action}_{model}")
        for model in ["tenant", "rentconfig", "rentledger", "coowneditem", "payment", "room"]
        for action in ("add", "change", "delete")
    } | {
        ("rent", "add_rentcalculation"),
        ("handbook", "reject_proposal"),
        ("api", "view_apitoken"),
        ("api", "add_apitoken"),
        ("api", "change_apitoken"),
    }
    # The roles as the apps' configs say them (household.roles.role_permissions) are the same.
    for name, permissions in roles.role_permissions().items():
        assert {tuple(p.split(".")) for p in permissions} == codenames(name)


def make_bank_line():
    return BankTransaction.objects.create(
        key="k1",
        booked_on=date(2025, 9, 24),
        amount="7000",
        text="Hyra KK2510ADAM",
        status=BankTransactionStatus.UNMATCHED,
        statement_name="kontoutdrag.csv",
    )


@pytest.mark.parametrize("role", ["treasurer", "superuser"])
def test_the_bank_lines_are_read_only_for_everyone(client, household, role, django_user_model):
    """A statement's lines are kept once each by their key (so a statement imported again is
    not recorded twice): nobody adds, changes or deletes one by hand, not even a superuser."""
    user = (
        make_treasurer()
        if role == "treasurer"
        else django_user_model.objects.create_superuser("root", "", "pw")
    )
    client_for(client, user)
    line = make_bank_line()
    changelist = reverse("admin:rent_banktransaction_changelist")
    page = client.get(changelist).content.decode()
    assert "delete_selected" not in page and 'name="action"' not in page
    assert reverse("admin:rent_banktransaction_add") not in page
    change = client.get(reverse("admin:rent_banktransaction_change", args=[line.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert reverse("admin:rent_banktransaction_delete", args=[line.pk]) not in (
        change.content.decode()
    )
    delete = reverse("admin:rent_banktransaction_delete", args=[line.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    bulk = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [line.pk], "post": "yes"}
    )
    assert bulk.status_code in (200, 302)
    assert client.get(reverse("admin:rent_banktransaction_add")).status_code == 403
    assert BankTransaction.objects.filter(pk=line.pk).exists()
