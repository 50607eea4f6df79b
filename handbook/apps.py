from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from household.roles import TREASURER

# The treasurer may reject a proposal (a member only approves).
REJECT_PROPOSALS = "handbook.reject_proposal"


class HandbookConfig(AppConfig):
    name = "handbook"
    verbose_name = _("Handbook")
    # What the household's roles get of the handbook (household.roles.ensure_household_roles).
    household_roles = {TREASURER: [REJECT_PROPOSALS.split(".")[1]]}
