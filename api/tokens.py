"""Creating, finding and revoking API tokens. A token is shown once; only its SHA-256 is kept."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from api.models import ApiToken, TokenScope

TOKEN_PREFIX = "kk_"
# last_used_at is written at most this often per token, so a polling kiosk does not write
# on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token_text() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def create_token(
    *, name: str, scope: str = TokenScope.READ, created_by=None
) -> tuple[ApiToken, str]:
    """A new token and its text, which is never stored and cannot be shown again."""
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
    token = ApiToken.objects.active().filter(key_hash=hash_token(raw)).first()
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
    return token


def revoke_tokens(*, tokens) -> int:
    """Revoke every active token of `tokens`; returns how many were revoked."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
