"""Replace a table's whole contents by loading an index-less copy and swapping it in (PostgreSQL).

A full rollup rebuild rewrites every row. Inserting ~700 k rollup rows into a table that keeps its
indexes up to date row by row cost about three times what the same insert costs into a bare table
followed by one sorted build per index (bench, 1,000 reps x 520 days). Deleting the old rows first
cost as much again. Readers keep reading the old table while the copy is filled, as they did with
DELETE + INSERT in one transaction; they wait only for the DROP and RENAME at the end, just before
COMMIT.

Only plain derived tables qualify: no foreign keys in or out, no sequences. `fresh_copy` refuses
anything else rather than lose it in the swap.
"""

from django.db import OperationalError, connection
from psycopg import errors

from .locks import LockBusy

SUFFIX = "_next"
SWAP_LOCK_TIMEOUT = "10s"


def table_indexes(cursor, table: str, constraint_types: str = "pu") -> list[tuple[str, str]]:
    """(name, SQL that creates it on `table`) for the table's key constraints of `constraint_types`
    (p = primary key, u = unique, f = foreign key), then for its other indexes."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = %s::regclass AND contype = ANY(%s) ORDER BY conname",
        [table, list(constraint_types)],
    )
    found = [(name, f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}') for name, definition in cursor]
    cursor.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
        " WHERE i.indrelid = %s::regclass"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) ORDER BY c.relname",
        [table],
    )
    found.extend(cursor.fetchall())
    return found


def fresh_copy(table: str) -> str:
    """An empty copy of `table` (columns, defaults, checks, storage settings), without its indexes;
    its name. Dropped with the transaction if the load fails."""
    copy = table + SUFFIX
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE contype = 'f' AND (conrelid = %(t)s::regclass"
            " OR confrelid = %(t)s::regclass)) OR EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = %(t)s::regclass"
            " AND attnum > 0 AND (attidentity <> '' OR pg_get_serial_sequence(%(t)s, attname) IS NOT NULL))",
            {"t": table},
        )
        if cursor.fetchone()[0]:
            raise ValueError(f"{table} has foreign keys or a sequence: it cannot be swapped")
        cursor.execute("SELECT reloptions FROM pg_class WHERE oid = %s::regclass", [table])
        options = cursor.fetchone()[0]
        cursor.execute(f"DROP TABLE IF EXISTS {copy}")
        cursor.execute(
            f"CREATE TABLE {copy} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE"
            f" INCLUDING STATISTICS)" + (f" WITH ({', '.join(options)})" if options else "")
        )
    return copy


def build_indexes(table: str, copy: str) -> None:
    """Give the loaded copy every key and index of `table`, under temporary names. (The caller
    analyzes the copy: it knows which columns queries use.)"""
    with connection.cursor() as cursor:
        for name, sql in table_indexes(cursor, table):
            cursor.execute(_retarget(sql, name, table, copy))


def swap_in(table: str, copy: str) -> None:
    """Drop `table` and give its name, and its indexes' names, to the copy.

    Waits at most SWAP_LOCK_TIMEOUT for sessions still reading `table`: while the swap waits for its
    lock, every new reader queues behind it, so a long report must not stall every dashboard. Past
    that, LockBusy: the whole rebuild rolls back, nothing has changed, and the task retries.
    """
    with connection.cursor() as cursor:
        names = [name for name, _sql in table_indexes(cursor, table)]
        cursor.execute(f"SET LOCAL lock_timeout = '{SWAP_LOCK_TIMEOUT}'")
        try:
            cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        except OperationalError as exc:
            if not isinstance(exc.__cause__, errors.LockNotAvailable):
                raise
            raise LockBusy(
                f"{table} stayed in use by another session for {SWAP_LOCK_TIMEOUT}: the rebuild was rolled back"
            ) from exc
        cursor.execute(f"DROP TABLE {table}")
        cursor.execute(f"ALTER TABLE {copy} RENAME TO {table}")
        for name in names:
            cursor.execute(f'ALTER INDEX "{name}{SUFFIX}" RENAME TO "{name}"')


def _retarget(sql: str, name: str, table: str, copy: str) -> str:
    """The statement that created index or constraint `name` on `table`, for `copy`."""
    if sql.startswith("ALTER TABLE"):
        return sql.replace(
            f'ALTER TABLE {table} ADD CONSTRAINT "{name}"', f'ALTER TABLE {copy} ADD CONSTRAINT "{name}{SUFFIX}"', 1
        )
    head, on, rest = sql.partition(f" ON public.{table} ")
    if not on:
        head, on, rest = sql.partition(f" ON {table} ")
    if not on or not head.endswith(f" {name}"):
        raise ValueError(f"unexpected definition of index {name}: {sql}")
    return f'{head[: -len(name)]}"{name}{SUFFIX}" ON {copy} {rest}'
