"""System checks of the project's own settings (`manage.py check --deploy` runs them)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def site_url_is_set(app_configs=None, **kwargs):
    """Emails (reminders, handbook notifications) link to SITE_URL: in production it must be
    the site's own address, never left unset (the links would lead nowhere)."""
    if settings.DEBUG:
        return []
    parts = urlsplit(settings.SITE_URL or "")
    if parts.scheme in ("http", "https") and parts.netloc:
        return []
    return [
        Error(
            f"SITE_URL is {settings.SITE_URL!r}: set it to the site's address, "
            "e.g. https://kimonokittens.example.org (the links in emails use it).",
            hint="Set SITE_URL in the environment (deploy/env.example).",
            id="kimonokittens.E001",
        )
    ]
