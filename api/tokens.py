"""Creating, finding and revoking API tokens. A token is shown once; only its SHA-256 is kept."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, timedelta

from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from api.models import ApiToken, TokenScope
from household.roles import ROLES_CACHE_SECONDS, household_members, treasurers
from rent.models import DataVersion
from rent.versioning import version_text

TOKEN_PREFIX = "kk_"
# last_used_at is written at most this often per token, so a polling kiosk does not write
# on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token_text() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def create_token(*, name: str, scope: str = TokenScope.KIOSK, created_by) -> tuple[ApiToken, str]:
    """A new token and its text, which is never stored and cannot be shown again. It acts with
    `created_by`'s rights at the time of each use (`acts_now`)."""
    raw = new_token_text()
    token = ApiToken.objects.create(
        name=name, scope=scope, created_by=created_by, **token_fields(raw)
    )
    return token, raw


def token_fields(raw: str) -> dict:
    """The stored fields of a token text: its first characters and its hash."""
    return {"prefix": raw[: len(TOKEN_PREFIX) + 6], "key_hash": hash_token(raw)}


def find_active_token(raw: str | None) -> ApiToken | None:
    """The active token with this text (and its last use recorded), or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = _token_with_version(hash_token(raw))
    if token is not None and not acts_now(token, version=token.data_version):
        return None
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
    return token


def acts_now(token: ApiToken, *, version: str | None = None) -> bool:
    """Whether the token's creator, at this moment, has the rights its scope needs: the
    treasurer's for a treasurer token, a household member's for the others (one query). A
    deactivated creator, a lost role or a creator moved out stops the token at once.

    With the data version read with the token, the answer is kept under it and the day, as
    household.roles keeps a session's roles: everything that decides it (the creator's login,
    groups, permissions and tenant) makes a new version, so a polling kiosk asks once.
    """
    if token.created_by_id is None:
        return False

    def decide() -> bool:
        allowed = treasurers() if token.can_write else household_members()
        return allowed.filter(pk=token.created_by_id).exists()

    if version is None:
        return decide()
    key = f"token-acts:{version}:{token.created_by_id}:{token.can_write}:{timezone.localdate()}"
    return cache.get_or_set(key, decide, ROLES_CACHE_SECONDS)


def why_stopped(token: ApiToken) -> str | None:
    """Why the token no longer acts (for the admin's list), or None when it does."""
    if token.revoked_at is not None:
        return _("revoked")
    if acts_now(token):
        return None
    creator = token.created_by
    if creator is None:
        return _("its creator's login is deleted")
    if not creator.is_active:
        return _("its creator's login is deactivated")
    if token.can_write:
        return _("its creator is no longer the treasurer")
    return _("its creator is no longer a household member")


def _token_with_version(key_hash: str) -> ApiToken | None:
    """The active token with this hash, and the data version, in one plain query.

    A polling kiosk's 304 then costs a single query; plain SQL because building the ORM's
    query costs more than running it.
    """
    tokens, versions = ApiToken._meta.db_table, DataVersion._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.id, t.name, t.scope, t.prefix, t.created_by_id, t.last_used_at, "  # noqa: S608
            f"v.value, v.stamp FROM {tokens} t LEFT JOIN {versions} v ON v.id = 1 "
            f"WHERE t.key_hash = %s AND t.revoked_at IS NULL",
            [key_hash],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    token = ApiToken(
        id=row[0], name=row[1], scope=row[2], prefix=row[3], key_hash=key_hash,
        created_by_id=row[4],
    )  # fmt: skip
    last_used = row[5]
    if last_used is not None and isinstance(last_used, str):  # SQLite without converters
        last_used = parse_datetime(last_used)
    if last_used is not None and timezone.is_naive(last_used):
        last_used = timezone.make_aware(last_used, UTC)
    token.last_used_at = last_used
    token.data_version = version_text(row[6], row[7])
    return token


def revoke_tokens(*, tokens) -> int:
    """Revoke every active token of `tokens`; returns how many were revoked."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
