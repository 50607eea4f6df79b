"""The household's readable backup: the rent export plus the handbook and the logins.

`export_household OUTDIR` writes the rent export (rent_export.json, rent_history/), then
`handbook.json` (pages, every revision, proposals with their approvals) and `logins.json` (who
may log in, their roles, their password hashes, and which login belongs to which tenant).
`import_household DIR` restores all of it into an empty database; with `pg_dump` beside it
(docs/operations.md) the household can rebuild from either.

The change history of the rent tables (simple-history) is kept by `pg_dump` only.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.dateparse import parse_datetime

from handbook.models import Approval, Page, Proposal, Revision
from rent.exporting import EXPORT_FILE, HISTORY_DIR, staged_export, write_rent_export
from rent.importing import import_rent
from rent.models import Tenant
from rent.roles import ensure_household_roles

HANDBOOK_FILE = "handbook.json"
LOGINS_FILE = "logins.json"
FORMAT_VERSION = 1


class RestoreRefused(Exception):
    """The database is not empty where the backup would restore; nothing was written."""


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _username(user) -> str | None:
    return user.get_username() if user else None


def handbook_document() -> dict:
    revisions = Revision.objects.select_related("page", "author").order_by("id")
    proposals = Proposal.objects.select_related("page", "author", "closed_by").order_by("id")
    approvals: dict[int, list] = {}
    for approval in Approval.objects.select_related("approver").order_by("id"):
        approvals.setdefault(approval.proposal_id, []).append(
            {"approver": _username(approval.approver), "created_at": _moment(approval.created_at)}
        )
    return {
        "format": "kimonokittens-handbook",
        "format_version": FORMAT_VERSION,
        "pages": [
            {
                "slug": page.slug,
                "title": page.title,
                "body": page.body,
                "position": page.position,
                "current_revision": page.current_revision_id,
                "created_at": _moment(page.created_at),
                "updated_at": _moment(page.updated_at),
            }
            for page in Page.objects.order_by("id")
        ],
        # Revisions and proposals refer to each other by their number in this file.
        "revisions": [
            {
                "key": revision.pk,
                "page": revision.page.slug,
                "title": revision.title,
                "body": revision.body,
                "author": _username(revision.author),
                "message": revision.message,
                "source_sha256": revision.source_sha256,
                "created_at": _moment(revision.created_at),
            }
            for revision in revisions
        ],
        "proposals": [
            {
                "page": proposal.page.slug if proposal.page else None,
                "slug": proposal.slug,
                "base_revision": proposal.base_revision_id,
                "title": proposal.title,
                "body": proposal.body,
                "message": proposal.message,
                "author": _username(proposal.author),
                "status": proposal.status,
                "merged_revision": proposal.merged_revision_id,
                "closed_by": _username(proposal.closed_by),
                "closed_at": _moment(proposal.closed_at),
                "created_at": _moment(proposal.created_at),
                "updated_at": _moment(proposal.updated_at),
                "approvals": approvals.get(proposal.pk, []),
            }
            for proposal in proposals
        ],
    }


def logins_document() -> dict:
    tenant_of = dict(Tenant.objects.filter(user__isnull=False).values_list("user_id", "name"))
    users = get_user_model().objects.prefetch_related("groups").order_by("id")
    return {
        "format": "kimonokittens-logins",
        "format_version": FORMAT_VERSION,
        "logins": [
            {
                "username": user.get_username(),
                "email": user.email,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "password": user.password,  # the hash, never the password
                "is_active": user.is_active,
                "is_staff": user.is_staff,
                "is_superuser": user.is_superuser,
                "date_joined": _moment(user.date_joined),
                "last_login": _moment(user.last_login),
                "groups": sorted(group.name for group in user.groups.all()),
                "tenant": tenant_of.get(user.pk),
            }
            for user in users
        ],
    }


def _write(path: Path, document: dict, *, private: bool = False) -> None:
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o644)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)


def export_household(outdir: Path) -> dict[str, int]:
    """Rent, handbook and logins into `outdir`, all or nothing; returns counts."""
    with staged_export(outdir) as staging:
        counts = write_rent_export(staging)
        handbook = handbook_document()
        logins = logins_document()
        _write(staging / HANDBOOK_FILE, handbook)
        _write(staging / LOGINS_FILE, logins, private=True)
    return {
        **counts,
        "pages": len(handbook["pages"]),
        "revisions": len(handbook["revisions"]),
        "proposals": len(handbook["proposals"]),
        "logins": len(logins["logins"]),
    }


def _when(value: str | None):
    return parse_datetime(value) if value else None


@transaction.atomic
def import_household(directory: Path) -> dict[str, int]:
    """Restore a household backup into an empty database (no logins, pages or rent rows)."""
    directory = Path(directory)
    user_model = get_user_model()
    if user_model.objects.exists() or Page.objects.exists() or Tenant.objects.exists():
        raise RestoreRefused(
            "the database is not empty (it has logins, handbook pages or tenants); restore into "
            "a freshly migrated database"
        )
    logins = json.loads((directory / LOGINS_FILE).read_text(encoding="utf-8"))["logins"]
    handbook = json.loads((directory / HANDBOOK_FILE).read_text(encoding="utf-8"))

    ensure_household_roles()
    users = {}
    for login in logins:
        user = user_model(
            username=login["username"],
            email=login["email"],
            first_name=login["first_name"],
            last_name=login["last_name"],
            password=login["password"],
            is_active=login["is_active"],
            is_staff=login["is_staff"],
            is_superuser=login["is_superuser"],
            date_joined=_when(login["date_joined"]),
            last_login=_when(login["last_login"]),
        )
        user.save()
        for name in login["groups"]:
            user.groups.add(Group.objects.get_or_create(name=name)[0])
        users[user.username] = user

    report = import_rent([directory / EXPORT_FILE, directory / HISTORY_DIR])
    for login in logins:
        if login["tenant"]:
            Tenant.objects.filter(name=login["tenant"]).update(user=users[login["username"]])

    pages = {}
    for item in handbook["pages"]:
        pages[item["slug"]] = Page.objects.create(
            slug=item["slug"], title=item["title"], body=item["body"], position=item["position"]
        )
    revisions = {}
    for item in handbook["revisions"]:
        revision = Revision.objects.create(
            page=pages[item["page"]],
            title=item["title"],
            body=item["body"],
            author=users.get(item["author"]),
            message=item["message"],
            source_sha256=item["source_sha256"],
        )
        Revision.objects.filter(pk=revision.pk).update(created_at=_when(item["created_at"]))
        revisions[item["key"]] = revision
    for item in handbook["pages"]:
        Page.objects.filter(slug=item["slug"]).update(
            current_revision=revisions.get(item["current_revision"]),
            created_at=_when(item["created_at"]),
            updated_at=_when(item["updated_at"]),
        )
    approvals = 0
    for item in handbook["proposals"]:
        proposal = Proposal.objects.create(
            page=pages.get(item["page"]) if item["page"] else None,
            slug=item["slug"],
            base_revision=revisions.get(item["base_revision"]),
            title=item["title"],
            body=item["body"],
            message=item["message"],
            author=users[item["author"]],
            status=item["status"],
            merged_revision=revisions.get(item["merged_revision"]),
            closed_by=users.get(item["closed_by"]),
            closed_at=_when(item["closed_at"]),
        )
        Proposal.objects.filter(pk=proposal.pk).update(
            created_at=_when(item["created_at"]), updated_at=_when(item["updated_at"])
        )
        for given in item["approvals"]:
            approval = Approval.objects.create(proposal=proposal, approver=users[given["approver"]])
            Approval.objects.filter(pk=approval.pk).update(created_at=_when(given["created_at"]))
            approvals += 1
    return {
        "logins": len(users),
        "pages": len(pages),
        "revisions": len(revisions),
        "proposals": len(handbook["proposals"]),
        "approvals": approvals,
        "rent": report,
    }
