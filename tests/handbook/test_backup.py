"""The handbook in the household's backup: export to files, and back into an empty database."""

import io
import json

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from handbook import services
from handbook.attachments import save_attachment
from handbook.backup import HandbookBackupError, export_handbook, import_handbook_backup
from handbook.models import (
    Attachment,
    NotificationPreferences,
    Page,
    PendingNotification,
    Proposal,
    Revision,
    Watch,
)
from handbook.notifications import preferences_for
from tests.builders import make_member, make_page
from tests.refusals import refused

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (1, 2, 3)).save(out, format="PNG")
    return out.getvalue()


def build_handbook():
    astrid, bo, cecilia = (make_member(n) for n in ("astrid", "bo", "cecilia"))
    bo.email = "bo@example.org"
    bo.save()
    preferences = preferences_for(bo)
    preferences.daily_digest = True  # bo's mail waits for the digest, in the database
    preferences.save()
    page = make_page("huset", title="Huset", body="Om huset.\n", author=astrid)
    # An attachment made first, so its id differs from the one it gets after the restore.
    make_page("annan", title="Annan")
    image = save_attachment(
        upload=SimpleUploadedFile("säkring.png", png()), uploaded_by=astrid, page=page
    )
    proposal = services.propose_change(
        page=page, body=f"Om huset.\n\n{image.markdown}\n", author=astrid, message="Bild"
    )
    Watch.objects.create(page=page, user=cecilia)
    services.add_comment(proposal=proposal, author=bo, body="Fin!")
    services.approve(proposal=proposal, approver=bo)
    services.approve(proposal=proposal, approver=cecilia)
    return page, image


def test_export_then_import_into_an_empty_database_restores_everything(tmp_path, media):
    page, image = build_handbook()
    out = tmp_path / "backup"
    written = export_handbook(out)
    assert written == {
        "pages": 2,
        "revisions": 3,
        "proposals": 1,
        "attachments": 1,
        "comments": 1,
        "watches": 1,
        "notification_settings": 1,
    }
    old_proposal_url = Proposal.objects.get().get_absolute_url()
    [waiting] = PendingNotification.objects.all()
    assert old_proposal_url in waiting.body
    document = json.loads((out / "handbook" / "handbook.json").read_text())
    assert document["pages"][0]["revisions"][-1]["author"] == "astrid"
    files = list((out / "handbook" / "attachments").iterdir())
    assert [f.read_bytes() for f in files] == [image.file.open("rb").read()]

    page.refresh_from_db()
    old_body, old_created = page.body, page.revisions.order_by("id").first().created_at
    Attachment.objects.all().delete()
    Proposal.objects.all().delete()
    Page.objects.all().delete()
    PendingNotification.objects.all().delete()
    NotificationPreferences.objects.all().delete()
    # These take ids, so the restored attachment and proposal get other ones.
    make_page("upptagen")
    save_attachment(upload=SimpleUploadedFile("x.png", png()), uploaded_by=None)
    services.propose_new_page(
        slug="annan-sida",
        title="Annan",
        body="Ny.\n",
        author=User.objects.get(username="bo"),
        message="En sida till",
    )

    report = import_handbook_backup(out)

    assert report == {
        "pages": 2,
        "kept": 0,
        "revisions": 3,
        "proposals": 1,
        "attachments": 1,
        "skipped": 0,
        "approvals": 2,
        "comments": 1,
        "watches": 1,
        "notification_settings": 1,
    }
    restored = Page.objects.get(slug="huset")
    attachment = restored.attachments.get()
    assert attachment.file.open("rb").read() == files[0].read_bytes()
    assert attachment.get_absolute_url() in restored.body
    assert restored.body == old_body.replace(
        image.get_absolute_url(), attachment.get_absolute_url()
    )
    assert restored.revisions.count() == 2
    assert restored.revisions.order_by("id").first().created_at == old_created
    proposal = Proposal.objects.get(page=restored)
    assert proposal.status == "merged" and proposal.merged_revision == restored.current_revision
    assert list(proposal.approvals.values_list("approver__username", flat=True)) == [
        "bo",
        "cecilia",
    ]
    assert proposal.comments.get().body == "Fin!"
    assert list(restored.watches.values_list("user__username", flat=True)) == ["cecilia"]
    assert preferences_for(User.objects.get(username="bo")).daily_digest
    # The digest's mail links the proposal at its new address.
    [waiting_again] = PendingNotification.objects.all()
    assert proposal.get_absolute_url() != old_proposal_url
    assert waiting_again.body == waiting.body.replace(old_proposal_url, proposal.get_absolute_url())

    again = import_handbook_backup(out)
    assert again["pages"] == 0 and again["kept"] == 2
    assert Revision.objects.filter(page__slug="huset").count() == 2
    assert again["notification_settings"] == 0 and PendingNotification.objects.count() == 1


def test_a_bad_backup_names_the_file(tmp_path):
    folder = tmp_path / "handbook"
    folder.mkdir()
    with refused(HandbookBackupError, "backup_file_missing", "handbook.json: filen saknas"):
        import_handbook_backup(tmp_path)
    (folder / "handbook.json").write_text("{not json")
    with refused(HandbookBackupError, "backup_not_json", "handbook.json: inte JSON"):
        import_handbook_backup(tmp_path)
    (folder / "handbook.json").write_text(json.dumps({"format": "other"}))
    with refused(HandbookBackupError, "backup_wrong_format", "ingen säkerhetskopia av handboken"):
        import_handbook_backup(tmp_path)
