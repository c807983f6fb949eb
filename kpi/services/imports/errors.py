"""Bad-row reasons: stored as codes (so the job page can show them in the reader's language)."""

from django.utils.translation import gettext_lazy as _

from ... import bounds

# Refusing a file lists every bad row; past this many, the count is still exact but the list stops.
MAX_LISTED = 10_000

REASONS = {
    "required": _("a value is required"),
    "bad_date": _("not a date and time (ISO 8601, e.g. 2026-11-20 10:15:00)"),
    "future_date": _("more than a day in the future"),
    "bad_number": _("not a whole number"),
    "negative_duration": _("negative duration"),
    "duration_too_long": _("longer than 24 hours (86,400 s)"),
    "unknown_rep": _("no user with this email"),
    "not_is_rep": _("this user is not an inside-sales rep or manager"),
    "unknown_result": _("unknown result"),
    "unknown_direction": _("unknown direction (outbound or inbound)"),
    "bad_boolean": _("not yes/no (true/false, 1/0, はい/いいえ)"),
    "too_long": _("too long"),
    "duplicate_in_file": _("the same id appears earlier in the file"),
    "missing_column": _("required column missing from the header"),
    "unreadable": _("the file cannot be read"),
    "bad_email": _("not an email address"),
    "unknown_role": _("unknown role (rep, manager, fs, marketing, ops)"),
    "bad_workdays": _("not working days (01234, 月火水木金 or mon,tue,wed,thu,fri)"),
    "bad_hours": _("not hours a day (a number from 0.5 to 24)"),
    "last_ops": _("this would leave no active ops user: keep one ops user in the file"),
    "empty_file": _("the file has no data rows"),
    "unknown_kind": _("unknown meeting kind (first, proposal)"),
    "unknown_status": _("unknown meeting status"),
    "unknown_fs": _("no field-sales user with this email"),
    "bad_amount": _("not an amount in yen (a whole number, 0 or more)"),
    "amount_required": _("a won meeting needs its order amount"),
    "amount_without_order": _("only a won meeting has an order amount"),
    # Read through an import profile (profiles.py)
    "missing_header": _("a header the profile names is missing from the file"),
    "bad_date_format": _(
        "not a date and time (e.g. 2026/11/19 10:23, 2026-11-19T01:23:11Z, 2026年11月19日 10:23, 2026/11/19 午前10:23)"
    ),
    "date_without_time": _("a date with no time of day: the hour of the call would be wrong"),
    "naive_time": _("a time without an offset, and the profile names no time zone"),
    "bad_duration": _("not a duration (135, 00:02:15, 2:15, 2分15秒)"),
    "implausible_seconds": _("longer than 4 hours read as seconds: is the column in milliseconds?"),
    "implausible_milliseconds": _("a connected call shorter than one second: is the column in seconds?"),
    "no_rep_in_source": _("the export names no user for this call, and its number is no rep's alias"),
    "unknown_rep_name": _("no user with this display name"),
    "unknown_rep_alias": _("no rep has this alias (phone-system user id, extension or number)"),
    "ambiguous_rep": _("more than one user has this display name: use an alias"),
    "rep_outside_team": _("this rep is not in a team you manage"),
    "alias_taken": _("this alias belongs to another user"),
    # Warnings: stored as written, shown before and after the import
    "talk_time_on_unanswered": _("the result says unanswered, but the call has talk time"),
    "connected_without_talk_time": _("the result says connected, but the talk time is 0"),
    "skipped_value": _("not a sales call (the profile skips this value): not imported"),
    "unassigned_inbound": _("an inbound call the export names no user for: not imported, counted as unassigned"),
    "amount_too_large": _("more than the largest amount stored (99,999,999,999,999 yen)"),
    "wrong_type": _("the wrong JSON type for this field (see the API documentation)"),
    **bounds.REASONS,
}


class ErrorList:
    """Collects bad rows; keeps at most MAX_LISTED of them in memory but counts every one."""

    def __init__(self) -> None:
        self.items: list[dict] = []
        self.count = 0
        self.bad_rows = 0
        self._last_row = -1

    def add(self, row: int, column: str, code: str, value: str = "") -> None:
        self.count += 1
        if row != self._last_row:
            self.bad_rows += 1
            self._last_row = row
        if len(self.items) < MAX_LISTED:
            # A file's own reason (row 0: why it cannot be read) is kept whole; a row's value is a hint.
            limit = 300 if row == 0 else 80
            self.items.append({"row": row, "column": column, "code": code, "value": value[:limit]})

    def __bool__(self) -> bool:
        return self.count > 0


def reason_text(code: str) -> str:
    return str(REASONS.get(code, code))
