"""A believable demo organisation: 3 IS teams, 25 reps, 90 days of business-day activity shaped by the
DESIGN.md benchmarks (tools/synthetic.py: about 34 calls a rep a day; ~50% connect >= 1 s; ~20% talk
>= 2 min), 3-5 touches a lead, meetings with FS outcomes, and monthly targets. Three reps call at
about half the benchmark, so they sit clearly under 70% of target.

Deterministic (fixed random seed) so screenshots and demos repeat.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Department, Team, User
from kpi import periods
from kpi.models import (
    CallLog,
    EmailTouch,
    FsCapacity,
    HourRollup,
    Lead,
    LeadSupply,
    Meeting,
    Plan,
    ReviewRule,
    Rollup,
    Target,
)
from kpi.selectors.calendar import Calendar
from kpi.selectors.plans import PlanInput
from kpi.services.planner import plan_save
from tools import synthetic

DOMAIN = "demo.isales.jp"
PASSWORD = "demo-pass-2026"
SOURCE = "demo"

TEAMS = ["東京第1チーム", "東京第2チーム", "大阪チーム"]
SURNAMES = [
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
    "木村",
    "林",
    "斎藤",
    "清水",
    "山崎",
    "森",
    "池田",
    "橋本",
    "阿部",
]
GIVEN = [
    "花子",
    "一郎",
    "美咲",
    "健太",
    "陽菜",
    "翔",
    "結衣",
    "大輔",
    "さくら",
    "拓海",
    "愛",
    "直樹",
    "優花",
    "蓮",
    "彩",
    "悠斗",
    "真央",
    "亮",
    "葵",
    "誠",
    "七海",
    "颯",
    "舞",
    "航",
    "遥",
]
UNDERPERFORMERS = {4, 12, 20}  # rep indexes that call at about half the benchmark
CHANNELS = [c for c, _ in Lead.Channel.choices]
DAY_HOURS = synthetic.DAY_END_HOUR - synthetic.DAY_START_HOUR


def demo_accounts() -> dict[str, str]:
    """The logins printed by `make demo`."""
    return {role: f"{role}@{DOMAIN}" for role in ("rep", "manager", "fs", "marketing", "ops")}


@transaction.atomic
def demo_seed(*, today: date | None = None, days: int = 90, reps: int = 25) -> dict:
    today = today or periods.today()
    rng = random.Random(20261121)
    users = _org(reps)
    counts = _activity(rng, users["reps"], users["fs"], today, days)
    counts["targets"] = _targets(users["reps"], today, days)
    return counts


def demo_reset() -> None:
    demo_users = User.objects.filter(email__endswith=f"@{DOMAIN}")
    for model in (Meeting, CallLog, EmailTouch):
        model.objects.filter(rep__in=demo_users).delete()
    Lead.objects.filter(source=SOURCE).delete()
    Target.objects.all().delete()

    ReviewRule.objects.all().delete()  # and their review items
    LeadSupply.objects.all().delete()
    FsCapacity.objects.all().delete()

    Rollup.objects.all().delete()
    HourRollup.objects.all().delete()
    demo_users.delete()
    Team.objects.filter(name__in=TEAMS).delete()


def _user(email: str, name: str, role: str, team: Team | None = None) -> User:
    # One PBKDF2 hash shared by every demo login: hashing 33 times would cost ~10 s.
    global _PASSWORD_HASH
    _PASSWORD_HASH = _PASSWORD_HASH or make_password(PASSWORD)
    return User.objects.create(email=email, password=_PASSWORD_HASH, name=name, role=role, team=team)


_PASSWORD_HASH = ""


def _org(n_reps: int) -> dict:
    is_dept = Department.objects.get(code="is")
    teams = [Team.objects.create(name=name, department=is_dept) for name in TEAMS]
    manager = _user(f"manager@{DOMAIN}", "田中 部長", "manager", teams[0])
    teams[0].managers.add(manager)
    for i, team in enumerate(teams[1:], start=2):
        lead = _user(f"manager{i}@{DOMAIN}", f"{SURNAMES[-i]} マネージャー", "manager", team)
        team.managers.add(lead)
    reps = []
    for i in range(n_reps):
        email = f"rep@{DOMAIN}" if i == 0 else f"rep{i:02d}@{DOMAIN}"
        reps.append(_user(email, f"{SURNAMES[i % len(SURNAMES)]} {GIVEN[i % len(GIVEN)]}", "rep", teams[i % 3]))
    fs = [_user(f"fs@{DOMAIN}", "山田 FS", "fs"), _user(f"fs2@{DOMAIN}", "森 FS", "fs")]
    _user(f"marketing@{DOMAIN}", "井上 マーケ", "marketing")
    ops = _user(f"ops@{DOMAIN}", "運用 管理者", "ops")
    ops.is_staff = True
    ops.save(update_fields=["is_staff"])
    return {"reps": reps, "fs": fs, "teams": teams}


def _activity(rng: random.Random, reps: list[User], fs: list[User], today: date, days: int) -> dict:
    tz = periods.org_tz()
    first = today - timedelta(days=days)
    calendar = Calendar(first, today)
    now_local = timezone.now().astimezone(tz)
    calls, emails, meetings, leads = [], [], [], []
    lead_touches: dict[str, int] = {}
    seq = 0
    for index, rep in enumerate(reps):
        skill = 0.5 if index in UNDERPERFORMERS else rng.uniform(0.85, 1.2)
        pool: list[str] = []
        for day in calendar.business_days(first, today):
            n_calls = max(0, int(rng.gauss(synthetic.CALLS_PER_DAY * skill, 4)))
            if day == today:  # only the hours that have passed
                n_calls = int(n_calls * max(0, min(1, (now_local.hour - synthetic.DAY_START_HOUR) / DAY_HOURS)))
            for _ in range(n_calls):
                seq += 1
                if not pool or rng.random() < 0.3:
                    lead_id = f"L{seq:07d}"
                    leads.append(
                        Lead(
                            source=SOURCE,
                            external_id=lead_id,
                            channel=rng.choice(CHANNELS),
                            company=f"株式会社デモ{seq % 997}",
                            created_at=_at(tz, day, 8, 0),
                        )
                    )
                    pool.append(lead_id)
                lead_id = rng.choice(pool[-40:])
                touches = lead_touches.get(lead_id, 0)
                lead_touches[lead_id] = touches + 1
                if touches >= 4 and lead_id in pool:
                    pool.remove(lead_id)  # 3-5 touches a lead, then move on
                shape = synthetic.sample_call(rng, skill=skill)
                started = _at(tz, day, shape.hour, shape.minute)
                call = CallLog(
                    source=SOURCE,
                    external_id=f"C{seq:08d}",
                    rep=rep,
                    lead_external_id=lead_id,
                    started_at=started,
                    local_date=day,
                    local_hour=started.hour,
                    duration_seconds=shape.duration_seconds,
                    result=shape.result,
                    reached_target=shape.reached_target,
                    is_follow_up=touches > 0,
                    permission_granted=shape.permission_granted,
                    appointment_set=shape.appointment_set,
                )
                calls.append(call)
                if call.appointment_set:
                    meetings.append(_meeting(rng, rep, fs, call, day, today, tz))
            for _ in range(max(0, int(rng.gauss(synthetic.EMAILS_PER_DAY, 2)))):
                seq += 1
                email = synthetic.sample_email(rng)
                emails.append(
                    EmailTouch(
                        source=SOURCE,
                        external_id=f"E{seq:08d}",
                        rep=rep,
                        sent_at=_at(tz, day, email.hour, 0),
                        local_date=day,
                        delivered=email.delivered,
                        opened=email.opened,
                        replied=email.replied,
                        is_follow_up=email.is_follow_up,
                    )
                )
    Lead.objects.bulk_create(leads, batch_size=2000)
    CallLog.objects.bulk_create(calls, batch_size=2000)
    EmailTouch.objects.bulk_create(emails, batch_size=2000)
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    return {"calls": len(calls), "emails": len(emails), "meetings": len(meetings), "leads": len(leads)}


def _at(tz, day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def _meeting(rng, rep, fs, call, day, today, tz) -> Meeting:
    age = (today - day).days
    status, amount = Meeting.Status.SCHEDULED, None
    if age > synthetic.SETTLE_DAYS:
        # Deals close (won or lost) a few days after the meeting itself; until then they stay qualified.
        status = Meeting.Status(synthetic.meeting_outcome(rng.random(), may_close=age > 10))
        if status == Meeting.Status.WON:
            amount = Decimal(rng.randrange(*synthetic.WON_AMOUNT_YEN, 50_000))
    return Meeting(
        source=SOURCE,
        external_id=f"M{call.external_id}",
        rep=rep,
        fs_owner=rng.choice(fs),
        lead_external_id=call.lead_external_id,
        kind=Meeting.Kind.FIRST,
        set_at=call.started_at,
        local_date=day,
        scheduled_for=_at(tz, day + timedelta(days=rng.randint(3, 10)), rng.randint(10, 16), 0),
        status=status,
        amount=amount,
        outcome_at=timezone.now() if status != Meeting.Status.SCHEDULED else None,
    )


def _targets(reps: list[User], today: date, days: int) -> int:
    """Monthly targets per rep for every month the demo covers (and the next)."""
    first_month = periods.month_start(today - timedelta(days=days))
    months = list(periods.iter_periods(periods.MONTH, first_month, periods.next_period_start(periods.MONTH, today)))
    calendar = Calendar.for_months(months[0], months[-1])
    rows = []
    for month in months:
        bdays = calendar.count(month, periods.period_end(periods.MONTH, month))
        for rep in reps:
            rows += synthetic.month_targets(rep.pk, month, bdays, synthetic.DAILY_TARGETS, synthetic.RATE_TARGETS)
    Target.objects.bulk_create(rows)
    return len(rows)


# --- planning: review rules, lead supply, FS capacity and a saved plan ---------------------------

DEMO_RULES = (
    # (kpi, granularity, threshold %, minimum sample): the defaults.
    ("calls", "month", 70, 0),
    ("connect_rate", "month", 70, 30),
    ("calls", "week", 70, 0),
)
LEAD_SUPPLY = {"web": 420, "download": 180, "seminar": 90, "event": 150, "list": 900, "referral": 60}


def demo_review_rules() -> int:
    """Per-rep rules that fire on the reps calling at half the benchmark."""

    for kpi, granularity, threshold, sample in DEMO_RULES:
        ReviewRule.objects.get_or_create(
            kpi_key=kpi,
            scope="rep",
            scope_id=None,
            granularity=granularity,
            defaults={"threshold_pct": threshold, "min_sample": sample},
        )
    return len(DEMO_RULES)


def demo_planning(*, today: date | None = None) -> dict:
    """Lead supply and FS capacity for this month and the next, and one saved plan (needs rollups)."""

    today = today or periods.today()
    this_month = periods.month_start(today)
    next_month = periods.next_period_start(periods.MONTH, this_month)
    channels = set(CHANNELS)
    for month in (this_month, next_month):
        for channel, leads in LEAD_SUPPLY.items():
            if channel in channels:
                LeadSupply.objects.update_or_create(month=month, channel=channel, defaults={"leads": leads})
        FsCapacity.objects.update_or_create(month=month, defaults={"meetings": 150})
    team = Team.objects.get(name=TEAMS[0])
    manager = User.objects.get(email=f"manager@{DOMAIN}")
    plan = plan_save(
        plan_input=PlanInput(team=team, month=next_month, goal_kind=Plan.Goal.ORDERS, goal_value=Decimal(20), rates={}),
        as_of=today,
        user=manager,
    )
    return {"plan_version": plan.version, "lead_supply_months": 2}
