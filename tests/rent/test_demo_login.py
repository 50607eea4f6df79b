"""demo_login: a local login for the demo household, never with DEBUG off."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        call_command("demo_login")
    assert not get_user_model().objects.exists()


def test_prints_a_login_that_works_and_a_new_password_each_time(settings, capsys):
    settings.DEBUG = True
    call_command("demo_login")
    first = capsys.readouterr().out
    call_command("demo_login")
    second = capsys.readouterr().out

    password = second.strip().rsplit("password ", 1)[1].strip("'")
    assert "username 'demo'" in second
    assert first != second
    user = authenticate(username="demo", password=password)
    assert user is not None and user.is_superuser
    assert get_user_model().objects.count() == 1
