"""The household's two roles as permission sets (the data migrations rent 0003 and handbook 0002
made them). Code asks for a permission, never for a group's name.

"Boende" (a household member) sees everything; "Kassör" (the treasurer) enters bills, saves
months, records payments and keeps people and items up to date, including import/export, and may
reject handbook proposals. A member may also change their own contact details: the tenant admin
decides that per row.
"""

from django.contrib.auth.models import Group, Permission

MEMBER = "Boende"
TREASURER = "Kassör"

MODELS = [
    "tenant",
    "rentconfig",
    "rentcalculation",
    "rentledger",
    "coowneditem",
    "creditsettlement",
]
EDITED_MODELS = ["tenant", "rentconfig", "rentledger", "coowneditem"]

MEMBER_PERMISSIONS = [f"view_{model}" for model in MODELS]
TREASURER_PERMISSIONS = [
    *MEMBER_PERMISSIONS,
    *(f"{action}_{model}" for model in EDITED_MODELS for action in ("add", "change", "delete")),
    # Saving a month's split (finalize): calculations are only ever added, never edited.
    "add_rentcalculation",
    # Settling credit (paid back, or counted toward a month): recorded, never edited.
    "add_creditsettlement",
]
ROLES = {MEMBER: MEMBER_PERMISSIONS, TREASURER: TREASURER_PERMISSIONS}
# The one permission of the treasurer outside the rent app.
REJECT_PROPOSALS = "handbook.reject_proposal"


def ensure_household_roles() -> None:
    """Create the two groups with their permissions when missing (idempotent).

    Tests that flush the database (transactional tests) remove what migrations made.
    """
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="rent", codename__in=codenames)
        )
        if name == TREASURER:
            app_label, codename = REJECT_PROPOSALS.split(".")
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
