"""The abstract base of the tables that keep when each row was made and last changed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Timestamped(models.Model):
    """`created_at` set once on insert, `updated_at` on every save. (Rows that are never
    changed after insert, such as revisions, declare only their own `created_at`.)"""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True
