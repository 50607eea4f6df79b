"""Logins for housemates, run by the treasurer: create a tenant's login and email a link
that sets its password (Django's password-reset tokens; email from EMAIL_URL)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify

from household.errors import CodedError, gettext_noop
from household.roles import MEMBER, ensure_household_roles


class LoginError(CodedError, ValueError):
    """The login cannot be made; the message says what to do."""

    MESSAGES = {
        "login_exists": gettext_noop("%(name)s already has a login: %(username)s."),
        "email_missing": gettext_noop(
            "Enter %(name)s's email address first: the link is sent there."
        ),
        "email_taken": gettext_noop("A login with the email address %(email)s already exists."),
    }


def username_for(tenant) -> str:
    """The tenant's name as a username (`Åsa Berg` → `asa-berg`), made unique with a number."""
    User = get_user_model()
    base = slugify(tenant.name) or f"boende-{tenant.pk}"
    name, number = base, 1
    while User.objects.filter(username__iexact=name).exists():
        number += 1
        name = f"{base}-{number}"
    return name


def create_login(*, tenant):
    """A login for the tenant (rent's Tenant, read by its fields, not imported): username and
    email from the tenant, in the group Boende only.

    Staff (the admin is where members read the ledger), never superuser, and no password
    until the tenant sets one from the emailed link.
    """
    if tenant.user_id:
        raise LoginError("login_exists", name=tenant.name, username=tenant.user.get_username())
    if not tenant.email:
        raise LoginError("email_missing", name=tenant.name)
    User = get_user_model()
    if User.objects.filter(email__iexact=tenant.email).exists():
        raise LoginError("email_taken", email=tenant.email)
    ensure_household_roles()
    with transaction.atomic():
        user = User.objects.create_user(
            username=username_for(tenant),
            email=tenant.email,
            first_name=tenant.name,
            is_staff=True,
            is_superuser=False,
        )
        user.groups.set([Group.objects.get(name=MEMBER)])
        tenant.user = user
        tenant.save(update_fields=["user", "updated_at"])
    return user


def send_set_password_link(*, user, request) -> None:
    """Email the user a one-time link that sets their password and logs them in."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "user": user,
        "link": request.build_absolute_uri(path),
        "login_url": request.build_absolute_uri(reverse("login")),
    }
    subject = render_to_string("registration/set_password_subject.txt", context).strip()
    body = render_to_string("registration/set_password_email.txt", context)
    send_mail(subject, body, None, [user.email])
