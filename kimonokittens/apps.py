"""Third-party apps under the household's own names in the admin."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    """django-axes (login throttling), shown in the admin as "Inloggningsförsök"."""

    verbose_name = _("Login attempts")
