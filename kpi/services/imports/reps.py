"""Rep import: `email, name, team, role` rows (and optionally `workdays`, `work_hours`, `aliases`) create
or update users and teams, strictly.

`aliases` (optional): the names phone systems and SFAs give the rep (their own user id, extension,
number), separated by `;` or `|`; when the column is present, a rep's aliases become exactly these,
which is how rows with no email find their rep (import profiles). An alias held by another user
refuses the row.

Same rules as the call import: a file with any bad row is refused whole with every bad row listed;
nothing is half-written. New users get an unusable password (they sign in after a reset by ops).
It lives with kpi's import toolkit (columns, reader, errors) so that accounts imports nothing from kpi.
Working days are written as weekday digits (01234 = Monday to Friday, as the org structure CSV
exports them), as 月火水木金, or as mon,tue,...; hours a day as a number from 0.5 to 24. Without these
columns an existing user keeps theirs and a new one gets Monday to Friday, 8 hours. A file that would
leave no active ops user (demoting the last one) is refused.
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.db import transaction

from accounts import permissions
from accounts.models import ROLE_DEPARTMENT, Department, Team, User

from ... import bounds
from ...errors import ApplicationError
from ...models import RepAlias
from .calls import ImportResult
from .columns import REP_COLUMNS, REP_REQUIRED, ROLE_WORDS, header_key, lookup, map_header
from .errors import ErrorList
from .profiles import alias_key
from .reader import CsvStream

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# The working-time columns and the header names accepted for them.
TIME_COLUMNS = {
    "workdays": ["working days", "work days", "weekdays", "勤務曜日", "稼働曜日", "出勤曜日"],
    "work_hours": ["work hours", "hours", "hours per day", "daily hours", "勤務時間", "稼働時間", "1日の勤務時間"],
}
_DAY_WORDS = {
    **{str(i): i for i in range(7)},
    **{c: i for i, c in enumerate("月火水木金土日")},
    **{w: i for i, w in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
}


def _time_columns(header: list[str], taken: dict[str, int]) -> dict[str, int]:
    names = {header_key(alias): column for column, aliases in TIME_COLUMNS.items() for alias in [column, *aliases]}
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        column = names.get(header_key(name))
        if column and column not in found and index not in taken.values():
            found[column] = index
    return found


def parse_workdays(raw: str) -> str | None:
    """ "01234", "月火水木金" or "mon,tue,wed" as weekday digits ("01234"); None when not readable."""
    text = unicodedata.normalize("NFKC", raw).strip().lower()
    parts = re.split(r"[\s,、・/]+", text) if re.search(r"[a-z]", text) else list(re.sub(r"[\s,、・/]", "", text))
    days = [_DAY_WORDS.get(p) for p in parts if p]
    if not days or None in days:
        return None
    return "".join(str(d) for d in sorted(set(days)))


def parse_hours(raw: str) -> Decimal | None:
    try:
        hours = Decimal(unicodedata.normalize("NFKC", raw).strip())
    except InvalidOperation:
        return None
    if not hours.is_finite() or not Decimal("0.5") <= hours <= 24 or hours != hours.quantize(Decimal("0.01")):
        return None
    return hours


def reps_import(*, path) -> ImportResult:
    result, errors = ImportResult(), ErrorList()
    rows = []
    try:
        stream = CsvStream(path)
        result.encoding = stream.encoding
        columns = map_header(stream.header, REP_COLUMNS)
        columns.update(_time_columns(stream.header, columns))
        for column in REP_REQUIRED:
            if column not in columns:
                errors.add(1, column, "missing_column")
        if not errors:
            seen: dict[str, int] = {}
            aliases = _AliasCheck(has_column="aliases" in columns)
            for row, fields in stream.rows():
                values = {c: (fields[i].strip() if i < len(fields) else "") for c, i in columns.items()}
                parsed = _check(row, values, errors, seen, aliases)
                if parsed:
                    rows.append(parsed)
    except ApplicationError as exc:
        errors.add(0, "", "unreadable", str(exc))
    result.rows = len(rows) + errors.bad_rows
    if not errors and not rows:
        errors.add(0, "", "empty_file")
    if not errors:
        _refuse_losing_every_ops(rows, errors)
    if errors:
        result.refused, result.errors, result.error_count, result.bad_rows = (
            True,
            errors.items,
            errors.count,
            errors.bad_rows,
        )
        return result
    with transaction.atomic():
        created = sum(_upsert(*parsed) for parsed in rows)
    result.created, result.unchanged = created, len(rows) - created
    return result


class _AliasCheck:
    """Aliases are unique: one held by another user (or given twice in the file) refuses the row."""

    def __init__(self, has_column: bool):
        self.has_column = has_column
        self.held = dict(RepAlias.objects.values_list("alias", "user__email")) if has_column else {}
        self.in_file: dict[str, str] = {}

    def check(self, row: int, email: str, raw: str, errors: ErrorList) -> list[str] | None:
        if not self.has_column:
            return None
        found = []
        for part in re.split(r"[;|]", raw):
            alias = alias_key(part)
            if not alias:
                continue
            if len(alias) > 128:
                errors.add(row, "aliases", "too_long", part)
            elif self.held.get(alias, email) != email or self.in_file.get(alias, email) != email:
                errors.add(row, "aliases", "alias_taken", part.strip())
            self.in_file[alias] = email
            found.append(alias)
        return found


def _check(row: int, values: dict, errors: ErrorList, seen: dict[str, int], aliases: _AliasCheck):
    before = errors.count
    # NUL (which PostgreSQL text cannot hold) or a broken character: refused by name, not a crash.
    for column, text in values.items():
        if problem := bounds.text_problem(text):
            errors.add(row, column, problem)
    if errors.count != before:
        return None
    email = values.get("email", "").lower()
    if not email:
        errors.add(row, "email", "required")
    elif not EMAIL.match(email) or len(email) > 254:
        errors.add(row, "email", "bad_email", email)
    elif email in seen:
        errors.add(row, "email", "duplicate_in_file", email)
    seen.setdefault(email, row)
    name = values.get("name", "")
    if not name:
        errors.add(row, "name", "required")
    elif len(name) > 150:
        errors.add(row, "name", "too_long", name)
    raw_role = values.get("role", "")
    role = lookup(ROLE_WORDS, raw_role) if raw_role else None
    if not raw_role:
        errors.add(row, "role", "required")
    elif role is None:
        errors.add(row, "role", "unknown_role", raw_role)
    team = values.get("team", "")
    if len(team) > 100:
        errors.add(row, "team", "too_long", team)
    time = {}
    if values.get("workdays"):
        time["workdays"] = parse_workdays(values["workdays"])
        if time["workdays"] is None:
            errors.add(row, "workdays", "bad_workdays", values["workdays"])
    if values.get("work_hours"):
        time["work_hours_per_day"] = parse_hours(values["work_hours"])
        if time["work_hours_per_day"] is None:
            errors.add(row, "work_hours", "bad_hours", values["work_hours"])
    rep_aliases = aliases.check(row, email, values.get("aliases", ""), errors)
    return None if errors.count != before else (row, email, name, team, role, time, rep_aliases)


def _refuse_losing_every_ops(rows: list, errors: ErrorList) -> None:
    """The file would demote every active ops user: refuse it, naming the rows that demote them."""
    demoting = {email: row for row, email, _name, _team, role, *_rest in rows if role != User.Role.OPS}
    ops = {u.email: u.pk for u in User.objects.filter(role=User.Role.OPS, is_active=True, email__in=list(demoting))}
    promoted = [email for _row, email, _name, _team, role, *_rest in rows if role == User.Role.OPS]
    inactive = set(User.objects.filter(email__in=promoted, is_active=False).values_list("email", flat=True))
    if ops and not set(promoted) - inactive and permissions.leaves_no_ops(losing=set(ops.values())):
        for email in sorted(ops, key=demoting.get):
            errors.add(demoting[email], "role", "last_ops", email)


def _upsert(_row: int, email: str, name: str, team_name: str, role: str, time: dict, aliases: list[str] | None) -> bool:
    """Create or update one user; True when created."""
    team = None
    if team_name:
        department = Department.objects.get(code=ROLE_DEPARTMENT[role])
        team, _ = Team.objects.get_or_create(name=team_name, defaults={"department": department})
    user = User.objects.filter(email=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(email=email, password=None, name=name, role=role, team=team, **time)
    else:
        user.name, user.role, user.team = name, role, team
        for field, value in time.items():
            setattr(user, field, value)
        user.save(update_fields=["name", "role", "team", *time])
    if team is not None and role == User.Role.MANAGER:
        team.managers.add(user)
    if aliases is not None:
        # Freed aliases first: another row of the file may take one this user gives up.
        RepAlias.objects.filter(user=user).exclude(alias__in=aliases).delete()
        for alias in aliases:
            RepAlias.objects.update_or_create(alias=alias, defaults={"user": user})
    return created
