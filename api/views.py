"""The hallway kiosk's page: it takes an API token, so it lives with the API (rent imports
nothing from api). Its figures come from rent.read_model, as every page's do."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

from api.auth import KIOSK_COOKIE
from api.tokens import find_active_token
from household.roles import household_roles
from rent.engine.months import config_month_due_next
from rent.formatting import message_html
from rent.read_model import charged_month, first_name
from rent.versioning import request_version

KIOSK_COOKIE_AGE = 400 * 24 * 60 * 60  # the longest browsers keep a cookie


def kiosk(request):
    """The hallway display. Opened once as /kiosk/?token=…: the token moves into a cookie and
    the address loses it, so it reaches the logs only that first time."""
    raw = request.GET.get("token")
    if raw is not None:
        token = find_active_token(raw)
        if token is None:
            raise PermissionDenied(
                _(
                    "This kiosk token is not valid (revoked, mistyped, or its creator no "
                    "longer has the rights)."
                )
            )
        response = redirect("kiosk")
        response.set_cookie(
            KIOSK_COOKIE,
            raw,
            max_age=KIOSK_COOKIE_AGE,
            httponly=True,
            secure=settings.SESSION_COOKIE_SECURE,
            samesite="Strict",
        )
        patch_cache_control(response, private=True, no_store=True)
        return response
    token = find_active_token(request.COOKIES.get(KIOSK_COOKIE))
    if token is not None:
        request.data_version = token.data_version  # read with the token, as api.auth does
    else:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not household_roles(request.user, version=request_version(request))[0]:
            raise PermissionDenied(_("The kiosk is for household members and kiosk tokens."))
    today = timezone.localdate()
    month = charged_month(config_month_due_next(today), version=request_version(request))
    response = render(
        request,
        "rent/kiosk.html",
        {
            "month": month,
            "message_html": message_html(month.message),
            "people": [(line, first_name(line.name)) for line in month.lines],
            "days_left": (month.due_date - today).days,
            "days_overdue": (today - month.due_date).days,
            "updated_at": timezone.localtime(),
            "poll_seconds": settings.KIOSK_POLL_SECONDS,
        },
    )
    # Names and amounts: never kept by a proxy or served to another cookie.
    patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ["Cookie"])
    return response
