"""Rep import: `email, name, team, role` rows create or update users and teams, strictly.

Same rules as the call import: a file with any bad row is refused whole with every bad row listed;
nothing is half-written. New users get an unusable password (they sign in after a reset by ops).
It lives with kpi's import toolkit (columns, reader, errors) so that accounts imports nothing from kpi.
"""

import re

from django.db import transaction

from accounts.models import ROLE_DEPARTMENT, Department, Team, User

from ... import bounds
from ...errors import ApplicationError
from .calls import ImportResult
from .columns import REP_COLUMNS, REP_REQUIRED, ROLE_WORDS, lookup, map_header
from .errors import ErrorList
from .reader import CsvStream

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def reps_import(*, path) -> ImportResult:
    result, errors = ImportResult(), ErrorList()
    rows = []
    try:
        stream = CsvStream(path)
        result.encoding = stream.encoding
        columns = map_header(stream.header, REP_COLUMNS)
        for column in REP_REQUIRED:
            if column not in columns:
                errors.add(1, column, "missing_column")
        if not errors:
            seen: dict[str, int] = {}
            for row, fields in stream.rows():
                values = {c: (fields[i].strip() if i < len(fields) else "") for c, i in columns.items()}
                parsed = _check(row, values, errors, seen)
                if parsed:
                    rows.append(parsed)
    except ApplicationError as exc:
        errors.add(0, "", "unreadable", str(exc))
    result.rows = len(rows) + errors.bad_rows
    if not errors and not rows:
        errors.add(0, "", "empty_file")
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


def _check(row: int, values: dict, errors: ErrorList, seen: dict[str, int]):
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
    return None if errors.count != before else (email, name, team, role)


def _upsert(email: str, name: str, team_name: str, role: str) -> bool:
    """Create or update one user; True when created."""
    team = None
    if team_name:
        department = Department.objects.get(code=ROLE_DEPARTMENT[role])
        team, _ = Team.objects.get_or_create(name=team_name, defaults={"department": department})
    user = User.objects.filter(email=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(email=email, password=None, name=name, role=role, team=team)
    else:
        user.name, user.role, user.team = name, role, team
        user.save(update_fields=["name", "role", "team"])
    if team is not None and role == User.Role.MANAGER:
        team.managers.add(user)
    return created
