"""The handbook in the admin: pages, read-only revisions, proposals with approvals inline."""

import pytest
from django.urls import reverse

from handbook import services
from tests.builders import make_login, make_member, make_page

pytestmark = pytest.mark.django_db


def test_the_superuser_can_open_every_handbook_admin_page(client):
    root = make_login("root", is_superuser=True)
    page = make_page("husregler")
    proposal = services.propose_change(
        message="Ändring", page=page, title="X", body="Y", author=root
    )
    services.approve(proposal=proposal, approver=make_member("bo"))
    services.add_comment(proposal=proposal, author=root, body="En fråga om ordet")
    client.force_login(root)
    for url in (
        reverse("admin:handbook_attachment_changelist"),
        reverse("admin:handbook_page_changelist"),
        reverse("admin:handbook_page_change", args=[page.pk]),
        reverse("admin:handbook_revision_changelist"),
        reverse("admin:handbook_proposal_changelist"),
        reverse("admin:handbook_proposal_change", args=[proposal.pk]),
    ):
        assert client.get(url).status_code == 200, url
    html = client.get(reverse("admin:handbook_proposal_change", args=[proposal.pk])).content
    assert b"bo" in html  # the approval, inline
    assert "En fråga om ordet".encode() in html  # the comment, inline
    assert client.get(reverse("admin:handbook_attachment_add")).status_code == 403


def test_revisions_are_read_only_in_the_admin(client):
    root = make_login("root", is_superuser=True)
    revision = make_page("husregler", body="Original").current_revision
    client.force_login(root)
    url = reverse("admin:handbook_revision_change", args=[revision.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"title": "Ändrad", "body": "Ändrad", "message": ""})
    revision.refresh_from_db()
    assert revision.body == "Original"
    assert client.get(reverse("admin:handbook_revision_add")).status_code == 403


def test_a_page_changed_or_added_in_the_admin_gets_a_revision(client):
    root = make_login("root", is_superuser=True)
    page = make_page("husregler", title="Husregler", body="Tyst efter 22.\n", position=1)
    client.force_login(root)
    form = {"slug": "husregler", "title": "Husregler", "position": 1}

    client.post(reverse("admin:handbook_page_change", args=[page.pk]),
                {**form, "body": "Tyst efter 23."})  # fmt: skip

    page.refresh_from_db()
    assert page.body == "Tyst efter 23." and page.revisions.count() == 2
    assert page.current_revision.body == "Tyst efter 23."
    assert page.current_revision.author == root
    client.post(reverse("admin:handbook_page_change", args=[page.pk]),
                {**form, "body": "Tyst efter 23.", "position": 4})  # fmt: skip
    page.refresh_from_db()
    assert page.position == 4 and page.revisions.count() == 2  # no text change, no revision

    client.post(reverse("admin:handbook_page_add"),
                {"slug": "kok", "title": "Köket", "body": "Diska.", "position": 2})  # fmt: skip
    added = services.Page.objects.get(slug="kok")
    assert added.current_revision.body == "Diska." and added.revisions.count() == 1
