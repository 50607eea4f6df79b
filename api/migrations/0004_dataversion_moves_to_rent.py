from django.db import migrations


class Migration(migrations.Migration):
    """DataVersion belongs to rent now (rent.0011): only the state moves, the table stays."""

    dependencies = [
        ("api", "0003_kiosk_scope_for_hallway_tokens"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DataVersion")],
            database_operations=[],
        ),
    ]
