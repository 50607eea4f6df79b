from django.http import JsonResponse
from django.urls import path, re_path

from api.api import api


def not_found(request, rest=""):
    """Anything else under /api/ is a JSON 404, never an HTML page."""
    return JsonResponse({"error": "Not found"}, status=404)


urlpatterns = [
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", not_found, name="api-not-found"),
]
