"""The treasurer ("Kassör", made by rent's 0003) manages the API tokens in the admin: sees them,
creates them (the kiosk's, scripts') and revokes them (a change: a token is never deleted, so its
name and last use stay on record). Members ("Boende") get none of this."""

from django.db import migrations


# The household's roles are made after every migrate (household.apps: one post_migrate handler,
# household.roles.ensure_household_roles); this migration once granted them here.
class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        ("rent", "0003_household_roles"),
    ]

    operations = []
