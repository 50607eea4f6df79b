"""Email through Django's email framework (locmem in tests) over a proposal's whole life."""

from io import StringIO

import pytest
from django.core.mail import BadHeaderError
from django.core.management import call_command
from django.urls import reverse

from handbook import notifications, services
from handbook.forms import ProposalForm
from handbook.models import PendingNotification, Proposal, Watch
from handbook.notifications import preferences_for
from tests.builders import make_login, make_member, make_page
from tests.refusals import refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    names = ("astrid", "bo", "cecilia", "david")
    return {name: make_member(name, email=f"{name}@example.org") for name in names}


@pytest.fixture
def rules():
    return make_page("husregler", title="Husregler", body="Tyst efter 22.\n")


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """Run a step and its after-commit mail, as a request would."""

    def run(step):
        with django_capture_on_commit_callbacks(execute=True):
            return step()

    return run


def to(mailoutbox, address):
    return [mail for mail in mailoutbox if mail.to == [address]]


def test_the_whole_lifecycle_mails_the_right_people(people, rules, act, mailoutbox):
    astrid, bo, cecilia, david = people.values()
    act(lambda: Watch.objects.create(page=rules, user=david))
    proposal = act(
        lambda: services.propose_change(
            page=rules, body="Tyst efter 23.\n", author=astrid, message="Senare tystnad"
        )
    )
    # Everyone but the author is asked to approve; nobody outside the household is.
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "bo@example.org",
        "cecilia@example.org",
        "david@example.org",
    ]
    ask = to(mailoutbox, "bo@example.org")[0]
    assert "väntar på ditt godkännande" in ask.subject and "Senare tystnad" in ask.subject
    assert f"https://kimonokittens.test/handbok/forslag/{proposal.pk}/" in ask.body
    mailoutbox.clear()

    act(lambda: services.add_comment(proposal=proposal, author=bo, body="Varför 23?"))
    [comment_mail] = mailoutbox
    assert comment_mail.to == ["astrid@example.org"]
    assert "bo kommenterade ditt förslag" in comment_mail.subject
    assert "Varför 23?" in comment_mail.body
    mailoutbox.clear()

    act(lambda: services.add_comment(proposal=proposal, author=astrid, body="Tystare."))
    assert mailoutbox == []  # the author's own comment mails nobody

    act(lambda: services.approve(proposal=proposal, approver=bo))
    [approved] = mailoutbox
    assert approved.to == ["astrid@example.org"] and "bo godkände" in approved.subject
    mailoutbox.clear()

    act(lambda: services.approve(proposal=proposal, approver=cecilia))
    subjects = {mail.to[0]: mail.subject for mail in mailoutbox}
    assert "cecilia godkände" in to(mailoutbox, "astrid@example.org")[0].subject
    assert any("är infört" in mail.subject for mail in to(mailoutbox, "astrid@example.org"))
    assert subjects["david@example.org"] == "Sidan ”Husregler” har ändrats"
    watched = to(mailoutbox, "david@example.org")[0]
    rules.refresh_from_db()
    assert rules.current_revision.get_absolute_url() in watched.body
    assert "bo@example.org" not in subjects  # bo neither wrote nor watches


def test_a_rejection_mails_the_author(people, rules, act, mailoutbox):
    treasurer = make_login("kassor", role="Kassör", email="kassor@example.org")
    proposal = act(
        lambda: services.propose_change(
            page=rules, body="Ny.\n", author=people["astrid"], message="Ny"
        )
    )
    mailoutbox.clear()
    act(lambda: services.reject(proposal=proposal, by=treasurer))
    [mail] = mailoutbox
    assert mail.to == ["astrid@example.org"] and "avvisades" in mail.subject
    assert "kassor avvisade" in mail.body


def test_a_refused_step_mails_nobody(people, rules, act, mailoutbox):
    with pytest.raises(services.ProposalError):
        act(
            lambda: services.propose_change(
                page=rules, body=rules.body, author=people["astrid"], message="Inget"
            )
        )
    assert mailoutbox == []


def test_each_kind_can_be_turned_off(people, rules, act, mailoutbox):
    astrid, bo, cecilia, _ = people.values()
    for user in (bo, cecilia):
        preferences = preferences_for(user)
        preferences.awaiting = False
        preferences.save()
    astrid_preferences = preferences_for(astrid)
    astrid_preferences.approved = False
    astrid_preferences.save()

    proposal = act(
        lambda: services.propose_change(page=rules, body="Ny.\n", author=astrid, message="Ny")
    )
    assert [mail.to for mail in mailoutbox] == [["david@example.org"]]
    mailoutbox.clear()
    act(lambda: services.approve(proposal=proposal, approver=bo))
    assert mailoutbox == []


def test_digest_keeps_events_and_sends_one_mail_a_day(people, rules, act, mailoutbox):
    astrid, bo, cecilia, _ = people.values()
    preferences = preferences_for(astrid)
    preferences.daily_digest = True
    preferences.save()
    proposal = act(
        lambda: services.propose_change(page=rules, body="Ny.\n", author=astrid, message="Ny")
    )
    mailoutbox.clear()
    act(lambda: services.add_comment(proposal=proposal, author=bo, body="Bra!"))
    act(lambda: services.approve(proposal=proposal, approver=bo))
    act(lambda: services.approve(proposal=proposal, approver=cecilia))
    assert to(mailoutbox, "astrid@example.org") == []
    assert PendingNotification.objects.filter(user=astrid, sent_at__isnull=True).count() == 4

    call_command("send_handbook_digest", stdout=StringIO())

    [digest] = to(mailoutbox, "astrid@example.org")
    assert digest.subject == "Handboken i dag: 4 nyheter"
    assert "bo kommenterade" in digest.body and "är infört" in digest.body
    assert not PendingNotification.objects.filter(sent_at__isnull=True).exists()
    mailoutbox.clear()
    call_command("send_handbook_digest", stdout=StringIO())
    assert mailoutbox == []  # nothing twice


def test_a_member_without_email_or_a_non_member_gets_nothing(rules, act, mailoutbox):
    author = make_member("astrid", email="astrid@example.org")
    make_member("utan", email="")
    make_login("gast", email="gast@example.org")  # a login outside the household
    make_login("boende", role="Boende", email="boende@example.org")  # a group but no tenant
    act(lambda: services.propose_change(page=rules, body="Ny.\n", author=author, message="Ny"))
    assert mailoutbox == []


def test_the_members_own_page_turns_kinds_off_and_lists_watched_pages(client, people, rules):
    bo = people["bo"]
    client.force_login(bo)
    client.post(reverse_watch(rules))
    assert Watch.objects.filter(user=bo, page=rules).exists()
    html = client.get(reverse("handbook:notifications")).content.decode()
    assert "Mejla mig när" in html and "Husregler" in html
    response = client.post(reverse("handbook:notifications"), {"merged": "on", "watched": "on"})
    assert response.status_code == 302
    preferences = preferences_for(bo)
    assert (preferences.awaiting, preferences.merged, preferences.watched) == (False, True, True)
    assert not preferences.daily_digest
    client.post(reverse_watch(rules))
    assert not Watch.objects.filter(user=bo).exists()


def reverse_watch(page):
    return reverse("handbook:watch", args=[page.slug])


# Hostile text and failing mail (issue 21) ----------------------------------------------------


def test_a_summary_with_a_line_break_is_refused_before_anything_is_saved(
    people, rules, act, mailoutbox
):
    summary = "Sum\r\nBcc: victim@evil.test"
    with refused(services.ProposalError, "text_refused", "U\\+000D"):
        act(
            lambda: services.propose_change(
                page=rules, body="Ny.\n", author=people["astrid"], message=summary
            )
        )
    form = ProposalForm(data={"message": summary, "body": "Ny.\n"})
    assert not form.is_valid()
    assert "U+000D" in form.errors["message"][0]
    assert Proposal.objects.count() == 0
    assert mailoutbox == []


def test_subjects_are_one_line_whatever_a_name_holds(people, rules, act, mailoutbox):
    astrid, bo = people["astrid"], people["bo"]
    bo.first_name, bo.last_name = "Bo\r\nBcc: victim@evil.test", "X"
    bo.save()
    proposal = act(
        lambda: services.propose_change(page=rules, body="Ny.\n", author=astrid, message="Ny")
    )
    mailoutbox.clear()
    act(lambda: services.approve(proposal=proposal, approver=bo))
    (mail,) = to(mailoutbox, "astrid@example.org")
    assert mail.subject.startswith("Bo Bcc: victim@evil.test X ")
    assert "\n" not in mail.subject and "\r" not in mail.subject
    assert mail.bcc == [] and "Bcc" not in mail.message()


def test_one_failing_recipient_is_logged_and_the_others_still_get_mail(
    people, rules, act, mailoutbox, monkeypatch, caplog
):
    real_send = notifications.send_mail

    def send(subject, body, sender, to, **kwargs):
        if to == ["bo@example.org"]:
            raise OSError("mail server refused bo")
        return real_send(subject, body, sender, to, **kwargs)

    monkeypatch.setattr(notifications, "send_mail", send)
    proposal = act(
        lambda: services.propose_change(
            page=rules, body="Ny.\n", author=people["astrid"], message="Ny"
        )
    )
    assert proposal.pk is not None
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "cecilia@example.org",
        "david@example.org",
    ]
    assert "bo@example.org" in caplog.text and "mail server refused bo" in caplog.text


def test_a_digest_that_fails_is_kept_for_the_next_day(people, rules, act, mailoutbox, monkeypatch):
    preferences = preferences_for(people["bo"])
    preferences.daily_digest = True
    preferences.save()
    act(
        lambda: services.propose_change(
            page=rules, body="Ny.\n", author=people["astrid"], message="Ny"
        )
    )
    mailoutbox.clear()

    def refuse(*args, **kwargs):
        raise OSError("down")

    monkeypatch.setattr(notifications, "send_mail", refuse)
    assert notifications.send_digests() == 0
    assert PendingNotification.objects.filter(user=people["bo"], sent_at=None).count() == 1
    monkeypatch.undo()
    assert notifications.send_digests() == 1
    assert PendingNotification.objects.filter(sent_at=None).count() == 0


def test_through_the_page_a_saved_proposal_never_turns_into_an_error_page(
    client, people, rules, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    """The probe's case: the summary "Sum\\r\\nBcc: …" raised BadHeaderError in on_commit,
    after the proposal was committed: "Något gick fel", no one notified, a retry a duplicate."""
    client.force_login(people["astrid"])
    url = reverse("handbook:propose_change", args=["husregler"])
    form = {"title": "Husregler", "body": "Tyst efter 23.\n", "save": "1"}
    refused = client.post(url, {**form, "message": "Sum\r\nBcc: victim@evil.test"})
    assert refused.status_code == 200 and "U+000D" in refused.content.decode()
    assert not Proposal.objects.exists()

    def broken(subject, body, sender, to, **kwargs):
        raise BadHeaderError("mail refused")

    monkeypatch.setattr(notifications, "send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(url, {**form, "message": "Senare"})
    proposal = Proposal.objects.get()
    assert saved.status_code == 302 and saved["Location"] == proposal.get_absolute_url()
    failed = [r.getMessage() for r in caplog.records if r.name == "handbook.notifications"]
    assert len(failed) == 3  # bo, cecilia and david: each sent to, and logged, on its own
    assert all(message.startswith("Handbook mail to ") for message in failed)
