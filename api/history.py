"""Recording API writes in the history of changes as the token's or the user's change."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from simple_history.signals import pre_create_historical_record

_reason: ContextVar[tuple[str, object] | None] = ContextVar("api_change_reason", default=None)


@contextmanager
def recorded_as(reason: str, *, user=None):
    """History records made inside get this change reason (and user, when none is known)."""
    marker = _reason.set((reason[:100], user))
    try:
        yield
    finally:
        _reason.reset(marker)


def _label_record(sender, history_instance, **kwargs):
    current = _reason.get()
    if current is None:
        return
    reason, user = current
    if not history_instance.history_change_reason:
        history_instance.history_change_reason = reason
    if history_instance.history_user_id is None and user is not None and user.is_authenticated:
        history_instance.history_user = user


pre_create_historical_record.connect(_label_record, dispatch_uid="api-change-reason")
