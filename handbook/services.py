"""The handbook's writes: pages, revisions and the proposal workflow.

Every change to a page is a new revision. Members change pages through proposals that other
members approve; at HANDBOOK_REQUIRED_APPROVALS approvals (read when an approval is given) the
proposal merges by itself, unless the page changed after the proposal was written.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from handbook.models import Approval, Page, Proposal, ProposalStatus, Revision
from rent.roles import is_household_member
from rent.text_rules import refuse_invisible_characters

# Addresses under /handbok/ that are views, not pages.
RESERVED_SLUGS = frozenset({"sok", "forslag", "hyra", "ny", "forhandsgranska"})
TREASURER_GROUP = "Kassör"


class ProposalError(Exception):
    """A workflow step that is not allowed; the message, in the active language, is shown to the
    member as is."""


@dataclass(frozen=True)
class ApprovalResult:
    approval: Approval
    approvals: int
    required: int
    merged: bool
    blocked_reason: str = ""


def required_approvals() -> int:
    return max(int(settings.HANDBOOK_REQUIRED_APPROVALS), 1)


def can_reject(user) -> bool:
    """A treasurer or a superuser may reject someone else's proposal."""
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        user.is_superuser
        or user.has_perm("handbook.reject_proposal")
        or user.groups.filter(name=TREASURER_GROUP).exists()
    )


def validate_new_slug(slug: str) -> str:
    clean = slugify(slug)
    if not clean:
        raise ProposalError(_("The page needs an address (letters a–z, digits and hyphens)."))
    if clean in RESERVED_SLUGS:
        raise ProposalError(
            _("The address “%(slug)s” is taken by the handbook itself; choose another one.")
            % {"slug": clean}
        )
    return clean


def _check_text(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ProposalError(_("The page needs a title."))
    try:
        refuse_invisible_characters(title)
    except ValidationError as error:
        raise ProposalError(" ".join(error.messages)) from None
    return title


def _next_position() -> int:
    return (Page.objects.aggregate(top=Max("position"))["top"] or 0) + 1


@transaction.atomic
def create_page(
    *,
    slug: str,
    title: str,
    body: str,
    author=None,
    message: str = "",
    position=None,
    source_sha256: str = "",
) -> Page:
    """A new page with its first revision."""
    page = Page.objects.create(
        slug=validate_new_slug(slug),
        title=_check_text(title),
        body=body,
        position=_next_position() if position is None else position,
    )
    revision = Revision.objects.create(
        page=page,
        title=page.title,
        body=body,
        author=author,
        message=message,
        source_sha256=source_sha256,
    )
    page.current_revision = revision
    page.save(update_fields=["current_revision", "updated_at"])
    return page


@transaction.atomic
def save_revision(
    *,
    page: Page,
    title: str,
    body: str,
    author=None,
    message: str = "",
    source_sha256: str = "",
) -> Revision:
    """A new revision of an existing page, which becomes its current state."""
    revision = Revision.objects.create(
        page=page,
        title=_check_text(title),
        body=body,
        author=author,
        message=message,
        source_sha256=source_sha256,
    )
    page.title, page.body, page.current_revision = revision.title, body, revision
    page.save(update_fields=["title", "body", "current_revision", "updated_at"])
    return revision


def propose_change(*, page: Page, title: str, body: str, author, message: str = "") -> Proposal:
    """A member proposes a new text for an existing page, based on its current revision."""
    return Proposal.objects.create(
        page=page,
        base_revision=page.current_revision,
        title=_check_text(title),
        body=body,
        message=message.strip(),
        author=author,
    )


def propose_new_page(*, slug: str, title: str, body: str, author, message: str = "") -> Proposal:
    slug = validate_new_slug(slug)
    if Page.objects.filter(slug=slug).exists():
        raise ProposalError(
            _("There is already a page with the address “%(slug)s”.") % {"slug": slug}
        )
    return Proposal.objects.create(
        slug=slug, title=_check_text(title), body=body, message=message.strip(), author=author
    )


def _locked(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",)).select_related("page").get(pk=proposal.pk)
    )


def _require_open(proposal: Proposal) -> None:
    if not proposal.is_open:
        raise ProposalError(
            _("The proposal is no longer open (it is %(status)s).")
            % {"status": proposal.get_status_display()}
        )


@transaction.atomic
def update_proposal(
    *, proposal: Proposal, by, title: str, body: str, message: str = "", slug: str | None = None
) -> Proposal:
    """The author rewrites an open proposal against the page as it is now; approvals restart."""
    proposal = _locked(proposal)
    _require_open(proposal)
    if proposal.author_id != by.pk:
        raise ProposalError(_("Only the one who wrote the proposal can update it."))
    if proposal.is_new_page:
        new_slug = validate_new_slug(slug if slug is not None else proposal.slug)
        if Page.objects.filter(slug=new_slug).exists():
            raise ProposalError(
                _("There is already a page with the address “%(slug)s”.") % {"slug": new_slug}
            )
        proposal.slug = new_slug
    else:
        proposal.base_revision = proposal.page.current_revision
    proposal.title, proposal.body, proposal.message = _check_text(title), body, message.strip()
    proposal.save()
    proposal.approvals.all().delete()
    return proposal


@transaction.atomic
def approve(*, proposal: Proposal, approver) -> ApprovalResult:
    """A member other than the author approves; enough approvals merge the proposal."""
    proposal = _locked(proposal)
    _require_open(proposal)
    if not approver.is_authenticated or not approver.is_active:
        raise ProposalError(_("Log in to approve."))
    if not is_household_member(approver):
        raise ProposalError(_("Only household members can approve proposals."))
    if proposal.author_id == approver.pk:
        raise ProposalError(_("You cannot approve your own proposal."))
    if proposal.approvals.filter(approver=approver).exists():
        raise ProposalError(_("You have already approved this proposal."))
    approval = Approval.objects.create(proposal=proposal, approver=approver)
    count, required = proposal.approvals.count(), required_approvals()
    if count < required:
        return ApprovalResult(approval, count, required, merged=False)
    if not proposal.is_new_page:
        # Two proposals on one page may reach their last approval at once: the page row is
        # locked, and read afresh, so the second sees the first's revision and does not merge.
        proposal.page = Page.objects.select_for_update().get(pk=proposal.page_id)
    reason = proposal.stale_reason
    if not reason:
        try:
            _merge(proposal)
        except IntegrityError:
            if not proposal.is_new_page:
                raise
            # Another proposal created a page at this address at the same moment (the unique
            # slug refused the second); create_page's savepoint undid this one's half.
            reason = proposal.stale_reason
    if reason:
        return ApprovalResult(approval, count, required, merged=False, blocked_reason=reason)
    return ApprovalResult(approval, count, required, merged=True)


def _merge(proposal: Proposal) -> None:
    # The revision's message is stored history, written in the handbook's own language (Swedish)
    # whatever language the approver reads in.
    message = proposal.message or f"Förslag #{proposal.pk}"
    if proposal.is_new_page:
        page = create_page(
            slug=proposal.slug,
            title=proposal.title,
            body=proposal.body,
            author=proposal.author,
            message=message,
        )
        proposal.page, revision = page, page.current_revision
    else:
        revision = save_revision(
            page=proposal.page,
            title=proposal.title,
            body=proposal.body,
            author=proposal.author,
            message=message,
        )
    proposal.status = ProposalStatus.MERGED
    proposal.merged_revision = revision
    proposal.closed_at = timezone.now()
    proposal.save()


@transaction.atomic
def withdraw(*, proposal: Proposal, by) -> Proposal:
    proposal = _locked(proposal)
    _require_open(proposal)
    if proposal.author_id != by.pk:
        raise ProposalError(_("Only the one who wrote the proposal can withdraw it."))
    return _close(proposal, ProposalStatus.WITHDRAWN, by)


@transaction.atomic
def reject(*, proposal: Proposal, by) -> Proposal:
    proposal = _locked(proposal)
    _require_open(proposal)
    if not can_reject(by):
        raise ProposalError(_("Only the treasurer or an administrator can reject proposals."))
    return _close(proposal, ProposalStatus.REJECTED, by)


def _close(proposal: Proposal, status: str, by) -> Proposal:
    proposal.status, proposal.closed_by, proposal.closed_at = status, by, timezone.now()
    proposal.save()
    return proposal
