"""Writing targets: the one writer (every change recorded in the history), the editable grid, strict
CSV import (all errors listed, nothing half-written) and the API's bulk upsert. People type a count as a
whole number and a rate in percent (45 = 45%); rates are stored as fractions (0.45)."""

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
from ..models import Target, TargetChange
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


# A count target is a whole number and so is an amount in yen; a rate is typed in percent (45 = 45%)
# everywhere people type it (grid, CSV, API) and stored as a fraction; hours and calls per hour as is.
WHOLE_UNITS = ("count", "jpy")
MAX_VALUE = Decimal("9999999999")  # the column holds 14 digits, 4 of them decimals


def unit_of(kpi: str) -> str:
    return catalog.get(kpi).unit


def parse_value(kpi: str, raw: str) -> Decimal:
    """A count, or a rate as a fraction; raises ValueError with a readable reason."""
    try:
        value = Decimal(raw.strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(_("not a number")) from None
    if not value.is_finite() or value < 0:
        raise ValueError(_("must be 0 or more"))
    if value > MAX_VALUE:
        raise ValueError(_("too large"))
    if catalog.get(kpi).kind == catalog.RATIO and catalog.get(kpi).unit == "percent" and value > 1:
        raise ValueError(_("a rate is a fraction between 0 and 1 (0.5 = 50%)"))
    return value


def parse_entry(kpi: str, raw) -> Decimal:
    """A target as people type it (the one unit per KPI kind above), as stored; ValueError with a reason."""
    try:
        value = Decimal(str(raw).strip().replace(",", "").removesuffix("%"))
    except InvalidOperation:
        raise ValueError(_("not a number")) from None
    if not value.is_finite() or value < 0:
        raise ValueError(_("must be 0 or more"))
    if value > MAX_VALUE:
        raise ValueError(_("too large"))
    unit = unit_of(kpi)
    if unit in WHOLE_UNITS and value != value.to_integral_value():
        raise ValueError(_("a whole number"))
    if unit == "percent":
        if value > 100:
            raise ValueError(_("a rate in percent, 0 to 100 (45 = 45%)"))
        if 0 < value < 1:
            # Files written before rates were typed in percent held fractions: 0.45 meant 45%.
            raise ValueError(_("a rate in percent (45 = 45%), not a fraction"))
        return value / 100
    return value


def entry_text(kpi: str, value) -> str:
    """A stored target as people type it (parse_entry's inverse); "" for no target."""
    if value is None:
        return ""
    number = Decimal(value) * 100 if unit_of(kpi) == "percent" else Decimal(value)
    return f"{number.normalize():f}"


BUCKET = ("kpi_key", "scope", "scope_id", "granularity", "period_start")  # the target_bucket constraint
SOURCES = TargetChange.Source


def _current(buckets) -> dict[tuple, Target]:
    """The stored targets of `buckets` (kpi, scope, scope id, granularity, start), locked, in one query."""
    if not buckets:
        return {}
    parts = [set(b[i] for b in buckets) for i in range(5)]
    rows = Target.objects.select_for_update().filter(
        kpi_key__in=parts[0],
        scope__in=parts[1],
        scope_id__in=parts[2],
        granularity__in=parts[3],
        period_start__in=parts[4],
    )
    wanted = set(buckets)
    return {key: t for t in rows if (key := (t.kpi_key, t.scope, t.scope_id, t.granularity, t.period_start)) in wanted}


@transaction.atomic
def targets_write(*, rows: list[TargetRow], deletions=(), user: User | None, source: str, plan=None) -> int:
    """Upsert `rows` (a later row for the same bucket wins) and delete `deletions`, record every change in
    the history (who, old -> new, `source`: one of TargetChange.Source), then give the boards that show
    them new tokens once. `plan`: the applied plan the rows come from (none for hand-set ones). The only
    writer of targets: grid, CSV, API, plans and review items all come here.

    One INSERT ... ON CONFLICT per 1,000 rows: row by row, 18,000 targets (1,000 reps x 6 KPIs x 3
    months) took 145 s, and 341 s written again, as each row's save also rewrote its team's board
    version row inside one transaction (bench database, PostgreSQL).
    """
    by_bucket = {(r.kpi, r.scope, r.scope_id, r.granularity, r.period_start): r for r in rows}
    deleted = [tuple(d) for d in deletions if tuple(d) not in by_bucket]
    current = _current(list(by_bucket) + deleted)
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
    changes = []
    for key, r in by_bucket.items():
        old = current[key].value if key in current else None
        if old is None or Decimal(old) != Decimal(r.value):
            changes.append(_change(key, old, r.value, user=user, source=source, plan=plan))
    for key in deleted:
        if key in current:
            current[key].delete()
            changes.append(_change(key, current[key].value, None, user=user, source=source, plan=None))
    TargetChange.objects.bulk_create(changes, batch_size=1000)
    # bulk_create sends no post_save: the boards learn of the new targets here (board_cache.py).
    board_cache.bump_target_scopes(
        [(r.scope, r.scope_id) for r in by_bucket.values()] + [(d[1], d[2]) for d in deleted]
    )
    return len(rows)


def _change(key, old, new, *, user, source, plan) -> TargetChange:
    kpi, scope, scope_id, granularity, start = key
    return TargetChange(
        kpi_key=kpi,
        scope=scope,
        scope_id=scope_id,
        granularity=granularity,
        period_start=start,
        old_value=old,
        new_value=new,
        source=source,
        changed_by=user,
        plan=plan,
    )


def targets_grid_save(
    *, granularity: str, start: date, values: dict[tuple[str, int, str], Decimal | None], user: User
) -> int:
    """The targets page's grid for one period: {(scope, scope id, kpi): value} of the boxes the page sent,
    None (a box sent empty) deleting that target. A target whose box was not sent is left alone."""
    rows = [
        TargetRow(kpi, scope, scope_id, granularity, start, value)
        for (scope, scope_id, kpi), value in values.items()
        if value is not None
    ]
    cleared = [key for key, value in values.items() if value is None]
    deletions = [(kpi, scope, scope_id, granularity, start) for scope, scope_id, kpi in cleared]
    return targets_write(rows=rows, deletions=deletions, user=user, source=SOURCES.GRID)


MIN_YEAR, MAX_YEAR = 2000, 2100


def targets_upsert(*, entries: list[dict], user: User) -> int:
    """The API's bulk upsert: each entry {kpi, scope, scope_id, granularity, period_start, value} (value as
    people type it, None to delete that target). Refused whole: 400 naming each bad entry's field, 403
    when any entry is a scope `user` may not set (nothing written either way)."""
    rep_teams = dict(
        User.objects.filter(pk__in=[e["scope_id"] for e in entries if e["scope"] == "rep"]).values_list("pk", "team_id")
    )
    team_ids = set(
        Team.objects.filter(pk__in=[e["scope_id"] for e in entries if e["scope"] == "team"]).values_list(
            "pk", flat=True
        )
    )
    may = permissions.may_set_targets(user, rep_teams)
    errors, denied, rows, deletions = {}, [], [], []
    for i, e in enumerate(entries):
        kpi, scope, scope_id, granularity, start = (
            e["kpi"],
            e["scope"],
            e["scope_id"],
            e["granularity"],
            e["period_start"],
        )
        if kpi not in catalog.REGISTRY:
            errors[f"targets[{i}].kpi"] = _("unknown KPI %(kpi)s") % {"kpi": kpi}
        if scope == "org" and scope_id != 0:
            errors[f"targets[{i}].scope_id"] = _("must be 0 for the organisation")
        elif (scope == "rep" and scope_id not in rep_teams) or (scope == "team" and scope_id not in team_ids):
            errors[f"targets[{i}].scope_id"] = _("no such rep or team")
        if not MIN_YEAR <= start.year <= MAX_YEAR:
            errors[f"targets[{i}].period_start"] = _("a date between 2000 and 2100")
        elif periods.period_start(granularity, start) != start:
            errors[f"targets[{i}].period_start"] = _("not the first day of its period")
        value = None
        if kpi in catalog.REGISTRY and e.get("value") is not None:
            try:
                value = parse_entry(kpi, e["value"])
            except ValueError as exc:
                errors[f"targets[{i}].value"] = str(exc)
        if f"targets[{i}].scope_id" not in errors and not may(scope, scope_id):
            denied.append(f"targets[{i}]")
        row = TargetRow(kpi, scope, scope_id, granularity, start, value)
        (rows if value is not None else deletions).append(row)
    if denied:
        raise ApplicationError(
            _("You may not set targets for these scopes."),
            fields={key: _("not a scope you manage") for key in denied},
            status=403,
        )
    if errors:
        raise ApplicationError(_("Some targets are not valid; nothing was saved."), fields=errors)
    buckets = [(r.kpi, r.scope, r.scope_id, r.granularity, r.period_start) for r in deletions]
    return targets_write(rows=rows, deletions=buckets, user=user, source=SOURCES.API)


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
    return targets_write(rows=rows, user=user, source=SOURCES.CSV)


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
            value = parse_entry(kpi, raw.get("value") or "")
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
        out.append([t.kpi_key, t.scope, ref, t.granularity, t.period_start.isoformat(), entry_text(t.kpi_key, t.value)])
    return out
