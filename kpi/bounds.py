"""The limits every way data comes in applies: files, the ingest API, forms and query strings (pure).

One table of limits and one function per kind of value, each answering a problem code (or None), so
that an upload, an API record and a form box are refused for the same reason with the same words:
- dates from 2000-01-01 to the end of next year (the organisation's calendar, periods.today());
- whole numbers within their database column (PostgreSQL integer, bigint), durations up to a day;
- amounts within their Decimal column (14 digits of yen for an order), finite, without fractions
  where the column keeps none;
- text without NUL characters (PostgreSQL cannot store them) or lone surrogates (not Unicode text).
Codes and their messages live here too (REASONS); kpi/services/imports/errors.py shows them per row.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from . import periods

MIN_DATE = date(2000, 1, 1)
INT_MAX = 2**31 - 1  # PostgreSQL integer (IntegerField, PositiveIntegerField)
BIGINT_MAX = 2**63 - 1  # PostgreSQL bigint (ids, BigIntegerField)
SMALLINT_MAX = 2**15 - 1
MAX_DURATION_SECONDS = 86_400  # no real call lasts a day
AMOUNT_DIGITS = 14  # Meeting.amount: DecimalField(max_digits=14, decimal_places=0), yen
MAX_AMOUNT_YEN = 10**AMOUNT_DIGITS - 1
MAX_ID_LENGTH = 128  # external ids (CharField(max_length=128))
MAX_NOTE_LENGTH = 10_000

REASONS = {
    "date_out_of_range": _("outside the dates this product accepts (2000-01-01 to the end of next year)"),
    "number_out_of_range": _("outside the range this value can hold"),
    "not_finite": _("not a finite number"),
    "nul_character": _("contains a NUL character"),
    "lone_surrogate": _("contains a broken character (a lone UTF-16 surrogate)"),
    "unknown_field": _("unknown field: this endpoint does not take it (see the API documentation)"),
}


def max_date(today: date | None = None) -> date:
    """The last day accepted: 31 December of next year."""
    return date((today or periods.today()).year + 1, 12, 31)


def date_window(today: date | None = None) -> tuple[date, date]:
    return MIN_DATE, max_date(today)


def date_problem(day: date | datetime | None, today: date | None = None) -> str | None:
    if day is None:
        return None
    value = day.date() if isinstance(day, datetime) else day
    return None if MIN_DATE <= value <= max_date(today) else "date_out_of_range"


def clamp_date(day: date, today: date | None = None) -> date:
    low, high = date_window(today)
    return min(max(day, low), high)


def int_problem(value: int, *, low: int = 0, high: int = INT_MAX) -> str | None:
    return None if low <= value <= high else "number_out_of_range"


def decimal_limit(max_digits: int, decimal_places: int) -> Decimal:
    """The largest value a DecimalField(max_digits, decimal_places) holds, e.g. (5, 1) -> 9999.9."""
    return Decimal(10 ** (max_digits - decimal_places)) - Decimal(1).scaleb(-decimal_places)


def decimal_problem(value: Decimal, *, max_digits: int, decimal_places: int, low: Decimal = Decimal(0)) -> str | None:
    if not value.is_finite():
        return "not_finite"
    if not low <= value <= decimal_limit(max_digits, decimal_places):
        return "number_out_of_range"
    return None


def as_decimal(raw) -> Decimal | None:
    """A number as people and JSON write it ("1,200,000", 1200000, "1.5e3"); None when not one."""
    try:
        return Decimal(str(raw).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        return None


def text_problem(value: str) -> str | None:
    if "\x00" in value:
        return "nul_character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "lone_surrogate"
    return None


def message(code: str) -> str:
    return str(REASONS[code])


# --- field specs: one table per API resource builds the schema and drives the checker --------------


@dataclass(frozen=True)
class FieldSpec:
    """One field an integration may send: its type, unit and limits.

    kind: text, email, datetime, integer, decimal, boolean or choice. The ingest checker refuses a
    value outside these limits and the OpenAPI schema is built from the same spec (kpi/api/ingest.py),
    so the documentation cannot drift from what is enforced.
    """

    name: str
    kind: str
    help: str
    required: bool = False
    unit: str = ""
    max_length: int = MAX_ID_LENGTH
    minimum: int | Decimal | None = None
    maximum: int | Decimal | None = None
    choices: tuple[str, ...] = field(default=())
    default: object = None

    @property
    def description(self) -> str:
        """The help text with its unit and limits spelled out, as the schema shows it."""
        parts = [self.help]
        if self.unit:
            parts.append(f"Unit: {self.unit}.")
        if self.minimum is not None and self.maximum is not None:
            parts.append(f"From {self.minimum} to {self.maximum}.")
        if self.kind == "datetime":
            parts.append(f"Dates from {MIN_DATE.isoformat()} to the end of next year.")
        if self.kind in ("text", "email"):
            parts.append(f"At most {self.max_length} characters; no NUL characters.")
        return " ".join(parts)
