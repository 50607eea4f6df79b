"""Project-wide views that belong to no single app."""

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


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


def permission_denied(request, exception=None):
    """403 in the household's words: inside the admin in the admin's look, elsewhere the site's."""
    from django.contrib import admin
    from django.shortcuts import render

    if request.path.startswith("/admin/") and request.user.is_authenticated:
        context = {**admin.site.each_context(request), "title": _("Not allowed")}
        return render(request, "admin/403.html", context, status=403)
    return render(request, "403.html", {"title": _("Not allowed")}, status=403)
