"""The admin's bank statement page: upload, map the columns once per layout, preview,
confirm; then apply the sure matches in one click and the others one at a time.

Thin views over rent.bank.services; only the treasurer (who records payments) gets here.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from rent.bank import services
from rent.bank.matching import MatchStatus
from rent.bank.readers import ROLES, StatementError, guess_mapping, too_large
from rent.engine.months import parse_month
from rent.formatting import format_kronor
from rent.models import BankTransaction, BankTransactionStatus, BankUpload, Tenant

PAGE_SIZE = 50

ROLE_LABELS = {
    "date": gettext_lazy("Date"),
    "amount": gettext_lazy("Amount"),
    "text": gettext_lazy("Text or message"),
    "counterpart": gettext_lazy("Payer (counterpart)"),
}


class TreasurerView(View):
    admin = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("rent.add_payment"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def context(self, request, **extra):
        return {
            **self.admin.admin_site.each_context(request),
            "opts": self.admin.opts,
            **extra,
        }

    @staticmethod
    def home():
        return HttpResponseRedirect(reverse("admin:rent_bank_statement"))


class BankStatementView(TreasurerView):
    """Upload a statement; the transactions waiting for the treasurer."""

    def get(self, request):
        waiting = BankTransaction.objects.select_related("tenant").order_by("booked_on", "pk")
        matched = self.page_of(
            request, "matched_page", waiting.filter(status=BankTransactionStatus.MATCHED)
        )
        others = self.page_of(
            request,
            "others_page",
            waiting.filter(
                status__in=[BankTransactionStatus.SUGGESTED, BankTransactionStatus.UNMATCHED]
            ),
        )
        tenants = list(Tenant.objects.order_by("name"))
        names = {tenant.pk: tenant.name for tenant in tenants}
        for row in [*matched, *others]:
            row.suggested_names = [names[pk] for pk in row.suggestions if pk in names]
        return render(
            request,
            "admin/rent/bank_statement.html",
            self.context(
                request,
                title=_("Bank statement"),
                matched=matched,
                matched_count=matched.paginator.count,
                others=others,
                outgoing=BankTransaction.objects.filter(
                    status=BankTransactionStatus.OUTGOING
                ).order_by("-booked_on")[:20],
                tenants=tenants,
                max_mb=f"{settings.BANK_STATEMENT_MAX_BYTES / 1e6:.1f}",
            ),
        )

    @staticmethod
    def page_of(request, parameter: str, rows):
        """One page of a list: however many lines wait, the page reads PAGE_SIZE of them."""
        return Paginator(rows, PAGE_SIZE).get_page(request.GET.get(parameter))

    def post(self, request):
        action = request.POST.get("action")
        if action == "upload":
            return self.upload(request)
        if action == "apply_matched":
            count = services.apply_matched(by=request.user)
            messages.success(request, _("%(count)d payments recorded.") % {"count": count})
            return self.home()
        row = get_object_or_404(BankTransaction, pk=request.POST.get("transaction") or 0)
        if action == "ignore":
            try:
                services.ignore_line(bank_transaction=row)
            except services.ApplyError as error:
                messages.error(request, error.message)
            return self.home()
        if action != "apply":
            raise Http404
        tenant = Tenant.objects.filter(pk=request.POST.get("tenant") or 0).first()
        if tenant is None:
            messages.error(request, _("Choose who paid."))
            return self.home()
        month = None
        if request.POST.get("month"):
            try:
                month = parse_month(request.POST["month"])
            except ValueError:
                messages.error(request, _("The month must be written like 2025-10."))
                return self.home()
        try:
            services.apply_transaction(
                bank_transaction=row, tenant=tenant, for_month=month, by=request.user
            )
        except services.ApplyError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Recorded: %(name)s, %(amount)s.")
                % {"name": tenant.name, "amount": format_kronor(row.amount)},
            )
        return self.home()

    def upload(self, request):
        file = request.FILES.get("statement")
        if file is None:
            messages.error(request, _("Choose the statement file."))
            return self.home()
        limit = settings.BANK_STATEMENT_MAX_BYTES
        # Read at most one byte past the limit: a file's claimed size is not trusted.
        content = file.read(limit + 1) if file.size <= limit else b""
        if file.size > limit or len(content) > limit:
            messages.error(
                request, f"{file.name}: {too_large(max(file.size, len(content)), limit)}"
            )
            return self.home()
        try:
            table = services.read_upload(content)
        except StatementError as error:
            messages.error(request, f"{file.name}: {error.message}")
            return self.home()
        # Uploads left half-way (never confirmed) go after a day.
        BankUpload.objects.filter(created_at__lt=timezone.now() - timedelta(days=1)).delete()
        upload = BankUpload.objects.create(
            name=file.name[:200], content=content, uploaded_by=request.user
        )
        step = "preview" if services.layout_for(table) else "map"
        return HttpResponseRedirect(reverse(f"admin:rent_bank_{step}", args=[upload.pk]))


class UploadStep(TreasurerView):
    def load(self, request, upload_id):
        self.upload = get_object_or_404(BankUpload, pk=upload_id)
        try:
            return services.read_upload(self.upload.content)
        except StatementError as error:
            messages.error(request, f"{self.upload.name}: {error.message}")
            self.upload.delete()
            return None


class MapColumnsView(UploadStep):
    """Which column is what: asked once for each layout of statement."""

    def get(self, request, upload_id):
        table = self.load(request, upload_id)
        if table is None:
            return self.home()
        guessed = guess_mapping(table.headers)
        roles = [
            (role, ROLE_LABELS[role], guessed[role], role in ("date", "amount")) for role in ROLES
        ]
        return render(
            request,
            "admin/rent/bank_map.html",
            self.context(
                request,
                title=_("Which column is what?"),
                upload=self.upload,
                headers=list(enumerate(table.headers)),
                roles=roles,
                sample=table.rows[:3],
            ),
        )

    def post(self, request, upload_id):
        table = self.load(request, upload_id)
        if table is None:
            return self.home()
        columns = {}
        for role in ROLES:
            value = request.POST.get(role, "")
            columns[role] = (
                int(value) if value.isdigit() and int(value) < len(table.headers) else None
            )
        if columns["date"] is None or columns["amount"] is None:
            messages.error(request, _("Choose the date column and the amount column."))
            return HttpResponseRedirect(reverse("admin:rent_bank_map", args=[upload_id]))
        services.save_layout(table=table, columns=columns)
        return HttpResponseRedirect(reverse("admin:rent_bank_preview", args=[upload_id]))


class PreviewView(UploadStep):
    """What the statement holds and how it matched; nothing is kept until confirmed."""

    def matches(self, request, upload_id):
        table = self.load(request, upload_id)
        if table is None:
            return None
        layout = services.layout_for(table)
        if layout is None:
            return None
        try:
            return services.preview(table, layout)
        except StatementError as error:
            messages.error(request, f"{self.upload.name}: {error.message}")
            self.upload.delete()
            return None

    def get(self, request, upload_id):
        matches = self.matches(request, upload_id)
        if matches is None:
            return self.home()
        names = dict(Tenant.objects.values_list("pk", "name"))
        for match in matches:
            match.person_name = names.get(match.person_id, "")
            match.suggested_names = [names[pk] for pk in match.suggestions if pk in names]
        counts = dict.fromkeys(MatchStatus, 0)
        for match in matches:
            counts[match.status] += 1
        return render(
            request,
            "admin/rent/bank_preview.html",
            self.context(
                request,
                title=_("Preview: %(name)s") % {"name": self.upload.name},
                upload=self.upload,
                matches=matches,
                counts=counts,
            ),
        )

    def post(self, request, upload_id):
        matches = self.matches(request, upload_id)
        if matches is None:
            return self.home()
        with transaction.atomic():
            report = services.import_statement(matches=matches, name=self.upload.name)
            self.upload.delete()
        messages.success(
            request,
            _(
                "Imported: %(matched)d matched, %(suggested)d suggested, %(unmatched)d "
                "unmatched, %(outgoing)d outgoing, %(already)d already imported, "
                "%(recorded)d already recorded (linked to their payment)."
            )
            % {
                "recorded": report[MatchStatus.RECORDED],
                "matched": report[MatchStatus.MATCHED],
                "suggested": report[MatchStatus.SUGGESTED],
                "unmatched": report[MatchStatus.UNMATCHED],
                "outgoing": report[MatchStatus.OUTGOING],
                "already": report[MatchStatus.ALREADY],
            },
        )
        return self.home()
