"""Import a call-log CSV: stream, validate every row, stage, then store the new rows in one insert.

A file with any bad row is refused whole, with every bad row listed; a dry run stops after staging
and says what would be created. Re-importing rows already present (same source + external_id)
creates nothing. The rep-days that received new calls get their rollups refreshed after commit.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from ... import periods
from ...errors import ApplicationError
from ..feeds import call_duplicates_flag
from ..touches import rollups_enqueue_refresh
from .columns import CALL_COLUMNS, CALL_REQUIRED, map_header
from .errors import MAX_LISTED, ErrorList
from .profiles import Profile, RepDirectory, Warnings, header_indexes, missing_fields, transform
from .reader import CsvStream
from .store import DuplicateIds, Stage
from .validate import call_row_parser

CHECKPOINT_ROWS = 50_000
IS_ROLES = (User.Role.REP, User.Role.MANAGER)


@dataclass
class ImportResult:
    encoding: str = ""
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    dry_run: bool = False
    refused: bool = False
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0
    bad_rows: int = 0
    # Pairs open on the rep-days this file touched where another source sent the same call.
    cross_source_duplicates: int = 0
    # [{"rep": email, "day": "2026-11-20", "rows": 40, "new": 38, "present": 2}]
    per_rep_day: list[dict] = field(default_factory=list)
    profile: str = ""
    # Rows stored as written but worth a look (profiles.Warnings): examples and counts per code.
    warnings: list[dict] = field(default_factory=list)
    warning_counts: list[dict] = field(default_factory=list)

    def summary(self) -> dict:
        return {
            "encoding": self.encoding,
            "rows": self.rows,
            "created": self.created,
            "unchanged": self.unchanged,
            "dry_run": self.dry_run,
            "refused": self.refused,
            "error_count": self.error_count,
            "bad_rows": self.bad_rows,
            "cross_source_duplicates": self.cross_source_duplicates,
            "per_rep_day": self.per_rep_day,
            "profile": self.profile,
            "warnings": self.warnings,
            "warning_counts": self.warning_counts,
        }


def count_lines(path: Path) -> int:
    """Data rows, roughly (a quoted note with line breaks counts extra): for the progress bar only."""
    lines = 0
    with Path(path).open("rb") as fh:
        while chunk := fh.read(1 << 20):
            lines += chunk.count(b"\n")
    return max(lines - 1, 0)


def is_rep_lookup() -> dict[str, int | None]:
    """email -> user id for IS users (reps, managers); None for other users (not allowed to own calls)."""
    return {
        email.lower(): (pk if role in IS_ROLES else None)
        for pk, email, role in User.objects.values_list("pk", "email", "role")
    }


def calls_import(
    *,
    path: Path | str,
    source: str = "upload",
    dry_run: bool = False,
    mapping: dict[str, str] | None = None,
    profile=None,
    allowed_reps: set[int] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """`profile` (an ImportProfile or profiles.Profile) reads a source's own export (see profiles.py);
    `mapping` ({contract column: header}) only renames headers. `allowed_reps`: the user ids whose calls
    the uploader may import (None: anyone); a row for another rep is refused, naming the row."""
    result = ImportResult(dry_run=dry_run)
    errors = ErrorList()
    warnings = Warnings()
    try:
        stream = CsvStream(path)
    except ApplicationError as exc:
        return _refused(result, errors, 0, "", "unreadable", str(exc))
    result.encoding = stream.encoding
    tz = periods.org_tz()
    convert = None
    if profile is not None:
        plain = Profile.of(profile)
        result.profile = plain.name
        indexes, missing = header_indexes(plain, stream.header)
        for name in missing:
            errors.add(1, "", "missing_header", name)
        for column in missing_fields(plain, indexes):
            errors.add(1, column, "missing_column")
        columns = {column: i for i, column in enumerate(CALL_COLUMNS)}
        if not errors:
            convert = transform(
                plain, stream.header, directory=RepDirectory.load(), tz=tz, errors=errors, warnings=warnings
            )
    else:
        columns = map_header(stream.header, CALL_COLUMNS, mapping)
        for column in CALL_REQUIRED:
            if column not in columns:
                errors.add(1, column, "missing_column")
    if errors:
        return _refused(result, errors)

    parse = call_row_parser(columns=columns, reps=is_rep_lookup(), tz=tz, now=timezone.now(), errors=errors)
    if convert is None:
        parse = _with_time_of_day(parse, columns["started_at"], errors)
    if allowed_reps is not None:
        parse = _only_reps(parse, allowed_reps, errors)
    if convert is not None:
        parse = _converted(convert, parse)
    with Stage(tz) as stage:
        try:
            for row, fields in stream.rows():
                parsed = parse(row, fields)
                if parsed is not None:
                    stage.add(parsed)
                if row % CHECKPOINT_ROWS == 0 and progress is not None:
                    stage.checkpoint()
                    progress(row - 1)
        except ApplicationError as exc:
            errors.add(0, "", "unreadable", str(exc))
        stage.close_input()
        result.rows = stage.rows + errors.bad_rows
        if errors or dry_run:
            # A file about to be stored is checked for repeated ids by the insert itself (below).
            _add_duplicates(errors, stage)
        if result.rows == 0 and not errors:
            errors.add(0, "", "empty_file")
        if errors:
            return _refused(result, errors)
        if dry_run:
            per_rep_day = stage.per_rep_day(source)
            totals = Counter({key: rows for key, (rows, _) in per_rep_day.items()})
            created = Counter({key: new for key, (_, new) in per_rep_day.items()})
        else:
            totals = stage.totals()
            try:
                with transaction.atomic():
                    created = stage.insert(source, timezone.now())
                    touched = [key for key, n in created.items() if n]
                    result.cross_source_duplicates = call_duplicates_flag(touched)
                    rollups_enqueue_refresh(touched)
            except DuplicateIds:
                _add_duplicates(errors, stage)
                return _refused(result, errors)
    _summarise(result, totals, created)
    result.warnings, result.warning_counts = warnings.items, warnings.summary()
    return result


def _converted(convert, parse):
    def parse_converted(row: int, fields: list[str]):
        contract = convert(row, fields)
        return None if contract is None else parse(row, contract)

    return parse_converted


def _with_time_of_day(parse, index: int, errors: ErrorList):
    """A contract row whose start is a date alone (2026-11-20, 2026/11/20) is refused: stored at 00:00
    it would make midnight the best hour to call."""

    def parse_timed(row: int, fields: list[str]):
        start = fields[index] if index < len(fields) else ""
        if len(start) <= 10 and start and len(start.strip()) <= 10 and start.strip():
            errors.add(row, "started_at", "date_without_time", start.strip())
            parse(row, fields)  # the row's other problems are listed too
            return None
        return parse(row, fields)

    return parse_timed


def _only_reps(parse, allowed: set[int], errors: ErrorList):
    emails = dict(User.objects.values_list("pk", "email"))

    def parse_allowed(row: int, fields: list[str]):
        parsed = parse(row, fields)
        if parsed is not None and parsed[2] not in allowed:
            errors.add(row, "rep_email", "rep_outside_team", emails.get(parsed[2], ""))
            return None
        return parsed

    return parse_allowed


def _add_duplicates(errors: ErrorList, stage: Stage) -> None:
    for row, external_id in stage.duplicates(MAX_LISTED):
        errors.add(row, "external_id", "duplicate_in_file", external_id)


def _refused(result: ImportResult, errors: ErrorList, *extra) -> ImportResult:
    if extra:
        errors.add(*extra)
    result.refused = True
    result.per_rep_day = []
    result.errors = errors.items
    result.error_count = errors.count
    result.bad_rows = errors.bad_rows
    return result


def _summarise(result: ImportResult, totals, created) -> None:
    emails = dict(User.objects.filter(pk__in={rep for rep, _ in totals}).values_list("pk", "email"))
    per = []
    for (rep_id, day), rows in sorted(totals.items(), key=lambda item: (emails[item[0][0]], item[0][1])):
        new = created.get((rep_id, day), 0)
        per.append({"rep": emails[rep_id], "day": day.isoformat(), "rows": rows, "new": new, "present": rows - new})
    result.per_rep_day = per
    result.created = sum(created.values())
    result.unchanged = result.rows - result.created
