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

from handbook import notifications
from handbook.apps import REJECT_PROPOSALS
from handbook.errors import HandbookError
from handbook.models import Approval, Comment, Page, Proposal, ProposalStatus, Revision
from household.roles import is_active_login, is_household_member
from household.text_rules import refuse_invisible_characters

# Addresses under /handbok/ that are views, not pages.
RESERVED_SLUGS = frozenset(
    {"sok", "forslag", "hyra", "ny", "forhandsgranska", "aviseringar", "bilagor"}
)


class ProposalError(HandbookError):
    """A workflow step that is not allowed, named by its code; pages show `message`, the
    sentence in the active language."""


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
    """A treasurer or a superuser may reject someone else's proposal: the permission
    handbook.reject_proposal, granted to the treasurer's group by a migration."""
    if not is_active_login(user):
        return False
    return user.is_superuser or user.has_perm(REJECT_PROPOSALS)


def validate_new_slug(slug: str) -> str:
    clean = slugify(slug)
    if not clean:
        raise ProposalError("slug_missing")
    if clean in RESERVED_SLUGS:
        raise ProposalError("slug_reserved", slug=clean)
    return clean


def _check_line(text: str) -> str:
    """A title or a summary, stripped: one line with no control characters (a summary becomes
    a mail subject); "" when empty, which the caller refuses with its own code."""
    text = (text or "").strip()
    try:
        refuse_invisible_characters(text)
    except ValidationError as error:  # the one rule it checks: the character's code and name
        raise ProposalError("text_refused", **error.params) from None
    return text


def _check_text(title: str) -> str:
    title = _check_line(title)
    if not title:
        raise ProposalError("title_missing")
    return title


def _check_summary(summary: str) -> str:
    summary = _check_line(summary)
    if not summary:
        raise ProposalError("summary_missing")
    return summary


def _check_changes(*, page: Page, title: str, body: str) -> None:
    """A proposal must change something: refused when title and text equal the page's."""
    if title == page.title and _normalized(body) == _normalized(page.body):
        raise ProposalError("changes_nothing")


def _normalized(body: str) -> str:
    return "\n".join(line.rstrip() for line in (body or "").strip().splitlines())


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
    save_revision(
        page=page,
        title=page.title,
        body=body,
        author=author,
        message=message,
        source_sha256=source_sha256,
    )
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


def propose_change(
    *, page: Page, body: str, author, message: str, title: str | None = None, restored_from=None
) -> Proposal:
    """A member proposes a new text for an existing page, based on its current revision.

    The title stays the page's unless one is given on purpose; a proposal that changes nothing
    or says nothing about what it changes is refused.
    """
    title = page.title if title is None else _check_text(title)
    message = _check_summary(message)
    _check_changes(page=page, title=title, body=body)
    proposal = Proposal.objects.create(
        page=page,
        base_revision=page.current_revision,
        title=title,
        body=body,
        message=message,
        author=author,
        restored_from=restored_from,
    )
    notifications.proposal_opened(proposal)
    return proposal


def propose_restore(*, revision: Revision, author, message: str = "") -> Proposal:
    """ "Restore this version": a proposal bringing back an old revision's title and text, which
    goes through the same approvals as any other."""
    page = revision.page
    when = timezone.localtime(revision.created_at).strftime("%Y-%m-%d %H:%M")
    # Stored text in the handbook's own language (Swedish), like merge messages.
    message = message.strip() or f"Återställer versionen från {when}"
    return propose_change(
        page=page,
        title=revision.title,
        body=revision.body,
        author=author,
        message=message,
        restored_from=revision,
    )


def propose_new_page(*, slug: str, title: str, body: str, author, message: str) -> Proposal:
    slug = validate_new_slug(slug)
    if Page.objects.filter(slug=slug).exists():
        raise ProposalError("slug_taken", slug=slug)
    proposal = Proposal.objects.create(
        slug=slug,
        title=_check_text(title),
        body=body,
        message=_check_summary(message),
        author=author,
    )
    notifications.proposal_opened(proposal)
    return proposal


def _locked(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",)).select_related("page").get(pk=proposal.pk)
    )


def _require_open(proposal: Proposal) -> None:
    if not proposal.is_open:
        # The status's label is lazy: the message reads it in the language of the page.
        raise ProposalError("proposal_closed", status=ProposalStatus(proposal.status).label)


@transaction.atomic
def update_proposal(
    *,
    proposal: Proposal,
    by,
    body: str,
    message: str,
    title: str | None = None,
    slug: str | None = None,
) -> Proposal:
    """The author rewrites an open proposal against the page as it is now; approvals restart."""
    proposal = _locked(proposal)
    _require_open(proposal)
    if proposal.author_id != by.pk:
        raise ProposalError("update_not_author")
    if proposal.is_new_page:
        new_slug = validate_new_slug(slug if slug is not None else proposal.slug)
        if Page.objects.filter(slug=new_slug).exists():
            raise ProposalError("slug_taken", slug=new_slug)
        proposal.slug = new_slug
        title = _check_text(proposal.title if title is None else title)
    else:
        page = proposal.page
        # Keeping the title the proposal had (its own or the page's) is not a rename.
        if title is None or (not proposal.title_changed and title == proposal.title):
            title = page.title
        title = _check_text(title)
        _check_changes(page=page, title=title, body=body)
        proposal.base_revision = page.current_revision
    proposal.title, proposal.body, proposal.message = title, body, _check_summary(message)
    proposal.save()
    proposal.approvals.all().delete()
    notifications.proposal_opened(proposal, updated=True)
    return proposal


@transaction.atomic
def approve(*, proposal: Proposal, approver) -> ApprovalResult:
    """A member other than the author approves; enough approvals merge the proposal."""
    proposal = _locked(proposal)
    _require_open(proposal)
    if not is_active_login(approver):
        raise ProposalError("approve_logged_out")
    if not is_household_member(approver):
        raise ProposalError("approve_not_member")
    if proposal.author_id == approver.pk:
        raise ProposalError("approve_own")
    if proposal.approvals.filter(approver=approver).exists():
        raise ProposalError("approve_again")
    approval = Approval.objects.create(proposal=proposal, approver=approver)
    notifications.proposal_approved(proposal, approver)
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
    from handbook.attachments import adopt_attachments

    adopt_attachments(proposal=proposal)
    notifications.proposal_merged(proposal)


@transaction.atomic
def withdraw(*, proposal: Proposal, by) -> Proposal:
    proposal = _locked(proposal)
    _require_open(proposal)
    if proposal.author_id != by.pk:
        raise ProposalError("withdraw_not_author")
    return _close(proposal, ProposalStatus.WITHDRAWN, by)


@transaction.atomic
def reject(*, proposal: Proposal, by) -> Proposal:
    proposal = _locked(proposal)
    _require_open(proposal)
    if not can_reject(by):
        raise ProposalError("reject_not_allowed")
    proposal = _close(proposal, ProposalStatus.REJECTED, by)
    notifications.proposal_rejected(proposal)
    return proposal


def _close(proposal: Proposal, status: str, by) -> Proposal:
    proposal.status, proposal.closed_by, proposal.closed_at = status, by, timezone.now()
    proposal.save()
    return proposal


COMMENT_EDIT_MINUTES = 15


def _check_comment(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ProposalError("comment_empty")
    if len(body) > 10_000:
        raise ProposalError("comment_too_long")
    return body


@transaction.atomic
def add_comment(*, proposal: Proposal, author, body: str) -> Comment:
    """A member says something about a proposal, open or closed."""
    comment = Comment.objects.create(proposal=proposal, author=author, body=_check_comment(body))
    notifications.proposal_commented(comment)
    return comment


def can_edit_comment(comment: Comment, user) -> bool:
    """Its author, for COMMENT_EDIT_MINUTES after writing it."""
    age = timezone.now() - comment.created_at
    return comment.author_id == user.pk and age.total_seconds() < COMMENT_EDIT_MINUTES * 60


@transaction.atomic
def edit_comment(*, comment: Comment, by, body: str) -> Comment:
    if not can_edit_comment(comment, by):
        raise ProposalError("comment_edit_refused", minutes=COMMENT_EDIT_MINUTES)
    comment.body, comment.edited_at = _check_comment(body), timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    return comment
