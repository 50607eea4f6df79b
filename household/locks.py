"""Named locks across processes (PostgreSQL advisory locks), for work that must not run twice
at once: two `import_rent`, or two saves of one month's bills.

On SQLite a write already locks the whole database, so these do nothing there.
"""

import hashlib
from contextlib import contextmanager

from django.db import connection


def _key(name: str) -> int:
    """A stable signed 64-bit key for the lock's name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def _postgres() -> bool:
    return connection.vendor == "postgresql"


@contextmanager
def held_lock(name: str, *, wait: bool):
    """Hold the session lock `name` for the block; yields False when `wait` is off and another
    process holds it (the block then decides what to say)."""
    if not _postgres():
        yield True
        return
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_lock(%s)", [_key(name)])
            acquired = True
        else:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_key(name)])
            acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_key(name)])


def lock_until_commit(name: str) -> None:
    """Inside a transaction: wait for, then hold, the lock `name` until the transaction ends."""
    if _postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_key(name)])
