"""Who is calling the API: a bearer token, a logged-in member (session), or the kiosk's cookie.

Each authenticator returns a `Caller`. Writes need treasurer rights and, with a session, CSRF.
The kiosk's cookie and kiosk tokens read only the hallway's view (the coming month's
friendly message); other months, the history and the roommates need read rights.
A token acts with its creator's rights at the time of use (api.tokens.acts_now).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import SimpleLazyObject
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from api.models import ApiToken
from api.tokens import find_active_token
from household.roles import household_roles
from rent.versioning import request_version

KIOSK_COOKIE = "kiosk_token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class Caller:
    kind: str  # "token", "session" or "kiosk"
    user: object | None = None
    token: ApiToken | None = None
    can_write: bool = False
    reads_everything: bool = False  # False: the hallway's view only

    @property
    def sees_personal_fields(self) -> bool:
        """Read-only tokens (and the kiosk) get no email, dates or other personal fields."""
        return self.kind == "session" or self.can_write

    @property
    def label(self) -> str:
        """Who made a change, for the history of changes."""
        if self.token is not None:
            return f"API token: {self.token.name}"
        return f"API: {self.user.get_username()}" if self.user else "API"


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        found = find_active_token(token)
        if found is None:
            return None
        request.data_version = found.data_version  # read with the token: no second query
        return Caller(
            "token",
            # Read only by a write (its history's user): a polling read asks nothing more.
            user=SimpleLazyObject(lambda: found.created_by),
            token=found,
            can_write=found.can_write,
            reads_everything=found.reads_everything,
        )


class Session(AuthBase):
    """Django's login. Unsafe methods must carry the CSRF token, as forms do."""

    openapi_type = "apiKey"
    openapi_in = "cookie"
    openapi_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        # The version read here is the request's (rent.versioning.request_version). The login,
        # its roles and permissions are kept under it (kimonokittens.middleware.KeptLoginMiddleware,
        # household.roles.household_roles): a member's read asks the database for the version
        # alone, as a token's does.
        version = request_version(request)
        if not request.user.is_authenticated:
            return None
        user = request.user  # once read, the login itself (KeptLoginMiddleware)
        member, treasurer = household_roles(user, version=version)
        if not member:
            return None  # a login that is no longer (or not yet) a member reads nothing
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed")
        return Caller("session", user=user, can_write=treasurer, reads_everything=True)


class KioskCookie(AuthBase):
    """The kiosk's token, kept in a cookie by /kiosk/: the hallway's view only, whatever the
    token's rights (the hallway browser sends it with every request)."""

    openapi_type = "apiKey"
    openapi_in = "cookie"
    openapi_name = KIOSK_COOKIE

    def __call__(self, request):
        if request.method not in SAFE_METHODS:
            return None
        found = find_active_token(request.COOKIES.get(KIOSK_COOKIE))
        if found is None:
            return None
        request.data_version = found.data_version  # read with the token
        return Caller("kiosk", token=found, can_write=False)


AUTH = [BearerToken(), Session(), KioskCookie()]


HALLWAY_ONLY = (
    "This token shows only the hallway's view (the coming month); other months, the history "
    "and the roommates need a token with read rights"
)


def require_reader(request) -> Caller:
    """More than the hallway's view: a session or a read or treasurer token."""
    caller = request.auth
    if not caller.reads_everything:
        raise HttpError(403, HALLWAY_ONLY)
    return caller


def require_writer(request) -> Caller:
    caller = request.auth
    if not caller.can_write:
        raise HttpError(403, "Treasurer rights are needed to change anything")
    return caller
