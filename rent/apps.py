from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RentAppConfig(AppConfig):
    name = "rent"
    verbose_name = _("Rent")

    def ready(self):
        from rent import lockouts, payments  # noqa: F401 (payments: its signals)

        lockouts.register()
