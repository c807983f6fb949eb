"""Records from integrations (the REST ingest API): calls, email touches and meetings.

Unlike a file, a batch is answered per record, and the good records are stored even when others in
the batch are bad. Each record is:
- created: new under its source + external_id;
- updated: already stored, and the record changes some of its fields. The stored event takes the new
  values, the rep-days it was and now is on are recomputed, and the previous values are kept as a
  RecordRevision (field -> [old, new], when, by which integration). A re-sent record changes the
  fields it carries; fields it leaves out (or sends as null) keep their stored values, so a CRM can
  push a meeting's FS outcome with nothing but external_id, status and amount_yen;
- unchanged: already stored with the same values;
- error: with every reason, each naming its field. A field the endpoint does not know is an error
  (Zoom's `duration` is not `duration_seconds`: dropping it would store 0 s without a word).

Every field's type, unit and limits are in the tables below (CALL_FIELDS, EMAIL_FIELDS,
MEETING_FIELDS, built from kpi/bounds.py): the checker enforces them and kpi/api/ingest.py builds
the OpenAPI schema from them, so documentation and behaviour cannot drift. Calls take the file
importer's parser and SQL (store.py: one statement per batch on PostgreSQL); emails and meetings,
which arrive in far smaller numbers, use bulk_create.
"""

import difflib
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User

from ... import bounds, periods
from ...bounds import FieldSpec
from ...models import CallLog, EmailTouch, Lead, Meeting, RecordRevision
from .. import meetings as meeting_services
from ..feeds import call_duplicates_flag
from ..touches import rollups_enqueue_refresh
from .calls import is_rep_lookup
from .columns import BOOL_WORDS, CALL_COLUMNS, lookup
from .errors import ErrorList, reason_text
from .store import calls_store_batch
from .validate import MAX_ID, call_row_parser, parse_local

MAX_RECORDS = 10_000
CREATED, UPDATED, UNCHANGED, ERROR = "created", "updated", "unchanged", "error"
_EMAIL_LENGTH = 254
_TIME = "ISO 8601 date and time, e.g. 2026-11-20T10:15:00+09:00; without an offset, organisation local time"
_RESULTS = ("no_answer", "busy", "voicemail", "gatekeeper", "connected", "wrong_number", "failed")

CALL_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("external_id", "text", "The call's id in the source system.", required=True),
    FieldSpec("rep_email", "email", "The IS rep who made the call.", required=True, max_length=_EMAIL_LENGTH),
    FieldSpec("started_at", "datetime", f"When the call started: {_TIME}; at most a day ahead.", required=True),
    FieldSpec(
        "duration_seconds",
        "integer",
        "Talk time in whole seconds (not milliseconds).",
        unit="seconds",
        minimum=0,
        maximum=bounds.MAX_DURATION_SECONDS,
        default=0,
    ),
    FieldSpec("direction", "word", "outbound or inbound.", choices=("outbound", "inbound"), default="outbound"),
    FieldSpec("result", "word", "How the call ended.", required=True, choices=_RESULTS),
    FieldSpec("reached_target", "boolean", "Reached the decision maker.", default=False),
    FieldSpec("appointment_set", "boolean", "An appointment for FS was set (creates the meeting).", default=False),
    FieldSpec("lead_external_id", "text", "The lead's id, to count follow-ups.", default=""),
    FieldSpec("note", "text", "Free text.", max_length=bounds.MAX_NOTE_LENGTH, default=""),
)
EMAIL_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("external_id", "text", "The email's id in the source system.", required=True),
    FieldSpec("rep_email", "email", "The IS rep who sent it.", required=True, max_length=_EMAIL_LENGTH),
    FieldSpec("sent_at", "datetime", f"When it was sent: {_TIME}.", required=True),
    FieldSpec("delivered", "boolean", "Delivered (not bounced).", default=True),
    FieldSpec("opened", "boolean", "Opened by the recipient.", default=False),
    FieldSpec("replied", "boolean", "Replied to.", default=False),
    FieldSpec("to_target", "boolean", "Addressed to the decision maker.", default=True),
    FieldSpec("permission_granted", "boolean", "The contact agreed to further sales contact.", default=False),
    FieldSpec("lead_external_id", "text", "The lead's id, to count follow-ups.", default=""),
)
MEETING_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("external_id", "text", "The meeting's id in the source system.", required=True),
    FieldSpec(
        "rep_email",
        "email",
        "The IS rep who set it. Required for a new meeting.",
        required=True,
        max_length=_EMAIL_LENGTH,
    ),
    FieldSpec("set_at", "datetime", f"When IS set it: {_TIME}. Required for a new meeting.", required=True),
    FieldSpec("scheduled_for", "datetime", f"When it takes place: {_TIME}."),
    FieldSpec("kind", "choice", "first or proposal.", choices=tuple(Meeting.Kind.values), default="first"),
    FieldSpec(
        "status",
        "choice",
        "The FS outcome; re-send a stored meeting with its new status (and amount_yen when won) to record it.",
        choices=tuple(Meeting.Status.values),
        default="scheduled",
    ),
    FieldSpec(
        "amount_yen",
        "decimal",
        "The order amount of a won meeting, in whole yen (a number or a string of digits); only with status won.",
        unit="JPY (whole yen)",
        minimum=0,
        maximum=bounds.MAX_AMOUNT_YEN,
    ),
    FieldSpec("fs_owner_email", "email", "The field-sales user who owns it.", max_length=_EMAIL_LENGTH),
    FieldSpec("call_external_id", "text", "The call (same source) that set it."),
    FieldSpec("lead_external_id", "text", "The lead's id."),
    FieldSpec("note", "text", "Free text.", max_length=bounds.MAX_NOTE_LENGTH),
)
# Names integrations send by mistake, and the field they mean.
_MEANT = {"duration": "duration_seconds", "amount": "amount_yen", "email": "rep_email", "id": "external_id"}


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
            "updated": counts[UPDATED],
            "unchanged": counts[UNCHANGED],
            "errors": counts[ERROR],
            "possible_duplicates": self.possible_duplicates,
            "results": self.results,
        }


@dataclass
class Author:
    """Who sent the batch, for the audit trail: an integration, or an ops user replaying by hand."""

    integration_id: int | None = None
    user_id: int | None = None


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _meant(name: str, specs: tuple[FieldSpec, ...]) -> str | None:
    if name in _MEANT:
        return _MEANT[name]
    close = difflib.get_close_matches(name, [s.name for s in specs], n=1, cutoff=0.75)
    return close[0] if close else None


def _reason(error: dict, specs: tuple[FieldSpec, ...]) -> str:
    reason = reason_text(error["code"])
    if error["code"] == "unknown_field" and (meant := _meant(error["column"], specs)):
        reason = gettext("%(reason)s (did you mean %(field)s?)") % {"reason": reason, "field": meant}
    return reason


def _shown(text: str) -> str:
    """Text echoed back in the answer, with a lone surrogate shown as U+FFFD (JSON must be UTF-8)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)
    return text


def _results(ids: list[str], errors: ErrorList, status: dict[str, str], specs: tuple[FieldSpec, ...]) -> Batch:
    by_index: dict[int, list[dict]] = defaultdict(list)
    for e in errors.items:
        by_index[e["row"]].append(
            {
                "field": _shown(e["column"]),
                "code": e["code"],
                "reason": _reason(e, specs),
                "value": _shown(e["value"]),
            }
        )
    results = []
    for index, external_id in enumerate(ids):
        if index in by_index:
            results.append({"external_id": _shown(external_id), "status": ERROR, "errors": by_index[index]})
        else:
            results.append({"external_id": external_id, "status": status.get(external_id, UNCHANGED)})
    return Batch(results)


# --- the field tables' checks, before any record-specific rule -------------------------------------

_TYPES = {
    "text": (str,),
    "email": (str,),
    "datetime": (str,),
    "word": (str,),
    "choice": (str,),
    "integer": (int, float, str),
    "decimal": (int, float, str),
    "boolean": (bool, str, int),
}


def precheck(index: int, record: dict, specs: tuple[FieldSpec, ...], errors: ErrorList) -> bool:
    """Unknown fields, wrong JSON types, NUL or lone surrogates, too long: False when any (recorded)."""
    before = errors.count
    known = {spec.name: spec for spec in specs}
    for name, value in record.items():
        spec = known.get(name)
        if spec is None:
            errors.add(index, str(name), "unknown_field", as_text(value))
            continue
        if value is None:
            continue
        if (isinstance(value, bool) and spec.kind != "boolean") or not isinstance(value, _TYPES[spec.kind]):
            errors.add(index, name, "wrong_type", as_text(value))
            continue
        if isinstance(value, str):
            if problem := bounds.text_problem(value):
                errors.add(index, name, problem)
            elif len(value) > spec.max_length and spec.kind in ("text", "email"):
                errors.add(index, name, "too_long", value)
    return errors.count == before


def _merged(record: dict, stored: dict | None) -> dict:
    """A re-sent record over the stored one: the fields it carries win, the others stay."""
    sent = {k: v for k, v in record.items() if v is not None}
    return {**stored, **sent} if stored is not None else sent


def _revision(kind: str, source: str, external_id: str, old: dict, new: dict, author: Author):
    changes = {name: [_json(old[name]), _json(new[name])] for name in new if old[name] != new[name]}
    if not changes:
        return None
    return RecordRevision(
        kind=kind,
        source=source,
        external_id=external_id,
        changes=changes,
        integration_id=author.integration_id,
        user_id=author.user_id,
    )


def _json(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _local_text(moment: datetime | None) -> str:
    return periods.local_datetime(moment).isoformat() if moment else ""


# --- calls ---------------------------------------------------------------------------------------

_CALL_COMPARED = (
    "rep_id",
    "started_at",
    "duration_seconds",
    "direction",
    "result",
    "reached_target",
    "appointment_set",
    "lead_external_id",
    "note",
)


def calls_ingest(*, records: list[dict], source: str, author: Author | None = None) -> Batch:
    author = author or Author()
    errors = ErrorList()
    tz = periods.org_tz()
    parse = call_row_parser(
        columns={name: i for i, name in enumerate(CALL_COLUMNS)},
        reps=is_rep_lookup(),
        tz=tz,
        now=timezone.now(),
        errors=errors,
    )
    ids = [as_text(r.get("external_id")).strip() for r in records]
    with transaction.atomic():
        stored = {
            c.external_id: c
            for c in _stored(CallLog.objects.select_related("rep"), source, ids).select_for_update(of=("self",))
        }
        rows: list[tuple] = []
        seen: set[str] = set()
        for index, record in enumerate(records):
            if not precheck(index, record, CALL_FIELDS, errors):
                continue
            old = stored.get(ids[index])
            merged = _merged(record, _call_as_record(old) if old else None)
            parsed = parse(index, [as_text(merged.get(name)) for name in CALL_COLUMNS])
            if parsed is None:
                continue
            # A repeat of an id an earlier good record of the batch carries is an error of its own.
            if parsed[1] in seen:
                errors.add(index, "external_id", "duplicate_in_file", parsed[1])
                continue
            seen.add(parsed[1])
            rows.append(parsed)
        new_rows = [r for r in rows if r[1] not in stored]
        per_day, created = calls_store_batch(new_rows, source=source, now=timezone.now(), tz=tz)
        touched = set(per_day)
        status = dict.fromkeys(created, CREATED)
        revisions = []
        for row in rows:
            old = stored.get(row[1])
            if old is not None and (revision := _call_update(old, row, tz, source, author)):
                revisions.append(revision)
                status[row[1]] = UPDATED
                touched.update(revision.touched)
        RecordRevision.objects.bulk_create(revisions)
        starts = [row[3].replace(tzinfo=tz) for row in rows]
        possible = call_duplicates_flag(touched, started_between=(min(starts), max(starts)) if starts else None)
        rollups_enqueue_refresh(touched)
    batch = _results(ids, errors, status, CALL_FIELDS)
    batch.possible_duplicates = possible
    return batch


def _stored(queryset, source: str, ids: list[str]):
    wanted = sorted({i for i in ids if i and len(i) <= MAX_ID and not bounds.text_problem(i)})
    return queryset.filter(source=source, external_id__in=wanted)


def _call_as_record(call: CallLog) -> dict:
    return {
        "external_id": call.external_id,
        "rep_email": call.rep.email,
        "started_at": _local_text(call.started_at),
        "duration_seconds": call.duration_seconds,
        "direction": call.direction,
        "result": call.result,
        "reached_target": call.reached_target,
        "appointment_set": call.appointment_set,
        "lead_external_id": call.lead_external_id,
        "note": call.note,
    }


def _call_update(call: CallLog, row: tuple, tz, source: str, author: Author):
    _, _, rep_id, local, duration, direction, result, reached, appt, lead, note = row
    new = {
        "rep_id": rep_id,
        "started_at": local.replace(tzinfo=tz),
        "duration_seconds": duration,
        "direction": direction,
        "result": result,
        "reached_target": reached,
        "appointment_set": appt,
        "lead_external_id": lead,
        "note": note,
    }
    old = {name: getattr(call, name) for name in _CALL_COMPARED}
    revision = _revision(RecordRevision.Kind.CALL, source, call.external_id, old, new, author)
    if revision is None:
        return None
    before = (call.rep_id, call.local_date)
    for name, value in new.items():
        setattr(call, name, value)
    call.local_date, call.local_hour = local.date(), local.hour
    call.lead_id = _lead_ids({lead}).get(lead) if lead else None
    call.is_follow_up = _has_earlier_touch(lead, call.started_at, exclude_call=call.pk)
    call.save()
    if appt and not old["appointment_set"]:
        Meeting.objects.get_or_create(
            source=source,
            external_id=call.external_id,
            defaults={
                "rep_id": call.rep_id,
                "lead_id": call.lead_id,
                "lead_external_id": lead,
                "call": call,
                "set_at": call.started_at,
                "local_date": call.local_date,
            },
        )
    revision.touched = {before, (call.rep_id, call.local_date)}
    return revision


def _has_earlier_touch(lead: str, moment: datetime, *, exclude_call=None, exclude_email=None) -> bool:
    if not lead:
        return False
    calls = CallLog.objects.filter(lead_external_id=lead, started_at__lt=moment).exclude(pk=exclude_call)
    emails = EmailTouch.objects.filter(lead_external_id=lead, sent_at__lt=moment).exclude(pk=exclude_email)
    return calls.exists() or emails.exists()


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
        elif problem := bounds.text_problem(value):
            self.errors.add(self.index, name, problem)
        return value

    def rep(self, name: str = "rep_email", *, required: bool = True) -> int | None:
        email = self.text(name, required=required, max_length=_EMAIL_LENGTH)
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
        if problem := bounds.date_problem(local):
            self.errors.add(self.index, name, problem, raw)
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


def _checked(records: list[dict], specs, stored: dict[str, dict], check):
    """Run `check(checker, is_new) -> object` over every record merged over its stored values;
    duplicates of an earlier id are errors."""
    errors, reps, ids, good, seen = ErrorList(), is_rep_lookup(), [], [], set()
    for index, record in enumerate(records):
        external_id = as_text(record.get("external_id")).strip()
        ids.append(external_id)
        if not precheck(index, record, specs, errors):
            continue
        merged = _merged(record, stored.get(external_id))
        checker = _Checker(errors, index, merged, reps)
        before = errors.count
        checker.text("external_id", required=True)
        if external_id and external_id in seen:
            errors.add(index, "external_id", "duplicate_in_file", external_id)
        seen.add(external_id)
        obj = check(checker, record)
        if errors.count == before:
            good.append((index, obj))
    return ids, errors, good


def _emails_of(user_ids: set[int]) -> dict[int, str]:
    return dict(User.objects.filter(pk__in=user_ids).values_list("pk", "email"))


# --- emails --------------------------------------------------------------------------------------

_EMAIL_COMPARED = (
    "rep_id",
    "sent_at",
    "delivered",
    "opened",
    "replied",
    "to_target",
    "permission_granted",
    "lead_external_id",
)


def emails_ingest(*, records: list[dict], source: str, author: Author | None = None) -> Batch:
    author = author or Author()
    with transaction.atomic():
        raw_ids = [as_text(r.get("external_id")).strip() for r in records]
        stored_objs = {e.external_id: e for e in _stored(EmailTouch.objects.select_for_update(), source, raw_ids)}
        emails = _emails_of({e.rep_id for e in stored_objs.values()})
        stored = {
            key: {
                "external_id": e.external_id,
                "rep_email": emails.get(e.rep_id, ""),
                "sent_at": _local_text(e.sent_at),
                "delivered": e.delivered,
                "opened": e.opened,
                "replied": e.replied,
                "to_target": e.to_target,
                "permission_granted": e.permission_granted,
                "lead_external_id": e.lead_external_id,
            }
            for key, e in stored_objs.items()
        }

        def check(c: _Checker, _sent: dict) -> EmailTouch:
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

        ids, errors, good = _checked(records, EMAIL_FIELDS, stored, check)
        new = [obj for _, obj in good if obj.external_id not in stored_objs]
        _mark_follow_ups(new, "sent_at")
        EmailTouch.objects.bulk_create(new, batch_size=2_000, ignore_conflicts=True)
        status = {obj.external_id: CREATED for obj in new}
        touched = {(e.rep_id, e.local_date) for e in new}
        revisions = []
        for _, obj in good:
            old = stored_objs.get(obj.external_id)
            if old is None:
                continue
            before = {name: getattr(old, name) for name in _EMAIL_COMPARED}
            after = {name: getattr(obj, name) for name in _EMAIL_COMPARED}
            revision = _revision(RecordRevision.Kind.EMAIL, source, old.external_id, before, after, author)
            if revision is None:
                continue
            touched.add((old.rep_id, old.local_date))
            for name, value in after.items():
                setattr(old, name, value)
            old.local_date = obj.local_date
            old.lead_id = _lead_ids({old.lead_external_id}).get(old.lead_external_id)
            old.is_follow_up = _has_earlier_touch(old.lead_external_id, old.sent_at, exclude_email=old.pk)
            old.save()
            touched.add((old.rep_id, old.local_date))
            revisions.append(revision)
            status[old.external_id] = UPDATED
        RecordRevision.objects.bulk_create(revisions)
        rollups_enqueue_refresh(touched)
    return _results(ids, errors, status, EMAIL_FIELDS)


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

_MEETING_COMPARED = (
    "rep_id",
    "fs_owner_id",
    "lead_external_id",
    "call_id",
    "kind",
    "set_at",
    "scheduled_for",
    "status",
    "amount",
    "note",
)


def meetings_ingest(*, records: list[dict], source: str, author: Author | None = None) -> Batch:
    author = author or Author()
    fs_users = {email.lower(): pk for pk, email in User.objects.filter(role=User.Role.FS).values_list("pk", "email")}
    kinds, statuses = set(Meeting.Kind.values), set(Meeting.Status.values)
    with transaction.atomic():
        raw_ids = [as_text(r.get("external_id")).strip() for r in records]
        query = Meeting.objects.select_related("call").select_for_update(of=("self",))
        stored_objs = {m.external_id: m for m in _stored(query, source, raw_ids)}
        emails = _emails_of({m.rep_id for m in stored_objs.values()} | {m.fs_owner_id for m in stored_objs.values()})
        stored = {key: _meeting_as_record(m, emails) for key, m in stored_objs.items()}

        def check(c: _Checker, sent: dict) -> tuple[Meeting, str]:
            status = c.text("status") or Meeting.Status.SCHEDULED
            if status not in statuses:
                c.errors.add(c.index, "status", "unknown_status", status)
            if "status" in sent and status != Meeting.Status.WON and sent.get("amount_yen") is None:
                c.record.pop("amount_yen", None)  # a new outcome other than won carries no stored amount
            set_at = c.moment("set_at")
            kind = c.text("kind") or Meeting.Kind.FIRST
            if kind not in kinds:
                c.errors.add(c.index, "kind", "unknown_kind", kind)
            before = c.errors.count
            amount = _amount(c)
            problem = meeting_services.outcome_problem(status, amount) if c.errors.count == before else None
            if problem:
                c.errors.add(c.index, "amount_yen", problem)
            fs_email = c.text("fs_owner_email", max_length=_EMAIL_LENGTH)
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
                note=c.text("note", max_length=bounds.MAX_NOTE_LENGTH),
            )
            return meeting, c.text("call_external_id")

        ids, errors, good = _checked(records, MEETING_FIELDS, stored, check)
        call_ids = [c for _, (_, c) in good if c]
        calls = dict(CallLog.objects.filter(source=source, external_id__in=call_ids).values_list("external_id", "pk"))
        for _, (meeting, call) in good:
            meeting.call_id = calls.get(call)
        new = [m for _, (m, _) in good if m.external_id not in stored_objs]
        lead_ids = _lead_ids({m.lead_external_id for m in new})
        now = timezone.now()
        for meeting in new:
            meeting.lead_id = lead_ids.get(meeting.lead_external_id)
            if meeting.status != Meeting.Status.SCHEDULED:
                meeting.outcome_at = now
        Meeting.objects.bulk_create(new, batch_size=2_000, ignore_conflicts=True)
        status = {m.external_id: CREATED for m in new}
        touched = {(m.rep_id, m.local_date) for m in new}
        revisions = []
        for _, (meeting, _call) in good:
            old = stored_objs.get(meeting.external_id)
            if old is None:
                continue
            before = {name: getattr(old, name) for name in _MEETING_COMPARED}
            after = {name: getattr(meeting, name) for name in _MEETING_COMPARED}
            revision = _revision(RecordRevision.Kind.MEETING, source, old.external_id, before, after, author)
            if revision is None:
                continue
            touched.add((old.rep_id, old.local_date))
            if after["status"] != before["status"]:
                old.outcome_at = now if after["status"] != Meeting.Status.SCHEDULED else None
            for name, value in after.items():
                setattr(old, name, value)
            old.local_date = meeting.local_date
            old.lead_id = _lead_ids({old.lead_external_id}).get(old.lead_external_id)
            old.save()
            touched.add((old.rep_id, old.local_date))
            revisions.append(revision)
            status[old.external_id] = UPDATED
        RecordRevision.objects.bulk_create(revisions)
        rollups_enqueue_refresh(touched)
    return _results(ids, errors, status, MEETING_FIELDS)


def _meeting_as_record(m: Meeting, emails: dict[int, str]) -> dict:
    return {
        "external_id": m.external_id,
        "rep_email": emails.get(m.rep_id, ""),
        "set_at": _local_text(m.set_at),
        "scheduled_for": _local_text(m.scheduled_for),
        "kind": m.kind,
        "status": m.status,
        "amount_yen": "" if m.amount is None else str(m.amount),
        "fs_owner_email": emails.get(m.fs_owner_id, "") if m.fs_owner_id else "",
        "call_external_id": m.call.external_id if m.call_id else "",
        "lead_external_id": m.lead_external_id,
        "note": m.note,
    }


def _amount(c: _Checker) -> Decimal | None:
    raw = c.text("amount_yen", max_length=40)
    if not raw:
        return None
    value = bounds.as_decimal(raw)
    if value is None or not value.is_finite() or value < 0 or value != value.to_integral_value():
        c.errors.add(c.index, "amount_yen", "bad_amount", raw)
        return None
    if value > bounds.MAX_AMOUNT_YEN:
        c.errors.add(c.index, "amount_yen", "amount_too_large", raw)
        return None
    return value
