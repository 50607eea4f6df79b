"""What tests/conftest.py promises every test: no switch left on from another module, the fast
hasher, the split `scripts/test.sh` runs (database tests twice, the rest once), and which
Chromium the browser tests drive."""

import asyncio
import os

import pytest
from django.contrib.auth.hashers import get_hasher
from django.contrib.auth.models import User
from django.core.exceptions import SynchronousOnlyOperation

from tests import browser
from tests.conftest import uses_database


def test_the_orm_refuses_to_run_inside_an_event_loop_outside_the_browser_tests():
    """A module that switched DJANGO_ALLOW_ASYNC_UNSAFE on when imported would switch it on for
    the whole run, hiding ORM calls made from async code."""
    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ

    async def query():
        return User.objects.count()

    with pytest.raises(SynchronousOnlyOperation):
        asyncio.run(query())


def test_logins_are_made_with_the_fast_hasher():
    assert get_hasher().algorithm == "md5"


class Item:
    """Just enough of a pytest item for `uses_database`."""

    def __init__(self, *, marker=None, fixtures=()):
        self.marker, self.fixturenames = marker, list(fixtures)

    def get_closest_marker(self, name):
        return self.marker if name == "django_db" else None


@pytest.mark.parametrize(
    "item, uses",
    [
        (Item(marker=pytest.mark.django_db.mark), True),
        (Item(marker=pytest.mark.django_db(transaction=True).mark), True),
        (Item(marker=pytest.mark.django_db(databases=[]).mark), False),
        (Item(fixtures=["client", "db"]), True),
        (Item(fixtures=["live_server"]), True),
        (Item(fixtures=["tmp_path", "settings"]), False),
    ],
)
def test_a_test_uses_the_database_by_its_marker_or_fixtures(item, uses):
    assert uses_database(item) is uses


@pytest.mark.parametrize(
    "installed, chosen",
    [
        (["headless", "full"], "headless"),  # the headless build first: a third less CPU
        (["full"], "full"),
        (["headless"], "headless"),
    ],
)
def test_the_browser_tests_take_the_headless_chromium_where_both_are_installed(
    tmp_path, monkeypatch, installed, chosen
):
    builds = {"headless": tmp_path / "chromium-headless-shell", "full": tmp_path / "chromium"}
    for name in installed:
        builds[name].touch()
    monkeypatch.setattr(browser, "CHROMIUM_BUILDS", [builds["headless"], builds["full"]])
    assert browser.chromium_executable() == builds[chosen]


def test_without_chromium_the_browser_tests_fail_under_ci(tmp_path, monkeypatch):
    monkeypatch.setattr(browser, "CHROMIUM_BUILDS", [tmp_path / "chromium-headless-shell"])
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="chromium-headless-shell"):
        browser.chromium_executable()
