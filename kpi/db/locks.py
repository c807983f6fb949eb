"""A database lock that stops two rollup writers overlapping, whichever worker they run on.

PostgreSQL advisory locks are transaction-scoped here, so a killed worker can never leave one held.
SQLite (the single-process demo) serialises writers by itself, so the lock is a no-op there.
"""

import zlib
from contextlib import contextmanager

from django.db import connection


class LockBusy(RuntimeError):
    """Another run holds the lock; the task retries later."""


def _key(name: str) -> int:
    return zlib.crc32(name.encode())


@contextmanager
def xact_lock(name: str, *, wait: bool = True):
    """Must be used inside transaction.atomic(); released when that transaction ends."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_key(name)])
        else:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_key(name)])
            if not cursor.fetchone()[0]:
                raise LockBusy(name)
    yield
