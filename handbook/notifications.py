"""Email about proposals and watched pages, through Django's email framework (EMAIL_URL).

Each event goes to the members it concerns who have not turned its kind off on their own page
("Mina aviseringar"). A member who prefers the daily digest gets the event kept instead, and
`send_handbook_digest` (run once a day) mails everything kept as one message. Mails are sent
only after the change is committed, so a refused step never mails anyone.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from handbook.models import NotificationKind, NotificationPreferences, PendingNotification, Watch
from household.roles import household_members

logger = logging.getLogger(__name__)


def one_line(text: str) -> str:
    """A mail subject: one line, every run of whitespace or control characters one space
    (a header with a line break in it is refused by Django, after the change is saved)."""
    flat = "".join(" " if not c.isprintable() else c for c in str(text))
    return " ".join(flat.split())[:200]


def send_one(subject: str, body: str, address: str) -> bool:
    """One recipient, in its own try: a mail that fails is logged, the others still go."""
    try:
        send_mail(one_line(subject), body, None, [address], fail_silently=False)
    except Exception:
        logger.exception("Handbook mail to %s failed: %s", address, one_line(subject))
        return False
    return True


def preferences_for(user) -> NotificationPreferences:
    preferences, _created = NotificationPreferences.objects.get_or_create(user=user)
    return preferences


def _url(obj) -> str:
    return settings.SITE_URL.rstrip("/") + obj.get_absolute_url()


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _deliver(users, kind: str, subject: str, body: str) -> None:
    subject = one_line(subject)
    for user in users:
        if not user.email or not user.is_active:
            continue
        preferences = preferences_for(user)
        if not preferences.wants(kind):
            continue
        if preferences.daily_digest:
            PendingNotification.objects.create(user=user, kind=kind, subject=subject, body=body)
            continue
        address = user.email
        transaction.on_commit(
            lambda subject=subject, address=address: send_one(subject, body, address)
        )


def _proposal_label(proposal) -> str:
    if proposal.is_new_page:
        return _("the new page “%(title)s”") % {"title": proposal.title}
    return f"“{proposal.page.title}”"


def _in_house_language(function):
    """Emails are written in the house's language, whatever language the actor reads in."""

    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper


@_in_house_language
def proposal_opened(proposal, *, updated: bool = False) -> None:
    """Every other member is asked to approve."""
    others = household_members().exclude(pk=proposal.author_id)
    subject = _("Proposal #%(number)s awaits your approval: %(summary)s") % {
        "number": proposal.pk,
        "summary": proposal.summary,
    }
    if updated:
        intro = _("%(author)s has updated the proposal for %(page)s; earlier approvals are reset.")
    else:
        intro = _("%(author)s proposes a change to %(page)s.")
    body = "\n\n".join(
        [
            intro % {"author": _name(proposal.author), "page": _proposal_label(proposal)},
            _("What changes and why: %(summary)s") % {"summary": proposal.summary},
            _("Read it and approve it here: %(url)s") % {"url": _url(proposal)},
        ]
    )
    _deliver(others, NotificationKind.AWAITING, subject, body)


@_in_house_language
def proposal_approved(proposal, approver) -> None:
    subject = _("%(who)s approved your proposal #%(number)s") % {
        "who": _name(approver),
        "number": proposal.pk,
    }
    body = "\n\n".join(
        [
            _("%(who)s approved your proposal “%(summary)s”.")
            % {"who": _name(approver), "summary": proposal.summary},
            _url(proposal),
        ]
    )
    _deliver([proposal.author], NotificationKind.APPROVED, subject, body)


@_in_house_language
def proposal_merged(proposal) -> None:
    """The author hears the proposal is in; watchers of the page hear the page changed."""
    subject = _("Your proposal #%(number)s is merged") % {"number": proposal.pk}
    body = "\n\n".join(
        [
            _("Your proposal “%(summary)s” had enough approvals and is now part of %(page)s.")
            % {"summary": proposal.summary, "page": f"“{proposal.page.title}”"},
            _url(proposal.page),
        ]
    )
    _deliver([proposal.author], NotificationKind.MERGED, subject, body)

    watchers = [
        watch.user
        for watch in Watch.objects.filter(page=proposal.page).select_related("user")
        if watch.user_id != proposal.author_id and watch.user.is_active
    ]
    subject = _("The page “%(title)s” has changed") % {"title": proposal.page.title}
    body = "\n\n".join(
        [
            _("%(author)s's proposal “%(summary)s” changed the page you watch.")
            % {"author": _name(proposal.author), "summary": proposal.summary},
            _("See what changed: %(url)s") % {"url": _url(proposal.merged_revision)},
        ]
    )
    _deliver(watchers, NotificationKind.WATCHED, subject, body)


@_in_house_language
def proposal_rejected(proposal) -> None:
    subject = _("Your proposal #%(number)s was rejected") % {"number": proposal.pk}
    body = "\n\n".join(
        [
            _("%(who)s rejected your proposal “%(summary)s”.")
            % {"who": _name(proposal.closed_by), "summary": proposal.summary},
            _url(proposal),
        ]
    )
    _deliver([proposal.author], NotificationKind.REJECTED, subject, body)


@_in_house_language
def proposal_commented(comment) -> None:
    proposal = comment.proposal
    if comment.author_id == proposal.author_id:
        return
    subject = _("%(who)s commented on your proposal #%(number)s") % {
        "who": _name(comment.author),
        "number": proposal.pk,
    }
    body = "\n\n".join([comment.body, _url(proposal)])
    _deliver([proposal.author], NotificationKind.COMMENTED, subject, body)


@_in_house_language
def send_digests() -> int:
    """One email per member with everything kept for them; returns how many were sent."""
    pending = PendingNotification.objects.filter(sent_at__isnull=True).select_related("user")
    by_user: dict = {}
    for notification in pending:
        by_user.setdefault(notification.user, []).append(notification)
    sent = 0
    for user, notifications in by_user.items():
        if user.email and user.is_active:
            subject = _("The handbook today: %(count)s news") % {"count": len(notifications)}
            body = "\n\n---\n\n".join(f"{n.subject}\n\n{n.body}" for n in notifications)
            if not send_one(subject, body, user.email):
                continue  # kept for tomorrow's digest
            sent += 1
        PendingNotification.objects.filter(pk__in=[n.pk for n in notifications]).update(
            sent_at=timezone.now()
        )
    return sent
