"""The household's roles are permission sets made by migrations; code asks for permissions,
never for a group's name."""

import pytest
from django.contrib.auth.models import Group, Permission, User

from handbook.services import can_reject
from rent.roles import MEMBER, REJECT_PROPOSALS, TREASURER, TREASURER_PERMISSIONS

pytestmark = pytest.mark.django_db


def permission_names(group: Group) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_the_migrations_give_the_treasurer_the_rent_work_and_rejecting_proposals():
    treasurer = permission_names(Group.objects.get(name=TREASURER))
    assert treasurer == {f"rent.{codename}" for codename in TREASURER_PERMISSIONS} | {
        REJECT_PROPOSALS
    }
    assert REJECT_PROPOSALS not in permission_names(Group.objects.get(name=MEMBER))


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
