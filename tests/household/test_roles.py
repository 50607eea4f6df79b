"""The household's roles are permission sets made after every migrate; code asks for
permissions, never for a group's name."""

import time

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission, User

from api.apps import MANAGE_API_TOKENS
from handbook.apps import REJECT_PROPOSALS
from handbook.services import can_reject
from household.roles import (
    MEMBER,
    TREASURER,
    ensure_household_roles,
    household_roles,
    is_active_login,
    is_household_member,
    is_treasurer,
)
from rent.apps import TREASURER_PERMISSIONS
from rent.models import Tenant
from rent.versioning import data_version

pytestmark = pytest.mark.django_db


def permission_names(group: Group) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_migrate_gives_the_treasurer_the_rent_work_rejecting_and_the_api_tokens():
    treasurer = permission_names(Group.objects.get(name=TREASURER))
    assert treasurer == {f"rent.{codename}" for codename in TREASURER_PERMISSIONS} | {
        REJECT_PROPOSALS,
        "api.view_apitoken",
        "api.add_apitoken",
        "api.change_apitoken",
    }
    member = permission_names(Group.objects.get(name=MEMBER))
    assert REJECT_PROPOSALS not in member
    assert not {name for name in member if name.startswith("api.")}


def test_recreating_the_roles_after_a_flush_gives_the_same_permissions():
    migrated = {group.name: permission_names(group) for group in Group.objects.all()}
    Group.objects.all().delete()
    ensure_household_roles()
    assert {group.name: permission_names(group) for group in Group.objects.all()} == migrated
    assert set(MANAGE_API_TOKENS) <= migrated[TREASURER]


def test_rejecting_follows_the_permission_not_the_group_name():
    app_label, codename = REJECT_PROPOSALS.split(".")
    permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    named_treasurer = User.objects.create_user("kassor", password="pw")
    named_treasurer.groups.add(Group.objects.get(name=TREASURER))
    board = Group.objects.create(name="Styrelsen")
    board.permissions.add(permission)
    board_member = User.objects.create_user("styrelse", password="pw")
    board_member.groups.add(board)

    assert can_reject(User.objects.get(pk=named_treasurer.pk))
    assert can_reject(User.objects.get(pk=board_member.pk))

    Group.objects.get(name=TREASURER).permissions.remove(permission)
    assert not can_reject(User.objects.get(pk=named_treasurer.pk))


def test_kept_roles_are_asked_again_after_any_change_to_a_login_or_its_groups(
    django_assert_num_queries,
):
    """household_roles keeps its answer under the data version; every change that could alter
    it makes a new version (logging in, which saves only last_login, does not)."""
    treasurers = Group.objects.get(name=TREASURER)
    user = User.objects.create_user("kassor", password="pw")
    user.groups.add(treasurers)
    version = data_version()
    assert household_roles(User.objects.get(pk=user.pk), version=version) == (True, True)
    with django_assert_num_queries(0):  # kept under the version
        assert household_roles(user, version=version) == (True, True)

    changes = {
        "group removed": lambda: user.groups.remove(treasurers),
        "group added": lambda: user.groups.add(treasurers),
        "group's permissions": lambda: treasurers.permissions.clear(),
        "own permission": lambda: user.user_permissions.add(Permission.objects.first()),
        "login saved": lambda: User.objects.get(pk=user.pk).save(),
        "tenant linked": lambda: Tenant.objects.create(name="Adam", user=user),
    }
    for what, change in changes.items():
        before = data_version()
        change()
        assert data_version() != before, what
    before = data_version()
    User.objects.get(pk=user.pk).save(update_fields=["last_login"])
    assert data_version() == before
    # The group lost its permissions: no longer the treasurer, a member as Adam who lives here.
    assert household_roles(User.objects.get(pk=user.pk), version=data_version()) == (True, False)


def test_a_logins_permissions_are_kept_with_its_roles_and_asked_again_after_a_change(
    django_assert_num_queries,
):
    """The admin asks has_perm many times a page: household_roles keeps the login's permissions
    with its roles, so a second request asks the database nothing for them, and a permission
    given or taken away counts at the next request (a new data version)."""
    user = User.objects.create_user("medlem", password="pw")
    user.groups.add(Group.objects.get(name=MEMBER))
    Tenant.objects.create(name="Adam", user=user)
    household_roles(User.objects.get(pk=user.pk), version=data_version())

    again = User.objects.get(pk=user.pk)
    version = data_version()
    with django_assert_num_queries(0):
        household_roles(again, version=version)
        assert again.has_perm("rent.view_rentledger")
        assert not again.has_perm("rent.change_rentledger")
        assert not again.has_module_perms("auth")

    granted = Permission.objects.get(content_type__app_label="rent", codename="change_rentledger")
    user.user_permissions.add(granted)
    after = User.objects.get(pk=user.pk)
    household_roles(after, version=data_version())
    assert after.has_perm("rent.change_rentledger")
    Group.objects.get(name=MEMBER).permissions.clear()
    cleared = User.objects.get(pk=user.pk)
    assert household_roles(cleared, version=data_version()) == (True, False)
    assert not cleared.has_perm("rent.view_rentledger")
    assert cleared.has_perm("rent.change_rentledger")  # still its own


def test_roles_kept_with_a_login_count_only_for_their_version_and_day(
    django_assert_num_queries,
):
    """A login kept by kimonokittens.middleware carries its roles (`_kept_roles`): taken as they
    are while the data version and the day are theirs, decided again after either."""
    login = User.objects.create_user("flyttat", password="pw")  # no tenant: no member
    version = data_version()
    later = time.time() + 3600
    login._kept_roles = (version, later, True, True, set(), set())
    with django_assert_num_queries(0):
        assert household_roles(login, version=version) == (True, True)
    for stale in [("another-version", later), (version, time.time() - 1)]:  # a new day
        login = User.objects.get(pk=login.pk)
        login._kept_roles = (*stale, True, True, set(), set())
        assert household_roles(login, version=version) == (False, False), stale
        assert login._kept_roles[:2] != stale


def test_a_disabled_or_anonymous_login_has_no_rights_anywhere():
    """One rule (household.roles.is_active_login) decides for the treasurer's rights, membership and
    rejecting: a disabled superuser is nobody."""
    boss = User.objects.create_superuser("chef", password="pw")
    assert is_active_login(boss) and is_treasurer(boss) and can_reject(boss)
    boss.is_active = False
    boss.save()
    boss = User.objects.get(pk=boss.pk)
    assert not is_active_login(boss)
    assert not is_treasurer(boss)
    assert not is_household_member(boss)
    assert not can_reject(boss)
    assert not is_active_login(AnonymousUser())
    assert not is_active_login(None)
