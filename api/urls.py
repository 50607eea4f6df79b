from functools import wraps

from django.http import Http404, JsonResponse
from django.urls import re_path

from api import writes  # noqa: F401  (registers the treasurer's writes on the API)
from api.api import api


def not_found(request, rest=""):
    """Anything else under /api/ is a JSON 404, never an HTML page."""
    return JsonResponse({"error": "Not found"}, status=404)


def json_method_not_allowed(view):
    """django-ninja answers a method a path does not take with a plain-text 405 (and raises
    Http404 at its root, an HTML page): make them JSON."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return not_found(request)
        if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
            allowed = response.get("Allow", "")
            response = JsonResponse(
                {"error": f"Method not allowed: {request.method}; allowed: {allowed}"},
                status=405,
            )
            response["Allow"] = allowed
        return response

    return wrapper


app_name = api.urls_namespace  # "api": reversed as api:<name>
api_patterns = api.urls[0]
for pattern in api_patterns:
    pattern.callback = json_method_not_allowed(pattern.callback)

# django-ninja's patterns directly, not under one more include: every API read resolves through
# one level less (and the rest of /api/ is a JSON 404, inside the same namespace).
urlpatterns = [
    *api_patterns,
    re_path(r"^(?P<rest>.*)$", not_found, name="api-not-found"),
]
