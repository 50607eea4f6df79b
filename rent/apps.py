from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from household.roles import MEMBER, TREASURER

MODELS = [
    "tenant",
    "rentconfig",
    "rentcalculation",
    "rentledger",
    "coowneditem",
    "payment",
    "paymentclaim",
    "banktransaction",
    "reminderlog",
    "room",
    "smslog",
]
EDITED_MODELS = ["tenant", "rentconfig", "rentledger", "coowneditem", "payment", "room"]
MEMBER_PERMISSIONS = [f"view_{model}" for model in MODELS]
TREASURER_PERMISSIONS = [
    *MEMBER_PERMISSIONS,
    *(f"{action}_{model}" for model in EDITED_MODELS for action in ("add", "change", "delete")),
    # Saving a month's split (finalize): calculations are only ever added, never edited.
    "add_rentcalculation",
]


class RentAppConfig(AppConfig):
    name = "rent"
    verbose_name = _("Rent")
    # What the household's roles get of rent (household.roles.ensure_household_roles): a member
    # sees everything; the treasurer enters bills, saves months, records payments and keeps
    # people and items up to date.
    household_roles = {MEMBER: MEMBER_PERMISSIONS, TREASURER: TREASURER_PERMISSIONS}

    @staticmethod
    def logins_living_here(on, *, login=None):
        """Who lives here, for household.roles: the logins of the tenants living here on `on`
        (only `login`'s tenant, when given), as a query of their ids."""
        from rent.models import Tenant

        tenants = Tenant.objects if login is None else Tenant.objects.of_login(login)
        return tenants.living_here(on).values("user")

    def ready(self):
        from rent import versioning

        versioning.connect_signals()
