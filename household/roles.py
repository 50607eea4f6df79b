"""The household's two roles as permission sets. Code asks for a permission, never for a
group's name.

"Boende" (a household member) sees everything; "Kassör" (the treasurer) enters bills, saves
months, records payments and keeps people and items up to date, including import/export, may
reject handbook proposals and manages the API tokens. A member may also change their own contact
details: the tenant admin decides that per row.

What each role gets of an app is said by that app (`household_roles` on its AppConfig: rent,
handbook, api); `ensure_household_roles` makes the groups from them, after every migrate
(household/apps.py). This module imports no model at load time: the apps' configs import the
role names from it. Nor does it import any app: who lives here and the data version are the
apps' to say (`logins_living_here` on an AppConfig, the `roles_changed` signal).
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from django.dispatch import Signal
from django.shortcuts import render

MEMBER = "Boende"
TREASURER = "Kassör"
ROLE_NAMES = (MEMBER, TREASURER)
# What makes a login the treasurer: the right to save a month's split.
TREASURER_PERMISSION = "rent.add_rentcalculation"


def role_permissions() -> dict[str, set[str]]:
    """Every role's permissions as "app_label.codename", gathered from the apps' configs."""
    from django.apps import apps

    roles: dict[str, set[str]] = {name: set() for name in ROLE_NAMES}
    for config in apps.get_app_configs():
        for name, codenames in getattr(config, "household_roles", {}).items():
            roles[name] |= {f"{config.label}.{codename}" for codename in codenames}
    return roles


def ensure_household_roles(*, using: str | None = None) -> None:
    """Create the two groups with their permissions when missing (idempotent).

    Called after every migrate (and every flush of a test database, which removes them)."""
    from django.contrib.auth.models import Group, Permission
    from django.db import DEFAULT_DB_ALIAS
    from django.db.models import Q

    using = using or DEFAULT_DB_ALIAS
    for name, permissions in role_permissions().items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        wanted = Q(pk__in=[])
        for permission in permissions:
            app_label, codename = permission.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.add(*Permission.objects.using(using).filter(wanted))


def is_active_login(user) -> bool:
    """The one rule for "an active, logged-in user": anonymous visitors and disabled logins
    (moved out, locked by the treasurer) get no rights, whatever their groups say."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_treasurer(user) -> bool:
    """The treasurer's rights (saving a month's split), or a superuser; asked as a permission
    granted to the group (ensure_household_roles), never by the group's name."""
    if not is_active_login(user):
        return False
    kept = getattr(user, "_household_treasurer", None)  # household_roles, this request
    if kept is not None:
        return kept
    return user.is_superuser or user.has_perm(TREASURER_PERMISSION)


def _treasurer_rule():
    from django.db.models import Q

    app_label, codename = TREASURER_PERMISSION.split(".")
    return (
        Q(is_superuser=True)
        | Q(
            groups__permissions__content_type__app_label=app_label,
            groups__permissions__codename=codename,
        )
        | Q(
            user_permissions__content_type__app_label=app_label,
            user_permissions__codename=codename,
        )
    )


def treasurers():
    """Every login that `is_treasurer` accepts, as one query."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True).filter(_treasurer_rule()).distinct()


def logins_living_here(on, *, login=None):
    """The logins of the people living here on `on` (only `login`'s, when given), as a query of
    their ids. The app that keeps the household's people says who they are
    (`logins_living_here` on its AppConfig: rent's tenants), so this module reads no app's
    models itself."""
    from django.apps import apps

    for config in apps.get_app_configs():
        people = getattr(config, "logins_living_here", None)
        if people is not None:
            return people(on, login=login)
    raise LookupError("no installed app says who lives here (logins_living_here)")


def household_members(*, on=None):
    """Every login that `is_household_member` accepts, as one query."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q
    from django.utils import timezone

    living_here = logins_living_here(on or timezone.localdate())
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(_treasurer_rule() | Q(pk__in=living_here))
        .distinct()
    )


def is_household_member(user, *, on=None) -> bool:
    """The one membership rule: a login counts as a household member only when it is linked to a
    tenant living here on `on` (default today), or is the treasurer (or a superuser).

    A login with no tenant, or whose tenant moved out or has not moved in yet, is not a member:
    it sees no handbook page, rent figure or live example, and its approvals do not count.
    The answer is kept on the user object for the rest of the request.
    """
    if not is_active_login(user):
        return False
    cached = getattr(user, "_household_member", None)
    if on is None and cached is not None:
        return cached
    from django.utils import timezone

    day = on or timezone.localdate()
    member = logins_living_here(day, login=user).exists() or is_treasurer(user)
    if on is None:
        user._household_member = member
    return member


# Kept this long per login, day and data version: a kept answer is never older than the data.
ROLES_CACHE_SECONDS = 60 * 60


def household_roles(user, *, version: str) -> tuple[bool, bool]:
    """(is_household_member, is_treasurer) of a login, from the cache when the data version
    (and the day) is the same as when they were decided.

    What decides them is all watched by the version: tenants (rent.versioning), and logins,
    groups and permissions (`connect_role_signals`, through `roles_changed`). The API and the
    kiosk answer a member's session with this instead of three queries (tenant, user's and
    group's permissions). The login's permissions are kept with them (`_kept_permissions`), so
    the admin's many `has_perm` checks of the same request ask the database nothing either.
    A login kept by kimonokittens.middleware carries the roles decided with it
    (`user._kept_roles`): while they are of this version and day, nothing is read at all.
    """
    if not is_active_login(user):
        return False, False
    kept = getattr(user, "_kept_roles", None)
    if kept is None or kept[0] != version or kept[1] <= time.time():
        kept = user._kept_roles = kept_roles(user, version=version)
    _, _, member, treasurer, user_permissions, group_permissions = kept
    user._household_member, user._household_treasurer = member, treasurer
    # django.contrib.auth.backends.ModelBackend reads these before it asks the database.
    user._user_perm_cache, user._group_perm_cache = user_permissions, group_permissions
    return member, treasurer


def kept_roles(user, *, version: str) -> tuple:
    """What `household_roles` keeps of an active login: (the version, when the day ends as a
    timestamp, member, treasurer, its own permissions, its groups' permissions), from the cache
    under the version and the day, else decided now and kept."""
    from django.core.cache import cache
    from django.utils import timezone

    today = timezone.localdate()
    key = f"kept_roles:{version}:{user.pk}:{today:%Y-%m-%d}"
    kept = cache.get(key)
    if kept is None:
        day_ends = datetime.combine(today + timedelta(days=1), datetime.min.time())
        kept = (
            version,
            timezone.make_aware(day_ends).timestamp(),
            is_household_member(user),
            is_treasurer(user),
            *_kept_permissions(user),
        )
        cache.set(key, kept, ROLES_CACHE_SECONDS)
    return kept


def _kept_permissions(user) -> tuple[frozenset[str], frozenset[str]]:
    """The login's own and its groups' permissions, as ModelBackend decides them; frozen, as
    every request that reads a kept login shares them (kimonokittens.middleware)."""
    from django.contrib.auth.backends import ModelBackend

    backend = ModelBackend()
    return (
        frozenset(backend.get_user_permissions(user)),
        frozenset(backend.get_group_permissions(user)),
    )


# Sent before a login, its groups or a group's permissions change, and at a logout: whoever keeps
# the data version (rent.versioning) makes a new one on it.
roles_changed = Signal()


def _roles_changed(sender, **kwargs):
    if kwargs.get("raw") or kwargs.get("action", "pre_").startswith("post_"):
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a login: the roles are the same
    roles_changed.send(sender=sender)


def connect_role_signals() -> None:
    """A change to a login, its groups or a group's permissions, or a logout, makes a new data
    version, so the roles `household_roles` kept (and the sessions api.auth kept) are asked
    again."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.auth.signals import user_logged_out
    from django.db.models.signals import m2m_changed, pre_delete, pre_save

    # A logout ends a session that api.auth may have kept under the version.
    user_logged_out.connect(_roles_changed, dispatch_uid="roles-logout")
    user = get_user_model()
    for sender in (user, Group):
        pre_save.connect(_roles_changed, sender=sender, dispatch_uid=f"roles-save-{sender}")
        pre_delete.connect(_roles_changed, sender=sender, dispatch_uid=f"roles-delete-{sender}")
    for through in (user.groups.through, user.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(_roles_changed, sender=through, dispatch_uid=f"roles-m2m-{through}")


def not_member_response(request):
    """The one answer to a login that is not a household member: 403, "for household members"
    (also from a view that checks again, such as the handbook's attachments)."""
    return render(request, "not_member.html", status=403)
