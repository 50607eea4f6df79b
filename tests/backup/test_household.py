"""The household backup and its restore drill: export, empty the database, import, and every row
of every table (rent, handbook, logins and roles) is as it was. Exports are all or nothing."""

import errno
import io
import re
import shutil
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from PIL import Image

from api.models import ApiToken
from api.tokens import create_token, revoke_tokens
from backup import household as household_backup
from handbook import services
from handbook.attachments import propose_with_attachment
from handbook.importing import import_folder
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
from handbook.notifications import preferences_for
from household.roles import is_household_member
from rent.importing import exporting
from rent.ledger.payments import mark_paid_in_full, record_payment
from rent.models import (
    Allocation,
    BankLayout,
    CoOwnedItem,
    Payment,
    ReminderLog,
    RentCalculation,
    RentConfig,
    RentLedger,
    Room,
    SmsLog,
    Tenant,
)
from tests.builders import make_item, make_login, make_tenant
from tests.import_helpers import run_import
from tests.rent.test_exporting import rows_by_natural_key

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
# Not in the readable backup, by design: sessions, the admin's log, login attempts, what
# migrations make (content types, permissions), the data version (a counter every restore
# bumps), and the working tables of a bank statement being read and of claims (not yet carried);
# the SMS log is not carried yet either.
NOT_BACKED_UP = {"bankupload", "banktransaction", "paymentclaim", "smslog",
                 "dataversion"}  # fmt: skip
HISTORY = {"historicaltenant", "historicalrentconfig", "historicalrentledger",
           "historicalcoowneditem", "historicalcoowneditem_owners",
           "historicalpayment", "historicalroom"}  # fmt: skip
BACKED_UP = {
    "rent": {"tenant", "rentconfig", "rentcalculation", "rentledger", "coowneditem",
             "coowneditem_owners", "payment", "allocation", "banklayout", "reminderlog",
             "room", *HISTORY},
    "handbook": {"page", "revision", "proposal", "approval", "comment", "attachment", "watch",
                 "notificationpreferences", "pendingnotification"},
    "auth": {"user", "group", "user_groups"},
    "api": {"apitoken"},
}  # fmt: skip
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def ordered(rows) -> list:
    return sorted(rows, key=repr)


def _proposal(match) -> str:
    found = Proposal.objects.filter(pk=match.group(1)).first()
    return f"<proposal {found.created_at}>" if found else "<gone>"


def in_natural_keys(text: str) -> str:
    """A text with the handbook addresses that name a row by its id (attachments, proposals,
    revisions) naming it by what it is instead: after a restore the ids differ, the rows they
    point at must not."""

    def attachment(match):
        found = Attachment.objects.filter(pk=match.group(1), name=match.group(2)).first()
        return f"<attachment {found.name} {found.created_at}>" if found else "<gone>"

    def revision(match):
        found = Revision.objects.filter(page__slug=match.group(1), pk=match.group(2)).first()
        return f"<revision {match.group(1)} {found.created_at}>" if found else "<gone>"

    text = re.sub(r"/handbok/bilagor/(\d+)/([\w.-]+)", attachment, text)
    text = re.sub(r"/handbok/forslag/(\d+)/", _proposal, text)
    return re.sub(r"/handbok/([\w-]+)/historik/(\d+)/", revision, text)


def subject_in_natural_keys(subject: str) -> str:
    """A mail's subject names its proposal by number ("Förslag #12 väntar …")."""
    return re.sub(r"#(\d+)(?!\d)", _proposal, subject, count=1)


def linked_names(field, value):
    """A saved version's tenant ids are this database's ids (a restore links them anew, by
    name): compared as the tenants they name."""
    if field.name != "tenant_ids":
        return value
    names = dict(Tenant.objects.filter(pk__in=value.values()).values_list("pk", "name"))
    return sorted((saved, names.get(pk)) for saved, pk in value.items())


def history_rows() -> dict:
    """Every row of every history table, each id it holds (the changed object, the tenant, the
    login) replaced by every value of the row it names, or ("gone", id) for a deleted object."""
    described: dict = {}

    def describe(model, pk):
        if pk is None:
            return None
        if (model, pk) not in described:
            row = model._base_manager.filter(pk=pk).first()
            described[(model, pk)] = (
                ("gone", abs(pk))
                if row is None
                else tuple(
                    (f.name, describe(f.related_model, getattr(row, f.attname)))
                    if f.is_relation
                    else (f.name, linked_names(f, getattr(row, f.attname)))
                    for f in model._meta.concrete_fields
                    if not f.primary_key
                )
            )
        return described[(model, pk)]

    tables = {}
    for model in apps.get_app_config("rent").get_models():
        if not hasattr(model, "instance_type"):
            continue
        rows = []
        for record in model._base_manager.order_by("pk"):
            row = []
            for f in model._meta.concrete_fields:
                value = getattr(record, f.attname)
                if f.name == "id":
                    value = describe(model.instance_type, value)
                elif f.is_relation and not hasattr(f.related_model, "instance_type"):
                    value = describe(f.related_model, value)
                row.append((f.name, value))  # the history's own ids are kept as they are
            rows.append(tuple(row))
        tables[f"history:{model._meta.model_name}"] = rows
    return tables


def every_row() -> dict:
    """Every row of every backed-up table, foreign keys as natural keys."""

    def name(user):
        return user.username if user else None

    def key(proposal):
        return (proposal.created_at, proposal.title) if proposal else None

    users = User.objects.prefetch_related("groups")
    pages = Page.objects.select_related("current_revision")
    revisions = Revision.objects.select_related("page", "author")
    proposals = Proposal.objects.select_related(
        "page", "author", "closed_by", "base_revision", "merged_revision", "restored_from"
    ).prefetch_related("approvals__approver")
    return {
        **rows_by_natural_key(),
        "tenant_logins": ordered(
            (t.name, name(t.user)) for t in Tenant.objects.select_related("user")
        ),
        "users": ordered(
            (
                u.username,
                u.email,
                u.first_name,
                u.last_name,
                u.password,
                u.is_active,
                u.is_staff,
                u.is_superuser,
                u.date_joined,
                u.last_login,
                tuple(sorted(g.name for g in u.groups.all())),
            )
            for u in users
        ),  # fmt: skip
        "groups": ordered(Group.objects.values_list("name", flat=True)),
        "pages": ordered(
            (
                p.slug,
                p.title,
                in_natural_keys(p.body),
                p.position,
                p.created_at,
                p.updated_at,
                (p.current_revision.title, p.current_revision.created_at),
            )
            for p in pages
        ),  # fmt: skip
        "revisions": ordered(
            (
                r.page.slug,
                r.title,
                in_natural_keys(r.body),
                name(r.author),
                r.message,
                r.source_sha256,
                r.created_at,
            )
            for r in revisions
        ),  # fmt: skip
        "proposals": ordered(
            (
                p.page.slug if p.page else None,
                p.slug,
                p.title,
                in_natural_keys(p.body),
                p.message,
                name(p.author),
                p.status,
                name(p.closed_by),
                p.closed_at,
                p.created_at,
                p.updated_at,
                p.base_revision.created_at if p.base_revision else None,
                p.merged_revision.created_at if p.merged_revision else None,
                p.restored_from.created_at if p.restored_from else None,
                tuple(sorted((name(a.approver), a.created_at) for a in p.approvals.all())),
            )
            for p in proposals
        ),  # fmt: skip
        "comments": ordered(
            (key(c.proposal), name(c.author), in_natural_keys(c.body), c.created_at, c.edited_at)
            for c in Comment.objects.select_related("proposal", "author")
        ),
        "attachments": ordered(
            (
                a.page.slug if a.page else None,
                key(a.proposal),
                a.name,
                a.kind,
                a.content_type,
                a.size,
                name(a.uploaded_by),
                a.created_at,
                a.file.open("rb").read(),
            )
            for a in Attachment.objects.select_related("page", "proposal", "uploaded_by")
        ),  # fmt: skip
        "watches": ordered(
            (w.page.slug, name(w.user), w.created_at)
            for w in Watch.objects.select_related("page", "user")
        ),
        "notification_settings": ordered(
            (
                name(n.user),
                n.awaiting,
                n.approved,
                n.merged,
                n.rejected,
                n.commented,
                n.watched,
                n.daily_digest,
            )
            for n in NotificationPreferences.objects.select_related("user")
        ),  # fmt: skip
        "pending_notifications": ordered(
            (
                name(n.user),
                n.kind,
                subject_in_natural_keys(n.subject),
                in_natural_keys(n.body),
                n.created_at,
                n.sent_at,
            )
            for n in PendingNotification.objects.select_related("user")
        ),  # fmt: skip
        **history_rows(),
        **rent_extra_rows(),
    }


def rent_extra_rows() -> dict:
    """What rent_extra.json carries: payer names, who recorded each payment, API tokens (by
    hash), the reminders' log and the bank layouts."""
    return {
        "payer_names": ordered(Tenant.objects.values_list("name", "payer_names")),
        "payments_recorded_by": ordered(
            (
                p.tenant.name,
                p.paid_on,
                p.amount,
                p.reference,
                p.created_at,
                p.recorded_by.username if p.recorded_by else None,
            )
            for p in Payment.objects.select_related("tenant", "recorded_by")
        ),  # fmt: skip
        "api_tokens": ordered(
            (
                t.name,
                t.scope,
                t.prefix,
                t.key_hash,
                t.created_by.username if t.created_by else None,
                t.created_at,
                t.last_used_at,
                t.revoked_at,
            )
            for t in ApiToken.objects.select_related("created_by")
        ),  # fmt: skip
        "reminders_sent": ordered(
            (
                r.recipient,
                r.tenant.name if r.tenant else None,
                r.kind,
                r.rent_month,
                r.sent_on,
                r.amount,
                r.created_at,
            )
            for r in ReminderLog.objects.select_related("tenant")
        ),  # fmt: skip
        "sms_sent": ordered(
            (
                s.tenant.name if s.tenant else None,
                s.phone,
                s.kind,
                s.rent_month,
                s.sent_on,
                s.amount,
                s.message,
                s.provider_id,
                s.created_at,
            )
            for s in SmsLog.objects.select_related("tenant")
        ),  # fmt: skip
        "bank_layouts": ordered(
            BankLayout.objects.values_list(
                "signature",
                "headers",
                "date_column",
                "amount_column",
                "text_column",
                "counterpart_column",
                "created_at",
            )
        ),  # fmt: skip
    }


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path_factory):
    """Attachments' files outside the export folder (tmp_path)."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    return settings.MEDIA_ROOT


@pytest.fixture
def household(settings, media):
    settings.HANDBOOK_REQUIRED_APPROVALS = 2
    run_import(FIXTURES)
    import_folder(FIXTURES / "handbook")
    tenants = list(Tenant.objects.living_here(timezone.localdate()).order_by("name")[:3])
    tenants += [make_tenant(f"Ny {serial}") for serial in range(3 - len(tenants))]
    members = [
        make_login(
            f"member{index}", role="Boende", tenant=tenant, email=f"member{index}@example.org"
        )
        for index, tenant in enumerate(tenants)
    ]
    make_login("kassor", role="Kassör", first_name="Kim", email="kassor@example.org")
    make_login("root", is_superuser=True, last_login=timezone.now())
    # member2 reads the handbook's mail once a day, and watches the first page.
    choices = preferences_for(members[2])
    choices.daily_digest, choices.commented = True, False
    choices.save()
    page = Page.objects.order_by("position").first()
    Watch.objects.create(page=page, user=members[2])
    first_revision = page.current_revision
    merged = propose_with_attachment(
        propose=lambda body: services.propose_change(
            page=page, title=page.title, body=body, author=members[0], message="En rad till"
        ),
        body=page.body + "\nNy rad.\n",
        upload=SimpleUploadedFile("Säkringar.png", png()),
        uploaded_by=members[0],
    )
    comment = services.add_comment(proposal=merged, author=members[1], body="Bra, se bilden.")
    services.edit_comment(comment=comment, by=members[1], body="Bra! Se bilden.")
    services.add_comment(proposal=merged, author=members[0], body="Tack.")
    services.approve(proposal=merged, approver=members[1])
    call_command("send_handbook_digest", stdout=StringIO())  # member2's first digest went out
    services.approve(proposal=merged, approver=members[2])
    open_one = propose_with_attachment(
        propose=lambda body: services.propose_new_page(
            slug="cyklar", title="Cyklar", body=body, author=members[1], message="Var cyklar står"
        ),
        body="Cyklar står i förrådet.",
        upload=SimpleUploadedFile("Förrådet.pdf", PDF),
        uploaded_by=members[1],
    )
    services.approve(proposal=open_one, approver=members[0])
    rejected = services.propose_new_page(
        slug="bastu", title="Bastu", body="Bastu varje dag.", author=members[2],
        message="Bastu för alla",
    )  # fmt: skip
    services.reject(proposal=rejected, by=User.objects.get(username="kassor"))
    services.propose_restore(revision=first_revision, author=members[1])
    mark_paid_in_full(rows=RentLedger.objects.all()[:2], on=timezone.localdate())
    # A stay: phone, room, deposits paid and one returned in part, the dates that move it.
    room = Room.objects.create(name="Stora rummet", adjustment=Decimal("500"), description="Söder")
    stay = tenants[0]
    stay.phone, stay.room, stay.room_adjustment = "+46701234567", room, room.adjustment
    stay.interested_on, stay.signed_on = date(2024, 12, 1), date(2024, 12, 20)
    stay.deposit, stay.deposit_paid_on = Decimal("5000"), date(2024, 12, 21)
    stay.deposit_returned, stay.deposit_returned_on = Decimal("4500.50"), date(2025, 9, 30)
    stay.furnishing_deposit, stay.furnishing_deposit_paid_on = Decimal("2000"), date(2024, 12, 21)
    stay.notice_given_on = date(2025, 6, 1)
    stay.personnummer = "19880320-0016"  # only in the household backup (personnummer.json)
    stay.save()
    # History worth keeping: a change by a named login with a reason, owners changed, and
    # objects deleted since (their history has no row left to name it by).
    kassor = User.objects.get(username="kassor")
    config = RentConfig.objects.order_by("period", "key").first()
    config.value += 1
    config._history_user, config._change_reason = kassor, "Rättad el"
    config.save()
    sofa = make_item("Soffa", owners=tenants[:2], purchase_date=date(2024, 5, 1))
    sofa.owners.remove(tenants[1])
    make_item("Gammal soffa", owners=tenants[:1]).delete()
    make_tenant("Flyttade aldrig in").delete()
    # An overpayment, and credit paid back: a refund is a negative payment.
    record_payment(tenant=tenants[1], amount=Decimal("100"), paid_on=date(2025, 9, 4))
    record_payment(
        tenant=tenants[0], amount=Decimal("-250.50"), paid_on=date(2025, 9, 3),
        note="Swish tillbaka", recorded_by=kassor,
    )  # fmt: skip
    # What only rent_extra.json carries (issue 21).
    Tenant.objects.filter(pk=tenants[0].pk).update(payer_names="A. Andersson\nMamma Andersson")
    Payment.objects.filter(pk=Payment.objects.order_by("pk").first().pk).update(recorded_by=kassor)
    kiosk, _text = create_token(name="Hallen", created_by=kassor)
    ApiToken.objects.filter(pk=kiosk.pk).update(last_used_at=timezone.now())
    old, _text = create_token(name="Gammal", scope="treasurer", created_by=kassor)
    revoke_tokens(tokens=ApiToken.objects.filter(pk=old.pk))
    ReminderLog.objects.create(
        recipient="member0@example.org", tenant=tenants[0], kind="due",
        rent_month=date(2025, 10, 1), sent_on=date(2025, 9, 27), amount=Decimal("7045"),
    )  # fmt: skip
    ReminderLog.objects.create(
        recipient="kassor@example.org", kind="summary", rent_month=date(2025, 10, 1),
        sent_on=date(2025, 9, 28),
    )  # fmt: skip
    SmsLog.objects.create(
        tenant=tenants[0], phone="+46701234567", kind="payday", rent_month=date(2025, 10, 1),
        sent_on=date(2025, 9, 25), amount=Decimal("7045"), message="Hyran: 7 045 kr",
        provider_id="s70df59406a1b4643b96f3f91e0bfb7b0",
    )  # fmt: skip
    BankLayout.objects.create(
        signature="a" * 64, headers=["Datum", "Belopp", "Text"], date_column=0,
        amount_column=1, text_column=2,
    )  # fmt: skip
    return every_row()


def empty_the_database(media):
    ApiToken.objects.all().delete()
    ReminderLog.objects.all().delete()
    SmsLog.objects.all().delete()
    BankLayout.objects.all().delete()
    Allocation.objects.all().delete()
    Payment.objects.all().delete()
    Attachment.objects.all().delete()
    Comment.objects.all().delete()
    Approval.objects.all().delete()
    Proposal.objects.all().delete()
    Page.objects.all().delete()
    PendingNotification.objects.all().delete()
    NotificationPreferences.objects.all().delete()
    RentLedger.objects.all().delete()
    CoOwnedItem.objects.all().delete()
    RentCalculation.objects.all().delete()
    RentConfig.objects.all().delete()
    Tenant.objects.all().delete()
    Room.objects.all().delete()
    User.objects.all().delete()
    Group.objects.all().delete()
    assert not Revision.objects.exists() and not Watch.objects.exists()
    shutil.rmtree(media)  # the attachments' files come back from the backup too
    media.mkdir()


def test_the_drill_covers_every_table_with_the_history():
    tables = {
        (model._meta.app_label, model._meta.model_name)
        for app in ("rent", "handbook", "auth", "api")
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
    }
    covered = {(app, name) for app, names in BACKED_UP.items() for name in names}
    skipped = {("rent", name) for name in NOT_BACKED_UP} | {("auth", "permission"),
               ("auth", "group_permissions"), ("auth", "user_user_permissions")}  # fmt: skip
    assert tables == covered | skipped


def test_restore_drill_export_empty_import_compare(household, tmp_path, media):
    before = household
    assert len(before["proposals"]) == 4 and before["users"] and before["pages"]
    for table in ("comments", "attachments", "watches", "notification_settings",
                  "pending_notifications", "payments", "api_tokens", "reminders_sent",
                  "bank_layouts"):  # fmt: skip
        assert before[table], table
    assert any(by for *_, by in before["payments_recorded_by"])
    assert any(names for _, names in before["payer_names"])
    for table in HISTORY:
        assert before[f"history:{table}"], table
    ledger_history = before["history:historicalrentledger"]
    assert any(dict(row)["history_type"] == "~" for row in ledger_history)  # marked paid
    configs = before["history:historicalrentconfig"]
    assert any(dict(row)["history_change_reason"] == "Rättad el" for row in configs)
    items = before["history:historicalcoowneditem"]
    assert any(dict(row)["id"][0] == "gone" for row in items)
    assert any(sent for *_, sent in before["pending_notifications"])
    assert any(not sent for *_, sent in before["pending_notifications"])
    out = StringIO()
    call_command("export_household", str(tmp_path), stdout=out)
    assert "handbook pages" in out.getvalue()
    assert (tmp_path / "logins.json").stat().st_mode & 0o777 == 0o600
    # The personnummer leave the database only here, readable by the owner alone.
    assert (tmp_path / "personnummer.json").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "history.json").stat().st_mode & 0o777 == 0o600  # the tenants' history
    assert "19880320-0016" in (tmp_path / "personnummer.json").read_text()
    assert "880320-0016" not in (tmp_path / "rent_export.json").read_text()
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".export-")]

    empty_the_database(media)
    assert every_row() != before
    call_command("import_household", str(tmp_path), stdout=StringIO())

    after = every_row()
    for table in before:
        assert after[table] == before[table], table
    # Logins work again: the password hash came back, and so did the membership.

    assert is_household_member(User.objects.get(username="member0"))
    # The history's ids moved on past the restored records: a new change records a new one.
    config = RentConfig.objects.order_by("period", "key").first()
    config.value += 1
    config.save()
    newest = config.history.first()
    assert newest.history_type == "~" and newest.value == config.value
    earlier = [
        row
        for row in before["history:historicalrentconfig"]
        if (dict(row)["key"], dict(row)["period"]) == (config.key, config.period)
    ]
    assert len(earlier) >= 2  # created, then corrected by the treasurer
    assert config.history.count() == len(earlier) + 1


def test_a_restore_into_a_database_in_use_is_refused(household, tmp_path):
    call_command("export_household", str(tmp_path), stdout=StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("import_household", str(tmp_path), stdout=StringIO())
    with pytest.raises(household_backup.RestoreRefused) as refused:
        household_backup.import_household(tmp_path)
    assert refused.value.code == "restore_not_empty"
    assert every_row() == household


def test_a_second_backup_into_the_same_folder_replaces_the_first(household, tmp_path):
    """The nightly backup run twice in a day writes into the same dated folder."""
    call_command("export_household", str(tmp_path), stdout=StringIO())
    first = sorted(path.name for path in tmp_path.iterdir())
    call_command("export_household", str(tmp_path), stdout=StringIO())
    assert sorted(path.name for path in tmp_path.iterdir()) == first
    assert "history.json" in first


def test_a_full_disk_leaves_the_previous_export_intact_and_nothing_partial(
    household, tmp_path, monkeypatch
):
    call_command("export_rent", str(tmp_path), stdout=StringIO())
    previous = (tmp_path / exporting.EXPORT_FILE).read_text()
    history = sorted(path.name for path in (tmp_path / exporting.HISTORY_DIR).iterdir())
    RentConfig.objects.update(value=1)  # the next export would differ
    written = []
    original = exporting._write

    def fills_up(path, document):
        if len(written) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(path)
        original(path, document)

    monkeypatch.setattr(exporting, "_write", fills_up)
    with pytest.raises(
        CommandError, match="No space left on device.*previous export in it is intact"
    ):
        call_command("export_rent", str(tmp_path), stdout=StringIO())
    assert (tmp_path / exporting.EXPORT_FILE).read_text() == previous
    assert sorted(path.name for path in (tmp_path / exporting.HISTORY_DIR).iterdir()) == history
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        exporting.EXPORT_FILE,
        exporting.HISTORY_DIR,
    ]


def test_an_unwritable_folder_is_a_clear_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(CommandError, match="could not write the export to"):
        call_command("export_rent", str(blocker / "backup"), stdout=StringIO())


def test_a_folder_holding_other_files_is_refused(tmp_path):
    (tmp_path / "photo.jpg").write_text("x")
    with pytest.raises(CommandError, match="holds other files"):
        call_command("export_household", str(tmp_path), stdout=StringIO())
    with pytest.raises(exporting.ExportFolderError) as refused:
        household_backup.export_household(tmp_path)
    assert (refused.value.code, refused.value.params["files"]) == (
        "export_folder_not_empty",
        "photo.jpg",
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["photo.jpg"]
