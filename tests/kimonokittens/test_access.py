"""Who may see what on the project's own URLs (health, the kiosk, logins, the site root) and in
the admin: every URL pattern the project routes outside the apps' namespaces, and every named
admin URL, asked (GET) as each of the household's people (tests/people.py), with the one
outcome each must get. The rent, handbook and API tables: tests/<app>/test_access.py."""

from datetime import date
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from handbook import services
from handbook.attachments import save_attachment
from rent.bank.services import read_upload, save_layout
from rent.engine.months import config_month_due_next
from rent.ledger.claims import claim_payment
from rent.models import (
    BankTransaction,
    BankUpload,
    ReminderLog,
    RentCalculation,
    Room,
    SmsLog,
)
from tests.access import ADMIN_LOGIN, LOGIN, differences, label_names, walk
from tests.builders import (
    make_item,
    make_ledger_row,
    make_page,
    make_payment,
    make_token,
    set_config,
)

FAVICON = "301 /static/kimonokittens/favicon.svg"
HOME = "302 /handbok/"
ADMIN = ADMIN_LOGIN
INDEX = "302 /admin/"  # a staff login asking for the login page
ON_SITE = "302 http://testserver/handbok/husregler/"
COSTS = "302 /admin/rent/rentconfig/manad/{month}/"  # the month due next
RENT = "302 /admin/rent/rentcalculation/manad/{month}/"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def project_url_labels() -> set[str]:
    """Every URL pattern of the project outside the apps (their own are in their tables: a
    namespace, or /api/): its name, or for an unnamed one its view's module and name."""
    labels = set()

    def visit(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace is None and str(pattern.pattern) != "api/":
                    visit(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                view = pattern.callback
                labels.add(pattern.name or f"{view.__module__}.{view.__name__}")

    visit(get_resolver().url_patterns)
    return labels


def admin_url_labels() -> set[str]:
    """The name of every admin URL pattern (the site's own, and each model admin's)."""
    names = set()
    for pattern in admin.site.get_urls():
        inner = pattern.url_patterns if isinstance(pattern, URLResolver) else [pattern]
        names.update(p.name for p in inner if p.name)
    return names


def admin_objects(people) -> dict:
    """One row of every model in the admin, by "<app>_<model>"."""
    member = people.member_tenant
    page = make_page("husregler", title="Husregler", body="Tyst efter 22.\n")
    proposal = services.propose_change(
        page=page, title="X", body="Y", author=people.member, message="Kortare husregler"
    )
    ledger = make_ledger_row(member, rent_month=date(2025, 10, 1))
    token, _ = make_token("kiosk", created_by=people.treasurer)
    lockout = {"username": "gast", "ip_address": "127.0.0.1", "user_agent": "test"}
    return {
        "auth_group": Group.objects.get(name="Boende"),
        "auth_user": people.member,
        "axes_accessattempt": AccessAttempt.objects.create(**lockout, failures_since_start=1),
        "axes_accesslog": AccessLog.objects.create(**lockout),
        "axes_accessfailurelog": AccessFailureLog.objects.create(**lockout),
        "rent_tenant": member,
        "rent_room": Room.objects.create(name="Stora rummet", adjustment=Decimal("500")),
        "rent_rentconfig": set_config("el", 2424, date(2025, 9, 1)),
        "rent_rentcalculation": RentCalculation.objects.create(
            config_month=date(2025, 8, 1), version=1, calculated_at=timezone.now(),
            results={"Maja": 1},
        ),
        "rent_rentledger": ledger,
        "rent_coowneditem": make_item("Soffa", owners=[member]),
        "rent_payment": make_payment(member, 100),
        "rent_banktransaction": BankTransaction.objects.create(
            key="k1", booked_on=date(2025, 9, 25), amount=Decimal("5600"), status="suggested",
            statement_name="x.csv",
        ),
        "rent_paymentclaim": claim_payment(
            tenant=member, amount=Decimal("5600"), paid_on=date(2025, 9, 25)
        ),
        "rent_reminderlog": ReminderLog.objects.create(
            recipient="medlem@example.org", tenant=member, kind="due",
            rent_month=date(2025, 10, 1), sent_on=date(2025, 9, 27), amount=Decimal("7045"),
        ),
        "rent_smslog": SmsLog.objects.create(
            tenant=member, phone="+46701234567", kind="payday", rent_month=date(2025, 10, 1),
            sent_on=date(2025, 9, 25), amount=Decimal("7045"), message="Hyran: 7 045 kr",
        ),
        "handbook_page": page,
        "handbook_revision": page.current_revision,
        "handbook_proposal": proposal,
        "handbook_attachment": save_attachment(
            upload=SimpleUploadedFile("kontrakt.pdf", PDF), uploaded_by=people.member, page=page
        ),
        "api_apitoken": token,
    }  # fmt: skip


MODEL_VIEWS = ("changelist", "add", "change", "history", "delete", "simple_history",
               "import", "process_import", "export")  # fmt: skip


def admin_urls(people) -> dict[str, str]:
    """A URL for every admin URL name (two for a name with an optional part)."""
    objects = admin_objects(people)
    content = b"Datum;Belopp;Text\n2025-09-24;7045;Hyra\n"
    upload = BankUpload.objects.create(name="x.csv", content=content, uploaded_by=people.treasurer)
    save_layout(table=read_upload(content), columns={"date": 0, "amount": 1, "text": 2})
    page_type = ContentType.objects.get_for_model(objects["handbook_page"])
    urls = {
        "index": reverse("admin:index"),
        "login": reverse("admin:login"),
        "logout": reverse("admin:logout"),
        "password_change": reverse("admin:password_change"),
        "password_change_done": reverse("admin:password_change_done"),
        "autocomplete": reverse("admin:autocomplete"),
        "jsi18n": reverse("admin:jsi18n"),
        "view_on_site": reverse(
            "admin:view_on_site", args=[page_type.pk, objects["handbook_page"].pk]
        ),
        "auth_user_password_change": reverse(
            "admin:auth_user_password_change", args=[people.member.pk]
        ),
        "rent_tenant_login": reverse("admin:rent_tenant_login", args=[people.member_tenant.pk]),
        "rent_month_costs": reverse("admin:rent_month_costs"),
        "rent_month_costs: a month": reverse("admin:rent_month_costs", args=["2025-09"]),
        "rent_month_rent": reverse("admin:rent_month_rent"),
        "rent_month_rent: a month": reverse("admin:rent_month_rent", args=["2025-09"]),
        "rent_balances": reverse("admin:rent_balances"),
        "rent_bank_statement": reverse("admin:rent_bank_statement"),
        "rent_bank_map": reverse("admin:rent_bank_map", args=[upload.pk]),
        "rent_bank_preview": reverse("admin:rent_bank_preview", args=[upload.pk]),
    }
    for app in ("auth", "axes", "rent", "handbook", "api"):
        urls[f"app_list: {app}"] = reverse("admin:app_list", args=[app])
    names = admin_url_labels()
    for model, row in objects.items():
        for view in MODEL_VIEWS:
            name = f"{model}_{view}"
            if name not in names:
                continue
            if view in ("changelist", "add", "import", "process_import", "export"):
                urls[name] = reverse(f"admin:{name}")
            elif view == "simple_history":
                history_id = row.history.latest("history_id").history_id
                urls[name] = reverse(f"admin:{name}", args=[row.pk, history_id])
            else:
                urls[name] = reverse(f"admin:{name}", args=[row.pk])
    return urls


# Pages anyone may open (health, logins, setting a password, the language) answer everyone
# alike; the kiosk is the household's or a kiosk token's (tests/api/test_auth.py); an address
# with a token that is not valid answers as an API does.
# fmt: off
PROJECT_EXPECTED = {
    #                                   anonymous member treasurer moved_out no_tenant
    "healthz":                          (200,    200,     200,     200,     200),
    "favicon":                          (FAVICON, FAVICON, FAVICON, FAVICON, FAVICON),
    "admin_password_reset":             (200,    200,     200,     200,     200),
    "login":                            (200,    200,     200,     200,     200),
    "logout":                           (405,    405,     405,     405,     405),
    "password_reset":                   (200,    200,     200,     200,     200),
    "password_reset_done":              (200,    200,     200,     200,     200),
    "password_reset_confirm":           (200,    200,     200,     200,     200),
    "password_reset_complete":          (200,    200,     200,     200,     200),
    "api.kiosk_base.friendly_message":  (401,    401,     401,     401,     401),
    "api.kiosk_base.not_found":         (404,    404,     404,     404,     404),
    "kiosk":                            (LOGIN,  200,     200,     403,     403),
    "set_language":                     ("302 /", "302 /", "302 /", "302 /", "302 /"),
    "home":                             (HOME,   HOME,    HOME,    HOME,    HOME),
}
# fmt: on

PROJECT_URLS = {
    "healthz": "/healthz",
    "favicon": "/favicon.ico",
    "admin_password_reset": "/admin/glomt-losenord/",
    "login": "/konto/logga-in/",
    "logout": "/konto/logga-ut/",
    "password_reset": "/konto/losenord/",
    "password_reset_done": "/konto/losenord/skickat/",
    "password_reset_confirm": "/konto/losenord/MQ/ogiltig-nyckel/",
    "password_reset_complete": "/konto/losenord/klart/",
    "api.kiosk_base.friendly_message": "/k/ogiltig-nyckel/api/rent/friendly_message",
    "api.kiosk_base.not_found": "/k/ogiltig-nyckel/annat",
    "kiosk": "/kiosk/",
    "set_language": "/i18n/setlang/",
    "home": "/",
}


def test_every_project_url_has_its_row_in_the_table():
    assert set(PROJECT_EXPECTED) == set(PROJECT_URLS) == project_url_labels()


def test_who_may_open_each_project_url(client, people):
    assert differences(walk(client, people, PROJECT_URLS), PROJECT_EXPECTED) == {}


# The admin, by the roles (household.roles): anyone not logged in is sent to the admin's login,
# and a login that is no household member gets 403 everywhere but the login page (the middleware).
# A member (Boende) reads the rent app's rows and pages, changes nothing, and may export what
# they read; the treasurer (Kassör) also adds, changes, deletes and imports the rows they keep,
# uploads bank statements, unlocks logins (axes' attempts) and manages API tokens. Logins and
# groups (auth), the handbook's rows and axes' logs are the superuser's. Saved calculations,
# bank lines, claims and the reminder and SMS logs are only ever read here. Going back to an
# old version of a row (simple_history) is a change: the treasurer only.
# fmt: off
ADMIN_EXPECTED = {
    #                                   anonymous member treasurer moved_out no_tenant
    "index":                            (ADMIN,   200,     200,     403,     403),
    "login":                            (200,     INDEX,   INDEX,   INDEX,   200),
    "logout":                           (INDEX,   405,     405,     405,     INDEX),
    "password_change":                  (ADMIN,   200,     200,     403,     403),
    "password_change_done":             (ADMIN,   200,     200,     403,     403),
    "autocomplete":                     (ADMIN,   403,     403,     403,     403),
    "jsi18n":                           (ADMIN,   200,     200,     403,     403),
    "view_on_site":                     (ADMIN,   ON_SITE, ON_SITE, 403,     403),
    "auth_user_password_change":        (ADMIN,   403,     403,     403,     403),
    "rent_tenant_login":                (ADMIN,   403,     405,     403,     403),
    "rent_month_costs":                 (ADMIN,   COSTS,   COSTS,   403,     403),
    "rent_month_costs: a month":        (ADMIN,   200,     200,     403,     403),
    "rent_month_rent":                  (ADMIN,   RENT,    RENT,    403,     403),
    "rent_month_rent: a month":         (ADMIN,   200,     200,     403,     403),
    "rent_balances":                    (ADMIN,   200,     200,     403,     403),
    "rent_bank_statement":              (ADMIN,   403,     200,     403,     403),
    "rent_bank_map":                    (ADMIN,   403,     200,     403,     403),
    "rent_bank_preview":                (ADMIN,   403,     200,     403,     403),
    "app_list: auth":                   (ADMIN,   404,     404,     403,     403),
    "app_list: axes":                   (ADMIN,   404,     200,     403,     403),
    "app_list: rent":                   (ADMIN,   200,     200,     403,     403),
    "app_list: handbook":               (ADMIN,   404,     404,     403,     403),
    "app_list: api":                    (ADMIN,   404,     200,     403,     403),
    "auth_group_changelist":            (ADMIN,   403,     403,     403,     403),
    "auth_group_add":                   (ADMIN,   403,     403,     403,     403),
    "auth_group_change":                (ADMIN,   403,     403,     403,     403),
    "auth_group_history":               (ADMIN,   403,     403,     403,     403),
    "auth_group_delete":                (ADMIN,   403,     403,     403,     403),
    "auth_user_changelist":             (ADMIN,   403,     403,     403,     403),
    "auth_user_add":                    (ADMIN,   403,     403,     403,     403),
    "auth_user_change":                 (ADMIN,   403,     403,     403,     403),
    "auth_user_history":                (ADMIN,   403,     403,     403,     403),
    "auth_user_delete":                 (ADMIN,   403,     403,     403,     403),
    "axes_accessattempt_changelist":    (ADMIN,   403,     200,     403,     403),
    "axes_accessattempt_add":           (ADMIN,   403,     403,     403,     403),
    "axes_accessattempt_change":        (ADMIN,   403,     200,     403,     403),
    "axes_accessattempt_history":       (ADMIN,   403,     200,     403,     403),
    "axes_accessattempt_delete":        (ADMIN,   403,     200,     403,     403),
    "axes_accesslog_changelist":        (ADMIN,   403,     403,     403,     403),
    "axes_accesslog_add":               (ADMIN,   403,     403,     403,     403),
    "axes_accesslog_change":            (ADMIN,   403,     403,     403,     403),
    "axes_accesslog_history":           (ADMIN,   403,     403,     403,     403),
    "axes_accesslog_delete":            (ADMIN,   403,     403,     403,     403),
    "axes_accessfailurelog_changelist": (ADMIN,   403,     403,     403,     403),
    "axes_accessfailurelog_add":        (ADMIN,   403,     403,     403,     403),
    "axes_accessfailurelog_change":     (ADMIN,   403,     403,     403,     403),
    "axes_accessfailurelog_history":    (ADMIN,   403,     403,     403,     403),
    "axes_accessfailurelog_delete":     (ADMIN,   403,     403,     403,     403),
    "rent_tenant_changelist":           (ADMIN,   200,     200,     403,     403),
    "rent_tenant_add":                  (ADMIN,   403,     200,     403,     403),
    "rent_tenant_change":               (ADMIN,   200,     200,     403,     403),
    "rent_tenant_history":              (ADMIN,   200,     200,     403,     403),
    "rent_tenant_delete":               (ADMIN,   403,     200,     403,     403),
    "rent_tenant_simple_history":       (ADMIN,   403,     200,     403,     403),
    "rent_tenant_import":               (ADMIN,   403,     200,     403,     403),
    "rent_tenant_process_import":       (ADMIN,   405,     405,     403,     403),
    "rent_tenant_export":               (ADMIN,   200,     200,     403,     403),
    "rent_room_changelist":             (ADMIN,   200,     200,     403,     403),
    "rent_room_add":                    (ADMIN,   403,     200,     403,     403),
    "rent_room_change":                 (ADMIN,   200,     200,     403,     403),
    "rent_room_history":                (ADMIN,   200,     200,     403,     403),
    "rent_room_delete":                 (ADMIN,   403,     200,     403,     403),
    "rent_room_simple_history":         (ADMIN,   403,     200,     403,     403),
    "rent_room_import":                 (ADMIN,   403,     200,     403,     403),
    "rent_room_process_import":         (ADMIN,   405,     405,     403,     403),
    "rent_room_export":                 (ADMIN,   200,     200,     403,     403),
    "rent_rentconfig_changelist":       (ADMIN,   200,     200,     403,     403),
    "rent_rentconfig_add":              (ADMIN,   403,     200,     403,     403),
    "rent_rentconfig_change":           (ADMIN,   200,     200,     403,     403),
    "rent_rentconfig_history":          (ADMIN,   200,     200,     403,     403),
    "rent_rentconfig_delete":           (ADMIN,   403,     200,     403,     403),
    "rent_rentconfig_simple_history":   (ADMIN,   403,     200,     403,     403),
    "rent_rentconfig_import":           (ADMIN,   403,     200,     403,     403),
    "rent_rentconfig_process_import":   (ADMIN,   405,     405,     403,     403),
    "rent_rentconfig_export":           (ADMIN,   200,     200,     403,     403),
    "rent_rentcalculation_changelist":  (ADMIN,   200,     200,     403,     403),
    "rent_rentcalculation_add":         (ADMIN,   403,     403,     403,     403),
    "rent_rentcalculation_change":      (ADMIN,   200,     200,     403,     403),
    "rent_rentcalculation_history":     (ADMIN,   200,     200,     403,     403),
    "rent_rentcalculation_delete":      (ADMIN,   403,     403,     403,     403),
    "rent_rentledger_changelist":       (ADMIN,   200,     200,     403,     403),
    "rent_rentledger_add":              (ADMIN,   403,     200,     403,     403),
    "rent_rentledger_change":           (ADMIN,   200,     200,     403,     403),
    "rent_rentledger_history":          (ADMIN,   200,     200,     403,     403),
    "rent_rentledger_delete":           (ADMIN,   403,     200,     403,     403),
    "rent_rentledger_simple_history":   (ADMIN,   403,     200,     403,     403),
    "rent_rentledger_import":           (ADMIN,   403,     200,     403,     403),
    "rent_rentledger_process_import":   (ADMIN,   405,     405,     403,     403),
    "rent_rentledger_export":           (ADMIN,   200,     200,     403,     403),
    "rent_coowneditem_changelist":      (ADMIN,   200,     200,     403,     403),
    "rent_coowneditem_add":             (ADMIN,   403,     200,     403,     403),
    "rent_coowneditem_change":          (ADMIN,   200,     200,     403,     403),
    "rent_coowneditem_history":         (ADMIN,   200,     200,     403,     403),
    "rent_coowneditem_delete":          (ADMIN,   403,     200,     403,     403),
    "rent_coowneditem_simple_history":  (ADMIN,   403,     200,     403,     403),
    "rent_coowneditem_import":          (ADMIN,   403,     200,     403,     403),
    "rent_coowneditem_process_import":  (ADMIN,   405,     405,     403,     403),
    "rent_coowneditem_export":          (ADMIN,   200,     200,     403,     403),
    "rent_payment_changelist":          (ADMIN,   200,     200,     403,     403),
    "rent_payment_add":                 (ADMIN,   403,     200,     403,     403),
    "rent_payment_change":              (ADMIN,   200,     200,     403,     403),
    "rent_payment_history":             (ADMIN,   200,     200,     403,     403),
    "rent_payment_delete":              (ADMIN,   403,     200,     403,     403),
    "rent_payment_simple_history":      (ADMIN,   403,     200,     403,     403),
    "rent_banktransaction_changelist":  (ADMIN,   200,     200,     403,     403),
    "rent_banktransaction_add":         (ADMIN,   403,     403,     403,     403),
    "rent_banktransaction_change":      (ADMIN,   200,     200,     403,     403),
    "rent_banktransaction_history":     (ADMIN,   200,     200,     403,     403),
    "rent_banktransaction_delete":      (ADMIN,   403,     403,     403,     403),
    "rent_paymentclaim_changelist":     (ADMIN,   200,     200,     403,     403),
    "rent_paymentclaim_add":            (ADMIN,   403,     403,     403,     403),
    "rent_paymentclaim_change":         (ADMIN,   200,     200,     403,     403),
    "rent_paymentclaim_history":        (ADMIN,   200,     200,     403,     403),
    "rent_paymentclaim_delete":         (ADMIN,   403,     403,     403,     403),
    "rent_reminderlog_changelist":      (ADMIN,   200,     200,     403,     403),
    "rent_reminderlog_add":             (ADMIN,   403,     403,     403,     403),
    "rent_reminderlog_change":          (ADMIN,   200,     200,     403,     403),
    "rent_reminderlog_history":         (ADMIN,   200,     200,     403,     403),
    "rent_reminderlog_delete":          (ADMIN,   403,     403,     403,     403),
    "rent_smslog_changelist":           (ADMIN,   200,     200,     403,     403),
    "rent_smslog_add":                  (ADMIN,   403,     403,     403,     403),
    "rent_smslog_change":               (ADMIN,   200,     200,     403,     403),
    "rent_smslog_history":              (ADMIN,   200,     200,     403,     403),
    "rent_smslog_delete":               (ADMIN,   403,     403,     403,     403),
    "handbook_page_changelist":         (ADMIN,   403,     403,     403,     403),
    "handbook_page_add":                (ADMIN,   403,     403,     403,     403),
    "handbook_page_change":             (ADMIN,   403,     403,     403,     403),
    "handbook_page_history":            (ADMIN,   403,     403,     403,     403),
    "handbook_page_delete":             (ADMIN,   403,     403,     403,     403),
    "handbook_revision_changelist":     (ADMIN,   403,     403,     403,     403),
    "handbook_revision_add":            (ADMIN,   403,     403,     403,     403),
    "handbook_revision_change":         (ADMIN,   403,     403,     403,     403),
    "handbook_revision_history":        (ADMIN,   403,     403,     403,     403),
    "handbook_revision_delete":         (ADMIN,   403,     403,     403,     403),
    "handbook_proposal_changelist":     (ADMIN,   403,     403,     403,     403),
    "handbook_proposal_add":            (ADMIN,   403,     403,     403,     403),
    "handbook_proposal_change":         (ADMIN,   403,     403,     403,     403),
    "handbook_proposal_history":        (ADMIN,   403,     403,     403,     403),
    "handbook_proposal_delete":         (ADMIN,   403,     403,     403,     403),
    "handbook_attachment_changelist":   (ADMIN,   403,     403,     403,     403),
    "handbook_attachment_add":          (ADMIN,   403,     403,     403,     403),
    "handbook_attachment_change":       (ADMIN,   403,     403,     403,     403),
    "handbook_attachment_history":      (ADMIN,   403,     403,     403,     403),
    "handbook_attachment_delete":       (ADMIN,   403,     403,     403,     403),
    "api_apitoken_changelist":          (ADMIN,   403,     200,     403,     403),
    "api_apitoken_add":                 (ADMIN,   403,     200,     403,     403),
    "api_apitoken_change":              (ADMIN,   403,     200,     403,     403),
    "api_apitoken_history":             (ADMIN,   403,     200,     403,     403),
    "api_apitoken_delete":              (ADMIN,   403,     403,     403,     403),
}
# fmt: on


def test_every_admin_url_has_its_row_in_the_table():
    assert label_names(ADMIN_EXPECTED) == admin_url_labels()


@pytest.mark.one_database  # who may see what is decided in Python, the same on every engine
def test_who_may_open_each_admin_url(client, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    month = f"{config_month_due_next(timezone.localdate()):%Y-%m}"
    expected = {
        label: tuple(cell.format(month=month) if isinstance(cell, str) else cell for cell in row)
        for label, row in ADMIN_EXPECTED.items()
    }
    urls = admin_urls(people)
    assert set(urls) == set(ADMIN_EXPECTED)
    assert differences(walk(client, people, urls), expected) == {}
