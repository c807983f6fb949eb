"""What marketing reads: a month's lead supply against plan per channel, the organisation's open rate
and permission rate over recent months, and the funnel of the month's leads by channel.

The funnel by channel follows a cohort: the leads created in the month, and how many of them have
been touched (a call or an email), reached (a call that reached the target person or an email reply),
set a meeting, were qualified by FS, and were won. A lead counts once per step however many calls it
took, so the steps of different channels compare like for like. 4 queries for the supply and funnel,
plus kpi_series' 4 per rate.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum

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


def funnel_by_channel(*, month: date) -> list[ChannelFunnel]:
    """The month's leads per channel through the funnel's steps (1 query: one row per lead)."""
    start, end = _month_bounds(month)

    # Events name their lead by external id (imports and the API); a lead picked in the product is a
    # foreign key. Either names the lead.
    def of_lead(model):
        return model.objects.filter(Q(lead=OuterRef("pk")) | Q(lead_external_id=OuterRef("external_id")))

    calls, emails, meetings = of_lead(CallLog), of_lead(EmailTouch), of_lead(Meeting)
    rows = (
        Lead.objects.filter(created_at__gte=start, created_at__lt=end)
        .annotate(
            called=Exists(calls),
            emailed=Exists(emails),
            reached_call=Exists(calls.filter(reached_target=True)),
            replied=Exists(emails.filter(replied=True)),
            met=Exists(meetings),
            qualified=Exists(meetings.filter(status__in=Meeting.QUALIFIED_STATUSES)),
            won=Exists(meetings.filter(status=Meeting.Status.WON)),
            amount=Subquery(
                meetings.filter(status=Meeting.Status.WON)
                .values("status")
                .annotate(total=Sum("amount"))
                .values("total")[:1]
            ),
        )
        .values_list("channel", "called", "emailed", "reached_call", "replied", "met", "qualified", "won", "amount")
    )
    totals: dict[str, dict] = {}
    amounts: dict[str, Decimal] = {}
    for channel, called, emailed, reached_call, replied, met, qualified, won, amount in rows:
        c = totals.setdefault(channel, dict.fromkeys(FUNNEL_STEPS, 0))
        c["leads"] += 1
        c["touched"] += called or emailed
        c["reached"] += reached_call or replied
        c["meetings"] += met
        c["qualified"] += qualified
        c["won"] += won
        amounts[channel] = amounts.get(channel, Decimal(0)) + (amount or 0)
    return [ChannelFunnel(c, totals[c], amounts[c]) for c in Lead.Channel.values if c in totals]


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
