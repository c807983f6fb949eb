"""The one shape of synthetic inside-sales activity, shared by the demo and the bench.

Shaped by the DESIGN.md benchmarks: about 34 outbound calls a rep a business day between 09:00 and
18:00 local time; ~50% connect for >= 1 s, ~6% stop at a gatekeeper, ~20% talk for >= 2 min
(amptalk figures, immedio white paper 2025); 55% of connected calls reach the decision maker and 30%
of those grant permission; ~9% of the long talks set a meeting; about 5 emails a rep a day (95%
delivered, 35% opened, a fifth of those replied); FS settle meetings a week on as no-show 10%,
disqualified 25%, won 20%, lost 20%, qualified 25%; monthly targets at the benchmark per business day.

The shape is written once and rendered twice:
- `sample_call`, `sample_email`, `meeting_outcome`: Python over a seeded `random.Random`, for the demo
  (a few tens of thousands of rows through the ORM);
- the `sql_*` expressions: the same bands over uniform draws (random() after setseed) inside the
  bench's INSERT ... SELECT from generate_series (millions of rows, no Python per row).
Each writer keeps what only it needs: the demo its lead pool, skill per rep and realistic meetings,
the bench its id arithmetic, deterministic per-day counts and index juggling.
"""

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kpi import periods
from kpi.models import Target

# --- calls -------------------------------------------------------------------------------------------

CALLS_PER_DAY = 34  # outbound calls a rep a business day (immedio white paper 2025)
DAY_START_HOUR, DAY_END_HOUR = 9, 18  # local business hours the activity falls in
DAY_SECONDS = (DAY_END_HOUR - DAY_START_HOUR) * 3600

# One uniform draw places a call in a band; the bounds are cumulative shares of all calls.
UNANSWERED_UNTIL = 0.50  # no connect (0 s)
GATEKEEPER_UNTIL = 0.56  # connects, but a gatekeeper answers
SHORT_TALK_UNTIL = 0.80  # connected, under 2 minutes; the rest talk >= 2 minutes (effective calls)
GATEKEEPER_SECONDS = (5, 40)
SHORT_TALK_SECONDS = (5, 119)
LONG_TALK_SECONDS = (120, 900)
EFFECTIVE_SECONDS = LONG_TALK_SECONDS[0]
UNANSWERED_RESULTS = ("no_answer", "no_answer", "busy", "voicemail", "failed")
REACHED_RATE = 0.55  # connected calls that reach the decision maker
PERMISSION_RATE = 0.3  # reached calls that grant permission to follow up
APPOINTMENT_RATE = 0.09  # long talks that set a meeting

# --- emails and meetings -----------------------------------------------------------------------------

EMAILS_PER_DAY = 5
EMAIL_DELIVERED = 0.95
EMAIL_OPENED = 0.35
EMAIL_REPLIED_OF_OPENED = 0.2
EMAIL_FOLLOW_UP = 0.6
SETTLE_DAYS = 7  # FS mark a meeting's outcome about a week after it was set
# How settled meetings end, in twentieths (in this order: the cumulative bounds are what is sampled).
MEETING_OUTCOMES = (("no_show", 2), ("disqualified", 5), ("won", 4), ("lost", 4), ("qualified", 5))
WON_AMOUNT_YEN = (300_000, 3_000_000)

# --- targets: per rep, per business day of the month; rates as fractions ------------------------------

DAILY_TARGETS = {
    "calls": CALLS_PER_DAY,
    "connects": 17,
    "effective_calls": Decimal("6.8"),
    "meetings": Decimal("0.8"),
    "qualified_meetings": Decimal("0.5"),
    "orders": Decimal("0.15"),
}
RATE_TARGETS = {"connect_rate": Decimal("0.50"), "effective_call_rate": Decimal("0.20")}


# --- the Python rendering (the demo) ------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    hour: int
    minute: int
    duration_seconds: int
    result: str
    reached_target: bool
    permission_granted: bool
    appointment_set: bool


def sample_call(rng: random.Random, *, skill: float = 1.0) -> Call:
    """One call. `skill` scales the appointment rate; below 0.7 a twentieth of the long talks end short."""
    hour = rng.randint(DAY_START_HOUR, DAY_END_HOUR - 1)
    minute = rng.randint(0, 59)
    duration, result = call_outcome(rng, short_talk_until=SHORT_TALK_UNTIL - (0.05 if skill < 0.7 else 0))
    reached = result == "connected" and rng.random() < REACHED_RATE
    return Call(
        hour=hour,
        minute=minute,
        duration_seconds=duration,
        result=result,
        reached_target=reached,
        permission_granted=reached and rng.random() < PERMISSION_RATE,
        appointment_set=duration >= EFFECTIVE_SECONDS and rng.random() < APPOINTMENT_RATE * skill,
    )


def call_outcome(rng: random.Random, *, short_talk_until: float = SHORT_TALK_UNTIL) -> tuple[int, str]:
    """(duration in seconds, result) of one call, by the bands above."""
    roll = rng.random()
    if roll < UNANSWERED_UNTIL:
        return 0, rng.choice(UNANSWERED_RESULTS)
    if roll < GATEKEEPER_UNTIL:
        return rng.randint(*GATEKEEPER_SECONDS), "gatekeeper"
    if roll < short_talk_until:
        return rng.randint(*SHORT_TALK_SECONDS), "connected"
    return rng.randint(*LONG_TALK_SECONDS), "connected"


@dataclass(frozen=True)
class Email:
    hour: int
    delivered: bool
    opened: bool
    replied: bool
    is_follow_up: bool


def sample_email(rng: random.Random) -> Email:
    opened = rng.random() < EMAIL_OPENED
    hour = rng.randint(DAY_START_HOUR, DAY_END_HOUR)
    delivered = rng.random() < EMAIL_DELIVERED
    replied = opened and rng.random() < EMAIL_REPLIED_OF_OPENED
    return Email(
        hour=hour, delivered=delivered, opened=opened, replied=replied, is_follow_up=rng.random() < EMAIL_FOLLOW_UP
    )


def meeting_outcome(roll: float, *, may_close: bool = True) -> str:
    """The status of a settled meeting for a uniform `roll`; before `may_close`, won and lost are
    still qualified (the deal is open)."""
    bound = 0
    for status, twentieths in MEETING_OUTCOMES:
        bound += twentieths
        if roll < bound / 20:
            return "qualified" if status in ("won", "lost") and not may_close else status
    return MEETING_OUTCOMES[-1][0]


# --- the SQL rendering (the bench): expressions over uniform draws in [0, 1) ----------------------------


def _sql_between(u: str, bounds: tuple[int, int]) -> str:
    low, high = bounds
    return f"{low} + floor({u} * {high - low + 1})::int"


def _sql_array(values) -> str:
    return "ARRAY[" + ", ".join(f"'{v}'" for v in values) + "]"


def sql_call_duration(u1: str, u2: str) -> str:
    return (
        f"CASE WHEN {u1} < {UNANSWERED_UNTIL} THEN 0\n"
        f"                       WHEN {u1} < {GATEKEEPER_UNTIL} THEN {_sql_between(u2, GATEKEEPER_SECONDS)}\n"
        f"                       WHEN {u1} < {SHORT_TALK_UNTIL} THEN {_sql_between(u2, SHORT_TALK_SECONDS)}\n"
        f"                       ELSE {_sql_between(u2, LONG_TALK_SECONDS)} END"
    )


def sql_call_result(duration: str, u1: str, u2: str) -> str:
    unanswered = f"({_sql_array(UNANSWERED_RESULTS)})[1 + floor({u2} * {len(UNANSWERED_RESULTS)})::int]"
    return (
        f"CASE WHEN {duration} = 0 THEN {unanswered}\n"
        f"         WHEN {u1} < {GATEKEEPER_UNTIL} THEN 'gatekeeper' ELSE 'connected' END"
    )


def sql_call_reached(duration: str, u1: str, u2: str) -> str:
    return f"{duration} > 0 AND {u1} >= {GATEKEEPER_UNTIL} AND {u2} < {REACHED_RATE}"


def sql_call_permission(reached: str, u3: str) -> str:
    return f"{reached} AND {u3} < {PERMISSION_RATE}"


def sql_call_appointment(duration: str, u3: str) -> str:
    return f"{duration} >= {EFFECTIVE_SECONDS} AND {u3} < {APPOINTMENT_RATE}"


def sql_email_flags(u1: str, u2: str, u3: str) -> str:
    """delivered, opened, replied, to_target, is_follow_up (replied: opened and a fifth of those)."""
    replied = round(EMAIL_OPENED * EMAIL_REPLIED_OF_OPENED, 6)
    return f"{u1} < {EMAIL_DELIVERED}, {u2} < {EMAIL_OPENED}, {u2} < {replied}, true, {u3} < {EMAIL_FOLLOW_UP}"


def sql_meeting_statuses() -> str:
    """The settled outcomes as an array of 20, to index with 1 + (n % 20)."""
    return _sql_array(status for status, twentieths in MEETING_OUTCOMES for _ in range(twentieths))


# --- targets --------------------------------------------------------------------------------------------


def month_targets(
    rep_pk: int, month: date, business_days: int, per_day: dict, rates: dict | None = None
) -> list[Target]:
    """One rep's monthly targets: the per-business-day figures times the month's business days, rounded,
    then the rate targets as they are."""
    rows = [
        Target(
            kpi_key=key,
            scope="rep",
            scope_id=rep_pk,
            granularity=periods.MONTH,
            period_start=month,
            value=(Decimal(value) * business_days).quantize(Decimal(1)),
        )
        for key, value in per_day.items()
    ]
    rows += [
        Target(kpi_key=key, scope="rep", scope_id=rep_pk, granularity=periods.MONTH, period_start=month, value=rate)
        for key, rate in (rates or {}).items()
    ]
    return rows
