"""Writing targets: the editable month table and strict CSV import (all errors listed, nothing
half-written). Count targets are counts; rate targets are fractions (0.5 = 50%)."""

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.models import Team, User

from .. import catalog, periods
from ..errors import ApplicationError
from ..models import Target
from . import board_cache

GRID_KPIS = (
    "calls",
    "connects",
    "effective_calls",
    "meetings",
    "qualified_meetings",
    "orders",
    "connect_rate",
    "effective_call_rate",
)
CSV_COLUMNS = ["kpi", "scope", "scope_ref", "granularity", "period_start", "value"]


def _refuse(errors: list[tuple[int, str, str]]) -> ApplicationError:
    """The import refused: one field per bad cell, named "row:column" (import_error_rows reads them back)."""
    fields: dict[str, str] = {}
    for number, column, reason in errors:
        key = f"{number}:{column}"
        fields[key] = f"{fields[key]}; {reason}" if key in fields else reason
    return ApplicationError(f"{len(errors)} error(s)", fields=fields)


def import_error_rows(error: ApplicationError) -> list[tuple[int, str, str]]:
    """(row number, column, reason) per refused cell of a targets import, in file order."""
    rows = []
    for key, reason in error.fields.items():
        number, _sep, column = key.partition(":")
        rows.append((int(number), column, reason))
    return rows


@dataclass(frozen=True)
class TargetRow:
    kpi: str
    scope: str
    scope_id: int
    granularity: str
    period_start: date
    value: Decimal


def parse_value(kpi: str, raw: str) -> Decimal:
    """A count, or a rate as a fraction; raises ValueError with a readable reason."""
    try:
        value = Decimal(raw.strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(_("not a number")) from None
    if not value.is_finite() or value < 0:
        raise ValueError(_("must be 0 or more"))
    if catalog.get(kpi).kind == catalog.RATIO and catalog.get(kpi).unit == "percent" and value > 1:
        raise ValueError(_("a rate is a fraction between 0 and 1 (0.5 = 50%)"))
    return value


BUCKET = ("kpi_key", "scope", "scope_id", "granularity", "period_start")  # the target_bucket constraint


@transaction.atomic
def targets_write(*, rows: list[TargetRow], deletions=(), user: User | None, plan=None) -> int:
    """Upsert `rows` (a later row for the same bucket wins) and delete `deletions`, then give the boards
    that show them new tokens once. `plan`: the applied plan the rows come from (none for hand-set ones).

    One INSERT ... ON CONFLICT per 1,000 rows: row by row, 18,000 targets (1,000 reps x 6 KPIs x 3
    months) took 145 s, and 341 s written again, as each row's save also rewrote its team's board
    version row inside one transaction (bench database, PostgreSQL).
    """
    by_bucket = {(r.kpi, r.scope, r.scope_id, r.granularity, r.period_start): r for r in rows}
    Target.objects.bulk_create(
        [
            Target(
                kpi_key=r.kpi,
                scope=r.scope,
                scope_id=r.scope_id,
                granularity=r.granularity,
                period_start=r.period_start,
                value=r.value,
                updated_by=user,
                plan=plan,
            )
            for r in by_bucket.values()
        ],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=BUCKET,
        update_fields=("value", "updated_by", "plan", "updated_at"),
    )
    for kpi, scope, scope_id, granularity, start in deletions:
        Target.objects.filter(
            kpi_key=kpi, scope=scope, scope_id=scope_id, granularity=granularity, period_start=start
        ).delete()
    # bulk_create sends no post_save: the boards learn of the new targets here (board_cache.py).
    board_cache.bump_target_scopes((r.scope, r.scope_id) for r in by_bucket.values())
    return len(rows)


def targets_grid_save(*, month: date, values: dict[tuple[str, int, str], Decimal | None], user: User) -> int:
    """The targets page's month grid: {(scope, scope id, kpi): value}, None deleting that target."""
    rows = [
        TargetRow(kpi, scope, scope_id, periods.MONTH, month, value)
        for (scope, scope_id, kpi), value in values.items()
        if value is not None
    ]
    cleared = [key for key, value in values.items() if value is None]
    deletions = [(kpi, scope, scope_id, periods.MONTH, month) for scope, scope_id, kpi in cleared]
    return targets_write(rows=rows, deletions=deletions, user=user)


def targets_import(*, content: bytes, user: User) -> int:
    """Import a CSV (UTF-8, with or without BOM); refused as a whole when any row is bad."""
    reader = csv.DictReader(io.StringIO(_decode(content)))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise _refuse([(1, ", ".join(missing), _("missing column"))])
    teams = {t.name: t.pk for t in Team.objects.all()}
    users, rep_teams = {}, {}
    for pk, email, team_id in User.objects.values_list("pk", "email", "team_id"):
        users[email.lower()] = pk
        rep_teams[pk] = team_id
    may = permissions.may_set_targets(user, rep_teams)
    rows, errors, seen = [], [], set()
    for number, raw in enumerate(reader, start=2):
        row_errors, row = _check_row(number, raw, teams=teams, users=users, may=may)
        key = (row.kpi, row.scope, row.scope_id, row.granularity, row.period_start)
        if not row_errors and key in seen:
            row_errors.append((number, "", _("duplicate of an earlier row")))
        seen.add(key)
        errors.extend(row_errors)
        if not row_errors:
            rows.append(row)
    if errors:
        raise _refuse(errors)
    return targets_write(rows=rows, user=user)


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return content.decode("cp932")
        except UnicodeDecodeError:
            raise _refuse([(0, "", _("the file is neither UTF-8 nor Shift_JIS"))]) from None


def _check_row(number: int, raw: dict, *, teams: dict, users: dict, may) -> tuple[list, TargetRow]:
    """One CSV row's errors (row number, column, reason) and the row as read (parts may be None)."""
    row_errors = []
    kpi = (raw.get("kpi") or "").strip()
    if kpi not in catalog.REGISTRY:
        row_errors.append((number, "kpi", _("unknown KPI %(kpi)s") % {"kpi": kpi}))
    scope = (raw.get("scope") or "").strip()
    ref = (raw.get("scope_ref") or "").strip()
    scope_id = None
    if scope == "rep":
        scope_id = users.get(ref.lower())
    elif scope == "team":
        scope_id = teams.get(ref)
    elif scope == "org":
        scope_id = 0
    else:
        row_errors.append((number, "scope", _("scope must be rep, team or org")))
    if scope in ("rep", "team") and scope_id is None:
        row_errors.append((number, "scope_ref", _("no rep email or team name %(ref)s") % {"ref": ref}))
    granularity = (raw.get("granularity") or "").strip()
    if granularity not in periods.GRANULARITIES:
        row_errors.append((number, "granularity", _("granularity must be day, week, month or quarter")))
    start = None
    try:
        start = date.fromisoformat((raw.get("period_start") or "").strip())
        if granularity in periods.GRANULARITIES and periods.period_start(granularity, start) != start:
            row_errors.append((number, "period_start", _("not the first day of its period")))
    except ValueError:
        row_errors.append((number, "period_start", _("not a date (YYYY-MM-DD)")))
    value = None
    if kpi in catalog.REGISTRY:
        try:
            value = parse_value(kpi, raw.get("value") or "")
        except ValueError as exc:
            row_errors.append((number, "value", str(exc)))
    if scope_id is not None and not row_errors and not may(scope, scope_id):
        row_errors.append((number, "scope_ref", _("you may not set targets for %(ref)s") % {"ref": ref or scope}))
    return row_errors, TargetRow(kpi, scope, scope_id, granularity, start, value)


def targets_export_rows(*, targets) -> list[list]:
    teams = dict(Team.objects.values_list("pk", "name"))
    emails = dict(User.objects.values_list("pk", "email"))
    out = []
    for t in targets:
        ref = emails.get(t.scope_id, "") if t.scope == "rep" else teams.get(t.scope_id, "") if t.scope == "team" else ""
        out.append([t.kpi_key, t.scope, ref, t.granularity, t.period_start.isoformat(), f"{t.value.normalize():f}"])
    return out
