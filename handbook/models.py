"""The handbook: pages whose every change is a revision, made through proposals others approve."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from handbook.errors import HandbookError
from household.timestamped import Timestamped


class Page(Timestamped):
    """One page of the handbook. Its title and body mirror its current revision."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body (Markdown)"), blank=True, default="")
    position = models.PositiveIntegerField(
        _("position"), default=0, help_text=_("Order in the table of contents (lowest first).")
    )
    current_revision = models.ForeignKey(
        "Revision",
        verbose_name=_("current revision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["position", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("handbook:page", args=[self.slug])


class RevisionImmutableError(HandbookError):
    """A saved revision was about to be changed: a change is a new revision."""


class Revision(models.Model):
    """One saved state of a page. Never edited: a change is a new revision."""

    page = models.ForeignKey(
        Page, verbose_name=_("page"), on_delete=models.CASCADE, related_name="revisions"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body (Markdown)"), blank=True, default="")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handbook_revisions",
    )
    message = models.CharField(_("message"), max_length=300, blank=True, default="")
    source_sha256 = models.CharField(
        _("imported file's sha256"),
        max_length=64,
        blank=True,
        default="",
        help_text=_("Set when the revision came from import_handbook: the file's content hash."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]

    def __str__(self):
        return f"{self.page.slug} @ {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RevisionImmutableError("revision_immutable")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("handbook:revision", args=[self.page.slug, self.pk])

    def previous(self):
        return Revision.objects.filter(page_id=self.page_id, id__lt=self.id).order_by("-id").first()


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("open")
    MERGED = "merged", _("merged")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Proposal(Timestamped):
    """A proposed change to a page (page set) or a new page (page empty, slug set)."""

    page = models.ForeignKey(
        Page,
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    slug = models.SlugField(_("slug of the new page"), max_length=100, blank=True, default="")
    base_revision = models.ForeignKey(
        Revision,
        verbose_name=_("base revision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body (Markdown)"), blank=True, default="")
    # The proposal's own summary ("What changes and why?"), apart from the page's title.
    message = models.CharField(_("summary"), max_length=300, blank=True, default="")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="handbook_proposals",
    )
    restored_from = models.ForeignKey(
        Revision,
        verbose_name=_("restores the version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="restoring_proposals",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    merged_revision = models.ForeignKey(
        Revision,
        verbose_name=_("merged revision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-id"]
        permissions = [("reject_proposal", _("Can reject handbook proposals"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(page__isnull=False) | ~Q(slug=""),
                name="handbook_proposal_page_or_slug",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self):
        return reverse("handbook:proposal", args=[self.pk])

    @property
    def summary(self) -> str:
        return self.message

    @property
    def title_changed(self) -> bool:
        """True when the proposal deliberately gives the page a new title."""
        if self.is_new_page or self.base_revision is None:
            return False
        return self.title != self.base_revision.title

    @property
    def is_new_page(self) -> bool:
        return self.page_id is None

    @property
    def is_open(self) -> bool:
        return self.status == ProposalStatus.OPEN

    @property
    def stale_reason(self) -> str:
        """Why this proposal cannot merge as it stands, or "" when it can."""
        if not self.is_open:
            return ""
        if self.is_new_page:
            if Page.objects.filter(slug=self.slug).exists():
                return gettext(
                    "A page with the address “%(slug)s” has been created since the proposal was "
                    "written. The author needs to change the proposal."
                ) % {"slug": self.slug}
            return ""
        if self.page.current_revision_id != self.base_revision_id:
            return gettext(
                "The page has changed since the proposal was written, so it is not merged. "
                "The author needs to update the proposal against the new version "
                "(the approvals are then reset)."
            )
        return ""


class Approval(models.Model):
    """One member's yes to one proposal."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="approvals"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approver"),
        on_delete=models.PROTECT,
        related_name="handbook_approvals",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "approver"], name="handbook_approval_one_per_person"
            ),
        ]

    def __str__(self):
        return f"{self.approver} ✓ #{self.proposal_id}"


class Comment(models.Model):
    """One message in a proposal's discussion (Markdown, sanitized when shown)."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="handbook_comments",
    )
    body = models.TextField(_("comment (Markdown)"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.author} @ #{self.proposal_id}"


class NotificationKind(models.TextChoices):
    AWAITING = "awaiting", _("a proposal awaits my approval")
    APPROVED = "approved", _("my proposal is approved")
    MERGED = "merged", _("my proposal is merged")
    REJECTED = "rejected", _("my proposal is rejected")
    COMMENTED = "commented", _("someone comments on my proposal")
    WATCHED = "watched", _("a page I watch changes")


class NotificationPreferences(models.Model):
    """What a member wants to hear about, and whether once a day or at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.CASCADE,
        related_name="handbook_notification_preferences",
    )
    awaiting = models.BooleanField(_("a proposal awaits my approval"), default=True)
    approved = models.BooleanField(_("my proposal is approved"), default=True)
    merged = models.BooleanField(_("my proposal is merged"), default=True)
    rejected = models.BooleanField(_("my proposal is rejected"), default=True)
    commented = models.BooleanField(_("someone comments on my proposal"), default=True)
    watched = models.BooleanField(_("a page I watch changes"), default=True)
    daily_digest = models.BooleanField(_("one email a day instead of one per event"), default=False)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)

    def wants(self, kind: str) -> bool:
        return bool(getattr(self, kind))


class Watch(models.Model):
    """A member follows a page: its changes are mailed to them."""

    page = models.ForeignKey(
        Page, verbose_name=_("page"), on_delete=models.CASCADE, related_name="watches"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.CASCADE,
        related_name="handbook_watches",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("watch")
        verbose_name_plural = _("watches")
        constraints = [
            models.UniqueConstraint(fields=["page", "user"], name="handbook_watch_one_per_person")
        ]

    def __str__(self):
        return f"{self.user} → {self.page.slug}"


class PendingNotification(models.Model):
    """A notification kept for the member's daily digest until it is sent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.CASCADE,
        related_name="handbook_pending_notifications",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification for the digest")
        verbose_name_plural = _("notifications for the digest")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.subject


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("image")
    PDF = "pdf", _("PDF")


class Attachment(models.Model):
    """An image or a PDF belonging to a page (or, until it merges, to the proposal it came with).

    Never versioned: it stays with the page whatever revision is current.
    """

    page = models.ForeignKey(
        Page,
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to="handbook/")
    name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("handbook:attachment", args=[self.pk, self.name])

    @property
    def markdown(self) -> str:
        """What to put in a page to show (an image) or link (a PDF) the attachment."""
        prefix = "!" if self.kind == AttachmentKind.IMAGE else ""
        label = self.name.rsplit(".", 1)[0].replace("[", "").replace("]", "")
        return f"{prefix}[{label}]({self.get_absolute_url()})"
