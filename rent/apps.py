from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RentAppConfig(AppConfig):
    name = "rent"
    verbose_name = _("Rent")

    def ready(self):
        from kimonokittens import checks  # noqa: F401 (registers the project's checks)
        from rent import lockouts, roles, versioning

        lockouts.register()
        versioning.connect_signals()
        roles.connect_role_signals()
