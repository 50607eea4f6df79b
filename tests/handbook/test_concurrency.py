"""Approvals given at the same moment: nothing merges twice and no approval is lost.

Each scenario holds one approval's transaction open (as a slow request would) while a second
approval starts in another thread with its own database connection. With the row locks in
handbook.services.approve the second waits for the first to commit and then sees its work.
Row locks need a real server, so these run on PostgreSQL only.
"""

import threading

import pytest
from django.db import connection, connections, transaction

from handbook import services
from handbook.models import Page, Proposal, ProposalStatus
from tests.builders import make_member, make_page
from tests.refusals import refused

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks (SELECT … FOR UPDATE) need PostgreSQL"
    ),
]

HOLD_SECONDS = 0.5  # long enough for the other thread to reach its lock and wait


def first_holds_while_second_runs(first, second):
    """Run `first` inside a transaction kept open for HOLD_SECONDS after it returns, and
    `second` in another thread as soon as `first` has returned. Returns both results."""
    results, errors = {}, []
    first_done = threading.Event()

    def run_first():
        try:
            with transaction.atomic():
                results["first"] = first()
                first_done.set()
                # The second thread now runs; it must wait for this commit, not read around it.
                threading.Event().wait(HOLD_SECONDS)
        except Exception as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
            first_done.set()
        finally:
            connections.close_all()

    def run_second():
        first_done.wait(10)
        try:
            results["second"] = second()
        except Exception as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    return results["first"], results["second"]


@pytest.fixture
def members():
    return [make_member(name) for name in ("astrid", "bo", "cecilia", "david")]


def test_two_approvals_at_once_are_both_kept_and_merge_once(members):
    author, first, second, _ = members
    rules = make_page("husregler", title="Husregler", body="Tyst efter 22.\n")
    proposal = services.propose_change(
        message="Ändring", page=rules, title="Husregler", body="Tyst efter 23.\n", author=author
    )

    one, two = first_holds_while_second_runs(
        lambda: services.approve(proposal=proposal, approver=first),
        lambda: services.approve(proposal=proposal, approver=second),
    )

    assert (one.merged, one.approvals) == (False, 1)
    assert (two.merged, two.approvals) == (True, 2)  # it counted the first one's approval
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.MERGED
    assert proposal.approvals.count() == 2
    rules.refresh_from_db()
    assert rules.body == "Tyst efter 23.\n" and rules.revisions.count() == 2


def test_a_late_approval_at_the_moment_of_merging_is_refused_not_merged_again(members):
    author, first, second, third = members
    rules = make_page("husregler", title="Husregler", body="Tyst efter 22.\n")
    proposal = services.propose_change(
        message="Ändring", page=rules, title="Husregler", body="Tyst efter 23.\n", author=author
    )
    services.approve(proposal=proposal, approver=first)

    def third_approves():
        with refused(services.ProposalError, "proposal_closed", "inte längre öppet"):
            services.approve(proposal=proposal, approver=third)
        return None

    merged, _ = first_holds_while_second_runs(
        lambda: services.approve(proposal=proposal, approver=second), third_approves
    )

    assert merged.merged
    assert rules.revisions.count() == 2  # one merge, one new revision
    assert proposal.approvals.count() == 2


def test_two_proposals_on_one_page_merging_at_once_do_not_overwrite_each_other(members):
    author, first, second, other = members
    rules = make_page("husregler", title="Husregler", body="Tyst efter 22.\n")
    mine = services.propose_change(
        message="Ändring", page=rules, title="Husregler", body="Mitt.\n", author=author
    )
    theirs = services.propose_change(
        message="Ändring", page=rules, title="Husregler", body="Ditt.\n", author=other
    )
    services.approve(proposal=mine, approver=first)
    services.approve(proposal=theirs, approver=first)

    one, two = first_holds_while_second_runs(
        lambda: services.approve(proposal=mine, approver=second),
        lambda: services.approve(proposal=theirs, approver=second),
    )

    assert one.merged
    assert not two.merged and "Sidan har ändrats" in two.blocked_reason
    rules.refresh_from_db()
    assert rules.body == "Mitt.\n" and rules.revisions.count() == 2
    theirs.refresh_from_db()
    assert theirs.status == ProposalStatus.OPEN and theirs.approvals.count() == 2


def test_two_new_pages_with_one_address_merging_at_once_make_one_page(members):
    author, first, second, other = members
    mine = services.propose_new_page(
        message="Ändring", slug="tvatt", title="Tvätt", body="Mitt.\n", author=author
    )
    theirs = services.propose_new_page(
        message="Ändring", slug="tvatt", title="Tvätt", body="Ditt.\n", author=other
    )
    services.approve(proposal=mine, approver=first)
    services.approve(proposal=theirs, approver=first)

    one, two = first_holds_while_second_runs(
        lambda: services.approve(proposal=mine, approver=second),
        lambda: services.approve(proposal=theirs, approver=second),
    )

    assert one.merged
    assert not two.merged and "tvatt" in two.blocked_reason
    assert Page.objects.get(slug="tvatt").body == "Mitt.\n"
    assert Proposal.objects.get(pk=theirs.pk).status == ProposalStatus.OPEN
