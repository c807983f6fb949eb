"""The staging table and the SQL of a call import (kpi/services/imports/store.py runs them).

Kept apart from the code that runs them so the statements read top to bottom in one place: the
staging table with its derived columns, the leads the new calls need, the anti-joined insert into
kpi_calllog, the meetings the calls set, and the one-statement form for API batches.
"""

STAGE = "import_call_stage"
STAGE_COLUMNS = (
    "row_no, external_id, rep_id, started_local, duration_seconds, direction, result, "
    "reached_target, appointment_set, lead_external_id, note"
)
# The binary COPY's type of each staged column, in STAGE_COLUMNS order.
STAGE_TYPES = ("int4", "varchar", "int8", "timestamp", "int4", "varchar", "varchar", "bool", "bool", "varchar", "text")
# started_local is the organisation's wall time. The instant, local day and hour derive from it in
# the staging table's last three columns; they cost nothing in Python and, on PostgreSQL (generated
# columns), are computed by the server while the COPY streams in, in parallel with the parsing.
_CREATE = f"""
CREATE TEMP TABLE {STAGE} (
    row_no integer NOT NULL, external_id varchar(128) NOT NULL, rep_id bigint NOT NULL,
    started_local timestamp NOT NULL, duration_seconds integer NOT NULL, direction varchar(8) NOT NULL,
    result varchar(16) NOT NULL, reached_target boolean NOT NULL, appointment_set boolean NOT NULL,
    lead_external_id varchar(128) NOT NULL, note text NOT NULL, {{derived}}
)
"""
# The derived columns on PostgreSQL: name, type and expression ({tz}: the organisation's zone). A file's
# staging table and an API batch's statement both compute them from these.
_DERIVED = (
    ("started_at", "timestamptz", "started_local AT TIME ZONE {tz}"),
    ("local_date", "date", "started_local::date"),
    ("local_hour", "smallint", "date_part('hour', started_local)::smallint"),
)
# DDL takes no parameters: the zone name (from settings) goes in as a quoted literal.
_PG_DERIVED = ", ".join(f"{name} {kind} GENERATED ALWAYS AS ({expr}) STORED" for name, kind, expr in _DERIVED)
# SQLite has no time zone arithmetic: the instant (UTC text, as Django stores it), day and hour come from Python.
_SQLITE_CREATE = _CREATE.format(derived="started_at datetime, local_date date, local_hour integer")
_PG_EXPR = {
    # Rows go in sorted by external_id: the unique (source, external_id) index is then filled page by
    # page instead of at random places (about a fifth faster for a million random ids). Byte order
    # sorts with abbreviated keys instead of a strcoll() per comparison; it only has to put the
    # index's neighbours next to each other.
    "id_order": 's.external_id COLLATE "C"',
    "least": "LEAST",
    # LATERAL ... LIMIT 1 pins a unique-index lookup per appointment: the call table's statistics
    # predate the insert, and a hash join would scan every call of the source.
    "stored_call": (
        "CROSS JOIN LATERAL (SELECT c.id, c.source, c.external_id, c.rep_id, c.lead_id, c.lead_external_id,"
        " c.started_at, c.local_date FROM kpi_calllog c"
        " WHERE c.source = %(source)s AND c.external_id = s.external_id LIMIT 1) c"
    ),
}
_SQLITE_EXPR = {
    "id_order": "s.external_id",
    "least": "MIN",
    "stored_call": "JOIN kpi_calllog c ON c.source = %(source)s AND c.external_id = s.external_id",
}
_BATCH = 5_000
# Grouping a million ids or leads and sorting the rows spill to disk at the default 4 MB.
_WORK_MEM = "256MB"

# First touch per lead across this file, earlier calls and earlier emails: a call after it is a
# follow-up. The file's leads are grouped once (materialised), and only those are looked up in the
# call and email logs. For a file the result is a table of its own (analysed) before the insert: as
# a CTE there the planner guesses its size and can pick a nested loop over a million staged rows.
LEADS = "import_call_leads"
_LEADS_SELECT = f"""
WITH f AS MATERIALIZED (
    SELECT s.lead_external_id, MIN(s.started_at) AS first_at FROM {STAGE} s
    WHERE s.lead_external_id <> '' GROUP BY s.lead_external_id
)
SELECT f.lead_external_id,
       {{least}}(f.first_at, COALESCE(c.first_at, f.first_at), COALESCE(e.first_at, f.first_at)) AS first_at,
       l.lead_id
FROM f
-- f is distinct per lead, so joining it is a semi-join (and "IN (SELECT ... FROM f)" made the
-- planner group f again for each lookup).
LEFT JOIN (
    SELECT c.lead_external_id, MIN(c.started_at) AS first_at FROM f JOIN kpi_calllog c USING (lead_external_id)
    -- "<> ''" restates the partial index's condition so the planner can use it (else: a full scan).
    WHERE c.lead_external_id <> '' GROUP BY c.lead_external_id
) c ON c.lead_external_id = f.lead_external_id
LEFT JOIN (
    SELECT e.lead_external_id, MIN(e.sent_at) AS first_at FROM f JOIN kpi_emailtouch e USING (lead_external_id)
    WHERE e.lead_external_id <> '' GROUP BY e.lead_external_id
) e ON e.lead_external_id = f.lead_external_id
LEFT JOIN (
    SELECT l.external_id, MIN(l.id) AS lead_id FROM f JOIN kpi_lead l ON l.external_id = f.lead_external_id
    GROUP BY l.external_id
) l ON l.external_id = f.lead_external_id
"""
_LEADS_CREATE = f"CREATE TEMP TABLE {LEADS} AS {_LEADS_SELECT}"

_SELECT_NEW = f"""
SELECT %(source)s, s.external_id, s.rep_id, f.lead_id, s.lead_external_id, s.started_at, s.local_date,
       s.local_hour, s.duration_seconds, s.direction, s.result, s.reached_target, s.appointment_set,
       COALESCE(s.started_at > f.first_at, false), false, s.note, %(now)s
FROM {STAGE} s
LEFT JOIN {LEADS} f ON f.lead_external_id = s.lead_external_id
WHERE true
ORDER BY {{id_order}}
"""
_ON_CONFLICT = " ON CONFLICT (source, external_id) DO NOTHING"
_INSERT_COLUMNS = (
    "INSERT INTO kpi_calllog (source, external_id, rep_id, lead_id, lead_external_id, started_at, local_date, "
    "local_hour, duration_seconds, direction, result, reached_target, appointment_set, is_follow_up, "
    "permission_granted, note, created_at)"
)

# An imported call with appointment_set becomes the meeting IS hands to FS (same source and id).
# {calls} names the stored calls as c: the staged appointments' calls, or those an insert returned.
_MEETINGS_FROM = """
INSERT INTO kpi_meeting (source, external_id, rep_id, lead_id, lead_external_id, call_id, kind, set_at,
                         local_date, status, note, created_at, updated_at)
SELECT c.source, c.external_id, c.rep_id, c.lead_id, c.lead_external_id, c.id, 'first', c.started_at,
       c.local_date, 'scheduled', '', %(now)s, %(now)s
FROM {calls}
ON CONFLICT (source, external_id) DO NOTHING
"""
_MEETINGS = _MEETINGS_FROM.format(calls=f"{STAGE} s {{stored_call}} WHERE s.appointment_set")

# API batches on PostgreSQL: the same statements as a file's, in one round trip. The batch arrives as
# one binary array per column; CTEs named like the staging tables stand in for them (a CTE shadows a
# table of the same name), present rows are left out by NOT EXISTS, and the meetings come from what
# the insert returns.
_BATCH_STAGE = f"""
SELECT v.*, {", ".join(f"{expr.format(tz='%(tz)s')} AS {name}" for name, _, expr in _DERIVED)}
FROM unnest(%(row_no)b::integer[], %(external_id)b::varchar[], %(rep_id)b::bigint[],
            %(started_local)b::timestamp[], %(duration_seconds)b::integer[], %(direction)b::varchar[],
            %(result)b::varchar[], %(reached_target)b::boolean[], %(appointment_set)b::boolean[],
            %(lead_external_id)b::varchar[], %(note)b::text[]) AS v({STAGE_COLUMNS})
WHERE NOT EXISTS (SELECT 1 FROM kpi_calllog c WHERE c.source = %(source)s AND c.external_id = v.external_id)
"""
_BATCH_INSERT = f"""
WITH {STAGE} AS ({_BATCH_STAGE}),
{LEADS} AS ({_LEADS_SELECT.format(**_PG_EXPR)}),
ins AS ({_INSERT_COLUMNS} {_SELECT_NEW.format(**_PG_EXPR)}{_ON_CONFLICT}
        RETURNING id, source, external_id, rep_id, lead_id, lead_external_id, started_at, local_date,
                  appointment_set),
meetings AS ({_MEETINGS_FROM.format(calls="ins c WHERE c.appointment_set")})
SELECT external_id, rep_id, local_date FROM ins
"""
