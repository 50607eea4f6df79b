"""API tokens for the kiosk and scripts. (The data version that keys caches: rent.models.)"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenScope(models.TextChoices):
    """What a token may do, chosen by the treasurer when making it (and never changed)."""

    # The hallway's view only: the coming month's first names, amounts and paid or not.
    KIOSK = "kiosk", _("kiosk (the coming month's hallway view)")
    READ = "read", _("read (every month, history and roommates)")
    TREASURER = "treasurer", _("treasurer (read and write)")


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A named bearer token. Only its SHA-256 is stored; the token itself is shown once."""

    name = models.CharField(_("name"), max_length=100, help_text=_("Where it is used, e.g. kiosk."))
    scope = models.CharField(
        _("rights"), max_length=20, choices=TokenScope.choices, default=TokenScope.KIOSK
    )
    prefix = models.CharField(
        _("prefix"), max_length=12, editable=False, help_text=_("The token's first characters.")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["name", "id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.TREASURER

    @property
    def reads_everything(self) -> bool:
        """More than the hallway's view: other months, the history, the roommates."""
        return self.scope in (TokenScope.READ, TokenScope.TREASURER)
