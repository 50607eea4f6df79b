"""Third-party apps under the household's own names in the admin."""

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    """django-axes (login throttling), shown in the admin as "Inloggningsförsök"."""

    verbose_name = _("Login attempts")


class ProjectConfig(AppConfig):
    """The project package as an app, so that its own system checks (kimonokittens.checks) are
    registered by it rather than by an app below it."""

    name = "kimonokittens"
    verbose_name = "kimonokittens"

    def ready(self):
        from kimonokittens import checks  # noqa: F401 (registers the project's checks)
