"""The kiosk scope (the coming month's hallway view only) and the default for new tokens.

Every read-only token made before is narrowed to it: until now "read-only" was the kiosk's
scope, and a token that must read other months, the history or the roommates is made anew
with the read scope (narrowing fails safe: a 403 that says which scope is needed).
"""

from django.db import migrations, models


def narrow_read_tokens(apps, schema_editor):
    apps.get_model("api", "ApiToken").objects.filter(scope="read").update(scope="kiosk")


def widen_kiosk_tokens(apps, schema_editor):
    apps.get_model("api", "ApiToken").objects.filter(scope="kiosk").update(scope="read")


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_treasurer_manages_tokens"),
    ]

    operations = [
        migrations.AlterField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[
                    ("kiosk", "kiosk (the coming month's hallway view)"),
                    ("read", "read (every month, history and roommates)"),
                    ("treasurer", "treasurer (read and write)"),
                ],
                default="kiosk",
                max_length=20,
                verbose_name="rights",
            ),
        ),
        migrations.RunPython(narrow_read_tokens, widen_kiosk_tokens),
    ]
