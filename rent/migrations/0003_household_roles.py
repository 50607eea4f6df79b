"""The two household roles: "Boende" (a member: sees everything) and "Kassör" (the treasurer).

A member may also change their own contact details; that rule lives in the tenant admin,
because a permission cannot say "only your own row".
"""

from django.db import migrations


# The household's roles are made after every migrate (household.apps: one post_migrate handler,
# household.roles.ensure_household_roles); this migration once made them here.
class Migration(migrations.Migration):
    dependencies = [
        ("rent", "0002_history_of_changes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = []
