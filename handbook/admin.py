"""The handbook in the admin, for the superuser's repairs. Revisions are history: read-only."""

from django.contrib import admin

from handbook import services
from handbook.models import Approval, Attachment, Comment, Page, Proposal, Revision


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "position", "updated_at"]
    list_editable = ["position"]
    search_fields = ["title", "slug", "body"]
    readonly_fields = ["current_revision", "created_at", "updated_at"]
    list_select_related = ["current_revision"]

    def save_model(self, request, obj, form, change):
        """A page's text changes only as a new revision, also when the superuser repairs it."""
        if not change:
            super().save_model(request, obj, form, change)
            services.save_revision(
                page=obj,
                title=obj.title,
                body=obj.body,
                author=request.user,
                message="Skapad i admin",
            )
            return
        text_changed = {"title", "body"} & set(form.changed_data)
        if text_changed:
            title, body = obj.title, obj.body
            saved = Page.objects.get(pk=obj.pk)
            obj.title, obj.body = saved.title, saved.body
        super().save_model(request, obj, form, change)
        if text_changed:
            services.save_revision(
                page=obj, title=title, body=body, author=request.user, message="Ändrad i admin"
            )


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["page", "title", "author", "message", "created_at"]
    list_filter = ["page"]
    list_select_related = ["page", "author"]
    search_fields = ["title", "body", "message"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ApprovalInline(admin.TabularInline):
    model = Approval
    extra = 0
    autocomplete_fields = ["approver"]
    readonly_fields = ["created_at"]


class CommentInline(admin.TabularInline):
    model = Comment
    extra = 0
    raw_id_fields = ["author"]
    readonly_fields = ["created_at", "edited_at"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["id", "message", "title", "page", "slug", "author", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["page", "author"]
    search_fields = ["title", "body", "message"]
    raw_id_fields = [
        "page",
        "base_revision",
        "merged_revision",
        "restored_from",
        "author",
        "closed_by",
    ]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ApprovalInline, CommentInline]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    """Uploads go through the handbook's checks (handbook.attachments), never the admin."""

    list_display = ["name", "kind", "page", "proposal", "size", "uploaded_by", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["page", "uploaded_by"]
    raw_id_fields = ["page", "proposal", "uploaded_by"]
    readonly_fields = ["file", "name", "kind", "content_type", "size", "created_at"]

    def has_add_permission(self, request):
        return False
