"""Login throttling with django-axes: per account and per address, a Swedish lockout page, and
the treasurer (or a superuser) unlocks in the admin."""

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from kimonokittens.middleware import client_ip
from tests.builders import make_login, make_member
from tests.people import make_treasurer

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-only"
ATTACKER = "203.0.113.66"


def log_in(client, username, password, ip=ATTACKER):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_after_the_limit_of_wrong_passwords_even_the_right_one_is_refused(client, settings):
    make_member("astrid")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "astrid", "wrong").status_code == 200  # the form says wrong
    assert log_in(client, "astrid", PASSWORD).status_code == 302  # still allowed: resets
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "astrid", "wrong")
    client.logout()
    response = log_in(client, "astrid", PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "För många försök" in html
    assert "kassören" in html
    assert not logged_in(client)


def test_an_account_is_locked_from_every_address(client, settings):
    make_member("astrid")
    for serial in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "astrid", "wrong", ip=f"198.51.100.{serial + 1}")
    assert log_in(client, "astrid", PASSWORD, ip="192.0.2.200").status_code == 429
    assert not logged_in(client)


def test_an_address_guessing_many_accounts_is_locked_for_all_of_them(client, settings):
    make_member("bo")
    for serial in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, f"guess{serial}", "wrong")
    assert log_in(client, "bo", PASSWORD).status_code == 429
    # bo from their own address is not affected by the guesser's address.
    assert log_in(client, "bo", PASSWORD, ip="192.0.2.10").status_code == 302


def test_the_admin_login_is_throttled_too(client, settings):
    make_treasurer()
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "kassor", "password": "wrong"}, REMOTE_ADDR=ATTACKER)
    response = client.post(url, {"username": "kassor", "password": PASSWORD}, REMOTE_ADDR=ATTACKER)
    assert response.status_code == 429


@pytest.mark.parametrize("unlocker", ["treasurer", "superuser"])
def test_the_treasurer_or_a_superuser_unlocks_in_the_admin(client, settings, unlocker):
    make_member("astrid")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "astrid", "wrong")
    assert log_in(client, "astrid", PASSWORD, ip="192.0.2.1").status_code == 429
    if unlocker == "treasurer":
        admin_user = make_treasurer()
    else:
        admin_user = make_login("root", is_superuser=True)
    client.force_login(admin_user)
    changelist = reverse("admin:axes_accessattempt_changelist")
    page = client.get(changelist)
    assert page.status_code == 200
    assert "astrid" in page.content.decode()
    ids = [str(pk) for pk in AccessAttempt.objects.values_list("pk", flat=True)]
    response = client.post(changelist, {"action": "unlock", "_selected_action": ids})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="astrid").exists()
    client.logout()
    assert log_in(client, "astrid", PASSWORD, ip="192.0.2.1").status_code == 302


def test_a_member_cannot_see_or_remove_lockouts(client):
    member = make_member("bea", is_staff=True)
    client.force_login(member)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


def test_the_client_address_behind_nginx_is_the_one_nginx_appended(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    assert client_ip(request) == "203.0.113.9"  # the client's own "6.6.6.6" is not believed
    settings.TRUSTED_PROXY_HOPS = 0
    assert client_ip(request) == "127.0.0.1"


@pytest.mark.parametrize("forwarded", ["not-an-address", "203.0.113.9, ::zz", " , "])
def test_a_forwarded_address_that_is_no_address_counts_as_the_peer(client, settings, forwarded):
    """Found by bench/probe.py: the address went into axes' query as it was, and PostgreSQL's
    inet column answered 500 to a wrong password."""
    settings.TRUSTED_PROXY_HOPS = 1
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == "127.0.0.1"
    make_member("astrid")
    response = client.post(
        reverse("login"),
        {"username": "astrid", "password": "wrong"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert response.status_code == 200
    assert not logged_in(client)
