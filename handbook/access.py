"""Who counts as a member of the household, for what only members may see or hear about.

A member is an active login that is a superuser, in the household's groups ("Boende",
"Kassör") or linked to a tenant. (Issue 11 may narrow this to tenants living here; it is the
one place to change.)
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

HOUSEHOLD_GROUPS = ("Boende", "Kassör")


def members():
    """Every member's login."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True) | Q(groups__name__in=HOUSEHOLD_GROUPS) | Q(tenant__isnull=False)
        )
        .distinct()
    )


def is_member(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return members().filter(pk=user.pk).exists()
