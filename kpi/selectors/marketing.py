"""What marketing reads: a month's lead supply against plan per channel, the organisation's open rate
and permission rate over recent months, and the funnel of the month's leads by channel.

The funnel by channel follows a cohort: the leads created in the month, and how many of them have
been touched (a call or an email), reached (a call that reached the target person or an email reply),
set a meeting, were qualified by FS, and were won. A lead counts once per step however many calls it
took, so the steps of different channels compare like for like. 9 queries for the supply and funnel,
plus kpi_series' 4 per rate.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum

from .. import periods
from ..models import CallLog, EmailTouch, Lead, LeadSupply, Meeting
from .values import KpiValue, kpi_series

RATE_MONTHS = 6
FUNNEL_STEPS = ("leads", "touched", "reached", "meetings", "qualified", "won")


@dataclass(frozen=True)
class SupplyRow:
    channel: str
    planned: int | None
    actual: int

    @property
    def attainment(self) -> Decimal | None:
        return Decimal(self.actual) / self.planned if self.planned else None


@dataclass(frozen=True)
class ChannelFunnel:
    channel: str
    counts: dict  # step -> leads
    amount: Decimal

    def rate(self, step: str) -> Decimal | None:
        """Share of the channel's leads that reached `step`."""
        return Decimal(self.counts[step]) / self.counts["leads"] if self.counts["leads"] else None


@dataclass(frozen=True)
class MarketingPage:
    month: date
    supply: list[SupplyRow]
    open_rate: list[KpiValue]
    permission_rate: list[KpiValue]
    funnel: list[ChannelFunnel]


def _month_bounds(month: date) -> tuple[datetime, datetime]:
    tz = periods.org_tz()
    end = periods.next_period_start(periods.MONTH, month)
    return datetime.combine(month, time.min, tz), datetime.combine(end, time.min, tz)


def supply_against_plan(*, month: date) -> list[SupplyRow]:
    """Planned leads (LeadSupply) against leads created in the month, per channel (2 queries)."""
    start, end = _month_bounds(month)
    planned = dict(LeadSupply.objects.filter(month=month).values_list("channel", "leads"))
    actual = dict(
        Lead.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("channel")
        .annotate(n=Count("pk"))
        .values_list("channel", "n")
    )
    return [SupplyRow(c, planned.get(c), actual.get(c, 0)) for c in Lead.Channel.values]


def _touched_leads(model, leads, flag: str | None = None) -> dict[int, bool]:
    """{lead pk: whether any of its events has `flag`} for the leads with events of `model`.

    Events name their lead by external id (imports and the API) or by foreign key (picked in the
    product): two grouped queries, each on an index, rather than an OR that no index serves.
    """
    by_key = {external_id: pk for pk, external_id in leads}
    found: dict[int, bool] = {}
    aggregate = {"hit": Count("pk", filter=Q(**{flag: True}))} if flag else {"hit": Count("pk")}
    by_external = (
        model.objects.exclude(lead_external_id="")  # the partial index on lead_external_id
        .filter(lead_external_id__in=list(by_key))
        .values("lead_external_id")
        .annotate(**aggregate)
    )
    for row in by_external:
        pk = by_key[row["lead_external_id"]]
        found[pk] = found.get(pk, False) or bool(row["hit"] and flag)
    by_fk = model.objects.filter(lead_id__in=[pk for pk, _e in leads]).values("lead_id").annotate(**aggregate)
    for row in by_fk:
        pk = row["lead_id"]
        found[pk] = found.get(pk, False) or bool(row["hit"] and flag)
    return found


def funnel_by_channel(*, month: date) -> list[ChannelFunnel]:
    """The month's leads per channel through the funnel's steps (7 queries whatever the number of leads)."""
    start, end = _month_bounds(month)
    rows = list(
        Lead.objects.filter(created_at__gte=start, created_at__lt=end).values_list("pk", "external_id", "channel")
    )
    leads = [(pk, external_id) for pk, external_id, _c in rows]
    calls = _touched_leads(CallLog, leads, "reached_target")
    emails = _touched_leads(EmailTouch, leads, "replied")
    meetings = _meeting_outcomes(leads)
    totals: dict[str, dict] = {}
    amounts: dict[str, Decimal] = {}
    for pk, _external_id, channel in rows:
        c = totals.setdefault(channel, dict.fromkeys(FUNNEL_STEPS, 0))
        met = meetings.get(pk)
        c["leads"] += 1
        c["touched"] += pk in calls or pk in emails
        c["reached"] += bool(calls.get(pk) or emails.get(pk))
        c["meetings"] += met is not None
        c["qualified"] += bool(met and met["qualified"])
        c["won"] += bool(met and met["won"])
        amounts[channel] = amounts.get(channel, Decimal(0)) + (met["amount"] if met else 0)
    return [ChannelFunnel(c, totals[c], amounts[c]) for c in Lead.Channel.values if c in totals]


def _meeting_outcomes(leads) -> dict[int, dict]:
    """{lead pk: {qualified, won, amount}} of the leads with a meeting (2 queries, as _touched_leads)."""
    by_key = {external_id: pk for pk, external_id in leads}
    qualified = Count("pk", filter=Q(status__in=Meeting.QUALIFIED_STATUSES))
    won = Count("pk", filter=Q(status=Meeting.Status.WON))
    amount = Sum("amount", filter=Q(status=Meeting.Status.WON), default=0)
    out: dict[int, dict] = {}
    queries = (
        (
            Meeting.objects.exclude(lead_external_id="")
            .filter(lead_external_id__in=list(by_key))
            .values("lead_external_id"),
            lambda row: by_key[row["lead_external_id"]],
        ),
        (
            # A meeting naming its lead both ways is counted once: by external id above.
            Meeting.objects.filter(lead_id__in=[pk for pk, _e in leads], lead_external_id="").values("lead_id"),
            lambda row: row["lead_id"],
        ),
    )
    for queryset, lead_of in queries:
        for row in queryset.annotate(qualified=qualified, won=won, amount=amount):
            pk = lead_of(row)
            entry = out.setdefault(pk, {"qualified": 0, "won": 0, "amount": Decimal(0)})
            entry["qualified"] += row["qualified"]
            entry["won"] += row["won"]
            entry["amount"] += row["amount"] or 0
    return out


def marketing_page(*, month: date, as_of: date) -> MarketingPage:
    first = month
    for _ in range(RATE_MONTHS - 1):
        first = periods.month_start(first - timedelta(days=1))
    end = periods.period_end(periods.MONTH, month)
    rates = {
        kpi: kpi_series(kpi=kpi, scope="org", scope_id=0, granularity=periods.MONTH, start=first, end=end, as_of=as_of)
        for kpi in ("open_rate", "permission_rate")
    }
    return MarketingPage(
        month=month,
        supply=supply_against_plan(month=month),
        open_rate=rates["open_rate"],
        permission_rate=rates["permission_rate"],
        funnel=funnel_by_channel(month=month),
    )
