"""The handbook in the admin: pages, read-only revisions, proposals with approvals inline."""

import pytest
from django.urls import reverse

from handbook import services
from tests.builders import make_login, make_page

pytestmark = pytest.mark.django_db


def test_the_superuser_can_open_every_handbook_admin_page(client):
    root = make_login("root", is_superuser=True)
    page = make_page("husregler")
    proposal = services.propose_change(page=page, title="X", body="Y", author=root)
    services.approve(proposal=proposal, approver=make_login("bo", is_staff=False))
    client.force_login(root)
    for url in (
        reverse("admin:handbook_page_changelist"),
        reverse("admin:handbook_page_change", args=[page.pk]),
        reverse("admin:handbook_revision_changelist"),
        reverse("admin:handbook_proposal_changelist"),
        reverse("admin:handbook_proposal_change", args=[proposal.pk]),
    ):
        assert client.get(url).status_code == 200, url
    html = client.get(reverse("admin:handbook_proposal_change", args=[proposal.pk])).content
    assert b"bo" in html  # the approval, inline


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
