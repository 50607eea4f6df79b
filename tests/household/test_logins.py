"""Logins for housemates: the treasurer creates a tenant's login (group Boende, never a
superuser) and emails a set-password link; "Glömt lösenordet?" on the login page. Both
end to end with Django's locmem email backend: the link sets the password and logs in."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.admin_helpers import client_for
from tests.builders import make_login, make_tenant

# The household and the treasurer (tests/admin_helpers.py).
pytest_plugins = ["tests.admin_helpers"]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def link_in(message) -> str:
    match = re.search(r"http://testserver(/konto/losenord/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def set_password_by_link(client, path: str, password="ett-långt-lösenord-2025"):
    """Follow the emailed link and set the password; returns the final response."""
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    assert "Välj ditt lösenord" in form_page.content.decode()
    form_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    return client.post(
        form_url, {"new_password1": password, "new_password2": password}, follow=True
    )


def test_the_tenant_page_offers_a_login_instead_of_an_id_box(client, household, treasurer):
    client_for(client, treasurer)
    page = client.get(reverse("admin:rent_tenant_change", args=[household["adam"].pk]))
    html = page.content.decode()
    assert 'name="user"' not in html and "vForeignKeyRawIdAdminField" not in html
    assert 'id="create-login"' in html
    assert reverse("admin:rent_tenant_login", args=[household["adam"].pk]) in html


def test_the_treasurer_creates_a_login_and_the_link_sets_the_password_and_logs_in(
    client, household, treasurer
):
    adam = household["adam"]
    client_for(client, treasurer)
    response = client.post(reverse("admin:rent_tenant_login", args=[adam.pk]))
    assert response.status_code == 302
    adam.refresh_from_db()
    user = adam.user
    assert (user.username, user.email) == ("adam", "adam@example.com")
    assert [group.name for group in user.groups.all()] == ["Boende"]
    assert user.is_staff and not user.is_superuser
    assert not user.user_permissions.exists()
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["adam@example.com"]
    assert message.subject == "Din inloggning till Kimonokittens"
    assert "Ditt användarnamn: adam" in message.body

    client.logout()
    done = set_password_by_link(client, link_in(message))
    assert "Lösenordet är sparat" in done.content.decode()
    assert done.context["user"] == user  # logged in by the link
    user.refresh_from_db()
    assert user.check_password("ett-långt-lösenord-2025")
    assert client.get(reverse("rent:statement", args=[adam.pk])).status_code == 200  # their own
    # The link works once.
    again = client.get(link_in(message), follow=True)
    assert "Länken har redan använts" in again.content.decode()


def test_a_second_press_sends_a_new_link_without_a_second_login(client, household, treasurer):
    adam = household["adam"]
    client_for(client, treasurer)
    url = reverse("admin:rent_tenant_login", args=[adam.pk])
    client.post(url)
    client.post(url)
    assert get_user_model().objects.filter(email="adam@example.com").count() == 1
    assert len(mail.outbox) == 2
    page = client.get(reverse("admin:rent_tenant_change", args=[adam.pk])).content.decode()
    assert 'id="send-login-link"' in page


def test_a_tenant_without_email_gets_no_login(client, household, treasurer):
    bea = household["bea"]
    client_for(client, treasurer)
    response = client.post(reverse("admin:rent_tenant_login", args=[bea.pk]), follow=True)
    assert "Lägg in e-postadressen för Bea först" in response.content.decode()
    bea.refresh_from_db()
    assert bea.user is None and not mail.outbox


def test_usernames_are_unique(client, treasurer):
    make_login("asa-berg")
    tenant = make_tenant("Åsa Berg", email="asa@example.com")
    client_for(client, treasurer)
    client.post(reverse("admin:rent_tenant_login", args=[tenant.pk]))
    tenant.refresh_from_db()
    assert tenant.user.username == "asa-berg-2"


def test_a_member_cannot_create_logins(client, household):
    member = make_login("bea", role="Boende", tenant=household["bea"])
    client_for(client, member)
    response = client.post(reverse("admin:rent_tenant_login", args=[household["adam"].pk]))
    assert response.status_code == 403
    assert "Inte tillåtet" in response.content.decode()
    household["adam"].refresh_from_db()
    assert household["adam"].user is None


def test_forgotten_password_from_the_login_page(client):
    user = make_login("cissi", email="cissi@example.com", is_staff=False)
    login_page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in login_page and "Glömt lösenordet?" in login_page
    sent = client.post(reverse("password_reset"), {"email": "cissi@example.com"}, follow=True)
    assert "Titta i din e-post" in sent.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["cissi@example.com"]
    done = set_password_by_link(client, link_in(mail.outbox[0]), password="nytt-hemligt-9876")
    assert done.context["user"] == user
    user.refresh_from_db()
    assert user.check_password("nytt-hemligt-9876")


def test_the_admin_login_offers_a_forgotten_password_link(client):
    html = client.get(reverse("admin:login")).content.decode()
    assert reverse("admin_password_reset") in html
