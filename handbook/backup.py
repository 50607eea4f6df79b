"""The handbook as files, for the household's backup: every page with all its revisions, the
proposals with their approvals and comments, the attachments' files, who watches which page, and
each login's notification choices with the notifications kept for their daily digest.

`export_handbook(outdir)` writes `handbook/handbook.json` and `handbook/attachments/`;
`import_handbook_backup(outdir)` reads them back into a database, adding only pages whose
address is free (a page that exists is kept as it is and reported), so running it twice changes
nothing. Logins are matched by username; a revision whose author is unknown keeps no author, and
a proposal, approval or comment by an unknown login is left out (and counted). A login's
notification choices and digest come back only where that login has none yet.

The household backup (`backup.household`, `manage.py export_household`) holds this folder
beside the rent export and the logins.
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
from datetime import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from handbook.errors import HandbookError
from handbook.models import (
    Approval,
    Attachment,
    Comment,
    NotificationPreferences,
    Page,
    PendingNotification,
    Proposal,
    Revision,
    Watch,
)
from rent.read_model import document_text, moment_text

FORMAT = "kimonokittens-handbook"
FORMAT_VERSION = 1
FOLDER = "handbook"
DOCUMENT = "handbook.json"
ATTACHMENTS = "attachments"
# A member's choices on /handbok/aviseringar/ (NotificationPreferences), by field name.
NOTIFICATION_CHOICES = (
    "awaiting", "approved", "merged", "rejected", "commented", "watched", "daily_digest",
)  # fmt: skip


class HandbookBackupError(HandbookError):
    """A backup that cannot be read, named by its code; the message names the file and what is
    wrong."""


def _username(user) -> str | None:
    return user.get_username() if user else None


def _attachment_file_name(attachment: Attachment) -> str:
    return f"{attachment.pk}-{attachment.name}"


def export_document() -> dict:
    pages = Page.objects.prefetch_related("revisions__author").order_by("position", "slug")
    proposals = Proposal.objects.select_related(
        "page", "author", "closed_by", "base_revision", "merged_revision"
    ).prefetch_related("approvals__approver", "comments__author")
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "export_date": moment_text(timezone.now()),
        "pages": [
            {
                "slug": page.slug,
                "title": page.title,
                "position": page.position,
                "current_revision": page.current_revision_id,
                "created_at": moment_text(page.created_at),
                "updated_at": moment_text(page.updated_at),
                "revisions": [
                    {
                        "id": revision.pk,
                        "title": revision.title,
                        "body": revision.body,
                        "author": _username(revision.author),
                        "message": revision.message,
                        "source_sha256": revision.source_sha256,
                        "created_at": moment_text(revision.created_at),
                    }
                    for revision in sorted(page.revisions.all(), key=lambda r: r.pk)
                ],
            }
            for page in pages
        ],
        "proposals": [
            {
                "id": proposal.pk,
                "page": proposal.page.slug if proposal.page else None,
                "slug": proposal.slug,
                "title": proposal.title,
                "body": proposal.body,
                "summary": proposal.message,
                "author": _username(proposal.author),
                "status": proposal.status,
                "base_revision": proposal.base_revision_id,
                "merged_revision": proposal.merged_revision_id,
                "restored_from": proposal.restored_from_id,
                "closed_by": _username(proposal.closed_by),
                "closed_at": moment_text(proposal.closed_at),
                "created_at": moment_text(proposal.created_at),
                "updated_at": moment_text(proposal.updated_at),
                "approvals": [
                    {"approver": _username(a.approver), "created_at": moment_text(a.created_at)}
                    for a in proposal.approvals.all()
                ],
                "comments": [
                    {
                        "author": _username(c.author),
                        "body": c.body,
                        "created_at": moment_text(c.created_at),
                        "edited_at": moment_text(c.edited_at),
                    }
                    for c in proposal.comments.all()
                ],
            }
            for proposal in proposals.order_by("pk")
        ],
        "attachments": [
            {
                "id": attachment.pk,
                "url": attachment.get_absolute_url(),
                "file": _attachment_file_name(attachment),
                "name": attachment.name,
                "kind": attachment.kind,
                "content_type": attachment.content_type,
                "page": attachment.page.slug if attachment.page else None,
                "proposal": attachment.proposal_id,
                "uploaded_by": _username(attachment.uploaded_by),
                "created_at": moment_text(attachment.created_at),
            }
            for attachment in Attachment.objects.select_related("page", "uploaded_by")
        ],
        "watches": [
            {
                "page": watch.page.slug,
                "user": _username(watch.user),
                "created_at": moment_text(watch.created_at),
            }
            for watch in Watch.objects.select_related("page", "user").order_by("pk")
        ],
        "notification_settings": [
            {
                "user": _username(preferences.user),
                **{choice: getattr(preferences, choice) for choice in NOTIFICATION_CHOICES},
            }
            for preferences in NotificationPreferences.objects.select_related("user").order_by("pk")
        ],
        "pending_notifications": [
            {
                "user": _username(notification.user),
                "kind": notification.kind,
                "subject": notification.subject,
                "body": notification.body,
                "created_at": moment_text(notification.created_at),
                "sent_at": moment_text(notification.sent_at),
            }
            for notification in PendingNotification.objects.select_related("user").order_by("pk")
        ],
    }


def export_handbook(outdir: Path) -> dict[str, int]:
    """Write the handbook into outdir/handbook/; returns what was written."""
    folder = Path(outdir) / FOLDER
    (folder / ATTACHMENTS).mkdir(parents=True, exist_ok=True)
    document = export_document()
    for attachment in Attachment.objects.all():
        with (
            attachment.file.open("rb") as source,
            open(folder / ATTACHMENTS / _attachment_file_name(attachment), "wb") as target,
        ):
            shutil.copyfileobj(source, target)
    (folder / DOCUMENT).write_text(document_text(document), encoding="utf-8")
    return {
        "pages": len(document["pages"]),
        "revisions": sum(len(page["revisions"]) for page in document["pages"]),
        "proposals": len(document["proposals"]),
        "attachments": len(document["attachments"]),
        "comments": sum(len(proposal["comments"]) for proposal in document["proposals"]),
        "watches": len(document["watches"]),
        "notification_settings": len(document["notification_settings"]),
    }


def _read(folder: Path) -> dict:
    path = folder / DOCUMENT
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise HandbookBackupError("backup_file_missing", path=str(path)) from error
    except json.JSONDecodeError as error:
        raise HandbookBackupError("backup_not_json", path=str(path), reason=str(error)) from error
    if document.get("format") != FORMAT or document.get("format_version") != FORMAT_VERSION:
        raise HandbookBackupError(
            "backup_wrong_format", path=str(path), format=FORMAT, version=FORMAT_VERSION
        )
    for key in ("pages", "proposals", "attachments"):
        if not isinstance(document.get(key), list):
            raise HandbookBackupError("backup_not_a_list", path=str(path), key=key)
    # Added later in the same format version: a backup without them has none.
    for key in ("watches", "notification_settings", "pending_notifications"):
        document.setdefault(key, [])
        if not isinstance(document[key], list):
            raise HandbookBackupError("backup_not_a_list", path=str(path), key=key)
    return document


def _when(value: str | None):
    return datetime.fromisoformat(value) if value else None


@transaction.atomic
def import_handbook_backup(outdir: Path) -> dict[str, int]:
    """Restore pages (with revisions), proposals (with approvals and comments), attachments,
    watches and notification choices from a backup folder; returns what was restored."""
    folder = Path(outdir) / FOLDER
    document = _read(folder)
    users = {user.get_username(): user for user in get_user_model().objects.all()}
    report = {"pages": 0, "kept": 0, "revisions": 0, "proposals": 0, "attachments": 0}
    report.update(skipped=0, approvals=0, comments=0, watches=0, notification_settings=0)
    revision_ids: dict[int, Revision] = {}
    restored = _restore_pages(document, folder, users, revision_ids, report)
    proposals = _restore_proposals(document, users, restored, revision_ids, report)
    moved = _restore_attachments(document, folder, users, restored, proposals, report)
    _restore_watches(document, users, restored, report)
    notifications = _restore_notifications(document, users, report)
    moved.update(_moved_addresses(document, revision_ids, proposals))
    _relink(moved, restored, proposals.values(), notifications)
    _renumber_subjects(notifications, proposals)
    return report


def _restore_pages(document, folder, users, revision_ids, report) -> set[str]:
    """Pages whose address is free, with every revision; returns the restored slugs."""
    restored: set[str] = set()
    for entry in document["pages"]:
        try:
            slug, revisions = entry["slug"], entry["revisions"]
        except (KeyError, TypeError) as error:
            raise HandbookBackupError(
                "backup_page_incomplete", path=str(folder / DOCUMENT), key=str(error)
            ) from error
        if Page.objects.filter(slug=slug).exists():
            report["kept"] += 1
            continue
        page = Page.objects.create(slug=slug, title=entry["title"], position=entry["position"])
        for item in revisions:
            revision = Revision.objects.create(
                page=page,
                title=item["title"],
                body=item["body"],
                author=users.get(item.get("author")),
                message=item.get("message", ""),
                source_sha256=item.get("source_sha256", ""),
            )
            Revision.objects.filter(pk=revision.pk).update(created_at=_when(item["created_at"]))
            revision_ids[item["id"]] = revision
            report["revisions"] += 1
        last = page.revisions.order_by("-id").first()
        current = revision_ids.get(entry.get("current_revision")) or last
        Page.objects.filter(pk=page.pk).update(
            title=current.title if current else page.title,
            body=current.body if current else "",
            current_revision=current,
            created_at=_when(entry.get("created_at")) or page.created_at,
            updated_at=_when(entry.get("updated_at")) or page.updated_at,
        )
        restored.add(slug)
        report["pages"] += 1
    return restored


def _proposal_belongs(item, restored) -> bool:
    """A proposal comes back with its page, or as a new page whose address is still free."""
    if item.get("page"):
        return item["page"] in restored
    return not (
        item.get("status") == "open" and Page.objects.filter(slug=item.get("slug")).exists()
    )


def _restore_proposals(document, users, restored, revision_ids, report) -> dict[int, Proposal]:
    proposals: dict[int, Proposal] = {}
    for item in document["proposals"]:
        if not _proposal_belongs(item, restored):
            continue
        author = users.get(item.get("author"))
        if author is None:
            report["skipped"] += 1
            continue
        proposal = Proposal.objects.create(
            page=Page.objects.filter(slug=item["page"]).first() if item.get("page") else None,
            slug=item.get("slug", ""),
            title=item["title"],
            body=item["body"],
            message=item.get("summary", ""),
            author=author,
            status=item["status"],
            base_revision=revision_ids.get(item.get("base_revision")),
            merged_revision=revision_ids.get(item.get("merged_revision")),
            restored_from=revision_ids.get(item.get("restored_from")),
            closed_by=users.get(item.get("closed_by")),
            closed_at=_when(item.get("closed_at")),
        )
        Proposal.objects.filter(pk=proposal.pk).update(
            created_at=_when(item["created_at"]),
            updated_at=_when(item.get("updated_at")) or proposal.updated_at,
        )
        _restore_discussion(proposal, item, users, report)
        proposals[item["id"]] = proposal
        report["proposals"] += 1
    return proposals


def _restore_discussion(proposal, item, users, report) -> None:
    """The proposal's approvals and comments by logins that exist here."""
    for approval in item.get("approvals", []):
        if approval.get("approver") in users:
            made = Approval.objects.create(proposal=proposal, approver=users[approval["approver"]])
            Approval.objects.filter(pk=made.pk).update(created_at=_when(approval["created_at"]))
            report["approvals"] += 1
    for comment in item.get("comments", []):
        if comment.get("author") in users:
            made = Comment.objects.create(
                proposal=proposal,
                author=users[comment["author"]],
                body=comment["body"],
                edited_at=_when(comment.get("edited_at")),
            )
            Comment.objects.filter(pk=made.pk).update(created_at=_when(comment["created_at"]))
            report["comments"] += 1


def _restore_attachments(document, folder, users, restored, proposals, report) -> dict[str, str]:
    """Attachments of restored pages and proposals; returns old URL → new URL."""
    moved: dict[str, str] = {}
    for item in document["attachments"]:
        page = Page.objects.filter(slug=item["page"]).first() if item.get("page") else None
        if (page is None or page.slug not in restored) and item.get("proposal") not in proposals:
            continue
        if Path(item["file"]).name != item["file"]:
            raise HandbookBackupError("backup_bad_attachment_name", path=str(folder / DOCUMENT))
        path = folder / ATTACHMENTS / item["file"]
        if not path.is_file():
            raise HandbookBackupError("backup_attachment_missing", path=str(path))
        attachment = Attachment(
            page=page,
            proposal=proposals.get(item.get("proposal")),
            name=item["name"],
            kind=item["kind"],
            content_type=item["content_type"],
            size=path.stat().st_size,
            uploaded_by=users.get(item.get("uploaded_by")),
        )
        with open(path, "rb") as source:
            # Stored under a new random name, like every upload (handbook.attachments).
            attachment.file.save(f"{uuid.uuid4().hex}{path.suffix}", File(source), save=False)
        attachment.save()
        if item.get("created_at"):
            Attachment.objects.filter(pk=attachment.pk).update(created_at=_when(item["created_at"]))
        if item.get("url"):
            moved[item["url"]] = attachment.get_absolute_url()
        report["attachments"] += 1
    return moved


def _restore_watches(document, users, restored, report) -> None:
    """Who watches a restored page, for logins that exist here."""
    for item in document["watches"]:
        if item.get("page") not in restored or item.get("user") not in users:
            continue
        watch = Watch.objects.create(
            page=Page.objects.get(slug=item["page"]), user=users[item["user"]]
        )
        Watch.objects.filter(pk=watch.pk).update(created_at=_when(item.get("created_at")))
        report["watches"] += 1


def _restore_notifications(document, users, report) -> list[PendingNotification]:
    """Notification choices and the digest's notifications of logins that have none here yet
    (so a second run adds nothing); returns the restored notifications."""
    taken = set(NotificationPreferences.objects.values_list("user__username", flat=True)) | set(
        PendingNotification.objects.values_list("user__username", flat=True)
    )
    free = {username: user for username, user in users.items() if username not in taken}
    for item in document["notification_settings"]:
        if item.get("user") in free:
            NotificationPreferences.objects.create(
                user=free[item["user"]],
                **{choice: bool(item[choice]) for choice in NOTIFICATION_CHOICES if choice in item},
            )
            report["notification_settings"] += 1
    restored = []
    for item in document["pending_notifications"]:
        if item.get("user") not in free:
            continue
        notification = PendingNotification.objects.create(
            user=free[item["user"]],
            kind=item["kind"],
            subject=item["subject"],
            body=item["body"],
            sent_at=_when(item.get("sent_at")),
        )
        PendingNotification.objects.filter(pk=notification.pk).update(
            created_at=_when(item.get("created_at")) or notification.created_at
        )
        restored.append(notification)
    return restored


def _moved_addresses(document, revision_ids, proposals) -> dict[str, str]:
    """Old address → new one of every restored revision and proposal (their ids change)."""
    moved = {}
    for page in document["pages"]:
        for item in page["revisions"]:
            if item["id"] in revision_ids:
                old = reverse("handbook:revision", args=[page["slug"], item["id"]])
                moved[old] = revision_ids[item["id"]].get_absolute_url()
    for old_id, proposal in proposals.items():
        moved[reverse("handbook:proposal", args=[old_id])] = proposal.get_absolute_url()
    return moved


def _relink(moved: dict[str, str], slugs: set[str], proposals, notifications) -> None:
    """Attachments, revisions and proposals get new ids in the new database: the texts that
    show or link them (pages, revisions, proposals, comments, the digest's mails) follow."""
    moved = {old: new for old, new in moved.items() if old != new}
    if not moved:
        return

    # One pass, so an old address that is another one's new address is not moved twice. An
    # address is matched whole: /handbok/forslag/1/ ends in a slash (so never matches inside
    # /handbok/forslag/12/, and moves /handbok/forslag/1/kommentar/… along), an attachment's
    # address ends where its file name ends.
    pattern = re.compile(
        "|".join(
            re.escape(old) + ("" if old.endswith("/") else r"(?![\w.%-])")
            for old in sorted(moved, key=len, reverse=True)
        )
    )

    def relinked(text: str) -> str:
        return pattern.sub(lambda match: moved[match.group(0)], text)

    proposals = list(proposals)
    for model, rows in (
        (Revision, Revision.objects.filter(page__slug__in=slugs)),
        (Page, Page.objects.filter(slug__in=slugs)),
        (Proposal, Proposal.objects.filter(pk__in=[p.pk for p in proposals])),
        (Comment, Comment.objects.filter(proposal__in=proposals)),
        (PendingNotification, notifications),
    ):
        for row in rows:
            body = relinked(row.body)
            if body != row.body:
                model.objects.filter(pk=row.pk).update(body=body)


def _renumber_subjects(notifications, proposals: dict[int, Proposal]) -> None:
    """A digest notification's subject names its proposal by number ("Förslag #12 …", once,
    before the summary): the restored proposal's new number."""
    numbers = {old: proposal.pk for old, proposal in proposals.items()}

    def renumbered(match) -> str:
        return f"#{numbers.get(int(match.group(1)), match.group(1))}"

    for notification in notifications:
        subject = re.sub(r"#(\d+)(?!\d)", renumbered, notification.subject, count=1)
        if subject != notification.subject:
            PendingNotification.objects.filter(pk=notification.pk).update(subject=subject)
