"""The treasurer ("Kassör", made by rent's 0003) manages the API tokens in the admin: sees them,
creates them (the kiosk's, scripts') and revokes them (a change: a token is never deleted, so its
name and last use stay on record). Members ("Boende") get none of this."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TREASURER = "Kassör"
CODENAMES = ["view_apitoken", "add_apitoken", "change_apitoken"]


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; make the api app's now.
    api_config = apps.get_app_config("api")
    api_config.models_module = True
    create_permissions(api_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="api", codename__in=CODENAMES)
    missing = set(CODENAMES) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"permissions missing for {TREASURER}: {sorted(missing)}")
    group, _ = Group.objects.get_or_create(name=TREASURER)
    group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=TREASURER):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="api", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        ("rent", "0003_household_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
