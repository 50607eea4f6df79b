"""A base URL that carries a read-only token in its path: `/k/<token>/`.

The old dashboard's broadcaster fetches `{API_BASE_URL}/api/rent/friendly_message` with no
headers, so its only setting, the base URL, has to carry the token:
`API_BASE_URL=https://kimonokittens.example.org/k/kk_…`. Under that base only
`api/rent/friendly_message` answers (the same body as `/api/rent/friendly_message`, from the same
read function, as the kiosk sees it: first names, no personal fields, whatever the token's
rights); every other path answers a JSON 404. A revoked or unknown token answers 401 at once.

The token is never logged in full: the view masks it in the request (so the request log line
and any error report show `/k/kk_abc123…/…`), api.token_paths.TokenPathFilter masks it in every
log record that reaches the console, deploy/gunicorn.conf.py in gunicorn's access log and
deploy/nginx.conf.example in nginx's.
"""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from api.auth import Caller
from api.token_paths import mask_token_paths
from api.tokens import find_active_token


def _mask_request(request, token: str) -> None:
    """From here on the request names only the token's prefix: the request log and error
    reports read these."""
    for name in ("path", "path_info"):
        setattr(request, name, mask_token_paths(getattr(request, name)))
    for key in ("PATH_INFO", "REQUEST_URI", "RAW_URI"):
        if key in request.META:
            request.META[key] = mask_token_paths(request.META[key])
    request.token_name = ""  # set below when the token is known


def unauthorized() -> JsonResponse:
    response = JsonResponse({"error": "This token is not valid (revoked or mistyped)"}, status=401)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def friendly_message(request, token: str):
    """`/api/rent/friendly_message` for a caller that can send no header: the token is in the
    path. The hallway's view (rent.api's kiosk scope), whatever the token's rights; without
    year/month, the month whose rent is due next (what the hallway shows)."""
    from ninja.errors import HttpError
    from pydantic import ValidationError

    from api.api import BadInput, MonthQuery, NoRent, api, friendly_body, month_read
    from rent.engine.months import config_month_due_next

    _mask_request(request, token)
    found = find_active_token(token)
    if found is None:
        return unauthorized()
    request.token_name = found.name
    request.auth = Caller("kiosk", token=found, can_write=False, reads_everything=False)
    try:
        year = _whole(request.GET.get("year"), "year")
        month = _whole(request.GET.get("month"), "month")
        if year is None and month is None:
            due = config_month_due_next(timezone.localdate())
            year, month = due.year, due.month
        response = api.create_temporal_response(request)  # as the API's own reads have
        body = month_read(
            request, response, MonthQuery(year=year, month=month), "friendly", friendly_body,
            hallway=True,
        )  # fmt: skip
    except BadInput as error:
        return JsonResponse({"error": str(error), "code": error.code}, status=400)
    except ValidationError as error:  # the API's own ranges (MonthQuery)
        where = "; ".join(
            f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}" for e in error.errors()
        )
        return JsonResponse({"error": where}, status=400)
    except NoRent as error:
        return JsonResponse({"error": f"No rent for this month: {error}"}, status=404)
    except HttpError as error:
        return JsonResponse({"error": str(error)}, status=error.status_code)
    if isinstance(body, HttpResponse):
        return body  # 304: the caller's copy is current
    answer = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    for header in ("ETag", "Cache-Control", "Vary"):
        if header in response:
            answer[header] = response[header]
    return answer


def _whole(value: str | None, name: str) -> int | None:
    from api.api import BadInput

    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise BadInput("api_not_a_whole_number", field=name, value=repr(value)) from None


def not_found(request, token: str, rest: str = ""):
    """The other widgets' paths under a token base URL: a clean JSON 404."""
    _mask_request(request, token)
    return JsonResponse({"error": "Not found"}, status=404)
