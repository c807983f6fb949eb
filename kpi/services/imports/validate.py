"""Turn one CSV row of the call contract into typed values, or into errors naming row, column, reason.

This runs once per row of files with millions of rows, so it avoids per-row allocations it can skip:
table lookups are bound to locals, and the common spellings hit a dict directly before any Unicode
normalisation.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from .columns import BOOL_WORDS, DIRECTION_WORDS, RESULT_WORDS, lookup
from .errors import ErrorList

MAX_ID = 128
_SLASH_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d")


def parse_datetime(raw: str, tz: ZoneInfo) -> datetime | None:
    """ISO 8601 (offset optional; none = organisation time). Excel's 2026/11/20 10:15 is accepted too."""
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        moment = None
        for fmt in _SLASH_FORMATS:
            try:
                moment = datetime.strptime(raw, fmt)  # noqa: DTZ007 (the zone is attached below)
                break
            except ValueError:
                continue
        if moment is None:
            return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=tz)
    return moment.astimezone(tz)


class CallRow:
    __slots__ = (
        "appointment_set",
        "direction",
        "duration_seconds",
        "external_id",
        "lead_external_id",
        "note",
        "reached_target",
        "rep_id",
        "result",
        "row",
        "started_at",
    )


def call_row_parser(
    *, columns: dict[str, int], reps: dict[str, int | None], tz: ZoneInfo, now: datetime, errors: ErrorList
):
    """A function (row_number, fields) -> CallRow | None; None means the row had errors (recorded)."""
    i_id, i_rep, i_start, i_result = (
        columns["external_id"],
        columns["rep_email"],
        columns["started_at"],
        columns["result"],
    )
    i_dur, i_dir = columns.get("duration_seconds"), columns.get("direction")
    i_target, i_appt = columns.get("reached_target"), columns.get("appointment_set")
    i_lead, i_note = columns.get("lead_external_id"), columns.get("note")
    latest = now + timedelta(days=1)
    rep_cache: dict[str, int | None] = {}
    add = errors.add

    def field(fields: list[str], index: int | None) -> str:
        if index is None or index >= len(fields):
            return ""
        return fields[index].strip()

    def boolean(row: int, fields: list[str], index: int | None, column: str) -> bool:
        raw = field(fields, index)
        value = lookup(BOOL_WORDS, raw)
        if value is None:
            add(row, column, "bad_boolean", raw)
            return False
        return value

    def parse(row: int, fields: list[str]) -> CallRow | None:
        before = errors.count
        out = CallRow()
        out.row = row

        external_id = field(fields, i_id)
        if not external_id:
            add(row, "external_id", "required")
        elif len(external_id) > MAX_ID:
            add(row, "external_id", "too_long", external_id)
        out.external_id = external_id

        email = field(fields, i_rep)
        rep_id = rep_cache.get(email, 0)
        if rep_id == 0:
            rep_id = reps.get(email.lower(), 0)
            rep_cache[email] = rep_id
        if not email:
            add(row, "rep_email", "required")
        elif rep_id == 0:
            add(row, "rep_email", "unknown_rep", email)
        elif rep_id is None:
            add(row, "rep_email", "not_is_rep", email)
        out.rep_id = rep_id

        raw = field(fields, i_start)
        started = parse_datetime(raw, tz) if raw else None
        if not raw:
            add(row, "started_at", "required")
        elif started is None:
            add(row, "started_at", "bad_date", raw)
        elif started > latest:
            add(row, "started_at", "future_date", raw)
        out.started_at = started

        raw = field(fields, i_dur)
        duration = 0
        if raw:
            try:
                duration = int(raw)
            except ValueError:
                try:
                    number = float(raw)
                    duration = int(number) if number == number and number.is_integer() else None
                except ValueError:
                    duration = None
            if duration is None:
                add(row, "duration_seconds", "bad_number", raw)
            elif duration < 0:
                add(row, "duration_seconds", "negative_duration", raw)
        out.duration_seconds = duration

        raw = field(fields, i_dir)
        direction = lookup(DIRECTION_WORDS, raw) if raw else "outbound"
        if direction is None:
            add(row, "direction", "unknown_direction", raw)
        out.direction = direction

        raw = field(fields, i_result)
        result = lookup(RESULT_WORDS, raw) if raw else None
        if not raw:
            add(row, "result", "required")
        elif result is None:
            add(row, "result", "unknown_result", raw)
        out.result = result

        out.reached_target = boolean(row, fields, i_target, "reached_target") if i_target is not None else False
        out.appointment_set = boolean(row, fields, i_appt, "appointment_set") if i_appt is not None else False

        lead = field(fields, i_lead)
        if len(lead) > MAX_ID:
            add(row, "lead_external_id", "too_long", lead)
        out.lead_external_id = lead
        out.note = field(fields, i_note)
        return out if errors.count == before else None

    return parse
