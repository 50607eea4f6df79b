"""The handbook's pages. Thin: reading is queries and rendering, writing is handbook.services."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from handbook import rent_panel, services
from handbook.attachments import AttachmentError, propose_with_attachment
from handbook.diff import diff_stats, word_diff
from handbook.forms import (
    CommentForm,
    NewPageProposalForm,
    NotificationPreferencesForm,
    ProposalForm,
)
from handbook.markdown import RenderedMarkdown, render_markdown
from handbook.models import (
    Approval,
    Attachment,
    AttachmentKind,
    Comment,
    Page,
    Proposal,
    ProposalStatus,
    Revision,
    Watch,
)
from handbook.notifications import preferences_for
from handbook.search import search as search_handbook
from household.roles import is_household_member, not_member_response
from rent.read_model import add_months, config_month_due_next, data_version, tenant_of

# The live example is kept this long, under the data's version: any write to the rent tables
# makes a new version, so a kept one is never out of date.
RENT_CACHE_SECONDS = 60 * 60


def _render(request, template, context=None, status=200):
    """Every handbook page offers the reader's rent beside it, but computes none: the panel is
    fetched from `rent_panel_view` when the reader opens it. The interface, dates and month
    names follow the active language (Swedish unless the reader chose English); pages stay as
    written."""
    coming = add_months(config_month_due_next(timezone.localdate()), 1)
    context = {"rent_panel_month": coming, **(context or {})}
    return render(request, template, context, status=status)


# A page's HTML depends on its text alone: kept under the text's hash, rendered once per worker.
MARKDOWN_CACHE_SECONDS = 24 * 60 * 60


def cached_markdown(text: str) -> RenderedMarkdown:
    """`render_markdown(text)`, kept under the text's hash (a new revision is a new text)."""
    digest = hashlib.sha256((text or "").encode()).hexdigest()
    return cache.get_or_set(
        f"handbook:markdown:{digest}", lambda: render_markdown(text), MARKDOWN_CACHE_SECONDS
    )


def cached_live_example() -> str:
    """The coming month worked through (handbook.rent_panel), rendered once per data version,
    day and language."""
    today = timezone.localdate()
    key = f"handbook:example:{data_version()}:{today:%Y-%m-%d}:{get_language()}"
    html = cache.get(key)
    if html is None:
        html = rent_panel.live_example_html(today=today)
        cache.set(key, html, RENT_CACHE_SECONDS)
    return html


@login_required
def rent_panel_view(request):
    """The reader's rent panel, asked for: a page of its own, from which the handbook's pages
    take the panel when the reader opens "The rent" beside them (handbook/rent_panel.js). The
    month comes from the read module's cache, under the version the membership check read."""
    panel = rent_panel.panel_for(request.user, version=getattr(request, "data_version", None))
    return render(request, "handbook/rent_panel.html", {"rent_panel": panel})


def _open_proposals():
    return (
        Proposal.objects.filter(status=ProposalStatus.OPEN)
        .select_related("page", "author")
        .annotate(approval_count=Count("approvals", distinct=True))
    )


def _diff_context(old_body: str, new_body: str) -> dict:
    diff = word_diff(old_body, new_body)
    return {"diff": diff, "diff_stats": diff_stats(diff)}


@login_required
def index(request):
    recent = Revision.objects.select_related("page", "author").order_by("-created_at", "-id")[:8]
    return _render(
        request,
        "handbook/index.html",
        {
            "pages": Page.objects.all(),
            "recent_revisions": recent,
            "open_proposals": _open_proposals(),
            "required": services.required_approvals(),
        },
    )


@login_required
def page(request, slug):
    page = get_object_or_404(Page.objects.select_related("current_revision__author"), slug=slug)
    rendered = cached_markdown(page.body)
    html = rendered.html
    if rent_panel.LIVE_EXAMPLE_MARKER in html:
        # Worked through once per page; further markers are dropped (bounded page size).
        example = cached_live_example()
        html = html.replace(rent_panel.LIVE_EXAMPLE_MARKER, example, 1)
        html = html.replace(rent_panel.LIVE_EXAMPLE_MARKER, "")
    return _render(
        request,
        "handbook/page.html",
        {
            "page": page,
            # The live example is our own escaped HTML; replace() loses the safe mark.
            "html": mark_safe(html),  # noqa: S308 - sanitized by render_markdown (nh3)
            "headings": rendered.headings,
            "open_proposals": _open_proposals().filter(page=page),
            "watching": Watch.objects.filter(page=page, user=request.user).exists(),
            "attachments": page.attachments.all(),
        },
    )


@login_required
@require_POST
def watch(request, slug):
    """Start or stop watching a page (its changes are mailed)."""
    page = get_object_or_404(Page, slug=slug)
    watching = Watch.objects.filter(page=page, user=request.user)
    if watching.exists():
        watching.delete()
        messages.success(request, _("You no longer watch this page."))
    else:
        Watch.objects.create(page=page, user=request.user)
        messages.success(request, _("You watch this page: its changes are emailed to you."))
    return redirect(page)


@login_required
def history(request, slug):
    """Every revision with its author, the proposal it came from and who approved it."""
    page = get_object_or_404(Page, slug=slug)
    revisions = list(page.revisions.select_related("author").order_by("-id"))
    approvals = Prefetch("approvals", queryset=Approval.objects.select_related("approver"))
    proposals = {
        proposal.merged_revision_id: proposal
        for proposal in Proposal.objects.filter(merged_revision__in=revisions).prefetch_related(
            approvals
        )
    }
    rows = [(revision, proposals.get(revision.pk)) for revision in revisions]
    return _render(request, "handbook/history.html", {"page": page, "rows": rows})


@login_required
def revision(request, slug, revision_id):
    revision = get_object_or_404(
        Revision.objects.select_related("page", "author"), page__slug=slug, pk=revision_id
    )
    previous = revision.previous()
    proposal = (
        Proposal.objects.filter(merged_revision=revision)
        .prefetch_related(
            Prefetch("approvals", queryset=Approval.objects.select_related("approver"))
        )
        .first()
    )
    return _render(
        request,
        "handbook/revision.html",
        {
            "page": revision.page,
            "revision": revision,
            "previous": previous,
            "proposal": proposal,
            "html": render_markdown(revision.body).html,
            **_diff_context(previous.body if previous else "", revision.body),
            "title_changed": previous is not None and previous.title != revision.title,
            "is_current": revision.pk == revision.page.current_revision_id,
        },
    )


@login_required
def compare(request, slug):
    """Any two revisions of a page side by side in words: ?fran=<id>&till=<id>."""
    page = get_object_or_404(Page, slug=slug)
    revisions = page.revisions.select_related("author")
    try:
        old = revisions.get(pk=int(request.GET.get("fran", "")))
        new = revisions.get(pk=int(request.GET.get("till", "")))
    except (ValueError, Revision.DoesNotExist) as error:
        raise Http404(_("Choose two versions of this page to compare.")) from error
    return _render(
        request,
        "handbook/compare.html",
        {"page": page, "old": old, "new": new, **_diff_context(old.body, new.body)},
    )


@login_required
@require_POST
def restore(request, slug, revision_id):
    """ "Restore this version": a proposal like any other, approved by the others."""
    revision = get_object_or_404(Revision, page__slug=slug, pk=revision_id)
    try:
        proposal = services.propose_restore(revision=revision, author=request.user)
    except services.ProposalError as error:
        messages.error(request, error.message)
        return redirect("handbook:revision", slug=slug, revision_id=revision_id)
    messages.success(
        request, _("A proposal to restore the version is made. Now others need to approve it.")
    )
    return redirect(proposal)


@login_required
def search(request):
    query = request.GET.get("q", "").strip()
    result = search_handbook(query) if query else None
    return _render(
        request,
        "handbook/search.html",
        {
            "query": query,
            "hits": result.hits if result else [],
            "suggestion": result.suggestion if result else "",
        },
    )


def _preview(form):
    """The text as it would look, even while other fields (the summary) are still empty; nothing
    for a text the form refuses (longer than HANDBOOK_MAX_TEXT_CHARS: a preview is bounded work)."""
    if not form.is_bound or "body" in form.errors:
        return ""
    return render_markdown(form.cleaned_data["body"]).html


def _save_proposal(request, form, propose):
    """Save through `propose(**fields)`, with the upload if any; None and form errors if refused."""
    fields = form.proposal_fields()
    body = fields.pop("body")
    try:
        return propose_with_attachment(
            propose=lambda body: propose(body=body, **fields),
            body=body,
            upload=form.cleaned_data.get("attachment"),
            uploaded_by=request.user,
        )
    except AttachmentError as error:
        form.add_error("attachment", error.message)
    except services.ProposalError as error:
        form.add_error(None, error.message)
    return None


def _proposal_form(request, *, form_class, initial, propose, saved, context):
    """The one flow of the three proposal forms (a change, a new page, an update): the form
    with `initial`; a POST shows the preview, or saves through `propose(**fields)` and goes
    to the proposal with the message `saved`."""
    if request.method == "POST":
        form = form_class(request.POST, request.FILES)
        if form.is_valid() and "preview" not in request.POST:
            proposal = _save_proposal(request, form, propose)
            if proposal:
                messages.success(request, saved)
                return redirect(proposal)
        preview = _preview(form)
    else:
        form, preview = form_class(initial=initial), ""
    return _render(
        request,
        "handbook/proposal_form.html",
        {"form": form, "preview": preview, **context},
    )


@login_required
def propose_change(request, slug):
    page = get_object_or_404(Page, slug=slug)
    return _proposal_form(
        request,
        form_class=ProposalForm,
        initial={"title": page.title, "body": page.body},
        propose=lambda **fields: services.propose_change(page=page, author=request.user, **fields),
        saved=_("Your proposal is saved. Now others need to approve it."),
        context={"page": page},
    )


@login_required
def propose_page(request):
    return _proposal_form(
        request,
        form_class=NewPageProposalForm,
        initial=None,
        propose=lambda **fields: services.propose_new_page(author=request.user, **fields),
        saved=_("Your proposal is saved. Now others need to approve it."),
        context={"new_page": True},
    )


@login_required
def proposal_list(request):
    proposals = Proposal.objects.select_related("page", "author").annotate(
        approval_count=Count("approvals", distinct=True)
    )
    return _render(
        request,
        "handbook/proposal_list.html",
        {
            "open_proposals": proposals.filter(status=ProposalStatus.OPEN),
            "closed_proposals": proposals.exclude(status=ProposalStatus.OPEN)[:50],
            "required": services.required_approvals(),
        },
    )


def _proposal(pk):
    approvals = Prefetch("approvals", queryset=Approval.objects.select_related("approver"))
    queryset = Proposal.objects.select_related(
        "page__current_revision", "author", "base_revision", "closed_by", "merged_revision"
    ).prefetch_related(approvals)
    return get_object_or_404(queryset, pk=pk)


@login_required
def proposal_detail(request, pk):
    proposal = _proposal(pk)
    approvals = list(proposal.approvals.all())
    user = request.user
    # Against the page as it is now (what merging would change), or the empty page.
    if proposal.is_new_page or proposal.page is None:
        against, against_body = None, ""
    elif proposal.merged_revision_id:
        against = proposal.merged_revision.previous()
        against_body = against.body if against else ""
    else:
        against = proposal.page.current_revision
        against_body = proposal.page.body
    comments = [
        (
            comment,
            render_markdown(comment.body).html,
            services.can_edit_comment(comment, user),
        )
        for comment in proposal.comments.select_related("author")
    ]
    return _render(
        request,
        "handbook/proposal_detail.html",
        {
            "proposal": proposal,
            "approvals": approvals,
            "required": services.required_approvals(),
            "against": against,
            **_diff_context(against_body, proposal.body),
            "title_change": (against.title, proposal.title)
            if against is not None and against.title != proposal.title
            else None,
            "html": render_markdown(proposal.body).html,
            "stale_reason": proposal.stale_reason,
            "can_approve": proposal.is_open
            and proposal.author_id != user.pk
            and all(approval.approver_id != user.pk for approval in approvals),
            "is_author": proposal.author_id == user.pk,
            "can_reject": proposal.is_open and services.can_reject(user),
            "comments": comments,
            "comment_form": CommentForm(),
            "attachments": proposal.attachments.all(),
        },
    )


@login_required
def proposal_update(request, pk):
    proposal = _proposal(pk)
    if proposal.author_id != request.user.pk or not proposal.is_open:
        raise Http404(_("Only the author can update an open proposal."))
    current = proposal.page.current_revision if proposal.page else None
    base = proposal.base_revision
    return _proposal_form(
        request,
        form_class=NewPageProposalForm if proposal.is_new_page else ProposalForm,
        initial={
            "title": proposal.title,
            "change_title": proposal.title_changed,
            "body": proposal.body,
            "message": proposal.message,
            "slug": proposal.slug,
        },
        propose=lambda **fields: services.update_proposal(
            proposal=proposal, by=request.user, **fields
        ),
        saved=_("The proposal is updated. The approvals start over."),
        context={
            "page": proposal.page,
            "proposal": proposal,
            "new_page": proposal.is_new_page,
            # What changed on the page since the proposal was made, beside it.
            "page_changes": _diff_context(base.body, current.body)
            if current and base and current.pk != proposal.base_revision_id
            else None,
        },
    )


@login_required
@require_POST
def comment(request, pk):
    proposal = get_object_or_404(Proposal, pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(proposal=proposal, author=request.user, **form.cleaned_data)
        except services.ProposalError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your comment is saved."))
    else:
        messages.error(request, _("The comment is empty or too long."))
    return redirect(f"{proposal.get_absolute_url()}#kommentarer")


@login_required
def comment_edit(request, pk, comment_id):
    comment = get_object_or_404(
        Comment.objects.select_related("proposal"), pk=comment_id, proposal_id=pk
    )
    if not services.can_edit_comment(comment, request.user):
        raise Http404(_("Only its author can change a comment, for a short while."))
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                services.edit_comment(comment=comment, by=request.user, **form.cleaned_data)
            except services.ProposalError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Your comment is changed."))
                return redirect(f"{comment.proposal.get_absolute_url()}#kommentarer")
    else:
        form = CommentForm(initial={"body": comment.body})
    return _render(request, "handbook/comment_form.html", {"form": form, "comment": comment})


@login_required
def notification_settings(request):
    """A member's own page: which emails they get, and whether once a day."""
    preferences = preferences_for(request.user)
    if request.method == "POST":
        form = NotificationPreferencesForm(request.POST, instance=preferences)
        if form.is_valid():
            form.save()
            messages.success(request, _("Your choices are saved."))
            return redirect("handbook:notifications")
    else:
        form = NotificationPreferencesForm(instance=preferences)
    watches = Watch.objects.filter(user=request.user).select_related("page")
    return _render(
        request,
        "handbook/notifications.html",
        {"form": form, "watches": watches, "has_email": bool(request.user.email)},
    )


@login_required
def attachment(request, pk, name):
    """An attachment, to members only. Behind nginx the file itself is sent by nginx
    (X-Accel-Redirect to an internal location) after this check, which refuses as the
    membership middleware does (403), should the view ever be reached without it."""
    if not is_household_member(request.user):
        return not_member_response(request)
    item = get_object_or_404(Attachment, pk=pk)
    if settings.HANDBOOK_ATTACHMENTS_X_ACCEL:
        response = HttpResponse(content_type=item.content_type)
        response["X-Accel-Redirect"] = settings.HANDBOOK_ATTACHMENTS_ACCEL_PREFIX + item.file.name
    else:
        response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    disposition = "attachment" if item.kind == AttachmentKind.PDF else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{item.name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _approved_message(result: services.ApprovalResult) -> str:
    if result.merged:
        return _("Thank you! The proposal now had enough approvals and is merged into the page.")
    if result.blocked_reason:
        return _("Your approval is saved, but the proposal cannot be merged: %(reason)s") % {
            "reason": result.blocked_reason
        }
    return _("Your approval is saved (%(approvals)s of %(required)s).") % {
        "approvals": result.approvals,
        "required": result.required,
    }


def _proposal_action(act, done):
    """A member's button on a proposal (POST): `act(proposal, user)` through the services,
    then back to the proposal with `done(result)`, or with the services' refusal."""

    @login_required
    @require_POST
    def view(request, pk):
        proposal = get_object_or_404(Proposal, pk=pk)
        try:
            result = act(proposal, request.user)
        except services.ProposalError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done(result))
        return redirect("handbook:proposal", pk=pk)

    return view


proposal_approve = _proposal_action(
    lambda proposal, user: services.approve(proposal=proposal, approver=user),
    _approved_message,
)
proposal_withdraw = _proposal_action(
    lambda proposal, user: services.withdraw(proposal=proposal, by=user),
    lambda result: _("The proposal is withdrawn."),
)
proposal_reject = _proposal_action(
    lambda proposal, user: services.reject(proposal=proposal, by=user),
    lambda result: _("The proposal is rejected."),
)


@login_required
def rent_statement(request):
    """The rent pages belong to the rent app now: one's own statement, else the coming rent."""
    tenant = tenant_of(request.user)
    if tenant is None:
        return redirect("rent:coming")
    return redirect("rent:statement", tenant_id=tenant.pk)
