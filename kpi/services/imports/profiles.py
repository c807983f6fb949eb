"""Import profiles: each row of a source's own export turned into a row of the import contract.

A profile (kpi.models.ImportProfile) says which header feeds which contract column, how the source
spells directions and results (one column may feed both: MiiTel's 通話種別 says 発信 (不在)), the unit
of bare duration numbers, the zone of times written without an offset, how the rep is found (email,
display name, or an alias: the phone system's own user id, extension or number) and, for exports with
no id column, which columns a stable id is hashed from. transform() yields contract rows (strings, in
CALL_COLUMNS order) for the one strict validator (validate.py); what only the source's spelling can
tell is checked here: a date with no time, a naive time with no zone, a duration implausible for its
unit, a row that names no rep. Results that contradict their talk time are warnings, shown on the
preview before anything is stored and on the job's result.

Like the validator, this runs once per row of million-row files: the usual spellings take a short
path (dict hits, datetime.fromisoformat), and anything else goes through the careful parsers below.
"""

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from operator import itemgetter
from zoneinfo import ZoneInfo

from accounts.models import User

from ... import periods
from ...models import ImportProfile, RepAlias
from .columns import CALL_COLUMNS, CALL_REQUIRED, DIRECTION_WORDS, RESULT_WORDS, header_key, lookup
from .errors import ErrorList
from .reader import CsvStream
from .validate import call_row_parser

# The column a profile may name besides the contract's: a second place to find the rep (as an alias),
# e.g. MiiTel's 発信元 number on the rows whose ユーザー名 is 「-」.
REP_FALLBACK = "rep_fallback"
PROFILE_FIELDS = (*CALL_COLUMNS, REP_FALLBACK)
# What the export writes when a row has no user (older MiiTel exports on unanswered rows).
NO_USER = frozenset({"-", "－", "ー", "—", "―"})
# No real call lasts 4 hours: a bare number above this, read as seconds, is a millisecond column.
PLAUSIBLE_SECONDS = 4 * 3600
UNANSWERED = frozenset({"no_answer", "busy", "failed", "wrong_number"})
EXCEL_EPOCH = datetime(1899, 12, 30)  # noqa: DTZ001 (Excel serials are wall times)
ID_PREFIX = "h-"
_AMBIGUOUS = object()


def alias_key(text: str) -> str:
    """An alias as compared: NFKC, lower case, no spaces, hyphens or brackets (03-1234-5678 = 0312345678)."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    return "".join(ch for ch in text if ch not in " -()\u3000")


def name_key(text: str) -> str:
    """A display name as compared: NFKC, no spaces (山田 太郎 = 山田太郎 = 山田　太郎)."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    return "".join(ch for ch in text if not ch.isspace())


def value_key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


# --- profiles as plain values -----------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    name: str = ""
    source: str = ""
    columns: dict = field(default_factory=dict)
    id_from: tuple = ()
    rep_lookup: str = "email"
    duration_unit: str = "seconds"
    timezone: str = "Asia/Tokyo"
    direction_values: dict = field(default_factory=dict)
    result_values: dict = field(default_factory=dict)
    skip_values: tuple = ()

    @classmethod
    def of(cls, profile: "ImportProfile | Profile | dict | None") -> "Profile":
        if profile is None:
            return cls()
        if isinstance(profile, Profile):
            return profile
        if isinstance(profile, dict):
            return cls(
                **{
                    **profile,
                    "id_from": tuple(profile.get("id_from", ())),
                    "skip_values": tuple(profile.get("skip_values", ())),
                }
            )
        return cls(
            name=profile.name,
            source=profile.source,
            columns=dict(profile.columns or {}),
            id_from=tuple(profile.id_from or ()),
            rep_lookup=profile.rep_lookup,
            duration_unit=profile.duration_unit,
            timezone=profile.timezone,
            direction_values=dict(profile.direction_values or {}),
            result_values=dict(profile.result_values or {}),
            skip_values=tuple(profile.skip_values or ()),
        )


class Warnings:
    """Rows imported as written but worth a look: counted per code, the first few kept as examples."""

    EXAMPLES = 20

    def __init__(self) -> None:
        self.counts: Counter = Counter()
        self.items: list[dict] = []

    def add(self, row: int, column: str, code: str, value: str = "") -> None:
        self.counts[code] += 1
        if self.counts[code] <= self.EXAMPLES:
            self.items.append({"row": row, "column": column, "code": code, "value": value[:80]})

    def summary(self) -> list[dict]:
        return [{"code": code, "count": n} for code, n in sorted(self.counts.items())]


# --- the rep directory ------------------------------------------------------------------------------


@dataclass
class RepDirectory:
    """Email (as written) for each way a row may name its rep; ambiguous names are remembered as such."""

    by_name: dict = field(default_factory=dict)
    by_alias: dict = field(default_factory=dict)

    @classmethod
    def load(cls) -> "RepDirectory":
        directory = cls()
        for email, name in User.objects.filter(is_active=True).values_list("email", "name"):
            for key in {name, name_key(name)} if name else ():
                known = directory.by_name.get(key)
                directory.by_name[key] = email if known in (None, email) else _AMBIGUOUS
        for alias, email in RepAlias.objects.values_list("alias", "user__email"):
            directory.by_alias[alias] = email
        return directory

    def name(self, raw: str):
        hit = self.by_name.get(raw)
        return hit if hit is not None else self.by_name.get(name_key(raw))

    def alias(self, raw: str):
        hit = self.by_alias.get(raw)
        return hit if hit is not None else self.by_alias.get(alias_key(raw))


# --- values -----------------------------------------------------------------------------------------

_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:\.\d+)?$")
_JA_DURATION = re.compile(r"^(?:(\d+)時間)?(?:(\d+)分)?(?:(\d+(?:\.\d+)?)秒)?$")


def parse_duration(raw: str, unit: str) -> tuple[int | None, bool]:
    """Seconds, and whether the value was a bare number (the only spelling the unit applies to).
    Bare numbers: 135, 135.0, full-width １３５ (unit seconds or milliseconds); 00:02:15, 0:02:15, 2:15
    (h:mm:ss, m:ss); 2分15秒, 135秒, 1時間2分. None when not a duration."""
    text = unicodedata.normalize("NFKC", raw).strip().replace(",", "")
    if not text:
        return 0, False
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is not None:
        if number != number or number in (float("inf"), float("-inf")):
            return None, True
        seconds = number / 1000 if unit == ImportProfile.DurationUnit.MILLISECONDS else number
        return round(seconds), True
    clock = _CLOCK.match(text)
    if clock:
        hours, minutes, seconds = (int(part) if part else 0 for part in clock.groups())
        return hours * 3600 + minutes * 60 + seconds, False
    japanese = _JA_DURATION.match(text)
    if japanese and any(japanese.groups()):
        hours, minutes, seconds = (float(part) if part else 0 for part in japanese.groups())
        return round(hours * 3600 + minutes * 60 + seconds), False
    return None, False


_JA_DATE = re.compile(
    r"^(\d{4})\s*[年/\-.]\s*(\d{1,2})\s*[月/\-.]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]*(午前|午後|AM|PM)?\s*(\d{1,2})\s*[:時]\s*(\d{1,2})\s*(?:[:分]\s*(\d{1,2}(?:\.\d+)?)\s*秒?)?"
    r"\s*(午前|午後|AM|PM)?)?\s*(Z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
_US_DATE = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?)?$",
    re.IGNORECASE,
)


def parse_moment(raw: str) -> tuple[datetime | None, bool]:
    """A date-time as sources write it, and whether it had a time of day. ISO 8601 (offset kept),
    2026/11/19 10:23:11, 2026/11/9 9:03, 2026年11月19日 10:23, 2026/11/19 午前10:23, 11/19/2026 10:23 AM,
    Excel serials (46345.4328), and the date-only forms of each (had_time False)."""
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        return None, False
    try:
        return datetime.fromisoformat(text), len(text) > 10
    except ValueError:
        pass
    match = _JA_DATE.match(text)
    if match:
        year, month, day, ampm, hour, minute, second, ampm_after, offset = match.groups()
        return _build(year, month, day, hour, minute, second, ampm or ampm_after, offset), hour is not None
    match = _US_DATE.match(text)
    if match:
        month, day, year, hour, minute, second, ampm = match.groups()
        return _build(year, month, day, hour, minute, second, ampm, None), hour is not None
    try:
        serial = float(text)
    except ValueError:
        return None, False
    if not 1 <= serial < 2_958_466:  # Excel's own range: 1900-01-01 .. 9999-12-31
        return None, False
    moment = EXCEL_EPOCH + timedelta(days=serial)
    return moment.replace(microsecond=0) + timedelta(seconds=round(moment.microsecond / 1e6)), not serial.is_integer()


def _build(year, month, day, hour, minute, second, ampm, offset) -> datetime | None:
    hour = int(hour or 0)
    if ampm:
        if hour > 12:
            return None
        afternoon = ampm.upper() in ("PM", "午後")
        hour = hour % 12 + (12 if afternoon else 0)
    seconds = float(second or 0)
    try:
        moment = datetime(int(year), int(month), int(day), hour, int(minute or 0), int(seconds))  # noqa: DTZ001
    except ValueError:
        return None
    if offset:
        return datetime.fromisoformat(moment.isoformat() + ("+00:00" if offset.upper() == "Z" else offset))
    return moment


def _value_table(values: dict, words: dict) -> dict:
    """The profile's own words first (as written and normalised), then the contract's."""
    table = dict(words)
    for raw, value in values.items():
        if value in words.values():
            table[raw] = value
            table[value_key(raw)] = value
    return table


def guess_value(column: str, raw: str) -> str:
    """A first guess for a value no map knows: the contract word it contains, if exactly one does
    (発信 (不在) -> outbound for direction, no_answer for result)."""
    words = DIRECTION_WORDS if column == "direction" else RESULT_WORDS
    text = value_key(raw)
    found = {value for word, value in words.items() if len(word) > 1 and word in text}
    return found.pop() if len(found) == 1 else ""


def stable_id(values: list[str]) -> str:
    """The same named columns always give the same id (re-imports stay idempotent): sha1, 24 hex digits."""
    digest = hashlib.sha1("\x1f".join(v.strip() for v in values).encode(), usedforsecurity=False)
    return ID_PREFIX + digest.hexdigest()[:24]


# --- the transform ----------------------------------------------------------------------------------


def header_indexes(profile: Profile, header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Profile field -> index in the file, and the names of profile headers the file lacks."""
    keys = [header_key(h) for h in header]
    found, missing = {}, []
    for column, name in profile.columns.items():
        if column not in PROFILE_FIELDS or not name:
            continue
        if header_key(name) in keys:
            found[column] = keys.index(header_key(name))
        else:
            missing.append(name)
    for name in profile.id_from:
        if header_key(name) not in keys:
            missing.append(name)
    return found, missing


def missing_fields(profile: Profile, indexes: dict[str, int]) -> list[str]:
    """Contract columns a file read through this profile cannot fill."""
    have = set(indexes)
    if profile.id_from:
        have.add("external_id")
    return [column for column in CALL_REQUIRED if column not in have]


def transform(
    profile: Profile,
    header: list[str],
    *,
    directory: RepDirectory,
    tz: ZoneInfo,
    errors: ErrorList,
    warnings: Warnings,
) -> Callable[[int, list[str]], list[str] | None]:
    """A function (row_number, fields) -> contract fields, or None when the row had errors (recorded)."""
    indexes, _missing = header_indexes(profile, header)
    keys = [header_key(h) for h in header]
    id_indexes = [keys.index(header_key(name)) for name in profile.id_from if header_key(name) in keys]
    width = max([*indexes.values(), *id_indexes, 0]) + 1
    get = {column: indexes.get(column, -1) for column in PROFILE_FIELDS}
    plain = itemgetter(*(get[c] for c in ("reached_target", "appointment_set", "lead_external_id", "note")))
    i_ext, i_rep, i_fallback = get["external_id"], get["rep_email"], get[REP_FALLBACK]
    i_start, i_dur, i_dir, i_res = get["started_at"], get["duration_seconds"], get["direction"], get["result"]
    by_id = bool(id_indexes)
    id_values = itemgetter(*id_indexes) if id_indexes else None
    lookup_rep = {"name": directory.name, "alias": directory.alias}.get(profile.rep_lookup)
    zone = ZoneInfo(profile.timezone) if profile.timezone else None
    same_zone = zone is not None and zone.key == tz.key
    suffix = "" if zone is None else datetime(2026, 1, 1, tzinfo=zone).strftime("%z")
    suffix = suffix[:3] + ":" + suffix[3:] if suffix else ""
    millis = profile.duration_unit == ImportProfile.DurationUnit.MILLISECONDS
    dir_table = _value_table(profile.direction_values, DIRECTION_WORDS)
    res_table = _value_table(profile.result_values, RESULT_WORDS)
    dir_get, res_get = dir_table.get, res_table.get
    skip = frozenset(profile.skip_values)
    fromiso = datetime.fromisoformat
    add, warn = errors.add, warnings.add

    def rep_of(row: int, fields: list[str]) -> str | None:
        raw = fields[i_rep].strip() if i_rep >= 0 else ""
        email = raw if lookup_rep is None else (lookup_rep(raw) if raw and raw not in NO_USER else None)
        if email is None and i_fallback >= 0 and fields[i_fallback].strip():
            email = directory.alias(fields[i_fallback])
        if email is _AMBIGUOUS:
            add(row, "rep_email", "ambiguous_rep", raw)
            return None
        if email is None:
            if not raw or raw in NO_USER:
                fallback = fields[i_fallback].strip() if i_fallback >= 0 else ""
                add(row, "rep_email", "no_rep_in_source", f"{raw} {fallback}".strip())
            else:
                add(row, "rep_email", "unknown_rep_" + profile.rep_lookup, raw)
            return None
        return email

    def start_of(row: int, raw: str) -> str | None:
        # The usual spellings: ISO, or a zero-padded 2026/11/05 09:21:00.
        text = raw
        try:
            moment = fromiso(text)
        except ValueError:
            text = raw.replace("/", "-")
            try:
                moment = fromiso(text)
            except ValueError:
                moment = None
        if moment is not None and len(text) > 10:
            if moment.tzinfo is not None or same_zone:
                return text
            if zone is not None:
                return text + suffix
            add(row, "started_at", "naive_time", raw)
            return None
        moment, had_time = parse_moment(raw)
        if moment is None:
            add(row, "started_at", "bad_date_format", raw)
            return None
        if not had_time:
            add(row, "started_at", "date_without_time", raw)
            return None
        if moment.tzinfo is None:
            if zone is None:
                add(row, "started_at", "naive_time", raw)
                return None
            moment = moment.replace(tzinfo=zone)
        return moment.isoformat()

    def duration_of(row: int, raw: str, result: str) -> int | None:
        if raw.isdigit():
            seconds, bare = (int(raw) + 500) // 1000 if millis else int(raw), True
        elif len(raw) == 8 and raw[2] == ":" and raw[5] == ":" and raw[:2].isdigit() and raw[6:].isdigit():
            # hh:mm:ss, as MiiTel writes every duration
            seconds, bare = int(raw[:2]) * 3600 + int(raw[3:5]) * 60 + int(raw[6:]), False
        else:
            seconds, bare = parse_duration(raw, profile.duration_unit)
        if seconds is None:
            add(row, "duration_seconds", "bad_duration", raw)
            return None
        if bare and not millis and seconds > PLAUSIBLE_SECONDS:
            add(row, "duration_seconds", "implausible_seconds", raw)
            return None
        if bare and millis and result == "connected" and 0 < float(unicodedata.normalize("NFKC", raw)) < 1000:
            add(row, "duration_seconds", "implausible_milliseconds", raw)
            return None
        return seconds

    def careful(row: int, fields: list[str]) -> list[str] | None:
        if len(fields) < width:
            fields.extend([""] * (width - len(fields)))
        fields.append("")  # what absent columns (index -1) read
        raw_dir, raw_res = fields[i_dir], fields[i_res]
        if skip and (raw_dir in skip or raw_res in skip):
            warn(row, "result", "skipped_value", raw_res or raw_dir)
            return None
        direction = (dir_get(raw_dir) or lookup(dir_table, raw_dir) or raw_dir) if raw_dir else "outbound"
        result = res_get(raw_res) or lookup(res_table, raw_res) or raw_res
        no_user = i_rep < 0 or fields[i_rep].strip() in NO_USER or not fields[i_rep].strip()
        if no_user and direction == "inbound" and not _fallback(fields):
            # An inbound call no rep took, in an export that names no user: nobody's dial, so no
            # rep's figure; counted and shown as unassigned, never silently dropped.
            warn(row, "rep_email", "unassigned_inbound", f"{raw_res} {fields[i_fallback] if i_fallback >= 0 else ''}")
            return None
        before = errors.count
        ext = stable_id(list(id_values(fields)) if len(id_indexes) > 1 else [id_values(fields)]) if by_id else ""
        if not by_id:
            ext = fields[i_ext]
        email = rep_of(row, fields)
        start = start_of(row, fields[i_start].strip()) if i_start >= 0 and fields[i_start].strip() else ""
        raw_dur = fields[i_dur].strip() if i_dur >= 0 else ""
        seconds = duration_of(row, raw_dur, result) if raw_dur else 0
        if errors.count != before:
            return None
        if i_dur >= 0:
            if seconds and result in UNANSWERED:
                warn(row, "duration_seconds", "talk_time_on_unanswered", f"{raw_res} {raw_dur}")
            elif not seconds and result == "connected":
                warn(row, "duration_seconds", "connected_without_talk_time", f"{raw_res} {raw_dur}")
        return [ext, email, start, str(seconds), direction, result, *plain(fields)]

    def _fallback(fields: list[str]):
        return i_fallback >= 0 and fields[i_fallback].strip() and directory.alias(fields[i_fallback]) is not None

    # The short path: the spellings each preset's source really writes, as dict hits and slices; any
    # other row (and any row with a problem) goes through careful() above, which names the problem.
    fast_get = itemgetter(i_ext, i_rep, i_start, i_dur, i_dir, i_res, *(get[c] for c in CALL_COLUMNS[6:]))
    rep_table = {"name": directory.by_name, "alias": directory.by_alias}.get(profile.rep_lookup)
    rep_get = rep_table.get if rep_table is not None else None
    has_dur, unanswered = i_dur >= 0, UNANSWERED
    max_bare = PLAUSIBLE_SECONDS

    def convert(row: int, fields: list[str]) -> list[str] | None:
        if len(fields) < width:
            return careful(row, fields)
        fields.append("")
        ext, user, start, dur, raw_dir, raw_res, reached, appt, lead, note = fast_get(fields)
        direction = dir_get(raw_dir) if raw_dir else "outbound"
        result = res_get(raw_res)
        email = rep_get(user) if rep_get is not None else user
        if (
            direction is None
            or result is None
            or email is None
            or email is _AMBIGUOUS
            or len(start) <= 10
            or raw_dir in skip
            or raw_res in skip
        ):
            del fields[-1]
            return careful(row, fields)
        if by_id:
            ext = stable_id(list(id_values(fields)) if len(id_indexes) > 1 else [id_values(fields)])
        if start[4] == "/" and len(start) == 19:
            start = start.replace("/", "-")
        elif start[4] != "-":
            del fields[-1]
            return careful(row, fields)
        if start[-1] != "Z" and start[-6] not in "+-" and not same_zone:  # no offset written
            if zone is None:
                del fields[-1]
                return careful(row, fields)
            start += suffix
        try:
            if not dur:
                seconds = 0
            elif len(dur) == 8 and dur[2] == ":" and dur[5] == ":":
                seconds = int(dur[:2]) * 3600 + int(dur[3:5]) * 60 + int(dur[6:])
            else:
                seconds = int(dur)
                if millis:
                    if result == "connected" and 0 < seconds < 1000:
                        raise ValueError
                    seconds = (seconds + 500) // 1000
                elif seconds > max_bare:
                    raise ValueError
        except ValueError:
            del fields[-1]
            return careful(row, fields)
        if has_dur:
            if seconds and result in unanswered:
                warn(row, "duration_seconds", "talk_time_on_unanswered", f"{raw_res} {dur}")
            elif not seconds and result == "connected":
                warn(row, "duration_seconds", "connected_without_talk_time", f"{raw_res} {dur}")
        return [ext, email, start, str(seconds), direction, result, reached, appt, lead, note]

    return convert


# --- preview ----------------------------------------------------------------------------------------

PREVIEW_ROWS = 10
PREVIEW_SCAN = 10_000


@dataclass
class Preview:
    encoding: str = ""
    header: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    missing_headers: list[str] = field(default_factory=list)
    missing_fields: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    scanned: int = 0
    more: bool = False
    # [{"column": "result", "raw": "Call connected", "count": 40, "guess": "connected"}]
    unknown: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0
    bad_rows: int = 0
    warnings: list[dict] = field(default_factory=list)
    warning_counts: list[dict] = field(default_factory=list)
    unreadable: str = ""


def profile_suggest(header: list[str]) -> Profile:
    """A first profile for an unknown export: the headers the contract's aliases recognise."""
    from .columns import map_header

    found = map_header(header, CALL_COLUMNS)
    return Profile(columns={column: header[index] for column, index in found.items()})


def profile_preview(
    *, path, profile: "ImportProfile | Profile | None", allowed_reps: set[int] | None = None
) -> Preview:
    """The first rows as the profile reads them, the headers it leaves unread, the values no map knows
    (with counts) and the errors and warnings of the first PREVIEW_SCAN rows. Stores nothing."""
    from ...errors import ApplicationError
    from .calls import is_rep_lookup

    preview = Preview()
    try:
        stream = CsvStream(path)
    except ApplicationError as exc:
        preview.unreadable = str(exc)
        return preview
    plain = Profile.of(profile) if profile is not None else profile_suggest(stream.header)
    preview.encoding, preview.header = stream.encoding, stream.header
    indexes, preview.missing_headers = header_indexes(plain, stream.header)
    preview.missing_fields = missing_fields(plain, indexes)
    used = set(indexes.values()) | {
        i for i, h in enumerate(stream.header) if header_key(h) in {header_key(n) for n in plain.id_from}
    }
    preview.unmapped = [h for i, h in enumerate(stream.header) if i not in used]
    tz = periods.org_tz()
    errors, warnings = ErrorList(), Warnings()
    directory = RepDirectory.load()
    convert = transform(plain, stream.header, directory=directory, tz=tz, errors=errors, warnings=warnings)
    identity = {column: i for i, column in enumerate(CALL_COLUMNS)}
    from django.utils import timezone as dj_timezone

    reps = is_rep_lookup()
    parse = call_row_parser(columns=identity, reps=reps, tz=tz, now=dj_timezone.now(), errors=errors)
    unknown: Counter = Counter()
    tables = {
        "direction": _value_table(plain.direction_values, DIRECTION_WORDS),
        "result": _value_table(plain.result_values, RESULT_WORDS),
    }
    try:
        for row, fields in stream.rows():
            if preview.scanned >= PREVIEW_SCAN:
                preview.more = True
                break
            preview.scanned += 1
            for column in ("direction", "result"):
                index = indexes.get(column, -1)
                raw = fields[index] if 0 <= index < len(fields) else ""
                if raw and raw not in plain.skip_values and lookup(tables[column], raw) is None:
                    unknown[(column, raw)] += 1
            before, raw_fields = errors.count, list(fields)
            contract = convert(row, list(fields))
            parsed = parse(row, list(contract)) if contract is not None else None
            if parsed is not None and allowed_reps is not None and parsed[2] not in allowed_reps:
                errors.add(row, "rep_email", "rep_outside_team", contract[1])
            if len(preview.rows) < PREVIEW_ROWS:
                row_errors = errors.items[before:] if errors.count != before else []
                skipped = contract is None and not row_errors
                if contract is not None:
                    values = dict(zip(CALL_COLUMNS, contract, strict=True))
                else:  # refused or skipped: as written
                    values = {c: raw_fields[i] if i < len(raw_fields) else "" for c, i in indexes.items()}
                preview.rows.append({"row": row, "values": values, "errors": row_errors, "skipped": skipped})
    except ApplicationError as exc:
        preview.unreadable = str(exc)
    preview.unknown = [
        {"column": column, "raw": raw, "count": n, "guess": guess_value(column, raw)}
        for (column, raw), n in sorted(unknown.items(), key=lambda item: (item[0][0], -item[1], item[0][1]))
    ]
    preview.errors, preview.error_count, preview.bad_rows = errors.items[:50], errors.count, errors.bad_rows
    preview.warnings, preview.warning_counts = warnings.items, warnings.summary()
    return preview
