from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from household.roles import TREASURER

# The treasurer manages the API tokens in the admin (revoking is a change, never a delete).
MANAGE_API_TOKENS = ["api.view_apitoken", "api.add_apitoken", "api.change_apitoken"]


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = _("API")
    # What the household's roles get of the API (household.roles.ensure_household_roles).
    household_roles = {TREASURER: [permission.split(".")[1] for permission in MANAGE_API_TOKENS]}

    def ready(self):
        from api import history  # noqa: F401 - history connects its receiver
