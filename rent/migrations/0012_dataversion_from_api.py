from django.db import migrations, models


class Migration(migrations.Migration):
    """The data version moves from the api app to rent, keeping its table (api_dataversion) and
    its row: only Django's idea of which app owns it changes."""

    dependencies = [
        ("rent", "0011_money_field"),
        ("api", "0004_dataversion_moves_to_rent"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DataVersion",
                    fields=[
                        (
                            "id",
                            models.PositiveSmallIntegerField(
                                default=1, editable=False, primary_key=True, serialize=False
                            ),
                        ),
                        ("value", models.BigIntegerField(default=0)),
                        ("stamp", models.CharField(default="", editable=False, max_length=32)),
                    ],
                    options={
                        "verbose_name": "data version",
                        "verbose_name_plural": "data version",
                        "db_table": "api_dataversion",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
