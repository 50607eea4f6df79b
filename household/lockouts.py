"""Unlocking a locked-out login (django-axes) is the treasurer's job as well as a superuser's.

A lockout is one row under "Access attempts"; deleting it (or the "unlock" action) lets the
account or address log in again at once.
"""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from household.roles import is_treasurer


class LockoutAdmin(AccessAttemptAdmin):
    actions = ["unlock", *AccessAttemptAdmin.actions]

    def has_module_permission(self, request):
        return is_treasurer(request.user)

    def has_view_permission(self, request, obj=None):
        return is_treasurer(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_treasurer(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Unlock the selected logins and addresses"))
    def unlock(self, request, queryset):
        count = 0
        for attempt in queryset:
            count += reset(username=attempt.username) if attempt.username else 0
            count += reset(ip=attempt.ip_address) if attempt.ip_address else 0
        self.message_user(
            request,
            ngettext("%(count)d lock removed.", "%(count)d locks removed.", count)
            % {"count": count},
            messages.SUCCESS,
        )


def register() -> None:
    """Called from RentConfig.ready(), after the admin has registered axes' own classes."""
    if admin.site.is_registered(AccessAttempt):
        admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, LockoutAdmin)
