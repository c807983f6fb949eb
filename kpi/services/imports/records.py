"""Records from integrations (the REST ingest API): calls, email touches and meetings.

Unlike a file, a batch is answered per record: each one is created, unchanged (already present
under the same source + external_id) or an error with its reasons, and the good records are stored
even when others in the batch are bad. Calls take the file importer's parser and SQL (store.py: one
statement per batch on PostgreSQL); emails and meetings, which arrive in far smaller numbers, use
bulk_create.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from accounts.models import User

from ... import periods
from ...models import CallLog, EmailTouch, Lead, Meeting
from .. import meetings as meeting_services
from ..feeds import call_duplicates_flag
from ..touches import rollups_enqueue_refresh
from .calls import is_rep_lookup
from .columns import BOOL_WORDS, CALL_COLUMNS, lookup
from .errors import ErrorList, reason_text
from .store import calls_store_batch
from .validate import MAX_ID, call_row_parser, has_nul, parse_local

MAX_RECORDS = 10_000
CREATED, UNCHANGED, ERROR = "created", "unchanged", "error"


@dataclass
class Batch:
    """What the API answers: totals and one result per record, in the order received."""

    results: list[dict]
    # Calls of this batch that another source already sent (same rep, a few seconds apart): both
    # are kept and counted until ops decide on the data-feeds page.
    possible_duplicates: int = 0

    def as_dict(self) -> dict:
        counts = Counter(r["status"] for r in self.results)
        return {
            "created": counts[CREATED],
            "unchanged": counts[UNCHANGED],
            "errors": counts[ERROR],
            "possible_duplicates": self.possible_duplicates,
            "results": self.results,
        }


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _results(ids: list[str], errors: ErrorList, created: set[str]) -> Batch:
    by_index: dict[int, list[dict]] = defaultdict(list)
    for e in errors.items:
        by_index[e["row"]].append(
            {"field": e["column"], "code": e["code"], "reason": reason_text(e["code"]), "value": e["value"]}
        )
    results = []
    for index, external_id in enumerate(ids):
        if index in by_index:
            results.append({"external_id": external_id, "status": ERROR, "errors": by_index[index]})
        else:
            results.append({"external_id": external_id, "status": CREATED if external_id in created else UNCHANGED})
    return Batch(results)


# --- calls ---------------------------------------------------------------------------------------


def calls_ingest(*, records: list[dict], source: str) -> Batch:
    errors = ErrorList()
    tz = periods.org_tz()
    parse = call_row_parser(
        columns={name: i for i, name in enumerate(CALL_COLUMNS)},
        reps=is_rep_lookup(),
        tz=tz,
        now=timezone.now(),
        errors=errors,
    )
    ids: list[str] = []
    rows: list[tuple] = []
    seen: set[str] = set()
    for index, record in enumerate(records):
        fields = [as_text(record.get(name)) for name in CALL_COLUMNS]
        ids.append(fields[0].strip())
        parsed = parse(index, fields)
        if parsed is None:
            continue
        # A repeat of an id an earlier good record of the batch carries is an error of its own.
        if parsed[1] in seen:
            errors.add(index, "external_id", "duplicate_in_file", parsed[1])
            continue
        seen.add(parsed[1])
        rows.append(parsed)
    with transaction.atomic():
        per_day, created = calls_store_batch(rows, source=source, now=timezone.now(), tz=tz)
        possible = call_duplicates_flag(per_day)
        rollups_enqueue_refresh(per_day)
    batch = _results(ids, errors, created)
    batch.possible_duplicates = possible
    return batch


# --- shared field checks for emails and meetings ----------------------------------------------------


class _Checker:
    def __init__(self, errors: ErrorList, index: int, record: dict, reps: dict[str, int | None]):
        self.errors, self.index, self.record, self.reps = errors, index, record, reps

    def text(self, name: str, *, required: bool = False, max_length: int = MAX_ID) -> str:
        value = as_text(self.record.get(name)).strip()
        if required and not value:
            self.errors.add(self.index, name, "required")
        elif len(value) > max_length:
            self.errors.add(self.index, name, "too_long", value)
        elif has_nul(value):
            self.errors.add(self.index, name, "nul_character")
        return value

    def rep(self, name: str = "rep_email", *, required: bool = True) -> int | None:
        email = self.text(name, required=required, max_length=254)
        if not email:
            return None
        rep_id = self.reps.get(email.lower(), 0)
        if rep_id == 0:
            self.errors.add(self.index, name, "unknown_rep", email)
        elif rep_id is None:
            self.errors.add(self.index, name, "not_is_rep", email)
        return rep_id or None

    def moment(self, name: str, *, required: bool = True) -> datetime | None:
        raw = self.text(name, required=required)
        if not raw:
            return None
        local = parse_local(raw, periods.org_tz())
        if local is None:
            self.errors.add(self.index, name, "bad_date", raw)
            return None
        return local.replace(tzinfo=periods.org_tz())

    def flag(self, name: str, default: bool) -> bool:
        raw = as_text(self.record.get(name)).strip()
        if not raw:
            return default
        value = lookup(BOOL_WORDS, raw)
        if value is None:
            self.errors.add(self.index, name, "bad_boolean", raw)
            return default
        return value


def _existing(model, source: str, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), 2_000):
        found.update(
            model.objects.filter(source=source, external_id__in=ids[start : start + 2_000]).values_list(
                "external_id", flat=True
            )
        )
    return found


def _first_touches(leads: set[str]) -> dict[str, datetime]:
    """Earliest stored call or email per lead external id."""
    first: dict[str, datetime] = {}
    lead_list = sorted(leads - {""})
    for start in range(0, len(lead_list), 2_000):
        chunk = lead_list[start : start + 2_000]
        for model, field in ((CallLog, "started_at"), (EmailTouch, "sent_at")):
            # exclude("") restates the partial index's condition so PostgreSQL can use it.
            touches = model.objects.filter(lead_external_id__in=chunk).exclude(lead_external_id="")
            rows = touches.values("lead_external_id").annotate(t=Min(field))
            for row in rows:
                key = row["lead_external_id"]
                first[key] = min(first.get(key, row["t"]), row["t"])
    return first


def _lead_ids(leads: set[str]) -> dict[str, int]:
    rows = Lead.objects.filter(external_id__in=sorted(leads - {""})).values("external_id").annotate(pk=Min("pk"))
    return {row["external_id"]: row["pk"] for row in rows}


def _checked(records: list[dict], check) -> tuple[list[str], ErrorList, list[tuple[int, object]]]:
    """Run `check(checker) -> object` over every record; duplicates of an earlier id are errors."""
    errors, reps, ids, good, seen = ErrorList(), is_rep_lookup(), [], [], set()
    for index, record in enumerate(records):
        checker = _Checker(errors, index, record, reps)
        before = errors.count
        external_id = checker.text("external_id", required=True)
        ids.append(external_id)
        if external_id and external_id in seen:
            errors.add(index, "external_id", "duplicate_in_file", external_id)
        seen.add(external_id)
        obj = check(checker)
        if errors.count == before:
            good.append((index, obj))
    return ids, errors, good


# --- emails --------------------------------------------------------------------------------------


def emails_ingest(*, records: list[dict], source: str) -> Batch:
    def check(c: _Checker) -> EmailTouch:
        sent_at = c.moment("sent_at")
        return EmailTouch(
            source=source,
            external_id=c.text("external_id"),
            rep_id=c.rep(),
            lead_external_id=c.text("lead_external_id"),
            sent_at=sent_at,
            local_date=periods.local_date(sent_at) if sent_at else None,
            delivered=c.flag("delivered", True),
            opened=c.flag("opened", False),
            replied=c.flag("replied", False),
            to_target=c.flag("to_target", True),
            permission_granted=c.flag("permission_granted", False),
        )

    ids, errors, good = _checked(records, check)
    existing = _existing(EmailTouch, source, [obj.external_id for _, obj in good])
    new = [obj for _, obj in good if obj.external_id not in existing]
    _mark_follow_ups(new, "sent_at")
    with transaction.atomic():
        EmailTouch.objects.bulk_create(new, batch_size=2_000, ignore_conflicts=True)
        rollups_enqueue_refresh((e.rep_id, e.local_date) for e in new)
    return _results(ids, errors, {obj.external_id for obj in new})


def _mark_follow_ups(new: list, time_field: str) -> None:
    leads = {obj.lead_external_id for obj in new if obj.lead_external_id}
    first = _first_touches(leads)
    lead_ids = _lead_ids(leads)
    for obj in sorted(new, key=lambda o: getattr(o, time_field)):
        if not obj.lead_external_id:
            continue
        moment = getattr(obj, time_field)
        earlier = first.get(obj.lead_external_id)
        obj.is_follow_up = earlier is not None and earlier < moment
        first[obj.lead_external_id] = min(earlier or moment, moment)
        obj.lead_id = lead_ids.get(obj.lead_external_id)


# --- meetings ------------------------------------------------------------------------------------


def meetings_ingest(*, records: list[dict], source: str) -> Batch:
    fs_users = {email.lower(): pk for pk, email in User.objects.filter(role=User.Role.FS).values_list("pk", "email")}
    kinds, statuses = set(Meeting.Kind.values), set(Meeting.Status.values)

    def check(c: _Checker) -> tuple[Meeting, str]:
        set_at = c.moment("set_at")
        kind = c.text("kind") or Meeting.Kind.FIRST
        if kind not in kinds:
            c.errors.add(c.index, "kind", "unknown_kind", kind)
        status = c.text("status") or Meeting.Status.SCHEDULED
        if status not in statuses:
            c.errors.add(c.index, "status", "unknown_status", status)
        before = c.errors.count
        amount = _amount(c)
        problem = meeting_services.outcome_problem(status, amount) if c.errors.count == before else None
        if problem:
            c.errors.add(c.index, "amount", problem)
        fs_email = c.text("fs_owner_email", max_length=254)
        if fs_email and fs_email.lower() not in fs_users:
            c.errors.add(c.index, "fs_owner_email", "unknown_fs", fs_email)
        meeting = Meeting(
            source=source,
            external_id=c.text("external_id"),
            rep_id=c.rep(),
            fs_owner_id=fs_users.get(fs_email.lower()),
            lead_external_id=c.text("lead_external_id"),
            kind=kind,
            set_at=set_at,
            local_date=periods.local_date(set_at) if set_at else None,
            scheduled_for=c.moment("scheduled_for", required=False),
            status=status,
            amount=amount,
            note=c.text("note", max_length=10_000),
        )
        return meeting, c.text("call_external_id")

    ids, errors, good = _checked(records, check)
    existing = _existing(Meeting, source, [m.external_id for _, (m, _) in good])
    new = [(m, call) for _, (m, call) in good if m.external_id not in existing]
    calls = dict(
        CallLog.objects.filter(source=source, external_id__in=[c for _, c in new if c]).values_list("external_id", "pk")
    )
    lead_ids = _lead_ids({m.lead_external_id for m, _ in new})
    now = timezone.now()
    for meeting, call in new:
        meeting.call_id = calls.get(call)
        meeting.lead_id = lead_ids.get(meeting.lead_external_id)
        if meeting.status != Meeting.Status.SCHEDULED:
            meeting.outcome_at = now
    with transaction.atomic():
        Meeting.objects.bulk_create([m for m, _ in new], batch_size=2_000, ignore_conflicts=True)
        rollups_enqueue_refresh((m.rep_id, m.local_date) for m, _ in new)
    return _results(ids, errors, {m.external_id for m, _ in new})


def _amount(c: _Checker) -> Decimal | None:
    raw = c.text("amount")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or value < 0 or value != value.to_integral_value():
        c.errors.add(c.index, "amount", "bad_amount", raw)
        return None
    return value
