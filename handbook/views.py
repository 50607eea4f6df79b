"""The handbook's pages. Thin: reading is queries and rendering, writing is handbook.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from handbook import rent_panel, services
from handbook.diff import line_diff
from handbook.forms import NewPageProposalForm, ProposalForm
from handbook.markdown import render_markdown
from handbook.models import Approval, Page, Proposal, ProposalStatus, Revision
from handbook.search import search_pages


def _render(request, template, context=None, status=200):
    """Every handbook page carries the rent panel beside it. The interface, dates and month names
    follow the active language (Swedish unless the reader chose English); pages stay as written."""
    context = {"rent_panel": rent_panel.panel_for(request.user), **(context or {})}
    return render(request, template, context, status=status)


def _open_proposals():
    return (
        Proposal.objects.filter(status=ProposalStatus.OPEN)
        .select_related("page", "author")
        .annotate(approval_count=Count("approvals"))
    )


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
    rendered = render_markdown(page.body)
    html = rendered.html
    if rent_panel.LIVE_EXAMPLE_MARKER in html:
        # Worked through once per page; further markers are dropped (bounded page size).
        example = rent_panel.live_example_html()
        html = html.replace(rent_panel.LIVE_EXAMPLE_MARKER, example, 1)
        html = html.replace(rent_panel.LIVE_EXAMPLE_MARKER, "")
    return _render(
        request,
        "handbook/page.html",
        {
            "page": page,
            "html": mark_safe(html),  # noqa: S308 - sanitized by render_markdown (nh3)
            "headings": rendered.headings,
            "open_proposals": _open_proposals().filter(page=page),
        },
    )


@login_required
def history(request, slug):
    page = get_object_or_404(Page, slug=slug)
    revisions = page.revisions.select_related("author").order_by("-id")
    return _render(request, "handbook/history.html", {"page": page, "revisions": revisions})


@login_required
def revision(request, slug, revision_id):
    revision = get_object_or_404(
        Revision.objects.select_related("page", "author"), page__slug=slug, pk=revision_id
    )
    previous = revision.previous()
    return _render(
        request,
        "handbook/revision.html",
        {
            "page": revision.page,
            "revision": revision,
            "previous": previous,
            "html": mark_safe(render_markdown(revision.body).html),  # noqa: S308 - nh3
            "diff": line_diff(previous.body if previous else "", revision.body),
            "title_changed": previous is not None and previous.title != revision.title,
        },
    )


@login_required
def search(request):
    query = request.GET.get("q", "").strip()
    hits = search_pages(query) if query else []
    return _render(request, "handbook/search.html", {"query": query, "hits": hits})


def _preview(form):
    if form.is_valid():
        return mark_safe(render_markdown(form.cleaned_data["body"]).html)  # noqa: S308 - nh3
    return ""


@login_required
def propose_change(request, slug):
    page = get_object_or_404(Page, slug=slug)
    if request.method == "POST":
        form = ProposalForm(request.POST)
        if form.is_valid() and "preview" not in request.POST:
            try:
                proposal = services.propose_change(
                    page=page, author=request.user, **form.cleaned_data
                )
            except services.ProposalError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("Your proposal is saved. Now others need to approve it.")
                )
                return redirect(proposal)
    else:
        form = ProposalForm(initial={"title": page.title, "body": page.body})
    return _render(
        request,
        "handbook/proposal_form.html",
        {"form": form, "page": page, "preview": _preview(form) if request.method == "POST" else ""},
    )


@login_required
def propose_page(request):
    if request.method == "POST":
        form = NewPageProposalForm(request.POST)
        if form.is_valid() and "preview" not in request.POST:
            try:
                proposal = services.propose_new_page(author=request.user, **form.cleaned_data)
            except services.ProposalError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("Your proposal is saved. Now others need to approve it.")
                )
                return redirect(proposal)
    else:
        form = NewPageProposalForm()
    return _render(
        request,
        "handbook/proposal_form.html",
        {
            "form": form,
            "new_page": True,
            "preview": _preview(form) if request.method == "POST" else "",
        },
    )


@login_required
def proposal_list(request):
    proposals = Proposal.objects.select_related("page", "author").annotate(
        approval_count=Count("approvals")
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
    base_body = proposal.base_revision.body if proposal.base_revision else ""
    approvals = list(proposal.approvals.all())
    user = request.user
    return _render(
        request,
        "handbook/proposal_detail.html",
        {
            "proposal": proposal,
            "approvals": approvals,
            "required": services.required_approvals(),
            "diff": line_diff(base_body, proposal.body),
            "html": mark_safe(render_markdown(proposal.body).html),  # noqa: S308 - nh3
            "stale_reason": proposal.stale_reason,
            "can_approve": proposal.is_open
            and proposal.author_id != user.pk
            and all(approval.approver_id != user.pk for approval in approvals),
            "is_author": proposal.author_id == user.pk,
            "can_reject": proposal.is_open and services.can_reject(user),
        },
    )


@login_required
def proposal_update(request, pk):
    proposal = _proposal(pk)
    if proposal.author_id != request.user.pk or not proposal.is_open:
        raise Http404(_("Only the author can update an open proposal."))
    form_class = NewPageProposalForm if proposal.is_new_page else ProposalForm
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid() and "preview" not in request.POST:
            try:
                services.update_proposal(proposal=proposal, by=request.user, **form.cleaned_data)
            except services.ProposalError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The proposal is updated. The approvals start over."))
                return redirect(proposal)
    else:
        body = proposal.body
        form = form_class(
            initial={
                "title": proposal.title,
                "body": body,
                "message": proposal.message,
                "slug": proposal.slug,
            }
        )
    current = proposal.page.current_revision if proposal.page else None
    return _render(
        request,
        "handbook/proposal_form.html",
        {
            "form": form,
            "page": proposal.page,
            "proposal": proposal,
            "new_page": proposal.is_new_page,
            "page_changes": line_diff(proposal.base_revision.body, current.body)
            if current and proposal.base_revision and current.pk != proposal.base_revision_id
            else [],
            "preview": _preview(form) if request.method == "POST" else "",
        },
    )


def _act(request, pk, action, done):
    proposal = get_object_or_404(Proposal, pk=pk)
    try:
        result = action(proposal)
    except services.ProposalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done(result))
    return redirect("handbook:proposal", pk=pk)


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


@login_required
@require_POST
def proposal_approve(request, pk):
    return _act(
        request,
        pk,
        lambda proposal: services.approve(proposal=proposal, approver=request.user),
        _approved_message,
    )


@login_required
@require_POST
def proposal_withdraw(request, pk):
    return _act(
        request,
        pk,
        lambda proposal: services.withdraw(proposal=proposal, by=request.user),
        lambda result: _("The proposal is withdrawn."),
    )


@login_required
@require_POST
def proposal_reject(request, pk):
    return _act(
        request,
        pk,
        lambda proposal: services.reject(proposal=proposal, by=request.user),
        lambda result: _("The proposal is rejected."),
    )


@login_required
def rent_statement(request):
    statement = rent_panel.statement_for(request.user)
    return _render(request, "handbook/rent_statement.html", {"statement": statement})
