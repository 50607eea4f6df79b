"""The one membership rule (household.roles.is_household_member) over every URL of the handbook and
the admin: only a login linked to a tenant living here, or the treasurer, sees household data.
What each of the household's people gets at each URL: tests/<app>/test_access.py."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse
from django.utils import timezone

from handbook import services
from handbook.attachments import save_attachment
from handbook.models import Approval, Comment, Proposal, Watch
from household.roles import is_household_member
from tests.builders import (
    make_item,
    make_ledger_row,
    make_login,
    make_member,
    make_page,
    make_tenant,
    set_config,
)
from tests.page_text import visible_text
from tests.people import make_treasurer

pytestmark = pytest.mark.django_db


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.HANDBOOK_ATTACHMENTS_X_ACCEL = False
    page = make_page("husregler", title="Husregler", body="Tyst efter 22.\n\n[[hyresexempel]]\n")
    astrid, bo = make_member("astrid"), make_member("bo")
    proposal = services.propose_change(
        page=page, title="X", body="Y", author=astrid, message="Kortare husregler"
    )
    tenant = make_tenant("Cissi")
    return {
        "page": page,
        "proposal": proposal,
        "revision": page.current_revision,
        "comment": services.add_comment(proposal=proposal, author=astrid, body="Tyst efter 22?"),
        "attachment": save_attachment(
            upload=SimpleUploadedFile("kontrakt.pdf", PDF), uploaded_by=astrid, page=page
        ),
        "astrid": astrid,
        "bo": bo,
        "tenant": tenant,
        "ledger": make_ledger_row(tenant),
        "config": set_config("el", 2424, date(2025, 9, 1)),
        "item": make_item("Soffa", owners=[tenant]),
    }


def handbook_gets(world) -> dict[str, str]:
    page, proposal, revision = world["page"], world["proposal"], world["revision"]
    return {
        "notifications": reverse("handbook:notifications"),
        "attachment": world["attachment"].get_absolute_url(),
        "comment_edit": reverse("handbook:comment_edit", args=[proposal.pk, world["comment"].pk]),
        "compare": reverse("handbook:compare", args=[page.slug])
        + f"?fran={revision.pk}&till={revision.pk}",
        "index": reverse("handbook:index"),
        "search": reverse("handbook:search") + "?q=tyst",
        "rent_statement": reverse("handbook:rent_statement"),
        "rent_panel": reverse("handbook:rent_panel"),
        "proposals": reverse("handbook:proposals"),
        "propose_page": reverse("handbook:propose_page"),
        "proposal": reverse("handbook:proposal", args=[proposal.pk]),
        "proposal_update": reverse("handbook:proposal_update", args=[proposal.pk]),
        "page": reverse("handbook:page", args=[page.slug]),
        "propose_change": reverse("handbook:propose_change", args=[page.slug]),
        "history": reverse("handbook:history", args=[page.slug]),
        "revision": reverse("handbook:revision", args=[page.slug, revision.pk]),
    }


def handbook_posts(world) -> dict[str, str]:
    page, proposal, revision = world["page"], world["proposal"], world["revision"]
    return {
        "proposal_approve": reverse("handbook:proposal_approve", args=[proposal.pk]),
        "proposal_withdraw": reverse("handbook:proposal_withdraw", args=[proposal.pk]),
        "proposal_reject": reverse("handbook:proposal_reject", args=[proposal.pk]),
        "comment": reverse("handbook:comment", args=[proposal.pk]),
        "watch": reverse("handbook:watch", args=[page.slug]),
        "restore": reverse("handbook:restore", args=[page.slug, revision.pk]),
    }


HANDBOOK_POSTS = [
    "proposal_approve", "proposal_withdraw", "proposal_reject", "comment", "watch", "restore",
]  # fmt: skip


def test_every_handbook_view_is_in_this_test():
    """A view added to the handbook must be added here too (and so be checked)."""
    names = {
        name
        for name in get_resolver().namespace_dict["handbook"][1].reverse_dict
        if isinstance(name, str)
    }
    covered = {*handbook_gets_names(), *HANDBOOK_POSTS}
    assert names == covered


def handbook_gets_names():
    return [
        "index", "search", "rent_statement", "rent_panel", "proposals", "propose_page", "proposal",
        "proposal_update", "page", "propose_change", "history", "revision", "notifications",
        "attachment", "comment_edit", "compare",
    ]  # fmt: skip


def admin_urls(world) -> list[str]:
    urls = [
        reverse("admin:index"),
        reverse("admin:rent_month_costs", args=["2025-09"]),
        reverse("admin:rent_month_rent", args=["2025-09"]),
    ]
    for model, obj in [
        ("tenant", world["tenant"]),
        ("rentledger", world["ledger"]),
        ("rentconfig", world["config"]),
        ("coowneditem", world["item"]),
        ("rentcalculation", None),
    ]:
        urls.append(reverse(f"admin:rent_{model}_changelist"))
        if obj is not None:
            urls.append(reverse(f"admin:rent_{model}_change", args=[obj.pk]))
            urls.append(reverse(f"admin:rent_{model}_history", args=[obj.pk]))
    return urls


def handbook_admin_urls(world) -> list[str]:
    return [
        reverse("admin:handbook_page_changelist"),
        reverse("admin:handbook_page_change", args=[world["page"].pk]),
        reverse("admin:handbook_proposal_changelist"),
    ]


def outsiders():
    """Logins that are not household members, though some have roles or flags."""
    today = timezone.localdate()
    moved_out = make_tenant(
        "Utflyttad", start_date=date(2020, 1, 1), departure_date=today - timedelta(days=1)
    )
    coming = make_tenant("Kommande", start_date=today + timedelta(days=10))
    return {
        "no tenant, no group": make_login("nobody", is_staff=False),
        "staff in the member group, no tenant": make_login("staffer", role="Boende"),
        "moved out": make_login("gone", role="Boende", tenant=moved_out),
        "not moved in yet": make_login("soon", role="Boende", tenant=coming),
    }  # fmt: skip


def test_the_rule_itself(world):
    assert is_household_member(world["astrid"])
    assert is_household_member(make_treasurer())
    assert is_household_member(make_login("root", is_superuser=True))
    for login in outsiders().values():
        assert not is_household_member(login)
    inactive = make_member("sleepy", is_active=False)
    assert not is_household_member(inactive)


def test_outsiders_get_403_on_every_handbook_and_admin_url(client, world):
    assert set(handbook_gets(world)) == set(handbook_gets_names())
    assert set(handbook_posts(world)) == set(HANDBOOK_POSTS)
    for label, login in outsiders().items():
        client.force_login(login)
        for name, url in handbook_gets(world).items():
            response = client.get(url)
            assert response.status_code == 403, (label, name)
            html = response.content.decode()
            assert "Tyst efter 22" not in html, (label, name)
        for name, url in handbook_posts(world).items():
            response = client.post(url, {"body": "Utifrån."})
            assert response.status_code == 403, (label, name)
        if login.is_staff:
            for url in admin_urls(world) + handbook_admin_urls(world):
                assert client.get(url).status_code == 403, (label, url)
    assert not Approval.objects.exists()
    assert not Watch.objects.exists()
    assert list(Comment.objects.all()) == [world["comment"]]
    assert list(Proposal.objects.all()) == [world["proposal"]]  # no restore proposal either
    world["proposal"].refresh_from_db()
    assert world["proposal"].is_open


def test_the_treasurer_and_a_superuser_reach_the_admin(client, world):
    client.force_login(make_treasurer())
    for url in admin_urls(world):
        assert client.get(url).status_code == 200, url
    client.force_login(make_login("root", is_superuser=True))
    for url in admin_urls(world) + handbook_admin_urls(world):
        assert client.get(url).status_code == 200, url


def test_a_non_member_approval_never_counts(world, settings):
    settings.HANDBOOK_REQUIRED_APPROVALS = 1
    outsider = make_login("nobody", is_staff=False)
    with pytest.raises(services.ProposalError):
        services.approve(proposal=world["proposal"], approver=outsider)
    world["proposal"].refresh_from_db()
    assert world["proposal"].is_open and not world["proposal"].approvals.exists()
    result = services.approve(proposal=world["proposal"], approver=world["bo"])
    assert result.merged


MENU_LINKS = ['href="/handbok/"', 'href="/handbok/forslag/"', 'href="/hyra/"', 'href="/admin/"']


def test_a_tenant_who_moved_out_reads_their_own_statement_and_nothing_else(client, world, people):
    gone, other = people.moved_out_tenant, people.member_tenant
    make_ledger_row(gone, rent_month=date(2025, 10, 1), amount_due=Decimal("7045"))
    client.force_login(people.moved_out)
    own = client.get(f"/hyra/{gone.pk}/")
    assert own.status_code == 200
    html = own.content.decode()
    assert "Är skyldig 7 045 kr" in visible_text(html)
    assert f'href="/hyra/{gone.pk}/"' in html  # the one place in the menu
    assert not [link for link in MENU_LINKS if link in html]
    assert client.get(f"/hyra/{gone.pk}/csv/").status_code == 200
    for url in (f"/hyra/{other.pk}/", f"/hyra/{other.pk}/csv/", "/hyra/", "/hyra/historik/",
                "/saker/", "/handbok/", "/admin/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 403, url
        assert other.name not in response.content.decode(), url
        assert not [link for link in MENU_LINKS if link in response.content.decode()], url


def test_the_403_page_shows_a_login_without_a_tenant_no_menu_it_cannot_use(client, world):
    client.force_login(make_login("staffer", role="Boende"))
    for url in ("/handbok/", "/hyra/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 403
        assert not [link for link in MENU_LINKS if link in response.content.decode()], url
