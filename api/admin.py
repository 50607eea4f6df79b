"""API tokens in the admin: named, shown once when created, revocable, with their last use."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken
from api.tokens import new_token_text, revoke_tokens, token_fields, why_stopped


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "scope",
        "prefix",
        "created_by",
        "acts_now",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_select_related = ["created_by"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix"]
    readonly_fields = [
        "prefix",
        "created_by",
        "acts_now",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    actions = ["revoke"]

    @admin.display(description=_("acts now"))
    def acts_now(self, obj):
        """A token acts with its creator's rights at the time of use: this says whether it
        still does, and if not, why."""
        reason = why_stopped(obj)
        return _("yes") if reason is None else _("no: %(reason)s") % {"reason": reason}

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "scope"]
        return ["name", "scope", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        # The rights of an existing token never change: make a new one instead.
        return [*self.readonly_fields, "scope"] if obj else []

    def save_model(self, request, obj, form, change):
        if not change:
            raw = new_token_text()
            for name, value in token_fields(raw).items():
                setattr(obj, name, value)
            obj.created_by = request.user
            super().save_model(request, obj, form, change)
            messages.warning(
                request,
                _(
                    "The token for “%(name)s” is %(token)s. Copy it now: it is stored only "
                    "as a hash and cannot be shown again."
                )
                % {"name": obj.name, "token": raw},
            )
            return
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        count = revoke_tokens(tokens=queryset)
        self.message_user(
            request, _("%(count)d token(s) revoked.") % {"count": count}, messages.SUCCESS
        )
