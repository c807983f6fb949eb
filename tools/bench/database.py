"""The separate benchmark database: create it on the same server as DATABASE_URL, point Django's
default connection at it for the run, and put the original back afterwards.

The benchmark never writes to the application database: it refuses a bench database name equal to the
configured one, and it only drops the database it created (or one carrying its marker table).
"""

import os
from contextlib import contextmanager

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

DEFAULT_NAME = "isales_bench"
# Created with the database, before anything else: a database without it was not made by the bench
# and is never dropped or reset by it.
MARKER = "bench_owner"


def bench_database_name() -> str:
    return os.environ.get("BENCH_DATABASE_NAME", DEFAULT_NAME)


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise CommandError(
            "The benchmark needs PostgreSQL (the figures are about the production database). "
            "Set DATABASE_URL=postgres://USER@HOST:5432/NAME; the bench data goes to a separate database "
            f"named by BENCH_DATABASE_NAME (default {DEFAULT_NAME})."
        )


def _connection_params() -> dict:
    s = settings.DATABASES["default"]
    keys = (("HOST", "host"), ("PORT", "port"), ("USER", "user"), ("PASSWORD", "password"))
    return {name: s[key] for key, name in keys if s.get(key)}


def _admin_connection() -> psycopg.Connection:
    """A maintenance connection (database `postgres`) with the application's credentials."""
    return psycopg.connect(**_connection_params(), dbname="postgres", autocommit=True)


def _exists(name: str) -> bool:
    with _admin_connection() as admin:
        return admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


@contextmanager
def bench_database(name: str, *, reuse: bool):
    """Point the default connection at database `name` for the duration of the block.

    Creates (or recreates) the database unless `reuse` and it already exists, and migrates it either
    way: a kept database from before a schema change would fail on the first rollup write.
    Yields True when an existing database was reused.
    """
    original = settings.DATABASES["default"]["NAME"]
    if name == original:
        raise CommandError(f"BENCH_DATABASE_NAME ({name}) must differ from the application database.")
    reused = reuse and _exists(name)
    if reused:
        _require_ours(name)
    if not reused:
        _recreate(name)
    _switch(name)
    try:
        call_command("migrate", verbosity=0, interactive=False)
        yield reused
    finally:
        _switch(original)


def reset_schema() -> None:
    """Empty the (already checked) bench database the default connection points at, keep it marked
    as the bench's, and migrate it again."""
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        cursor.execute(f"CREATE TABLE {MARKER} (created_at timestamptz NOT NULL DEFAULT now())")
    call_command("migrate", verbosity=0, interactive=False)


def drop_database(name: str) -> None:
    if _exists(name):
        _require_ours(name)
    with _admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _recreate(name: str) -> None:
    drop_database(name)
    with _admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    with _connect(name) as conn:
        conn.execute(f"CREATE TABLE {MARKER} (created_at timestamptz NOT NULL DEFAULT now())")


def _connect(name: str) -> psycopg.Connection:
    return psycopg.connect(**_connection_params(), dbname=name, autocommit=True)


def _require_ours(name: str) -> None:
    with _connect(name) as conn:
        ours = conn.execute("SELECT to_regclass(%s) IS NOT NULL", [MARKER]).fetchone()[0]
    if not ours:
        raise CommandError(
            f"Database {name!r} exists but was not created by the benchmark (no {MARKER} table); it is left "
            "untouched. Drop it yourself or set BENCH_DATABASE_NAME to another name."
        )


def _switch(name: str) -> None:
    connections.close_all()
    settings.DATABASES["default"]["NAME"] = name
    connection.settings_dict["NAME"] = name
