"""Project-wide views that belong to no single app: health, the lockout page, error pages."""

import logging
import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kimonokittens.request_id import current_request_id

logger = logging.getLogger("kimonokittens.errors")


@never_cache
@require_GET
def healthz(request):
    """Liveness for the service manager and nginx: is the database answering?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


def favicon(request):
    """/favicon.ico, which browsers ask for on their own: the house's icon (an SVG)."""
    from django.http import HttpResponsePermanentRedirect
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("kimonokittens/favicon.svg"))


def permission_denied(request, exception=None):
    """403 in the household's words: inside the admin in the admin's look, elsewhere the site's."""
    from django.contrib import admin

    if request.path.startswith(f"/{settings.ADMIN_URL}") and request.user.is_authenticated:
        context = {**admin.site.each_context(request), "title": _("Not allowed")}
        return render(request, "admin/403.html", context, status=403)
    return render(request, "403.html", {"title": _("Not allowed")}, status=403)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login (AXES_LOCKOUT_CALLABLE), in the reader's
    language: 429, how long, and who can unlock."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_timedelta": settings.AXES_COOLOFF_TIME,
        "cooloff_minutes": minutes,
    }
    return render(request, "registration/locked_out.html", context, status=429)


def database_unavailable(exc: BaseException | None) -> bool:
    """The database refused or dropped the connection (stopped, restarting), as opposed to a
    bug: worth a 503 "try again soon", not a 500."""
    return isinstance(exc, OperationalError | InterfaceError)


def _error_response(request, *, status: int, title: str, explanation: str) -> HttpResponse:
    request_id = getattr(request, "request_id", None) or current_request_id.get()
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": title, "detail": explanation, "request_id": request_id}, status=status
        )
    context = {"title": title, "explanation": explanation, "request_id": request_id}
    try:
        html = render_to_string("error.html", context)
    except Exception:  # the error page itself must never fail (e.g. static files missing)
        logger.exception("the error page could not be rendered")
        html = f"<!DOCTYPE html><title>{title}</title><h1>{title}</h1><p>{explanation}</p>"
        html += f'<p><code data-testid="request-id">{request_id}</code></p>'

    response = HttpResponse(html, status=status)
    response["Cache-Control"] = "no-store"
    if status == 503:
        response["Retry-After"] = "30"
    return response


def server_error(request):
    """handler500: a friendly Swedish page naming the request id (its log lines carry the same
    id). A database that is down or restarting answers 503; a body in an unreadable charset 400.
    """
    exc = sys.exc_info()[1]
    if database_unavailable(exc):
        logger.error("database unavailable: %s", exc)
        return _error_response(
            request,
            status=503,
            title=_("The house system is resting for a moment"),
            explanation=_(
                "The database is not answering right now (it may be restarting). "
                "Try again in a minute; nothing you did was lost."
            ),
        )
    # An unknown charset is a bare LookupError; its subclasses KeyError and IndexError are bugs.
    if isinstance(exc, UnicodeError) or type(exc) is LookupError:
        return _error_response(
            request,
            status=400,
            title=_("The request could not be read"),
            explanation=_("The form was sent in an encoding the site does not read."),
        )
    return _error_response(
        request,
        status=500,
        title=_("Something went wrong"),
        explanation=_("The error is logged. Try again; if it keeps happening, tell the treasurer."),
    )
