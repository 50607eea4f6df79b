"""The proposal workflow: approvals by other members, merging, staleness, withdraw and reject."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from handbook import services
from handbook.models import (
    Approval,
    Comment,
    Page,
    ProposalStatus,
    Revision,
    RevisionImmutableError,
)
from tests.builders import make_login, make_member, make_page
from tests.people import make_treasurer
from tests.refusals import refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def members():
    return [make_member(name) for name in ("astrid", "bo", "cecilia", "david")]


@pytest.fixture
def rules():
    return make_page("husregler", title="Husregler", body="Tyst efter 22.\n")


def propose(page, author, body="Tyst efter 23.\n", **kwargs):
    return services.propose_change(
        page=page, title=page.title, body=body, author=author, message="Senare", **kwargs
    )


def test_one_approval_does_not_merge_and_the_second_does(members, rules):
    author, first, second, _ = members
    proposal = propose(rules, author)

    result = services.approve(proposal=proposal, approver=first)
    assert (result.merged, result.approvals, result.required) == (False, 1, 2)
    rules.refresh_from_db()
    assert rules.body == "Tyst efter 22.\n"

    result = services.approve(proposal=proposal, approver=second)
    assert result.merged
    rules.refresh_from_db()
    proposal.refresh_from_db()
    assert rules.body == "Tyst efter 23.\n"
    assert proposal.status == ProposalStatus.MERGED
    assert proposal.merged_revision == rules.current_revision
    assert rules.current_revision.author == author
    assert rules.current_revision.message == "Senare"
    assert rules.revisions.count() == 2


def test_self_approval_is_refused(members, rules):
    author = members[0]
    proposal = propose(rules, author)
    with refused(services.ProposalError, "approve_own", "ditt eget förslag"):
        services.approve(proposal=proposal, approver=author)
    assert not Approval.objects.exists()


def test_a_second_approval_by_the_same_person_is_refused(members, rules):
    author, first, *_ = members
    proposal = propose(rules, author)
    services.approve(proposal=proposal, approver=first)
    with refused(services.ProposalError, "approve_again", "redan godkänt"):
        services.approve(proposal=proposal, approver=first)
    assert proposal.approvals.count() == 1


def test_a_proposal_on_a_page_changed_since_its_base_does_not_merge_and_says_why(members, rules):
    author, first, second, other = members
    stale = propose(rules, author, body="Tyst efter 23.\n")
    merged_first = propose(rules, other, body="Tyst efter 21.\n")
    services.approve(proposal=merged_first, approver=first)
    assert services.approve(proposal=merged_first, approver=second).merged

    services.approve(proposal=stale, approver=first)
    result = services.approve(proposal=stale, approver=second)

    assert not result.merged
    assert "Sidan har ändrats sedan förslaget skrevs" in result.blocked_reason
    stale.refresh_from_db()
    assert stale.status == ProposalStatus.OPEN
    assert "Sidan har ändrats" in stale.stale_reason
    rules.refresh_from_db()
    assert rules.body == "Tyst efter 21.\n"


def test_updating_a_proposal_rebases_it_and_clears_its_approvals(members, rules):
    author, first, second, other = members
    proposal = propose(rules, author)
    services.approve(proposal=proposal, approver=first)
    services.save_revision(page=rules, title="Husregler", body="Tyst efter 21.\n", author=other)

    updated = services.update_proposal(
        message="Ändring",
        proposal=proposal,
        by=author,
        title="Husregler",
        body="Tyst efter 21.30.\n",
    )

    assert updated.approvals.count() == 0
    assert updated.base_revision == Page.objects.get(pk=rules.pk).current_revision
    assert updated.stale_reason == ""
    services.approve(proposal=updated, approver=first)
    assert services.approve(proposal=updated, approver=second).merged
    rules.refresh_from_db()
    assert rules.body == "Tyst efter 21.30.\n"


def test_only_the_author_can_update_or_withdraw(members, rules):
    author, first, *_ = members
    proposal = propose(rules, author)
    with refused(services.ProposalError, "update_not_author", "Bara den som skrev"):
        services.update_proposal(
            message="Ändring", proposal=proposal, by=first, title="X", body="Y"
        )
    with refused(services.ProposalError, "withdraw_not_author", "Bara den som skrev"):
        services.withdraw(proposal=proposal, by=first)


def test_withdraw_closes_the_proposal_and_it_can_no_longer_be_approved(members, rules):
    author, first, *_ = members
    proposal = propose(rules, author)
    services.withdraw(proposal=proposal, by=author)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert proposal.closed_by == author and proposal.closed_at is not None
    with refused(services.ProposalError, "proposal_closed", "inte längre öppet"):
        services.approve(proposal=proposal, approver=first)


def test_reject_is_for_a_treasurer_or_superuser_only(members, rules):
    author, first, *_ = members
    treasurer = make_treasurer()
    admin = make_login("root", is_superuser=True)
    proposal = propose(rules, author)
    with refused(services.ProposalError, "reject_not_allowed", "kassören"):
        services.reject(proposal=proposal, by=first)

    services.reject(proposal=proposal, by=treasurer)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.closed_by) == (ProposalStatus.REJECTED, treasurer)

    second = propose(rules, author)
    services.reject(proposal=second, by=admin)
    second.refresh_from_db()
    assert second.status == ProposalStatus.REJECTED
    rules.refresh_from_db()
    assert rules.body == "Tyst efter 22.\n"


def test_a_new_page_proposal_creates_the_page_on_merge(members):
    author, first, second, _ = members
    make_page("forst", title="Först", position=5)
    proposal = services.propose_new_page(
        message="Ändring",
        slug="Cykelrummet",
        title="Cykelrummet",
        body="# Cyklar\n\nLås din cykel.\n",
        author=author,
    )
    assert proposal.slug == "cykelrummet" and proposal.page is None
    services.approve(proposal=proposal, approver=first)
    assert not Page.objects.filter(slug="cykelrummet").exists()

    services.approve(proposal=proposal, approver=second)

    page = Page.objects.get(slug="cykelrummet")
    proposal.refresh_from_db()
    assert proposal.page == page and proposal.status == ProposalStatus.MERGED
    assert page.body == "# Cyklar\n\nLås din cykel.\n"
    assert page.current_revision.author == author
    assert page.position == 6  # last in the table of contents


def test_a_new_page_proposal_whose_slug_was_taken_meanwhile_does_not_merge(members):
    author, first, second, _ = members
    proposal = services.propose_new_page(
        message="Ändring", slug="tvatt", title="Tvätt", body="", author=author
    )
    make_page("tvatt", title="Tvättstugan")
    services.approve(proposal=proposal, approver=first)
    result = services.approve(proposal=proposal, approver=second)
    assert not result.merged and "tvatt" in result.blocked_reason
    updated = services.update_proposal(
        message="Ändring", proposal=proposal, by=author, title="Tvätt", body="", slug="tvatt-2"
    )
    assert updated.slug == "tvatt-2" and updated.approvals.count() == 0


def test_new_page_slugs_must_be_free_and_not_reserved(members):
    author = members[0]
    make_page("husregler")
    with refused(services.ProposalError, "slug_taken", "finns redan"):
        services.propose_new_page(
            message="Ändring", slug="husregler", title="X", body="", author=author
        )
    with refused(services.ProposalError, "slug_reserved", "upptagen"):
        services.propose_new_page(
            message="Ändring", slug="forslag", title="X", body="", author=author
        )


@pytest.mark.parametrize("required", [1, 3])
def test_the_required_count_follows_the_setting_at_approval_time(members, rules, required):
    author, *others = members
    proposal = propose(rules, author)
    with override_settings(HANDBOOK_REQUIRED_APPROVALS=required):
        results = [
            services.approve(proposal=proposal, approver=other) for other in others[:required]
        ]
    assert [result.merged for result in results] == [False] * (required - 1) + [True]
    assert results[-1].required == required


def test_lowering_the_setting_lets_the_next_approval_merge(members, rules):
    author, first, second, third = members
    proposal = propose(rules, author)
    with override_settings(HANDBOOK_REQUIRED_APPROVALS=3):
        services.approve(proposal=proposal, approver=first)
        assert not services.approve(proposal=proposal, approver=second).merged
    with override_settings(HANDBOOK_REQUIRED_APPROVALS=2):
        assert services.approve(proposal=proposal, approver=third).merged


def test_revisions_are_never_changed(rules):
    revision = rules.current_revision
    revision.body = "Något annat"
    with pytest.raises(RevisionImmutableError):
        revision.save()
    assert Revision.objects.get(pk=revision.pk).body == "Tyst efter 22.\n"


# Summaries apart from titles; empty proposals; restore; comments.


def test_a_merged_proposal_keeps_the_page_title_unless_it_was_changed_on_purpose(members, rules):
    author, first, second, third = members
    proposal = services.propose_change(
        page=rules, body="Tyst efter 23.\n", author=author, message="Tydligare tystnadsregel"
    )
    assert proposal.title == "Husregler" and not proposal.title_changed
    assert proposal.summary == "Tydligare tystnadsregel"
    services.approve(proposal=proposal, approver=first)
    services.approve(proposal=proposal, approver=second)
    rules.refresh_from_db()
    assert rules.title == "Husregler" and rules.body == "Tyst efter 23.\n"
    assert rules.current_revision.message == "Tydligare tystnadsregel"

    renamed = services.propose_change(
        page=rules, title="Husets regler", body=rules.body, author=author, message="Nytt namn"
    )
    assert renamed.title_changed
    services.approve(proposal=renamed, approver=first)
    services.approve(proposal=renamed, approver=third)
    rules.refresh_from_db()
    assert rules.title == "Husets regler"


def test_updating_keeps_the_pages_new_title_when_the_proposal_did_not_rename(members, rules):
    author, first, *_ = members
    proposal = services.propose_change(
        page=rules, body="Tyst efter 23.\n", author=author, message="Senare"
    )
    services.save_revision(page=rules, title="Regler i huset", body="Tyst efter 21.\n")
    rules.refresh_from_db()
    updated = services.update_proposal(
        proposal=proposal, by=author, title="Husregler", body="Tyst efter 23.\n", message="Senare"
    )
    assert updated.title == "Regler i huset" and not updated.title_changed


def test_a_proposal_that_changes_nothing_is_refused(members, rules):
    author = members[0]
    with refused(services.ProposalError, "changes_nothing", "ändrar ingenting"):
        services.propose_change(page=rules, body="Tyst efter 22.\n", author=author, message="X")
    with refused(services.ProposalError, "changes_nothing", "ändrar ingenting"):
        # Trailing spaces and a missing final newline are no change either.
        services.propose_change(page=rules, body="Tyst efter 22.  ", author=author, message="X")
    assert not rules.proposals.exists()
    proposal = propose(rules, author)
    with refused(services.ProposalError, "changes_nothing", "ändrar ingenting"):
        services.update_proposal(
            proposal=proposal, by=author, body="Tyst efter 22.\n", message="Ångrar mig"
        )


def test_a_proposal_without_a_summary_is_refused(members, rules):
    with refused(services.ProposalError, "summary_missing", "vad förslaget ändrar"):
        services.propose_change(page=rules, body="Nytt.\n", author=members[0], message="  ")
    with refused(services.ProposalError, "summary_missing", "vad förslaget ändrar"):
        services.propose_new_page(
            slug="ny-sida", title="Ny sida", body="", author=members[0], message=""
        )


def test_restoring_an_old_version_goes_through_the_approvals(members, rules):
    author, first, second, third = members
    old = rules.current_revision
    services.save_revision(page=rules, title="Regler", body="Alltid tyst.\n", author=third)

    proposal = services.propose_restore(revision=old, author=author)

    assert proposal.restored_from == old and proposal.is_open
    assert proposal.body == "Tyst efter 22.\n" and proposal.title_changed
    assert proposal.summary.startswith("Återställer versionen från")
    rules.refresh_from_db()
    assert rules.body == "Alltid tyst.\n"  # nothing changes before the approvals
    services.approve(proposal=proposal, approver=first)
    assert services.approve(proposal=proposal, approver=second).merged
    rules.refresh_from_db()
    assert (rules.title, rules.body) == ("Husregler", "Tyst efter 22.\n")
    assert rules.revisions.count() == 3  # restoring adds a revision, it never deletes one


def test_restoring_the_current_version_is_refused(members, rules):
    with refused(services.ProposalError, "changes_nothing", "ändrar ingenting"):
        services.propose_restore(revision=rules.current_revision, author=members[0])


def test_comments_can_be_edited_by_their_author_for_a_while_only(members, rules):
    author, other, *_ = members
    proposal = propose(rules, author)
    comment = services.add_comment(proposal=proposal, author=other, body="Varför 23?")
    with refused(services.ProposalError, "comment_edit_refused", "Bara den som skrev"):
        services.edit_comment(comment=comment, by=author, body="Ändrat")
    services.edit_comment(comment=comment, by=other, body="Varför just 23?")
    comment.refresh_from_db()
    assert comment.body == "Varför just 23?" and comment.edited_at is not None

    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(hours=1))
    comment.refresh_from_db()
    with refused(services.ProposalError, "comment_edit_refused", "15 minuter"):
        services.edit_comment(comment=comment, by=other, body="För sent")
    with refused(services.ProposalError, "comment_empty", "tom"):
        services.add_comment(proposal=proposal, author=other, body="   ")
