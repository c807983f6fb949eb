"""Store validated call rows set-based: into a staging table first, then one INSERT ... SELECT.

PostgreSQL: the rows stream into a temporary table with binary COPY (no WAL, no indexes, and no text
formatting or escaping in Python), then one INSERT ... SELECT moves the new ones into kpi_calllog.
Index upkeep on the call table is most of the cost of an import, so rows already present are removed
by an anti-join first (re-importing a file then writes nothing, and burns no sequence values).
SQLite (the single-process demo): the same SQL, fed by batched executemany instead of COPY.
API batches on PostgreSQL run the same SQL as one statement over arrays, without a staging table
(calls_store_batch).

The staging table is a session temporary table: nobody else sees it, and it is dropped at the end.
Only the final insert touches shared tables, inside one transaction, so a refused file leaves no trace
and a file is never half-imported. Staging itself runs outside that transaction, in chunks, so the
job's progress can be committed between chunks (a COPY blocks the connection while it runs).
"""

from collections import Counter
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import psycopg
from django.db import DatabaseError, IntegrityError, connection, transaction

from .store_sql import (
    _BATCH,
    _BATCH_INSERT,
    _CREATE,
    _INSERT_COLUMNS,
    _LEADS_CREATE,
    _MEETINGS,
    _ON_CONFLICT,
    _PG_DERIVED,
    _PG_EXPR,
    _SELECT_NEW,
    _SQLITE_CREATE,
    _SQLITE_EXPR,
    _WORK_MEM,
    LEADS,
    STAGE,
    STAGE_COLUMNS,
    STAGE_TYPES,
)


class DuplicateIds(Exception):
    """The staged rows name an external_id more than once; Stage.duplicates() lists them."""


class Stage:
    """Rows go in with add(); the rows of a refused file never leave the staging table.

    Used as `with Stage(tz) as stage:`, which always closes it (close() below).
    """

    def __init__(self, tz: ZoneInfo) -> None:
        self.pg = connection.vendor == "postgresql"
        self.tz = tz
        self.rows = 0
        self._expr = _PG_EXPR if self.pg else _SQLITE_EXPR
        self._buffer: list = []
        self._totals: Counter | None = None
        self._cursor = connection.cursor()
        self._copy_cm = self._copy = None
        self._cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        if self.pg:
            zone = "'" + str(tz).replace("'", "''") + "'"
            self._cursor.execute(_CREATE.format(derived=_PG_DERIVED.format(tz=zone)))
        else:
            self._cursor.execute(_SQLITE_CREATE)

    def add(self, r: tuple) -> None:
        """r: (row, external_id, rep_id, started_local, duration, direction, result, reached, appt, lead, note)"""
        self.rows += 1
        if self.pg:
            if self._copy is None:
                self._copy_cm = self._cursor.cursor.copy(f"COPY {STAGE} ({STAGE_COLUMNS}) FROM STDIN (FORMAT BINARY)")
                self._copy = self._copy_cm.__enter__()
                self._copy.set_types(STAGE_TYPES)
            self._copy.write_row(r)
            return
        local = r[3]
        utc = local.replace(tzinfo=self.tz).astimezone(UTC).replace(tzinfo=None)
        self._buffer.append((*r, utc.isoformat(" "), local.date().isoformat(), local.hour))
        if len(self._buffer) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            marks = ", ".join(["%s"] * 14)
            self._cursor.executemany(
                f"INSERT INTO {STAGE} ({STAGE_COLUMNS}, started_at, local_date, local_hour) VALUES ({marks})",
                self._buffer,
            )
            self._buffer = []

    def checkpoint(self) -> None:
        """End the running COPY so the connection is free for other statements (progress)."""
        self._flush()
        if self._copy is not None:
            self._copy_cm.__exit__(None, None, None)
            self._copy_cm = self._copy = None

    def close_input(self) -> None:
        self.checkpoint()
        if self.pg and self.rows > 1_000:
            # Small files keep the default estimates; a million rows need real ones.
            self._cursor.execute(f"ANALYZE {STAGE} (external_id, rep_id, appointment_set, lead_external_id)")

    @contextmanager
    def _tuned(self):
        """A transaction (or savepoint) whose sorts and hash tables fit a million staged rows in memory.

        JIT is off: the planner's cost estimates for a million staged rows make it inline and optimise,
        which took about 0.5 s per statement and sped up none of them.
        """
        with transaction.atomic():
            if self.pg:
                self._cursor.execute(f"SET LOCAL work_mem = '{_WORK_MEM}'")
                self._cursor.execute("SET LOCAL jit = off")
            yield

    def duplicates(self, limit: int) -> list[tuple[int, str]]:
        """Rows whose external_id already appeared on an earlier row of the same file."""
        with self._tuned():
            # One grouping pass finds whether there are any; the rows are listed only then.
            self._cursor.execute(
                f"SELECT external_id FROM {STAGE} GROUP BY external_id HAVING COUNT(*) > 1 LIMIT %(limit)s",
                {"limit": limit},
            )
            if not self._cursor.fetchall():
                return []
            self._cursor.execute(
                f"""
                SELECT s.row_no, s.external_id FROM {STAGE} s
                JOIN (SELECT external_id, MIN(row_no) AS first_row FROM {STAGE}
                      GROUP BY external_id HAVING COUNT(*) > 1) d ON d.external_id = s.external_id
                WHERE s.row_no > d.first_row ORDER BY s.row_no LIMIT %(limit)s
                """,
                {"limit": limit},
            )
            return self._cursor.fetchall()

    def per_rep_day(self, source: str) -> dict[tuple[int, date], tuple[int, int]]:
        """(rep_id, local_date) -> (rows in the file, rows not yet stored)."""
        self._cursor.execute(
            f"""
            SELECT s.rep_id, s.local_date AS day, COUNT(*),
                   SUM(CASE WHEN c.id IS NULL THEN 1 ELSE 0 END)
            FROM {STAGE} s LEFT JOIN kpi_calllog c ON c.source = %(source)s AND c.external_id = s.external_id
            GROUP BY s.rep_id, day
            """,
            {"source": source},
        )
        return {(rep, _as_date(day)): (rows, new) for rep, day, rows, new in self._cursor.fetchall()}

    def _counts(self) -> Counter:
        self._cursor.execute(f"SELECT s.rep_id, s.local_date AS day, COUNT(*) FROM {STAGE} s GROUP BY s.rep_id, day")
        return Counter({(rep, _as_date(day)): n for rep, day, n in self._cursor.fetchall()})

    def totals(self) -> Counter:
        """Rows in the file per (rep_id, local_date); call before insert()."""
        self._totals = self._counts()
        return self._totals

    def _prepare(self, source: str) -> int:
        """Drop staged rows already stored, then gather the first touch per lead; returns the rows dropped.

        Present rows are removed from staging in a statement of their own, not by an anti-join inside
        the insert: there the subquery would scan kpi_calllog while the same statement grows it, and on
        a table the planner believes empty that turns into a nested loop over every new page.
        Raises DuplicateIds when the file repeats an id that is already stored (every copy of it is
        dropped here, so the insert's unique index could not notice).
        """
        present_sql = (
            f"DELETE FROM {STAGE} WHERE EXISTS (SELECT 1 FROM kpi_calllog c"
            f" WHERE c.source = %(source)s AND c.external_id = {STAGE}.external_id)"
        )
        if self.pg:
            self._cursor.execute(
                f"WITH gone AS ({present_sql} RETURNING external_id)"
                ' SELECT COUNT(*), COUNT(DISTINCT external_id COLLATE "C") FROM gone',
                {"source": source},
            )
            present, distinct = self._cursor.fetchone()
            if present != distinct:
                raise DuplicateIds
        else:
            self._cursor.execute(present_sql, {"source": source})
            present = self._cursor.rowcount
        self._cursor.execute(f"DROP TABLE IF EXISTS {LEADS}")
        self._cursor.execute(_LEADS_CREATE.format(**self._expr))
        if self.pg and self.rows > 1_000:
            self._cursor.execute(f"ANALYZE {LEADS}")
        return present

    def insert(self, source: str, now: datetime) -> Counter:
        """Move the new rows into kpi_calllog; returns how many were created per (rep_id, local_date).

        Duplicate ids within the file are found here, not in a pass of their own: the unique index
        the insert maintains anyway refuses the second copy (DuplicateIds; list them with duplicates()).
        """
        params = {"source": source, "now": now}
        select_new = _SELECT_NEW.format(**self._expr)
        with self._tuned():
            if not self.pg:
                if self.duplicates(1):
                    raise DuplicateIds
                self._prepare(source)
                # The demo is single-process: what is staged now is new.
                created = self._counts()
                self._cursor.execute(f"{_INSERT_COLUMNS} {select_new}{_ON_CONFLICT}", params)
            else:
                present = self._prepare(source)
                created = self._insert_new(select_new, params, present)
            self._cursor.execute(_MEETINGS.format(**self._expr), params)
        return created

    def _insert_new(self, select_new: str, params: dict, present: int) -> Counter:
        """A plain INSERT: every staged row is new (present ones were just dropped), so no row pays the
        speculative-insertion round of ON CONFLICT. It fails on a unique violation: either the file
        repeats an id, or another import committed the same ids since the present rows were dropped;
        then the rows go in again with ON CONFLICT DO NOTHING, counting what was really created."""
        try:
            with transaction.atomic():
                self._cursor.execute(f"{_INSERT_COLUMNS} {select_new}", params)
        except IntegrityError:
            if self.duplicates(1):
                raise DuplicateIds from None
            self._cursor.execute(
                f"WITH ins AS ({_INSERT_COLUMNS} {select_new}{_ON_CONFLICT} RETURNING rep_id, local_date) "
                "SELECT rep_id, local_date, COUNT(*) FROM ins GROUP BY rep_id, local_date",
                params,
            )
            return Counter({(rep, day): n for rep, day, n in self._cursor.fetchall()})
        if present == 0 and self._totals is not None:
            return Counter(self._totals)
        return self._counts()

    def insert_with_ids(self, source: str, now: datetime) -> tuple[Counter, set[str]]:
        """Like insert(), also naming the created external ids (SQLite's API batches: with a single
        writer, the staged ids not stored yet are the ones the insert creates)."""
        self._cursor.execute(
            f"SELECT s.external_id FROM {STAGE} s WHERE NOT EXISTS (SELECT 1 FROM kpi_calllog c"
            " WHERE c.source = %(source)s AND c.external_id = s.external_id)",
            {"source": source},
        )
        ids = {row[0] for row in self._cursor.fetchall()}
        return self.insert(source, now), ids

    def __enter__(self) -> "Stage":
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        self.close(exc)

    def close(self, exc: BaseException | None = None) -> None:
        """Always called: aborts an unfinished COPY, then drops the staging table."""
        if self._copy is not None:
            self._copy_cm.__exit__(type(exc) if exc else RuntimeError, exc or RuntimeError("aborted"), None)
            self._copy_cm = self._copy = None
        try:
            self._cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
            self._cursor.execute(f"DROP TABLE IF EXISTS {LEADS}")
        except DatabaseError:
            if exc is None:
                raise  # after a failure the transaction may be aborted; the original error matters more
        finally:
            self._cursor.close()


def calls_store_batch(rows: list[tuple], *, source: str, now: datetime, tz: ZoneInfo) -> tuple[Counter, set[str]]:
    """Store an API batch of parsed rows (distinct external ids, see validate.ROW_FIELDS).

    Returns the created rows per (rep_id, local_date) and their external ids. Rows already stored
    are left alone. PostgreSQL: one statement, no staging table (an API request often carries one
    call); SQLite: through the staging table.
    """
    if not rows:
        return Counter(), set()
    if connection.vendor != "postgresql":
        with Stage(tz) as stage:
            for row in rows:
                stage.add(row)
            stage.close_input()
            return stage.insert_with_ids(source, now)
    columns = dict(zip(STAGE_COLUMNS.split(", "), (list(values) for values in zip(*rows, strict=True)), strict=True))
    connection.ensure_connection()
    # A server-side-binding cursor on Django's connection (same transaction): the arrays travel as
    # binary parameters, where Django's client-side cursor would quote every value into the SQL.
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(_BATCH_INSERT, {**columns, "source": source, "now": now, "tz": str(tz)})
        created = cursor.fetchall()
    return Counter((rep, day) for _, rep, day in created), {external_id for external_id, _, _ in created}


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)
