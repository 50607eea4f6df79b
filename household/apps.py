from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _make_household_roles(sender, **kwargs):
    from household.roles import ensure_household_roles

    ensure_household_roles(using=kwargs.get("using"))


class HouseholdConfig(AppConfig):
    name = "household"
    verbose_name = _("Household")

    def ready(self):
        from household import lockouts, roles

        lockouts.register()
        roles.connect_role_signals()
        # The roles are made in one place, after every migrate (and every flush of a test
        # database): the app stands last in INSTALLED_APPS, so by its post_migrate every app's
        # permissions exist. Each app says what its roles get (`household_roles` on its config).
        post_migrate.connect(_make_household_roles, sender=self, dispatch_uid="household-roles")
