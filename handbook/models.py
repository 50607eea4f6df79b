"""The handbook: pages whose every change is a revision, made through proposals others approve."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Page(models.Model):
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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["position", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("handbook:page", args=[self.slug])


class RevisionImmutableError(Exception):
    pass


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
            raise RevisionImmutableError("A revision is never changed; save a new one instead.")
        super().save(*args, **kwargs)

    def previous(self):
        return Revision.objects.filter(page_id=self.page_id, id__lt=self.id).order_by("-id").first()


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("open")
    MERGED = "merged", _("merged")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Proposal(models.Model):
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
    message = models.CharField(_("message"), max_length=300, blank=True, default="")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="handbook_proposals",
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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

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
