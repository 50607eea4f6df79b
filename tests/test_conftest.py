"""What tests/conftest.py promises every test: no switch left on from another module, the fast
hasher, and the split `scripts/test.sh` runs (database tests twice, the rest once)."""

import asyncio
import os

import pytest
from django.contrib.auth.hashers import get_hasher
from django.core.exceptions import SynchronousOnlyOperation

from tests.conftest import uses_database


def test_the_orm_refuses_to_run_inside_an_event_loop_outside_the_browser_tests():
    """A module that switched DJANGO_ALLOW_ASYNC_UNSAFE on when imported would switch it on for
    the whole run, hiding ORM calls made from async code."""
    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ
    from django.contrib.auth.models import User

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
