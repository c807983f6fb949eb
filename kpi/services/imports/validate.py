"""Turn one CSV row of the call contract into typed values, or into errors naming row, column, reason.

This runs once per row of files with millions of rows, so it has two paths: a fast one that takes
the fields as written (one C-level itemgetter, direct dict hits for the usual spellings, no Unicode
normalisation), and the careful one below it that strips, normalises and names every problem. A row
the fast path does not fully accept goes through the careful path, so both always agree.

A parsed row is a tuple (see ROW_FIELDS); started_at is the organisation-local wall time, naive
(an input with an offset is converted first), so the database derives local day and hour from it.
"""

from datetime import datetime, timedelta
from operator import itemgetter
from zoneinfo import ZoneInfo

from ... import bounds
from .columns import BOOL_WORDS, CALL_COLUMNS, DIRECTION_WORDS, RESULT_WORDS, lookup
from .errors import ErrorList

MAX_ID = bounds.MAX_ID_LENGTH
# No real call lasts a day; the bound also keeps values inside the database column.
MAX_DURATION = bounds.MAX_DURATION_SECONDS
EARLIEST = datetime.combine(bounds.MIN_DATE, datetime.min.time())
ROW_FIELDS = (
    "row",
    "external_id",
    "rep_id",
    "started_local",
    "duration_seconds",
    "direction",
    "result",
    "reached_target",
    "appointment_set",
    "lead_external_id",
    "note",
)
_SLASH_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d")


def parse_local(raw: str, tz: ZoneInfo) -> datetime | None:
    """ISO 8601 (offset optional; none = organisation time), or Excel's 2026/11/20 10:15; naive local."""
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        moment = None
        for fmt in _SLASH_FORMATS:
            try:
                moment = datetime.strptime(raw, fmt)  # noqa: DTZ007 (organisation-local wall time)
                break
            except ValueError:
                continue
        if moment is None:
            return None
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(tz).replace(tzinfo=None)
        except OverflowError:  # e.g. 0001-01-01T00:00+09:00 has no UTC equivalent
            return None
    return moment


def has_nul(*texts: str) -> bool:
    """PostgreSQL text cannot hold NUL characters; such a value is refused, not crashed on."""
    return any("\x00" in t for t in texts)


def moment_problem(moment: datetime, latest: datetime) -> str | None:
    """A parsed local time before 2000 (kpi/bounds.py) or more than a day ahead."""
    if moment < EARLIEST:
        return "date_out_of_range"
    if moment > latest:
        return "future_date"
    return None


def call_row_parser(
    *, columns: dict[str, int], reps: dict[str, int | None], tz: ZoneInfo, now: datetime, errors: ErrorList
):
    """A function (row_number, fields) -> tuple | None; None means the row had errors (recorded)."""
    # Absent optional columns read the "" appended to every row (index -1).
    indexes = [columns.get(name, -1) for name in CALL_COLUMNS]
    getter = itemgetter(*indexes)
    width = max(indexes) + 1
    latest = now.astimezone(tz).replace(tzinfo=None) + timedelta(days=1)
    fromiso = datetime.fromisoformat
    reps_get, dir_get, res_get, bool_get = reps.get, DIRECTION_WORDS.get, RESULT_WORDS.get, BOOL_WORDS.get
    careful = _careful_parser(reps=reps, tz=tz, latest=latest, errors=errors)

    def parse(row: int, fields: list[str]):
        fields.append("")
        if len(fields) <= width:
            fields[-1:] = [""] * (width - len(fields) + 2)
        ext, email, start, dur, direction, result, reached, appt, lead, note = getter(fields)
        ext, lead = ext.strip(), lead.strip()
        rep_id = reps_get(email)
        direction = dir_get(direction) if direction else "outbound"
        result = res_get(result)
        reached, appt = bool_get(reached), bool_get(appt)
        try:
            moment = fromiso(start)
            duration = int(dur) if dur else 0
            if moment.tzinfo is not None:
                moment = moment.astimezone(tz).replace(tzinfo=None)
        except (ValueError, OverflowError):
            return careful(row, fields, indexes)
        if (
            ext
            and rep_id
            and direction
            and result
            and reached is not None
            and appt is not None
            and 0 <= duration <= MAX_DURATION
            and EARLIEST <= moment <= latest
            and len(ext) <= MAX_ID
            and len(lead) <= MAX_ID
            and "\x00" not in ext
            and "\x00" not in lead
            and "\x00" not in note
        ):
            return (row, ext, rep_id, moment, duration, direction, result, reached, appt, lead, note.strip())
        return careful(row, fields, indexes)

    return parse


def _careful_parser(*, reps: dict[str, int | None], tz: ZoneInfo, latest: datetime, errors: ErrorList):
    add = errors.add

    def parse(row: int, fields: list[str], indexes: list[int]):
        before = errors.count
        ext, email, start, dur, direction, result, reached, appt, lead, note = (fields[i].strip() for i in indexes)
        if not ext:
            add(row, "external_id", "required")
        elif len(ext) > MAX_ID:
            add(row, "external_id", "too_long", ext)

        rep_id = reps.get(email.lower(), 0) if email else 0
        if not email:
            add(row, "rep_email", "required")
        elif rep_id == 0:
            add(row, "rep_email", "unknown_rep", email)
        elif rep_id is None:
            add(row, "rep_email", "not_is_rep", email)

        moment = parse_local(start, tz) if start else None
        if not start:
            add(row, "started_at", "required")
        elif moment is None:
            add(row, "started_at", "bad_date", start)
        elif problem := moment_problem(moment, latest):
            add(row, "started_at", problem, start)

        duration = _whole_number(dur) if dur else 0
        if duration is None:
            add(row, "duration_seconds", "bad_number", dur)
        elif duration < 0:
            add(row, "duration_seconds", "negative_duration", dur)
        elif duration > MAX_DURATION:
            add(row, "duration_seconds", "duration_too_long", dur)

        direction_value = lookup(DIRECTION_WORDS, direction) if direction else "outbound"
        if direction_value is None:
            add(row, "direction", "unknown_direction", direction)

        result_value = lookup(RESULT_WORDS, result) if result else None
        if not result:
            add(row, "result", "required")
        elif result_value is None:
            add(row, "result", "unknown_result", result)

        flags = []
        for column, raw in (("reached_target", reached), ("appointment_set", appt)):
            value = lookup(BOOL_WORDS, raw)
            if value is None:
                add(row, column, "bad_boolean", raw)
            flags.append(bool(value))

        if len(lead) > MAX_ID:
            add(row, "lead_external_id", "too_long", lead)
        for column, text in (("external_id", ext), ("lead_external_id", lead), ("note", note)):
            if problem := bounds.text_problem(text):
                add(row, column, problem)
        if errors.count != before:
            return None
        return (row, ext, rep_id, moment, duration, direction_value, result_value, *flags, lead, note)

    return parse


def _whole_number(raw: str) -> int | None:
    try:
        return int(raw)
    except ValueError:
        pass
    try:
        number = float(raw)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None
