"""Store validated call rows set-based: into a staging table first, then one INSERT ... SELECT.

PostgreSQL: the rows stream into a temporary table with COPY (no WAL, no indexes), then a single
INSERT ... SELECT ... ON CONFLICT DO NOTHING moves the new ones into kpi_calllog. Index upkeep on
the call table is most of the cost of an import, so rows already present are removed by an anti-join
first (re-importing a file then writes nothing, and burns no sequence values).
SQLite (the single-process demo): the same SQL, fed by batched executemany instead of COPY.

The staging table is a session temporary table: nobody else sees it, and it is dropped at the end.
Only the final insert touches shared tables, inside one transaction, so a refused file leaves no trace
and a file is never half-imported. Staging itself runs outside that transaction, in chunks, so the
job's progress can be committed between chunks (a COPY blocks the connection while it runs).
"""

from collections import Counter
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.db import DatabaseError, connection

STAGE = "import_call_stage"
STAGE_COLUMNS = (
    "row_no, external_id, rep_id, started_local, duration_seconds, direction, result, "
    "reached_target, appointment_set, lead_external_id, note"
)
# started_local is the organisation's wall time; PostgreSQL derives the instant, local day and hour
# from it in the insert, so Python does not format a time zone per row.
_CREATE = f"""
CREATE TEMP TABLE {STAGE} (
    row_no integer NOT NULL, external_id varchar(128) NOT NULL, rep_id bigint NOT NULL,
    started_local timestamp NOT NULL, duration_seconds integer NOT NULL, direction varchar(8) NOT NULL,
    result varchar(16) NOT NULL, reached_target boolean NOT NULL, appointment_set boolean NOT NULL,
    lead_external_id varchar(128) NOT NULL, note text NOT NULL{{extra}}
)
"""
_PG_CREATE = _CREATE.format(extra="")
# SQLite has no time zone arithmetic: the instant (UTC text, as Django stores it), day and hour come from Python.
_SQLITE_CREATE = _CREATE.format(extra=", started_at datetime, local_date date, local_hour integer")
_PG_EXPR = {
    "started_at": "(s.started_local AT TIME ZONE %(tz)s)",
    "local_date": "s.started_local::date",
    "local_hour": "EXTRACT(HOUR FROM s.started_local)::smallint",
}
_SQLITE_EXPR = {"started_at": "s.started_at", "local_date": "s.local_date", "local_hour": "s.local_hour"}
_BATCH = 5_000
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})

# Rows go in sorted by external_id: the unique (source, external_id) index is then filled page by
# page instead of at random places (about a fifth faster for a million random ids).

# First touch per lead across this file, earlier calls and earlier emails: a call after it is a
# follow-up. Materialised (and analysed) before the insert: as a CTE the planner guesses its size and
# can pick a nested loop over a million staged rows.
LEADS = "import_call_leads"
_LEADS_CREATE = f"""
CREATE TEMP TABLE {LEADS} AS
SELECT t.lead_external_id, MIN(t.at) AS first_at, MIN(t.lead_id) AS lead_id FROM (
    SELECT s.lead_external_id, {{started_at}} AS at, CAST(NULL AS bigint) AS lead_id
    FROM {STAGE} s WHERE s.lead_external_id <> ''
    UNION ALL
    SELECT c.lead_external_id, c.started_at, CAST(NULL AS bigint) FROM kpi_calllog c
    -- "<> ''" restates the partial index's condition so the planner can use it (else: a full scan).
    WHERE c.lead_external_id <> ''
      AND c.lead_external_id IN (SELECT lead_external_id FROM {STAGE} WHERE lead_external_id <> '')
    UNION ALL
    SELECT e.lead_external_id, e.sent_at, CAST(NULL AS bigint) FROM kpi_emailtouch e
    WHERE e.lead_external_id <> ''
      AND e.lead_external_id IN (SELECT lead_external_id FROM {STAGE} WHERE lead_external_id <> '')
    UNION ALL
    SELECT l.external_id, NULL, l.id FROM kpi_lead l
    WHERE l.external_id IN (SELECT lead_external_id FROM {STAGE} WHERE lead_external_id <> '')
) AS t GROUP BY t.lead_external_id
"""

_SELECT_NEW = f"""
SELECT %(source)s, s.external_id, s.rep_id, f.lead_id, s.lead_external_id, {{started_at}}, {{local_date}},
       {{local_hour}}, s.duration_seconds, s.direction, s.result, s.reached_target, s.appointment_set,
       COALESCE({{started_at}} > f.first_at, false), false, s.note, %(now)s
FROM {STAGE} s
LEFT JOIN {LEADS} f ON f.lead_external_id = s.lead_external_id
WHERE true
ORDER BY s.external_id
ON CONFLICT (source, external_id) DO NOTHING
"""
_INSERT_COLUMNS = (
    "INSERT INTO kpi_calllog (source, external_id, rep_id, lead_id, lead_external_id, started_at, local_date, "
    "local_hour, duration_seconds, direction, result, reached_target, appointment_set, is_follow_up, "
    "permission_granted, note, created_at)"
)

# An imported call with appointment_set becomes the meeting IS hands to FS (same source and id).
_MEETINGS = f"""
INSERT INTO kpi_meeting (source, external_id, rep_id, lead_id, lead_external_id, call_id, kind, set_at,
                         local_date, status, note, created_at, updated_at)
SELECT c.source, c.external_id, c.rep_id, c.lead_id, c.lead_external_id, c.id, 'first', c.started_at,
       c.local_date, 'scheduled', '', %(now)s, %(now)s
FROM {STAGE} s JOIN kpi_calllog c ON c.source = %(source)s AND c.external_id = s.external_id
WHERE s.appointment_set
ON CONFLICT (source, external_id) DO NOTHING
"""


def _text(value: str) -> str:
    return value.translate(_ESCAPES) if ("\\" in value or "\t" in value or "\n" in value or "\r" in value) else value


class Stage:
    """Rows go in with add(); the rows of a refused file never leave the staging table."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.pg = connection.vendor == "postgresql"
        self.tz = tz
        self.rows = 0
        self._expr = _PG_EXPR if self.pg else _SQLITE_EXPR
        self._buffer: list = []
        self._cursor = connection.cursor()
        self._copy_cm = self._copy = None
        self._cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        self._cursor.execute(_PG_CREATE if self.pg else _SQLITE_CREATE)

    def add(self, r: tuple) -> None:
        """r: (row, external_id, rep_id, started_local, duration, direction, result, reached, appt, lead, note)"""
        self.rows += 1
        if self.pg:
            self._buffer.append(
                f"{r[0]}\t{_text(r[1])}\t{r[2]}\t{r[3].isoformat()}\t{r[4]}\t{r[5]}\t{r[6]}\t"
                f"{'t' if r[7] else 'f'}\t{'t' if r[8] else 'f'}\t{_text(r[9])}\t{_text(r[10])}\n"
            )
        else:
            local = r[3]
            utc = local.replace(tzinfo=self.tz).astimezone(UTC).replace(tzinfo=None)
            self._buffer.append((*r, utc.isoformat(" "), local.date().isoformat(), local.hour))
        if len(self._buffer) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        if not self._buffer:
            return
        if self.pg:
            if self._copy is None:
                self._copy_cm = self._cursor.cursor.copy(f"COPY {STAGE} ({STAGE_COLUMNS}) FROM STDIN")
                self._copy = self._copy_cm.__enter__()
            self._copy.write("".join(self._buffer))
        else:
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
            # Small batches (API calls) keep the default estimates; a file's million rows need real ones.
            self._cursor.execute(f"ANALYZE {STAGE}")

    def _params(self, **params) -> dict:
        return {"tz": str(self.tz), **params}

    def duplicates(self, limit: int) -> list[tuple[int, str]]:
        """Rows whose external_id already appeared on an earlier row of the same file."""
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
            SELECT s.rep_id, {self._expr["local_date"]} AS day, COUNT(*),
                   SUM(CASE WHEN c.id IS NULL THEN 1 ELSE 0 END)
            FROM {STAGE} s LEFT JOIN kpi_calllog c ON c.source = %(source)s AND c.external_id = s.external_id
            GROUP BY s.rep_id, day
            """,
            self._params(source=source),
        )
        return {(rep, _as_date(day)): (rows, new) for rep, day, rows, new in self._cursor.fetchall()}

    def totals(self) -> Counter:
        """Rows in the file per (rep_id, local_date)."""
        self._cursor.execute(
            f"SELECT s.rep_id, {self._expr['local_date']} AS day, COUNT(*) FROM {STAGE} s GROUP BY s.rep_id, day"
        )
        return Counter({(rep, _as_date(day)): n for rep, day, n in self._cursor.fetchall()})

    def _prepare(self, source: str, now: datetime) -> None:
        """Drop staged rows already stored, then gather the first touch per lead.

        Present rows are removed from staging in a statement of their own, not by an anti-join inside
        the insert: there the subquery would scan kpi_calllog while the same statement grows it, and on
        a table the planner believes empty that turns into a nested loop over every new page.
        """
        if self.pg:
            # Grouping a million leads and sorting the rows spill to disk at the default 4 MB.
            self._cursor.execute("SET LOCAL work_mem = '64MB'")
        self._cursor.execute(
            f"DELETE FROM {STAGE} WHERE EXISTS (SELECT 1 FROM kpi_calllog c"
            f" WHERE c.source = %(source)s AND c.external_id = {STAGE}.external_id)",
            {"source": source},
        )
        self._cursor.execute(f"DROP TABLE IF EXISTS {LEADS}")
        self._cursor.execute(_LEADS_CREATE.format(**self._expr), self._params(source=source, now=now))
        if self.pg and self.rows > 1_000:
            self._cursor.execute(f"ANALYZE {LEADS}")

    def insert(self, source: str, now: datetime) -> Counter:
        """Move the new rows into kpi_calllog; returns how many were created per (rep_id, local_date)."""
        params = self._params(source=source, now=now)
        self._prepare(source, now)
        select_new = _SELECT_NEW.format(**self._expr)
        if self.pg:
            self._cursor.execute(
                f"WITH ins AS ({_INSERT_COLUMNS} {select_new} RETURNING rep_id, local_date) "
                "SELECT rep_id, local_date, COUNT(*) FROM ins GROUP BY rep_id, local_date",
                params,
            )
            created = Counter({(rep, day): n for rep, day, n in self._cursor.fetchall()})
        else:
            # SQLite has no INSERT in a CTE; the demo is single-process, so what is staged now is new.
            created = self.totals()
            self._cursor.execute(f"{_INSERT_COLUMNS} {select_new}", params)
        self._cursor.execute(_MEETINGS, params)
        return created

    def discard(self, rows: list[int]) -> None:
        """Leave these staged rows out of the insert (duplicates within an API batch)."""
        for start in range(0, len(rows), 1_000):
            chunk = rows[start : start + 1_000]
            marks = ", ".join(["%s"] * len(chunk))
            self._cursor.execute(f"DELETE FROM {STAGE} WHERE row_no IN ({marks})", chunk)

    def insert_with_ids(self, source: str, now: datetime) -> tuple[Counter, set[str]]:
        """Like insert(), also naming the created external ids (API batches, at most 10,000 rows)."""
        if self.pg:
            self._prepare(source, now)
            self._cursor.execute(
                f"{_INSERT_COLUMNS} {_SELECT_NEW.format(**self._expr)} RETURNING external_id, rep_id, local_date",
                self._params(source=source, now=now),
            )
            rows = self._cursor.fetchall()
            self._cursor.execute(_MEETINGS, self._params(source=source, now=now))
            return Counter((rep, day) for _, rep, day in rows), {external_id for external_id, _, _ in rows}
        self._prepare(source, now)
        self._cursor.execute(f"SELECT external_id FROM {STAGE}")
        ids = {row[0] for row in self._cursor.fetchall()}
        return self.insert(source, now), ids

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


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)
