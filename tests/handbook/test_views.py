"""The handbook's pages: login everywhere, members propose and approve, the rent panel."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from handbook import services, views
from handbook.importing import import_folder
from handbook.models import Page, Proposal, ProposalStatus
from rent import read_model
from tests.builders import (
    make_ledger_row,
    make_login,
    make_member,
    make_page,
    make_tenant,
    set_month_config,
)
from tests.page_text import visible_text
from tests.people import make_treasurer

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules():
    return make_page(
        "husregler",
        title="Husregler",
        body="## Tystnad\n\nTyst efter 22.\n\n## Städning\n\nVarje fredag.\n",
        position=1,
    )


@pytest.fixture
def members():
    return [make_member(name) for name in ("astrid", "bo", "cecilia")]


def client_for(client, user):
    client.force_login(user)
    return client


def test_anonymous_buttons_are_sent_to_the_login_and_change_nothing(client, rules, members):
    """(What every handbook URL answers to whom: tests/handbook/test_access.py.)"""
    proposal = services.propose_change(
        message="Ändring", page=rules, title="X", body="Y", author=members[0]
    )
    for name in ("proposal_approve", "proposal_withdraw", "proposal_reject"):
        response = client.post(reverse(f"handbook:{name}", args=[proposal.pk]))
        assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]
    assert not proposal.approvals.exists()


def test_the_proposal_buttons_take_only_a_post(client, rules, members):
    proposal = services.propose_change(
        message="Ändring", page=rules, title="X", body="Y", author=members[0]
    )
    client_for(client, members[1])
    for name in ("proposal_approve", "proposal_withdraw", "proposal_reject"):
        response = client.get(reverse(f"handbook:{name}", args=[proposal.pk]))
        assert response.status_code == 405, name
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN and not proposal.approvals.exists()
    missing = client.post(reverse("handbook:proposal_approve", args=[proposal.pk + 1000]))
    assert missing.status_code == 404


def test_anonymous_sees_nothing_of_the_handbook(client, rules):
    response = client.get(reverse("handbook:page", args=["husregler"]), follow=True)
    assert b"Tyst efter 22" not in response.content
    assert b"Husregler" not in response.content


def test_the_site_root_goes_to_the_handbook(client, members):
    response = client_for(client, members[0]).get("/")
    assert response.status_code == 302 and response["Location"] == "/handbok/"


def test_the_index_lists_pages_in_order_recent_changes_and_open_proposals(client, rules, members):
    make_page("kok", title="Köket", position=2)
    make_page("a-forst", title="Allra först", position=0)
    services.propose_change(
        message="Ändring", page=rules, title="Husregler", body="Nytt", author=members[1]
    )
    html = client_for(client, members[0]).get(reverse("handbook:index")).content.decode()
    assert html.index("Allra först") < html.index("Husregler") < html.index("Köket")
    assert "Öppna förslag" in html and "0 av 2 godkännanden" in html
    assert "Senast ändrat" in html


def test_a_page_shows_its_contents_with_anchors_last_change_and_propose_button(
    client, rules, members
):
    html = client_for(client, members[0]).get(rules.get_absolute_url()).content.decode()
    assert '<h2 id="tystnad">Tystnad</h2>' in html
    assert '<a href="#stadning">Städning</a>' in html
    assert "Senast ändrad" in html
    assert reverse("handbook:propose_change", args=["husregler"]) in html


def test_a_page_s_text_is_rendered_once_and_a_new_text_at_once(client, rules, members, monkeypatch):
    """The HTML is kept under the text's hash: read again, nothing is parsed; a new revision
    shows on the next read."""
    rendered = []
    render = views.render_markdown
    monkeypatch.setattr(
        views, "render_markdown", lambda text: rendered.append(text) or render(text)
    )
    client_for(client, members[0])
    for _ in range(2):
        assert (
            '<h2 id="tystnad">Tystnad</h2>' in client.get(rules.get_absolute_url()).content.decode()
        )
    assert len(rendered) == 1
    services.save_revision(page=rules, title="Husregler", body="## Tystnad\n\nTyst efter **23**.\n")
    assert (
        "Tyst efter <strong>23</strong>." in client.get(rules.get_absolute_url()).content.decode()
    )
    assert len(rendered) == 2


def test_an_unknown_page_is_404(client, members):
    assert client_for(client, members[0]).get("/handbok/finns-inte/").status_code == 404


def test_a_member_proposes_a_change_with_a_preview_and_others_approve_it(client, rules, members):
    author, first, second = members
    url = reverse("handbook:propose_change", args=["husregler"])
    client_for(client, author)
    form = {"title": "Husregler", "body": "## Tystnad\n\nTyst efter **23**.\n", "message": "Senare"}

    preview = client.post(url, {**form, "preview": "1"})
    assert preview.status_code == 200
    assert "<strong>23</strong>" in preview.content.decode()
    assert not Proposal.objects.exists()

    response = client.post(url, {**form, "save": "1"})
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    detail = client.get(proposal.get_absolute_url()).content.decode()
    assert "Du kan inte godkänna ditt eget förslag" in detail
    assert "Godkänn</button>" not in detail
    assert "Tyst efter <del>22</del><ins>**23**</ins>." in detail

    client.post(reverse("handbook:proposal_approve", args=[proposal.pk]))
    assert not proposal.approvals.exists()  # self-approval refused

    client_for(client, first).post(reverse("handbook:proposal_approve", args=[proposal.pk]))
    detail = client.get(proposal.get_absolute_url()).content.decode()
    assert "Godkännanden (1 av 2)" in detail and "bo –" in detail

    response = client_for(client, second).post(
        reverse("handbook:proposal_approve", args=[proposal.pk]), follow=True
    )
    assert "är infört på sidan" in response.content.decode()
    page = client.get(rules.get_absolute_url()).content.decode()
    assert "Tyst efter <strong>23</strong>." in page
    assert "av astrid" in page


def test_approving_twice_shows_why_it_was_refused(client, rules, members):
    proposal = services.propose_change(
        message="Ändring", page=rules, title="X", body="Y", author=members[0]
    )
    client_for(client, members[1])
    client.post(reverse("handbook:proposal_approve", args=[proposal.pk]))
    response = client.post(reverse("handbook:proposal_approve", args=[proposal.pk]), follow=True)
    assert "Du har redan godkänt" in response.content.decode()
    assert proposal.approvals.count() == 1


def test_a_stale_proposal_says_so_and_its_author_updates_it(client, rules, members):
    author, first, second = members
    proposal = services.propose_change(
        message="Ändring", page=rules, title="Husregler", body="Mitt", author=author
    )
    services.approve(proposal=proposal, approver=first)
    services.save_revision(page=rules, title="Husregler", body="Någon annans", author=second)

    detail = client_for(client, author).get(proposal.get_absolute_url()).content.decode()
    assert "Sidan har ändrats sedan förslaget skrevs" in detail
    form = client.get(reverse("handbook:proposal_update", args=[proposal.pk])).content.decode()
    assert "Sidan har ändrats sedan du skrev förslaget" in form
    assert '<div class="row added"><ins>Någon annans</ins></div>' in form

    client.post(
        reverse("handbook:proposal_update", args=[proposal.pk]),
        {"body": "Båda", "message": "Båda behövs", "save": "1"},
    )
    proposal.refresh_from_db()
    assert proposal.body == "Båda" and proposal.approvals.count() == 0
    assert proposal.stale_reason == ""


def test_only_the_author_may_open_the_update_form(client, rules, members):
    proposal = services.propose_change(
        message="Ändring", page=rules, title="X", body="Y", author=members[0]
    )
    url = reverse("handbook:proposal_update", args=[proposal.pk])
    assert client_for(client, members[1]).get(url).status_code == 404


def test_the_author_withdraws_and_a_member_cannot_reject(client, rules, members):
    author, other, _ = members
    proposal = services.propose_change(
        message="Ändring", page=rules, title="X", body="Y", author=author
    )
    client_for(client, other).post(reverse("handbook:proposal_reject", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN
    client_for(client, author).post(reverse("handbook:proposal_withdraw", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN


def test_a_treasurer_sees_and_uses_the_reject_button(client, rules, members):
    proposal = services.propose_change(
        message="Ändring", page=rules, title="X", body="Y", author=members[0]
    )
    treasurer = make_treasurer()
    html = client_for(client, treasurer).get(proposal.get_absolute_url()).content.decode()
    assert "Avvisa</button>" in html
    client.post(reverse("handbook:proposal_reject", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED


def test_a_member_proposes_a_new_page(client, members):
    client_for(client, members[0]).post(
        reverse("handbook:propose_page"),
        {
            "title": "Cykelrummet",
            "slug": "cykelrummet",
            "body": "Lås cykeln.",
            "message": "Var cyklarna står",
            "save": "1",
        },
    )
    proposal = Proposal.objects.get()
    assert proposal.is_new_page and proposal.slug == "cykelrummet"
    for member in members[1:]:
        client_for(client, member).post(reverse("handbook:proposal_approve", args=[proposal.pk]))
    assert Page.objects.get(slug="cykelrummet").body == "Lås cykeln."


def test_a_reserved_slug_is_refused_in_the_form(client, members):
    response = client_for(client, members[0]).post(
        reverse("handbook:propose_page"),
        {"title": "Sök", "slug": "sok", "body": "", "message": "Sök", "save": "1"},
    )
    assert response.status_code == 200
    assert "upptagen av handboken" in response.content.decode()
    assert not Proposal.objects.exists()


def test_history_lists_revisions_and_shows_a_diff_against_the_previous(client, rules, members):
    revision = services.save_revision(
        page=rules, title="Husregler", body="## Tystnad\n\nTyst efter 23.\n", author=members[0]
    )
    client_for(client, members[1])
    history = client.get(reverse("handbook:history", args=["husregler"])).content.decode()
    assert history.count('data-testid="history-row"') == 2
    html = client.get(reverse("handbook:revision", args=["husregler", revision.pk])).content
    html = html.decode()
    assert "Tyst efter <del>22</del><ins>23</ins>." in html
    assert "@@" not in html


def test_search_shows_highlighted_hits(client, rules, members):
    html = client_for(client, members[0]).get(reverse("handbook:search"), {"q": "städning"})
    html = html.content.decode()
    assert 'href="/handbok/husregler/"' in html and "<mark>" in html


def test_hostile_markdown_is_sanitized_on_the_page(client, members):
    make_page("farlig", body='<script>alert(1)</script><a href="javascript:x()">x</a>')
    html = client_for(client, members[0]).get("/handbok/farlig/").content.decode()
    assert "alert(1)" not in html and "javascript:" not in html


# The rent panel. Config month September 2025 (rent for October, due 27 September).
SEPT, OCT = date(2025, 9, 1), date(2025, 10, 1)


@pytest.fixture
def household():
    set_month_config(SEPT, kallhyra=24530, el=2424, bredband=400)
    return [make_tenant(name) for name in ("Adam", "Amanda", "Fredrik", "Rasmus")]


@pytest.fixture
def september(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2025, 9, 10))


def test_a_handbook_page_computes_no_rent_until_the_reader_opens_it(
    client, household, september, monkeypatch
):
    """The pages offer "The rent for October 2025" closed; the panel is its own request, and
    its month comes from the read module's cache (rent.read_model.charged_month)."""
    asked = []
    original = read_model.compute_charged_month
    monkeypatch.setattr(
        read_model, "compute_charged_month", lambda *a, **k: asked.append(1) or original(*a, **k)
    )
    member = make_login("adam", is_staff=False, tenant=household[0])
    client_for(client, member)
    make_page("husregler", title="Husregler")
    for url in (reverse("handbook:index"), "/handbok/husregler/"):
        html = client.get(url).content.decode()
        slot = html[html.index('data-testid="rent-panel-slot"') :]
        assert f'data-rent-panel="{reverse("handbook:rent_panel")}"' in html
        assert "Hyran för oktober 2025" in slot and "7 045 kr" not in html
        assert 'data-testid="rent-panel"' not in html
    assert asked == []
    panel = client.get(reverse("handbook:rent_panel")).content.decode()
    assert 'data-testid="rent-panel"' in panel and "7 045 kr" in panel
    assert 'data-testid="rent-panel-slot"' not in panel  # the panel's own page has no slot
    client.get(reverse("handbook:rent_panel"))
    assert asked == [1]  # kept under the data version: asked again, not computed again


def rent_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured if '"rent_' in query["sql"]]


def test_an_ordinary_handbook_page_makes_no_rent_query(client, household, september):
    """Beside the membership check (made once, then kept under the data version) a handbook
    page reads nothing of the rent; the panel reads the month from the read module's cache."""
    adam = household[0]
    make_ledger_row(adam, rent_month=OCT, amount_due=Decimal("7100"))
    client_for(client, make_login("adam", is_staff=False, tenant=adam))
    make_page("husregler", title="Husregler")
    client.get(reverse("handbook:index"))  # the membership decision, made and kept
    for url in (reverse("handbook:index"), "/handbok/husregler/", "/handbok/husregler/historik/"):
        assert rent_queries(client, url) == [], url
    assert any("rent_rentledger" in sql for sql in rent_queries(client, PANEL))  # asked for
    again = rent_queries(client, PANEL)  # the month is cached: only the reader's account
    assert not any("rent_rentconfig" in sql or "rent_rentcalculation" in sql for sql in again)


PANEL = "/handbok/hyra/panel/"


def test_the_panel_speaks_the_readers_language_after_the_other(client, household, september):
    """The month's changes since saving are words: kept per language by the read module, so a
    reader who switches language reads them in the new one."""
    adam = household[0]
    make_ledger_row(adam, rent_month=OCT, amount_due=Decimal("7100"))  # Adam's month saved
    client_for(client, make_login("adam", is_staff=False, tenant=adam))
    swedish = client.get(PANEL).content.decode()
    assert "Amanda tillkommer" in swedish
    english = client.get(PANEL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Amanda added" in english and "tillkommer" not in english


def test_a_linked_member_sees_their_coming_rent_and_due_date(client, household, september):
    member = make_login("adam", is_staff=False, tenant=household[0])
    html = client_for(client, member).get(reverse("handbook:rent_panel")).content.decode()
    assert "Hyran för oktober 2025" in html
    assert "7 045 kr" in html
    assert "Betalas senast 27 september" in html
    assert "Preliminär" in html
    assert "Inget obetalt" in html
    panel = html[html.index('data-testid="rent-panel"') :]
    panel = panel[: panel.index("</section>")]
    assert f'href="{reverse("handbook:rent_statement")}"' in panel  # the link to the statement


def test_a_saved_ledger_row_is_shown_with_what_is_unpaid(client, household, september):
    adam = household[0]
    member = make_login("adam", is_staff=False, tenant=adam)
    make_ledger_row(adam, rent_month=OCT, amount_due=Decimal("7100"))
    make_ledger_row(adam, rent_month=date(2025, 8, 1), amount_due=Decimal("7000"),
                    amount_paid=Decimal("6500"))  # fmt: skip
    html = client_for(client, member).get(reverse("handbook:rent_panel")).content.decode()
    assert "7 100 kr" in html and "Preliminär" not in html
    # One balance (rent.ledger.balances) on the panel and the statement: every unpaid month.
    text = visible_text(html)
    assert "Obetalt totalt: 7 600 kr" in text and "augusti 2025: 500 kr" in text
    assert "oktober 2025: 7 100 kr" in text
    # The statement moved to the rent app (/hyra/<tenant>/); the old address redirects.
    statement = client.get(reverse("handbook:rent_statement"), follow=True).content.decode()
    assert "7 100 kr" in statement and "Är skyldig 7 600 kr" in visible_text(statement)


def test_a_member_without_a_tenant_sees_the_month_total(client, household, september):
    member = make_login("gast", role="Kassör", is_staff=False)
    html = client_for(client, member).get(reverse("handbook:rent_panel")).content.decode()
    assert "Hela husets hyra: 28 179 kr" in visible_text(html)
    assert "7 045 kr" not in html  # nobody's own share
    response = client.get(reverse("handbook:rent_statement"))
    assert response["Location"] == "/hyra/"  # no statement of one's own: the coming rent


def test_the_rent_page_works_the_coming_month_through_live(client, household, september):
    make_page("hur-hyran-raknas", title="Hur hyran räknas", body="Så här.\n\n[[hyresexempel]]\n")
    member = make_login("gast", role="Kassör", is_staff=False)
    html = client_for(client, member).get("/handbok/hur-hyran-raknas/").content.decode()
    assert "[[hyresexempel]]" not in html
    assert "Räkneexempel: hyran för oktober 2025" in html
    assert "28 179 kr" in html  # the total
    assert "7044,75" in html  # the exact share before rounding
    assert "alla betalar den högsta" in html  # the equalisation lifted the one 7044


def test_the_starter_rent_page_follows_the_database_step_by_step(client, household, september):
    """The project's own "Hur hyran räknas" page, imported as the run command does, worked
    through for the coming month; a tenant leaving mid-month and a new electricity bill change
    the numbers the next time the page is read."""
    import_folder(Path(__file__).resolve().parents[2] / "fixtures" / "handbook")
    rasmus = household[3]
    rasmus.departure_date = date(2025, 10, 16)
    rasmus.save()
    client_for(client, make_login("gast", role="Kassör", is_staff=False))

    def example():
        html = client.get("/handbok/hur-hyran-raknas/").content.decode()
        start = html.index('data-testid="rent-example"')
        return html[start : html.index("</section>", start)]

    html = example()
    assert "Hur hyran räknas" in client.get("/handbok/hur-hyran-raknas/").content.decode()
    assert "Räkneexempel: hyran för oktober 2025" in html
    assert "28 179 kr" in html  # step 1: 24 530 + 2 424 + 400 + the fees 375 + 300 + 150
    assert "oktober har 31 dagar" in html  # step 2
    assert '<td>Rasmus</td><td class="num">16</td>' in html  # 16 of 31 days
    assert "W = 3,5161" in html  # 3 + 16/31
    assert "28179 ÷ 3,5161 = <strong>8014,21 kr</strong>" in html  # step 3: 28179 × 31 / 109
    # step 4: exact shares and rounding; step 5: 8014 × 3 + 4136 = 28178, so Rasmus (.37, the
    # largest decimal part) gets the missing krona
    assert '<td>Rasmus</td><td class="num">4136,37</td><td class="num">4136</td>' in html
    amounts = re.findall(r"<strong>(.*?)</strong>", html)
    assert "4 137 kr" in map(visible_text, amounts)
    assert list(map(visible_text, amounts)).count("8 014 kr") == 3
    assert "så 1 kr lades till" in html
    assert "Betalas senast 27 september 2025" in html

    set_month_config(SEPT, el=3424)  # a late electricity bill
    html = example()
    assert "29 179 kr" in html and "8014,28" not in html


def test_proposal_lists_show_summary_author_age_and_approvals(client, rules, members):
    author, first, _ = members
    proposal = services.propose_change(
        page=rules, body="Tyst efter 23.\n", author=author, message="Tydligare diskregel"
    )
    services.approve(proposal=proposal, approver=first)
    client_for(client, first)
    for url in (reverse("handbook:proposals"), reverse("handbook:index")):
        html = client.get(url).content.decode()
        assert "Tydligare diskregel" in html, url
        assert "av astrid för 0\xa0minuter sedan" in html, url
        assert "1 av 2 godkännanden" in html, url


def test_the_form_keeps_the_title_unless_asked_and_refuses_an_empty_proposal(
    client, rules, members
):
    url = reverse("handbook:propose_change", args=["husregler"])
    client_for(client, members[0])
    form = {"message": "Tydligare diskregel", "body": rules.body, "save": "1"}
    response = client.post(url, {**form, "title": "Tydligare diskregel"})
    assert response.status_code == 200
    assert "Förslaget ändrar ingenting" in response.content.decode()
    assert not Proposal.objects.exists()

    response = client.post(url, {**form, "body": "Nytt.\n", "title": "Tydligare diskregel"})
    proposal = Proposal.objects.get()
    assert proposal.title == "Husregler" and proposal.summary == "Tydligare diskregel"
    assert "Sidans titel ändras" not in client.get(proposal.get_absolute_url()).content.decode()

    response = client.post(url, {**form, "message": "", "body": "Annat.\n"})
    assert "Detta fält måste fyllas i" in response.content.decode()

    client.post(url, {**form, "change_title": "on", "title": "Husets regler"})
    renamed = Proposal.objects.latest("id")
    detail = client.get(renamed.get_absolute_url()).content.decode()
    assert "Sidans titel ändras: ”Husregler” → ”Husets regler”." in detail


def test_any_two_revisions_are_compared_word_by_word(client, rules, members):
    first = rules.current_revision
    services.save_revision(page=rules, title="Husregler", body="## Tystnad\n\nTyst efter 23.\n")
    third = services.save_revision(
        page=rules, title="Husregler", body="## Tystnad\n\nTyst efter 23 på helger.\n"
    )
    client_for(client, members[0])
    history = client.get(reverse("handbook:history", args=["husregler"])).content.decode()
    assert 'name="fran"' in history and "Jämför de valda versionerna" in history
    url = reverse("handbook:compare", args=["husregler"])
    html = client.get(url, {"fran": first.pk, "till": third.pk}).content.decode()
    assert "Tyst efter <del>22</del><ins>23 på helger</ins>." in html
    assert "<del>## Städning</del>" in html
    assert client.get(url, {"fran": first.pk, "till": "x"}).status_code == 404
    other = make_page("annan")
    bad = client.get(url, {"fran": first.pk, "till": other.current_revision.pk})
    assert bad.status_code == 404


def test_restore_from_a_revision_page_makes_a_proposal(client, rules, members):
    old = rules.current_revision
    services.save_revision(page=rules, title="Husregler", body="Alltid tyst.\n")
    client_for(client, members[0])
    page = client.get(reverse("handbook:revision", args=["husregler", old.pk])).content.decode()
    assert "Återställ den här versionen" in page
    response = client.post(reverse("handbook:restore", args=["husregler", old.pk]))
    proposal = Proposal.objects.get()
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.restored_from == old and proposal.body == old.body
    detail = client.get(proposal.get_absolute_url()).content.decode()
    assert "Det här förslaget återställer" in detail
    current = rules.revisions.latest("id")
    html = client.get(reverse("handbook:revision", args=["husregler", current.pk])).content
    assert "Återställ den här versionen" not in html.decode()


def test_comments_are_markdown_sanitized_and_editable_by_their_author(client, rules, members):
    author, other, _ = members
    proposal = services.propose_change(page=rules, body="Ny.\n", author=author, message="Ny")
    client_for(client, other).post(
        reverse("handbook:comment", args=[proposal.pk]),
        {"body": "Varför **22**? <script>alert(1)</script><img src=x onerror=alert(2)>"},
    )
    comment = proposal.comments.get()
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Varför <strong>22</strong>?" in html
    assert "<script>alert" not in html and "onerror" not in html
    edit_url = reverse("handbook:comment_edit", args=[proposal.pk, comment.pk])
    assert "Ändra</a>" in html
    client.post(edit_url, {"body": "Varför just 22?"})
    comment.refresh_from_db()
    assert comment.body == "Varför just 22?" and comment.edited_at
    assert client_for(client, author).get(edit_url).status_code == 404


def test_the_history_shows_the_proposal_and_who_approved_it(client, rules, members):
    author, first, second = members
    proposal = services.propose_change(page=rules, body="Ny.\n", author=author, message="Kort")
    services.approve(proposal=proposal, approver=first)
    services.approve(proposal=proposal, approver=second)
    proposal.refresh_from_db()
    html = client_for(client, author).get(reverse("handbook:history", args=["husregler"]))
    html = html.content.decode()
    assert f'Från <a href="{proposal.get_absolute_url()}">förslag #{proposal.pk}</a>' in html
    assert "godkänt av bo, cecilia" in html
    revision = client.get(proposal.merged_revision.get_absolute_url()).content.decode()
    assert "godkänt av bo, cecilia" in revision


def test_search_suggests_when_nothing_matches(client, rules, members):
    html = client_for(client, members[0]).get(reverse("handbook:search"), {"q": "tystnadd"})
    html = html.content.decode()
    assert 'data-testid="suggestion"' not in html  # found by the typo rule
    html = client.get(reverse("handbook:search"), {"q": "fredgaa"}).content.decode()
    assert "Inga träffar" in html and "Menade du" in html and "?q=fredag" in html
