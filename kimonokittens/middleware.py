"""Project-wide middleware: a request id and one log line per request, the login kept under the
data version, private caching of pages with personal data, and the client's address behind
nginx.
"""

import copy
import hashlib
import ipaddress
import json
import logging
import time
import uuid

from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject

from household.roles import household_roles, kept_roles, not_member_response
from kimonokittens.request_id import INCOMING_ID, current_request_id
from rent.read_model import is_own_tenant
from rent.versioning import request_version

request_log = logging.getLogger("kimonokittens.requests")


def _loaded_user(request):
    """The request's user when something already loaded it, else None: never a query of our own
    (the database may be the reason the request failed)."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)
    return wrapped if hasattr(wrapped, "is_authenticated") else None


def _who(request) -> str:
    """The login's username, or the API token's name when a view set `request.token_name`."""
    token_name = getattr(request, "token_name", "")
    if token_name:
        return f"token:{token_name}"
    user = _loaded_user(request)
    return user.get_username() if user is not None and user.is_authenticated else "-"


class RequestLogMiddleware:
    """One structured (JSON) line per request: method, path, status, duration, who, request id.

    The id comes from nginx's X-Request-ID when present, otherwise a new one; it is answered in
    the X-Request-ID header and shown on the error pages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if INCOMING_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = request_id
            return response
        finally:
            request_log.info(
                json.dumps(
                    {
                        "method": request.method,
                        "path": request.path,
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                        "user": _who(request),
                        "request_id": request_id,
                    },
                    ensure_ascii=False,
                )
            )
            current_request_id.reset(token)


# A login read from its session is kept this long at most (and never past the session's end).
LOGIN_KEPT_SECONDS = 5 * 60


class KeptLoginMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, with the login kept under the data version: a page
    read again asks neither the session table nor the user table.

    Everything that could end the login or change it makes a new version (household.roles'
    `connect_role_signals`): logging out, any change to the login (its password, so the session
    hash, included; deactivating it), its groups and permissions. Kept at most five minutes and
    never past the session's expiry; the API reads a member's session through it. The data
    version read here is the request's (`request.data_version`). Once read, `request.user` is
    the login itself, not a proxy that looks every attribute up again.
    """

    def process_request(self, request):
        super().process_request(request)

        def load():
            request.user = kept_user(request)
            return request.user

        request.user = SimpleLazyObject(load)


def kept_user(request):
    """The request's login: kept under the data version and the session key (in this process,
    else in the cache), else from the session (Django's `get_user`, which checks the session's
    hash), then kept with its roles (household.roles.household_roles reads them from it: one
    entry, not two)."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key or len(session_key) > 64:
        return get_user(request)
    version = request_version(request)
    key = f"kept_login:{version}:{hashlib.sha256(session_key.encode()).hexdigest()[:32]}"
    kept = logins_here.get(key)
    if kept is None:
        kept = cache.get(key)
        if kept is not None:
            _keep_here(key, kept)
    if kept is not None and kept[2] > time.time():
        return _own_copy(kept)
    user = get_user(request)
    if user.is_authenticated:
        as_loaded = copy.copy(user)  # kept without what deciding its roles leaves on it
        user._kept_roles = kept_roles(user, version=version)
        seconds = min(LOGIN_KEPT_SECONDS, request.session.get_expiry_age())
        kept = (as_loaded, user._kept_roles, time.time() + seconds)
        cache.set(key, kept, seconds)
        _keep_here(key, kept)
    return user


# The logins this process has read, as objects, so that a login read again is not unpickled
# again: the cache's entries (login, roles, when it ends) under the same keys, at most
# LOGINS_HERE of them (the oldest let go first). A new version makes new keys.
LOGINS_HERE = 256
logins_here: dict[str, tuple] = {}


def _keep_here(key: str, kept: tuple) -> None:
    while len(logins_here) >= LOGINS_HERE:
        logins_here.pop(next(iter(logins_here)), None)
    logins_here[key] = kept


def _own_copy(kept: tuple):
    """The kept login as this request's own object, as unpickling it would give (Django's
    `Model.__getstate__`: its own attributes and related-object cache): what a request sets on
    it (its roles, permission caches, a related row) stays with that request."""
    login, roles, _ends = kept
    user = object.__new__(type(login))
    user.__dict__.update(login.__getstate__())
    user._kept_roles = roles
    return user


class PrivateCacheMiddleware:
    """Every answer to a logged-in reader may hold personal data (rent, names, the handbook's
    rent panel): no shared cache and no browser cache keeps it (`private, no-store`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Every page with household data requires a login, so it has loaded the user.
        user = _loaded_user(request)
        if user is not None and user.is_authenticated:
            cache_control = response.get("Cache-Control", "")
            if any(shared in cache_control for shared in ("public", "max-age", "s-maxage")):
                del response["Cache-Control"]
            elif "private" in cache_control and "no-store" in cache_control:
                return response  # said already (the API's answers to a logged-in reader)
            patch_cache_control(response, private=True, no_store=True)
        return response


def client_ip(request) -> str:
    """The client's address for login throttling (AXES_CLIENT_IP_CALLABLE).

    Behind nginx every request comes from loopback; nginx appends the real peer's address to
    X-Forwarded-For. Entries further left are whatever the client sent, so only the last
    TRUSTED_PROXY_HOPS entries are believed.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_HOPS
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if hops > 0 and forwarded:
        believed = forwarded[-min(hops, len(forwarded))]
        try:
            return str(ipaddress.ip_address(believed))
        except ValueError:
            pass  # not an address (a misconfigured proxy, or none at all): the peer's
    return remote


class HouseholdMembersOnlyMiddleware:
    """The membership rule (household.roles.is_household_member, kept under the data version by
    household.roles.household_roles) over whole URL namespaces, and single views beside them.

    Every view in MEMBERS_ONLY_NAMESPACES (the handbook with its rent panel and live example, the
    admin with the rent figures), and each of MEMBERS_ONLY_VIEWS (the API's docs), answers 403 to
    a login that is not a household member; a visitor who is not logged in is sent to log in.
    Checked here, once, so a view added later cannot forget it. The admin's own login and logout
    stay open, and so does the kiosk, which a read-only kiosk token opens without a login (the
    view checks that itself).
    """

    OPEN_VIEWS = {"admin:login", "admin:logout", "kiosk"}
    # A tenant who has moved out may still owe or be owed money: their own statement (and its
    # CSV) stays open to their login, and nothing else of the house.
    OWN_STATEMENT_VIEWS = {"rent:statement", "rent:statement_csv"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        namespaces = set(match.namespaces) if match else set()
        members_only = namespaces & set(settings.MEMBERS_ONLY_NAMESPACES) or (
            match and match.view_name in settings.MEMBERS_ONLY_VIEWS
        )
        if not members_only:
            return None
        if match.view_name in self.OPEN_VIEWS:
            return None
        if not request.user.is_authenticated:
            if "admin" in namespaces:
                return None  # the admin sends its visitors to its own login page
            return redirect_to_login(request.get_full_path())
        # The data version read here (or with the login) is the request's: a reading view may
        # take it from `request.data_version` instead of asking again; the roles are kept under it.
        if household_roles(request.user, version=request_version(request))[0]:
            return None
        if match.view_name in self.OWN_STATEMENT_VIEWS and is_own_tenant(
            request.user, view_kwargs.get("tenant_id")
        ):
            return None
        return not_member_response(request)
