"""The two household roles: "Boende" (a member: sees everything) and "Kassör" (the treasurer).

A member may also change their own contact details; that rule lives in the tenant admin,
because a permission cannot say "only your own row".
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["tenant", "rentconfig", "rentcalculation", "rentledger", "coowneditem"]

MEMBER_PERMISSIONS = [f"view_{model}" for model in MODELS]

TREASURER_PERMISSIONS = MEMBER_PERMISSIONS + [
    # The month's bills, people, payments and the house's things.
    *(f"{action}_{model}" for model in ["tenant", "rentconfig", "rentledger", "coowneditem"]
      for action in ("add", "change", "delete")),
    # Saving a month's split (finalize): calculations are only ever added, never edited.
    "add_rentcalculation",
]

ROLES = {"Boende": MEMBER_PERMISSIONS, "Kassör": TREASURER_PERMISSIONS}


def create_household_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; make the rent app's now.
    rent_config = apps.get_app_config("rent")
    rent_config.models_module = True
    create_permissions(rent_config, apps=apps, verbosity=0)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        permissions = Permission.objects.filter(
            content_type__app_label="rent", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"permissions missing for {group_name}: {sorted(missing)}")
        group.permissions.add(*permissions)


def remove_household_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("rent", "0002_history_of_changes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_household_roles, remove_household_roles)]
