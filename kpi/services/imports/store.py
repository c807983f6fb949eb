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

from django.db import DatabaseError, connection

from .validate import CallRow

STAGE = "import_call_stage"
STAGE_COLUMNS = (
    "row_no, external_id, rep_id, started_at, local_date, local_hour, duration_seconds, direction, result, "
    "reached_target, appointment_set, lead_external_id, note"
)
_PG_CREATE = f"""
CREATE TEMP TABLE {STAGE} (
    row_no integer NOT NULL, external_id varchar(128) NOT NULL, rep_id bigint NOT NULL,
    started_at timestamptz NOT NULL, local_date date NOT NULL, local_hour smallint NOT NULL,
    duration_seconds integer NOT NULL, direction varchar(8) NOT NULL, result varchar(16) NOT NULL,
    reached_target boolean NOT NULL, appointment_set boolean NOT NULL,
    lead_external_id varchar(128) NOT NULL, note text NOT NULL
)
"""
_SQLITE_CREATE = _PG_CREATE.replace("timestamptz", "datetime")
_BATCH = 5_000
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})

# First touch per lead across this file, earlier calls and earlier emails: a call after it is a follow-up.
_FIRST_TOUCH = f"""
first_touch AS (
    SELECT lead_external_id, MIN(t) AS first_at FROM (
        SELECT lead_external_id, started_at AS t FROM {STAGE} WHERE lead_external_id <> ''
        UNION ALL
        SELECT lead_external_id, started_at FROM kpi_calllog
        WHERE lead_external_id IN (SELECT lead_external_id FROM {STAGE} WHERE lead_external_id <> '')
        UNION ALL
        SELECT lead_external_id, sent_at FROM kpi_emailtouch
        WHERE lead_external_id IN (SELECT lead_external_id FROM {STAGE} WHERE lead_external_id <> '')
    ) AS touches GROUP BY lead_external_id
),
leads AS (
    SELECT external_id, MIN(id) AS id FROM kpi_lead
    WHERE external_id IN (SELECT lead_external_id FROM {STAGE} WHERE lead_external_id <> '')
    GROUP BY external_id
)"""

_SELECT_NEW = f"""
SELECT %(source)s, s.external_id, s.rep_id, leads.id, s.lead_external_id, s.started_at, s.local_date,
       s.local_hour, s.duration_seconds, s.direction, s.result, s.reached_target, s.appointment_set,
       COALESCE(s.started_at > f.first_at, false), false, s.note, %(now)s
FROM {STAGE} s
LEFT JOIN first_touch f ON f.lead_external_id = s.lead_external_id AND s.lead_external_id <> ''
LEFT JOIN leads ON leads.external_id = s.lead_external_id
WHERE NOT EXISTS (SELECT 1 FROM kpi_calllog c WHERE c.source = %(source)s AND c.external_id = s.external_id)
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

    def __init__(self) -> None:
        self.pg = connection.vendor == "postgresql"
        self.rows = 0
        self.totals: Counter[tuple[int, date]] = Counter()
        self._buffer: list = []
        self._cursor = connection.cursor()
        self._copy_cm = self._copy = None
        self._cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        self._cursor.execute(_PG_CREATE if self.pg else _SQLITE_CREATE)

    def add(self, r: CallRow) -> None:
        started = r.started_at
        day = started.date()
        self.rows += 1
        self.totals[(r.rep_id, day)] += 1
        if self.pg:
            self._buffer.append(
                f"{r.row}\t{_text(r.external_id)}\t{r.rep_id}\t{started.isoformat()}\t{day.isoformat()}\t"
                f"{started.hour}\t{r.duration_seconds}\t{r.direction}\t{r.result}\t"
                f"{'t' if r.reached_target else 'f'}\t{'t' if r.appointment_set else 'f'}\t"
                f"{_text(r.lead_external_id)}\t{_text(r.note)}\n"
            )
        else:
            utc = started.astimezone(UTC).replace(tzinfo=None)
            self._buffer.append(
                (
                    r.row,
                    r.external_id,
                    r.rep_id,
                    utc.isoformat(" "),
                    day.isoformat(),
                    started.hour,
                    r.duration_seconds,
                    r.direction,
                    r.result,
                    r.reached_target,
                    r.appointment_set,
                    r.lead_external_id,
                    r.note,
                )
            )
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
            marks = ", ".join(["%s"] * 13)
            self._cursor.executemany(f"INSERT INTO {STAGE} ({STAGE_COLUMNS}) VALUES ({marks})", self._buffer)
        self._buffer = []

    def checkpoint(self) -> None:
        """End the running COPY so the connection is free for other statements (progress)."""
        self._flush()
        if self._copy is not None:
            self._copy_cm.__exit__(None, None, None)
            self._copy_cm = self._copy = None

    def close_input(self) -> None:
        self.checkpoint()
        if self.pg:
            self._cursor.execute(f"ANALYZE {STAGE}")

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

    def new_per_rep_day(self, source: str) -> Counter:
        """Rows not yet stored, per (rep_id, local_date): what an import would create."""
        self._cursor.execute(
            f"""
            SELECT s.rep_id, s.local_date, COUNT(*) FROM {STAGE} s
            WHERE NOT EXISTS (SELECT 1 FROM kpi_calllog c WHERE c.source = %(source)s AND c.external_id = s.external_id)
            GROUP BY s.rep_id, s.local_date
            """,
            {"source": source},
        )
        return Counter({(rep, _as_date(day)): n for rep, day, n in self._cursor.fetchall()})

    def insert(self, source: str, now: datetime) -> Counter:
        """Move the new rows into kpi_calllog; returns how many were created per (rep_id, local_date)."""
        params = {"source": source, "now": now}
        if self.pg:
            self._cursor.execute(
                f"WITH {_FIRST_TOUCH}, ins AS ({_INSERT_COLUMNS} {_SELECT_NEW} RETURNING rep_id, local_date) "
                "SELECT rep_id, local_date, COUNT(*) FROM ins GROUP BY rep_id, local_date",
                params,
            )
            created = Counter({(rep, day): n for rep, day, n in self._cursor.fetchall()})
        else:
            # SQLite has no INSERT in a CTE; the demo is single-process, so counting first is exact.
            created = self.new_per_rep_day(source)
            self._cursor.execute(f"{_INSERT_COLUMNS} WITH {_FIRST_TOUCH} {_SELECT_NEW}", params)
        self._cursor.execute(_MEETINGS, params)
        return created

    def close(self, exc: BaseException | None = None) -> None:
        """Always called: aborts an unfinished COPY, then drops the staging table."""
        if self._copy is not None:
            self._copy_cm.__exit__(type(exc) if exc else RuntimeError, exc or RuntimeError("aborted"), None)
            self._copy_cm = self._copy = None
        try:
            self._cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        except DatabaseError:
            if exc is None:
                raise  # after a failure the transaction may be aborted; the original error matters more
        finally:
            self._cursor.close()


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)
