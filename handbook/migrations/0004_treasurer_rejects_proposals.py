"""The treasurer ("Kassör", made by rent's 0003) may reject handbook proposals: the code asks for
the permission handbook.reject_proposal, never for a group's name."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TREASURER = "Kassör"
CODENAME = "reject_proposal"


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; make the handbook's now.
    handbook_config = apps.get_app_config("handbook")
    handbook_config.models_module = True
    create_permissions(handbook_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="handbook", codename=CODENAME)
    group, _ = Group.objects.get_or_create(name=TREASURER)
    group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=TREASURER):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="handbook", codename=CODENAME)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("handbook", "0003_proposal_summary_comments_notifications_attachments"),
        ("rent", "0003_household_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
