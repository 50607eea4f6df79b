"""The treasurer ("Kassör", made by rent's 0003) may reject handbook proposals: the code asks for
the permission handbook.reject_proposal, never for a group's name."""

from django.db import migrations


# The household's roles are made after every migrate (household.apps: one post_migrate handler,
# household.roles.ensure_household_roles); this migration once granted them here.
class Migration(migrations.Migration):
    dependencies = [
        ("handbook", "0003_proposal_summary_comments_notifications_attachments"),
        ("rent", "0003_household_roles"),
    ]

    operations = []
